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
    """Focus the map on mouse-down without scrolling any ancestor page; labels not tab stops;
    the legend folded on a phone-sized map."""

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
  // A phone-sized map starts with the legend folded (one tap opens it): the map comes first;
  // again with each new state of the map (its legend is drawn anew: layers.registry).
  function fold() {
    var legend = map.getContainer().querySelector(".atlas-legend details");
    if (legend && map.getSize().x < 600) { legend.open = false; }
  }
  setTimeout(fold, 0);
  map.on("atlas:state", fold);
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StableFocus"


class PresentFit(MacroElement):
    """Presentation mode: the map fills the screen below the tour band at any screen size.

    The map runs in Streamlit's component iframe (same origin). On load, on every resize of
    the page and on entering or leaving full screen, the iframe and the map take the height
    from their top to the bottom of the window, and the map re-fits to the tour step. The
    full-screen button puts the *whole page* in full screen, so the tour band (previous /
    next / exit and the caption) stays visible. Arrow keys step the tour (left / right, also
    Page Up / Page Down as presentation clickers send) and Escape leaves full screen. Outside
    an iframe (the offline HTML file) only the map's own behaviour remains.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var bounds = {{ this.bounds|tojson }};
  var frame = null, pwin = null, pdoc = null;
  try {
    frame = window.frameElement; pwin = window.parent; pdoc = pwin.document;
  } catch (e) { return; }
  if (!frame || pwin === window) { return; }
  if (map.keyboard) { map.keyboard.disable(); }  // arrows step the tour, not pan the map
  function fit() {
    var main = pdoc.querySelector('[data-testid="stMain"]');
    var scrolled = main ? main.scrollTop : 0;
    var top = frame.getBoundingClientRect().top + scrolled;
    var h = Math.max(300, Math.floor(pwin.innerHeight - top - 8));
    frame.style.height = h + "px";
    frame.setAttribute("height", String(h));
    var c = map.getContainer();
    c.style.height = h + "px";
    document.documentElement.style.height = h + "px";
    document.body.style.height = h + "px";
    map.invalidateSize(false);
    map.fitBounds(bounds, {animate: false, paddingBottomRight: {{ this.padding|tojson }}});
    frame.dataset.atlasFit = String(h);
  }
  function click(key) {
    var b = pdoc.querySelector(".st-key-" + key + " button");
    if (b && !b.disabled) { b.click(); }
  }
  function onKey(ev) {
    if (ev.target && /INPUT|TEXTAREA|SELECT/.test(ev.target.tagName)) { return; }
    var step = {ArrowRight: "tour_next", PageDown: "tour_next",
                ArrowLeft: "tour_prev", PageUp: "tour_prev"}[ev.key];
    if (step) { click(step); ev.preventDefault(); }
  }
  // One listener per page, whichever map iframe is current (each rerun makes a new one).
  if (pwin.__atlasTourKeys) { pdoc.removeEventListener("keydown", pwin.__atlasTourKeys); }
  pwin.__atlasTourKeys = onKey;
  pdoc.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onKey);
  if (pwin.__atlasFit) { pwin.removeEventListener("resize", pwin.__atlasFit); }
  pwin.__atlasFit = fit;
  pwin.addEventListener("resize", fit);
  pdoc.addEventListener("fullscreenchange", function () { setTimeout(fit, 50); });
  // The band above the map may still change height after the map is drawn (fonts, the
  // caption): re-fit whenever the map's place on the page or the window changes.
  var placed = "";
  setInterval(function () {
    var now = Math.round(frame.getBoundingClientRect().top) + "x" + pwin.innerHeight;
    if (now !== placed) { placed = now; fit(); }
  }, 400);
  var ENTER_ICON = '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">' +
    '<path d="M2 7V2h5M11 2h5v5M16 11v5h-5M7 16H2v-5" fill="none" stroke="#111" ' +
    'stroke-width="2"/></svg>';
  var EXIT_ICON = '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">' +
    '<path d="M7 2v5H2M16 7h-5V2M11 16v-5h5M2 11h5v5" fill="none" stroke="#111" ' +
    'stroke-width="2"/></svg>';
  var Full = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var bar = L.DomUtil.create("div", "leaflet-bar atlas-page-fullscreen");
      var a = L.DomUtil.create("a", "", bar);
      a.href = "#"; a.setAttribute("role", "button");
      function label() {
        var on = !!pdoc.fullscreenElement;
        a.title = on ? {{ this.exit_label|tojson }} : {{ this.enter_label|tojson }};
        a.setAttribute("aria-label", a.title);
        a.innerHTML = on ? EXIT_ICON : ENTER_ICON;
      }
      label();
      pdoc.addEventListener("fullscreenchange", label);
      L.DomEvent.on(a, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        if (pdoc.fullscreenElement) { pdoc.exitFullscreen(); }
        else { pdoc.documentElement.requestFullscreen().catch(function () {}); }
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Full().addTo(map);
  setTimeout(fit, 0);
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        bounds: tuple[float, float, float, float],
        enter_label: str,
        exit_label: str,
        padding: tuple[int, int] = (0, 0),
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PresentFit"
        minx, miny, maxx, maxy = bounds
        self.bounds = [[miny, minx], [maxy, maxx]]
        self.enter_label = enter_label
        self.exit_label = exit_label
        self.padding = list(padding)


class PopupSwitch(MacroElement):
    """Whether clicking a township or a link opens its popup (set before the layers are made).

    In the app's explore view a click selects and the side panel shows the same content, so
    no popup: an open popup would outlive the click (Streamlit brings the same map frame back
    when the selection is cleared) and cover the place the user clicks next. The offline HTML
    file and the presentation keep popups: there they are the only way to read the details.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.ATLAS_POPUPS = {{ this.enabled|tojson }};
{% endmacro %}
"""
    )

    def __init__(self, enabled: bool) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PopupSwitch"
        self.enabled = enabled
