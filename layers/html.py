"""Escaped HTML for tooltips, popups and labels. All text from data passes through here."""

from __future__ import annotations

from html import escape

import folium

# The click handler every clickable layer binds (townships, outlines, links), inside its
# ``function (feature, layer) {...}``. A new properties object per click, stamped with a new
# click_id: st_folium sends a value only when it differs from the last one sent, which holds
# the properties object of the last click; stamping that same object would make a repeat
# click look unchanged (not sent, lost). See ui/selection.py.
STAMP_CLICK = """  layer.on("click", function () {
    var f = layer.feature;
    f.properties = Object.assign({}, f.properties, {
      click_id: Date.now() + "-" + Math.random().toString(36).slice(2)
    });
  });
"""


def text(value: object) -> str:
    """``value`` as HTML text: ``<script>`` shows as characters, quotes cannot end an attribute."""
    return escape("" if value is None else str(value), quote=True)


def lines(*parts: object) -> str:
    """Escaped parts joined by line breaks; empty parts are skipped."""
    return "<br>".join(text(p) for p in parts if p not in (None, ""))


def text_marker(lat: float, lon: float, inner_html: str) -> folium.Marker:
    """A permanent, non-interactive text label at (lat, lon). ``inner_html`` is our markup
    with every data value already escaped by :func:`text`. Sized and centred by CSS."""
    return folium.Marker(
        [lat, lon],
        icon=folium.DivIcon(
            html=inner_html,
            icon_size=(0, 0),
            icon_anchor=(0, 0),
            class_name="atlas-label-icon",
        ),
        interactive=False,
    )
