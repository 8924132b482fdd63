"""Map behaviours that make a click land on what is under the pointer, at any window size.

Leaflet's keyboard handler focuses the map container on the first mouse-down. In Streamlit the
map sits in an iframe that is often partly below the fold, and ``focus()`` scrolls the parent
page to bring the iframe into view *between* mouse-down and mouse-up: the click then lands
~100 px lower, on another township or on nothing. Focusing with ``preventScroll`` keeps the
page still, so the click selects what was under the pointer when the button went down.

Labels are ``DivIcon`` markers; Leaflet makes every marker a keyboard tab stop. Our labels do
nothing on activation, so they are taken out of the tab order (and hidden from screen readers,
which read the same names from the areas' tooltips and the side panel).
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class StableFocus(MacroElement):
    """Focus the map on mouse-down without scrolling any ancestor page; labels not tab stops."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var kb = map.keyboard;
  if (kb && kb.enabled()) {
    kb.disable();
    kb._onMouseDown = function () {
      if (this._focused) { return; }
      try { this._map._container.focus({preventScroll: true}); }
      catch (e) { /* very old browsers: no focus rather than a jump */ }
    };
    kb.enable();
  }
  function untab() {
    map.getContainer().querySelectorAll(".atlas-label-icon").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
      el.setAttribute("aria-hidden", "true");
    });
  }
  map.on("layeradd zoomend", untab);
  setTimeout(untab, 0);
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StableFocus"
