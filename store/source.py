"""Where the app, the exports and the command line read the atlas from.

- Default: the store (``store.core.Store``): SQLite in ``$ATLAS_STATE_DIR`` (``./var``),
  or PostgreSQL when ``$ATLAS_DB_URL`` is set; created and seeded from the bundled ``data/``
  on first use, so ``make run`` needs no set-up. Viewers see its latest version.
- ``$ATLAS_DATA_DIR``: a data folder read directly, read-only (no versions, no editor
  actions): for checking a folder of CSV files before it becomes a store's data. The store
  ignores it otherwise, except that a *new* store is seeded from it.

One Store object per database per process: opening migrates and seeds, which is done once;
``latest()`` is one small query, made on every rerun, so an import through one app process
shows in every other process on its next rerun.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from geo.atlas import AtlasPaths, paths_from_env
from store.core import Store, db_url

_stores: dict[str, Store] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class DataSource:
    """The tables to load now: ``location`` names where they come from (a database or a
    folder, no password), ``version`` is the store's version (None for a folder)."""

    location: str
    paths: AtlasPaths
    version: int | None
    store: Store | None


def folder_mode() -> bool:
    return bool(os.environ.get("ATLAS_DATA_DIR")) and not os.environ.get("ATLAS_DB_URL")


def open_store(url: str | None = None) -> Store:
    key = url or db_url()
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = Store.open(key, seed=paths_from_env())
            _stores[key] = store
        return store


def current() -> DataSource:
    """The latest tables: a folder (``$ATLAS_DATA_DIR`` alone) or the store's latest version."""
    if folder_mode():
        paths = paths_from_env()
        return DataSource(f"folder:{paths.pairings.parent}", paths, None, None)
    store = open_store()
    version = store.latest()
    assert version is not None  # opening seeds an empty store
    return DataSource(public_location(store), store.materialize(version), version, store)


def public_location(store: Store) -> str:
    """The database without its password (for logs and cache keys)."""
    return store.engine.url.render_as_string(hide_password=True)


def forget_stores() -> None:
    """Drop the per-process Store objects (tests that switch databases)."""
    with _lock:
        for store in _stores.values():
            store.engine.dispose()
        _stores.clear()
