"""The base map: canvas rendering, optional tile basemap, and a notice when tiles fail.

Basemaps: ``none`` (vector only; the default and what works offline), ``osm`` (OpenStreetMap,
WGS84), ``tianditu`` (天地图 vector + labels, CGCS2000 ≈ WGS84; needs a key) and ``amap``
(高德, GCJ-02: the caller must convert every data layer to GCJ-02, see ``needs_gcj02``).
"""

from __future__ import annotations

from typing import Literal

import folium
from branca.element import Element, MacroElement
from folium.map import FitBounds
from jinja2 import Template

Basemap = Literal["none", "osm", "tianditu", "amap"]
BASEMAPS: tuple[Basemap, ...] = ("none", "osm", "tianditu", "amap")

# Background of the vector-only map: a pale blue-grey so white-filled areas stand out on a
# projector, instead of an empty white page.
NO_TILES_BACKGROUND = "#e8eef3"

TIANDITU = "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s"
AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"


def needs_gcj02(basemap: Basemap) -> bool:
    """True when the basemap's tiles are in GCJ-02 (data layers must be shifted to match)."""
    return basemap == "amap"


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


def _tile_layers(basemap: Basemap, tianditu_key: str) -> list[folium.TileLayer]:
    if basemap == "osm":
        return [folium.TileLayer("OpenStreetMap", name="OpenStreetMap")]
    if basemap == "tianditu":
        if not tianditu_key:
            raise ValueError("the Tianditu basemap needs a key (TIANDITU_KEY)")
        attr = "© 天地图 Tianditu"
        return [
            folium.TileLayer(
                TIANDITU % ("vec", "vec", tianditu_key),
                attr=attr,
                name="天地图",
                subdomains="01234567",
                max_zoom=18,
            ),
            folium.TileLayer(
                TIANDITU % ("cva", "cva", tianditu_key),
                attr=attr,
                name="天地图注记",
                subdomains="01234567",
                overlay=True,
                max_zoom=18,
            ),
        ]
    if basemap == "amap":
        return [
            folium.TileLayer(
                AMAP, attr="© 高德地图 AMap", name="高德", subdomains="1234", max_zoom=18
            )
        ]
    return []


def make_map(
    bounds: tuple[float, float, float, float],
    basemap: Basemap = "none",
    tiles_unavailable_message: str = "",
    tianditu_key: str = "",
    css: str = "",
    padding_bottom_right: tuple[int, int] = (0, 0),
) -> folium.Map:
    """A Leaflet map fitted to ``bounds`` = (min lon, min lat, max lon, max lat), keeping
    ``padding_bottom_right`` pixels free (where the legend sits) when a selection is shown.

    ``basemap="none"`` draws vector layers only (works offline). With tiles, a failing tile
    shows ``tiles_unavailable_message`` on the map. ``css`` is added to the page head.
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
        zoom_snap=0.25,
    )
    head = m.get_root().header  # type: ignore[attr-defined]
    head.add_child(Element(f"<style>{MAP_CSS % {'bg': NO_TILES_BACKGROUND}}{css}</style>"))
    for tiles in _tile_layers(basemap, tianditu_key):
        tiles.add_to(m)
        m.add_child(TileErrorNotice(tiles, tiles_unavailable_message))
    fit = FitBounds(
        [[miny, minx], [maxy, maxx]],
        padding_bottom_right=padding_bottom_right if padding_bottom_right != (0, 0) else None,
    )
    # Not animated: the map is created at zoom 8 and a zoom animation to the fit would end a
    # quarter second later, over any view set meanwhile (the state's FitState, see
    # layers/registry.py).
    fit.options["animate"] = False
    m.add_child(fit)
    return m


MAP_CSS = """
.folium-map, .leaflet-container { background: %(bg)s; font-family: "Noto Sans CJK SC",
  "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.leaflet-control-attribution { white-space: normal; max-width: 70%%; font-size: 11px; }
.atlas-tile-notice { background: #fff8e1; border: 1px solid #c77700; color: #4a2c00;
  padding: 6px 10px; font-size: 14px; max-width: 320px; border-radius: 4px; }
.atlas-label { display: inline-block; width: max-content;
  transform: translate(-50%%, -50%%); white-space: nowrap; font-weight: 600;
  color: #212121; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.atlas-arc-label { display: inline-block; width: max-content; transform: translate(-50%%, -50%%);
  white-space: nowrap; background: #fff; border: 1px solid #212121; border-radius: 3px;
  padding: 0 4px; color: #000; font-weight: 600; pointer-events: none; }
.atlas-label-county { color: #7f1d1d; font-weight: 700; letter-spacing: 2px; }
.atlas-legend { background: rgba(255,255,255,0.94); padding: 8px 10px; border-radius: 6px;
  font-size: 12.5px; line-height: 1.5; max-width: 260px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.atlas-legend-title { font-weight: 700; margin-bottom: 2px; cursor: pointer; }
.atlas-legend-sub { margin-top: 4px; font-weight: 600; }
.atlas-legend-note { margin-top: 4px; color: #5d4037; font-size: 11.5px; }
.atlas-swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
  border: 1px solid #999; vertical-align: middle; }
.atlas-swatch-line { display: inline-block; width: 22px; margin-right: 6px; vertical-align: middle;
  border-top: 4px solid; }
.atlas-popup-body h4 { margin: 0 0 4px; font-size: 16px; }
.atlas-popup-body h5 { margin: 8px 0 2px; font-size: 13px; }
.atlas-popup-body blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #ccc;
  color: #444; font-size: 12px; }
.atlas-list { margin: 0; padding-left: 18px; max-height: 220px; overflow-y: auto; }
.atlas-type { background: #eceff1; border-radius: 3px; padding: 0 4px; font-size: 11px; }
.atlas-when { color: #666; font-size: 11px; }
.atlas-unknown { color: #8d6e63; font-style: italic; margin: 2px 0; }
.atlas-page-fullscreen a { display: flex; align-items: center; justify-content: center;
  width: 30px; height: 30px; }
.atlas-source, .atlas-approx { color: #555; font-size: 11px; margin: 6px 0 0; }
"""
