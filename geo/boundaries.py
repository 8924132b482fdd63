"""Load administrative boundary polygons (GeoJSON or any format pyogrio reads) as WGS84 frames.

Frames returned here are canonical: EPSG:4326 (WGS84 longitude/latitude), one row per unit,
``code`` as a 6- or 12-digit string, valid geometries.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from geo.errors import AtlasDataError, Problem
from geo.paths import MAX_INPUT_BYTES

BOUNDARY_COLUMNS = ("code", "name", "level", "parent_code")

# Bounding box of Sichuan with a margin, in WGS84 degrees: coordinates outside it mean the file
# is in another CRS than it says (e.g. a Gauss-Krüger projection read as degrees).
SICHUAN_BOX = (96.0, 25.0, 110.0, 35.0)


def check_size(path: Path) -> None:
    """Refuse a missing, empty or oversized file before anything parses it."""
    if not path.exists():
        raise AtlasDataError.single(path, None, None, None, "文件不存在", "file does not exist")
    size = path.stat().st_size
    if size == 0:
        raise AtlasDataError.single(path, None, None, "0 bytes", "文件为空", "file is empty")
    if size > MAX_INPUT_BYTES:
        raise AtlasDataError.single(
            path,
            None,
            None,
            f"{size} bytes",
            f"文件过大，上限为 {MAX_INPUT_BYTES // (1024 * 1024)} MB",
            f"file too large; the limit is {MAX_INPUT_BYTES // (1024 * 1024)} MB",
        )


def load_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read a boundary file with columns adcode/code, name, level, parent_adcode/parent_code.

    Any declared CRS is converted to WGS84; a file with no CRS is taken as WGS84 (the GeoJSON
    rule) and refused if its coordinates are not plausible degrees for Sichuan.
    """
    frame = read_geo_file(path)
    frame = frame.rename(columns={"adcode": "code", "parent_adcode": "parent_code"})
    _check_columns(path, frame)
    frame = to_wgs84(path, frame)
    _check_geometry(path, frame)
    frame["code"] = frame["code"].astype(str)
    frame["parent_code"] = frame["parent_code"].astype(str)
    return frame[[*BOUNDARY_COLUMNS, "geometry"]].reset_index(drop=True)


def read_geo_file(path: Path) -> gpd.GeoDataFrame:
    """Any GIS file pyogrio reads, after the size check; unreadable input -> AtlasDataError."""
    check_size(path)
    try:
        return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable input
        raise AtlasDataError.single(
            path, None, None, type(exc).__name__, "无法读取为地理数据", "cannot be read as GIS data"
        ) from exc


def _check_columns(path: Path, frame: gpd.GeoDataFrame) -> None:
    missing = [c for c in BOUNDARY_COLUMNS if c not in frame.columns]
    if missing:
        raise AtlasDataError.single(
            path,
            None,
            ", ".join(missing),
            None,
            f"缺少必需的列；需要 {', '.join(BOUNDARY_COLUMNS)}",
            f"required column missing; expected {', '.join(BOUNDARY_COLUMNS)}",
        )
    dup = frame["code"].astype(str).duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise AtlasDataError.single(
            path, i + 1, "code", frame["code"].iloc[i], "代码重复", "duplicate code"
        )


def to_wgs84(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Convert a declared CRS to WGS84 (none declared = WGS84); refuse coordinates that are
    not plausible for Sichuan, naming the bounds found."""
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    minx, miny, maxx, maxy = frame.total_bounds
    x0, y0, x1, y1 = SICHUAN_BOX
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        raise AtlasDataError.single(
            path,
            None,
            "geometry",
            f"bounds {minx:.3f},{miny:.3f},{maxx:.3f},{maxy:.3f}",
            "坐标不在四川范围内：坐标系声明可能有误（应为 WGS84 经纬度或带正确 .prj 的投影坐标）",
            "coordinates fall outside Sichuan: the CRS is probably wrong or undeclared "
            "(expected WGS84 degrees, or a projection declared in the file)",
        )
    return frame


def _check_geometry(path: Path, frame: gpd.GeoDataFrame) -> None:
    problems = []
    for i, (code, geom) in enumerate(zip(frame["code"], frame.geometry, strict=True)):
        if geom is None or geom.is_empty:
            reason = ("几何为空", "geometry is empty")
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            reason = ("几何类型应为面（Polygon/MultiPolygon）", "geometry must be a polygon")
        elif not shapely.is_valid(geom):
            reason = (
                f"几何无效：{shapely.is_valid_reason(geom)}",
                f"invalid geometry: {shapely.is_valid_reason(geom)}",
            )
        else:
            continue
        problems.append(Problem(path.name, i + 1, "geometry", str(code), *reason))
    if problems:
        raise AtlasDataError(problems)
