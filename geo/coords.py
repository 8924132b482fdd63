"""WGS84 <-> GCJ-02 conversion, vectorised over numpy arrays and whole geometries.

GCJ-02 is the offset coordinate system of AMap/Gaode tiles (300-600 m from WGS84 in Sichuan).
The forward formula is the public one (Krasovsky ellipsoid constants); the inverse is computed
by fixed-point iteration, which reaches well under a millimetre in a few steps. Points outside
China are returned unchanged, as the formula defines.
"""

from __future__ import annotations

from typing import TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

A = 6378245.0
EE = 0.00669342162296594323
Array = npt.NDArray[np.float64]
G = TypeVar("G", bound=BaseGeometry)


def _out_of_china(lon: Array, lat: Array) -> npt.NDArray[np.bool_]:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: Array, lat: Array) -> tuple[Array, Array]:
    x, y = lon - 105.0, lat - 35.0
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1 - EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (A / sqrt_magic * np.cos(rad) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Arrays of WGS84 lon/lat -> GCJ-02 lon/lat."""
    lo, la = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lo, la)
    return lo + dlon, la + dlat


def gcj02_to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, iterations: int = 8
) -> tuple[Array, Array]:
    """Arrays of GCJ-02 lon/lat -> WGS84, by iterating the forward formula."""
    glon, glat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(iterations):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        wlon, wlat = wlon - (flon - glon), wlat - (flat - glat)
    return wlon, wlat


def _transform_coords(coords: Array, to_gcj: bool) -> Array:
    fn = wgs84_to_gcj02 if to_gcj else gcj02_to_wgs84
    lon, lat = fn(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def geometry_to_gcj02(geom: G) -> G:
    """One WGS84 geometry -> GCJ-02 (all vertices at once)."""
    return shapely.transform(geom, lambda c: _transform_coords(c, True))  # type: ignore[no-any-return]


def frame_to_gcj02(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A WGS84 frame with every geometry converted to GCJ-02 in one vectorised pass.

    The result keeps the EPSG:4326 label (GCJ-02 has no EPSG code): use it only for drawing
    over GCJ-02 tiles, never for analysis.
    """
    out = frame.copy()
    out["geometry"] = shapely.transform(frame.geometry.values, lambda c: _transform_coords(c, True))
    return out


def frame_to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Inverse of :func:`frame_to_gcj02` (for GCJ-02 files such as AMap/DataV downloads)."""
    out = frame.copy()
    out["geometry"] = shapely.transform(
        frame.geometry.values, lambda c: _transform_coords(c, False)
    )
    return out
