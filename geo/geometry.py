"""Geometry for display: pairing arcs, arrow heads, anchor points, coverage simplification.

All inputs and outputs are WGS84 lon/lat. Shapes that must look right on a web map (arcs,
arrows) are computed in a local equirectangular frame (longitude scaled by cos(latitude)), so an
arc bends the same way whatever its direction.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon

DISPLAY_GRID = 1e-5  # degrees, about 1 m: more precision than any screen shows
METRES_PER_DEGREE = 111_320.0


def arc_between(
    start: tuple[float, float], end: tuple[float, float], bend: float = 0.2, n: int = 48
) -> LineString:
    """A quadratic Bézier curve from ``start`` to ``end`` (lon, lat), bowed to the left of the
    direction of travel by ``bend`` × the chord length (negative bends to the right)."""
    lat0 = math.radians((start[1] + end[1]) / 2)
    k = math.cos(lat0)
    x0, y0 = start[0] * k, start[1]
    x1, y1 = end[0] * k, end[1]
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bend, (y0 + y1) / 2 + dx * bend
    t = np.linspace(0.0, 1.0, n)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return LineString(np.column_stack([xs / k, ys]))


def arrow_head(line: LineString, length_fraction: float = 0.035, min_deg: float = 0.008) -> Polygon:
    """A small triangle at the end of ``line`` pointing along its last stretch (the direction
    of help: from the Chengdu side to the Ganzi side)."""
    coords = np.asarray(line.coords)
    tip = coords[-1]
    lat0 = math.radians(tip[1])
    k = math.cos(lat0)
    back = coords[max(0, len(coords) - 4)]
    vx, vy = (tip[0] - back[0]) * k, tip[1] - back[1]
    norm = math.hypot(vx, vy) or 1.0
    ux, uy = vx / norm, vy / norm
    chord = math.hypot((coords[-1][0] - coords[0][0]) * k, coords[-1][1] - coords[0][1])
    size = max(chord * length_fraction, min_deg)
    bx, by = tip[0] * k - ux * size, tip[1] - uy * size
    half = size * 0.45
    left = ((bx - uy * half) / k, by + ux * half)
    right = ((bx + uy * half) / k, by - ux * half)
    return Polygon([tuple(tip), left, right])


def display_coverage(
    counties: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, tolerance_m: float
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Simplify counties and township areas together as one coverage, so that no two
    neighbours gap or overlap after simplification, and snap to a ~1 m grid.

    Township areas replace their county in the coverage; the county's outline is then the
    union of its simplified areas (when they cover it). Counties bordering the areas first get
    the areas' border vertices inserted (GEOS snap), so the shared edges match vertex for
    vertex. ``tolerance_m``: about the side of the largest triangle removed, in metres.
    Returns (counties, areas) with their other columns unchanged.
    """
    tolerance = tolerance_m / METRES_PER_DEGREE
    cells = areas.geometry.values
    area_county = areas["code"].str[:6]
    covered = {
        code
        for code, geom in zip(counties["code"], counties.geometry, strict=True)
        if (area_county == code).any()
        and abs(shapely.union_all(cells[(area_county == code).to_numpy()]).area - geom.area)
        < geom.area * 1e-6
    }
    others = counties[~counties["code"].isin(covered)]
    # The areas' border linework, to snap the other counties to; not built when every county
    # is covered by its areas (nothing to snap: at province size it took ~3 s of each load).
    border = shapely.union_all(shapely.boundary(cells)) if len(cells) and len(others) else None
    snapped = [
        shapely.snap(g, border, 2 * 1e-6) if border is not None and g.distance(border) < 1e-4 else g
        for g in others.geometry.values
    ]
    pieces = np.array([*snapped, *cells], dtype=object)
    simple = shapely.set_precision(shapely.coverage_simplify(pieces, tolerance), DISPLAY_GRID)
    out_areas = areas.copy()
    out_areas["geometry"] = simple[len(snapped) :]
    by_code = dict(zip(others["code"], simple[: len(snapped)], strict=True))
    for code in covered:
        by_code[code] = shapely.union_all(
            out_areas.geometry.values[(area_county == code).to_numpy()]
        )
    out_counties = counties.copy()
    out_counties["geometry"] = [by_code[c] for c in counties["code"]]
    return out_counties, out_areas


def anchors(
    units: pd.DataFrame, areas: gpd.GeoDataFrame, counties: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Where each unit is drawn as a point: columns code, lon, lat, how.

    how = ``seat`` (a township's seat point), ``area`` (a point inside its approximate area),
    ``township`` (a village with no location of its own, drawn at its township), ``county``
    (a point inside the county outline), ``zone`` (a functional zone's schematic point) or
    ``none`` (no location known: not drawn).
    """
    seat: dict[str, dict[str, object]] = units.set_index("code")[
        ["seat_lon", "seat_lat", "level", "parent_code"]
    ].to_dict("index")  # type: ignore[assignment]
    area_points = dict(zip(areas["code"], areas.geometry.representative_point(), strict=True))
    county_points = dict(
        zip(counties["code"], counties.geometry.representative_point(), strict=True)
    )
    rows = []

    def locate(code: str) -> tuple[float, float, str] | None:
        if code not in seat:
            return None
        r = seat[code]
        if r["level"] == "zone":
            lon, lat = r["seat_lon"], r["seat_lat"]
            return (float(lon), float(lat), "zone") if isinstance(lon, float) else None  # type: ignore[arg-type]
        if r["level"] == "county" and code in county_points:
            p = county_points[code]
            return p.x, p.y, "county"
        lon, lat = r["seat_lon"], r["seat_lat"]
        if isinstance(lon, float) and isinstance(lat, float) and not math.isnan(lon):
            return lon, lat, "seat"
        if code in area_points:
            p = area_points[code]
            return p.x, p.y, "area"
        if r["level"] == "village":
            parent = locate(str(r["parent_code"]))
            if parent is not None:
                return parent[0], parent[1], "township"
        return None

    for code in units["code"]:
        found = locate(code)
        if found is None:
            rows.append((code, math.nan, math.nan, "none"))
        else:
            rows.append((code, *found))
    return pd.DataFrame(rows, columns=["code", "lon", "lat", "how"])


def label_points(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """The visual centre of each area (centre of its largest inscribed circle), where a label
    fits best: columns code, lon, lat."""
    circles = shapely.maximum_inscribed_circle(areas.geometry.values, tolerance=0.0005)
    centres = shapely.get_point(circles, 0)
    return pd.DataFrame(
        {
            "code": areas["code"].to_numpy(),
            "lon": shapely.get_x(centres),
            "lat": shapely.get_y(centres),
        }
    )
