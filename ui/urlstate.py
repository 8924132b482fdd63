"""The view state that lives in the URL: parse and write query parameters (pure, no streamlit).

Parameters: ``lang`` (zh|en), ``mode`` (explore|present), ``view`` (detail|overview),
``types`` (comma-separated type keys), ``from`` and ``to`` (years), ``level`` (comma-separated
county|township|village), ``unit`` (a unit code), ``spans`` (1: include activities reported
only as a span of years when the years are narrowed). Unknown parameters and malformed values are
ignored, each with a notice; nothing here raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from geo.columns import PAIRING_LEVELS, PROJECT_TYPES
from geo.filters import Filters
from geo.i18n import Lang

Mode = Literal["explore", "present"]
ViewName = Literal["detail", "overview"]
KNOWN = ("lang", "mode", "view", "types", "from", "to", "level", "unit", "spans")


@dataclass(frozen=True)
class ViewState:
    lang: Lang = "zh"
    mode: Mode = "explore"
    view: ViewName = "detail"
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class Notice:
    """One ignored parameter: its name, the raw value and why (bilingual)."""

    param: str
    value: str
    why_zh: str
    why_en: str

    def text(self, lang: Lang) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        if lang == "zh":
            return f"已忽略链接参数 {self.param}=“{shown}”：{self.why_zh}"
        return f"Ignored link parameter {self.param}='{shown}': {self.why_en}"


def _year(raw: str, low: int, high: int) -> int | None:
    return int(raw) if raw.isdigit() and low <= int(raw) <= high else None


def parse_query(
    params: Mapping[str, str], unit_codes: set[str], years: tuple[int, int]
) -> tuple[ViewState, list[Notice]]:
    """Read a ViewState from query parameters; every bad value becomes a Notice."""
    notices: list[Notice] = []

    def bad(name: str, why_zh: str, why_en: str) -> None:
        notices.append(Notice(name, str(params.get(name, "")), why_zh, why_en))

    for name in params:
        if name not in KNOWN:
            notices.append(Notice(name, str(params[name]), "未知参数", "unknown parameter"))

    def choice(name: str, options: tuple[str, ...]) -> str:
        """The parameter if it is one of ``options``; else the first option (the default)."""
        if name in params and params[name] not in options:
            joined = " / ".join(options)
            bad(name, f"应为 {joined}", f"expected {joined}")
        return params[name] if params.get(name) in options else options[0]

    lang: Lang = "en" if choice("lang", ("zh", "en")) == "en" else "zh"
    mode: Mode = "present" if choice("mode", ("explore", "present")) == "present" else "explore"
    view: ViewName = (
        "overview" if choice("view", ("detail", "overview")) == "overview" else "detail"
    )
    types = None
    if "types" in params:
        keys = [k.strip() for k in params["types"].split(",") if k.strip()]
        good = [k for k in keys if k in PROJECT_TYPES]
        if len(good) != len(keys):
            unknown = ", ".join(k for k in keys if k not in PROJECT_TYPES)
            bad("types", f"未知类型 {unknown}", f"unknown type(s) {unknown}")
        types = frozenset(good) if good else None
    lo, hi = years
    year_from = year_to = None
    for name in ("from", "to"):
        if name in params:
            value = _year(params[name], lo, hi)
            if value is None:
                bad(name, f"应为 {lo} 到 {hi} 之间的年份", f"expected a year from {lo} to {hi}")
            elif name == "from":
                year_from = value
            else:
                year_to = value
    if year_from is not None and year_to is not None and year_from > year_to:
        bad("from", "起始年份晚于结束年份", "start year is after end year")
        year_from = year_to = None
    levels = None
    if "level" in params:
        keys = [k.strip() for k in params["level"].split(",") if k.strip()]
        good = [k for k in keys if k in PAIRING_LEVELS]
        if len(good) != len(keys) or not good:
            bad("level", "应为 county、township 或 village", "expected county, township or village")
        levels = frozenset(good) if good else None
    unit = None
    if "unit" in params:
        if params["unit"] in unit_codes:
            unit = params["unit"]
        else:
            bad("unit", "不是已知的单位代码", "not a known unit code")
    include_spans = choice("spans", ("0", "1")) == "1"
    filters = Filters(types, year_from, year_to, levels, unit, include_spans)
    return ViewState(lang, mode, view, filters), notices


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters for ``state``; defaults are left out so links stay short."""
    q: dict[str, str] = {}
    if state.lang != "zh":
        q["lang"] = state.lang
    if state.mode != "explore":
        q["mode"] = state.mode
    if state.view != "detail":
        q["view"] = state.view
    f = state.filters
    if f.types is not None:
        q["types"] = ",".join(k for k in PROJECT_TYPES if k in f.types)
    if f.year_from is not None:
        q["from"] = str(f.year_from)
    if f.year_to is not None:
        q["to"] = str(f.year_to)
    if f.levels is not None:
        q["level"] = ",".join(k for k in PAIRING_LEVELS if k in f.levels)
    if f.unit:
        q["unit"] = f.unit
    if f.include_spans:
        q["spans"] = "1"
    return q
