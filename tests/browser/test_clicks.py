"""Every click lands on what is under the pointer, at laptop, desktop and projector sizes.

The page is not scrolled to show the whole map first: as a user does, we scroll only as far
as needed to see the place, so the map stays partly below the fold (where a click used to land
~95 px lower, on another township or on nothing). Each township is clicked, its panel checked,
the selection cleared; one township is selected, cleared and selected again, twice, one click
each; every link is clicked and its panel must show that pair (both ends, the pair's projects
as the data has them). A repeat click on the same feature in the same map frame is sent anew.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest

from geo.atlas import load_atlas
from geo.detail import view_atlas
from tests.browser.helpers import MAP_IFRAME, clear_point_in, map_frame, open_sized, screenshot

SIZES = {"laptop": (1366, 768), "desktop": (1400, 900), "projector": (1920, 1080)}
PANEL_TITLE = '[data-testid="stMain"] h3'
CLEAR_LABEL = "✕ 清除选择"

# Clicks "clear" the moment a panel (its title and its clear button) is on the page, before
# the rest of the page is drawn; records the panel's title in window.__clearedPanel.
CLEAR_ON_SIGHT = """(label) => {
  window.__clearedPanel = null;
  const main = document.querySelector('[data-testid="stMain"]');
  const look = () => {
    const title = main.querySelector('h3');
    const button = [...main.querySelectorAll('button')].find(b => b.innerText.trim() === label);
    if (!title || !button) return;
    seen.disconnect();
    window.__clearedPanel = title.innerText;
    button.click();
  };
  const seen = new MutationObserver(look);
  seen.observe(main, {childList: true, subtree: true, characterData: true});
}"""

TO_PAGE = """([lat, lon]) => {
  const p = window.atlas.map.latLngToContainerPoint([lat, lon]);
  const r = window.atlas.map.getContainer().getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""

# A point on the pair's arc (middle half) as far as possible from every other feature of the
# pairs layer, so a click there hits this link and no other.
LINK_POINT = """(pid) => {
  const map = window.atlas.map;
  const all = window.atlas.layers.pairs.getLayers();
  const mine = all.filter(l => l.feature.properties.pairing_id === pid
                               && l.feature.properties.part === 'arc')[0];
  const pts = l => {
    const ll = l.getLatLngs();
    return (Array.isArray(ll[0]) ? ll.flat() : ll).map(x => map.latLngToContainerPoint(x));
  };
  const others = all.filter(l => l.feature.properties.pairing_id !== pid).flatMap(pts);
  const line = pts(mine);
  const size = map.getSize();
  let best = null, bestD = -1;
  for (let i = Math.floor(line.length * 0.25); i < Math.ceil(line.length * 0.75); i++) {
    const p = line[i];
    if (p.x < 60 || p.y < 20 || p.x > size.x - 20 || p.y > size.y - 20) continue;
    const d = Math.min(...others.map(o => o.distanceTo(p)));
    if (d > bestD) { bestD = d; best = p; }
  }
  const ll = map.containerPointToLatLng(best);
  return [ll.lat, ll.lng, bestD];
}"""


@functools.cache
def _towns() -> list[tuple[str, str, float, float]]:
    """(code, Chinese name, lon, lat) of every township drawn on the map."""
    atlas = load_atlas()
    names = dict(zip(atlas.units["code"], atlas.units["name_zh"], strict=True))
    out = []
    for code in sorted(atlas.areas["code"]):
        lon, lat = clear_point_in(code)
        out.append((code, names[code], lon, lat))
    return out


def _in_view(pg: Any, lat: float, lon: float) -> tuple[float, float]:
    """Page coordinates of (lat, lon); scrolls the page just enough to show the point (the map
    stays partly below the fold when it was)."""
    height = pg.viewport_size["height"]
    for _ in range(3):
        x, y = map_frame(pg).evaluate(TO_PAGE, [lat, lon])
        box = pg.locator(MAP_IFRAME).last.bounding_box()
        px, py = box["x"] + x, box["y"] + y
        if 30 <= py <= height - 30:
            return px, py
        pg.evaluate(
            "(dy) => document.querySelector('[data-testid=stMain]').scrollBy(0, dy)",
            py - (height - 60) if py > height - 30 else py - 60,
        )
        pg.wait_for_timeout(150)
    raise AssertionError(f"could not bring {lat},{lon} into view")


def _wait_title(pg: Any, expected: str, timeout_ms: int = 20_000) -> None:
    pg.locator(PANEL_TITLE, has_text=re.compile(f"^{re.escape(expected)}")).first.wait_for(
        timeout=timeout_ms
    )


def _clear(pg: Any) -> None:
    pg.get_by_role("button", name=CLEAR_LABEL).click()
    pg.locator(PANEL_TITLE).first.wait_for(state="detached", timeout=20_000)
    map_frame(pg)
    pg.wait_for_timeout(400)


def _settled(pg: Any) -> None:
    """Wait until the map frame stays the same document for a second. After a selection is
    cleared Streamlit may put back an earlier, identical map frame a moment later (the one of
    before the selection, when the clear came before the page was fully drawn: Streamlit
    keeps an element it replaced until the run ends); a person clicks once the map has
    visibly settled, so the test does too."""
    for _ in range(20):
        map_frame(pg).evaluate("() => { window.__atlasProbe = 1; }")
        pg.wait_for_timeout(1000)
        try:
            if map_frame(pg).evaluate("() => window.__atlasProbe === 1"):
                return
        except Exception:  # the frame was swapped while we looked: wait again
            continue
    raise AssertionError("the map frame kept changing")


def _map_below_fold(pg: Any) -> bool:
    box = pg.locator(MAP_IFRAME).last.bounding_box()
    return bool(box["y"] + box["height"] > pg.viewport_size["height"])


@pytest.mark.parametrize("size", list(SIZES))
def test_every_township_click_opens_its_own_panel(app_url: str, browser: Any, size: str) -> None:
    context, pg = open_sized(browser, app_url + "/", SIZES[size])
    try:
        if size != "projector":  # 1920x1080 shows the whole map; smaller screens do not
            assert _map_below_fold(pg), "the test must click with the map partly below the fold"
        wrong = []
        for code, name, lon, lat in _towns():
            px, py = _in_view(pg, lat, lon)
            pg.mouse.click(px, py)
            try:
                _wait_title(pg, name)
            except Exception:
                titles = pg.locator(PANEL_TITLE).all_inner_texts()
                wrong.append(f"{name} ({code}) at {px:.0f},{py:.0f} opened {titles}")
                screenshot(pg, f"click-wrong-{size}-{code}")
                if titles:
                    _clear(pg)
                continue
            _clear(pg)
        assert wrong == []
        # Selecting works again after clearing, on the same township, with ONE click each
        # time, the map settled first: select, clear, select, clear, select. Each clear is
        # clicked the moment the panel shows, while the page below it is still being drawn
        # (as on a busy server): Streamlit then puts the map frame of before the selection
        # back, where a repeat click on the township it last reported used to send nothing.
        code, name, lon, lat = _towns()[0]
        for attempt in range(3):
            _settled(pg)
            last = attempt == 2
            if not last:
                pg.evaluate(CLEAR_ON_SIGHT, CLEAR_LABEL)
            px, py = _in_view(pg, lat, lon)
            pg.mouse.click(px, py)
            try:
                if last:
                    _wait_title(pg, name)
                else:
                    pg.wait_for_function("() => window.__clearedPanel", timeout=20_000)
            except Exception:
                screenshot(pg, f"click-again-{size}-{attempt}")
                raise AssertionError(
                    f"click {attempt + 1} on {name} ({code}) at {px:.0f},{py:.0f} after "
                    "clearing opened no panel"
                ) from None
            if not last:
                opened = pg.evaluate("() => window.__clearedPanel")
                assert opened.startswith(name), (attempt, opened)
                pg.locator(PANEL_TITLE).first.wait_for(state="detached", timeout=20_000)
                map_frame(pg)
    finally:
        context.close()


# The map's sends to Streamlit are recorded instead of sent, so the page does not rerun and the
# same map frame takes every click.
RECORD_SENDS = """() => { window.__sent = [];
  window.Streamlit.setComponentValue = (v) => window.__sent.push(v); }"""
SENT = """() => window.__sent.map(v => (v.last_active_drawing || {}).properties || null)"""
DRILL_CENTRE = """(code) => { const l = window.atlas.layers.drill.getLayers()
  .find(l => l.feature.properties.code === code);
  const c = l.getBounds().getCenter(); return [c.lat, c.lng]; }"""


@pytest.mark.parametrize("target", ["township", "link", "county"])
def test_every_click_on_the_same_feature_is_reported_anew(
    app_url: str, browser: Any, target: str
) -> None:
    """st_folium sends a click only when its value differs from the last value it sent; the
    app acts on a click once per click_id. So every click, also a repeat click on the same
    feature in the same map frame (Streamlit may put an earlier frame back after a clear),
    must be sent, with a new click_id. Three clicks on one township, link or county (the
    overview's): three values sent, three click_ids."""
    overview = target == "county"
    context, pg = open_sized(
        browser, app_url + ("/?view=overview" if overview else "/"), SIZES["laptop"]
    )
    try:
        frame = map_frame(pg)
        if target == "township":
            expected, _, lon, lat = _towns()[0]
            key = "code"
        elif target == "link":
            key = "pairing_id"
            expected = str(view_atlas(load_atlas(), "detail").pairings["pairing_id"].iloc[0])
            lat, lon, _ = frame.evaluate(LINK_POINT, expected)
        else:
            key, expected = "code", "513322"
            lat, lon = frame.evaluate(DRILL_CENTRE, expected)
        frame.evaluate(RECORD_SENDS)
        for _ in range(3):
            pg.mouse.click(*_in_view(pg, lat, lon))
            pg.wait_for_timeout(700)  # st_folium sends 250 ms after a click
        sent = frame.evaluate(SENT)
        assert [p and p.get(key) for p in sent] == [expected] * 3, sent
        assert len({p["click_id"] for p in sent}) == 3, sent
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_link_click_shows_that_pair(app_url: str, browser: Any, size: str) -> None:
    # The links of the default (detail) view; the overview's county pairs: test_overview_pairs.
    atlas = view_atlas(load_atlas(), "detail")
    names = dict(zip(atlas.units["code"], atlas.units["name_zh"], strict=True))
    context, pg = open_sized(browser, app_url + "/", SIZES[size])
    try:
        for _, pair in atlas.pairings.iterrows():
            pid = pair["pairing_id"]
            lat, lon, clearance = map_frame(pg).evaluate(LINK_POINT, pid)
            assert clearance > 6, f"{pid}: no point of its link is clear of the others"
            # The explore view ships no popups (the panel is built on demand): the panel must
            # list exactly this pair's projects, as the data has them.
            own = atlas.projects[
                (atlas.projects["pairing_id"] == pid) & (atlas.projects["role"] == "pairing")
            ]
            pg.mouse.click(*_in_view(pg, lat, lon))
            title = f"{names[pair['helper_code']]} → {names[pair['partner_code']]}"
            _wait_title(pg, title)
            pg.wait_for_url(re.compile(f"pair={pid}"), timeout=15_000)
            # The panel's expanders (not those of the chart and the table below the map).
            panel = pg.locator('.st-key-atlas-map [data-testid="stExpander"] summary')
            panel_text = " ".join(panel.all_inner_texts())
            assert panel.count() == len(own), (pid, panel_text, list(own["title_zh"]))
            for t in own["title_zh"]:
                assert t in panel_text, (pid, t)
            screenshot(pg, f"click-link-{size}-{pid}")
            _clear(pg)
    finally:
        context.close()


def test_overview_click_inside_a_small_county_goes_down_to_it(app_url: str, browser: Any) -> None:
    """Pujiang is ~20 px wide in the overview and its county link starts at its centre: a click
    right on that start still goes down to the county."""
    context, pg = open_sized(browser, app_url + "/?view=overview", SIZES["laptop"])
    try:
        for code, name in (("510131", "蒲江县"), ("513322", "泸定县")):
            lat, lon = map_frame(pg).evaluate(
                """(code) => { const l = window.atlas.layers.drill.getLayers()
                     .find(l => l.feature.properties.code === code);
                     const c = l.getBounds().getCenter(); return [c.lat, c.lng]; }""",
                code,
            )
            pg.mouse.click(*_in_view(pg, lat, lon))
            _wait_title(pg, name)
            pg.wait_for_url(re.compile(f"/\\?unit={code}$"), timeout=15_000)
            pg.goto(app_url + "/?view=overview")
            pg.wait_for_selector(MAP_IFRAME, timeout=60_000)
            map_frame(pg)
            pg.wait_for_timeout(500)
    finally:
        context.close()
