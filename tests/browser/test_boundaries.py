"""Official township boundaries in a real browser: an editor uploads a zipped Shapefile (GBK
attributes, Gauss–Krüger zone, two townships missing, one township's outline different from
its approximate cell) on the editor page and applies it; the map then draws the new outline,
the legend names only the two townships still approximate, the attribution names the source,
and the drawn areas are still one coverage (no gap, no overlap). After a rollback the
approximate areas are back."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from store.auth import hash_password
from store.core import Store
from tests.browser.conftest import _require_chromium, streamlit_server
from tests.browser.helpers import MAP_IFRAME, evaluate_in_map, open_map, screenshot
from tests.browser.test_layout import LABEL_BOXES, ZOOM_ON_A_UNIT, _overlaps, _zoom_levels
from tests.store.boundary_files import official_frame, shapefile_parts, zipped

GANXI, CHENGJIA, DATANG = "510131106000", "510131107000", "510131101000"
SOURCE, DATE = "蒲江县自然资源局 乡镇界线（测试）", "2023-05"
PASSWORD = "correct horse battery"

AREAS = """
() => window.atlas.layers.townships.getLayers().map(l => ({
  code: l.feature.properties.code,
  approximate: l.feature.properties.approximate,
  dash: l.options.dashArray || null,
  geometry: l.feature.geometry,
}))
"""


def _boundary_zip(folder: Path) -> tuple[Path, Any]:
    """甘溪镇 and 成佳镇 missing; 大塘镇 0.01° smaller than its approximate cell."""
    frame = official_frame(4326, drop=(GANXI, CHENGJIA))
    datang = frame["乡镇代码"] == DATANG[:9]
    frame.loc[datang, "geometry"] = frame.loc[datang, "geometry"].buffer(-0.01)
    smaller = frame.loc[datang, "geometry"].iloc[0]
    path = folder / "蒲江县乡镇界线.zip"
    path.write_bytes(zipped(shapefile_parts(frame.to_crs(4543)), stem="蒲江县乡镇界线"))
    return path, smaller


def _login_and_upload(pg: Any, url: str, path: Path) -> None:
    pg.goto(url + "/?page=editor")
    pg.get_by_label("名字").fill("anna")
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.get_by_text("表", exact=True).wait_for(timeout=30_000)
    pg.locator('[data-testid="stSelectbox"]').first.click()
    pg.get_by_role("option", name="乡镇界线").click()
    uploader = pg.locator('input[type="file"][accept*=".gpkg"]')
    uploader.wait_for(state="attached", timeout=30_000)
    pg.wait_for_timeout(1000)
    uploader.set_input_files(str(path))
    pg.get_by_text(path.name).wait_for(timeout=30_000)
    for label, value in (("来源（提供单位与数据名称）", SOURCE), ("数据日期（YYYY-MM）", DATE)):
        pg.get_by_label(label).fill(value)
        pg.get_by_label(label).press("Enter")
        pg.wait_for_timeout(1000)
    apply = pg.get_by_role("button", name="应用：保存为新版本（基于版本 1）")
    try:
        apply.wait_for(timeout=60_000)
    except Exception:
        screenshot(pg, "boundaries-editor-failed")
        raise AssertionError(pg.locator('[data-testid="stMain"]').inner_text()) from None
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 102E" in main
    assert "14 个乡镇改为官方界线" in main and "2 个仍为近似范围" in main
    apply.click()
    pg.get_by_text("已保存为版本 2。").wait_for(timeout=60_000)


def _legend(pg: Any) -> str:
    return str(pg.frame_locator(MAP_IFRAME).last.locator(".atlas-legend").inner_text())


def test_an_imported_boundary_file_redraws_the_map_and_rolls_back(browser: Any) -> None:
    _require_chromium()
    state = Path(tempfile.mkdtemp(prefix="atlas-bounds-browser-"))
    env = {"ATLAS_STATE_DIR": str(state), "ATLAS_EDITORS": f"anna:{hash_password(PASSWORD)}"}
    path, smaller = _boundary_zip(state)
    with streamlit_server("streamlit-boundaries.log", env=env) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        try:
            frame = open_map(pg, url + "/")
            before = {a["code"]: a for a in frame.evaluate(AREAS)}
            assert all(a["approximate"] for a in before.values())
            assert "乡镇范围为近似（驻地泰森多边形" in _legend(pg)

            _login_and_upload(pg, url, path)

            open_map(pg, url + "/")
            after = {a["code"]: a for a in evaluate_in_map(pg, AREAS)}
            screenshot(pg, "boundaries-imported")
            assert set(after) == set(before)
            for code, a in after.items():
                approx = code in (GANXI, CHENGJIA)
                assert a["approximate"] is approx, code
                assert (a["dash"] is not None) is approx, code
            # The new outline of 大塘镇 is drawn (simplified for display, so compared by area).
            datang = shape(after[DATANG]["geometry"])
            old = shape(before[DATANG]["geometry"])
            overlap = shapely.intersection(datang, smaller).area
            assert overlap / shapely.union(datang, smaller).area > 0.95
            assert datang.area < old.area * 0.95
            # Still one coverage: no two drawn areas overlap and the county has no hole.
            pieces = [shape(a["geometry"]) for a in after.values()]
            assert shapely.coverage_is_valid(pieces)
            pujiang = [shape(a["geometry"]) for c, a in after.items() if c.startswith("510131")]
            old_pujiang = [
                shape(a["geometry"]) for c, a in before.items() if c.startswith("510131")
            ]
            union, old_union = shapely.union_all(pujiang), shapely.union_all(old_pujiang)
            assert abs(union.area - old_union.area) < old_union.area * 0.002
            # The existing layout rule still holds on the new outlines: no two labels overlap.
            for zoom in _zoom_levels(pg):
                evaluate_in_map(pg, ZOOM_ON_A_UNIT, zoom)
                pg.wait_for_timeout(400)
                boxes = evaluate_in_map(pg, LABEL_BOXES)
                assert len(boxes) >= 2 and _overlaps(boxes) == [], f"zoom {zoom}"
            legend = _legend(pg)
            assert "乡镇范围为近似（驻地泰森多边形" not in legend
            assert "以下乡镇范围为近似" in legend and "甘溪镇、成佳镇" in legend
            assert "大塘镇" not in legend
            assert f"乡镇界线为官方数据：{SOURCE} {DATE}" in legend
            credits = evaluate_in_map(
                pg, "() => document.querySelector('.leaflet-control-attribution').textContent"
            )
            assert f"乡镇界线：{SOURCE} {DATE}" in credits

            store = Store.open(f"sqlite:///{state / 'atlas.sqlite3'}", cache_dir=state / "t")
            try:
                store.rollback(1, "anna")
            finally:
                store.engine.dispose()
            open_map(pg, url + "/")
            back = {a["code"]: a for a in evaluate_in_map(pg, AREAS)}
            assert all(a["approximate"] for a in back.values())
            assert shape(back[DATANG]["geometry"]).equals_exact(old, 1e-9)
            assert "乡镇范围为近似（驻地泰森多边形" in _legend(pg)
        finally:
            context.close()


def test_every_accepted_kind_of_file_redraws_the_map_and_rolls_back(browser: Any) -> None:
    """After each accepted import (a GK zip without .cpg, one whose member names are GBK, a
    GeoPackage in EPSG:4490, a partial file) the map draws official outlines for the
    townships it holds, the legend stops calling them approximate, the drawn areas stay one
    coverage; after each rollback the approximate areas are back. Imports go through the
    store as `cli.py import` does; the map is the app's, in Chromium."""
    from store.boundaries import apply_boundaries, check_boundaries
    from tests.store.boundary_files import geopackage

    _require_chromium()
    state = Path(tempfile.mkdtemp(prefix="atlas-bounds-kinds-"))
    full = official_frame(4326)
    files = {
        "no-cpg.zip": (zipped(shapefile_parts(full.to_crs(4543)), cpg=False), set()),
        "gbk-names.zip": (
            zipped(shapefile_parts(full.to_crs(4543)), stem="泸定县界线", gbk_names=True),
            set(),
        ),
        "cgcs2000.gpkg": (geopackage(full.to_crs(4490)), set()),
        "partial.zip": (
            zipped(shapefile_parts(official_frame(4543, drop=(GANXI, CHENGJIA)))),
            {GANXI, CHENGJIA},
        ),
    }
    store = Store.open(f"sqlite:///{state / 'atlas.sqlite3'}", cache_dir=state / "t")
    env = {"ATLAS_STATE_DIR": str(state)}
    with streamlit_server("streamlit-boundaries-kinds.log", env=env) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        try:
            before = {a["code"]: a for a in open_map(pg, url + "/").evaluate(AREAS)}
            for name, (data, still_approximate) in files.items():
                check = check_boundaries(store, data, name, source=SOURCE, source_date=DATE)
                assert check.ready, (name, [p.problem_en for p in check.problems])
                version = apply_boundaries(store, check, "anna")
                after = {a["code"]: a for a in open_map(pg, url + "/").evaluate(AREAS)}
                assert set(after) == set(before), name
                for code, area in after.items():
                    assert area["approximate"] is (code in still_approximate), (name, code)
                assert shapely.coverage_is_valid([shape(a["geometry"]) for a in after.values()])
                legend = _legend(pg)
                assert "乡镇范围为近似（驻地泰森多边形" not in legend, name
                assert f"乡镇界线为官方数据：{SOURCE} {DATE}" in legend, name
                store.rollback(version.id - 1, "anna")
                back = {a["code"]: a for a in open_map(pg, url + "/").evaluate(AREAS)}
                assert all(a["approximate"] for a in back.values()), name
                assert "乡镇范围为近似（驻地泰森多边形" in _legend(pg), name
                screenshot(pg, f"boundaries-kind-{name}")
        finally:
            context.close()
            store.engine.dispose()
