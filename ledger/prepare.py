"""Turn a read sheet and its header mapping into rows of an atlas table, with a report.

Nothing is dropped silently: a row that cannot be prepared is left out of ``frame`` and named
in ``problems`` (and in ``unmatched`` when its place is unknown); apply is refused while any
problem exists. The editor's ``decisions`` ("row:column" -> code, or "" to leave the row out)
settle unmatched places.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from geo import columns as C
from geo.atlas import ID_RE, Atlas
from geo.atlas import _related as related
from geo.tables import normalise_number
from ledger.mapping import SIDES, _check_kind, missing_columns, place_targets, targets
from ledger.places import PlaceMatch, PlaceMatcher, clean
from ledger.problems import ImportProblem, Unmatched
from ledger.read import Sheet

TABLE_COLUMNS = {
    # the pairings' optional columns too (round, period): the atlas's pairings.csv has them
    "pairings": (*C.PAIRING_COLUMNS, *C.PAIRING_OPTIONAL_COLUMNS),
    "projects": C.PROJECT_COLUMNS,
    "figures": C.FIGURE_COLUMNS,
}
ID_COLUMN = {"pairings": "pairing_id", "projects": "project_id", "figures": "figure_id"}
ID_PREFIX = {"pairings": "P", "projects": "PR", "figures": "F"}
MAX_QUANTITY = 1e9
YEAR_RANGE = (1990, 2100)
# Excel serial day numbers read as dates in a date column: 1954-10-03 .. 2119-01-11.
SERIAL_RANGE = (20_000, 80_000)
EXCEL_EPOCH = datetime.date(1899, 12, 30)

_TARGET_ZH = {
    "helper_code": "帮扶方",
    "partner_code": "受援方",
    "source_id": "来源",
    "quote": "原文",
    "type": "项目类型",
    "title_zh": "项目名称",
    "project_id": "项目编号或项目名称",
    "measure": "指标",
    "quantity": "数量",
}


@dataclass
class Prepared:
    kind: str
    frame: pd.DataFrame  # exactly the atlas table's columns, every cell text; ids assigned
    sources: pd.DataFrame  # new source rows (SOURCE_COLUMNS) the rows refer to
    problems: list[ImportProblem]  # blocking: apply is refused while any exist
    unmatched: list[Unmatched]  # rows whose place did not match (each also a problem)
    notes: list[ImportProblem]  # non-blocking remarks
    rows: list[int] = field(default_factory=list)  # the Excel row of each frame row

    @property
    def ready(self) -> bool:
        """True when nothing blocks applying."""
        return not self.problems and not self.unmatched


class _RowFailed(Exception):
    """Raised inside a row builder once a blocking problem was recorded for the row."""


# ------------------------------------------------------------------------------ vocabularies

LEVEL_WORDS = {
    "county": ("county", "县", "区", "县区", "县级", "县（区）", "县/区", "市"),
    "township": ("township", "乡镇", "镇", "乡", "街道", "乡镇级", "乡镇（街道）", "乡镇/街道"),
    "village": ("village", "村", "社区", "村级", "村（社区）", "村/社区"),
}
ROLE_WORDS = {
    "pairing": ("pairing", "结对", "帮扶", "结对帮扶", "结对项目"),
    "context": ("context", "背景", "背景信息"),
}
BASIS_WORDS = {
    "reported": ("reported", "已完成", "完成", "实绩", "实际", "已实施", "已开展"),
    "agreed": ("agreed", "计划", "协议", "签约", "承诺", "约定", "拟"),
}
QUALIFIER_WORDS = {
    "余": ("余", "多", "以上", "over", "more than", "超过"),
    "近": ("近", "将近", "接近", "nearly", "almost"),
    "不少于": ("不少于", "至少", "不低于", "at least"),
    "约": ("约", "大约", "左右", "about", "around", "approximately"),
    "": ("",),
}


def _spellings(options: Mapping[str, Iterable[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, words in options.items():
        for word in (key, *words):
            out.setdefault(_vkey(word), key)
    return out


def _vkey(text: str) -> str:
    return re.sub(r"[\s()（）/]+", "", unicodedata.normalize("NFKC", text).lower())


# The rounds of geo/columns.ROUNDS as offices write them; "across" (placed in no round: a
# "since 2000" statement) is what an empty cell means, so it is not a spelling here.
ROUND_WORDS = {
    "R1": ("第一轮", "一轮", "首轮", "7+20", "round 1", "round1", "2012-2016", "2012–2016"),
    "R2": ("第二轮", "二轮", "脱贫攻坚", "round 2", "round2", "2016-2020", "2017-2020"),
    "R3": ("第三轮", "三轮", "乡村振兴", "round 3", "round3", "2021-"),
}


def _vocabularies() -> dict[str, dict[str, str]]:
    types = {k: (zh, en, *zh.split("/")) for k, (zh, en) in C.PROJECT_TYPES.items()}
    types["training"] = (*types["training"], "培训", "人才")
    types["donation"] = (*types["donation"], "援赠", "基础设施", "捐赠")
    types["social"] = (*types["social"], "社会力量", "企业参与", "企业")
    types["culture_tourism"] = (*types["culture_tourism"], "文化旅游", "旅游")
    measures = {k: (zh, en) for k, (zh, en) in C.MEASURES.items()}
    return {
        "level": _spellings(LEVEL_WORDS),
        "role": _spellings(ROLE_WORDS),
        "type": _spellings(types),
        "measure": _spellings(measures),
        "unit": _spellings({k: (v,) for k, v in C.UNITS.items()}),
        "qualifier": _spellings(QUALIFIER_WORDS),
        "basis": _spellings(BASIS_WORDS),
        "round": _spellings(ROUND_WORDS),
    }


VOCABULARIES = _vocabularies()


def _zh_labels() -> dict[str, dict[str, str]]:
    """Per vocabulary, each key's first Chinese spelling (what a clerk reads in a message)."""
    out: dict[str, dict[str, str]] = {}
    for name, table in VOCABULARIES.items():
        labels: dict[str, str] = {}
        for word, key in table.items():
            if key and key not in labels and re.search(r"[\u4e00-\u9fff]", word):
                labels[key] = word
        out[name] = labels
    out["type"].update({k: zh for k, (zh, _en) in C.PROJECT_TYPES.items()})
    out["measure"].update({k: zh for k, (zh, _en) in C.MEASURES.items()})
    return out


ZH_LABELS = _zh_labels()


# ------------------------------------------------------------------------------ cells


@dataclass(frozen=True)
class DateValue:
    date: str  # "" for a period or nothing
    precision: str  # day | month | year | period | undated
    year_from: str = ""
    year_to: str = ""
    note: tuple[str, str] | None = None


_DAY_RE = re.compile(
    r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(:\d{2})?)?"
)
_MONTH_RE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?")
_YEAR_RE = re.compile(r"(\d{4})\s*年?(度)?")
_PERIOD_RE = re.compile(r"(\d{4})\s*年?\s*(?:-|—|–|~|～|至|到)\s*(\d{4})\s*年?")


def parse_date(text: str) -> DateValue:
    """An office's date as the atlas writes it; ValueError (zh, en) if unreadable.

    Accepts 2019, 2019年, 2019-3, 2019.03, 2019年3月, 2019/3/5, 2019年3月5日, an Excel serial
    day number (43466 -> 2019-01-01) and a year range (2019-2020, 2019年至2020年: a period).
    """
    raw = normalise_number(text)
    if raw == "":
        return DateValue("", "undated")
    if raw.isdigit() and len(raw) in (6, 8):  # 201903, 20190305
        raw = f"{raw[:4]}-{raw[4:6]}" + (f"-{raw[6:]}" if len(raw) == 8 else "")
    if raw.isdigit() and SERIAL_RANGE[0] <= int(raw) <= SERIAL_RANGE[1]:
        day = EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        return DateValue(
            day.isoformat(),
            "day",
            note=(
                f"Excel 日期序号 {raw} 按 {day.isoformat()} 读取",
                f"Excel serial date {raw} read as {day.isoformat()}",
            ),
        )
    if m := _PERIOD_RE.fullmatch(raw):
        first, last = _year(m.group(1)), _year(m.group(2))
        if int(first) > int(last):
            raise ValueError("结束年份早于开始年份", "the end year is before the start year")
        return DateValue("", "period", first, last)
    if m := _DAY_RE.fullmatch(raw):
        year, month, day_ = _year(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            iso = datetime.date(int(year), month, day_).isoformat()
        except ValueError:
            raise ValueError("日历上没有这一天", "no such day in the calendar") from None
        return DateValue(iso, "day")
    if re.fullmatch(r"\d{4}\.0+", raw):
        # a year Excel or a script wrote as a number (2019.0): the year
        raw = raw.split(".")[0]
    if re.fullmatch(r"\d{4}\.1", raw):
        # Excel keeps 2020.10 typed in a General cell as the number 2020.1: October or January?
        raise ValueError(
            f"{raw} 可能是 {raw[:4]} 年 1 月，也可能是 Excel 把 {raw}0 存成了 {raw}；"
            f"请写成 {raw[:4]}-01 或 {raw[:4]}-10（单元格设为文本）",
            f"{raw} may be January {raw[:4]}, or {raw}0 that Excel stored as {raw}; "
            f"write {raw[:4]}-01 or {raw[:4]}-10 (with the cell formatted as text)",
        )
    if m := _MONTH_RE.fullmatch(raw):
        year, month = _year(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError("月份应在 1 到 12 之间", "the month must be 1 to 12")
        return DateValue(f"{year}-{month:02d}", "month")
    if m := _YEAR_RE.fullmatch(raw):
        return DateValue(_year(m.group(1)), "year")
    raise ValueError(
        "看不懂这个日期；请写成 2019、2019-03 或 2019-03-05",
        "cannot read this date; write 2019, 2019-03 or 2019-03-05",
    )


def _year(text: str) -> str:
    if not YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
        raise ValueError(
            f"年份应在 {YEAR_RANGE[0]} 到 {YEAR_RANGE[1]} 之间",
            f"the year must be between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}",
        )
    return text


@dataclass(frozen=True)
class Quantity:
    number: str
    qualifier: str | None  # None: the cell did not say
    unit: str | None


_QTY_RE = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def parse_quantity(text: str) -> Quantity:
    """``1,000`` -> 1000; ``10余`` -> 10 + 余; ``近500人`` -> 500 + 近 + 人; ``20万元`` ->
    20 + 万元. ValueError (zh, en) for anything else, a negative number or over 1e9."""
    raw = normalise_number(text).replace(" ", "")
    qualifier: str | None = None
    unit: str | None = None
    for word in sorted(C.UNITS, key=len, reverse=True):
        if raw.endswith(word) and len(raw) > len(word):
            unit, raw = word, raw[: -len(word)]
            break
    words = sorted(
        ((w, k) for k, ws in QUALIFIER_WORDS.items() for w in ws if w and not w.isascii()),
        key=lambda p: -len(p[0]),
    )
    for word, key in words:
        if raw.startswith(word) and len(raw) > len(word):
            qualifier, raw = key, raw[len(word) :]
            break
        if raw.endswith(word) and len(raw) > len(word):
            qualifier, raw = key, raw[: -len(word)]
            break
    if not _QTY_RE.fullmatch(raw):
        raise ValueError(
            "应为数字（可带“余”“近”等和单位，如 10余人）",
            "expected a number (optionally with 余/近 and a unit, e.g. 10余人)",
        )
    number = float(raw.replace(",", ""))
    if number < 0:
        raise ValueError("数量不能为负数", "a quantity cannot be negative")
    if number > MAX_QUANTITY:
        raise ValueError("数量过大（上限 10 亿）", "quantity too large (limit 1e9)")
    shown = str(int(number)) if number.is_integer() else repr(number)
    return Quantity(shown, qualifier, unit)


# ------------------------------------------------------------------------------ sources

_URL_RE = re.compile(r"https?://[^\s，,；;）)]+", re.IGNORECASE)
_SOURCE_DATE_RE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?")
_OUTLET_RE = re.compile(r"(报|网|台|社|杂志|新闻|频道|公众号|政府|局|委|办|办公室|中心|部)$")
_TITLE_RE = re.compile(r"《([^》]+)》")


def parse_source_text(text: str) -> dict[str, str]:
    """Title, publisher, date and url of a free-text source cell, where they can be read;
    what cannot be read stays empty (never guessed)."""
    out = {"title": "", "publisher": "", "date": "", "url": ""}
    rest = text
    if m := _URL_RE.search(rest):
        out["url"] = m.group().rstrip(".。")
        rest = rest.replace(m.group(), " ")
    if m := _SOURCE_DATE_RE.search(unicodedata.normalize("NFKC", rest)):
        year, month, day = m.group(1), int(m.group(2)), m.group(3)
        try:
            if day:
                out["date"] = datetime.date(int(year), month, int(day)).isoformat()
            elif 1 <= month <= 12:
                out["date"] = f"{year}-{month:02d}"
        except ValueError:
            pass
        if out["date"]:
            rest = unicodedata.normalize("NFKC", rest).replace(m.group(), " ")
    if m := _TITLE_RE.search(rest):
        out["title"] = m.group(1).strip()
        rest = rest.replace(m.group(), " ")
    parts = [p for p in re.split(r"[\s,，;；、:：]+", rest) if p]
    for part in parts:
        if not out["publisher"] and _OUTLET_RE.search(part):
            out["publisher"] = part
        elif not out["title"]:
            out["title"] = part
    return out


# ------------------------------------------------------------------------------ prepare


class _Builder:
    def __init__(
        self,
        kind: str,
        sheet: Sheet,
        mapping: dict[str, str | None],
        atlas: Atlas,
        decisions: dict[str, str],
    ) -> None:
        self.kind = kind
        self.sheet = sheet
        self.atlas = atlas
        self.decisions = decisions
        self.problems: list[ImportProblem] = list(sheet.problems)
        self.notes: list[ImportProblem] = list(sheet.notes)
        self.unmatched: list[Unmatched] = []
        self.places = PlaceMatcher(atlas.units, atlas.aliases)
        self.index: dict[str, int] = {}  # target -> column index
        self.header_of: dict[str, str] = {}
        for i, header in enumerate(sheet.headers):
            target = mapping.get(header)
            if target and target not in self.index:
                self.index[target] = i
                self.header_of[target] = header
        self.source_ids = set(atlas.sources["source_id"])
        self.new_sources: dict[str, dict[str, str]] = {}  # cell text -> source row
        self.side_county = {side: self._usual_county(side) for side in SIDES}
        self.row = 0
        self.cells: list[str] = []
        self.row_failed = False
        self.filled_en: list[int] = []
        # plain lookups: a sheet may have 10,000 rows, pandas indexing per row is too slow
        self.pairings: dict[str, dict[str, str]] = {
            str(r["pairing_id"]): {str(k): str(v) for k, v in r.items()}
            for r in atlas.pairings.to_dict("records")
        }
        self.source_dates = {
            str(i): ("" if pd.isna(d) else str(d))
            for i, d in zip(atlas.sources["source_id"], atlas.sources["date"], strict=True)
        }
        self.pairing_cache: dict[tuple[str, str], list[str]] = {}
        # an existing source named by its address or its exact title
        self.known_sources: dict[str, str] = {}
        for record in atlas.sources.to_dict("records"):
            for field_ in ("url", "title"):
                text = str(record.get(field_) or "")
                if text:
                    self.known_sources.setdefault(_source_key(text), str(record["source_id"]))
        # natural key -> atlas ids, for id-less rows that are already in the atlas
        self.by_key: dict[tuple[str, ...], list[str]] = {}
        for _, r in getattr(atlas, kind).iterrows():
            self.by_key.setdefault(_natural_key(kind, r), []).append(str(r[ID_COLUMN[kind]]))
        self.defaulted_relation: list[int] = []
        self.defaulted_basis: list[int] = []
        self.parents = dict(zip(atlas.units["code"], atlas.units["parent_code"], strict=True))
        self.levels = dict(zip(atlas.units["code"], atlas.units["level"], strict=True))

    # ----------------------------------------------------------------- reporting

    def problem(
        self, target: str | None, value: str | None, zh: str, en: str, szh: str = "", sen: str = ""
    ) -> None:
        column = self.header_of.get(target, target) if target else None
        self.problems.append(
            ImportProblem(self.sheet.file, self.row, column, value, zh, en, szh, sen)
        )
        self.row_failed = True

    def note(self, target: str | None, value: str | None, zh: str, en: str) -> None:
        column = self.header_of.get(target, target) if target else None
        self.notes.append(ImportProblem(self.sheet.file, self.row, column, value, zh, en))

    def get(self, target: str) -> str:
        i = self.index.get(target)
        return "" if i is None or i >= len(self.cells) else self.cells[i].strip()

    def required(self, target: str) -> str:
        value = self.get(target)
        if value == "":
            name = _TARGET_ZH.get(target, target)
            self.problem(target, "", f"{name}不能为空", f"{target} must not be empty")
        return value

    def vocab(self, target: str, vocabulary: str, value: str) -> str | None:
        table = VOCABULARIES[vocabulary]
        key = table.get(_vkey(value))
        if key is not None:
            return key
        allowed = sorted(set(table.values()) - {""})
        best = process.extractOne(_vkey(value), list(table), scorer=fuzz.WRatio)
        nearest = table[best[0]] if best else allowed[0]
        zh = ZH_LABELS[vocabulary]
        self.problem(
            target,
            value,
            f"不在允许的取值中（{'、'.join(zh.get(k, k) for k in allowed)}）",
            f"not an allowed value (expected one of: {', '.join(allowed)})",
            f"最接近的是 {zh.get(nearest, nearest)}（{nearest}）",
            f"the nearest allowed value is {nearest}",
        )
        return None

    # ----------------------------------------------------------------- places

    def _usual_county(self, side: str) -> str | None:
        """The one county every township or village pairing of the atlas has on this side,
        if there is one (the county pairs span many counties; the township data, where names
        need a county to be told apart, is where this matters)."""
        pairings = self.atlas.pairings
        below = pairings[pairings["level"].isin(["township", "village"])]
        codes = {str(c)[:6] for c in below.get(f"{side}_code", [])}
        return codes.pop() if len(codes) == 1 else None

    def place(self, side: str, *, required: bool) -> str:
        targets = place_targets(side)
        code_t, county_t, township_t, village_t = targets
        whole = self.get(code_t)
        split = [self.get(county_t), self.get(township_t), self.get(village_t)]
        if whole:
            target, value = code_t, whole
        elif any(split):
            finest = max(i for i, v in enumerate(split) if v)
            target = (county_t, township_t, village_t)[finest]
            value = " ".join(v for v in split if v)
        else:
            if required:
                name = "帮扶方" if side == "helper" else "受援方"
                self.problem(code_t, "", f"{name}不能为空", f"the {side} must not be empty")
            return ""
        key = f"{self.row}:{self.header_of.get(target, target)}"
        if key in self.decisions:
            chosen = self.decisions[key]
            if chosen == "":
                raise _LeftOut()
            if chosen not in self.places.current:
                self.problem(
                    target,
                    chosen,
                    "所选代码不是 2020 年区划中的现行单位",
                    "the chosen code is not a current unit of the 2020 codes",
                )
                return ""
            self.note(
                target,
                value,
                f"按编辑的选择读作 {self.places.label(chosen)}",
                f"read as {self.places.label(chosen)} by the editor's choice",
            )
            return chosen
        scope = self.side_county[side]
        if whole:
            found = self.places.match(whole, county=scope)
            if found.code is None and scope is not None:
                wider = self.places.match(whole)
                if wider.code is not None or not found.suggestions:
                    found = wider
        else:
            found = self.places.match_parts(*split, county=None if split[0] else scope)
        if found.code is None:
            self._unmatched(target, value, found)
            return ""
        if found.note_zh:
            self.note(target, value, found.note_zh, found.note_en)
        usual = self.side_county[side]
        if usual and not found.code.startswith(usual):
            where = self.places.name(found.code[:6])
            self.note(
                target,
                value,
                f"在{where}找到，而图集中的{'帮扶方' if side == 'helper' else '受援方'}都在"
                f"{self.places.name(usual)}",
                f"found in {where}, while every {side} in the atlas is in "
                f"{self.places.name(usual)}",
            )
        return found.code

    def _unmatched(self, target: str, value: str, found: PlaceMatch) -> None:
        column = self.header_of.get(target, target)
        self.unmatched.append(
            Unmatched(
                self.row, column, value, list(found.suggestions), found.note_zh, found.note_en
            )
        )
        labels = "、".join(f"{label}（{code}）" for code, label, _ in found.suggestions)
        self.problem(
            target,
            value,
            found.note_zh or "找不到这个地点",
            found.note_en or "place not found",
            f"可选：{labels}；或不导入这一行" if labels else "填写代码，或不导入这一行",
            (
                f"choose one of: {', '.join(f'{lbl} ({c})' for c, lbl, _ in found.suggestions)}; "
                "or leave the row out"
            )
            if labels
            else "give the code, or leave the row out",
        )

    # ----------------------------------------------------------------- sources, dates

    def source(self) -> str:
        value = self.required("source_id")
        if value == "" or value in self.source_ids:
            return value
        if value in self.new_sources:
            return self.new_sources[value]["source_id"]
        known = self.known_sources.get(_source_key(value))
        if known is not None:
            self.note(
                "source_id",
                value,
                f"按图集中已有的来源 {known} 读取",
                f"read as the atlas's source {known}",
            )
            return known
        parsed = parse_source_text(value)
        n = len(self.new_sources) + 1
        while f"import-{n:02d}" in self.source_ids:
            n += 1
        source_id = f"import-{n:02d}"
        self.source_ids.add(source_id)
        self.new_sources[value] = {
            "source_id": source_id,
            "kind": "article",
            "title": parsed["title"],
            "publisher": parsed["publisher"],
            "date": parsed["date"],
            "url": parsed["url"],
            "licence": "",
            "note": f"imported from {self.sheet.file} row {self.row}: {value}",
        }
        self.note(
            "source_id",
            value,
            f"新来源 {source_id}：标题、发布者、日期、网址请编辑确认（未能识别的留空）",
            f"new source {source_id}: the editor must confirm title, publisher, date and "
            "address (what could not be read is left empty)",
        )
        return source_id

    def date(self, target: str) -> DateValue:
        value = self.get(target)
        try:
            parsed = parse_date(value)
        except ValueError as exc:
            zh, en = exc.args
            self.problem(
                target,
                value,
                zh,
                en,
                "写成 2019、2019-03 或 2019-03-05",
                "write 2019, 2019-03 or 2019-03-05",
            )
            return DateValue("", "undated")
        if parsed.note:
            self.note(target, value, *parsed.note)
        return parsed

    def check_published(self, record: dict[str, str]) -> None:
        """No date after its source was published (the atlas shows what sources report,
        not plans), and no source dated in the future: the atlas refuses both on load."""
        source_id = record.get("source_id", "")
        new = next((s for s in self.new_sources.values() if s["source_id"] == source_id), None)
        if new is not None:
            published = new["date"]
            if published and published > datetime.date.today().isoformat()[: len(published)]:
                self.problem(
                    "source_id",
                    self.get("source_id"),
                    f"来源日期 {published} 在未来",
                    f"the source's date {published} is in the future",
                )
                return
        else:
            published = self.source_dates.get(source_id, "")
        if not published:
            return
        limit = int(published[:4])
        for column in ("start_date", "date", "year_from", "year_to"):
            value = record.get(column, "")
            if value and int(value[:4]) > limit:
                # the sheet's cell that gave the date
                target = column if self.get(column) else _DATE_TARGET[self.kind]
                self.problem(
                    target,
                    self.get(target),
                    f"晚于所引来源 {source_id} 的发布年份 {limit}",
                    f"later than the publication year {limit} of its source {source_id}",
                    "检查日期或来源",
                    "check the date or the source",
                )
                return

    # ----------------------------------------------------------------- kinds

    def pairing(self) -> dict[str, str]:
        helper = self.place("helper", required=True)
        partner = self.place("partner", required=True)
        level_cell = self.get("level")
        level = self.vocab("level", "level", level_cell) if level_cell else None
        if helper and partner:
            # a functional zone (成都高新区) pairs like a county
            levels = {
                "county"
                if self.places.units[code]["level"] == "zone"
                else self.places.units[code]["level"]
                for code in (helper, partner)
            }
            if len(levels) != 1 or next(iter(levels)) not in C.PAIRING_LEVELS:
                self.problem(
                    self._place_target("partner"),
                    self.places.name(partner),
                    f"帮扶方 {self.places.name(helper)} 与受援方 {self.places.name(partner)} "
                    "不在同一层级（县、乡镇或村）",
                    f"helper {self.places.name(helper)} and partner {self.places.name(partner)} "
                    "are not at the same level (county, township or village)",
                )
            elif level is not None and level not in levels:
                self.problem(
                    "level",
                    level_cell,
                    f"与双方的层级（{next(iter(levels))}）不符",
                    f"does not match the level of both places ({next(iter(levels))})",
                )
            else:
                level = next(iter(levels))
            if helper[:4] == partner[:4]:
                self.problem(
                    self._place_target("partner"),
                    self.places.name(partner),
                    "帮扶双方应在不同的市州",
                    "helper and partner must be in different prefectures",
                )
        date = self.date("start_date")
        if date.precision == "period":
            self.problem(
                "start_date",
                self.get("start_date"),
                "结对时间应是一个日期，不是时段",
                "a pairing starts on one date, not a period",
            )
        relation_zh = self.get("relation_zh")
        if relation_zh == "" and level:
            relation_zh = _RELATION_BY_LEVEL[level]
            self.defaulted_relation.append(self.row)
        relation_en = self.get("relation_en") or self._relation_en(relation_zh)
        round_cell = self.get("round")
        round_key = (self.vocab("round", "round", round_cell) or "") if round_cell else ""
        return {
            "round": round_key,
            # a row placed in a round reads as that round's period; otherwise as the sheet
            # gives it, with no reading added
            "period_kind": "round" if round_key else "",
            "level": level or "",
            "helper_code": helper,
            "partner_code": partner,
            "relation_zh": relation_zh,
            "relation_en": relation_en,
            "start_date": date.date,
            "start_precision": date.precision if date.precision != "period" else "undated",
            "source_id": self.source(),
            "quote": self.required("quote"),
        }

    def _place_target(self, side: str) -> str:
        for t in place_targets(side):
            if t in self.index and self.get(t):
                return t
        return f"{side}_code"

    def _relation_en(self, relation_zh: str) -> str:
        known = dict(
            zip(self.atlas.pairings["relation_zh"], self.atlas.pairings["relation_en"], strict=True)
        )
        if relation_zh in known:
            return str(known[relation_zh])
        return {v: k for k, v in _RELATION_EN.items()}.get(relation_zh, "")

    def project(self) -> dict[str, str]:
        role_cell = self.get("role")
        role = self.vocab("role", "role", role_cell) if role_cell else "pairing"
        type_cell = self.required("type")
        kind = self.vocab("type", "type", type_cell) if type_cell else ""
        title_zh = self.required("title_zh")
        title_en = self.get("title_en")
        if title_zh and not title_en:
            title_en = title_zh
            self.filled_en.append(self.row)
        helper = self.place("helper", required=True)
        partner = self.place("partner", required=False)
        pairing_id = self.get("pairing_id")
        pairings, parents, levels = self.pairings, self.parents, self.levels
        if role == "context":
            if pairing_id or partner:
                self.problem(
                    "pairing_id" if pairing_id else self._place_target("partner"),
                    pairing_id or partner,
                    "背景（context）行不属于任何结对，不应填写结对或受援方",
                    "a context row belongs to no pairing: leave pairing and partner empty",
                )
        elif pairing_id:
            if pairing_id not in pairings:
                self.problem(
                    "pairing_id",
                    pairing_id,
                    "图集中没有这个结对编号",
                    "no pairing with this id in the atlas",
                    "先导入结对表，或改用帮扶方和受援方",
                    "import the pairing first, or give helper and partner instead",
                )
            elif not partner:
                partner = pairings[pairing_id]["partner_code"]
        elif helper and partner:
            pairing_id = self._find_pairing(helper, partner, parents, levels)
        elif helper:
            self.problem(
                self._place_target("partner"),
                "",
                "结对项目须填写受援方或结对编号",
                "a pairing project needs the partner or the pairing id",
            )
        if role == "pairing" and pairing_id in pairings and helper and partner:
            p = pairings[pairing_id]
            if not related(helper, str(p["helper_code"]), parents, levels) or not related(
                partner, str(p["partner_code"]), parents, levels
            ):
                self.problem(
                    "pairing_id",
                    pairing_id,
                    f"帮扶方或受援方不属于结对 {pairing_id}",
                    f"helper or partner is not within pairing {pairing_id}",
                )
        date = self.date("date")
        year_from, year_to = date.year_from, date.year_to
        if date.date:
            year_from = year_to = date.date[:4]
        for target in ("year_from", "year_to"):
            value = self.get(target)
            if value:
                try:
                    year = parse_date(value)
                except ValueError as exc:
                    self.problem(target, value, *exc.args)
                    continue
                if year.precision != "year":
                    self.problem(target, value, "应为四位年份", "expected a four-digit year")
                    continue
                if date.date and year.date != date.date[:4]:
                    self.problem(
                        target, value, "与日期的年份不符", "does not match the year of the date"
                    )
                if target == "year_from":
                    year_from = year.date
                else:
                    year_to = year.date
        precision = date.precision
        if precision == "undated" and (year_from or year_to):
            year_from, year_to = year_from or year_to, year_to or year_from
            precision = "period"
        if year_from and year_to and int(year_from) > int(year_to):
            self.problem(
                "year_to", year_to, "结束年份早于开始年份", "the end year is before the start year"
            )
        return {
            "role": role or "",
            "pairing_id": pairing_id if role == "pairing" else "",
            "type": kind or "",
            "title_zh": title_zh,
            "title_en": title_en,
            "helper_code": helper,
            "partner_code": partner if role == "pairing" else "",
            "partner_note": self.get("partner_note"),
            "date": date.date,
            "date_precision": precision,
            "year_from": year_from,
            "year_to": year_to,
            "source_id": self.source(),
            "quote": self.required("quote"),
            "note": self.get("note"),
        }

    def _fitting(
        self, helper: str, partner: str, parents: dict[str, str], levels: dict[str, str]
    ) -> list[str]:
        """The pairing with exactly these places, else the most specific ones they fit."""
        pairs = self.pairings
        exact = [
            i
            for i, p in pairs.items()
            if (p["helper_code"], p["partner_code"]) == (helper, partner)
        ]
        if len(exact) == 1:
            return exact
        fits = [
            i
            for i, p in pairs.items()
            if related(helper, p["helper_code"], parents, levels)
            and related(partner, p["partner_code"], parents, levels)
        ]
        order = {"village": 0, "township": 1, "county": 2}
        if fits:
            best = min(order.get(pairs[i]["level"], 3) for i in fits)
            fits = [i for i in fits if order.get(pairs[i]["level"], 3) == best]
        return fits

    def _find_pairing(
        self, helper: str, partner: str, parents: dict[str, str], levels: dict[str, str]
    ) -> str:
        if (helper, partner) not in self.pairing_cache:
            self.pairing_cache[helper, partner] = self._fitting(helper, partner, parents, levels)
        fits = self.pairing_cache[helper, partner]
        if len(fits) == 1:
            return fits[0]
        h, q = self.places.name(helper), self.places.name(partner)
        if len(fits) > 1:
            ids = "、".join(fits)
            self.problem(
                self._place_target("partner"),
                q,
                f"{h} 与 {q} 属于多个结对（{ids}），无法确定",
                f"{h} and {q} fit several pairings ({ids.replace('、', ', ')})",
                "填写结对编号",
                "give the pairing id",
            )
        else:
            self.problem(
                self._place_target("partner"),
                q,
                f"图集中没有连接 {h} 与 {q} 的结对",
                f"no pairing in the atlas links {h} and {q}",
                "先导入这个结对，或填写结对编号",
                "import the pairing first, or give the pairing id",
            )
        return ""

    def figure(self) -> dict[str, str]:
        project_id = self.get("project_id")
        projects = self.atlas.projects
        if project_id:
            if project_id not in set(projects["project_id"]):
                self.problem(
                    "project_id",
                    project_id,
                    "图集中没有这个项目编号",
                    "no project with this id in the atlas",
                    "先导入项目表，或检查编号",
                    "import the project first, or check the id",
                )
        else:
            title = self.get("project_title")
            if title == "":
                self.problem(
                    "project_title" if "project_title" in self.index else "project_id",
                    "",
                    "须填写项目编号或项目名称",
                    "give the project id or the project title",
                )
            else:
                titles = {
                    clean(str(t)): str(i)
                    for t, i in zip(projects["title_zh"], projects["project_id"], strict=True)
                }
                hits = [
                    i
                    for t, i in zip(projects["title_zh"], projects["project_id"], strict=True)
                    if clean(str(t)) == clean(title)
                ]
                if len(hits) == 1:
                    project_id = str(hits[0])
                else:
                    best = process.extractOne(
                        clean(title), list(titles), scorer=fuzz.WRatio, score_cutoff=60
                    )
                    zh = "图集中有多个同名项目" if hits else "图集中没有这个名称的项目"
                    en = (
                        "several projects have this title"
                        if hits
                        else "no project with this title in the atlas"
                    )
                    self.problem(
                        "project_title",
                        title,
                        zh,
                        en,
                        f"最接近的是 {titles[best[0]]}：{best[0]}" if best else "填写项目编号",
                        f"the nearest is {titles[best[0]]}: {best[0]}"
                        if best
                        else "give the project id",
                    )
        measure_cell = self.get("measure") or self.get("measure_zh")
        measure = None
        if measure_cell == "":
            self.problem("measure", "", "指标不能为空", "measure must not be empty")
        else:
            measure = self.vocab(
                "measure" if self.get("measure") else "measure_zh", "measure", measure_cell
            )
        quantity_cell = self.required("quantity")
        qty = None
        if quantity_cell:
            try:
                qty = parse_quantity(quantity_cell)
            except ValueError as exc:
                self.problem("quantity", quantity_cell, *exc.args)
        if qty and "," in quantity_cell.replace("，", ","):
            self.note("quantity", quantity_cell, f"按 {qty.number} 读取", f"read as {qty.number}")
        unit_cell = self.get("unit")
        unit = self.vocab("unit", "unit", unit_cell) if unit_cell else None
        if qty and qty.unit and unit and qty.unit != unit:
            self.problem(
                "unit",
                unit_cell,
                f"与数量中的单位 {qty.unit} 不一致",
                f"differs from the unit {qty.unit} in the quantity",
            )
        unit = unit or (qty.unit if qty else None)
        if unit is None and not unit_cell and (qty is not None or not quantity_cell):
            self.problem(
                "unit",
                unit_cell,
                "单位不能为空",
                "unit must not be empty",
                "、".join(C.UNITS),
                ", ".join(C.UNITS),
            )
        qual_cell = self.get("qualifier")
        qualifier = self.vocab("qualifier", "qualifier", qual_cell) if qual_cell else None
        if (
            qty
            and qty.qualifier is not None
            and qualifier is not None
            and qty.qualifier != qualifier
        ):
            self.problem(
                "qualifier",
                qual_cell,
                f"与数量中的“{qty.qualifier}”不一致",
                f"differs from '{qty.qualifier}' in the quantity",
            )
        if qualifier is None:
            qualifier = qty.qualifier if qty and qty.qualifier is not None else ""
        basis_cell = self.get("basis")
        basis = self.vocab("basis", "basis", basis_cell) if basis_cell else "reported"
        if not basis_cell:
            self.defaulted_basis.append(self.row)
        zh, en = C.MEASURES.get(measure or "", ("", ""))
        return {
            "project_id": project_id,
            "measure": measure or "",
            "measure_zh": self.get("measure_zh") or zh,
            "measure_en": self.get("measure_en") or en,
            "quantity": qty.number if qty else "",
            "unit": unit or "",
            "qualifier": qualifier,
            "basis": basis or "",
            "quote": self.required("quote"),
        }


class _LeftOut(Exception):
    """The editor chose to leave this row out."""


_DATE_TARGET = {"pairings": "start_date", "projects": "date", "figures": "date"}
_RELATION_BY_LEVEL = {"county": "对口帮扶", "township": "乡镇结对", "village": "村结对"}
_RELATION_EN = {
    "paired assistance": "对口帮扶",
    "township pairing": "乡镇结对",
    "village pairing": "村结对",
}


def _next_ids(prefix: str, existing: Iterable[str], count: int) -> list[str]:
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)")
    numbers = [int(m.group(1)) for i in existing if (m := pattern.fullmatch(str(i)))]
    start = max(numbers, default=0) + 1
    return [f"{prefix}{n:02d}" for n in range(start, start + count)]


def prepare(
    kind: str,
    sheet: Sheet,
    mapping: dict[str, str | None],
    atlas: Atlas,
    decisions: dict[str, str] | None = None,
) -> Prepared:
    """Rows of the ``kind`` table from ``sheet`` read through ``mapping`` (see module doc)."""
    _check_kind(kind)
    b = _Builder(kind, sheet, mapping, atlas, decisions or {})
    columns = list(TABLE_COLUMNS[kind])
    id_column = ID_COLUMN[kind]
    for header in sheet.headers:
        if header and mapping.get(header) is None:
            b.row = sheet.header_row
            b.notes.append(
                ImportProblem(
                    sheet.file,
                    sheet.header_row,
                    header,
                    None,
                    "不认识这一列，未导入",
                    "column not recognised; not imported",
                )
            )
    if not _mapping_sane(b, kind, sheet, mapping):
        return _result(b, kind, [], [])
    missing = missing_columns(kind, mapping)
    if missing:
        for column in missing:
            b.problems.append(
                ImportProblem(
                    sheet.file,
                    sheet.header_row,
                    None,
                    column,
                    f"缺少必需的列：{_TARGET_ZH.get(column, column)}（{column}）",
                    f"required column missing: {column}",
                    "在映射步骤中指定哪一列对应它",
                    "choose the column for it in the mapping step",
                )
            )
        return _result(b, kind, [], [])
    build = {"pairings": b.pairing, "projects": b.project, "figures": b.figure}[kind]
    built: list[tuple[int, dict[str, str], str]] = []
    for number, cells in sheet.rows:
        b.row, b.cells, b.row_failed = number, cells, False
        try:
            record = build()
        except _LeftOut:
            b.note(None, None, "编辑选择不导入这一行", "left out by the editor's choice")
            continue
        b.check_published(record)
        given_id = b.get(id_column)
        if given_id and not re.fullmatch(ID_RE, unicodedata.normalize("NFKC", given_id)):
            b.problem(
                id_column,
                given_id,
                "编号应以字母开头，只含字母、数字和 _ . -",
                "an id starts with a letter and holds only letters, digits, _ . -",
                "新记录的编号留空即可自动生成；行的序号请放在“序号”列",
                "leave it empty for a new row (an id is generated); a row counter belongs in 序号",
            )
        if not b.row_failed:
            built.append((number, record, unicodedata.normalize("NFKC", given_id)))
    built = [
        (number, record, given_id or _existing_id(b, kind, number, record))
        for number, record, given_id in built
    ]
    if kind == "pairings":
        built = [item for item in built if _keeps_its_projects(b, *item)]
    # duplicates within the file (same content, ids aside; or the same id twice)
    seen: dict[tuple[str, ...], int] = {}
    seen_ids: dict[str, int] = {}
    kept: list[tuple[int, dict[str, str], str]] = []
    for number, record, given_id in built:
        b.row = number
        key = tuple(record.get(c, "") for c in columns if c != id_column)
        if key in seen:
            b.problem(
                None,
                None,
                f"与第 {seen[key]} 行重复",
                f"duplicates row {seen[key]}",
                "删除其中一行",
                "delete one of the two rows",
            )
            continue
        if given_id and given_id in seen_ids:
            b.problem(
                id_column,
                given_id,
                f"编号与第 {seen_ids[given_id]} 行重复",
                f"the id duplicates row {seen_ids[given_id]}",
                "每行用不同的编号",
                "give each row its own id",
            )
            continue
        seen[key] = number
        if given_id:
            seen_ids[given_id] = number
        kept.append((number, record, given_id))
    existing = [*getattr(atlas, kind)[id_column].astype(str), *seen_ids]
    fresh = iter(_next_ids(ID_PREFIX[kind], existing, sum(1 for *_, i in kept if not i)))
    rows: list[dict[str, str]] = []
    for _number, record, given_id in kept:
        rows.append({id_column: given_id or next(fresh), **record})
    if b.filled_en:
        b.row = 0
        b.notes.append(
            ImportProblem(
                sheet.file,
                None,
                b.header_of.get("title_en", "title_en"),
                f"{len(b.filled_en)} rows",
                f"没有英文名称的 {len(b.filled_en)} 行暂用中文名称（英文界面显示中文）",
                f"{len(b.filled_en)} rows have no English title: the Chinese title is used "
                "(shown in the English view) until translated",
            )
        )
    if b.defaulted_relation:
        b.notes.append(
            ImportProblem(
                sheet.file,
                None,
                b.header_of.get("relation_zh", "relation_zh"),
                f"{len(b.defaulted_relation)} rows",
                f"未填写结对形式的 {len(b.defaulted_relation)} 行按层级写作"
                "“对口帮扶”“乡镇结对”或“村结对”",
                f"{len(b.defaulted_relation)} rows without a relation were given the level's: "
                "paired assistance, township pairing or village pairing",
            )
        )
    if b.defaulted_basis:
        b.notes.append(
            ImportProblem(
                sheet.file,
                None,
                b.header_of.get("basis", "basis"),
                f"{len(b.defaulted_basis)} rows",
                f"未填写依据的 {len(b.defaulted_basis)} 行按“已完成（reported）”导入；"
                "约定（agreed）的数字请写明，否则会被计入合计",
                f"{len(b.defaulted_basis)} rows without a basis were read as reported; mark "
                "agreed figures as such, or they are added into totals",
            )
        )
    return _result(b, kind, rows, [n for n, *_ in kept])


def _keeps_its_projects(b: _Builder, number: int, record: dict[str, str], pairing_id: str) -> bool:
    """A row that replaces an atlas pairing must still contain that pairing's projects: moving
    P01 to other places would leave them pointing outside it."""
    if not pairing_id:
        return True
    projects = b.atlas.projects
    linked = projects[projects["pairing_id"] == pairing_id]
    outside = [
        str(p["project_id"])
        for _, p in linked.iterrows()
        if not related(str(p["helper_code"]), record["helper_code"], b.parents, b.levels)
        or not related(str(p["partner_code"]), record["partner_code"], b.parents, b.levels)
    ]
    if not outside:
        return True
    b.row = number
    shown = "、".join(outside)
    b.problem(
        b._place_target("helper"),
        None,
        f"这一行会改变结对 {pairing_id} 的双方，使项目 {shown} 不再属于它",
        f"this row changes the places of pairing {pairing_id}, leaving its projects "
        f"{shown.replace('、', ', ')} outside it",
        "保留原来的帮扶方和受援方，或新建一个结对（编号留空）",
        "keep its helper and partner, or add a new pairing (leave the id empty)",
    )
    return False


def _source_key(text: str) -> str:
    """A source's address or title compared without case, spaces or a trailing slash."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower().rstrip("/")


def _natural_key(kind: str, record: dict[str, str] | pd.Series) -> tuple[str, ...]:
    """What makes a row the same row as one already in the atlas, when it carries no id."""
    if kind == "pairings":
        return (
            str(record["helper_code"]),
            str(record["partner_code"]),
            str(record.get("round", "")),
        )
    if kind == "projects":
        return (
            clean(str(record["title_zh"])),
            str(record["helper_code"]),
            str(record["partner_code"]),
        )
    return (str(record["project_id"]), str(record["measure"]), str(record["unit"]))


def _existing_id(b: _Builder, kind: str, number: int, record: dict[str, str]) -> str:
    """The id of the one atlas row this id-less row is (same natural key), or "": an office
    importing its whole ledger again updates its rows instead of doubling them."""
    hits = b.by_key.get(_natural_key(kind, record), [])
    if kind == "pairings" and "round" not in b.index:
        # a sheet that keeps no rounds: the pair, if the atlas holds it once in any round
        pair = (str(record["helper_code"]), str(record["partner_code"]))
        hits = [i for key, ids in b.by_key.items() if key[:2] == pair for i in ids]
    if len(hits) != 1:
        return ""
    b.row = number
    b.note(
        ID_COLUMN[kind],
        None,
        f"与图集中的 {hits[0]} 是同一条记录：导入后更新它",
        f"the same record as {hits[0]} in the atlas: importing updates it",
    )
    return hits[0]


def _mapping_sane(b: _Builder, kind: str, sheet: Sheet, mapping: dict[str, str | None]) -> bool:
    """Every mapped target exists for ``kind``, no target is given twice, and no two columns
    share a header (the mapping could not tell them apart)."""
    allowed = set(targets(kind))
    ok = True
    by_target: dict[str, str] = {}
    counts: dict[str, int] = {}
    for header in sheet.headers:
        counts[header] = counts.get(header, 0) + 1
    for header in dict.fromkeys(sheet.headers):
        target = mapping.get(header)
        if header and counts[header] > 1:
            ok = False
            b.problems.append(
                ImportProblem(
                    sheet.file,
                    sheet.header_row,
                    header,
                    None,
                    f"有 {counts[header]} 列同名",
                    f"{counts[header]} columns have this header",
                    "把其中一列改名",
                    "rename all but one of them",
                )
            )
        if target is None:
            continue
        if target not in allowed:
            ok = False
            b.problems.append(
                ImportProblem(
                    sheet.file,
                    sheet.header_row,
                    header,
                    target,
                    "映射到的不是这类数据的列",
                    f"mapped to a column that {kind} do not have",
                    "可选：" + "、".join(sorted(allowed)),
                    "choose one of: " + ", ".join(sorted(allowed)),
                )
            )
        elif target in by_target:
            ok = False
            b.problems.append(
                ImportProblem(
                    sheet.file,
                    sheet.header_row,
                    header,
                    target,
                    f"与“{by_target[target]}”列映射到同一列",
                    f"mapped to the same column as '{by_target[target]}'",
                    "每个图集列只映射一次",
                    "map each atlas column once",
                )
            )
        else:
            by_target[target] = header
    return ok


def _result(b: _Builder, kind: str, rows: list[dict[str, str]], numbers: list[int]) -> Prepared:
    columns = list(TABLE_COLUMNS[kind])
    frame = pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows], columns=columns, dtype=str
    )
    used = {r.get("source_id", "") for r in rows}
    sources = pd.DataFrame(
        [
            [s[c] for c in C.SOURCE_COLUMNS]
            for s in b.new_sources.values()
            if s["source_id"] in used
        ],
        columns=list(C.SOURCE_COLUMNS),
        dtype=str,
    )
    return Prepared(kind, frame, sources, b.problems, b.unmatched, b.notes, numbers)
