"""Official township boundaries -> a checked new version of the atlas's township areas
(the core of ``cli.py import FILE --kind boundaries`` and of the editor's boundary import).

``check_boundaries`` never writes. It reads the file (``ledger.boundaries``: zipped Shapefile,
GeoPackage or GeoJSON, safely), reprojects it to WGS84 from whatever CRS it declares, finds the
code and name fields (or takes the editor's choice), matches every feature to a township (code
first, 9- or 12-digit; then the name through the ledger's PlaceMatcher with its aliases;
unmatched features are listed with suggestions for the editor to settle), and checks the
polygons: empty or not a polygon; invalid (repaired with shapely's ``make_valid`` only when the
editor accepts); outside the county beyond ``AREA_OUTSIDE_TOLERANCE``; overlapping another
feature beyond ``AREA_OVERLAP_TOLERANCE``; duplicated townships; gaps between official
neighbours beyond :data:`GAP_TOLERANCE`. Townships of the file's counties that it lacks are
listed as notes: a partial file may be applied, and those townships stay approximate.

Building the new areas (``merge_areas``), per county of the file, keeps the areas one coverage
of the county outline so the display simplification stays gap- and overlap-free:
- each imported polygon is snapped onto the county outline within :data:`SNAP` (~30 m) and
  clipped to it (what still lies outside is within the tolerance, or the file was refused);
  neighbouring imported polygons are snapped onto each other the same way;
- the county's other areas (approximate, or official from an earlier import) lose what the
  imported polygons now cover;
- land left uncovered goes whole to the approximate neighbour sharing the longest border;
  between official outlines only, a hole larger than :data:`GAP_TOLERANCE` of its smallest
  neighbour is refused as a gap (a smaller one joins the neighbour with the longest border),
  and land along the county's edge is refused beyond ``AREA_OUTSIDE_TOLERANCE`` of the county;
- the result is noded into an exact coverage (``as_coverage``) and stray detached pieces join
  their longest-border neighbour (``merge_fragments``).
Imported townships get ``approximate: false``, ``method: "official:<file name>"``, and the
``source`` and ``source_date`` the editor gives (both required: the atlas never invents where a
boundary comes from). The new files are validated with the app's own loaders
(``load_atlas``, ``check_areas_fit``, ``prepare_display``) before they can be applied.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.atlas import (
    AREA_OUTSIDE_TOLERANCE,
    AREA_OVERLAP_TOLERANCE,
    Atlas,
    check_areas_fit,
    counties_path,
    load_atlas,
)
from geo.boundaries import load_boundaries, to_wgs84
from geo.display import prepare_display
from geo.errors import AtlasDataError
from geo.tables import control_character
from ledger.boundaries import BoundaryFile, code_text, detect_fields, read_boundary_file
from ledger.places import PlaceMatcher
from ledger.problems import ImportProblem, Unmatched
from store.core import Change, Store, Version, paths_in, sha256, write_folder
from store.diff import TableDiff, diff_files

AREAS_FILE = "derived/township_areas.geojson"
GRID = 1e-6  # the areas' precision grid (as geo.approx): shared borders stay identical
# A hole between official outlines (not next to an approximate area) larger than this share
# of its smallest official neighbour is refused as a gap; a smaller one joins that neighbour.
GAP_TOLERANCE = 0.01
DATE_RE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
MAX_LISTED = 50
MAX_SOURCE = 200
# Official outlines are pulled onto the atlas's county outline and onto each other within this
# distance (~30 m, far below the display's 250 m simplification): two sources' borders that
# differ by a few metres become one border, not a sliver.
SNAP = 3e-4


@dataclass
class BoundaryCheck:
    file_name: str
    checksum: str
    base: int
    source: str = ""
    source_date: str = ""
    repair: bool = False
    file_kind: str = ""
    crs: str = ""
    fields: list[str] = field(default_factory=list)
    code_field: str | None = None
    name_field: str | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)  # township code -> feature number
    stay_approximate: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # township code -> Chinese name
    new_files: dict[str, bytes] | None = None
    diff: dict[str, TableDiff] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return (
            self.new_files is not None
            and not self.problems
            and not self.unmatched
            and any(not d.empty() for d in self.diff.values())
        )

    def summary(self) -> dict[str, Any]:
        return {
            "tables": {name: d.counts() for name, d in self.diff.items() if not d.empty()},
            "boundaries": {
                "official": sorted(self.matched),
                "approximate": list(self.stay_approximate),
                "crs": self.crs,
                "source": self.source,
                "source_date": self.source_date,
            },
        }


def _problem(check: BoundaryCheck, row: int | None, column: str | None, value: object,
             zh: str, en: str, sug_zh: str = "", sug_en: str = "") -> ImportProblem:  # fmt: skip
    shown = None if value is None else str(value)
    return ImportProblem(check.file_name, row, column, shown, zh, en, sug_zh, sug_en)


def check_boundaries(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    source: str = "",
    source_date: str = "",
    code_field: str | None = None,
    name_field: str | None = None,
    decisions: Mapping[str, str] | None = None,
    repair: bool = False,
    today: datetime.date | None = None,
) -> BoundaryCheck:
    """Check an official boundary file against the latest version (see the module doc).

    ``decisions`` settles unmatched features: ``Unmatched.key`` (``"feature:field"``) ->
    a township code, or ``""`` to leave the feature out."""
    base = store.latest()
    if base is None:
        raise ValueError("the store has no version")
    name = Path(file_name).name or "upload"
    check = BoundaryCheck(name, sha256(data), base, source.strip(), source_date.strip(), repair)
    try:
        read = read_boundary_file(data, name)
    except AtlasDataError as err:
        check.problems = [_from_geo(p) for p in err.problems]
        return check
    check.file_kind = read.kind
    check.notes += read.notes
    check.fields = read.fields
    detected_code, detected_name = detect_fields(check.fields)
    for given in (code_field, name_field):
        if given and given not in check.fields:
            check.problems.append(
                _problem(
                    check,
                    None,
                    given,
                    None,
                    f"文件中没有名为 {given} 的字段",
                    f"the file has no field called {given}",
                    "可用字段：" + "、".join(check.fields),
                    "fields: " + ", ".join(check.fields),
                )
            )
    if check.problems:
        return check
    check.code_field = code_field or detected_code
    check.name_field = name_field or detected_name
    if check.code_field is None and check.name_field is None:
        check.problems.append(
            _problem(
                check,
                None,
                None,
                ", ".join(check.fields),
                "找不到乡镇代码或名称字段（如 XZQDM/XZQMC、乡镇代码/乡镇名称）：请指定",
                "no township code or name field found (such as XZQDM/XZQMC, 乡镇代码/乡镇名称): "
                "choose one",
            )
        )
        return check
    frame = read.frame
    check.crs = frame.crs.name if frame.crs is not None else "WGS 84 (GeoJSON)"
    try:
        frame = to_wgs84(Path(name), frame)
    except AtlasDataError as err:
        hint = zone_hint(read.frame)
        check.problems = [_from_geo(p, *hint) for p in err.problems]
        return check
    except Exception as exc:  # pyproj raises several types for a CRS it cannot convert
        check.problems.append(
            _problem(
                check,
                None,
                "crs",
                check.crs,
                "无法把该坐标系转换为 WGS84",
                "this coordinate reference system cannot be converted to WGS84",
                type(exc).__name__,
                type(exc).__name__,
            )
        )
        return check
    paths = store.materialize(base)
    atlas = load_atlas(paths, today=today)
    counties = load_boundaries(counties_path(paths))
    townships = atlas.units[atlas.units["level"] == "township"]
    check.names = dict(zip(townships["code"], townships["name_zh"], strict=True))
    geoms = _match(check, read, frame, atlas, dict(decisions or {}))
    _missing(check, atlas)
    _check_source(check, today or datetime.date.today())
    if check.problems or check.unmatched:
        return check
    current = store.files(base)
    areas, problems = merge_areas(
        _current_areas(current[AREAS_FILE]),
        geoms,
        counties,
        check,
        names=check.names,
    )
    if problems:
        check.problems = problems
        return check
    new_files = dict(current)
    new_files[AREAS_FILE] = areas_geojson(areas)
    problems = validate_areas(new_files, counties, name, today)
    if problems:
        check.problems = problems
        return check
    check.new_files = new_files
    check.diff = diff_files(current, new_files)
    return check


def apply_boundaries(store: Store, check: BoundaryCheck, editor: str) -> Version:
    """Store a ready check as a new version (refused if another version came first)."""
    if not check.ready or check.new_files is None:
        raise ValueError("the boundary import is not ready to apply")
    return store.apply(
        Change(
            base=check.base,
            files=check.new_files,
            action="import",
            editor=editor,
            kind="boundaries",
            file_name=check.file_name,
            checksum=check.checksum,
            summary=check.summary(),
            note=f"official boundaries: {check.source} {check.source_date}".strip(),
        )
    )


# ------------------------------------------------------------------------------ matching


def _from_geo(p: Any, suggestion_zh: str = "", suggestion_en: str = "") -> ImportProblem:
    return ImportProblem(
        str(p.file), p.row, p.column, p.value, p.expected_zh, p.expected_en,
        suggestion_zh, suggestion_en,
    )  # fmt: skip


def zone_hint(frame: gpd.GeoDataFrame) -> tuple[str, str]:
    """When a Gauss–Krüger file lands outside Sichuan, the usual cause: eastings with the zone
    number (e.g. 34 500 000) under a CRS without it (false easting 500 000), or the reverse."""
    crs = frame.crs
    if crs is None or not crs.is_projected or not len(frame):
        return "", ""
    easting = next(
        (
            float(p.value)
            for p in getattr(crs.coordinate_operation, "params", [])
            if p.name == "False easting"
        ),
        None,
    )
    x = float(frame.total_bounds[0])
    if easting is None or x != x:
        return "", ""
    if x > 1e7 and easting < 1e6:
        zone = int(x // 1e6)
        return (
            f"坐标的东坐标带有带号（{zone}），而 .prj 的坐标系不带带号：应使用带带号的坐标系"
            f"（如 CGCS2000 3 度带第 {zone} 带）",
            f"the eastings carry the zone number ({zone}) but the CRS in the .prj does not: use "
            f"the zone CRS (e.g. CGCS2000 3-degree Gauss-Kruger zone {zone})",
        )
    if x < 1e6 and easting > 1e7:
        return (
            "坐标的东坐标不带带号，而 .prj 的坐标系带带号：应使用不带带号的坐标系（中央经线 CM）",
            "the eastings carry no zone number but the CRS in the .prj does: use the CRS "
            "without it (the central meridian, CM) instead",
        )
    return "", ""


def _cell(frame: pd.DataFrame, column: str | None, i: int) -> str:
    if column is None:
        return ""
    value = frame[column].iloc[i]
    return code_text(value) if value is not None else ""


def _match(
    check: BoundaryCheck,
    read: BoundaryFile,
    frame: gpd.GeoDataFrame,
    atlas: Atlas,
    decisions: dict[str, str],
) -> dict[str, BaseGeometry]:
    """Township code -> WGS84 polygon of every matched feature (problems and unmatched
    features recorded on ``check``). Feature numbers count from 1 in file order."""
    matcher = PlaceMatcher(atlas.units, atlas.aliases)
    townships = set(atlas.units.loc[atlas.units["level"] == "township", "code"])
    counties = set(atlas.units.loc[atlas.units["level"] == "county", "code"])
    detailed = {code[:6] for code in townships}  # counties whose townships the atlas holds
    geoms: dict[str, BaseGeometry] = {}
    for i in range(len(frame)):
        number = i + 1
        code_value = _cell(frame, check.code_field, i)
        name_value = _cell(frame, check.name_field, i)
        column = check.name_field if check.name_field and not code_value else check.code_field
        # The decision key is Unmatched.key: "feature:field" with the field it was listed under.
        keys = [f"{number}:{f}" for f in (check.code_field, check.name_field) if f]
        key = next((k for k in keys if k in decisions), None)
        code: str | None = None
        if key is not None:
            code = decisions[key] or None
            if code is None:
                check.notes.append(
                    _problem(
                        check,
                        number,
                        column,
                        code_value or name_value,
                        "编辑选择不导入该要素",
                        "left out by the editor",
                    )
                )
                continue
            if code not in townships:
                check.problems.append(
                    _problem(
                        check,
                        number,
                        column,
                        code,
                        "所选代码不是已知的乡镇",
                        "the chosen code is not a known township",
                    )
                )
                continue
        elif len(code_value) in (9, 12) and code_value.isdigit() and code_value[:6] not in detailed:
            check.notes.append(
                _problem(
                    check,
                    number,
                    check.code_field,
                    code_value,
                    "已跳过：该乡镇所属的县不在图集的乡镇图层中",
                    "skipped: its county is not one the atlas draws townships for",
                )
            )
            continue
        else:
            code = _find(check, matcher, townships, counties, number, code_value, name_value)
        if code is None:
            continue
        geom = _polygon(check, number, code, frame.geometry.iloc[i])
        if geom is None:
            continue
        if code in check.matched:
            check.problems.append(
                _problem(
                    check,
                    number,
                    column,
                    code_value or name_value,
                    f"与第 {check.matched[code]} 个要素是同一乡镇（{matcher.label(code)}）："
                    "每个乡镇只能有一个面",
                    f"the same township ({code}) as feature {check.matched[code]}: one polygon "
                    "per township",
                    "在 GIS 中合并为一个要素",
                    "dissolve them into one feature in a GIS",
                )
            )
            continue
        check.matched[code] = number
        geoms[code] = geom
    return geoms


def _find(
    check: BoundaryCheck,
    matcher: PlaceMatcher,
    townships: set[str],
    counties: set[str],
    number: int,
    code_value: str,
    name_value: str,
) -> str | None:
    """The township a feature is: its code (9 or 12 digits) when known; else its name within
    the code's county (if the code names one), through the ledger's matching and aliases."""
    tried: list[tuple[str, str, Any]] = []
    if code_value:
        found = matcher.match(code_value, level="township")
        if found.code in townships and found.how == "code":
            return found.code
        tried.append((check.code_field or "", code_value, found))
    if name_value:
        county = code_value[:6] if code_value[:6] in counties else None
        found = matcher.match(name_value, level="township", county=county)
        if found.code in townships and found.how in ("name", "alias"):
            if found.how == "alias":
                check.notes.append(
                    _problem(
                        check,
                        number,
                        check.name_field,
                        name_value,
                        f"按别名匹配为 {matcher.label(found.code)}：{found.note_zh}",
                        f"matched through an alias to {found.code}: {found.note_en}",
                    )
                )
            return found.code
        tried.append((check.name_field or "", name_value, found))
    column, value, last = tried[-1] if tried else (check.name_field or "", "", None)
    suggestions: list[tuple[str, str, float]] = []
    for _column, _value, f in tried:
        for s in getattr(f, "suggestions", []) or []:
            if s[0] in townships and s[0] not in [x[0] for x in suggestions]:
                suggestions.append(s)
    check.unmatched.append(
        Unmatched(
            number,
            column,
            value,
            suggestions,
            getattr(last, "note_zh", "") or "没有代码或名称",
            getattr(last, "note_en", "") or "no code or name",
        )
    )
    return None


def _polygon(
    check: BoundaryCheck, number: int, code: str, geom: BaseGeometry | None
) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        check.problems.append(
            _problem(check, number, "geometry", code, "几何为空", "geometry is empty")
        )
        return None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        check.problems.append(
            _problem(
                check,
                number,
                "geometry",
                code,
                f"几何类型应为面（Polygon/MultiPolygon），而不是 {geom.geom_type}",
                f"geometry must be a polygon, not {geom.geom_type}",
            )
        )
        return None
    if shapely.is_valid(geom):
        return geom
    reason = shapely.is_valid_reason(geom)
    if not check.repair:
        check.problems.append(
            _problem(
                check,
                number,
                "geometry",
                code,
                f"几何无效（如自相交）：{reason}",
                f"invalid geometry (e.g. self-intersecting): {reason}",
                "勾选“修复无效几何”（make_valid）后重新检查，或在 GIS 中修复",
                "tick 'repair invalid geometries' (make_valid) and check again, or fix it in a GIS",
            )
        )
        return None
    fixed = polygonal(shapely.make_valid(geom))
    if fixed is None:
        check.problems.append(
            _problem(
                check,
                number,
                "geometry",
                code,
                "几何无效且无法修复为面",
                "invalid geometry that cannot be repaired into a polygon",
            )
        )
        return None
    check.notes.append(
        _problem(
            check,
            number,
            "geometry",
            code,
            f"无效几何已按编辑的选择修复（make_valid）：{reason}",
            f"invalid geometry repaired as the editor accepted (make_valid): {reason}",
        )
    )
    return fixed


def polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """The polygon parts of ``geom`` as one (Multi)Polygon, or None when it has none."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")] or [
        q
        for p in shapely.get_parts(geom)
        if p.geom_type == "GeometryCollection"
        for q in shapely.get_parts(p)
        if q.geom_type == "Polygon"
    ]
    if not parts:
        return None
    out = shapely.union_all(parts, grid_size=GRID)
    return out if not out.is_empty else None


def _missing(check: BoundaryCheck, atlas: Atlas) -> None:
    """Townships of the file's counties that it does not hold: notes, not problems (a partial
    file applies; those townships keep their current area)."""
    units = atlas.units
    counties = {code[:6] for code in check.matched}
    drawn = set(atlas.areas["code"])
    official = set(atlas.areas.loc[~atlas.areas["approximate"], "code"])
    rows = zip(units["code"], units["name_zh"], units["level"], strict=True)
    for code, name, level in rows:
        if level != "township" or code[:6] not in counties or code in check.matched:
            continue
        if code in official:
            zh, en = (
                "文件中没有该乡镇：保留此前导入的官方界线",
                "not in the file: keeps its official outline",
            )
        elif code in drawn:
            check.stay_approximate.append(code)
            zh, en = "文件中没有该乡镇：仍为近似范围", "not in the file: stays approximate"
        else:
            zh, en = "文件中没有该乡镇：仍不绘出范围", "not in the file: still not drawn"
        check.notes.append(_problem(check, None, "code", code, f"{name}：{zh}", f"{code}: {en}"))


def _check_source(check: BoundaryCheck, today: datetime.date) -> None:
    if not check.source:
        check.problems.append(
            _problem(
                check,
                None,
                "source",
                None,
                "请填写来源（提供文件的单位与数据名称，如“泸定县自然资源局 乡镇界线”）",
                "give the source (who provided the file and what it is, e.g. the county natural "
                "resources bureau's township boundaries)",
            )
        )
    elif control_character(check.source) is not None or len(check.source) > MAX_SOURCE:
        check.problems.append(
            _problem(
                check,
                None,
                "source",
                check.source[:MAX_SOURCE],
                f"来源应为一行文字（不超过 {MAX_SOURCE} 字，不含控制字符）",
                f"the source should be one line of text (at most {MAX_SOURCE} characters, no "
                "control characters)",
            )
        )
    if not _valid_date(check.source_date) or (
        check.source_date > today.isoformat()[: len(check.source_date)]
    ):
        check.problems.append(
            _problem(
                check,
                None,
                "date",
                check.source_date or None,
                "请填写数据日期（YYYY、YYYY-MM 或 YYYY-MM-DD，不能在未来）",
                "give the data's date (YYYY, YYYY-MM or YYYY-MM-DD, not in the future)",
            )
        )


def _valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real date."""
    if not DATE_RE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat((text + "-01-01")[:10])
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ building


def _current_areas(content: bytes) -> gpd.GeoDataFrame:
    obj = json.loads(content.decode("utf-8-sig"))
    records = []
    geometries = []
    for feature in obj.get("features") or []:
        records.append(dict(feature.get("properties") or {}))
        geometries.append(shapely.geometry.shape(feature["geometry"]))
    frame = pd.DataFrame.from_records(records)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=4326)


def merge_areas(
    current: gpd.GeoDataFrame,
    official: Mapping[str, BaseGeometry],
    counties: gpd.GeoDataFrame,
    check: BoundaryCheck,
    names: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[ImportProblem]]:
    """The new areas as feature property dicts with a ``geometry`` (see the module doc), and
    the problems (outside the county, overlaps, gaps) that refuse the file."""
    names = names or {}
    outlines = dict(zip(counties["code"].astype(str), counties.geometry, strict=True))
    problems: list[ImportProblem] = []
    exact: dict[str, BaseGeometry] = {}
    for code, geom in official.items():
        outline = outlines.get(code[:6])
        if outline is None:
            problems.append(
                _problem(
                    check,
                    check.matched.get(code),
                    "geometry",
                    code,
                    "图集中没有该乡镇所属县的边界",
                    "the atlas has no outline of this township's county",
                )
            )
            continue
        geom = _snap(geom, outline)  # within SNAP of the county's edge is on it
        outside = shapely.area(shapely.difference(geom, outline)) / geom.area
        if outside > AREA_OUTSIDE_TOLERANCE:
            problems.append(
                _problem(
                    check,
                    check.matched.get(code),
                    "geometry",
                    code,
                    f"{names.get(code, code)}：面有 {outside:.0%} 在所属县（{code[:6]}）的边界之外"
                    f"（容差 {AREA_OUTSIDE_TOLERANCE:.0%}）",
                    f"{outside:.0%} of the polygon lies outside its county ({code[:6]}); the "
                    f"tolerance is {AREA_OUTSIDE_TOLERANCE:.0%}",
                    "检查坐标系（.prj）是否正确，或要素是否对应了错误的乡镇",
                    "check the CRS (.prj) and that the feature is the right township",
                )
            )
            continue
        clipped = polygonal(shapely.intersection(geom, outline, grid_size=GRID))
        if clipped is None:
            continue
        exact[code] = clipped
    codes = sorted(exact)
    for a_i, a in enumerate(codes):
        for b in codes[a_i + 1 :]:
            ga, gb = exact[a], exact[b]
            if not ga.intersects(gb):
                continue
            shared = shapely.area(shapely.intersection(ga, gb)) / min(ga.area, gb.area)
            if shared > AREA_OVERLAP_TOLERANCE:
                problems.append(
                    _problem(
                        check,
                        check.matched.get(b),
                        "geometry",
                        b,
                        f"{names.get(b, b)} 与第 {check.matched.get(a)} 个要素（{names.get(a, a)}）"
                        f"重叠 {shared:.0%}（容差 {AREA_OVERLAP_TOLERANCE:.0%}）",
                        f"overlaps feature {check.matched.get(a)} ({a}) by {shared:.0%}; the "
                        f"tolerance is {AREA_OVERLAP_TOLERANCE:.0%}",
                    )
                )
            elif shared > 0:
                # A sliver within the tolerance goes to the township first in code order.
                exact[b] = polygonal(shapely.difference(gb, ga, grid_size=GRID)) or gb
    if problems:
        return [], problems[:MAX_LISTED]
    # Neighbours' borders snapped together (in code order): a thin strip between two official
    # outlines, or a thin overlap, closes instead of becoming a sliver area.
    done: list[BaseGeometry] = []
    for code in codes:
        outline = outlines[code[:6]]
        near = [g for g in done if g.distance(exact[code]) < SNAP]
        if near:
            snapped = _snap(exact[code], shapely.union_all(near))
            fixed = polygonal(shapely.intersection(snapped, outline, grid_size=GRID))
            exact[code] = fixed if fixed is not None else exact[code]
        done.append(exact[code])
    props = {str(r["code"]): r for r in current.drop(columns="geometry").to_dict("records")}
    pieces: dict[str, BaseGeometry] = dict(
        zip(current["code"].astype(str), current.geometry, strict=True)
    )
    touched = sorted({code[:6] for code in exact})
    for county in touched:
        outline = outlines[county]
        mine = [c for c in exact if c[:6] == county]
        union = shapely.union_all([exact[c] for c in mine], grid_size=GRID)
        others = [c for c in pieces if c[:6] == county and c not in exact]
        for c in others:
            rest = polygonal(shapely.difference(pieces[c], union, grid_size=GRID))
            if rest is None or rest.area < 1e-12:
                del pieces[c]
                check.notes.append(
                    _problem(
                        check,
                        None,
                        "code",
                        c,
                        f"{names.get(c, c)} 的原范围已全部被导入的界线覆盖，不再单独绘出",
                        f"the former area of {c} is wholly covered by the imported outlines; "
                        "it is no longer drawn",
                    )
                )
            else:
                pieces[c] = rest
        for c in mine:
            pieces[c] = exact[c]
        problems += _fill_holes(outline, county, pieces, set(exact), check, names)
        mine_now = {c: g for c, g in pieces.items() if c[:6] == county}
        pieces.update(merge_fragments(as_coverage(mine_now), exact))
    if problems:
        return [], problems[:MAX_LISTED]
    today_source = {"source": check.source, "source_date": check.source_date}
    features = []
    for code in sorted(pieces):
        if code in exact:
            p: dict[str, Any] = {
                "code": code,
                "county_code": code[:6],
                "approximate": False,
                "method": f"official:{check.file_name}",
                **today_source,
            }
        else:
            p = {k: v for k, v in props.get(code, {"code": code}).items() if _present(v)}
            p.setdefault("county_code", code[:6])
        p["geometry"] = shapely.set_precision(pieces[code], GRID)
        features.append(p)
    return features, []


def _fill_holes(
    outline: BaseGeometry,
    county: str,
    pieces: dict[str, BaseGeometry],
    exact: set[str],
    check: BoundaryCheck,
    names: Mapping[str, str],
) -> list[ImportProblem]:
    """Give the land of ``county`` that no area covers to its neighbours (in ``pieces``), so
    the county stays one coverage; the problems when official outlines leave too much.

    - A hole next to any other area (approximate, or official from an earlier file) is shared
      among those areas: the official outlines of this file stay as drawn.
    - A hole only official outlines of this file surround, inside the county, is a gap between
      neighbours: refused above :data:`GAP_TOLERANCE` of its smallest neighbour, else shared.
    - A hole along the county's edge (the file's outer border and the atlas's county outline,
      from another source, differ) is shared among the official townships along it, as long as
      all such land together stays within ``AREA_OUTSIDE_TOLERANCE`` of the county's area.
    A hole shared goes whole to the neighbour with the longest common border.
    """
    problems: list[ImportProblem] = []
    in_county = [c for c in pieces if c[:6] == county]
    covered = shapely.union_all([pieces[c] for c in in_county], grid_size=GRID)
    holes = shapely.difference(outline, covered, grid_size=GRID)
    edge = outline.boundary
    edge_area = 0.0
    for part in sorted(shapely.get_parts(holes), key=lambda p: -p.area):
        if part.geom_type != "Polygon" or part.area < 1e-12:
            continue
        near = [c for c in in_county if pieces[c].distance(part) < 1e-7]
        others = [c for c in near if c not in exact]
        if others:
            _share(part, others, pieces)
            continue
        if not near:
            continue
        on_edge = part.boundary.intersection(edge).length > 0
        if on_edge:
            edge_area += part.area
        elif part.area > GAP_TOLERANCE * min(pieces[c].area for c in near):
            problems.append(
                _problem(
                    check,
                    min(check.matched.get(c, 0) for c in near) or None,
                    "geometry",
                    "、".join(names.get(c, c) for c in sorted(near)),
                    f"官方界线之间有空隙（约 {_km2(part):.2f} km²，超过相邻乡镇面积的 "
                    f"{GAP_TOLERANCE:.0%}）",
                    f"a gap (about {_km2(part):.2f} km², more than {GAP_TOLERANCE:.0%} of a "
                    "neighbouring township) between the official outlines",
                    "检查这些乡镇的界线是否完整",
                    "check that these townships' outlines are complete",
                )
            )
            continue
        _share(part, near, pieces)
    if edge_area > AREA_OUTSIDE_TOLERANCE * outline.area:
        problems.append(
            _problem(
                check,
                None,
                "geometry",
                county,
                f"县（{county}）内有 {edge_area / outline.area:.1%} 的土地沿县界未被任何乡镇覆盖"
                f"（容差 {AREA_OUTSIDE_TOLERANCE:.0%}）",
                f"{edge_area / outline.area:.1%} of the county ({county}) along its edge is not "
                f"covered by any township (the tolerance is {AREA_OUTSIDE_TOLERANCE:.0%})",
                "检查文件是否缺少乡镇，或坐标系是否正确",
                "check whether townships are missing from the file, or the CRS is wrong",
            )
        )
    return problems


def as_coverage(areas: Mapping[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """The same areas as an exact coverage: their borders noded together on the grid, cut into
    faces, each face given to the area holding it, and each area the coverage union of its
    faces. Neighbours then share every border vertex for vertex (what the display's coverage
    simplification needs), and a sliver two areas both claimed belongs to one of them only."""
    codes = sorted(areas)
    lines = shapely.union_all([shapely.boundary(areas[c]) for c in codes], grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree([areas[c] for c in codes])
    owned: dict[str, list[BaseGeometry]] = {c: [] for c in codes}
    for face in faces:
        point = shapely.point_on_surface(face)
        hits = tree.query(point, predicate="within")
        if len(hits):
            owned[codes[int(min(hits))]].append(face)
    out = {}
    for c in codes:
        if owned[c]:
            out[c] = shapely.coverage_union_all(owned[c])
        else:
            out[c] = areas[c]
    return out


def merge_fragments(
    areas: Mapping[str, BaseGeometry], official: Mapping[str, BaseGeometry]
) -> dict[str, BaseGeometry]:
    """Areas without stray pieces, as one coverage again. Cutting areas against each other
    leaves small detached pieces (an approximate area beyond an official border that zigzags
    across it, a share of a sliver that touches another area only). An approximate area keeps
    its largest part, as the approximation builds it; an official one keeps the parts that are
    mostly its file's polygon (its own exclaves stay). Every other part joins the neighbour it
    shares the longest border with (or stays, if it touches none)."""
    out = dict(areas)
    for _round in range(4):  # a part moved may leave its new owner's neighbour in pieces
        moved = _merge_round(out, official)
        if not moved:
            break
        out = as_coverage(out)
    return out


def _merge_round(out: dict[str, BaseGeometry], official: Mapping[str, BaseGeometry]) -> bool:
    loose: list[tuple[str, BaseGeometry]] = []
    for code in sorted(out):
        parts = list(shapely.get_parts(out[code]))
        if len(parts) < 2:
            continue
        if code in official:
            own = official[code]
            keep = [p for p in parts if shapely.intersection(p, own).area > 0.5 * p.area]
        else:
            keep = [max(parts, key=lambda p: p.area)]
        if not keep:
            keep = [max(parts, key=lambda p: p.area)]
        rest = [p for p in parts if not any(p is k for k in keep)]
        out[code] = shapely.union_all(keep, grid_size=GRID)
        loose += [(code, p) for p in rest]
    moved = False
    for owner, part in loose:
        border = {
            c: part.boundary.intersection(g.boundary).length
            for c, g in out.items()
            if c != owner and g.distance(part) < 1e-7
        }
        best = max(sorted(border), key=lambda c: border[c], default=None)
        target = best if best is not None and border[best] > 0 else owner
        moved = moved or target != owner
        out[target] = shapely.union(out[target], part, grid_size=GRID)
    return moved


def _share(part: BaseGeometry, codes: list[str], pieces: dict[str, BaseGeometry]) -> None:
    """Give ``part`` (one connected hole) to the area among ``codes`` it shares the longest
    border with. Not split: a few metres' sliver between two sources' borders is not worth
    drawing zigzags for, and a split by nearness costs minutes on real outlines."""
    edge = part.boundary
    border = {c: edge.intersection(pieces[c].boundary).length for c in sorted(codes)}
    target = max(sorted(border), key=lambda c: border[c])
    pieces[target] = shapely.union(pieces[target], part, grid_size=GRID)


def _snap(geom: BaseGeometry, reference: BaseGeometry) -> BaseGeometry:
    """``geom`` with its vertices and edges pulled onto ``reference``'s border within
    :data:`SNAP` (repaired if the snap made it invalid)."""
    snapped = shapely.snap(geom, shapely.boundary(reference), SNAP)
    if not shapely.is_valid(snapped):
        snapped = polygonal(shapely.make_valid(snapped)) or geom
    return snapped


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def _km2(geom: BaseGeometry) -> float:
    """Approximate area in km² of a small WGS84 polygon (for messages only)."""
    lat = float(geom.centroid.y)
    return float(geom.area) * 111.32 * 111.32 * math.cos(math.radians(lat))


def areas_geojson(features: list[dict[str, Any]]) -> bytes:
    """One feature per line, coordinates at 6 decimals, properties first (as build_data)."""
    lines = []
    for p in features:
        props = {k: v for k, v in p.items() if k != "geometry"}
        geometry = json.loads(
            json.dumps(shapely.geometry.mapping(p["geometry"])),
            parse_float=lambda s: round(float(s), 6),
        )
        feature = {"type": "Feature", "properties": props, "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n").encode()


def validate_areas(
    files: Mapping[str, bytes],
    counties: gpd.GeoDataFrame,
    upload: str,
    today: datetime.date | None,
) -> list[ImportProblem]:
    """Load the new version as the app would (tables, areas against the county outlines, the
    display coverage); its problems, if any."""
    with tempfile.TemporaryDirectory(prefix="atlas-bounds-check-") as tmp:
        write_folder(Path(tmp), files)
        paths = paths_in(Path(tmp))
        try:
            atlas = load_atlas(paths, today=today)
            check_areas_fit(paths.areas, atlas, counties)
            prepare_display(atlas, counties)
        except AtlasDataError as err:
            return [_from_geo(p) for p in err.problems]
        except Exception as exc:  # geometry engines raise several types
            return [
                ImportProblem(
                    upload,
                    None,
                    "geometry",
                    type(exc).__name__,
                    "生成的乡镇范围无法绘制",
                    "the resulting township areas cannot be drawn",
                )
            ]
    return []
