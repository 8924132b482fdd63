"""Township areas shaded by project count, with escaped tooltips and popups, and labels."""

from __future__ import annotations

import re
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely.geometry
from branca.element import MacroElement
from jinja2 import Template

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.headline import not_published_text
from geo.i18n import Lang, t
from geo.query import (
    pairings_by_unit,
    partner_status,
    project_type_counts,
    projects_by_unit,
    records_by,
)
from layers.html import STAMP_CLICK, text
from layers.popups import project_items, source_line, unit_name
from layers.remote import remote_layer, script_json
from layers.style import (
    APPROX_EDGE,
    DIM_OPACITY,
    LABEL_PX,
    OFFICIAL_EDGE,
    SELECTED_EDGE,
    count_color,
)

BIND = folium.JsCode(
    """
function (feature, layer) {
  var p = feature.properties;
  layer.bindTooltip(p.tip, {sticky: true, className: "atlas-tip"});
"""
    + STAMP_CLICK
    + """  if (window.ATLAS_POPUPS !== false) {
    layer.bindPopup(p.popup, {maxWidth: 420, className: "atlas-popup"});
  }
}
"""
)


def partner_html(atlas: Atlas, code: str, lang: Lang) -> str:
    """Who this township pairs with, or a plain statement that it is not published."""
    rows = []
    mine = pairings_by_unit(atlas).get(code)
    by_id = records_by(atlas.pairings, "pairing_id")  # pairing_id is unique (geo.atlas)
    for pid in [] if mine is None else mine["pairing_id"].tolist():
        p = by_id[str(pid)][0]
        if p["level"] == "county":
            continue
        mine_helper = p["helper_code"].startswith(code[:9])
        other = p["partner_code"] if mine_helper else p["helper_code"]
        own = p["helper_code"] if mine_helper else p["partner_code"]
        level = t(f"level_{p['level']}", lang)
        own_part = f"{unit_name(atlas, own, lang)} → " if own != code else ""
        rows.append(
            f"<li>{text(own_part)}{text(unit_name(atlas, other, lang))}"
            f" <span class='atlas-when'>{text(level)} {text(p['start_date'])}</span></li>"
        )
    status = partner_status(atlas, code)
    note = ""
    if status == "not_published":
        note = f"<p class='atlas-unknown'>{text(not_published_text(atlas, code, lang))}</p>"
    elif status == "none" and not rows:
        note = f"<p class='atlas-unknown'>{text(t('partner_unknown', lang))}</p>"
    listed = f"<ul class='atlas-list'>{''.join(rows)}</ul>" if rows else ""
    return listed + note


def township_features(
    atlas: Atlas,
    areas: gpd.GeoDataFrame,
    lang: Lang,
    highlight: frozenset[str] | None = None,
    popups: bool = True,
    geometry: bool = True,
) -> dict[str, Any]:
    """GeoJSON of township areas with only what the layer shows (without ``geometry``, the
    properties alone, each feature's geometry None: the areas come from a file).

    Properties: code, count (pairing projects), fill, approximate, dim, selected, tip, and
    popup when ``popups`` (the app's explore view opens the side panel instead, built on
    demand for the one township clicked, so it ships none).
    ``highlight``: codes to keep bright (the selection and its partners); others are dimmed.
    Per-township facts come from one vectorised pass over the tables (geo.query), not from a
    query per feature.
    """
    features = []
    official = _official_sources(areas)
    counts = project_type_counts(atlas)
    type_names = {k: v[0 if lang == "zh" else 1] for k, v in PROJECT_TYPES.items()}
    by_unit = projects_by_unit(atlas) if popups else {}
    empty = atlas.projects.iloc[:0]
    sep = "、" if lang == "zh" else ", "
    approx_text = t("approximate_area", lang)
    count_text = t("projects_count", lang)
    for code, approximate, geom in zip(
        areas["code"], areas["approximate"], areas.geometry, strict=True
    ):
        row = counts.loc[code] if code in counts.index else None
        by_type = [] if row is None else [(k, int(v)) for k, v in row.items() if v > 0]
        by_type.sort(key=lambda kv: (-kv[1], list(PROJECT_TYPES).index(str(kv[0]))))
        n = sum(v for _, v in by_type)
        type_text = sep.join(f"{type_names[str(k)]} {v}" for k, v in by_type)
        name = unit_name(atlas, code, lang)
        approx = approx_text if approximate else ""
        tip = (
            f"<b>{text(name)}</b><br>{text(count_text.format(n=n))}"
            + (f"<br>{text(type_text)}" if type_text else "")
            + (f"<br><i>{text(approx)}</i>" if approx else "")
        )
        props = {
            "code": code,
            "count": n,
            "fill": count_color(n),
            "approximate": bool(approximate),
            "dim": highlight is not None and code not in highlight,
            "selected": highlight is not None and code in highlight,
            "tip": tip,
        }
        if popups:
            projects = by_unit.get(code, empty)
            props["popup"] = _popup(atlas, code, name, projects, approx, official, lang)
        shape = shapely.geometry.mapping(geom) if geometry else None
        features.append({"type": "Feature", "properties": props, "geometry": shape})
    return {"type": "FeatureCollection", "features": features}


def _popup(
    atlas: Atlas,
    code: str,
    name: str,
    projects: pd.DataFrame,
    approx: str,
    official: dict[str, str],
    lang: Lang,
) -> str:
    return (
        f"<div class='atlas-popup-body' data-code='{text(code)}'>"
        f"<h4>{text(name)}</h4>"
        f"<h5>{text(t('partners', lang))}</h5>{partner_html(atlas, code, lang)}"
        f"<h5>{text(t('projects', lang))}</h5>{project_items(atlas, projects, lang)}"
        + (source_line(atlas, set(projects["source_id"]), lang) if len(projects) else "")
        + (f"<p class='atlas-approx'>{text(approx)}</p>" if approx else "")
        + (
            f"<p class='atlas-official'>"
            f"{text(t('official_area', lang).format(source=official[code]))}</p>"
            if not approx and official.get(code)
            else ""
        )
        + "</div>"
    )


def _official_sources(areas: gpd.GeoDataFrame) -> dict[str, str]:
    """code -> "source date" of official areas (imported boundary files; none otherwise)."""
    if "source" not in areas.columns:
        return {}
    dates = areas["source_date"] if "source_date" in areas.columns else [""] * len(areas)
    return {
        str(c): f"{s} {d}".strip()
        for c, s, d in zip(areas["code"], areas["source"], dates, strict=True)
        if isinstance(s, str) and s
    }


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    edge = dict(APPROX_EDGE if p["approximate"] else OFFICIAL_EDGE)
    style = {
        **edge,
        "fillColor": p["fill"],
        "fillOpacity": 0.75 if not p["approximate"] else 0.6,
        "opacity": 1.0,
    }
    if p["dim"]:
        style.update(fillOpacity=DIM_OPACITY, opacity=DIM_OPACITY * 2)
    if p["selected"]:
        style.update(color=SELECTED_EDGE, weight=3.5, dashArray=None)
    return style


def township_layer(
    atlas: Atlas,
    areas: gpd.GeoDataFrame,
    lang: Lang,
    highlight: frozenset[str] | None = None,
    popups: bool = True,
    areas_url: str | None = None,
) -> folium.GeoJson:
    """The township areas, shaded and bound to tooltips, clicks (and popups).

    With ``areas_url`` (the app: geometry served once per data version from its own static
    files, see ui.mapview) the map script carries only each township's properties; the
    browser fetches the geometry, which it keeps in its HTTP cache, so a filter change sends
    a few hundred kilobytes instead of every outline again. Without it (exports, standalone
    HTML files) the geometry is in the script."""
    if areas_url is None:
        return folium.GeoJson(
            township_features(atlas, areas, lang, highlight, popups),
            name=t("layer_townships", lang),
            style_function=_style,
            highlight_function=lambda _: {"weight": 3, "color": SELECTED_EDGE},
            on_each_feature=BIND,
        )
    return remote_layer(
        township_features(atlas, areas, lang, highlight, popups, geometry=False),
        areas_url,
        _style,
        t("geometry_unavailable", lang),
        name=t("layer_townships", lang),
        highlight_function=lambda _: {"weight": 3, "color": SELECTED_EDGE},
        on_each_feature=BIND,
    )


# At most this many labels are placed at once (the highest priorities in view); the rest come
# when the user zooms in or pans to them. 4,000 DOM markers at province scale made the map slow
# to draw and every label decluttering pass quadratic.
MAX_LABELS_IN_VIEW = 300


class ZoomLabels(MacroElement):
    """Places the labels of its group that fall in the current view (with a margin), highest
    priority first and at most ``MAX_LABELS_IN_VIEW``, again after every move or zoom.
    The label texts are escaped in Python; the script only positions them."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var labels = {{ this.labels_json }};
  var limit = {{ this.limit }};
  function place() {
    var map = group._map;
    if (!map) { return; }
    var view = map.getBounds().pad(0.2);
    group.clearLayers();
    var placed = 0;
    for (var i = 0; i < labels.length && placed < limit; i++) {
      var at = L.latLng(labels[i][0], labels[i][1]);
      if (!view.contains(at)) { continue; }
      group.addLayer(L.marker(at, {
        icon: L.divIcon({html: labels[i][2], iconSize: [0, 0], iconAnchor: [0, 0],
                         className: "atlas-label-icon"}),
        interactive: false, keyboard: false
      }));
      placed++;
    }
    map.fire("atlas:labels");  // LabelDeclutter: hide the placed labels that collide
  }
  // Placed again after every move; the map forgets this group when it is taken off (a new
  // state of the map replaces it: layers.registry.StateReset).
  function attach() {
    var map = group._map;
    place();
    map.on("zoomend moveend", place);
    group.once("remove", function () { map.off("zoomend moveend", place); });
  }
  group.on("add", attach);
  if (group._map) { attach(); }
})();
{% endmacro %}
"""
    )

    def __init__(self, labels: list[tuple[float, float, str]], limit: int) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ZoomLabels"
        self.labels_json = script_json(labels)
        self.limit = limit


def label_layer(
    atlas: Atlas,
    points: pd.DataFrame,
    lang: Lang,
    name: str,
    css_class: str = "atlas-label",
    label_px: int = LABEL_PX,
    limit: int = MAX_LABELS_IN_VIEW,
) -> folium.FeatureGroup:
    """Permanent text labels at ``points`` (columns code, lon, lat, optional priority); escaped
    names. English township labels drop the kind word ("Datang", not "Datang Town") to fit.
    Labels are placed for the view: those in view, highest priority first, at most ``limit``
    (ZoomLabels); where placed labels collide, the one with the higher priority stays (see
    LabelDeclutter)."""
    group = folium.FeatureGroup(name=name, control=False)
    priority = points["priority"] if "priority" in points else pd.Series(0, index=points.index)
    order = sorted(
        zip(points["code"], points["lon"], points["lat"], priority, strict=True),
        key=lambda row: -float(row[3]),
    )
    labels = []
    for code, lon, lat, rank in order:
        name_shown = unit_name(atlas, code, lang)
        if lang == "en" and len(code) == 12:
            name_shown = re.sub(r" (Town|Township|Subdistrict|Village)$", "", name_shown)
        html = (
            f"<div class='{css_class}' data-priority='{int(rank)}' "
            f"style='font-size:{label_px}px'>{text(name_shown)}</div>"
        )
        labels.append((round(float(lat), 5), round(float(lon), 5), html))
    group.add_child(ZoomLabels(labels, limit))
    return group
