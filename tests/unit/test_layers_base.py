"""Base map, outline layer and escaping."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from layers.basemap import make_map
from layers.html import lines, text
from layers.outlines import FOCUS_STYLE, QUIET_STYLE, outline_features, outline_layer
from layers.registry import register

BOUNDS = (102.0, 29.5, 103.7, 30.4)


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["510131", "510132"], "name": ["蒲江县", "<script>alert(1)</script>"]},
        geometry=[box(103.4, 30.1, 103.6, 30.3), box(103.6, 30.1, 103.8, 30.3)],
        crs=4326,
    )


def test_text_escapes_markup_and_quotes() -> None:
    assert text('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert lines("a<b", None, "", "c") == "a&lt;b<br>c"


def test_outline_features_carry_only_what_is_shown_and_escape_names() -> None:
    fc = outline_features(_frame(), frozenset({"510131"}))
    props = [f["properties"] for f in fc["features"]]
    assert props[0] == {"code": "510131", "focus": True, "outside": False, "tip": "蒲江县"}
    assert props[1]["focus"] is False
    assert props[1]["tip"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_outline_layer_styles_focus_counties() -> None:
    m = make_map(BOUNDS)
    layer = outline_layer(_frame(), "counties", frozenset({"510131"}))
    register(m, "counties", layer)
    html = str(m.get_root().render())
    assert "<script>alert(1)</script>" not in html
    assert str(FOCUS_STYLE["color"]) in html and str(QUIET_STYLE["color"]) in html
    assert f'window.atlas.layers["counties"] = {layer.get_name()}' in html


def test_make_map_without_tiles_has_no_tile_layer_and_fits_bounds() -> None:
    m = make_map(BOUNDS)
    html = str(m.get_root().render())
    assert "L.tileLayer" not in html
    assert "fitBounds" in html and "[[29.5, 102.0], [30.4, 103.7]]" in html
    assert 'preferCanvas": true' in html


def test_osm_basemap_adds_tile_error_notice() -> None:
    m = make_map(BOUNDS, basemap="osm", tiles_unavailable_message="底图瓦片无法加载 <b>")
    html = str(m.get_root().render())
    assert "L.tileLayer" in html and "tileerror" in html
    # The notice is set with textContent from a JSON string: markup in it is not interpreted.
    assert 'textContent = "\\u5e95' in html or 'textContent = "底图' in html
