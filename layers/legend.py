"""The legend and the attribution: part of the map itself, so exports and screenshots keep them."""

from __future__ import annotations

import folium
from jinja2 import Template

from geo.columns import ROUND_KEYS
from geo.i18n import Lang, measure_label, t
from geo.periods import round_label
from geo.query import split_measure_key
from layers.html import text
from layers.registry import TEARDOWN, OnMap
from layers.style import ARC_COLORS, COUNT_CLASSES, OUTSIDE_STYLE, ROUND_COLORS


class HtmlControl(OnMap):
    """A Leaflet control at ``position`` holding ``html`` (already escaped by the caller)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var box = L.control({position: {{ this.position|tojson }}});
  box.onAdd = function () {
    var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  box.addTo({{ this.map_name() }});
  {{ teardown }}.push(function () { box.remove(); });
})();
{% endmacro %}
""".replace("{{ teardown }}", TEARDOWN)
    )

    def __init__(
        self, html: str, position: str = "bottomright", css_class: str = "atlas-legend"
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class Attribution(OnMap):
    """Adds ``text`` (plain, escaped here) to the map's attribution control."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this.map_name() }}, html = {{ this.html|tojson }};
  map.attributionControl.addAttribution(html);
  {{ teardown }}.push(function () { map.attributionControl.removeAttribution(html); });
})();
{% endmacro %}
""".replace("{{ teardown }}", TEARDOWN)
    )

    def __init__(self, plain: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Attribution"
        self.html = text(plain)


def legend_html(
    lang: Lang,
    approximate: bool,
    undrawn: list[str],
    width_by: str | None,
    townships: bool = True,
    folded: bool = False,
    overview: bool = False,
    zones: bool = False,
    outside: bool = False,
    official: tuple[list[str], list[str]] | None = None,
) -> str:
    """Escaped legend: link levels (the overview: rounds), shading classes, approximation note,
    missing locations, the zones drawn as points, the counties paired outside Chengdu.
    ``folded``: starts closed (one click on its title opens it). ``official``: (names of the
    townships still approximate, sources) when some township boundaries are official: the
    note then says which areas are approximate and where the official ones come from."""
    rows = [f"<summary class='atlas-legend-title'>{text(t('legend', lang))}</summary>"]
    if overview:
        rows.append(f"<div class='atlas-legend-sub'>{text(t('legend_rounds', lang))}</div>")
        for key in ROUND_KEYS:
            rows.append(
                f"<div data-round='{key}'><span class='atlas-swatch-line' "
                f"style='border-color:{ROUND_COLORS[key]}'></span>"
                f"{text(round_label(key, lang))}</div>"
            )
        if zones:
            rows.append(f"<div class='atlas-legend-zone'>{text(t('legend_zone', lang))}</div>")
        if outside:
            rows.append(
                f"<div><span class='atlas-swatch' style='background:{OUTSIDE_STYLE['fillColor']}'>"
                f"</span>{text(t('legend_outside', lang))}</div>"
            )
        rows.append(f"<div class='atlas-legend-note'>{text(t('legend_no_detail', lang))}</div>")
    else:
        for level, color in ARC_COLORS.items():
            rows.append(
                f"<div><span class='atlas-swatch-line' style='border-color:{color}'></span>"
                f"{text(t(f'level_{level}', lang))}</div>"
            )
        rows.append(
            "<div><span class='atlas-swatch-line' "
            "style='border-color:#1565c0;border-top-style:dashed'>"
            f"</span>{text(t('legend_village_dashed', lang))}</div>"
        )
    if width_by:
        measure, unit = split_measure_key(width_by)
        label = t("legend_width_by", lang).format(measure=measure_label(measure, unit, lang))
        rows.append(f"<div>{text(label)}</div>")
    if townships:
        rows.append(f"<div class='atlas-legend-sub'>{text(t('legend_counts', lang))}</div>")
        for low, high, color in COUNT_CLASSES:
            label = f"{low}" if low == high else (f"{low}–{high}" if high < 10_000 else f"≥ {low}")
            rows.append(
                f"<div><span class='atlas-swatch' style='background:{color}'></span>{label}</div>"
            )
    if official is not None:
        approx_names, sources = official
        sep = "、" if lang == "zh" else ", "
        if sources:
            note = t("legend_official", lang).format(sources="; ".join(sources))
            rows.append(f"<div class='atlas-legend-note atlas-legend-official'>{text(note)}</div>")
        if approx_names:
            note = t("legend_approximate_some", lang).format(names=sep.join(approx_names))
            rows.append(f"<div class='atlas-legend-note'>{text(note)}</div>")
    elif approximate:
        rows.append(f"<div class='atlas-legend-note'>{text(t('legend_approximate', lang))}</div>")
    for name in undrawn:
        rows.append(f"<div class='atlas-legend-note'>{text(name)}</div>")
    return ("<details>" if folded else "<details open>") + "".join(rows) + "</details>"


def add_legend(
    m: folium.Map,
    lang: Lang,
    approximate: bool,
    undrawn: list[str],
    width_by: str | None,
    attribution: str,
    townships: bool = True,
    folded: bool = False,
    overview: bool = False,
    zones: bool = False,
    outside: bool = False,
    official: tuple[list[str], list[str]] | None = None,
) -> None:
    html = legend_html(
        lang, approximate, undrawn, width_by, townships, folded, overview, zones, outside, official
    )
    # The overview's legend is taller (rounds, zone, shading) and Chengdu sits at the lower
    # right of both prefectures: it goes top right, over the empty north-east, so it never
    # covers Chengdu's districts or the small counties a user clicks there.
    m.add_child(HtmlControl(html, position="topright" if overview else "bottomright"))
    m.add_child(Attribution(attribution))
