"""Alembic environment: run by ``store.core.migrate`` with a connection it passes in."""

from __future__ import annotations

from alembic import context

from store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run as `alembic` from a shell
    raise SystemExit("run migrations through store.core.migrate (python cli.py versions)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
