"""Official-looking township boundary files, built by the tests from the bundled approximate
areas: reprojected to a Gauss–Krüger zone (or CGCS2000 degrees), written as a Shapefile with
GBK attributes (乡镇代码/乡镇名称 or XZQDM/XZQMC), zipped with or without .cpg and with member
names in GBK (no UTF-8 flag, as Windows tools write them), or as a GeoPackage/GeoJSON."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.paths import DERIVED_DIR

UNITS = DERIVED_DIR / "units.csv"
AREAS = DERIVED_DIR / "township_areas.geojson"
GK_CM102 = 4543  # CGCS2000 / 3-degree Gauss-Kruger CM 102E (no zone number)
GK_ZONE34 = 4522  # CGCS2000 / 3-degree Gauss-Kruger zone 34 (zone number in the easting)


def official_frame(
    crs: int = GK_CM102,
    drop: tuple[str, ...] = (),
    code_field: str = "乡镇代码",
    name_field: str = "乡镇名称",
    nine_digits: bool = True,
) -> gpd.GeoDataFrame:
    """The bundled areas as an office's layer: codes (9-digit by default), Chinese names."""
    areas = gpd.read_file(AREAS)
    names = pd.read_csv(UNITS, dtype=str).set_index("code")["name_zh"]
    areas = areas[~areas["code"].isin(drop)].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {
            code_field: [c[:9] if nine_digits else c for c in areas["code"]],
            name_field: [names[c] for c in areas["code"]],
        },
        geometry=areas.geometry.values,
        crs=4326,
    ).to_crs(crs)


def shapefile_parts(
    frame: gpd.GeoDataFrame, encoding: str = "GBK", prj: bool = True
) -> dict[str, bytes]:
    """The .shp/.shx/.dbf/.prj/.cpg bytes of ``frame`` (attributes in ``encoding``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layer.shp"
        pyogrio.write_dataframe(frame, path, encoding=encoding)
        out = {p.suffix: p.read_bytes() for p in Path(tmp).iterdir()}
    if not prj:
        out.pop(".prj", None)
    return out


def zipped(
    parts: dict[str, bytes],
    stem: str = "乡镇界线",
    cpg: bool = True,
    gbk_names: bool = False,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A zip of the parts named ``stem.ext``; ``gbk_names``: names stored as GBK bytes without
    the UTF-8 flag (what WinRAR/Windows Explorer write on a Chinese system)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ext, content in parts.items():
            if ext == ".cpg" and not cpg:
                continue
            name = f"{stem}{ext}"
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    data = buffer.getvalue()
    if gbk_names:
        data = _recode_names(data, stem)
    return data


class _GbkName(zipfile.ZipInfo):
    """A member whose name is stored as GBK bytes with the UTF-8 flag unset (Python would
    otherwise store any non-ASCII name as UTF-8 and set the flag)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _recode_names(data: bytes, stem: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            new = _GbkName(info.filename, date_time=info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(new, source.read(info))
    out = buffer.getvalue()
    check = zipfile.ZipFile(io.BytesIO(out)).infolist()
    assert all(not i.flag_bits & 0x800 for i in check)
    assert stem.encode("gbk") in out and stem.encode() not in out
    return out


def geopackage(frame: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bounds.gpkg"
        pyogrio.write_dataframe(frame, path, driver="GPKG")
        return path.read_bytes()


def geojson(frame: gpd.GeoDataFrame) -> bytes:
    return json.dumps(json.loads(frame.to_crs(4326).to_json()), ensure_ascii=False).encode()
