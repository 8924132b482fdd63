"""The base map: canvas rendering, optional tile basemap, and a notice when tiles fail."""

from __future__ import annotations

from typing import Literal

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

Basemap = Literal["none", "osm"]
BASEMAPS: tuple[Basemap, ...] = ("none", "osm")

# Background of the vector-only map: a pale blue-grey so white-filled areas stand out on a
# projector, instead of an empty white page.
NO_TILES_BACKGROUND = "#e8eef3"


class TileErrorNotice(MacroElement):
    """Shows ``message`` in a box on the map the first time ``tile_layer`` fails to load a tile."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var shown = false;
  {{ this.tile_layer.get_name() }}.on("tileerror", function () {
    if (shown) { return; }
    shown = true;
    var box = L.control({position: "bottomleft"});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "atlas-tile-notice");
      div.setAttribute("role", "status");
      div.textContent = {{ this.message|tojson }};
      return div;
    };
    box.addTo({{ this._parent.get_name() }});
  });
})();
{% endmacro %}
"""
    )

    def __init__(self, tile_layer: folium.TileLayer, message: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "TileErrorNotice"
        self.tile_layer = tile_layer
        self.message = message


MAP_CSS = """
<style>
.folium-map, .leaflet-container { background: %(bg)s; }
.atlas-tile-notice { background: #fff8e1; border: 1px solid #c77700; color: #4a2c00;
  padding: 6px 10px; font-size: 14px; max-width: 320px; border-radius: 4px; }
</style>
"""


def make_map(
    bounds: tuple[float, float, float, float],
    basemap: Basemap = "none",
    tiles_unavailable_message: str = "",
) -> folium.Map:
    """A Leaflet map fitted to ``bounds`` = (min lon, min lat, max lon, max lat) in WGS84.

    ``basemap="none"`` draws vector layers only (works offline). With ``"osm"`` an OpenStreetMap
    tile layer is added, and ``tiles_unavailable_message`` is shown on the map if tiles fail.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")
    minx, miny, maxx, maxy = bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=8,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
    )
    m.get_root().header.add_child(  # type: ignore[attr-defined]
        Element(MAP_CSS % {"bg": NO_TILES_BACKGROUND})
    )
    if basemap == "osm":
        tiles = folium.TileLayer("OpenStreetMap", name="OpenStreetMap")
        tiles.add_to(m)
        m.add_child(TileErrorNotice(tiles, tiles_unavailable_message))
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m
