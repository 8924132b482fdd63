"""Expose the map and its named layers as ``window.atlas`` in the page.

The map draws on a canvas (fast), so its shapes are not DOM nodes; ``window.atlas`` lets the
guided tour, the app's own scripts and the browser tests find layers by a stable name.

The state elements (StateReset, FitState, StateApplied) frame the part of the app's map that
follows the filters and the selection when it is sent to an existing map instead of a new
one (layers.compose.build_stable_map, issue 14): what the last state added to the map is
taken off before the next one is drawn, the view is fitted only when what it should show
changed, and ``window.atlas.state`` says which state the map shows.
"""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from jinja2 import Template


def map_name(element: Element) -> str:
    """The script name of the map ``element`` is on, through any groups between them (an
    element of a feature group sent apart from its map still draws on that map)."""
    node: Element | None = element._parent
    while node is not None and not isinstance(node, folium.Map):
        node = node._parent
    if node is None:
        raise ValueError(f"{type(element).__name__} is not on a map")
    return str(node.get_name())


class OnMap(MacroElement):
    """A script element that acts on the map it is on (``this.map_name()`` in its template)."""

    def map_name(self) -> str:
        return map_name(self)


# Each state's controls push a function that takes them off the map; StateReset runs them.
TEARDOWN = "(window.atlasTeardown = window.atlasTeardown || [])"


class LayerRegistry(OnMap):
    """Registers ``layer`` as ``window.atlas.layers[key]`` and the map as ``window.atlas.map``."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.atlas = window.atlas || {layers: {}};
window.atlas.map = {{ this.map_name() }};
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
  // After every move, and after labels are placed (ZoomLabels, which also listens to moves:
  // in a map whose state is sent apart it is added after this one) or a new state is drawn.
  map.on("zoomend moveend atlas:labels atlas:state", declutter);
  setTimeout(declutter, 0);
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LabelDeclutter"


class StateReset(OnMap):
    """First in a state: takes off the controls the previous state added and forgets its
    layers' names (streamlit-folium removes the previous state's layers itself)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  // streamlit-folium took the previous states off the map but keeps them in this list (it
  // adds this state to it after this script): forget them, or every state stays in memory.
  window.feature_group = [];
  var undo = window.atlasTeardown || [];
  window.atlasTeardown = [];
  undo.forEach(function (f) { try { f(); } catch (e) { console.error(e); } });
  window.atlas = window.atlas || {layers: {}};
  window.atlas.layers = {};
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StateReset"


class FitState(OnMap):
    """Fits the map to ``bounds`` (min lon, min lat, max lon, max lat) when they differ from the
    bounds it was last fitted to in this frame: a selection (or clearing it) moves the view;
    a filter change keeps the view the user panned and zoomed to."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this.map_name() }};
  var key = {{ this.key|tojson }};
  if (window.atlasFitted === key) { return; }
  window.atlasFitted = key;
  function fit() {
    map.invalidateSize(false);  // the frame may have just changed width (the panel opened)
    map.fitBounds({{ this.bounds|tojson }},
                  {animate: false, paddingBottomRight: {{ this.padding|tojson }}});
  }
  fit();
  // The page may resize the frame a moment after this state arrives: fit again then.
  var until = Date.now() + 1500;
  function again() {
    map.off("resize", again);
    if (Date.now() < until && window.atlasFitted === key) { fit(); }
  }
  map.on("resize", again);
})();
{% endmacro %}
"""
    )

    def __init__(
        self, bounds: tuple[float, float, float, float], padding: tuple[int, int] = (0, 0)
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FitState"
        minx, miny, maxx, maxy = bounds
        self.bounds = [[miny, minx], [maxy, maxx]]
        self.padding = list(padding)
        self.key = repr((self.bounds, self.padding))


class StateApplied(OnMap):
    """Last in a state: ``window.atlas.state = token`` (the page shows the same token, so a
    test or a tour knows the map shows the latest state) and an ``atlas:state`` event."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.atlas = window.atlas || {layers: {}};
window.atlas.state = {{ this.token|tojson }};
setTimeout(function () { {{ this.map_name() }}.fire("atlas:state"); }, 0);
{% endmacro %}
"""
    )

    def __init__(self, token: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StateApplied"
        self.token = token
