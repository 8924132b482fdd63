"""The app's views in a real browser: filter, shared link, tour, English, presentation."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import (
    MAP_IFRAME,
    clear_point_in,
    click_map_at,
    evaluate_in_map,
    map_frame,
    open_map,
    screenshot,
)

DRAWN_PAIRS = """
() => [...new Set(window.atlas.layers.pairs.getLayers()
  .filter(l => window.atlas.map.hasLayer(l))
  .map(l => l.feature.properties.pairing_id))].sort()
"""
BRIGHT_PAIRS = """
() => [...new Set(window.atlas.layers.pairs.getLayers()
  .filter(l => !l.feature.properties.dim)
  .map(l => l.feature.properties.pairing_id))].sort()
"""


def _metric(pg: Any, label: str) -> str:
    card = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return str(card.locator('[data-testid="stMetricValue"]').inner_text())


def _wait_metric(pg: Any, label: str, value: str) -> None:
    pg.locator('[data-testid="stMetric"]').filter(has_text=label).first.locator(
        '[data-testid="stMetricValue"]', has_text=re.compile(f"^{re.escape(value)}$")
    ).wait_for(timeout=30_000)


def test_choosing_a_type_changes_links_and_counts(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    open_map(pg, app_url + "/")
    screenshot(pg, "app-explore")
    assert _metric(pg, "帮扶项目") == "20"  # PR21 is a context row (a meeting inside 甘溪镇)
    assert evaluate_in_map(pg, DRAWN_PAIRS) == ["P01", "P02", "P03", "P04"]
    types = pg.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    types.get_by_role("button", name=re.compile("Clear", re.I)).first.click()
    types.locator("input").click()
    pg.get_by_role("option", name=re.compile("^电商")).click()
    pg.keyboard.press("Escape")
    _wait_metric(pg, "帮扶项目", "2")
    pg.wait_for_timeout(800)
    assert evaluate_in_map(pg, DRAWN_PAIRS) == ["P01", "P02"]
    assert "types=ecommerce" in pg.url
    screenshot(pg, "app-filtered")
    assert log.external() == [], log.external()


def test_a_link_with_filters_reopens_the_same_view(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    url = app_url + "/?types=training,party&level=township,village&unit=510131101000"
    open_map(pg, url)
    _wait_metric(pg, "帮扶项目", "1")
    assert _metric(pg, "结对") == "1"
    assert evaluate_in_map(pg, DRAWN_PAIRS) == ["P02"]
    assert pg.get_by_role("heading", name="大塘镇").first.is_visible()
    screenshot(pg, "app-unit-panel")
    # The URL the app keeps is the same view: open it afresh.
    pg.wait_for_url(re.compile(r"unit=510131101000"), timeout=30_000)
    kept = pg.url
    assert (
        "unit=510131101000" in kept and "types=training%2Cparty" in kept
    ) or "types=training,party" in kept
    pg.goto("about:blank")
    open_map(pg, kept)
    _wait_metric(pg, "帮扶项目", "1")
    assert evaluate_in_map(pg, DRAWN_PAIRS) == ["P02"]
    assert log.external() == []


def test_tour_steps_forward_and_back(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    open_map(pg, app_url + "/?mode=present")
    assert pg.get_by_text("第 1 / 4 对").is_visible()
    assert evaluate_in_map(pg, BRIGHT_PAIRS) == ["P01"]
    pg.get_by_role("button", name="下一对 ▶").click()
    pg.get_by_text("第 2 / 4 对").wait_for(timeout=30_000)
    pg.get_by_text("2019年大塘镇和磨西镇结对").first.wait_for()
    pg.wait_for_timeout(800)
    assert evaluate_in_map(pg, BRIGHT_PAIRS) == ["P02"]
    screenshot(pg, "app-present-step2")
    pg.get_by_role("button", name="◀ 上一对").click()
    pg.get_by_text("第 1 / 4 对").wait_for(timeout=30_000)
    pg.wait_for_timeout(800)
    assert evaluate_in_map(pg, BRIGHT_PAIRS) == ["P01"]
    assert log.external() == []


def test_lang_en_turns_the_page_english(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    open_map(pg, app_url + "/?lang=en")
    assert pg.get_by_role("heading", name="Chengdu–Ganzi Pairing Atlas").is_visible()
    # The page itself follows the language: tab title and <html lang>.
    pg.wait_for_function("document.documentElement.lang === 'en'", timeout=30_000)
    assert pg.title() == "Chengdu–Ganzi Pairing Atlas"
    sidebar = pg.locator('[data-testid="stSidebar"]').inner_text()
    for label in ("Basemap", "Project type", "Pairing level", "Clear filters"):
        assert label in sidebar
    frame = map_frame(pg)
    legend = frame.locator(".atlas-legend").inner_text()
    assert "Legend" in legend and "approximate" in legend
    labels = frame.evaluate(
        "() => [...document.querySelectorAll('.atlas-label')].map(e => e.textContent)"
    )
    assert "Datang" in labels and "Pujiang County" in labels
    # UI chrome is English: no Chinese outside data quotes and the language switch.
    chrome = (
        pg.locator('[data-testid="stSidebar"]').inner_text().replace("中文", "").replace("语言", "")
    )
    assert not re.search(r"[\u4e00-\u9fff]", chrome), chrome
    screenshot(pg, "app-english")
    assert log.external() == []


def test_present_mode_draws_offline_full_width(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    open_map(pg, app_url + "/?mode=present")
    assert not pg.locator('[data-testid="stSidebar"]').is_visible()
    pg.wait_for_timeout(800)
    box = pg.locator(MAP_IFRAME).last.bounding_box()
    # Full width, and down to the bottom of the window (900 px here): the map fills the screen.
    assert box["width"] > 1200 and 880 <= box["y"] + box["height"] <= 901
    frame = map_frame(pg)
    assert frame.locator(".atlas-page-fullscreen a").count() == 1
    size = frame.evaluate(
        "() => parseInt(getComputedStyle(document.querySelector('.atlas-label')).fontSize)"
    )
    assert size >= 18
    screenshot(pg, "app-present")
    assert log.external() == [], log.external()


def test_overview_of_both_prefectures_goes_down_to_a_county(
    app_url: str, page: tuple[Any, Any]
) -> None:
    pg, log = page
    open_map(pg, app_url + "/?view=overview")
    counties = evaluate_in_map(
        pg, "() => window.atlas.layers.counties.getLayers().map(l => l.feature.properties.code)"
    )
    assert len(counties) == 38
    # Issue 11: every stated county pair, one link per pair and round (31), not only P01.
    drawn = evaluate_in_map(pg, DRAWN_PAIRS)
    assert len(drawn) == 31 and "P01" in drawn and "wenjiang-seda-R1" in drawn
    assert evaluate_in_map(pg, "() => !window.atlas.layers.townships")
    screenshot(pg, "app-overview")
    # Click Luding where it is drawn: the app goes down to its townships.
    click_map_at(pg, *clear_point_in("513322", overview=True))
    pg.get_by_role("heading", name="泸定县").first.wait_for(timeout=30_000)
    pg.wait_for_url(re.compile(r"unit=513322"), timeout=30_000)
    assert "view=overview" not in pg.url
    assert log.external() == []
