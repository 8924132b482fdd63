"""Expose the map and its named layers as ``window.atlas`` in the page.

The map draws on a canvas (fast), so its shapes are not DOM nodes; ``window.atlas`` lets the
guided tour, the app's own scripts and the browser tests find layers by a stable name.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template


class LayerRegistry(MacroElement):
    """Registers ``layer`` as ``window.atlas.layers[key]`` and the map as ``window.atlas.map``."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.atlas = window.atlas || {layers: {}};
window.atlas.map = {{ this._parent.get_name() }};
window.atlas.layers[{{ this.key|tojson }}] = {{ this.layer.get_name() }};
{% endmacro %}
"""
    )

    def __init__(self, key: str, layer: folium.map.Layer) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LayerRegistry"
        self.key = key
        self.layer = layer


def register(m: folium.Map, key: str, layer: folium.map.Layer) -> None:
    """Add ``layer`` to ``m`` and register it under ``key``."""
    layer.add_to(m)
    m.add_child(LayerRegistry(key, layer))


class LabelDeclutter(MacroElement):
    """Hide labels that would overlap a label of higher priority, after every zoom or move.

    Keeps the map legible at any zoom: at the default view the busiest townships keep their
    names, and zooming in brings the others back.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  function declutter() {
    var labels = Array.prototype.slice.call(
      map.getContainer().querySelectorAll(".atlas-label"));
    labels.forEach(function (el) { el.style.visibility = "visible"; });
    labels.sort(function (a, b) {
      return (+b.dataset.priority || 0) - (+a.dataset.priority || 0);
    });
    var kept = [];
    labels.forEach(function (el) {
      var r = el.getBoundingClientRect();
      var hit = kept.some(function (k) {
        return !(r.right < k.left || r.left > k.right || r.bottom < k.top || r.top > k.bottom);
      });
      if (hit) { el.style.visibility = "hidden"; } else { kept.push(r); }
    });
  }
  map.on("zoomend moveend", declutter);
  setTimeout(declutter, 0);
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LabelDeclutter"
