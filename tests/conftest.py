"""Every test run uses its own store (SQLite in a temporary folder), never the developer's
./var: the app, the exports and the command line all read the store by default."""

from __future__ import annotations

import os
import tempfile

os.environ["ATLAS_STATE_DIR"] = tempfile.mkdtemp(prefix="atlas-test-state-")
os.environ.pop("ATLAS_DB_URL", None)
os.environ.pop("ATLAS_EDITORS", None)
os.environ.pop("ATLAS_EDITORS_FILE", None)
