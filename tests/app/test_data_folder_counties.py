"""Issue 14: the page reads the county outlines of its data folder (derived/counties.geojson)
when the folder has one; a bad one is refused like any bad table, naming the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.paths import COUNTIES_WGS84

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ (without raw/) that the app reads through ATLAS_DATA_DIR."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _errors(at: AppTest) -> str:
    return "\n".join(e.value.replace("\\", "") for e in at.error)


def test_a_bad_counties_file_in_the_data_folder_is_named_and_the_page_keeps_running(
    data: Path,
) -> None:
    (data / "derived" / "counties.geojson").write_text("{not json", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    assert "counties.geojson" in _errors(at)


def test_the_folders_counties_file_is_used(data: Path) -> None:
    """The bundled outlines under other names: the page draws the folder's names."""
    outlines = json.loads(COUNTIES_WGS84.read_text(encoding="utf-8"))
    for feature in outlines["features"]:
        feature["properties"]["name"] = "合成" + feature["properties"]["name"]
    (data / "derived" / "counties.geojson").write_text(
        json.dumps(outlines, ensure_ascii=False), encoding="utf-8"
    )
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    assert not at.error, _errors(at)
    # What the page loaded (the process-wide cache of the last good data, by location).
    from ui.data import _last_good

    loaded = _last_good()[f"folder:{data.resolve()}"]
    names = set(loaded.counties["name"]) | set(loaded.display.counties["name"])
    assert "合成蒲江县" in names and "蒲江县" not in names
