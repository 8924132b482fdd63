"""The store's tables (SQLAlchemy Core). Changes go through an Alembic migration in
``store/migrations/versions``; a test checks that the migrations produce this schema."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Content-addressed file contents: a table's CSV (or the areas' GeoJSON) as bytes, keyed by
# its SHA-256, so versions that share a file share one row.
blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

versions = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("editor", sa.String(200), nullable=False),
    # seed (from the bundled data or a data folder), import, rollback
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False, server_default=""),
    sa.Column("file_name", sa.String(500), nullable=False, server_default=""),
    # SHA-256 of the uploaded file (import) or of the seed folder's files (seed)
    sa.Column("checksum", sa.String(64), nullable=False, server_default=""),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)

version_files = sa.Table(
    "version_files",
    metadata,
    sa.Column(
        "version_id",
        sa.Integer,
        sa.ForeignKey("versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # the file's name relative to a data folder: "pairings.csv", "derived/units.csv", ...
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
)

# One row (id = 1): the latest version. Every write locks it first (SELECT ... FOR UPDATE on
# PostgreSQL, a write transaction on SQLite), so two imports are serialised, and an import
# prepared against an older head is refused instead of silently overwriting the newer one.
head = sa.Table(
    "head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, nullable=True),
)

# Header mappings an editor chose, remembered for the next file with the same headers.
mappings = sa.Table(
    "mappings",
    metadata,
    sa.Column("headers_key", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("mapping", sa.JSON, nullable=False),
    sa.Column("editor", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
