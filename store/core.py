"""Versions of the atlas's tables in a database: open, read, compare, apply, roll back.

The store keeps *files* (each table's CSV as the loaders read it, the areas' GeoJSON), not a
re-modelled copy of them: the one validation pipeline (``geo.atlas.load_atlas``) checks every
version before it is stored, and what an editor downloads is exactly what the map shows.
A version is read by writing its files once into a local cache folder named after the version
and its content (``materialize``); the database stays the only truth.

Writes are serialised on the one ``head`` row (row lock on PostgreSQL; SQLite's write lock),
and ``apply`` refuses a change prepared against an older head (``StaleVersion``), so two imports
at once never corrupt the store or silently lose one another.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from geo.atlas import COUNTIES_FILE, OPTIONAL_TABLES, AtlasPaths, counties_path
from geo.paths import COUNTIES_WGS84, PROJECT_DIR
from store import schema as S
from store.diff import TableDiff, diff_files

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_STATE_DIR = PROJECT_DIR / "var"


class StoreError(Exception):
    """A refused store operation, with a message in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class StaleVersion(StoreError):
    """The latest version changed since the change was prepared."""


@dataclass(frozen=True)
class Version:
    id: int
    created_at: datetime.datetime
    editor: str
    action: str
    kind: str
    file_name: str
    checksum: str
    based_on: int | None
    summary: dict[str, Any]
    note: str


@dataclass
class Change:
    """A new set of files prepared against ``base`` (the head when it was prepared)."""

    base: int
    files: dict[str, bytes]
    action: str
    editor: str
    kind: str = ""
    file_name: str = ""
    checksum: str = ""
    note: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


def state_dir() -> Path:
    """Where the embedded database and the version cache live: $ATLAS_STATE_DIR or ./var."""
    root = os.environ.get("ATLAS_STATE_DIR")
    return Path(root).resolve() if root else DEFAULT_STATE_DIR


def db_url() -> str:
    """$ATLAS_DB_URL (e.g. postgresql+psycopg://atlas@localhost/atlas), else SQLite in the
    state folder."""
    url = os.environ.get("ATLAS_DB_URL")
    if url:
        return url
    return f"sqlite:///{state_dir() / 'atlas.sqlite3'}"


def file_names() -> dict[str, str]:
    """AtlasPaths field -> the file's name relative to a data folder ("derived/units.csv")."""
    out = {}
    for name, path in vars(AtlasPaths()).items():
        p = Path(path)
        out[name] = f"derived/{p.name}" if p.parent.name == "derived" else p.name
    return out


def folder_files(paths: AtlasPaths) -> dict[str, bytes]:
    """The bytes of every table file of a data folder, by relative name (an optional table
    the folder does not have is left out, as the loaders allow)."""
    names = file_names()
    files = {
        names[key]: Path(p).read_bytes()
        for key, p in vars(paths).items()
        if key not in OPTIONAL_TABLES or Path(p).is_file()
    }
    # The folder's own county outlines (a province's data folder) travel with its versions;
    # without one, the app uses the bundled outlines (geo.atlas.counties_path).
    counties = counties_path(paths)
    if counties != COUNTIES_WGS84:
        files[f"derived/{COUNTIES_FILE}"] = counties.read_bytes()
    return files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_checksum(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + sha256(files[name]).encode() + b"\n")
    return digest.hexdigest()


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi: Any, _record: Any) -> None:
            # Foreign keys on; WAL so viewers read while an import writes.
            dbapi.execute("PRAGMA foreign_keys=ON")
            dbapi.execute("PRAGMA journal_mode=WAL")
            # Let SQLAlchemy's BEGIN reach SQLite (the driver's own handling defers it).
            dbapi.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent; concurrent processes on
    PostgreSQL take an advisory lock so only one migrates)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72270613)")
        current = MigrationContext.configure(conn).get_current_revision()
        newest = ScriptDirectory.from_config(config).get_current_head()
        if current != newest:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def schema_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class Store:
    """The versions of one atlas. ``Store.open()`` uses $ATLAS_DB_URL or the SQLite default."""

    def __init__(self, engine: sa.Engine, cache_dir: Path) -> None:
        self.engine = engine
        self.cache_dir = cache_dir
        # Versions never change once stored: where each was written, so a rerun costs one
        # small query (latest), not a read of every file.
        self._written: dict[int, Path] = {}

    @classmethod
    def open(
        cls,
        url: str | None = None,
        seed: AtlasPaths | None = None,
        cache_dir: Path | None = None,
    ) -> Store:
        """Open (creating and migrating if needed) and seed an empty store from ``seed`` (the
        bundled data by default). A store whose latest version is an untouched seed follows
        the bundled data when it changes (a new seed version); editors' imports are never
        overwritten."""
        engine = _engine(url or db_url())
        migrate(engine)
        store = cls(engine, cache_dir or state_dir() / "cache")
        store.seed(seed or AtlasPaths())
        return store

    # ------------------------------------------------------------------------ reading

    def latest(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(S.head.c.version_id).where(S.head.c.id == 1)).scalar()

    def versions(self) -> list[Version]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(S.versions).order_by(S.versions.c.id.desc())).all()
        return [Version(**row._mapping) for row in rows]

    def version(self, version_id: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(S.versions).where(S.versions.c.id == version_id)).first()
        if row is None:
            raise StoreError(f"没有版本 {version_id}", f"there is no version {version_id}")
        return Version(**row._mapping)

    def files(self, version_id: int) -> dict[str, bytes]:
        self.version(version_id)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(S.version_files.c.name, S.blobs.c.content)
                .join(S.blobs, S.blobs.c.sha256 == S.version_files.c.sha256)
                .where(S.version_files.c.version_id == version_id)
            ).all()
        return {name: bytes(content) for name, content in rows}

    def materialize(self, version_id: int) -> AtlasPaths:
        """The version's files in a local folder (written once, atomically), as AtlasPaths."""
        known = self._written.get(version_id)
        if known is not None and known.is_dir():
            return paths_in(known)
        files = self.files(version_id)
        folder = self.cache_dir / f"v{version_id}-{files_checksum(files)[:16]}"
        if not folder.is_dir():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.cache_dir))
            write_folder(tmp, files)
            try:
                tmp.rename(folder)
            except OSError:  # another process wrote the same version meanwhile
                shutil.rmtree(tmp, ignore_errors=True)
        self._written[version_id] = folder
        return paths_in(folder)

    def compare(self, old: int, new: int) -> dict[str, TableDiff]:
        return diff_files(self.files(old), self.files(new))

    # ------------------------------------------------------------------------ writing

    @contextmanager
    def _locked(self) -> Iterator[tuple[sa.Connection, int | None]]:
        with self.engine.begin() as conn:
            # The first statement writes the head row: it takes PostgreSQL's row lock and
            # SQLite's write lock (waiting up to the busy timeout for another writer).
            conn.execute(
                sa.update(S.head).where(S.head.c.id == 1).values(version_id=S.head.c.version_id)
            )
            query = sa.select(S.head.c.version_id).where(S.head.c.id == 1)
            yield conn, conn.execute(query).scalar()

    def apply(self, change: Change) -> Version:
        """Store ``change`` as the new latest version, atomically; refused with StaleVersion
        when another version was stored after the one it was prepared against."""
        with self._locked() as (conn, head):
            if head != change.base:
                raise StaleVersion(
                    f"台账已被更新（版本 {change.base} → {head}），请重新检查后再应用",
                    f"the ledger changed meanwhile (version {change.base} → {head}); "
                    "check the file again before applying",
                )
            return self._insert(conn, change, head)

    def _insert(self, conn: sa.Connection, change: Change, head: int | None) -> Version:
        for content in change.files.values():
            digest = sha256(content)
            exists = conn.execute(
                sa.select(S.blobs.c.sha256).where(S.blobs.c.sha256 == digest)
            ).first()
            if exists is None:
                conn.execute(
                    sa.insert(S.blobs).values(sha256=digest, size=len(content), content=content)
                )
        summary = dict(change.summary)
        if head is not None and "tables" not in summary:
            old = self._files_on(conn, head)
            summary["tables"] = {
                name: d.counts() for name, d in diff_files(old, change.files).items()
            }
        now = datetime.datetime.now(datetime.UTC)
        new_id = conn.execute(
            sa.insert(S.versions)
            .values(
                created_at=now,
                editor=change.editor,
                action=change.action,
                kind=change.kind,
                file_name=change.file_name,
                checksum=change.checksum,
                based_on=head,
                summary=summary,
                note=change.note,
            )
            .returning(S.versions.c.id)
        ).scalar_one()
        conn.execute(
            sa.insert(S.version_files),
            [
                {"version_id": new_id, "name": name, "sha256": sha256(content)}
                for name, content in sorted(change.files.items())
            ],
        )
        conn.execute(sa.update(S.head).where(S.head.c.id == 1).values(version_id=new_id))
        return Version(
            new_id,
            now,
            change.editor,
            change.action,
            change.kind,
            change.file_name,
            change.checksum,
            head,
            summary,
            change.note,
        )

    def _files_on(self, conn: sa.Connection, version_id: int) -> dict[str, bytes]:
        rows = conn.execute(
            sa.select(S.version_files.c.name, S.blobs.c.content)
            .join(S.blobs, S.blobs.c.sha256 == S.version_files.c.sha256)
            .where(S.version_files.c.version_id == version_id)
        ).all()
        return {name: bytes(content) for name, content in rows}

    def rollback(self, to: int, editor: str, base: int | None = None) -> Version:
        """A new version with the files of version ``to`` (history is kept)."""
        files = self.files(to)
        head = self.latest() if base is None else base
        if head is None:
            raise StoreError("台账是空的", "the ledger is empty")
        if head == to:
            raise StoreError(
                f"版本 {to} 已是最新版本，无需回滚", f"version {to} is already the latest"
            )
        return self.apply(
            Change(
                base=head,
                files=files,
                action="rollback",
                editor=editor,
                note=f"rollback to version {to}",
                checksum=files_checksum(files),
            )
        )

    def seed(self, paths: AtlasPaths) -> Version | None:
        """Store the data folder as version 1 of an empty store, or as a new seed version
        when the latest version is a seed of different files (the bundled data changed)."""
        files = folder_files(paths)
        checksum = files_checksum(files)
        with self._locked() as (conn, head):
            if head is not None:
                last = conn.execute(
                    sa.select(S.versions.c.action, S.versions.c.checksum).where(
                        S.versions.c.id == head
                    )
                ).one()
                if last.action != "seed" or last.checksum == checksum:
                    return None
            change = Change(
                base=head or 0,
                files=files,
                action="seed",
                editor="system",
                file_name=str(Path(paths.pairings).parent.name or "data"),
                checksum=checksum,
                note="bundled data" if head is None else "bundled data updated",
            )
            return self._insert(conn, change, head)

    # ------------------------------------------------------------------------ mappings

    def mapping(self, headers_key: str, kind: str) -> dict[str, str | None] | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(S.mappings.c.mapping).where(
                    S.mappings.c.headers_key == headers_key, S.mappings.c.kind == kind
                )
            ).scalar()
        return dict(found) if found else None

    def remember_mapping(
        self, headers_key: str, kind: str, mapping: Mapping[str, str | None], editor: str
    ) -> None:
        now = datetime.datetime.now(datetime.UTC)
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(S.mappings).where(
                    S.mappings.c.headers_key == headers_key, S.mappings.c.kind == kind
                )
            )
            conn.execute(
                sa.insert(S.mappings).values(
                    headers_key=headers_key,
                    kind=kind,
                    mapping=dict(mapping),
                    editor=editor,
                    updated_at=now,
                )
            )


def paths_in(folder: Path) -> AtlasPaths:
    names = file_names()
    return AtlasPaths(**{key: folder / names[key] for key in names})


def write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
