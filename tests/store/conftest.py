"""Stores for the tests: SQLite in a temporary folder, and a fresh database on the real
PostgreSQL server that .ci/run starts (``ATLAS_TEST_PG_URL``, e.g. from
``scripts/start_postgres.sh``). Without that server the PostgreSQL cases are skipped locally
and fail under CI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from store.core import Store


def pg_server_url() -> str | None:
    url = os.environ.get("ATLAS_TEST_PG_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("ATLAS_TEST_PG_URL is not set: .ci/run must start PostgreSQL")
    return None


def new_pg_database() -> tuple[str, str]:
    """(server URL, URL of a new empty database on it)."""
    server = pg_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server (run scripts/start_postgres.sh, set ATLAS_TEST_PG_URL)")
    name = f"atlas_t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return server, sa.make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(server: str, url: str) -> None:
    name = sa.make_url(url).database
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
        return
    server, url = new_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(server, url)


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(db_url, cache_dir=tmp_path / "cache")
    try:
        yield opened
    finally:
        opened.engine.dispose()
