"""The walking skeleton in a real browser: map drawn offline with both county outlines."""

from __future__ import annotations

from typing import Any

from tests.browser.helpers import evaluate_in_map, open_map, screenshot, switch_basemap_offline

COUNTY_CODES_JS = """
() => {
  const layer = window.atlas.layers.focus;
  const map = window.atlas.map;
  return layer.getLayers()
    .filter(l => map.hasLayer(l)
                 && map.getBounds().intersects(l.getBounds()))
    .map(l => l.feature.properties.code).sort();
}
"""


def test_map_draws_both_counties_offline(app_url: str, page: tuple[Any, Any]) -> None:
    pg, log = page
    frame = open_map(pg, app_url + "/?lang=zh")
    assert frame.evaluate(COUNTY_CODES_JS) == ["510131", "513322"]
    # The canvas renderer painted something: it is in the map pane and has a size.
    size = frame.evaluate(
        "() => { const c = document.querySelector('.leaflet-overlay-pane canvas');"
        " return c ? [c.width, c.height] : null; }"
    )
    assert size is not None and size[0] > 100 and size[1] > 100
    assert pg.get_by_text("成都—甘孜对口帮扶地图").first.is_visible()
    pg.wait_for_timeout(500)
    screenshot(pg, "skeleton-offline")
    assert log.external() == [], f"requests left localhost: {log.external()}"


def test_osm_tiles_failing_still_shows_outlines_and_says_so(
    app_url: str, page: tuple[Any, Any]
) -> None:
    pg, log = page
    open_map(pg, app_url + "/?lang=zh")
    # No internet here or in a meeting room: every tile request fails at once.
    notice = switch_basemap_offline(pg, "OpenStreetMap（需联网）", "openstreetmap.org")
    assert "底图瓦片无法加载" in notice
    assert evaluate_in_map(pg, COUNTY_CODES_JS) == ["510131", "513322"]
    screenshot(pg, "skeleton-tiles-unavailable")
    tile_requests = [u for u in log.external() if "openstreetmap.org" in u]
    assert tile_requests, "the OSM layer should have tried to load tiles"
    assert [u for u in log.external() if "openstreetmap.org" not in u] == []
