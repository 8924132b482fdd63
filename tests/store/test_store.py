"""The store: versions, seeding, atomic and serialised writes, rollback, comparison, schema
migrations. Every test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from geo.atlas import AtlasPaths, load_atlas
from store import schema as S
from store.core import Change, StaleVersion, Store, StoreError, folder_files


def _edited(store: Store, base: int, title: str) -> dict[str, bytes]:
    files = store.files(base)
    files["projects.csv"] = files["projects.csv"].replace(
        "电子商务专题培训".encode(), title.encode()
    )
    assert files["projects.csv"] != store.files(base)["projects.csv"]
    return files


def test_open_creates_migrates_and_seeds_once(store: Store, db_url: str, tmp_path: Path) -> None:
    assert store.latest() == 1
    [seed] = store.versions()
    assert (seed.action, seed.editor, seed.note) == ("seed", "system", "bundled data")
    assert store.files(1) == folder_files(AtlasPaths())
    again = Store.open(db_url, cache_dir=tmp_path / "cache2")
    assert [v.id for v in again.versions()] == [1]
    again.engine.dispose()


def test_schema_matches_the_migrations(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == "0001"
        assert compare_metadata(context, S.metadata) == []


def test_a_version_loads_as_the_app_loads_it(store: Store) -> None:
    paths = store.materialize(1)
    atlas = load_atlas(paths)
    assert len(atlas.projects) == len(load_atlas().projects)
    assert store.materialize(1) == paths  # written once, then reused


def test_apply_makes_a_new_latest_version_with_a_summary(store: Store) -> None:
    files = _edited(store, 1, "新标题")
    v = store.apply(Change(base=1, files=files, action="import", editor="anna", file_name="x.csv"))
    assert (v.id, store.latest(), v.based_on) == (2, 2, 1)
    assert v.summary["tables"]["projects.csv"] == {"added": 0, "removed": 0, "changed": 1}
    assert store.version(2).editor == "anna"
    diff = store.compare(1, 2)["projects.csv"]
    [(key, cols)] = diff.changed.items()
    assert key == "PR01" and cols["title_zh"][1] == "“网店的建设与运营”新标题"
    titles = load_atlas(store.materialize(2)).projects.set_index("project_id")["title_zh"]
    assert titles["PR01"] == "“网店的建设与运营”新标题"


def test_a_change_prepared_against_an_older_version_is_refused(store: Store) -> None:
    store.apply(Change(base=1, files=_edited(store, 1, "A"), action="import", editor="a"))
    with pytest.raises(StaleVersion) as err:
        store.apply(Change(base=1, files=_edited(store, 1, "B"), action="import", editor="b"))
    assert "版本 1 → 2" in err.value.zh and "version 1 → 2" in err.value.en
    assert store.latest() == 2 and len(store.versions()) == 2
    assert "“网店的建设与运营”A".encode() in store.files(2)["projects.csv"]


def test_two_imports_at_once_one_wins_the_other_is_told(store: Store) -> None:
    results: list[str] = []
    barrier = threading.Barrier(2)

    def run(title: str) -> None:
        files = _edited(store, 1, title)
        barrier.wait()
        try:
            store.apply(Change(base=1, files=files, action="import", editor=title))
            results.append("ok")
        except StaleVersion:
            results.append("stale")

    threads = [threading.Thread(target=run, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale"]
    assert [v.id for v in store.versions()] == [2, 1]


def test_a_failed_write_leaves_the_store_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def count(table: sa.Table) -> int:
        with store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    before = (count(S.blobs), count(S.versions), count(S.version_files))
    real = Store._insert

    def insert_then_fail(self: Store, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        store.apply(Change(base=1, files=_edited(store, 1, "X"), action="import", editor="x"))
    assert store.latest() == 1
    assert (count(S.blobs), count(S.versions), count(S.version_files)) == before


def test_rollback_is_a_new_version_with_the_old_files(store: Store) -> None:
    store.apply(Change(base=1, files=_edited(store, 1, "A"), action="import", editor="a"))
    v = store.rollback(1, editor="b")
    assert (v.id, v.action, v.note) == (3, "rollback", "rollback to version 1")
    assert store.files(3) == store.files(1)
    assert [x.id for x in store.versions()] == [3, 2, 1]
    with pytest.raises(StoreError):
        store.rollback(3, editor="b")
    with pytest.raises(StoreError) as err:
        store.rollback(99, editor="b")
    assert "99" in err.value.zh and "99" in err.value.en


def test_seed_follows_the_bundled_data_until_an_editor_imports(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(AtlasPaths().pairings.parent, folder, ignore=shutil.ignore_patterns("raw"))
    seed = AtlasPaths(
        **{
            k: folder / ("derived/" + p.name if p.parent.name == "derived" else p.name)
            for k, p in vars(AtlasPaths()).items()
        }
    )
    store = Store.open(db_url, seed=seed, cache_dir=tmp_path / "c")
    (folder / "sources.csv").write_bytes((folder / "sources.csv").read_bytes() + b"")
    assert Store.open(db_url, seed=seed, cache_dir=tmp_path / "c").latest() == 1
    text = (folder / "projects.csv").read_text(encoding="utf-8").replace("网店", "网铺")
    (folder / "projects.csv").write_text(text, encoding="utf-8")
    reopened = Store.open(db_url, seed=seed, cache_dir=tmp_path / "c")
    assert reopened.latest() == 2 and reopened.version(2).note == "bundled data updated"
    reopened.apply(Change(base=2, files=_edited(reopened, 2, "A"), action="import", editor="a"))
    (folder / "projects.csv").write_text(text.replace("网铺", "网站"), encoding="utf-8")
    assert Store.open(db_url, seed=seed, cache_dir=tmp_path / "c").latest() == 3
    store.engine.dispose()
    reopened.engine.dispose()


def test_two_store_objects_on_one_database_agree(db_url: str, tmp_path: Path) -> None:
    one = Store.open(db_url, cache_dir=tmp_path / "one")
    two = Store.open(db_url, cache_dir=tmp_path / "two")
    one.apply(Change(base=1, files=_edited(one, 1, "A"), action="import", editor="a"))
    assert two.latest() == 2
    assert two.files(2) == one.files(2)
    one.engine.dispose()
    two.engine.dispose()


def test_header_mappings_are_remembered(store: Store) -> None:
    assert store.mapping("k", "projects") is None
    store.remember_mapping("k", "projects", {"名称": "title_zh", "备注": None}, "anna")
    store.remember_mapping("k", "projects", {"名称": "title_zh", "备注": "note"}, "anna")
    assert store.mapping("k", "projects") == {"名称": "title_zh", "备注": "note"}
    assert store.mapping("k", "figures") is None
