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
    """The current map iframe's frame, once its layers are registered. Streamlit may replace
    the iframe after a rerun, so call this again after any interaction that reruns the app."""
    deadline = timeout_ms
    while True:
        handles = page.query_selector_all(MAP_IFRAME)
        frame = handles[-1].content_frame() if handles else None
        try:
            if frame is not None and frame.evaluate(
                "() => !!(window.atlas && window.atlas.map && window.atlas.layers.pairs)"
            ):
                return frame
        except Exception:  # the frame was detached while we looked: look again
            pass
        if deadline <= 0:
            raise AssertionError("the map iframe did not settle")
        page.wait_for_timeout(250)
        deadline -= 250


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
