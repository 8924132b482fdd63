"""Load the whole atlas (units, aliases, sources, pairings, aggregates, projects, figures,
township areas) as validated frames, checking every reference between tables.

Pipeline: read (geo.tables) -> check columns and values -> check references -> typed frames.
A bad file raises :class:`geo.errors.AtlasDataError`; nothing is returned half-loaded.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import columns as C
from geo.boundaries import read_geo_file, to_wgs84
from geo.errors import AtlasDataError, Problem
from geo.paths import COUNTIES_WGS84, DATA_DIR, DERIVED_DIR
from geo.tables import Checker, Row, control_character, read_table

ID_RE = r"[A-Za-z][A-Za-z0-9_.-]{0,39}"
NUMERIC_CODE_RE = r"[0-9]{6}|[0-9]{12}"


# What a row check returns: None, or (column, value, problem in Chinese, in English).
Finding = tuple[str, object, str, str] | None


@dataclass(frozen=True)
class AtlasPaths:
    """Where each table is read from; defaults to the bundled data."""

    units: Path = DERIVED_DIR / "units.csv"
    aliases: Path = DERIVED_DIR / "aliases.csv"
    areas: Path = DERIVED_DIR / "township_areas.geojson"
    sources: Path = DATA_DIR / "sources.csv"
    pairings: Path = DATA_DIR / "pairings.csv"
    aggregates: Path = DATA_DIR / "aggregates.csv"
    projects: Path = DATA_DIR / "projects.csv"
    figures: Path = DATA_DIR / "figures.csv"
    # Tables of issue 11 (county pairs by round). Optional: a data folder without them (an
    # office's ledger written before) loads with none of their rows.
    pairing_sources: Path = DATA_DIR / "pairing_sources.csv"
    zones: Path = DATA_DIR / "zones.csv"
    outside_partners: Path = DATA_DIR / "outside_partners.csv"
    pair_figures: Path = DATA_DIR / "pair_figures.csv"


OPTIONAL_TABLES = ("pairing_sources", "zones", "outside_partners", "pair_figures")


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})


@dataclass(frozen=True)
class Atlas:
    """All validated tables. Codes are strings; numbers are typed; areas are WGS84."""

    units: pd.DataFrame
    aliases: pd.DataFrame
    sources: pd.DataFrame
    pairings: pd.DataFrame
    aggregates: pd.DataFrame
    projects: pd.DataFrame
    figures: pd.DataFrame
    areas: gpd.GeoDataFrame
    # Further evidence rows of pairings; functional zones (also in ``units``, level "zone");
    # Ganzi counties whose partner is outside Chengdu; figures stated for a whole pair.
    pairing_sources: pd.DataFrame = field(default_factory=lambda: _empty(C.PAIRING_SOURCE_COLUMNS))
    zones: pd.DataFrame = field(default_factory=lambda: _empty(C.ZONE_COLUMNS))
    outside_partners: pd.DataFrame = field(
        default_factory=lambda: _empty(C.OUTSIDE_PARTNER_COLUMNS)
    )
    pair_figures: pd.DataFrame = field(default_factory=lambda: _empty(C.PAIR_FIGURE_COLUMNS))


def paths_from_env() -> AtlasPaths:
    """The bundled tables, or those in $ATLAS_DATA_DIR (same file names: sources.csv,
    pairings.csv, ..., derived/units.csv) when an office runs the app on its own ledger."""
    root = os.environ.get("ATLAS_DATA_DIR")
    if not root:
        return AtlasPaths()
    # The folder the administrator names may itself be a link (resolved here); inside it, the
    # file gate refuses links (a file, or the derived/ folder, pointing elsewhere).
    base = Path(root).resolve()
    return AtlasPaths(
        **{
            name: (base / "derived" / p.name if p.parent.name == "derived" else base / p.name)
            for name, p in vars(AtlasPaths()).items()
        }
    )


COUNTIES_FILE = "counties.geojson"


def counties_path(paths: AtlasPaths) -> Path:
    """The county outlines that go with these tables: the data folder's
    ``derived/counties.geojson`` (next to the township areas) when it has one, else the
    bundled outlines of the 38 counties of Chengdu and Ganzi (:data:`geo.paths.COUNTIES_WGS84`).

    A data folder for another region (a province, a synthetic benchmark set) brings its own
    counties file, with the bundled file's schema: a GeoJSON FeatureCollection (or a
    GeoPackage), one Polygon/MultiPolygon feature per county with properties ``adcode`` (or
    ``code``, 6 digits), ``name``, ``level`` (``county``) and ``parent_adcode`` (or
    ``parent_code``, the prefecture's 6-digit code; prefectures are drawn as the union of their
    counties), WGS84 or a declared CRS. It is read through the same file gate as every table.

    Store mode: a store seeded from a data folder that has this file keeps it as one of the
    files of each version (``store.core.folder_files``), so a materialized version has it at
    the same place and this function finds it; a store seeded from the bundled data has none
    and uses the bundled outlines. A link or a folder at that path counts as present, and is
    then refused by the file gate rather than silently replaced by the bundled outlines.
    """
    own = paths.areas.parent / COUNTIES_FILE
    if own.is_symlink() or own.exists():
        return own
    return COUNTIES_WGS84


# ------------------------------------------------------------------------------- tables


def load_sources(path: Path) -> pd.DataFrame:
    frame = read_table(path, C.SOURCE_COLUMNS, C.SOURCE_OPTIONAL_COLUMNS)
    check = Checker(path, frame)
    check.required("source_id", "kind", "title", "publisher", "licence")
    check.matches("source_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter")
    check.unique("source_id")
    check.one_of("kind", C.SOURCE_KINDS)
    check.date("date", allow_empty=True)
    check.raise_if_any()
    return frame


def load_units(path: Path, source_ids: set[str]) -> pd.DataFrame:
    frame = read_table(path, C.UNIT_COLUMNS)
    check = Checker(path, frame)
    check.required("code", "name_zh", "name_en", "kind", "level", "status", "source_id")
    check.matches(
        "code", NUMERIC_CODE_RE, "应为 6 位或 12 位数字代码", "expected a 6- or 12-digit code"
    )
    check.unique("code")
    check.one_of("level", C.LEVELS)
    check.one_of("status", C.UNIT_STATUSES)
    check.number("seat_lon", 96, 110, allow_empty=True)
    check.number("seat_lat", 25, 35, allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv")
    check.refers("seat_source_id", source_ids, "sources.csv", allow_empty=True)
    codes = set(frame["code"])

    def code_fits_level(row: int, r: Row) -> tuple[str, object, str, str] | None:
        want = C.CODE_LENGTH.get(r["level"])
        if want and len(r["code"]) != want:
            return (
                "code",
                r["code"],
                f"{r['level']} 级代码应为 {want} 位",
                f"a {r['level']} code has {want} digits",
            )
        if r["level"] in ("county", "township", "village") and r["parent_code"] not in codes:
            return (
                "parent_code",
                r["parent_code"],
                "上级代码在 units 中找不到",
                "parent code not found in units",
            )
        if (r["seat_lon"] == "") != (r["seat_lat"] == ""):
            return (
                "seat_lat",
                r["seat_lat"],
                "经度和纬度应同时填写或同时留空",
                "give both longitude and latitude, or neither",
            )
        return None

    check.each_row(code_fits_level)
    check.raise_if_any()
    out = frame.copy()
    out["seat_lon"] = pd.to_numeric(out["seat_lon"].replace("", None))
    out["seat_lat"] = pd.to_numeric(out["seat_lat"].replace("", None))
    return out


def load_aliases(path: Path, units: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    frame = read_table(path, C.ALIAS_COLUMNS)
    check = Checker(path, frame)
    check.required("alias_name", "change", "evidence", "source_id")
    check.one_of("change", C.ALIAS_CHANGES)
    check.refers("current_code", set(units["code"]), "units.csv", allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv", split=";")

    def target_given(row: int, r: Row) -> tuple[str, object, str, str] | None:
        if (r["change"] == "unresolved") != (r["current_code"] == ""):
            return (
                "current_code",
                r["current_code"],
                "只有 unresolved 的别名可以没有现行代码",
                "only an unresolved alias may lack a current code",
            )
        return None

    check.each_row(target_given)
    check.raise_if_any()
    return frame


def load_pairings(path: Path, units: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Pairings; ``units`` includes the functional zones (level ``zone``), which pair at the
    county level."""
    frame = read_table(path, C.PAIRING_COLUMNS, C.PAIRING_OPTIONAL_COLUMNS)
    check = Checker(path, frame)
    check.required(
        "pairing_id", "level", "helper_code", "partner_code", "relation_zh", "source_id", "quote"
    )
    check.matches(
        "pairing_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter"
    )
    check.unique("pairing_id")
    check.one_of("level", C.PAIRING_LEVELS)
    check.one_of("start_precision", ("year", "month", "day", "undated"))
    check.date("start_date", allow_empty=True)
    check.refers("helper_code", set(units["code"]), "units.csv")
    check.refers("partner_code", set(units["code"]), "units.csv")
    check.refers("source_id", source_ids, "sources.csv")
    check.one_of("round", C.ROUNDS, allow_empty=True)
    check.one_of("period_kind", C.PERIOD_KINDS, allow_empty=True)
    check.date("period_to", allow_empty=True)
    level_of = dict(zip(units["code"], units["level"], strict=True))
    first_row: dict[tuple[str, str, str, str], int] = {}

    def once_per_round(row: int, r: Row) -> Finding:
        # Only within a round: rows without one (a ledger from before rounds, or "since"
        # statements) may repeat a pair, as they always could.
        key = (r["level"], r["helper_code"], r["partner_code"], r["round"])
        if r["round"] and key in first_row:
            return (
                "round",
                r["round"],
                f"与第 {first_row[key]} 行是同一轮次的同一结对；另一来源请写入 pairing_sources.csv",
                f"the same pair in the same round as row {first_row[key]}; "
                "add a further source to pairing_sources.csv",
            )
        first_row[key] = row
        return None

    check.each_row(once_per_round)
    level_of.update({c: "county" for c in units.loc[units["level"] == "zone", "code"]})

    def consistent(row: int, r: Row) -> tuple[str, object, str, str] | None:
        period = _period_problem(r)
        if period is not None:
            return period
        for column in ("helper_code", "partner_code"):
            if level_of.get(r[column], r["level"]) != r["level"]:
                return (
                    column,
                    r[column],
                    f"该单位不是 {r['level']} 级",
                    f"this unit is not at the {r['level']} level",
                )
        if _precision_of(r["start_date"]) != r["start_precision"]:
            return (
                "start_precision",
                r["start_precision"],
                f"与日期 “{r['start_date']}” 的精度不符",
                f"does not match the date '{r['start_date']}'",
            )
        if (
            r["helper_code"][:2] == r["partner_code"][:2]
            and r["helper_code"][:4] == r["partner_code"][:4]
        ):
            return (
                "partner_code",
                r["partner_code"],
                "帮扶双方应在不同的市州",
                "helper and partner must be in different prefectures",
            )
        return None

    check.each_row(consistent)
    check.raise_if_any()
    return frame


def load_aggregates(path: Path, units: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Statements about many pairs at once. The counts may be empty only together with a
    statement about money or projects of a whole side (e.g. Chengdu's totals for 2012–2016),
    and the partner scope may be empty when the statement names none."""
    frame = read_table(path, C.AGGREGATE_COLUMNS, C.AGGREGATE_OPTIONAL_COLUMNS)
    check = Checker(path, frame)
    check.required(
        "fact_id", "level", "helper_scope_code", "statement_zh", "statement_en", "source_id"
    )
    check.required("quote")
    check.unique("fact_id")
    check.one_of("level", C.PAIRING_LEVELS)
    check.one_of("round", C.ROUNDS, allow_empty=True)
    check.refers("helper_scope_code", set(units["code"]), "units.csv")
    check.refers("partner_scope_code", set(units["code"]), "units.csv", allow_empty=True)
    check.number("helper_count", 1, 10_000, integer=True, allow_empty=True)
    check.number("partner_count", 1, 10_000, integer=True, allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv")

    def counts_together(row: int, r: Row) -> Finding:
        if (r["helper_count"] == "") != (r["partner_count"] == ""):
            return (
                "partner_count",
                r["partner_count"],
                "两侧的数量应同时填写或同时留空",
                "give both counts, or neither",
            )
        if r["partner_count"] != "" and r["partner_scope_code"] == "":
            return (
                "partner_scope_code",
                r["partner_scope_code"],
                "填写了受援方数量时必须给出受援方范围",
                "a partner count needs a partner scope",
            )
        return None

    check.each_row(counts_together)
    check.raise_if_any()
    out = frame.copy()
    for column in ("helper_count", "partner_count"):
        out[column] = pd.to_numeric(out[column].replace("", None)).astype("Int64")
    return out


def load_projects(
    path: Path, units: pd.DataFrame, pairings: pd.DataFrame, source_ids: set[str]
) -> pd.DataFrame:
    frame = read_table(path, C.PROJECT_COLUMNS)
    check = Checker(path, frame)
    check.required(
        "project_id",
        "role",
        "type",
        "title_zh",
        "title_en",
        "helper_code",
        "date_precision",
        "source_id",
        "quote",
    )
    check.matches(
        "project_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter"
    )
    check.unique("project_id")
    check.one_of("role", C.PROJECT_ROLES)
    check.one_of("type", C.PROJECT_TYPES)
    check.one_of("date_precision", C.DATE_PRECISIONS)
    check.date("date", allow_empty=True)
    check.number("year_from", 1990, 2100, allow_empty=True, integer=True)
    check.number("year_to", 1990, 2100, allow_empty=True, integer=True)
    check.refers("helper_code", set(units["code"]), "units.csv")
    check.refers("partner_code", set(units["code"]), "units.csv", allow_empty=True)
    check.refers("pairing_id", set(pairings["pairing_id"]), "pairings.csv", allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv")
    check.raise_if_any()
    pairing = {
        pid: {"helper_code": h, "partner_code": q}
        for pid, h, q in zip(
            pairings["pairing_id"], pairings["helper_code"], pairings["partner_code"], strict=True
        )
    }
    parents = dict(zip(units["code"], units["parent_code"], strict=True))
    level_of = dict(zip(units["code"], units["level"], strict=True))

    def consistent(row: int, r: Row) -> tuple[str, object, str, str] | None:
        if r["role"] == "pairing":
            if r["pairing_id"] == "" or r["partner_code"] == "":
                return (
                    "pairing_id",
                    r["pairing_id"],
                    "帮扶项目须填写结对编号和受援单位",
                    "a pairing project needs pairing_id and partner_code",
                )
            p = pairing[r["pairing_id"]]
            if not _related(r["helper_code"], p["helper_code"], parents, level_of):
                return (
                    "helper_code",
                    r["helper_code"],
                    f"不属于结对 {r['pairing_id']} 的帮扶方",
                    f"not within the helper of pairing {r['pairing_id']}",
                )
            if not _related(r["partner_code"], p["partner_code"], parents, level_of):
                return (
                    "partner_code",
                    r["partner_code"],
                    f"不属于结对 {r['pairing_id']} 的受援方",
                    f"not within the partner of pairing {r['pairing_id']}",
                )
        elif r["pairing_id"] != "" or r["partner_code"] != "":
            return (
                "pairing_id",
                r["pairing_id"],
                "背景（context）行不属于任何结对",
                "a context row belongs to no pairing",
            )
        precision = r["date_precision"]
        if precision in ("day", "month", "year") and _precision_of(r["date"]) != precision:
            return (
                "date_precision",
                precision,
                f"与日期 “{r['date']}” 的精度不符",
                f"does not match the date '{r['date']}'",
            )
        if precision in ("period", "undated") and r["date"] != "":
            return (
                "date",
                r["date"],
                "时段或无日期的行不应填写具体日期",
                "a period or undated row takes no single date",
            )
        if precision == "period" and (r["year_from"] == "" or r["year_to"] == ""):
            return (
                "year_from",
                r["year_from"],
                "时段须填写起止年份",
                "a period needs year_from and year_to",
            )
        if r["year_from"] and r["year_to"] and int(r["year_from"]) > int(r["year_to"]):
            return ("year_to", r["year_to"], "结束年份早于开始年份", "year_to is before year_from")
        if r["date"] and r["year_from"] and r["date"][:4] != r["year_from"]:
            return (
                "year_from",
                r["year_from"],
                "与日期的年份不符",
                "does not match the year of the date",
            )
        return None

    check.each_row(consistent)
    check.raise_if_any()
    out = frame.copy()
    out["year_from"] = pd.to_numeric(out["year_from"].replace("", None)).astype("Int64")
    out["year_to"] = pd.to_numeric(out["year_to"].replace("", None)).astype("Int64")
    return out


def load_figures(path: Path, projects: pd.DataFrame) -> pd.DataFrame:
    frame = read_table(path, C.FIGURE_COLUMNS)
    check = Checker(path, frame)
    check.required(
        "figure_id",
        "project_id",
        "measure",
        "measure_zh",
        "measure_en",
        "quantity",
        "unit",
        "basis",
        "quote",
    )
    check.unique("figure_id")
    check.one_of("measure", C.MEASURES)
    check.refers("project_id", set(projects["project_id"]), "projects.csv")
    check.number("quantity", 0, 1e9)
    check.one_of("unit", C.UNITS)
    check.one_of("qualifier", C.QUALIFIERS, allow_empty=True)
    check.one_of("basis", C.FIGURE_BASES)
    check.raise_if_any()
    out = frame.copy()
    out["quantity"] = out["quantity"].astype(float)
    return out


def load_zones(path: Path, units: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Functional zones (成都高新区): not NBS counties, no polygon; a schematic point each."""
    frame = read_table(path, C.ZONE_COLUMNS)
    check = Checker(path, frame)
    check.required(*(c for c in C.ZONE_COLUMNS if c != "note"))
    check.required("note")
    check.matches(
        "code",
        C.ZONE_CODE_RE,
        "功能区代码应为大写字母开头的字母数字（不能与统计代码混淆）",
        "a zone code is capital letters and digits, starting with a letter (never an NBS code)",
    )
    check.unique("code")
    prefectures = set(units.loc[units["level"] == "prefecture", "code"])
    check.refers("parent_code", prefectures, "units.csv (prefecture)")
    check.number("lon", 96, 110)
    check.number("lat", 25, 35)
    check.one_of("position", C.ZONE_POSITIONS)
    check.refers("source_id", source_ids, "sources.csv")
    check.raise_if_any()
    out = frame.copy()
    out["lon"] = out["lon"].astype(float)
    out["lat"] = out["lat"].astype(float)
    return out


def units_with_zones(units: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """The units table with each zone appended as a unit of level ``zone`` (its schematic
    point as seat), so names, anchors and pairings find it like any unit."""
    if zones.empty:
        return units
    rows = pd.DataFrame(
        {
            "code": zones["code"],
            "name_zh": zones["name_zh"],
            "name_en": zones["name_en"],
            "kind": zones["kind"],
            "level": "zone",
            "parent_code": zones["parent_code"],
            "status": "current",
            "nbs_name": "",
            "seat_lon": zones["lon"].astype(float),
            "seat_lat": zones["lat"].astype(float),
            "seat_source_id": zones["source_id"],
            "source_id": zones["source_id"],
            "note": zones["note"],
        }
    )
    return pd.concat([units, rows], ignore_index=True)


def load_pairing_sources(path: Path, pairings: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Further evidence of a pairing: one row per page that states it (the pairing row holds
    the first). The same page may not be cited twice for one pairing."""
    frame = read_table(path, C.PAIRING_SOURCE_COLUMNS)
    check = Checker(path, frame)
    check.required("evidence_id", "pairing_id", "source_id", "quote")
    check.matches(
        "evidence_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter"
    )
    check.unique("evidence_id")
    check.refers("pairing_id", set(pairings["pairing_id"]), "pairings.csv")
    check.refers("source_id", source_ids, "sources.csv")
    first = dict(zip(pairings["pairing_id"], pairings["source_id"], strict=True))
    seen: set[tuple[str, str]] = set()

    def once(row: int, r: Row) -> Finding:
        key = (r["pairing_id"], r["source_id"])
        if first.get(r["pairing_id"]) == r["source_id"] or key in seen:
            return (
                "source_id",
                r["source_id"],
                f"该来源已是结对 {r['pairing_id']} 的证据",
                f"this source is already evidence of pairing {r['pairing_id']}",
            )
        seen.add(key)
        return None

    check.each_row(once)
    check.raise_if_any()
    return frame


def load_outside_partners(path: Path, units: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Ganzi counties whose partner is outside Chengdu, as a source states it."""
    frame = read_table(path, C.OUTSIDE_PARTNER_COLUMNS)
    check = Checker(path, frame)
    check.required("row_id", "partner_code", "helper_name_zh", "helper_name_en", "source_id")
    check.required("quote")
    check.matches("row_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter")
    check.unique("row_id")
    counties = set(units.loc[units["level"] == "county", "code"])
    check.refers("partner_code", counties, "units.csv (county)")
    check.one_of("round", C.ROUNDS, allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv")
    check.raise_if_any()
    return frame


def load_pair_figures(path: Path, pairings: pd.DataFrame, source_ids: set[str]) -> pd.DataFrame:
    """Figures stated for a whole pair (cumulative funds, projects, cadres): shown one by one
    with their source, never added to each other or to project figures."""
    frame = read_table(path, C.PAIR_FIGURE_COLUMNS)
    check = Checker(path, frame)
    check.required(
        "figure_id",
        "pairing_id",
        "measure",
        "measure_zh",
        "measure_en",
        "quantity",
        "unit",
        "source_id",
        "quote",
    )
    check.matches("figure_id", ID_RE, "应为字母开头的标识", "expected an id starting with a letter")
    check.unique("figure_id")
    check.refers("pairing_id", set(pairings["pairing_id"]), "pairings.csv")
    check.one_of("measure", C.MEASURES)
    check.number("quantity", 0, 1e9)
    check.one_of("unit", C.UNITS)
    check.one_of("qualifier", C.QUALIFIERS, allow_empty=True)
    check.refers("source_id", source_ids, "sources.csv")
    check.raise_if_any()
    out = frame.copy()
    out["quantity"] = out["quantity"].astype(float)
    return out


# Tolerances for township areas against their county outline and each other, as fractions of
# the area's own size: an approximate area may stray by rounding, not by a misplaced polygon.
AREA_OUTSIDE_TOLERANCE = 0.01
AREA_OVERLAP_TOLERANCE = 0.01


def load_areas(path: Path, units: pd.DataFrame) -> gpd.GeoDataFrame:
    """Township areas (approximate or official): code, approximate, method, geometry (WGS84).

    Each feature must have a known township code (once), ``approximate`` exactly true or false
    (JSON booleans, or the text ``true``/``false``), a method without control characters, and a
    valid, non-empty polygon. Feature numbers count from 1 in file order.
    """
    frame = read_geo_file(path)
    for column in ("code", "approximate", "method"):
        if column not in frame.columns:
            raise AtlasDataError.single(
                path, None, column, None, "缺少必需的列", "required column missing"
            )
    frame = to_wgs84(path, frame)
    townships = set(units.loc[units["level"] == "township", "code"])
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    flags: list[bool] = []

    def bad(i: int, column: str, value: object, zh: str, en: str) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(path.name, i + 1, column, shown, zh, en))

    rows = zip(frame["code"], frame["approximate"], frame["method"], frame.geometry, strict=True)
    for i, (raw_code, approximate, method, geom) in enumerate(rows):
        code = "" if raw_code is None else str(raw_code)
        if code not in townships:
            bad(i, "code", code, "不是已知的乡镇代码", "not a known township code")
        elif code in seen:
            bad(
                i,
                "code",
                code,
                f"与第 {seen[code]} 个要素重复：每个乡镇只能有一个面",
                f"duplicates feature {seen[code]}: one area per township",
            )
        else:
            seen[code] = i + 1
        flag = {True: True, False: False, "true": True, "false": False}.get(
            approximate if isinstance(approximate, bool | str) else None
        )
        if flag is None:
            bad(
                i,
                "approximate",
                approximate,
                "应为 true 或 false",
                "expected exactly true or false",
            )
        flags.append(bool(flag))
        if not isinstance(method, str) or control_character(method) is not None:
            bad(
                i,
                "method",
                None if method is None else "…",
                "应为不含控制字符的文字",
                "expected text without control characters",
            )
        if geom is None or geom.is_empty:
            bad(i, "geometry", code, "几何为空", "geometry is empty")
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            bad(
                i,
                "geometry",
                code,
                f"几何类型应为面（Polygon/MultiPolygon），而不是 {geom.geom_type}",
                f"geometry must be a polygon, not {geom.geom_type}",
            )
        elif not shapely.is_valid(geom):
            reason = shapely.is_valid_reason(geom)
            bad(i, "geometry", code, f"几何无效：{reason}", f"invalid geometry: {reason}")
    if problems:
        raise AtlasDataError(problems[:50])
    frame["code"] = frame["code"].astype(str)
    frame["approximate"] = flags
    # Official areas (imported boundary files, see store/boundaries.py) name their source and
    # its date; approximate ones leave both empty.
    for column in AREA_SOURCE_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
        frame[column] = [_plain_text(v) for v in values]
    return frame[["code", "approximate", "method", *AREA_SOURCE_COLUMNS, "geometry"]].reset_index(
        drop=True
    )


AREA_SOURCE_COLUMNS = ("source", "source_date")


def _plain_text(value: object) -> str:
    """A text property as one line without control characters ("" for none)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "" if control_character(text) is not None else text.strip()


def check_areas_fit(path: Path, atlas: Atlas, counties: gpd.GeoDataFrame) -> None:
    """Refuse township areas that lie outside their county's outline or overlap each other
    (beyond :data:`AREA_OUTSIDE_TOLERANCE` / :data:`AREA_OVERLAP_TOLERANCE` of their size):
    such a file would draw a township inside another county, or one place twice."""
    parent = dict(zip(atlas.units["code"], atlas.units["parent_code"], strict=True))
    outline = dict(zip(counties["code"].astype(str), counties.geometry, strict=True))
    problems: list[Problem] = []
    areas = atlas.areas.reset_index(drop=True)
    codes = areas["code"].tolist()
    geoms = areas.geometry.to_numpy()
    sizes = shapely.area(geoms)
    # One GEOS call per check over all areas (or all touching pairs), not one per row.
    placed = [i for i, code in enumerate(codes) if parent.get(code, "") in outline]
    homes = [outline[parent[codes[i]]] for i in placed]
    outside = shapely.area(shapely.difference(geoms[placed], homes)) / sizes[placed]
    for i, share in zip(placed, outside.tolist(), strict=True):
        if share > AREA_OUTSIDE_TOLERANCE:
            code = codes[i]
            problems.append(
                Problem(
                    path.name,
                    i + 1,
                    "geometry",
                    code,
                    f"面有 {share:.0%} 在所属县（{parent[code]}）的边界之外",
                    f"{share:.0%} of the area lies outside its county ({parent[code]})",
                )
            )
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right])) / np.minimum(
        sizes[left], sizes[right]
    )
    for i, j, share in zip(left.tolist(), right.tolist(), shared.tolist(), strict=True):
        if share > AREA_OVERLAP_TOLERANCE:
            problems.append(
                Problem(
                    path.name,
                    j + 1,
                    "geometry",
                    codes[j],
                    f"与第 {i + 1} 个要素（{codes[i]}）重叠 {share:.0%}",
                    f"overlaps feature {i + 1} ({codes[i]}) by {share:.0%}",
                )
            )
    if problems:
        raise AtlasDataError(problems[:50])


def check_published(paths: AtlasPaths, atlas: Atlas, today: datetime.date) -> None:
    """No source is dated in the future, and no pairing or project is dated after the source
    it cites was published: the atlas shows what a source reports, not plans (a year 2099 is a
    typing error, and would stretch the timeline)."""
    sources = Checker(paths.sources, atlas.sources)
    for row, value in sources.cells("date"):
        if value and value > today.isoformat()[: len(value)]:
            sources.add(row, "date", value, "日期在未来", "date is in the future")
    sources.raise_if_any()
    dates = zip(atlas.sources["source_id"], atlas.sources["date"], strict=True)
    published = {s: int(d[:4]) for s, d in dates if d}

    def after_source(columns: tuple[str, ...]) -> Callable[[int, Row], Finding]:
        def check(row: int, r: Row) -> Finding:
            limit = published.get(r["source_id"])
            for column in columns:
                value = r[column]
                if limit is None or value is None or pd.isna(value) or value == "":
                    continue
                if int(str(value)[:4]) > limit:
                    return (
                        column,
                        value,
                        f"晚于所引来源 {r['source_id']} 的发布年份 {limit}",
                        f"later than the publication year {limit} of its source {r['source_id']}",
                    )
            return None

        return check

    for path, frame, columns in (
        (paths.pairings, atlas.pairings, ("start_date", "period_to")),
        (paths.projects, atlas.projects, ("date", "year_from", "year_to")),
    ):
        check = Checker(path, frame)
        check.each_row(after_source(columns))
        check.raise_if_any()


# ------------------------------------------------------------------------------- whole


def load_atlas(paths: AtlasPaths | None = None, today: datetime.date | None = None) -> Atlas:
    """Load and cross-check every table; raise AtlasDataError naming the first bad file."""
    p = paths or AtlasPaths()
    sources = load_sources(p.sources)
    source_ids = set(sources["source_id"])
    nbs_units = load_units(p.units, source_ids)
    zones = (
        load_zones(p.zones, nbs_units, source_ids) if _exists(p.zones) else _empty(C.ZONE_COLUMNS)
    )
    clash = sorted(set(zones["code"]) & set(nbs_units["code"]))
    if clash:
        raise AtlasDataError.single(
            p.zones,
            None,
            "code",
            clash[0],
            "与 units.csv 中的代码重复",
            "duplicates a code of units.csv",
        )
    units = units_with_zones(nbs_units, zones)
    pairings = load_pairings(p.pairings, units, source_ids)
    projects = load_projects(p.projects, units, pairings, source_ids)
    atlas = Atlas(
        units=units,
        aliases=load_aliases(p.aliases, nbs_units, source_ids),
        sources=sources,
        pairings=pairings,
        aggregates=load_aggregates(p.aggregates, units, source_ids),
        projects=projects,
        figures=load_figures(p.figures, projects),
        areas=load_areas(p.areas, nbs_units),
        pairing_sources=(
            load_pairing_sources(p.pairing_sources, pairings, source_ids)
            if _exists(p.pairing_sources)
            else _empty(C.PAIRING_SOURCE_COLUMNS)
        ),
        zones=zones,
        outside_partners=(
            load_outside_partners(p.outside_partners, nbs_units, source_ids)
            if _exists(p.outside_partners)
            else _empty(C.OUTSIDE_PARTNER_COLUMNS)
        ),
        pair_figures=(
            load_pair_figures(p.pair_figures, pairings, source_ids)
            if _exists(p.pair_figures)
            else _empty(C.PAIR_FIGURE_COLUMNS)
        ),
    )
    check_published(p, atlas, today or datetime.date.today())
    return atlas


# ------------------------------------------------------------------------------- helpers


def _exists(path: Path) -> bool:
    """An optional table is absent when nothing is at its path (a link or a folder there is
    still read, and refused by the file gate)."""
    return path.is_symlink() or path.exists()


def _period_problem(r: Row) -> Finding:
    """The period columns of a pairing row agree with each other (see columns.PERIOD_KINDS)."""
    kind, start, end = r["period_kind"], r["start_date"], r["period_to"]
    if kind == "since" and start == "":
        return ("start_date", start, "“since” 须填写开始日期", "'since' needs a start_date")
    if kind == "round" and r["round"] == "":
        return ("round", r["round"], "“round” 须填写轮次", "'round' needs a round")
    if kind == "span" and (start == "" or end == ""):
        return (
            "period_to",
            end,
            "“span” 须填写开始和结束日期",
            "'span' needs start_date and period_to",
        )
    if kind != "span" and end != "":
        return (
            "period_to",
            end,
            "只有 “span” 可以填写结束日期",
            "only a 'span' takes a period_to",
        )
    if end and start and end < start[: len(end)]:
        return ("period_to", end, "结束早于开始", "ends before it starts")
    return None


def _precision_of(date: str) -> str:
    if date == "":
        return "undated"
    return {4: "year", 7: "month", 10: "day"}.get(len(date), "?")


def _within(code: str, ancestor: str, parents: dict[str, str]) -> bool:
    """True when ``code`` is ``ancestor`` or lies inside it (following parent codes)."""
    seen = 0
    while code and seen < 10:
        if code == ancestor:
            return True
        code = parents.get(code, "")
        seen += 1
    return False


def _related(code: str, pair_unit: str, parents: dict[str, str], level_of: dict[str, str]) -> bool:
    """A project's unit fits a pairing's unit when it is that unit or inside it, or when it is
    the township of a paired village (a township government acting for its village)."""
    if _within(code, pair_unit, parents):
        return True
    return level_of.get(code) == "township" and _within(pair_unit, code, parents)


def normalise_name(name: str) -> str:
    """Trim spaces and full-width spaces, for matching names typed in ledgers."""
    return re.sub(r"[\s\u3000]+", "", name)
