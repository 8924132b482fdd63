"""Outline layers for administrative units (counties, prefectures) with escaped tooltips."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import shapely.geometry

from geo.i18n import Lang, t
from layers.html import text

# Pujiang and Luding: the pair the atlas is about, drawn stronger than other counties.
FOCUS_STYLE = {"color": "#b3261e", "weight": 3, "fillColor": "#f4c7c3", "fillOpacity": 0.35}
QUIET_STYLE = {"color": "#7a8793", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.15}

BIND_TOOLTIP = folium.JsCode(
    """
function (feature, layer) {
  if (feature.properties && feature.properties.tip) {
    layer.bindTooltip(feature.properties.tip, {sticky: true});
  }
  layer.on("click", function () {
    feature.properties.click_id = Date.now() + "-" + Math.random().toString(36).slice(2);
  });
}
"""
)


def outline_features(
    frame: gpd.GeoDataFrame, focus_codes: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of ``frame`` with only what the layer shows.

    Properties per feature: ``code``, ``focus`` (bool) and ``tip`` (escaped HTML name).
    """
    features = []
    for code, name, geom in zip(frame["code"], frame["name"], frame.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "focus": code in focus_codes, "tip": text(name)},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return dict(FOCUS_STYLE if feature["properties"]["focus"] else QUIET_STYLE)


def outline_layer(
    frame: gpd.GeoDataFrame, name: str, focus_codes: frozenset[str] = frozenset()
) -> folium.GeoJson:
    """A GeoJson layer of unit outlines; ``focus_codes`` are drawn in the focus style."""
    return folium.GeoJson(
        outline_features(frame, focus_codes),
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
