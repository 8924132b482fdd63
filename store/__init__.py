"""The ledger's store: every version of the atlas's tables, in SQLite (default) or PostgreSQL.

Pure core (never imports streamlit). The atlas's tables (the CSV and GeoJSON files that
``geo.atlas.load_atlas`` validates) are kept as content-addressed blobs; a *version* is one
set of those files, with who made it, when, from which file, and what changed. The latest
version is what viewers see; earlier versions are never modified, and a rollback is a new
version with an earlier version's files, so the history stays complete.

- ``store.core.Store``: open (migrate, seed), latest, versions, compare, apply, rollback.
- ``store.importing``: an office's sheet -> checked, merged tables -> a new version.
- ``store.auth``: the editor role (hashed credentials, slowing down after failures).
- The schema is managed by Alembic (``store/migrations``); ``Store.open`` upgrades it.
"""
