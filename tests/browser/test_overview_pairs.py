"""Issue 11 in a real browser: the overview draws one link per stated county pair, coloured by
round; the round filter changes them; clicking 色达县 shows both first-round partners with
their sources; clicking 泸定县 (a county with township data) goes down to its townships."""

from __future__ import annotations

import functools
import re
from typing import Any

import shapely

from geo.atlas import load_atlas
from geo.boundaries import load_boundaries
from geo.detail import view_atlas
from geo.display import prepare_display
from geo.paths import COUNTIES_WGS84
from layers.arcs import arc_features
from layers.style import ROUND_COLORS
from tests.browser.helpers import MAP_IFRAME, click_map_at, map_frame, open_sized, screenshot

LAPTOP = (1366, 768)
PANEL_TITLE = '[data-testid="stMain"] h3'

ARCS = """() => window.atlas.layers.pairs.getLayers()
  .filter(l => l.feature.properties.part === 'arc')
  .map(l => [l.feature.properties.pairing_id, l.feature.properties.round,
             l.options.color])"""


@functools.cache
def _overview() -> tuple[Any, Any]:
    atlas = load_atlas()
    return atlas, prepare_display(atlas, load_boundaries(COUNTIES_WGS84))


def _county_pairs() -> dict[str, str]:
    atlas, _ = _overview()
    county = view_atlas(atlas, "overview").pairings
    return {
        str(p): ("across" if r == "" else str(r))
        for p, r in zip(county["pairing_id"], county["round"], strict=True)
    }


def _free_point(code: str) -> tuple[float, float]:
    """(lon, lat) well inside the county and away from every overview link."""
    atlas, display = _overview()
    shown = view_atlas(atlas, "overview")
    links = [
        shapely.geometry.shape(f["geometry"])
        for f in arc_features(shown, display.anchors, "zh", by_round=True)["features"]
    ]
    area = display.counties.set_index("code").loc[code, "geometry"]
    free = area.difference(shapely.union_all(links).buffer(0.05))
    centre = shapely.get_point(shapely.maximum_inscribed_circle(free, 0.0005), 0)
    return centre.x, centre.y


def test_the_overview_draws_one_link_per_stated_pair_coloured_by_round(
    app_url: str, browser: Any
) -> None:
    expected = _county_pairs()
    assert len(expected) == 31
    context, pg = open_sized(browser, app_url + "/?view=overview", LAPTOP)
    try:
        arcs = map_frame(pg).evaluate(ARCS)
        assert sorted(a[0] for a in arcs) == sorted(expected)  # one link each, none twice
        for pid, key, color in arcs:
            assert key == expected[pid] and color == ROUND_COLORS[key], pid
        zone = map_frame(pg).evaluate(
            "() => window.atlas.layers.zones.getLayers().map(l => l.feature.properties.code)"
        )
        assert zone == ["CDGX"]
        legend = pg.frame_locator(MAP_IFRAME).last.locator(".atlas-legend").inner_text()
        assert "第一轮" in legend and "功能区" in legend and "成都以外" in legend
        screenshot(pg, "overview-pairs")
    finally:
        context.close()


def test_filtering_by_round_changes_the_links(app_url: str, browser: Any) -> None:
    expected = _county_pairs()
    first = sorted(p for p, r in expected.items() if r == "R1")
    context, pg = open_sized(browser, app_url + "/?view=overview&round=R1", LAPTOP)
    try:
        arcs = map_frame(pg).evaluate(ARCS)
        assert sorted(a[0] for a in arcs) == first and len(first) == 8
        # Choosing round 3 as well in the sidebar redraws the map with both rounds.
        rounds = pg.locator('[data-testid="stSidebar"] .st-key-rounds input')
        rounds.click()
        rounds.fill("第三轮")
        pg.keyboard.press("Enter")
        pg.keyboard.press("Escape")
        pg.wait_for_url(re.compile(r"round=R1%2CR3|round=R1,R3"), timeout=20_000)
        both = sorted(p for p, r in expected.items() if r in ("R1", "R3"))
        for _ in range(40):
            pg.wait_for_timeout(250)
            got = sorted(a[0] for a in map_frame(pg).evaluate(ARCS))
            if got == both:
                break
        assert got == both
    finally:
        context.close()


def test_clicking_seda_shows_both_first_round_partners_with_sources(
    app_url: str, browser: Any
) -> None:
    context, pg = open_sized(browser, app_url + "/?view=overview", LAPTOP)
    try:
        lon, lat = _free_point("513333")
        click_map_at(pg, lon, lat)
        pg.locator(PANEL_TITLE, has_text=re.compile("^色达县")).first.wait_for(timeout=20_000)
        pg.wait_for_url(re.compile(r"unit=513333"), timeout=15_000)
        first = pg.locator(".st-key-panel-round-R1")
        text = first.inner_text()
        assert "温江区 → 色达县" in text and "大邑县 → 色达县" in text
        assert "色达 援建方温江区 大邑县" in text and "四川日报" in text
        assert "该县没有乡镇数据" in pg.locator('[data-testid="stMain"]').inner_text()
        screenshot(pg, "overview-seda-panel")
    finally:
        context.close()


def test_clicking_luding_goes_down_to_its_townships(app_url: str, browser: Any) -> None:
    context, pg = open_sized(browser, app_url + "/?view=overview", LAPTOP)
    try:
        lon, lat = _free_point("513322")
        click_map_at(pg, lon, lat)
        pg.locator(PANEL_TITLE, has_text=re.compile("^泸定县")).first.wait_for(timeout=20_000)
        pg.wait_for_url(re.compile(r"/\?unit=513322$"), timeout=15_000)
        towns = map_frame(pg).evaluate("() => window.atlas.layers.townships.getLayers().length")
        assert towns >= 16  # the detail view: township areas drawn
    finally:
        context.close()
