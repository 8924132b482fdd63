"""The atlas map in a real browser: areas, links, popups, offline; AMap alignment."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from geo.atlas import load_atlas
from geo.boundaries import load_boundaries
from geo.display import prepare_display
from geo.paths import COUNTIES_WGS84, RAW_DIR
from layers.compose import MapOptions, build_map
from tests.browser.helpers import (
    MAP_IFRAME,
    clear_point_in,
    click_map_at,
    evaluate_in_map,
    open_map,
    screenshot,
    switch_basemap_offline,
)

LAYER_CODES = """
(key) => window.atlas.layers[key].getLayers()
  .filter(l => window.atlas.map.hasLayer(l))
  .map(l => l.feature.properties.pairing_id || l.feature.properties.code)
"""


def test_townships_and_pair_links_drawn_and_clickable_offline(
    app_url: str, page: tuple[Any, Any]
) -> None:
    pg, log = page
    frame = open_map(pg, app_url + "/")
    towns = frame.evaluate(LAYER_CODES, "townships")
    assert len(towns) == 16 and "510131101000" in towns
    pairs = set(frame.evaluate(LAYER_CODES, "pairs"))
    assert {"P01", "P02", "P03", "P04"} <= pairs
    labels = frame.evaluate(
        "() => [...document.querySelectorAll('.atlas-label')].map(e => e.textContent)"
    )
    assert "大塘镇" in labels and "磨西镇" in labels and "泸定县" in labels
    legend = pg.frame_locator(MAP_IFRAME).last.locator(".atlas-legend")
    assert "近似" in legend.inner_text()

    # Click 大塘镇 where it is drawn: the side panel names its partner and its projects (in the
    # app a click selects; no popup is left open over the map).
    lon, lat = clear_point_in("510131101000")
    frame.evaluate(
        "([lat, lon]) => { window.atlas.map.setView([lat, lon], 12, {animate: false}); }",
        [lat, lon],
    )
    pg.wait_for_timeout(300)
    click_map_at(pg, lon, lat)
    main = pg.locator('[data-testid="stMain"]')
    main.locator("h3", has_text="大塘镇").wait_for(timeout=20_000)
    text = main.inner_text()
    assert "磨西镇" in text and "电子商务专题培训" in text
    assert pg.frame_locator(MAP_IFRAME).last.locator(".leaflet-popup").count() == 0
    screenshot(pg, "map-township-panel")
    assert log.external() == [], f"requests left localhost: {log.external()}"


def test_amap_draws_seat_within_10m_of_its_gcj02_position(
    app_url: str, page: tuple[Any, Any]
) -> None:
    pg, log = page
    open_map(pg, app_url + "/")
    # The map is redrawn in a new iframe; the AMap tiles fail (offline) and the page says so.
    switch_basemap_offline(pg, "高德地图（需联网，GCJ-02）", "autonavi.com")
    drawn = evaluate_in_map(
        pg,
        """() => window.atlas.layers.seats.getLayers()
             .filter(l => l.feature.properties.code === '510131101000')
             .map(l => [l.getLatLng().lng, l.getLatLng().lat])[0]""",
    )
    seats = pd.read_csv(RAW_DIR / "vonng-adcode" / "510131.csv", header=None, dtype={0: str})
    row = seats[seats[0] == "510131101000"].iloc[0]
    ref_lon, ref_lat = float(row[12]), float(row[13])  # AMap's own GCJ-02 point
    k = 111_320.0
    error = math.hypot(
        (drawn[0] - ref_lon) * k * math.cos(math.radians(ref_lat)), (drawn[1] - ref_lat) * k
    )
    assert error < 10.0, f"drawn {drawn}, AMap {ref_lon},{ref_lat}: {error:.1f} m"
    screenshot(pg, "map-amap-offline")
    assert [u for u in log.external() if "autonavi.com" not in u] == []


def test_offline_html_file_draws_with_every_request_blocked(browser: Any, tmp_path: Any) -> None:
    from ui.offline_html import standalone_html

    atlas = load_atlas()
    display = prepare_display(atlas, load_boundaries(COUNTIES_WGS84))
    path = tmp_path / "map.html"
    path.write_text(standalone_html(build_map(atlas, display, MapOptions())), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    pg = context.new_page()
    requested: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    pg.route("http*://**", lambda route: route.abort())  # a meeting room with no network
    pg.goto(path.as_uri())
    pg.wait_for_function("() => window.atlas && window.atlas.layers.pairs", timeout=20_000)
    drawn = pg.evaluate(
        "() => window.atlas.layers.pairs.getLayers().map(l => l.feature.properties.pairing_id)"
    )
    assert {"P01", "P02", "P03", "P04"} <= set(drawn)
    # In the file (no side panel), a click on 大塘镇 opens its popup: partner, projects, source.
    lon, lat = clear_point_in("510131101000")
    x, y = pg.evaluate(
        """([lat, lon]) => { window.atlas.map.setView([lat, lon], 12, {animate: false});
             const p = window.atlas.map.latLngToContainerPoint([lat, lon]);
             const r = window.atlas.map.getContainer().getBoundingClientRect();
             return [r.left + p.x, r.top + p.y]; }""",
        [lat, lon],
    )
    pg.mouse.click(x, y)
    popup = pg.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "大塘镇" in text and "磨西镇" in text
    assert "电子商务专题培训" in text and "10余次" in text and "四川三农新闻网" in text
    assert [u for u in requested if u.startswith("http")] == []
    screenshot(pg, "offline-html-file")
    context.close()
