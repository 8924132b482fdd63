"""GeoJSON layers whose geometry the browser fetches once per data version (issue 14).

The map script carries, per feature code, the properties the layer shows and an index into a
short list of styles computed in Python by the layer's own style function; the geometry comes
from a content-named file (``geometry_file``) served by the app (ui.mapview), which the
browser keeps in its HTTP cache. A filter change or a selection re-sends the properties and
styles, never the outlines. Features of the file whose code has no properties are not drawn
(one counties file serves the counties layer and the focus outline).

While a file loads, ``window.atlas.pending`` counts it (exports and browser tests wait for 0).
If it cannot be loaded, the map says so in a bilingual notice instead of silently showing
nothing there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template


def script_json(value: object) -> str:
    """JSON to put inside a <script>: UTF-8 text as is (a Chinese character costs 3 bytes,
    not the 6 of a ``\\uXXXX`` escape), with ``<``, ``>``, ``&`` and the JavaScript line
    separators escaped so no value can close the script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def geometry_file(frame: gpd.GeoDataFrame, kind: str) -> tuple[str, bytes]:
    """(file name, bytes): a compact GeoJSON FeatureCollection of ``frame``'s code + geometry,
    named ``<kind>-<hash of the content>.json`` so a new data version gets a new name."""
    features = [
        {"type": "Feature", "properties": {"code": c}, "geometry": g.__geo_interface__}
        for c, g in zip(frame["code"], frame.geometry, strict=True)
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return f"{kind}-{hashlib.sha256(body).hexdigest()[:20]}.json", body


def remote_layer(
    collection: dict[str, Any],
    url: str,
    style_function: Callable[[dict[str, Any]], dict[str, Any]],
    message: str,
    **geojson_options: Any,
) -> folium.GeoJson:
    """A folium.GeoJson with no geometry in the script: ``collection``'s features (whose
    geometry is ignored) give each code its properties and style; the geometry comes from
    ``url``. ``geojson_options`` go to folium.GeoJson (name, highlight_function,
    on_each_feature, ...)."""
    styles: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    props: dict[str, dict[str, Any]] = {}
    for feature in collection["features"]:
        style = style_function(feature)
        key = json.dumps(style, sort_keys=True)
        if key not in index:
            index[key] = len(styles)
            styles.append(style)
        props[str(feature["properties"]["code"])] = {**feature["properties"], "_s": index[key]}
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": []},
        style_function=lambda _: styles[0] if styles else {},
        **geojson_options,
    )
    layer.add_child(RemoteGeometry(url, props, styles, message))
    return layer


class RemoteGeometry(MacroElement):
    """Fills its GeoJSON layer from ``url``; see the module's docstring."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var layer = {{ this._parent.get_name() }};
  var props = {{ this.props_json }};
  var styles = {{ this.styles_json }};
  layer.options.style = function (feature) { return styles[feature.properties._s]; };
  window.atlas = window.atlas || {layers: {}};
  window.atlas.pending = (window.atlas.pending || 0) + 1;
  // One parsed copy per file and page: the layers sharing a file, and the maps drawn again
  // after a filter change in the same frame, neither fetch nor parse it again.
  var files = window.atlasGeometryFiles = window.atlasGeometryFiles || {};
  var url = {{ this.url|tojson }};
  if (!files[url]) {
    files[url] = fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
    files[url].catch(function () { delete files[url]; });  // a later map tries again
  }
  files[url].then(function (collection) {
    var shown = [];
    collection.features.forEach(function (f) {
      if (Object.prototype.hasOwnProperty.call(props, f.properties.code)) {
        shown.push({type: "Feature", geometry: f.geometry, properties: props[f.properties.code]});
      }
    });
    layer.addData({type: "FeatureCollection", features: shown});
    // Drawn last, these shapes would cover what the map draws above them: bring the layers
    // registered after this one back to the front, in their order.
    var above = false;
    Object.keys(window.atlas.layers).forEach(function (key) {
      var other = window.atlas.layers[key];
      if (above && other && other._map === layer._map && other.bringToFront) {
        other.bringToFront();
      }
      if (other === layer) { above = true; }
    });
  }).catch(function (error) {
    var map = layer._map;
    if (map && !map.getContainer().querySelector(".atlas-areas-error")) {
      var box = L.DomUtil.create("div", "atlas-areas-error", map.getContainer());
      box.setAttribute("role", "alert");
      box.style.cssText = "position:absolute;top:10px;left:50%;transform:translateX(-50%);" +
        "z-index:1000;background:#fff3e0;border:1px solid #e65100;padding:6px 10px;" +
        "font-size:14px;max-width:80%";
      box.textContent = {{ this.message|tojson }};
    }
    console.error("map geometry not loaded", error);
  }).finally(function () {
    window.atlas.pending -= 1;
  });
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        url: str,
        props: dict[str, dict[str, Any]],
        styles: list[dict[str, Any]],
        message: str,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "RemoteGeometry"
        self.url = url
        self.props_json = script_json(props)
        self.styles_json = script_json(styles)
        self.message = message
