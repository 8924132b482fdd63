"""GCJ-02 conversion against published reference points, both directions, whole geometries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.coords import (
    frame_to_gcj02,
    frame_to_wgs84,
    gcj02_to_wgs84,
    geometry_to_gcj02,
    wgs84_to_gcj02,
)
from geo.paths import RAW_DIR

# Published test vectors of googollee/eviltransform (tests of its Python, PHP and Go ports):
# (WGS84 lat, lon, GCJ-02 lat, lon) for Shanghai, Shenzhen, Beijing.
REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]
DEG_1M = 1e-5  # about a metre


def _metres(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    k = 111_320.0
    dx = (lon1 - lon2) * k * np.cos(np.radians(lat1))
    result: np.ndarray = np.hypot(dx, (lat1 - lat2) * k)
    return result


def test_forward_matches_published_points() -> None:
    wlat, wlon, glat, glon = map(np.array, zip(*REFERENCE, strict=True))
    lon, lat = wgs84_to_gcj02(wlon, wlat)
    assert lon == pytest.approx(glon, abs=1e-9) and lat == pytest.approx(glat, abs=1e-9)


def test_inverse_matches_published_points_within_a_millimetre() -> None:
    wlat, wlon, glat, glon = map(np.array, zip(*REFERENCE, strict=True))
    lon, lat = gcj02_to_wgs84(glon, glat)
    assert _metres(lon, lat, wlon, wlat).max() < 1e-3


def test_bundled_seat_points_agree_with_their_source_gcj02() -> None:
    # Vonng/adcode publishes GCJ-02 points; our conversion must put them back within 10 m.
    seats = pd.read_csv(RAW_DIR / "derived-township-seats" / "township_seats_pujiang_luding.csv")
    seats = seats.dropna(subset=["lon_gcj02"])
    lon, lat = wgs84_to_gcj02(seats["lon_wgs84"].to_numpy(), seats["lat_wgs84"].to_numpy())
    error = _metres(lon, lat, seats["lon_gcj02"].to_numpy(), seats["lat_gcj02"].to_numpy())
    assert error.max() < 1.0
    # and the offset in Sichuan really is hundreds of metres
    shift = _metres(lon, lat, seats["lon_wgs84"].to_numpy(), seats["lat_wgs84"].to_numpy())
    assert shift.min() > 200 and shift.max() < 700


def test_outside_china_is_unchanged() -> None:
    lon, lat = wgs84_to_gcj02([2.35], [48.85])
    assert (lon[0], lat[0]) == (2.35, 48.85)


def test_whole_geometries_and_frames_round_trip() -> None:
    frame = gpd.GeoDataFrame(
        {"code": ["a", "b"]},
        geometry=[box(102.1, 29.6, 102.3, 29.9), Point(103.4, 30.2)],
        crs=4326,
    )
    gcj = frame_to_gcj02(frame)
    assert list(gcj["code"]) == ["a", "b"]
    moved = gcj.geometry.iloc[1]
    lon, lat = wgs84_to_gcj02([103.4], [30.2])
    assert (moved.x, moved.y) == pytest.approx((lon[0], lat[0]))
    assert geometry_to_gcj02(frame.geometry.iloc[0]).equals_exact(gcj.geometry.iloc[0], 1e-12)
    back = frame_to_wgs84(gcj)
    assert back.geometry.iloc[0].equals_exact(frame.geometry.iloc[0], DEG_1M / 100)
    assert frame.geometry.iloc[1].equals(Point(103.4, 30.2))  # input untouched
