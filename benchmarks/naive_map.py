"""The benchmark's naive baseline map: built the way a Folium tutorial builds it.

``folium.Map(location, zoom_start)``, a raw ``folium.GeoJson`` of the township areas as loaded
(unsimplified) and of the county outlines, each with a ``GeoJsonTooltip`` of the name, one
``folium.PolyLine`` per pairing between its two ends' anchor points, and the assets made local
(``layers.assets.localize``, as the product does: no CDN). Pure: no Streamlit here; the page
that shows it is ``benchmarks/naive_app.py``.
"""

from __future__ import annotations

import folium
import pandas as pd

from geo.atlas import Atlas
from layers.assets import localize
from layers.vendor import STATIC_URL_PREFIX


def naive_map(shown: Atlas, counties: object, anchors: pd.DataFrame) -> folium.Map:
    """The tutorial's map of ``shown`` (the filtered atlas) over ``counties`` (a GeoDataFrame
    with code, name, geometry), linking pairs between ``anchors`` (code, lon, lat)."""
    areas = shown.areas.merge(shown.units[["code", "name_zh"]], on="code", how="left").rename(
        columns={"name_zh": "name"}
    )
    areas["name"] = areas["name"].fillna(areas["code"])
    bounds = areas.total_bounds if len(areas) else counties.total_bounds  # type: ignore[attr-defined]
    location = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2]
    # No basemap tiles: the page's default basemap is "none" (offline), so both maps draw the
    # same layers and neither waits for (or fails on) tile servers.
    m = folium.Map(location=location, zoom_start=9, tiles=None)
    folium.GeoJson(
        counties[["code", "name", "geometry"]],  # type: ignore[index]
        name="counties",
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
    ).add_to(m)
    if len(areas):
        folium.GeoJson(
            areas[["code", "name", "geometry"]],
            name="townships",
            tooltip=folium.GeoJsonTooltip(fields=["name"]),
        ).add_to(m)
    where = {
        str(c): (float(lat), float(lon))
        for c, lon, lat in zip(anchors["code"], anchors["lon"], anchors["lat"], strict=True)
    }
    for pid, a, b, rel in zip(
        shown.pairings["pairing_id"],
        shown.pairings["helper_code"],
        shown.pairings["partner_code"],
        shown.pairings["relation_zh"],
        strict=True,
    ):
        if a in where and b in where:
            folium.PolyLine([where[a], where[b]], tooltip=f"{pid} {rel}").add_to(m)
    return localize(m, STATIC_URL_PREFIX)
