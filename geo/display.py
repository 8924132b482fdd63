"""Geometry prepared for display once per data version (cache it): simplified as one coverage,
rounded to ~1 m, with the anchor point of every unit. WGS84."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from geo.atlas import Atlas
from geo.geometry import anchors, display_coverage

DEFAULT_TOLERANCE_M = 250.0


@dataclass(frozen=True)
class DisplayGeometry:
    counties: gpd.GeoDataFrame  # code, name, parent_code, geometry
    prefectures: gpd.GeoDataFrame  # code, geometry (union of its simplified counties)
    areas: gpd.GeoDataFrame  # code, approximate, method, geometry
    anchors: pd.DataFrame  # code, lon, lat, how


def prepare_display(
    atlas: Atlas, counties: gpd.GeoDataFrame, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> DisplayGeometry:
    """Simplify counties and township areas together; prefectures are unions of counties."""
    simple_counties, simple_areas = display_coverage(counties, atlas.areas, tolerance_m)
    prefectures = gpd.GeoDataFrame(
        [
            {"code": code, "geometry": shapely.union_all(group.geometry.values)}
            for code, group in simple_counties.groupby("parent_code", sort=True)
        ],
        geometry="geometry",
        crs=4326,
    )
    return DisplayGeometry(
        counties=simple_counties[["code", "name", "parent_code", "geometry"]],
        prefectures=prefectures,
        areas=simple_areas,
        anchors=anchors(atlas.units, atlas.areas, counties),
    )
