"""What presenters and phone users see: the map fits, controls stay reachable, labels never
overlap, the legend never covers the selection, play steps year by year, keyboard is honest.

Screenshots of every view at laptop, desktop, projector and phone size land in
test-artifacts/ (layout-*.png) for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import MAP_IFRAME, map_frame, open_sized, screenshot

SIZES = {
    "laptop": (1366, 768),
    "desktop": (1400, 900),
    "projector": (1920, 1080),
    "small-projector": (1280, 720),
}
PHONE = (390, 844)

# Boxes of the labels that are shown (declutter hides the ones that would collide).
LABEL_BOXES = """() => [...document.querySelectorAll('.atlas-label')]
  .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


# Labels are placed for the view (layers.townships.ZoomLabels): zoom in on a township (a
# county in the overview), where there are names to collide.
ZOOM_ON_A_UNIT = """(z) => {
  const l = window.atlas.layers.townships || window.atlas.layers.counties;
  const at = l.getLayers()[0].getBounds().getCenter();
  window.atlas.map.setView(at, z, {animate: false});
}"""


def _overlaps(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    out = []
    for i, (a, l1, t1, r1, b1) in enumerate(boxes):
        for b, l2, t2, r2, b2 in boxes[i + 1 :]:
            if l1 < r2 - 0.5 and l2 < r1 - 0.5 and t1 < b2 - 0.5 and t2 < b1 - 0.5:
                out.append((a, b))
    return out


def _zoom_levels(pg: Any) -> list[float]:
    z = float(map_frame(pg).evaluate("() => window.atlas.map.getZoom()"))
    return [z, z + 1, z + 2]


@pytest.mark.parametrize(
    "query", ["", "?view=overview", "?mode=present"], ids=["default", "overview", "present"]
)
def test_no_two_labels_overlap_at_any_zoom(app_url: str, browser: Any, query: str) -> None:
    context, pg = open_sized(browser, app_url + "/" + query, SIZES["laptop"])
    try:
        for zoom in _zoom_levels(pg):
            map_frame(pg).evaluate(ZOOM_ON_A_UNIT, zoom)
            pg.wait_for_timeout(400)
            boxes = map_frame(pg).evaluate(LABEL_BOXES)
            assert len(boxes) >= 2, f"too few labels shown at zoom {zoom}: {boxes}"
            assert _overlaps(boxes) == [], f"zoom {zoom}"
            # Labels are not keyboard stops that do nothing.
            tabbable = map_frame(pg).evaluate(
                """() => [...document.querySelectorAll('.atlas-label-icon')]
                     .filter(e => e.tabIndex >= 0).length"""
            )
            assert tabbable == 0
    finally:
        context.close()


@pytest.mark.parametrize("size", ["small-projector", "projector"])
@pytest.mark.parametrize("query", ["mode=present", "mode=present&types=none"])
def test_present_fits_the_screen_with_controls_in_and_out_of_full_screen(
    app_url: str, browser: Any, size: str, query: str
) -> None:
    width, height = SIZES[size]
    context, pg = open_sized(browser, f"{app_url}/?{query}", (width, height))
    try:

        def check(when: str) -> None:
            box = pg.locator(MAP_IFRAME).last.bounding_box()
            bottom = box["y"] + box["height"]
            # The whole map is on screen, and it uses the screen (no big blank below).
            assert bottom <= height + 1, f"{when}: map bottom {bottom} > {height}"
            assert bottom >= height - 40, f"{when}: {height - bottom:.0f} px blank below"
            for key in ("tour_prev", "tour_next", "exit_present"):
                button = pg.locator(f".st-key-{key} button").bounding_box()
                assert button and button["y"] >= 0 and button["y"] + button["height"] <= height
            if "types=none" not in query:
                # The step's subject (the county pair's link) is inside the map, clear of
                # the legend.
                inside = map_frame(pg).evaluate(
                    """() => { const m = window.atlas.map, s = m.getSize();
                      const legend = m.getContainer().querySelector('.atlas-legend')
                        .getBoundingClientRect();
                      const l = window.atlas.layers.pairs.getLayers().find(
                        x => x.feature.properties.pairing_id === 'P01'
                             && x.feature.properties.part === 'arc');
                      const b = l.getBounds();
                      const p1 = m.latLngToContainerPoint(b.getSouthWest());
                      const p2 = m.latLngToContainerPoint(b.getNorthEast());
                      const inMap = p1.x >= 0 && p2.x <= s.x && p2.y >= 0 && p1.y <= s.y;
                      const clear = p2.x <= legend.left || p2.y >= legend.bottom
                                    || p1.y <= legend.top || p1.x >= legend.right;
                      return [inMap, clear]; }"""
                )
                assert inside == [True, True], when

        check("window")
        screenshot(pg, f"layout-present-{size}-{'empty' if 'none' in query else 'tour'}")
        if "types=none" in query:
            assert "没有可导览的结对" in pg.locator('[data-testid="stMain"]').inner_text()
            assert pg.locator(".st-key-tour_next button").is_disabled()
        else:
            pg.keyboard.press("ArrowRight")
            pg.get_by_text(re.compile(r"第 2 / \d+ 对")).first.wait_for(timeout=20_000)
        button = pg.frame_locator(MAP_IFRAME).last.locator(".atlas-page-fullscreen a")
        # The step's map may still be drawing (its shapes arrive after its script), and the
        # previous step's frame may still be the last one for a moment (a tour step is a new
        # map): wait for the control's icon in the current frame, then require exactly one
        # (an icon, not a glyph the font may lack).
        button.locator("svg").first.wait_for(timeout=20_000)
        assert button.locator("svg").count() == 1
        button.click()
        pg.wait_for_function("() => !!document.fullscreenElement", timeout=10_000)
        pg.wait_for_timeout(800)
        check("full screen")
        if "types=none" not in query:
            pg.keyboard.press("ArrowLeft")
            pg.get_by_text(re.compile(r"第 1 / \d+ 对")).first.wait_for(timeout=20_000)
            map_frame(pg)
            pg.wait_for_timeout(800)
            assert pg.evaluate("() => !!document.fullscreenElement")
            check("full screen, after a step")
        # Exit is always there, and leads back to the explore view with its sidebar.
        pg.locator(".st-key-exit_present button").click()
        pg.locator('[data-testid="stSidebar"]').get_by_text("演示模式").wait_for(timeout=20_000)
    finally:
        context.close()


def test_selected_unit_is_never_under_the_legend(app_url: str, browser: Any) -> None:
    for size in ("laptop", "desktop"):
        for code in ("513322103000", "510131106000", "513322100000"):
            context, pg = open_sized(browser, f"{app_url}/?unit={code}", SIZES[size])
            try:
                clear = map_frame(pg).evaluate(
                    """(code) => { const m = window.atlas.map;
                      const legend = m.getContainer().querySelector('.atlas-legend')
                        .getBoundingClientRect();
                      const l = window.atlas.layers.townships.getLayers()
                        .find(x => x.feature.properties.code === code);
                      const b = l.getBounds();
                      const sw = m.latLngToContainerPoint(b.getSouthWest());
                      const ne = m.latLngToContainerPoint(b.getNorthEast());
                      return ne.x <= legend.left || sw.y <= legend.top; }""",
                    code,
                )
                assert clear, (size, code)
                folded = map_frame(pg).evaluate(
                    "() => !document.querySelector('.atlas-legend details').open"
                )
                assert folded, "with a selection the legend starts folded, out of the way"
            finally:
                context.close()


def test_play_steps_year_by_year_and_pauses(app_url: str, browser: Any) -> None:
    context, pg = open_sized(browser, app_url + "/", SIZES["desktop"])
    try:
        thumbs = pg.locator('[data-testid="stSidebar"] [data-testid="stSliderThumbValue"]')
        pg.get_by_role("button", name="▶ 按年播放").click()
        seen: list[str] = []
        for _ in range(120):
            values = thumbs.all_inner_texts()
            if len(values) == 2 and values[0] == values[1] and (not seen or seen[-1] != values[0]):
                seen.append(values[0])
            if seen and seen[-1] == "2020" and pg.get_by_role("button", name="▶ 按年播放").count():
                break
            pg.wait_for_timeout(250)
        assert seen == ["2017", "2018", "2019", "2020"], seen
        # Pause: the year on screen stays.
        pg.get_by_role("button", name="▶ 按年播放").click()
        pg.get_by_role("button", name="■ 暂停").wait_for(timeout=20_000)
        pg.get_by_role("button", name="■ 暂停").click()
        pg.get_by_role("button", name="▶ 按年播放").wait_for(timeout=20_000)
        held = thumbs.all_inner_texts()
        pg.wait_for_timeout(4000)
        assert thumbs.all_inner_texts() == held and held[0] == held[1] and held[0] != "2020"
    finally:
        context.close()


def test_phone_shows_the_map_on_the_first_screen(app_url: str, browser: Any) -> None:
    context, pg = open_sized(browser, app_url + "/", PHONE, mobile=True)
    try:
        box = pg.locator(MAP_IFRAME).last.bounding_box()
        assert box["y"] < PHONE[1] * 0.3, f"map starts at {box['y']}"
        assert box["y"] + box["height"] * 0.6 <= PHONE[1]
        legend_open = map_frame(pg).evaluate(
            "() => document.querySelector('.atlas-legend details').open"
        )
        assert legend_open is False
        sizes = map_frame(pg).evaluate(
            """() => [...document.querySelectorAll('.atlas-label')]
                 .map(e => parseFloat(getComputedStyle(e).fontSize))"""
        )
        assert sizes and min(sizes) >= 12
        screenshot(pg, "layout-phone")
    finally:
        context.close()


@pytest.mark.parametrize("size", ["laptop", "desktop", "projector"])
@pytest.mark.parametrize(
    "query",
    ["", "?view=overview", "?unit=510131101000", "?pair=P04", "?lang=en"],
    ids=["default", "overview", "unit", "pair", "english"],
)
def test_screenshots_of_every_view(app_url: str, browser: Any, size: str, query: str) -> None:
    context, pg = open_sized(browser, app_url + "/" + query, SIZES[size])
    try:
        assert map_frame(pg).evaluate("() => window.atlas.layers.pairs.getLayers().length") > 0
        name = query.strip("?").replace("=", "-").replace("&", "_") or "default"
        screenshot(pg, f"layout-{name}-{size}")
    finally:
        context.close()
