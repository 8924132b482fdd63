"""Map an office's headers to the atlas's columns (Chinese and English, common variants).

Targets are the atlas table's columns (geo/columns.py) plus a few the import resolves itself:
``helper_county``/``helper_township``/``helper_village`` (and ``partner_…``) for a place split
across columns, and ``project_title`` for a figure that names its project by title. A place
column (``helper_code``, ``partner_code``) takes a code or a name at any level; ``source_id``
takes a source id or free text ("某某日报 2021-05-10", a URL).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

KINDS = ("pairings", "projects", "figures")

SIDES = ("helper", "partner")
PLACE_LEVELS = ("county", "township", "village")


def place_targets(side: str) -> tuple[str, ...]:
    return (f"{side}_code", *(f"{side}_{level}" for level in PLACE_LEVELS))


_PLACES = {t for side in SIDES for t in place_targets(side)}

# target -> accepted header spellings (normalised by _norm: lower case, no spaces/brackets).
_COMMON: dict[str, tuple[str, ...]] = {
    "helper_code": (
        "帮扶方",
        "帮扶单位",
        "帮扶地",
        "成都方",
        "蒲江方",
        "帮扶方代码",
        "帮扶单位代码",
        "帮扶方名称",
        "helper",
        "helpercode",
        "helperunit",
    ),
    "partner_code": (
        "受援方",
        "受援单位",
        "受援地",
        "结对方",
        "甘孜方",
        "泸定方",
        "被帮扶方",
        "受帮扶方",
        "受援方代码",
        "受援单位代码",
        "受援方名称",
        "partner",
        "partnercode",
        "partnerunit",
    ),
    "source_id": (
        "来源",
        "出处",
        "来源编号",
        "资料来源",
        "信息来源",
        "数据来源",
        "source",
        "sourceid",
    ),
    "quote": ("原文", "引文", "摘录", "原文摘录", "原文引用", "quote", "citation"),
}

_BY_KIND: dict[str, dict[str, tuple[str, ...]]] = {
    "pairings": {
        "pairing_id": ("结对编号", "编号", "pairingid", "id"),
        "level": ("层级", "级别", "结对层级", "结对级别", "level"),
        "relation_zh": (
            "结对形式",
            "结对关系",
            "关系",
            "帮扶形式",
            "结对类型",
            "relationzh",
            "relation",
        ),
        "relation_en": ("结对形式英文", "关系英文", "relationen"),
        "round": ("轮次", "帮扶轮次", "援助轮次", "对口支援轮次", "批次", "round"),
        "start_date": (
            "结对时间",
            "结对日期",
            "开始时间",
            "开始日期",
            "结对年份",
            "日期",
            "时间",
            "年份",
            "startdate",
            "date",
            "year",
        ),
    },
    "projects": {
        "project_id": ("项目编号", "编号", "projectid", "id"),
        "role": ("角色", "项目角色", "role"),
        "pairing_id": ("结对编号", "所属结对", "pairingid", "pairing"),
        "type": ("项目类型", "类型", "类别", "帮扶类型", "项目类别", "type", "category"),
        "title_zh": (
            "项目名称",
            "名称",
            "项目",
            "项目内容",
            "事项",
            "标题",
            "titlezh",
            "title",
            "project",
        ),
        "title_en": ("英文名称", "项目英文名称", "titleen", "englishtitle"),
        "partner_note": ("受援方说明", "受援说明", "partnernote"),
        "date": (
            "日期",
            "时间",
            "年份",
            "实施时间",
            "开展时间",
            "项目时间",
            "项目日期",
            "date",
            "year",
        ),
        "year_from": ("起始年份", "开始年份", "起始年", "开始年", "yearfrom"),
        "year_to": ("结束年份", "截止年份", "结束年", "截止年", "yearto"),
        "note": ("备注", "说明", "note", "notes", "remark"),
    },
    "figures": {
        "figure_id": ("数字编号", "指标编号", "figureid", "id", "编号"),
        "project_id": ("项目编号", "projectid"),
        "project_title": ("项目名称", "项目", "projecttitle", "project", "titlezh"),
        "measure": ("指标", "指标类型", "统计指标", "measure"),
        "measure_zh": ("指标名称", "指标说明", "measurezh"),
        "measure_en": ("指标英文", "指标英文名称", "measureen"),
        "quantity": ("数量", "数值", "数目", "数据", "quantity", "value", "number", "amount"),
        "unit": ("单位", "计量单位", "unit"),
        "qualifier": ("限定", "限定词", "约数", "修饰", "qualifier"),
        "basis": ("依据", "性质", "口径", "状态", "完成情况", "basis"),
    },
}

# What must be mapped: atlas column -> targets any one of which fills it.
_REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "pairings": {
        "helper_code": place_targets("helper"),
        "partner_code": place_targets("partner"),
        "source_id": ("source_id",),
        "quote": ("quote",),
    },
    "projects": {
        "type": ("type",),
        "title_zh": ("title_zh",),
        "helper_code": place_targets("helper"),
        "source_id": ("source_id",),
        "quote": ("quote",),
    },
    "figures": {
        "project_id": ("project_id", "project_title"),
        "measure": ("measure", "measure_zh"),
        "quantity": ("quantity",),
        "quote": ("quote",),
    },
}

# Headers that look like a column but are not one: a row counter is never an id.
_IGNORED = {"序号", "no", "行号", "number."}

_HELPER_WORDS = ("帮扶", "成都", "蒲江", "helper")
_PARTNER_WORDS = ("受援", "受帮扶", "被帮扶", "结对方", "甘孜", "泸定", "partner")
_LEVEL_WORDS = (
    ("village", ("村", "社区", "village", "community")),
    ("township", ("乡", "镇", "街道", "township", "town")),
    ("county", ("县", "区", "county", "district")),
)


def _norm(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).lower()
    text = re.sub(r"[（(\[【].*?(必填|选填|可选|required|optional)[)）\]】]", "", text)
    return re.sub(r"[\s_\-/、:：()（）\[\]【】*.·]+", "", text)


# What the mapping step shows for each target: (Chinese, English).
TARGET_LABELS: dict[str, tuple[str, str]] = {
    "pairing_id": ("结对编号", "pairing id"),
    "project_id": ("项目编号", "project id"),
    "figure_id": ("数字编号", "figure id"),
    "level": ("层级", "level"),
    "relation_zh": ("结对形式", "relation (Chinese)"),
    "relation_en": ("结对形式（英文）", "relation (English)"),
    "start_date": ("结对时间", "start date"),
    "round": ("轮次", "round"),
    "role": ("角色", "role"),
    "type": ("项目类型", "project type"),
    "title_zh": ("项目名称", "title (Chinese)"),
    "title_en": ("项目名称（英文）", "title (English)"),
    "partner_note": ("受援方说明", "partner note"),
    "date": ("日期", "date"),
    "year_from": ("起始年份", "from year"),
    "year_to": ("结束年份", "to year"),
    "note": ("备注", "note"),
    "project_title": ("项目名称", "project title"),
    "measure": ("指标", "measure"),
    "measure_zh": ("指标名称", "measure label (Chinese)"),
    "measure_en": ("指标名称（英文）", "measure label (English)"),
    "quantity": ("数量", "quantity"),
    "unit": ("单位", "unit"),
    "qualifier": ("限定", "qualifier"),
    "basis": ("依据", "basis"),
    "source_id": ("来源", "source"),
    "quote": ("原文", "quote"),
    "helper_code": ("帮扶方（代码或名称）", "helper (code or name)"),
    "helper_county": ("帮扶方县区", "helper county"),
    "helper_township": ("帮扶方乡镇街道", "helper township"),
    "helper_village": ("帮扶方村社区", "helper village"),
    "partner_code": ("受援方（代码或名称）", "partner (code or name)"),
    "partner_county": ("受援方县区", "partner county"),
    "partner_township": ("受援方乡镇街道", "partner township"),
    "partner_village": ("受援方村社区", "partner village"),
}


def targets(kind: str) -> list[str]:
    """Every target a header of ``kind`` may map to (for the editor's mapping step)."""
    _check_kind(kind)
    extra = [t for side in SIDES for t in place_targets(side)]
    own = list(_BY_KIND[kind])
    common = ["source_id", "quote"]
    if kind == "figures":
        return own + common
    return own + [t for t in extra if t not in own] + common


def _lookup(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for target, spellings in _BY_KIND[kind].items():
        for spelling in (*spellings, target):
            table.setdefault(_norm(spelling), target)
    for target, spellings in _COMMON.items():
        if kind == "figures" and target in _PLACES:
            continue
        for spelling in (*spellings, target):
            table.setdefault(_norm(spelling), target)
    return table


def _guess_place(kind: str, key: str) -> str | None:
    """``帮扶乡镇`` -> helper_township, ``受援村`` -> partner_village (side word + level word)."""
    if kind == "figures":
        return None
    side = None
    if any(w in key for w in _PARTNER_WORDS):
        side = "partner"
    elif any(w in key for w in _HELPER_WORDS):
        side = "helper"
    if side is None:
        return None
    for level, words in _LEVEL_WORDS:
        if any(w in key for w in words):
            return f"{side}_{level}"
    return None


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def detect_mapping(kind: str, headers: list[str]) -> dict[str, str | None]:
    """header -> target (an atlas column or a place part), or None when not recognised.

    A header recognised twice maps only the first time (the second is None). A bilingual
    header ("帮扶方 helper") is tried whole, then part by part.
    """
    _check_kind(kind)
    table = _lookup(kind)
    out: dict[str, str | None] = {}
    used: set[str] = set()
    for header in headers:
        key = _norm(header)
        target: str | None = None
        if key and key not in _IGNORED:
            target = table.get(key)
            if target is None:
                parts = [_norm(p) for p in re.split(r"[\s/|]+", header.strip()) if _norm(p)]
                found = {table[p] for p in parts if p in table}
                if len(found) == 1:
                    target = found.pop()
            if target is None:
                target = _guess_place(kind, key)
        if target is not None and target in used:
            target = None
        if target is not None:
            used.add(target)
        if header in out and out[header] is not None:
            continue
        out[header] = target
    return out


def missing_columns(kind: str, mapping: dict[str, str | None]) -> list[str]:
    """Atlas columns that must come from the sheet but that no header maps to."""
    _check_kind(kind)
    mapped = {t for t in mapping.values() if t}
    return [
        column
        for column, fillers in _REQUIRED[kind].items()
        if not any(f in mapped for f in fillers)
    ]


def headers_key(headers: list[str]) -> str:
    """A stable key for a list of headers: the same headers (up to spaces, case, full-width
    forms, brackets) give the same key, so an editor's mapping is remembered for the next
    file. A hex SHA-256 of the normalised headers, 64 characters."""
    normalised = [_norm(h) for h in headers]
    while normalised and not normalised[-1]:
        normalised.pop()
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode()).hexdigest()


def reuse_mapping(remembered: dict[str, str | None], headers: list[str]) -> dict[str, str | None]:
    """An editor's remembered mapping applied to a new file whose headers have the same
    :func:`headers_key` but may be spelled slightly differently ("帮扶方（必填）", full-width
    letters): each header takes the target of the remembered header that normalises alike."""
    by_norm = {_norm(h): t for h, t in remembered.items()}
    return {h: by_norm.get(_norm(h)) for h in headers}
