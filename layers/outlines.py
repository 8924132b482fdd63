"""Outline layers for administrative units (counties, prefectures) with escaped tooltips."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely.geometry

from geo.atlas import Atlas
from geo.i18n import Lang, in_lang, t
from layers.html import STAMP_CLICK, text
from layers.remote import remote_layer
from layers.style import OUTSIDE_STYLE, ZONE_STYLE

# The counties with township data (from the data), drawn stronger than other counties.
FOCUS_STYLE = {"color": "#b3261e", "weight": 3, "fillColor": "#f4c7c3", "fillOpacity": 0.35}
QUIET_STYLE = {"color": "#7a8793", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.15}

BIND_TOOLTIP = folium.JsCode(
    """
function (feature, layer) {
  if (feature.properties && feature.properties.tip) {
    layer.bindTooltip(feature.properties.tip, {sticky: true});
  }
"""
    + STAMP_CLICK
    + """}
"""
)


def outline_features(
    frame: gpd.GeoDataFrame,
    focus_codes: frozenset[str] = frozenset(),
    outside_codes: frozenset[str] = frozenset(),
    geometry: bool = True,
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of ``frame`` with only what the layer shows (without
    ``geometry``, each feature's geometry is None: it comes from a file, layers.remote).

    Properties per feature: ``code``, ``focus`` (bool), ``outside`` (bool: a source says its
    partner is outside Chengdu) and ``tip`` (escaped HTML name).
    """
    features = []
    for code, name, geom in zip(frame["code"], frame["name"], frame.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "focus": code in focus_codes,
                    "outside": code in outside_codes,
                    "tip": text(name),
                },
                "geometry": shapely.geometry.mapping(geom) if geometry else None,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    if props["focus"]:
        return dict(FOCUS_STYLE)
    return dict(OUTSIDE_STYLE if props.get("outside") else QUIET_STYLE)


def outline_layer(
    frame: gpd.GeoDataFrame,
    name: str,
    focus_codes: frozenset[str] = frozenset(),
    outside_codes: frozenset[str] = frozenset(),
    url: str | None = None,
    message: str = "",
) -> folium.GeoJson:
    """A GeoJson layer of unit outlines; ``focus_codes`` are drawn in the focus style, and
    ``outside_codes`` (partner outside Chengdu) shaded apart. With ``url`` the outlines come
    from that file (layers.remote) and ``message`` says so if it cannot be loaded."""
    if url is not None:
        return remote_layer(
            outline_features(frame, focus_codes, outside_codes, geometry=False),
            url,
            _style,
            message,
            name=name,
            on_each_feature=BIND_TOOLTIP,
        )
    return folium.GeoJson(
        outline_features(frame, focus_codes, outside_codes),
        name=name,
        style_function=_style,
        on_each_feature=BIND_TOOLTIP,
    )


DRILL_STYLE = {"color": "#b3261e", "weight": 0, "fillColor": "#ffffff", "fillOpacity": 0.01}


def drill_layer(frame: gpd.GeoDataFrame, lang: Lang) -> folium.GeoJson:
    """Invisible, clickable areas over the counties that have township detail (overview)."""
    hint = t("drill_hint", lang)
    features = outline_features(frame)
    for f in features["features"]:
        f["properties"]["tip"] = f"<b>{f['properties']['tip']}</b><br>{text(hint)}"
    return folium.GeoJson(
        features,
        name="drill",
        style_function=lambda _: dict(DRILL_STYLE),
        highlight_function=lambda _: {"weight": 3, "color": "#0d47a1"},
        on_each_feature=BIND_TOOLTIP,
        control=False,
    )


def zone_layer(atlas: Atlas, points: pd.DataFrame, lang: Lang) -> folium.GeoJson:
    """Functional zones (no outline in the data) as a dashed circle at their schematic point;
    the tooltip gives the zone's note (why a point, and that its place is schematic). A click
    selects the zone like a county."""
    notes = dict(zip(atlas.units["code"], atlas.units["note"], strict=True))
    names = dict(
        zip(atlas.units["code"], atlas.units["name_zh" if lang == "zh" else "name_en"], strict=True)
    )
    features = [
        {
            "type": "Feature",
            "properties": {
                "code": code,
                "tip": f"<b>{text(names.get(code, code))}</b><br>"
                f"{text(in_lang(str(notes.get(code, '')), lang))}",
            },
            "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
        }
        for code, x, y in zip(points["code"], points["lon"], points["lat"], strict=True)
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="zones",
        marker=folium.CircleMarker(**ZONE_STYLE),  # type: ignore[arg-type]
        on_each_feature=BIND_TOOLTIP,
        control=False,
    )
