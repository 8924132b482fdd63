"""Read an office's township boundary file: a zipped Shapefile, a GeoPackage or a GeoJSON.

Pure (no store, no streamlit): bytes in, a frame of features with their attributes and WGS84
polygons out, or an :class:`geo.errors.AtlasDataError` whose problems name the file, the
member or feature, the field and the value in Chinese and English.

Safety (the file comes from an upload):
- The whole upload is limited to ``geo.paths.MAX_INPUT_BYTES``. A zip may hold at most
  :data:`MAX_MEMBERS` members and :data:`MAX_UNCOMPRESSED` bytes once inflated; sizes are
  counted while inflating (a member's declared size is not trusted), so a zip bomb stops at
  the limit. Members with an absolute path, a drive letter or ``..``, symbolic links and
  encrypted members are refused; only the Shapefile parts (.shp .shx .dbf .prj .cpg), or one
  .gpkg/.geojson/.json, are read, every other member is skipped (and listed in the notes).
- The parts are written under fixed ASCII names into a private temporary folder, their magic
  numbers checked, and GDAL (through pyogrio) opens only that folder's ``.shp``; the driver it
  picked must be one of :data:`ALLOWED_DRIVERS`. GeoJSON is parsed as JSON by
  ``geo.boundaries`` (never by GDAL), a GeoPackage read from memory; GDAL's network and
  virtual file systems are locked down as ``geo.boundaries`` does.
- Member names inside a zip are often GBK written without the UTF-8 flag (Windows tools):
  Python then reads them as cp437; they are turned back into bytes and decoded as UTF-8 or
  GB18030, whichever fits.
- DBF attributes: the ``.cpg`` when it names an encoding the content fits; otherwise UTF-8
  when the whole attribute block (and the field names) decode as UTF-8, else GB18030 (GBK).
"""

from __future__ import annotations

import io
import re
import stat
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio

from geo.boundaries import _GDAL_LOCKDOWN, GPKG_MAGIC, read_geo_file
from geo.errors import AtlasDataError, Problem
from geo.paths import MAX_INPUT_BYTES
from ledger.problems import ImportProblem

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MAX_MEMBERS = 64
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# A member inflating to more than this many times its compressed size is treated as a bomb
# (real shapefiles stay far below: even a DBF of blank padding compresses about 1:100).
MAX_RATIO = 1000
SHAPE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SINGLE_FILES = (".gpkg", ".geojson", ".json")
ALLOWED_DRIVERS = ("ESRI Shapefile", "GPKG", "GeoJSON")
SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian, of .shp and .shx

# Field names offices use for the township code and name (compared without case or spaces).
CODE_FIELDS = (
    "XZQDM",
    "乡镇代码",
    "XZDM",
    "行政区代码",
    "行政区划代码",
    "区划代码",
    "QHDM",
    "ADCODE",
    "CODE",
    "DM",
    "GB",
)
NAME_FIELDS = (
    "XZQMC",
    "乡镇名称",
    "XZMC",
    "行政区名称",
    "行政区划名称",
    "区划名称",
    "QHMC",
    "乡镇",
    "名称",
    "NAME",
    "MC",
)


@dataclass
class BoundaryFile:
    """The features of an uploaded file: attributes (as text) and geometry in the file's CRS."""

    file_name: str
    frame: gpd.GeoDataFrame
    kind: str  # "shapefile" | "geopackage" | "geojson"
    encoding: str | None = None
    member: str | None = None  # the .shp inside the zip
    notes: list[ImportProblem] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return [str(c) for c in self.frame.columns if c != self.frame.geometry.name]


def _refuse(
    upload: str, zh: str, en: str, value: str | None = None, where: str | None = None
) -> AtlasDataError:
    return AtlasDataError([Problem(upload, None, where, value, zh, en)])


def read_boundary_file(data: bytes, file_name: str) -> BoundaryFile:
    """The features of ``data`` (an upload called ``file_name``), refused with a bilingual
    AtlasDataError when unsafe, unreadable or without a coordinate reference system."""
    upload = Path(file_name).name or "upload"
    if not data:
        raise _refuse(upload, "文件为空", "file is empty", "0 bytes")
    if len(data) > MAX_INPUT_BYTES:
        mb = MAX_INPUT_BYTES // (1024 * 1024)
        raise _refuse(
            upload,
            f"文件过大，上限为 {mb} MB",
            f"file too large; the limit is {mb} MB",
            f"{len(data)} bytes",
        )
    if data.startswith(ZIP_MAGICS):
        return _read_zip(data, upload)
    if data.startswith(GPKG_MAGIC):
        return _read_single(data, upload, ".gpkg", upload)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return _read_single(data, upload, ".geojson", upload)
    raise _refuse(
        upload,
        "无法识别的文件：应为压缩的 Shapefile（.zip）、GeoPackage（.gpkg）或 GeoJSON"
        "（RAR、7z 等请改用 zip 压缩）",
        "unrecognised file: expected a zipped shapefile (.zip), a GeoPackage (.gpkg) or a "
        "GeoJSON (re-pack RAR or 7z archives as zip)",
        data[:8].hex(" "),
    )


# ------------------------------------------------------------------------------ zip


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: without the UTF-8 flag (bit 11) Python has
    decoded the bytes as cp437; they are re-read as UTF-8, else GB18030 (GBK)."""
    if info.flag_bits & 0x800:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437", errors="replace")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters, ``..`` or NUL: a member that could land outside."""
    if not name or "\x00" in name:
        return True
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"^[A-Za-z]:", normal):
        return True
    return any(part == ".." for part in normal.split("/"))


def _mac_metadata(name: str) -> bool:
    """macOS's resource-fork copies (``__MACOSX/…``, ``._乡镇.shp``): not data, never read."""
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith("._")


def _read_zip(data: bytes, upload: str) -> BoundaryFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        raise _refuse(upload, "压缩包已损坏，无法读取", "the zip archive is damaged") from None
    if len(infos) > MAX_MEMBERS:
        raise _refuse(
            upload,
            f"压缩包内文件过多（上限 {MAX_MEMBERS} 个）",
            f"too many members in the zip (the limit is {MAX_MEMBERS})",
            str(len(infos)),
        )
    notes: list[ImportProblem] = []
    wanted: dict[str, zipfile.ZipInfo] = {}  # decoded name -> member
    for info in infos:
        name = member_name(info)
        if unsafe_name(name):
            raise _refuse(
                upload,
                "压缩包内有指向外部的路径（绝对路径或 ..），不予读取",
                "a member's path points outside the archive (absolute or ..); not read",
                name,
                "member",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(
                upload,
                "压缩包内有符号链接，不予读取",
                "the zip holds a symbolic link; not read",
                name,
                "member",
            )
        if info.is_dir() or _mac_metadata(name):
            continue
        if info.flag_bits & 0x1:
            raise _refuse(
                upload,
                "压缩包内文件有密码，无法读取",
                "a member is encrypted; not read",
                name,
                "member",
            )
        suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        if suffix in SHAPE_PARTS or suffix in SINGLE_FILES:
            wanted[name] = info
        else:
            notes.append(
                ImportProblem(
                    upload,
                    None,
                    "member",
                    name,
                    "已跳过：不是需要读取的文件类型",
                    "skipped: not a kind of file the import reads",
                )
            )
    contents = _inflate(archive, wanted, upload)
    shps = sorted(n for n in contents if n.lower().endswith(".shp"))
    singles = sorted(n for n in contents if PurePosixPath(n).suffix.lower() in SINGLE_FILES)
    if len(shps) + len(singles) != 1:
        found = ", ".join([*shps, *singles]) or "—"
        raise _refuse(
            upload,
            "压缩包应只含一个 Shapefile（.shp 及其 .shx、.dbf、.prj）或一个 GeoPackage/GeoJSON",
            "the zip should hold exactly one shapefile (.shp with its .shx, .dbf, .prj) or one "
            "GeoPackage/GeoJSON",
            found,
        )
    if singles:
        name = singles[0]
        read = _read_single(contents[name], upload, PurePosixPath(name).suffix.lower(), name)
        read.notes = notes + read.notes
        return read
    result = _read_shapefile(contents, shps[0], upload)
    result.notes = notes + result.notes
    return result


def _inflate(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], upload: str
) -> dict[str, bytes]:
    """Each wanted member's bytes, counting what is inflated (declared sizes are not trusted)."""
    out: dict[str, bytes] = {}
    total = 0

    limit = MAX_UNCOMPRESSED // (1024 * 1024)

    def bomb(name: str) -> AtlasDataError:
        return _refuse(
            upload,
            f"解压后过大（上限 {limit} MB，或压缩比异常）：疑似压缩炸弹",
            f"too large once unzipped (limit {limit} MB, or an "
            "abnormal compression ratio): looks like a zip bomb",
            name,
            "member",
        )

    for name, info in members.items():
        if info.file_size > MAX_UNCOMPRESSED or (
            info.compress_size > 0 and info.file_size / info.compress_size > MAX_RATIO
        ):
            raise bomb(name)
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(1 << 16):
                    size += len(chunk)
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED or size > max(
                        info.compress_size * MAX_RATIO, 1 << 20
                    ):
                        raise bomb(name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            raise _refuse(
                upload,
                "压缩包内文件已损坏，无法解压",
                "a member of the zip is damaged and cannot be unzipped",
                name,
                "member",
            ) from None
        out[name] = b"".join(chunks)
    return out


# ------------------------------------------------------------------------------ shapefile

_CODEC_NAMES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "65001": "utf-8",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "936": "gb18030",
    "gb2312": "gb18030",
    "gb18030": "gb18030",
    "ansi 936": "gb18030",
    "big5": "big5",
    "950": "big5",
}


def dbf_text(dbf: bytes) -> bytes:
    """The DBF's field names and records (what an encoding applies to)."""
    if len(dbf) < 32:
        return b""
    header_len = int.from_bytes(dbf[8:10], "little")
    names = []
    for start in range(32, min(header_len, len(dbf)) - 31, 32):
        if dbf[start] == 0x0D:
            break
        names.append(dbf[start : start + 11].split(b"\x00", 1)[0])
    return b" ".join(names) + b" " + dbf[header_len:]


def dbf_encoding(dbf: bytes, cpg: bytes | None) -> tuple[str, str]:
    """(codec, how it was found): the .cpg's encoding when the content fits it, else UTF-8
    when the attributes decode as UTF-8, else GB18030 (a superset of GBK)."""
    body = dbf_text(dbf)

    def fits(codec: str) -> bool:
        try:
            body.decode(codec)
        except UnicodeDecodeError:
            return False
        return True

    if cpg is not None:
        declared = _CODEC_NAMES.get(cpg.decode("ascii", errors="ignore").strip().lower())
        if declared and fits(declared):
            return declared, "cpg"
    for codec in ("utf-8", "gb18030"):
        if fits(codec):
            return codec, "detected"
    return "latin-1", "detected"


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def _read_shapefile(contents: dict[str, bytes], shp: str, upload: str) -> BoundaryFile:
    stem = _stem(shp)
    parts = {
        ext: next((v for n, v in contents.items() if n.lower() == (stem + ext).lower()), None)
        for ext in SHAPE_PARTS
    }
    base = PurePosixPath(stem).name
    for ext in (".shx", ".dbf"):
        if parts[ext] is None:
            raise _refuse(
                upload,
                f"缺少 {base}{ext}：Shapefile 需要 .shp、.shx、.dbf 和 .prj 一起打包",
                f"{base}{ext} is missing: a shapefile needs .shp, .shx, .dbf and .prj zipped "
                "together",
                shp,
                "member",
            )
    if parts[".prj"] is None:
        raise _refuse(
            upload,
            f"缺少 {base}.prj：文件没有坐标系，无法定位。请从原始数据中把 {base}.prj 一起打包"
            "（或在 GIS 软件中“定义投影”后重新导出），不会猜测坐标系",
            f"{base}.prj is missing: the file has no coordinate reference system. Zip "
            f"{base}.prj from the original data with it (or define the projection in a GIS and "
            "export again); the atlas never guesses a CRS",
            shp,
            "member",
        )
    for ext in (".shp", ".shx"):
        if not (parts[ext] or b"").startswith(SHP_MAGIC):
            raise _refuse(
                upload,
                f"{base}{ext} 不是 Shapefile 文件",
                f"{base}{ext} is not a shapefile part",
                shp,
                "member",
            )
    dbf = parts[".dbf"] or b""
    if len(dbf) < 32 or dbf[0] not in (0x02, 0x03, 0x30, 0x31, 0x83, 0x8B, 0xF5):
        raise _refuse(
            upload, f"{base}.dbf 不是 dBASE 文件", f"{base}.dbf is not a dBASE file", shp, "member"
        )
    codec, how = dbf_encoding(dbf, parts[".cpg"])
    with tempfile.TemporaryDirectory(prefix="atlas-bounds-") as tmp:
        folder = Path(tmp)
        for ext, content in parts.items():
            if content is not None and ext != ".cpg":
                (folder / f"layer{ext}").write_bytes(content)
        path = folder / "layer.shp"
        pyogrio.set_gdal_config_options(_GDAL_LOCKDOWN)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                driver = pyogrio.read_info(path).get("driver")
                if driver != "ESRI Shapefile":
                    raise ValueError(driver)
                frame = pyogrio.read_dataframe(path, encoding=codec.upper())
        except Exception as exc:  # pyogrio raises several types for unreadable input
            raise _refuse(
                upload,
                "Shapefile 无法读取",
                "the shapefile cannot be read",
                f"{shp}: {type(exc).__name__}",
                "member",
            ) from None
    if frame.crs is None:
        raise _refuse(
            upload,
            f"{base}.prj 无法识别为坐标系：请从原始数据中重新导出",
            f"{base}.prj is not a coordinate reference system the atlas understands: export "
            "it again from the original data",
            shp,
            "member",
        )
    notes = [
        ImportProblem(
            upload,
            None,
            "encoding",
            codec.upper(),
            "属性编码取自 .cpg" if how == "cpg" else "属性编码为自动识别",
            "attribute encoding from the .cpg" if how == "cpg" else "attribute encoding detected",
        )
    ]
    return BoundaryFile(upload, frame, "shapefile", codec, shp, notes)


def _read_single(data: bytes, upload: str, suffix: str, member: str) -> BoundaryFile:
    """A GeoPackage or GeoJSON through geo.boundaries' reader (content sniffing, limits); an
    SQLite file is read only if GDAL takes it for a GeoPackage."""
    if data.startswith(GPKG_MAGIC) and _gdal_driver(data) != "GPKG":
        raise _refuse(
            upload,
            "不是 GeoPackage 文件（SQLite 数据库但不是 GeoPackage）",
            "not a GeoPackage (an SQLite database, but not a GeoPackage)",
            member,
        )
    with tempfile.TemporaryDirectory(prefix="atlas-bounds-") as tmp:
        path = Path(tmp) / f"upload{'.gpkg' if suffix == '.gpkg' else '.geojson'}"
        path.write_bytes(data)
        try:
            frame = read_geo_file(path, limit=MAX_INPUT_BYTES)  # an upload's limit
        except AtlasDataError as err:
            raise AtlasDataError(
                [
                    Problem(upload, p.row, p.column, p.value, p.expected_zh, p.expected_en)
                    for p in err.problems
                ]
            ) from None
    kind = "geopackage" if data.startswith(GPKG_MAGIC) else "geojson"
    if frame.crs is None and kind == "geopackage":
        raise _refuse(
            upload,
            "GeoPackage 图层没有坐标系：请在 GIS 软件中定义坐标系后重新导出，不会猜测坐标系",
            "the GeoPackage layer has no coordinate reference system: define it in a GIS and "
            "export again; the atlas never guesses a CRS",
            member,
        )
    return BoundaryFile(upload, frame, kind, None, member if member != upload else None)


def _gdal_driver(data: bytes) -> str | None:
    pyogrio.set_gdal_config_options(_GDAL_LOCKDOWN)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            driver = pyogrio.read_info(io.BytesIO(data)).get("driver")
    except Exception:  # pyogrio raises several types for unreadable input
        return None
    return str(driver) if driver in ALLOWED_DRIVERS else None


# ------------------------------------------------------------------------------ fields


def _key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).upper()


def detect_fields(fields: list[str]) -> tuple[str | None, str | None]:
    """(code field, name field) by the names offices use, else (None, None) for each."""
    by_key = {_key(f): f for f in fields}

    def first(candidates: tuple[str, ...]) -> str | None:
        for c in candidates:
            if _key(c) in by_key:
                return by_key[_key(c)]
        return None

    return first(CODE_FIELDS), first(NAME_FIELDS)


def code_text(value: object) -> str:
    """A code cell as digits: numbers stored as floats (513322100.0) lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return re.sub(r"\.0+$", "", text) if re.fullmatch(r"[0-9]+\.0+", text) else text
