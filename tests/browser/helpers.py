"""Shared steps for browser tests: open a view, wait for the Leaflet map, read window.atlas."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(page: Any, url: str, timeout_ms: int = 60_000) -> Any:
    """Open ``url``; wait until the map iframe has registered its layers; return the frame."""
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    handle = page.query_selector(MAP_IFRAME)
    content = handle.content_frame()
    content.wait_for_function(
        "() => window.atlas && window.atlas.map && Object.keys(window.atlas.layers).length > 0",
        timeout=timeout_ms,
    )
    return content


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
