"""Issue 9 in a real browser: the crash classes end in a readable message (never a traceback or
a server path) with the last good data kept, and the table toolbar offers no raw CSV download.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.browser.conftest import ROOT, _require_chromium, streamlit_server
from tests.browser.helpers import open_details, open_map, screenshot


@pytest.fixture
def office_app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app on a copy of data/ (ATLAS_DATA_DIR) that the test breaks and repairs; yields
    (base URL, data folder) and stops the server by its process id."""
    _require_chromium()
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("raw"))
    with streamlit_server("streamlit-data-gate.log", {"ATLAS_DATA_DIR": str(data)}) as base:
        yield base, data


def _no_details(pg: Any, data: Path) -> None:
    text = pg.locator("body").inner_text()
    assert "Traceback" not in text and str(data) not in text and "/work" not in text
    assert pg.locator('[data-testid="stException"]').count() == 0


def _error_text(pg: Any) -> str:
    alert = pg.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for(timeout=60_000)
    return str(alert.inner_text())


def _one_year(data: Path) -> None:
    pairings = pd.read_csv(data / "pairings.csv", dtype=str, keep_default_na=False)
    pairings["start_date"] = ""
    pairings["start_precision"] = "undated"
    pairings["period_kind"] = ""  # no period: a round or a "since" would give years
    pairings["round"] = ""
    pairings.to_csv(data / "pairings.csv", index=False)
    projects = pd.read_csv(data / "projects.csv", dtype=str, keep_default_na=False)
    for column in ("date", "year_from", "year_to"):
        projects[column] = projects[column].str.replace(r"^(2017|2018|2019)", "2020", regex=True)
    projects.to_csv(data / "projects.csv", index=False)


def test_crash_classes_end_in_a_message_and_the_map_survives(
    office_app: tuple[str, Path], page: tuple[Any, Any]
) -> None:
    base, data = office_app
    pg, _ = page
    sources = (data / "sources.csv").read_bytes()

    # 1. sources.csv is a folder, nothing good loaded yet: a message, no traceback.
    (data / "sources.csv").unlink()
    (data / "sources.csv").mkdir()
    pg.goto(base + "/?types=party,training")
    message = _error_text(pg)
    assert (
        "sources.csv" in message and "不是普通文件" in message and "not a regular file" in message
    )
    _no_details(pg, data)
    screenshot(pg, "data-gate-directory")

    # 2. Fixed: the map draws, and the filters from the link are whole (not emptied).
    (data / "sources.csv").rmdir()
    (data / "sources.csv").write_bytes(sources)
    open_map(pg, base + "/?types=party,training")
    types = pg.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    assert types.get_by_text(re.compile("^党建")).count() == 1
    assert pg.locator('[data-testid="stAlertContentError"]').count() == 0

    # 3. An empty polygon arrives: refused, the last good map still draws.
    areas = data / "derived" / "township_areas.geojson"
    text = areas.read_text(encoding="utf-8")
    start = text.index('"geometry":{"type":"Polygon","coordinates":')
    end = text.index("]]]}}", start) + len("]]]}")
    areas.write_text(text[:start] + '"geometry":{"type":"Polygon","coordinates":[]}' + text[end:])
    open_map(pg, base + "/")
    message = _error_text(pg)
    assert "township_areas.geojson" in message and "geometry is empty" in message
    assert "上一次有效的数据" in message
    _no_details(pg, data)

    # 4. A superscript year in the link: a notice, the map draws.
    open_map(pg, base + "/?from=²⁰¹⁸")
    warning = pg.locator('[data-testid="stAlertContentWarning"]').first
    warning.wait_for(timeout=30_000)
    assert "²⁰¹⁸" in warning.inner_text()
    _no_details(pg, data)

    # 5. Good data spanning one year: the year is shown, no slider, no error.
    areas.write_text(text, encoding="utf-8")
    _one_year(data)
    open_map(pg, base + "/")
    sidebar = pg.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("2020").first.wait_for(timeout=30_000)
    assert sidebar.locator('[data-testid="stSlider"]').count() == 0
    assert pg.locator('[data-testid="stAlertContentError"]').count() == 0
    _no_details(pg, data)
    screenshot(pg, "data-gate-one-year")


def test_table_toolbar_offers_no_csv_download(app_url: str, page: tuple[Any, Any]) -> None:
    pg, _ = page
    open_map(pg, app_url + "/")
    open_details(pg, "项目表", '[data-testid="stDataFrame"]')
    table = pg.locator('[data-testid="stDataFrame"]').first
    table.hover()
    holder = pg.locator('[data-testid="stElementContainer"]').filter(has=table)
    toolbar = holder.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for(state="visible", timeout=15_000)
    buttons = toolbar.locator("button")
    labels = [str(buttons.nth(i).get_attribute("aria-label") or "") for i in range(buttons.count())]
    assert labels, "the toolbar shows its other buttons (search, full screen)"
    assert not [label for label in labels if re.search("download|下载", label, re.I)], labels
    # The app's own, formula-safe downloads are there instead.
    assert pg.get_by_role("button", name=re.compile("下载 CSV")).count() == 1
