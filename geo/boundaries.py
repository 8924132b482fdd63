"""Load administrative boundary polygons (GeoJSON or GeoPackage) as WGS84 frames.

Frames returned here are canonical: EPSG:4326 (WGS84 longitude/latitude), one row per unit,
``code`` as a 6- or 12-digit string, valid geometries.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import pyproj.network
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.errors import AtlasDataError, Problem
from geo.paths import MAX_DATA_FILE_BYTES

BOUNDARY_COLUMNS = ("code", "name", "level", "parent_code")

# Bounding box of Sichuan with a margin, in WGS84 degrees: coordinates outside it mean the file
# is in another CRS than it says (e.g. a Gauss-Krüger projection read as degrees).
SICHUAN_BOX = (96.0, 25.0, 110.0, 35.0)


def check_size(path: Path, limit: int | None = None) -> None:
    """Refuse a missing, empty, oversized or non-regular file before anything parses it.

    ``limit`` (bytes) defaults to :data:`geo.paths.MAX_DATA_FILE_BYTES`, the limit of files
    read from the data folder or the store; readers of uploads pass the smaller
    :data:`geo.paths.MAX_INPUT_BYTES` (and check the upload's size before it is saved).

    Symbolic links, directories, pipes, devices and sockets are refused: the atlas reads only
    plain files that are what they say, so a file cannot make the server read elsewhere.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise AtlasDataError.single(
            path, None, None, None, "文件不存在", "file does not exist"
        ) from None
    except OSError as exc:
        raise AtlasDataError.single(
            path, None, None, type(exc).__name__, "无法读取文件", "file cannot be read"
        ) from None
    _check_kind(path, info.st_mode)
    if path.parent.is_symlink():
        raise AtlasDataError.single(
            path,
            None,
            None,
            "symlink",
            "所在文件夹是符号链接，不予读取",
            "its folder is a symbolic link; not read",
        )
    _check_bytes(path, info.st_size, limit)


def _check_kind(path: Path, mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise AtlasDataError.single(
            path,
            None,
            None,
            "symlink",
            "是符号链接，不予读取（请放入文件本身）",
            "is a symbolic link; not read (put the file itself there)",
        )
    if not stat.S_ISREG(mode):
        kind = "directory" if stat.S_ISDIR(mode) else "special file"
        raise AtlasDataError.single(
            path,
            None,
            None,
            kind,
            "不是普通文件（文件夹、管道或设备文件不予读取）",
            "not a regular file (folders, pipes and devices are not read)",
        )


def _check_bytes(path: Path, size: int, limit: int | None) -> None:
    # Read at call time (not as a default argument), so the limit is the module's current one.
    cap = MAX_DATA_FILE_BYTES if limit is None else limit
    if size == 0:
        raise AtlasDataError.single(path, None, None, "0 bytes", "文件为空", "file is empty")
    if size > cap:
        raise AtlasDataError.single(
            path,
            None,
            None,
            f"{size} bytes",
            f"文件过大，上限为 {cap // (1024 * 1024)} MB",
            f"file too large; the limit is {cap // (1024 * 1024)} MB",
        )


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a data file after :func:`check_size` (``limit`` as there); opened without
    following links and checked again once open (so a file swapped for a link or a pipe
    meanwhile is refused)."""
    check_size(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise AtlasDataError.single(
            path, None, None, type(exc).__name__, "无法读取文件", "file cannot be read"
        ) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _check_kind(path, info.st_mode)
        _check_bytes(path, info.st_size, limit)
        data = handle.read((MAX_DATA_FILE_BYTES if limit is None else limit) + 1)
    _check_bytes(path, len(data), limit)
    return data


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


# Only these GIS formats are read, recognised by their content (never by their name): a
# GeoJSON FeatureCollection (parsed here as JSON, never by GDAL) and a GeoPackage (an SQLite
# file, read by GDAL from memory). Anything else, such as a GDAL VRT (XML that can point at
# other files or URLs) saved under a .geojson name, is refused without being opened by GDAL.
GPKG_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"

# Defence in depth for the one format GDAL opens: no network or virtual file system access.
_GDAL_LOCKDOWN = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".atlas-no-network",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "OGR_SQLITE_LOAD_EXTENSIONS": "",
}


def read_geo_file(path: Path, limit: int | None = None) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection or a GeoPackage, after the file gate (:func:`read_input`,
    ``limit`` as there); anything else or anything unreadable -> AtlasDataError. The file's
    content is never shown in a message (only its kind and the number of the feature at
    fault)."""
    data = read_input(path, limit)
    if data.startswith(GPKG_MAGIC):
        return _read_gpkg(path, data)
    if data.startswith(ZIP_MAGIC):
        raise AtlasDataError.single(
            path,
            None,
            None,
            "zip",
            "不支持压缩包（Shapefile）：请另存为 GeoJSON 或 GeoPackage",
            "zip archives (shapefiles) are not supported: save as GeoJSON or GeoPackage",
        )
    return _read_geojson(path, data)


def _not_gis(path: Path, what: str) -> AtlasDataError:
    return AtlasDataError.single(
        path,
        None,
        None,
        what,
        "无法读取为地理数据：应为 GeoJSON FeatureCollection 或 GeoPackage",
        "cannot be read as GIS data: expected a GeoJSON FeatureCollection or a GeoPackage",
    )


def _read_gpkg(path: Path, data: bytes) -> gpd.GeoDataFrame:
    pyogrio.set_gdal_config_options(_GDAL_LOCKDOWN)
    try:
        with warnings.catch_warnings():  # "non conformant file extension" of the memory file
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(io.BytesIO(data))
    except Exception as exc:  # pyogrio raises several types for unreadable input
        raise _not_gis(path, f"GeoPackage: {type(exc).__name__}") from None


def _read_geojson(path: Path, data: bytes) -> gpd.GeoDataFrame:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_gis(path, "not JSON") from None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise _not_gis(path, "JSON, not a FeatureCollection")
    features = obj.get("features")
    if not isinstance(features, list):
        raise _not_gis(path, "FeatureCollection without a features list")
    records: list[dict[str, object]] = []
    geometries: list[BaseGeometry | None] = []
    problems: list[Problem] = []
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(props, dict | None):
            problems.append(
                Problem(path.name, i + 1, None, None, "不是 GeoJSON 要素", "not a GeoJSON feature")
            )
            continue
        try:
            geometries.append(None if geometry is None else shapely.geometry.shape(geometry))
        except Exception:  # shapely raises several types for malformed coordinates
            problems.append(
                Problem(
                    path.name,
                    i + 1,
                    "geometry",
                    None,
                    "几何无法读取",
                    "geometry cannot be read",
                )
            )
            geometries.append(None)
        records.append(dict(props or {}))
    if problems:
        raise AtlasDataError(problems[:50])
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=_geojson_crs(path, obj.get("crs")))


CRS_NAME_RE = re.compile(
    r"(urn:ogc:def:crs:(EPSG|OGC):[0-9.]*:[A-Za-z0-9]{1,12})|((EPSG|epsg):[0-9]{1,6})"
)


def _geojson_crs(path: Path, member: object) -> pyproj.CRS | None:
    """The legacy GeoJSON ``crs`` member (``{"type": "name", "properties": {"name": ...}}``,
    as GDAL writes for projected data); none means WGS84 (RFC 7946)."""
    if member is None:
        return None
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        # Only authority codes (no PROJ strings, whose +init= could read files).
        if not isinstance(name, str) or not CRS_NAME_RE.fullmatch(name):
            raise ValueError(name)
        return pyproj.CRS.from_user_input(name)
    except Exception:  # pyproj raises CRSError, ValueError or TypeError
        raise AtlasDataError.single(
            path,
            None,
            "crs",
            name if isinstance(name, str) else None,
            "无法识别的坐标系声明",
            "unrecognised coordinate reference system",
        ) from None


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
        # No grid downloads while converting (public API; its stub omits the re-export).
        pyproj.network.set_network_enabled(active=False)  # type: ignore[attr-defined]
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
