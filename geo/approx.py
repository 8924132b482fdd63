"""Approximate township areas: Voronoi cells around township seats, clipped to the county.

Official township polygons for these counties are not openly available. Each county's seats
are split into Voronoi cells computed in UTM zone 48N (metres, so cells are not stretched by
longitude), clipped to the real county outline, and returned in WGS84 with a precision grid of
1e-6° (~0.1 m) that keeps shared borders identical: neighbouring cells never gap or overlap.
A township with no seat point gets no cell; its territory falls into its neighbours' cells,
which is one more reason every such area is flagged ``approximate``.

Clipping a Voronoi cell to a winding county outline can leave a detached piece of the cell
(大塘镇 had a 0.14 km² sliver on the far side of a neighbour). A township area is one piece: the
piece that holds the seat stays, every detached piece goes to the neighbouring cell it shares
the longest border with (so the county stays covered, with no gap and no overlap).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point

METHOD = "voronoi-seats-clipped-to-county-utm48n"
METRIC_CRS = 32648  # WGS 84 / UTM zone 48N covers 102°E-108°E: both counties with township data
GRID = 1e-6


def voronoi_areas(seats: pd.DataFrame, counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One approximate polygon per township that has a seat point.

    ``seats``: columns code, county_code, seat_lon, seat_lat (WGS84; rows with no point are
    skipped). ``counties``: columns code, geometry (WGS84). Returns columns code, county_code,
    approximate (True), method, geometry; sorted by code.
    """
    located = seats.dropna(subset=["seat_lon", "seat_lat"])
    rows = []
    for county_code, group in located.groupby("county_code", sort=True):
        outline = counties.loc[counties["code"] == county_code].to_crs(METRIC_CRS).union_all()
        points = gpd.GeoSeries(
            [Point(xy) for xy in zip(group["seat_lon"], group["seat_lat"], strict=True)], crs=4326
        ).to_crs(METRIC_CRS)
        cells = shapely.voronoi_polygons(
            MultiPoint(list(points)), extend_to=outline.buffer(10_000)
        ).geoms
        clipped = {}
        for code, point in zip(group["code"], points, strict=True):
            cell = next(c for c in cells if c.contains(point))
            clipped[code] = (point, cell.intersection(outline))
        for code, geom in merge_detached_parts(clipped).items():
            rows.append((code, county_code, geom))
    frame = gpd.GeoDataFrame(
        {
            "code": [r[0] for r in rows],
            "county_code": [r[1] for r in rows],
            "approximate": True,
            "method": METHOD,
        },
        geometry=[r[2] for r in rows],
        crs=METRIC_CRS,
    ).to_crs(4326)
    frame["geometry"] = shapely.set_precision(frame.geometry.values, GRID)
    return frame.sort_values("code").reset_index(drop=True)


def merge_detached_parts(
    cells: dict[str, tuple[Point, shapely.Geometry]],
) -> dict[str, shapely.Geometry]:
    """code -> one polygon: each cell keeps the part holding its seat; every other part joins
    the neighbouring cell with which it shares the longest border (kept where it was if it
    touches no other cell). Deterministic: codes and parts are visited in a fixed order."""
    kept: dict[str, shapely.Geometry] = {}
    loose: list[tuple[str, shapely.Geometry]] = []
    for code in sorted(cells):
        point, geom = cells[code]
        parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
        home = next((p for p in parts if p.intersects(point)), parts[0])
        kept[code] = home
        loose += [(code, p) for p in parts if p is not home]
    for owner, part in loose:
        border = {
            code: part.boundary.intersection(geom.boundary).length
            for code, geom in kept.items()
            if code != owner
        }
        best = max(sorted(border), key=lambda c: border[c], default=None)
        target = best if best is not None and border[best] > 0 else owner
        kept[target] = shapely.union(kept[target], part)
    return kept
