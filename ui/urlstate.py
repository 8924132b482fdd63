"""The view state that lives in the URL: parse and write query parameters (pure, no streamlit).

Parameters: ``lang`` (zh|en), ``mode`` (explore|present), ``view`` (detail|overview),
``types`` (comma-separated type keys, ``none`` when no type is chosen), ``from`` and ``to``
(years, ASCII digits), ``level`` (comma-separated county|township|village, ``none`` when no level
is chosen), ``unit`` (a unit code), ``pair`` (a pairing id: the selected link), ``spans``
(1: include activities reported only as a span of years when the years are narrowed),
``round`` (comma-separated R1|R2|R3|across, ``none`` when no round is chosen), ``page``
(editor: the ledger editor's page, login first). Malformed
values, repeated parameters and empty lists are ignored, each with a notice; all unknown
parameters share one notice; nothing here raises.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from geo.columns import PAIRING_LEVELS, PROJECT_TYPES, ROUND_KEYS
from geo.filters import Filters
from geo.i18n import Lang

Mode = Literal["explore", "present"]
ViewName = Literal["detail", "overview"]
KNOWN = (
    "lang",
    "mode",
    "view",
    "types",
    "from",
    "to",
    "level",
    "unit",
    "pair",
    "spans",
    "round",
    "page",
)


@dataclass(frozen=True)
class ViewState:
    lang: Lang = "zh"
    mode: Mode = "explore"
    view: ViewName = "detail"
    filters: Filters = field(default_factory=Filters)
    pair: str | None = None  # a selected link (pairing id); exclusive with filters.unit


# A cleared filter (no type or no level chosen) is written ``none``: an empty value would read
# back as "no restriction".
NONE = "none"
# Unknown parameters named in one notice at most; more are counted.
MAX_NAMED = 5


@dataclass(frozen=True)
class Notice:
    """Ignored parameter(s): the first name and raw value, more (name, value) pairs when one
    notice is about several parameters, and why (bilingual)."""

    param: str
    value: str
    why_zh: str
    why_en: str
    others: tuple[tuple[str, str], ...] = ()
    ignored: bool = True  # False: the parameter was used in part (a repeated one: its last value)

    def params(self) -> tuple[str, ...]:
        """Every parameter this notice is about (it is shown while one is in the URL)."""
        return (self.param, *(name for name, _ in self.others))

    def text(self, lang: Lang) -> str:
        pairs = [(self.param, self.value), *self.others]
        if lang == "zh":
            shown = "、".join(f"{n}=“{_short(v)}”" for n, v in pairs)
            return f"{'已忽略链接参数' if self.ignored else '链接参数'} {shown}：{self.why_zh}"
        shown = ", ".join(f"{n}='{_short(v)}'" for n, v in pairs)
        lead = "Ignored link parameter" if self.ignored else "Link parameter"
        return f"{lead}{'s' if len(pairs) > 1 else ''} {shown}: {self.why_en}"


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


def _year(raw: str, low: int, high: int) -> int | None:
    # str.isdigit() accepts superscripts and other scripts' digits (²⁰¹⁸), which int() refuses
    # or reads differently: only ASCII 0-9 make a year.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
        return None
    return int(raw) if low <= int(raw) <= high else None


def parse_query(
    params: Mapping[str, str | Sequence[str]],
    unit_codes: Collection[str],
    years: tuple[int, int],
    pairing_ids: Collection[str] = frozenset(),
) -> tuple[ViewState, list[Notice]]:
    """Read a ViewState from query parameters; every bad value becomes a Notice.

    A value may be a list (a parameter given more than once, as ``st.query_params.get_all``
    returns it): the last one is used, as Streamlit does, with a notice. ``unit_codes`` are the
    units a link may select (those the unit selector offers).
    """
    notices: list[Notice] = []
    values: dict[str, str] = {}
    for name, raw in params.items():
        given = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        values[name] = given[-1] if given else ""
        if len(given) > 1 and name in KNOWN:
            notices.append(
                Notice(
                    name,
                    " | ".join(given),
                    f"重复给出 {len(given)} 次，只使用最后一个值",
                    f"given {len(given)} times; only the last value is used",
                    ignored=False,
                )
            )

    def bad(name: str, why_zh: str, why_en: str) -> None:
        notices.append(Notice(name, values.get(name, ""), why_zh, why_en))

    unknown = [name for name in values if name not in KNOWN]
    if unknown:
        named = [(n, values[n]) for n in unknown[:MAX_NAMED]]
        more = len(unknown) - len(named)
        notices.append(
            Notice(
                named[0][0],
                named[0][1],
                "未知参数" + (f"（另有 {more} 个）" if more else ""),
                "unknown parameter"
                + ("s" if len(unknown) > 1 else "")
                + (f" (and {more} more)" if more else ""),
                tuple(named[1:]),
            )
        )

    def choice(name: str, options: tuple[str, ...]) -> str:
        """The parameter if it is one of ``options``; else the first option (the default)."""
        if name in values and values[name] not in options:
            joined = " / ".join(options)
            bad(name, f"应为 {joined}", f"expected {joined}")
        return values[name] if values.get(name) in options else options[0]

    def keys(name: str, allowed: Mapping[str, object] | tuple[str, ...]) -> frozenset[str] | None:
        """A comma-separated set; ``none`` = nothing chosen; empty or unknown keys noticed."""
        raw = values[name].strip()
        if raw == NONE:
            return frozenset()
        parts = [k.strip() for k in raw.split(",") if k.strip()]
        if not parts:
            bad(
                name,
                f"为空；不选任何一项请写 {name}={NONE}",
                f"empty; to choose nothing write {name}={NONE}",
            )
            return None
        good = [k for k in parts if k in allowed]
        if len(good) != len(parts):
            unknown = _short(", ".join(k for k in parts if k not in allowed))
            expected = ", ".join(allowed)
            bad(
                name,
                f"未知的取值 {unknown}（应为 {expected}）",
                f"unknown value(s) {unknown} (expected {expected})",
            )
        return frozenset(good) if good else None

    lang: Lang = "en" if choice("lang", ("zh", "en")) == "en" else "zh"
    mode: Mode = "present" if choice("mode", ("explore", "present")) == "present" else "explore"
    view: ViewName = (
        "overview" if choice("view", ("detail", "overview")) == "overview" else "detail"
    )
    types = keys("types", PROJECT_TYPES) if "types" in values else None
    lo, hi = years
    year_from = year_to = None
    for name in ("from", "to"):
        if name in values:
            raw = values[name].strip()
            value = _year(raw, lo, hi)
            if value is None and raw.isdigit() and not raw.isascii():
                bad(name, "年份只能用数字 0–9 书写", "a year is written with the digits 0-9 only")
            elif value is None:
                bad(name, f"应为 {lo} 到 {hi} 之间的年份", f"expected a year from {lo} to {hi}")
            elif name == "from":
                year_from = value
            else:
                year_to = value
    if year_from is not None and year_to is not None and year_from > year_to:
        notices.append(
            Notice(
                "from",
                values["from"],
                "起始年份（from）晚于结束年份（to）",
                "the start year (from) is after the end year (to)",
                (("to", values["to"]),),
            )
        )
        year_from = year_to = None
    levels = keys("level", PAIRING_LEVELS) if "level" in values else None
    rounds = keys("round", ROUND_KEYS) if "round" in values else None
    unit = None
    if "unit" in values:
        if values["unit"] in unit_codes:
            unit = values["unit"]
        else:
            bad("unit", "不是地图上可选的单位代码", "not the code of a unit on this map")
    pair = None
    if "pair" in values:
        if values["pair"] in pairing_ids and unit is None:
            pair = values["pair"]
        elif unit is not None:
            bad("pair", "与 unit 同时给出，已保留 unit", "given together with unit; unit kept")
        else:
            bad("pair", "不是已知的结对编号", "not a known pairing id")
    include_spans = choice("spans", ("0", "1")) == "1"
    filters = Filters(types, year_from, year_to, levels, unit, include_spans, rounds)
    return ViewState(lang, mode, view, filters, pair), notices


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
        q["types"] = ",".join(k for k in PROJECT_TYPES if k in f.types) or NONE
    if f.year_from is not None:
        q["from"] = str(f.year_from)
    if f.year_to is not None:
        q["to"] = str(f.year_to)
    if f.levels is not None:
        q["level"] = ",".join(k for k in PAIRING_LEVELS if k in f.levels) or NONE
    if f.rounds is not None:
        q["round"] = ",".join(k for k in ROUND_KEYS if k in f.rounds) or NONE
    if f.unit:
        q["unit"] = f.unit
    if state.pair:
        q["pair"] = state.pair
    if f.include_spans:
        q["spans"] = "1"
    return q
