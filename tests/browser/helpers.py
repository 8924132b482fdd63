"""Shared steps for browser tests: open a view, wait for the Leaflet map, read window.atlas."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(page: Any, url: str, timeout_ms: int = 60_000) -> Any:
    """Open ``url``; wait until the map iframe has registered its layers; return the frame."""
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    page.frame_locator(MAP_IFRAME).last.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    return map_frame(page, timeout_ms)


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def map_frame(page: Any, timeout_ms: int = 30_000) -> Any:
    """The current map iframe's frame, once its layers are registered and it shows the state
    the page asks for (the explore view's map stays and takes each new state: ui.mapview).
    Streamlit may replace the iframe after a rerun, so call this again after any interaction
    that reruns the app."""
    deadline = timeout_ms
    while True:
        handles = page.query_selector_all(MAP_IFRAME)
        frame = handles[-1].content_frame() if handles else None
        try:
            if (
                frame is not None
                and frame.evaluate(
                    "() => !!(window.atlas && window.atlas.map && window.atlas.layers.pairs)"
                    " && !(window.atlas.pending > 0)",  # township areas fetched (RemoteAreas)
                )
                and frame.evaluate("() => window.atlas.state || null") in page_states(page)
            ):
                return frame
        except Exception:  # the frame was detached while we looked: look again
            pass
        if deadline <= 0:
            raise AssertionError("the map iframe did not settle")
        page.wait_for_timeout(250)
        deadline -= 250


def page_states(page: Any) -> list[str | None]:
    """The map states the page asks for (ui.mapview's token; one per map); [None] when the
    page has none (presentation draws a whole map per step, and its frame has no token)."""
    tokens = page.evaluate(
        "() => [...document.querySelectorAll('.atlas-map-state')].map(e => e.dataset.state)"
    )
    return list(tokens) or [None]


def evaluate_in_map(page: Any, script: str, arg: Any = None, tries: int = 4) -> Any:
    """Evaluate ``script`` in the map frame, retrying if Streamlit swapped the iframe."""
    for attempt in range(tries):
        try:
            return map_frame(page).evaluate(script, arg)
        except Exception:
            if attempt == tries - 1:
                raise
            page.wait_for_timeout(500)
    return None


def clear_point_in(code: str, overview: bool = False) -> tuple[float, float]:
    """(lon, lat) well inside the unit's drawn area (a township, or a county in the overview)
    and at least ~1 km from every pairing link, so a click there hits the area itself."""
    import shapely
    from shapely.geometry import shape

    from geo.atlas import AtlasPaths, counties_path, load_atlas
    from geo.boundaries import load_boundaries
    from geo.detail import view_atlas
    from geo.display import prepare_display
    from layers.arcs import arc_features

    atlas = load_atlas()
    display = prepare_display(atlas, load_boundaries(counties_path(AtlasPaths())))
    frame = display.counties if overview else display.areas
    area = frame.set_index("code").loc[code, "geometry"]
    # The links the view draws: the overview's county pairs (fanned), or the detail view's.
    shown = view_atlas(atlas, "overview" if overview else "detail")
    drawn = arc_features(shown, display.anchors, "zh", by_round=overview)
    links = [shape(f["geometry"]) for f in drawn["features"]]
    free = area.difference(shapely.union_all(links).buffer(0.02 if overview else 0.01))
    centre = shapely.get_point(shapely.maximum_inscribed_circle(free, 0.0005), 0)
    return centre.x, centre.y


def click_map_at(page: Any, lon: float, lat: float) -> None:
    """A real mouse click where (lon, lat) is drawn on the current map."""
    page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    x, y = evaluate_in_map(
        page,
        """([lat, lon]) => {
          const p = window.atlas.map.latLngToContainerPoint([lat, lon]);
          const r = window.atlas.map.getContainer().getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }""",
        [lat, lon],
    )
    box = page.locator(MAP_IFRAME).last.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def switch_basemap_offline(page: Any, radio_label: str, tile_host: str) -> str:
    """Fail every tile request to ``tile_host`` (no internet), choose the basemap by its radio
    label, and wait until the redrawn map says tiles are unavailable; return that notice."""
    page.route(f"**/*.{tile_host}/**", lambda route: route.abort())
    page.get_by_text(radio_label).click()
    notice = page.frame_locator(MAP_IFRAME).last.locator(".atlas-tile-notice")
    notice.wait_for(timeout=30_000)
    return str(notice.inner_text())


def open_sized(
    browser: Any, url: str, size: tuple[int, int], mobile: bool = False
) -> tuple[Any, Any]:
    """A new context of ``size`` (a phone when ``mobile``) on ``url``, once the map is drawn;
    returns (context, page): close the context when done."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]},
        locale="zh-CN",
        is_mobile=mobile,
        has_touch=mobile,
    )
    pg = context.new_page()
    pg.goto(url)
    pg.wait_for_selector(MAP_IFRAME, timeout=60_000)
    map_frame(pg)
    pg.wait_for_timeout(800)
    return context, pg


def open_details(page: Any, title: str, content: str, timeout_ms: int = 30_000) -> Any:
    """Click the expander titled ``title`` below the map (the chart or the project table,
    filled only once open: ui.summary.render_details) with the mouse; the first element
    matching ``content`` inside it, once shown."""
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=title).first
    expander.scroll_into_view_if_needed()
    expander.locator("summary").click()
    found = expander.locator(content).first
    found.wait_for(state="visible", timeout=timeout_ms)
    return found
