"""Pairing links: curved, directional arcs from the Chengdu unit to the Ganzi unit."""

from __future__ import annotations

import math
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from geo.atlas import Atlas
from geo.geometry import arc_between, arrow_head
from geo.i18n import Lang, t, total_text
from geo.periods import period_text, round_key
from geo.query import Total, pairing_totals, projects_by_pairing
from layers.html import STAMP_CLICK, text, text_marker
from layers.popups import project_items, source_line, unit_name
from layers.style import (
    ARC_BASE_WEIGHT,
    ARC_BEND,
    ARC_COLORS,
    ARC_MAX_EXTRA_WEIGHT,
    DIM_OPACITY,
    FAN_STEP,
    ROUND_COLORS,
)

BIND = folium.JsCode(
    """
function (feature, layer) {
  var p = feature.properties;
  // Tooltip and popup are stored once per pair, on its arc; its arrow head shows the same.
  function arcOf() {
    var group = window.atlas && window.atlas.layers && window.atlas.layers.pairs;
    var arc = null;
    if (group) {
      group.eachLayer(function (l) {
        var q = l.feature.properties;
        if (q.pairing_id === p.pairing_id && q.part === "arc") { arc = l; }
      });
    }
    return arc;
  }
  layer.bindTooltip(
    p.part === "arc" ? p.tip : function () {
      var arc = arcOf();
      return arc ? arc.feature.properties.tip : "";
    },
    {sticky: true, className: "atlas-tip"}
  );
"""
    + STAMP_CLICK
    + """  if (window.ATLAS_POPUPS !== false && p.popup) {
    layer.bindPopup(p.popup, {maxWidth: 440, className: "atlas-popup"});
  } else if (window.ATLAS_POPUPS !== false && p.part === "arrow") {
    layer.on("click", function (e) {
      var arc = arcOf();
      if (arc && arc.getPopup()) { arc.openPopup(e.latlng); }
    });
  }
}
"""
)


# Points per arc: a quadratic curve looks smooth with 24 at any zoom the atlas offers, and a
# province's 1,000 links cost half the bytes of 48.
ARC_POINTS = 24


def pair_totals(atlas: Atlas, key: str) -> dict[str, float]:
    """pairing_id -> total of one (measure, unit) key (``planted_area:亩``) over its projects'
    reported figures. Only one measure is ever added: the width compares like with like."""
    return {pid: total.quantity for pid, total in pairing_totals(atlas, key).items()}


def arc_features(
    atlas: Atlas,
    anchors: pd.DataFrame,
    lang: Lang,
    width_by: str | None = None,
    highlight_pairs: frozenset[str] | None = None,
    by_round: bool = False,
    popups: bool = True,
) -> dict[str, Any]:
    """One LineString (the arc) and one Polygon (its arrow head) per drawable pairing.

    Properties: pairing_id, level, round (a round key), part (arc|arrow), color, weight, dim,
    located (false when a village is drawn at its township), and on the arc only (its arrow
    head shows the same, stored once) tip, and popup when ``popups``. Coordinates are rounded
    to 5 decimals (about 1 m). Pairs with an end of unknown location are left out (and listed
    by :func:`undrawn_pairs`). ``by_round`` (the overview): colour by round, and fan the arcs
    that end at one partner so none hides another.
    """
    how = dict(zip(anchors["code"], anchors["how"], strict=True))
    position = {
        c: (x, y) for c, x, y in zip(anchors["code"], anchors["lon"], anchors["lat"], strict=True)
    }
    totals = pairing_totals(atlas, width_by) if width_by else {}
    top = max((x.quantity for x in totals.values()), default=0.0)
    fan = _fan(atlas.pairings) if by_round else {}
    dates = dict(zip(atlas.sources["source_id"], atlas.sources["date"], strict=True))
    features = []
    for _, p in atlas.pairings.iterrows():
        a, b = p["helper_code"], p["partner_code"]
        if a not in how or b not in how or "none" in (how[a], how[b]):
            continue
        bend = ARC_BEND[p["level"]] + fan.get(str(p["pairing_id"]), 0.0)
        line = arc_between(position[a], position[b], bend=bend, n=ARC_POINTS)
        located = "township" not in (how[a], how[b])
        weight = ARC_BASE_WEIGHT[p["level"]]
        if top > 0:
            total = totals.get(p["pairing_id"])
            weight += ARC_MAX_EXTRA_WEIGHT * math.sqrt((total.quantity if total else 0.0) / top)
        key = round_key(str(p.get("round", "")))
        props = {
            "pairing_id": p["pairing_id"],
            "level": p["level"],
            "round": key,
            "color": ROUND_COLORS[key] if by_round else ARC_COLORS[p["level"]],
            "weight": round(weight, 1),
            "located": located,
            "dim": highlight_pairs is not None and p["pairing_id"] not in highlight_pairs,
            "tip": _tip(atlas, p, lang, located, totals.get(p["pairing_id"]), dates),
        }
        popup = {"popup": _popup(atlas, p, lang, located, dates)} if popups else {}
        features.append(_feature({**props, "part": "arc", **popup}, line))
        arrow = {k: v for k, v in props.items() if k != "tip"}
        features.append(_feature({**arrow, "part": "arrow"}, arrow_head(line)))
    return {"type": "FeatureCollection", "features": features}


def _fan(pairings: pd.DataFrame) -> dict[str, float]:
    """pairing_id -> extra bend: the arcs ending at one partner spread symmetrically (the same
    two ends in three rounds give three arcs side by side, not one)."""
    out: dict[str, float] = {}
    for _, group in pairings.sort_values(["helper_code", "pairing_id"]).groupby("partner_code"):
        k = len(group)
        for i, pid in enumerate(group["pairing_id"]):
            out[str(pid)] = (i - (k - 1) / 2) * FAN_STEP
    return out


def undrawn_pairs(atlas: Atlas, anchors: pd.DataFrame) -> list[str]:
    """Pairings that cannot be drawn because an end has no known location."""
    none = set(anchors.loc[anchors["how"] == "none", "code"])
    p = atlas.pairings
    return list(p.loc[p["helper_code"].isin(none) | p["partner_code"].isin(none), "pairing_id"])


def _feature(props: dict[str, Any], geom: shapely.geometry.base.BaseGeometry) -> dict[str, Any]:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, 5))
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(rounded)}


def _pair_title(atlas: Atlas, p: pd.Series, lang: Lang) -> str:
    return (
        f"{unit_name(atlas, p['helper_code'], lang)} → {unit_name(atlas, p['partner_code'], lang)}"
    )


def _tip(
    atlas: Atlas,
    p: pd.Series,
    lang: Lang,
    located: bool,
    total: Total | None,
    dates: dict[str, str],
) -> str:
    relation = p["relation_zh"] if lang == "zh" else p["relation_en"]
    if p.get("round", "") or p.get("period_kind", ""):
        since = f" · {period_text(p, dates.get(p['source_id'], ''), lang)}"
    else:
        since = f" · {p['start_date']}" if p["start_date"] else ""
    lines = [f"<b>{text(_pair_title(atlas, p, lang))}</b>", text(f"{relation}{since}")]
    if not located:
        lines.append(f"<i>{text(t('village_at_township', lang))}</i>")
    if total is not None:
        lines.append(text(total_text(total, lang)))
    return "<br>".join(lines)


def _popup(atlas: Atlas, p: pd.Series, lang: Lang, located: bool, dates: dict[str, str]) -> str:
    projects = projects_by_pairing(atlas).get(str(p["pairing_id"]), atlas.projects.iloc[:0])
    relation = p["relation_zh"] if lang == "zh" else p["relation_en"]
    since = f"{t('since', lang)} {p['start_date']}" if p["start_date"] else t("undated", lang)
    if p.get("round", "") or p.get("period_kind", ""):
        since = period_text(p, dates.get(p["source_id"], ""), lang)
    note = "" if located else f"<p class='atlas-unknown'>{text(t('village_at_township', lang))}</p>"
    return (
        f"<div class='atlas-popup-body' data-pairing='{text(p['pairing_id'])}'>"
        f"<h4>{text(_pair_title(atlas, p, lang))}</h4>"
        f"<p>{text(relation)} · {text(since)}</p>"
        f"<blockquote>{text(p['quote'])}</blockquote>{note}"
        f"<h5>{text(t('projects', lang))}</h5>{project_items(atlas, projects, lang)}"
        f"{source_line(atlas, {p['source_id'], *projects['source_id']}, lang)}</div>"
    )


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    opacity = DIM_OPACITY if p["dim"] else 0.9
    if p["part"] == "arrow":
        return {
            "color": p["color"],
            "weight": 1,
            "fillColor": p["color"],
            "fillOpacity": opacity,
            "opacity": opacity,
        }
    return {
        "color": p["color"],
        "weight": p["weight"],
        "opacity": opacity,
        "dashArray": None if p["located"] else "8 6",
        "lineCap": "round",
    }


def arc_layer(
    atlas: Atlas,
    anchors: pd.DataFrame,
    lang: Lang,
    width_by: str | None = None,
    highlight_pairs: frozenset[str] | None = None,
    by_round: bool = False,
    popups: bool = True,
) -> folium.GeoJson:
    return folium.GeoJson(
        arc_features(atlas, anchors, lang, width_by, highlight_pairs, by_round, popups),
        name=t("layer_pairs", lang),
        style_function=_style,
        highlight_function=lambda _: {"opacity": 1.0},
        on_each_feature=BIND,
    )


def arc_label_layer(
    atlas: Atlas, anchors: pd.DataFrame, lang: Lang, label_px: int = 13
) -> folium.FeatureGroup:
    """The level of each drawn link written at its middle ("县级结对" / "County pair").

    For print: the levels differ by colour on screen, which a black-and-white copy loses; the
    words keep them apart. Not decluttered (every link keeps its word)."""
    group = folium.FeatureGroup(name="arc_labels", control=False)
    for feature in arc_features(atlas, anchors, lang, popups=False)["features"]:
        props = feature["properties"]
        if props["part"] != "arc":
            continue
        middle = shapely.geometry.shape(feature["geometry"]).interpolate(0.5, normalized=True)
        label = text(t(f"level_{props['level']}", lang))
        text_marker(
            middle.y,
            middle.x,
            f"<div class='atlas-arc-label' data-arc-of='{text(props['pairing_id'])}' "
            f"style='font-size:{label_px}px'>{label}</div>",
        ).add_to(group)
    return group
