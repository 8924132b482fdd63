"""Downloadable XLSX: the import report, and the blank template with drop-down lists."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from geo import columns as C
from geo.errors import CONTROL_RE
from ledger.problems import ImportProblem

REPORT_HEADERS = (
    "级别",
    "文件",
    "行",
    "列",
    "值",
    "问题",
    "建议",
    "Severity",
    "File",
    "Row",
    "Column",
    "Value",
    "Problem",
    "Suggestion",
)
TEMPLATE_ROWS = 1000  # rows the drop-down lists cover


MAX_REPORT_CHARS = 1_000  # a value longer than this is shortened in the report


def neutralise(value: object) -> object:
    """A cell value safe to open in Excel/WPS: text starting with = + - @ (or a tab or
    carriage return) gets a leading ' so it is shown, never run as a formula; control
    characters (which XLSX cannot hold) show as U+FFFD; very long text is shortened."""
    if not isinstance(value, str):
        return value
    text = CONTROL_RE.sub("\ufffd", value)
    if len(text) > MAX_REPORT_CHARS:
        text = text[: MAX_REPORT_CHARS - 1] + "…"
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _put(ws: object, row: list[object]) -> None:
    ws.append([neutralise(v) for v in row])  # type: ignore[attr-defined]


def report_xlsx(problems: list[ImportProblem], notes: list[ImportProblem]) -> bytes:
    """One sheet, one line per problem (blocking) then per note: file, row, column, value,
    problem, suggestion in Chinese, then the same in English. Every cell neutralised."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "导入报告 Report"
    ws.append(list(REPORT_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for severity, items in (
        (("问题（阻止导入）", "problem (blocks applying)"), problems),
        (("提示", "note"), notes),
    ):
        for p in items:
            _put(
                ws,
                [
                    severity[0],
                    p.file,
                    p.row if p.row is not None else "",
                    p.column or "",
                    p.value or "",
                    p.problem_zh,
                    p.suggestion_zh,
                    severity[1],
                    p.file,
                    p.row if p.row is not None else "",
                    p.column or "",
                    p.value or "",
                    p.problem_en,
                    p.suggestion_en,
                ],
            )
    for i, width in enumerate((14, 16, 6, 14, 24, 40, 30, 14, 16, 6, 14, 24, 40, 30), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------ template

# Per kind: (Chinese header, English meaning, vocabulary name or None). The Chinese headers are
# among those ledger.mapping recognises, so a filled template maps without a mapping step.
TEMPLATE: dict[str, tuple[str, list[tuple[str, str, str | None]]]] = {
    "pairings": (
        "结对 pairings",
        [
            ("结对编号", "pairing_id: leave empty for a new pairing", None),
            ("层级", "level: 县 county / 乡镇 township / 村 village", "level"),
            ("帮扶方", "helper: code or name (e.g. 大塘镇)", None),
            ("受援方", "partner: code or name (e.g. 磨西镇)", None),
            ("结对形式", "relation (Chinese), e.g. 乡镇结对", None),
            (
                "轮次",
                "round: 第一轮 2012–2016 / 第二轮 2016–2020 / 第三轮 2021–; empty: none",
                "round",
            ),
            ("结对时间", "start date: 2019, 2019-03 or 2019-03-05", None),
            ("来源", "source: a source id, or publisher + date / address", None),
            ("原文", "quote: the source's words, verbatim", None),
        ],
    ),
    "projects": (
        "项目 projects",
        [
            ("项目编号", "project_id: leave empty for a new project", None),
            ("角色", "role: 结对 pairing / 背景 context", "role"),
            ("结对编号", "pairing_id (or leave empty and give helper and partner)", None),
            ("项目类型", "type", "type"),
            ("项目名称", "title (Chinese)", None),
            ("英文名称", "title (English), optional", None),
            ("帮扶方", "helper: code or name", None),
            ("受援方", "partner: code or name", None),
            ("日期", "date: 2020, 2020-06, 2020-06-01 or a range 2019-2020", None),
            ("来源", "source: a source id, or publisher + date / address", None),
            ("原文", "quote: the source's words, verbatim", None),
            ("备注", "note", None),
        ],
    ),
    "figures": (
        "数字 figures",
        [
            ("数字编号", "figure_id: leave empty for a new figure", None),
            ("项目编号", "project_id (or the project title)", None),
            ("指标", "measure", "measure"),
            ("数量", "quantity: a number, e.g. 10 (10余 also read)", None),
            ("单位", "unit", "unit"),
            ("限定", "qualifier: 余 over / 近 nearly / 不少于 at least / 约 about", "qualifier"),
            ("依据", "basis: 已完成 reported / 计划 agreed (a commitment, never added)", "basis"),
            ("原文", "quote: the source's words, verbatim", None),
        ],
    ),
}


def vocabulary_lists() -> dict[str, list[str]]:
    """The values each drop-down offers (what an office writes; the import reads them)."""
    from ledger.prepare import ZH_LABELS

    return {
        # Chinese words an office writes (the import reads them, and the keys too)
        "level": [ZH_LABELS["level"].get(k, k) for k in C.PAIRING_LEVELS],
        "role": [ZH_LABELS["role"].get(k, k) for k in C.PROJECT_ROLES],
        "round": [ZH_LABELS["round"].get(k, k) for k in C.ROUNDS],
        "type": [zh for zh, _ in C.PROJECT_TYPES.values()],
        "measure": [zh for zh, _ in C.MEASURES.values()],
        "unit": list(C.UNITS),
        "qualifier": [q for q in C.QUALIFIERS if q],
        "basis": [ZH_LABELS["basis"].get(k, k) for k in C.FIGURE_BASES],
    }


def template_xlsx() -> bytes:
    """A workbook with one sheet per kind (Chinese headers, the English meaning as a cell
    note), drop-down lists for every vocabulary (held on a hidden sheet ``lists``, which the
    import ignores), and a read-me sheet after them."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    readme = book.create_sheet("说明 Read me")
    for line in (
        "每个工作表导入一种数据：结对、项目、数字。表头请勿修改；每行一条记录。",
        "One sheet per kind: pairings, projects, figures. Keep the headers; one record per row.",
        "地点可写代码或名称（含 2020 年前的旧名）；来源可写来源编号或“某某日报 2021-05-10”。",
        "Places by code or name (old names too); a source by id or as free text.",
        "带下拉列表的列只接受列表中的值。Columns with a drop-down take only its values.",
    ):
        readme.append([line])
    readme.column_dimensions["A"].width = 100
    lists = book.create_sheet("lists")
    vocab = vocabulary_lists()
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(vocab.items(), start=1):
        letter = get_column_letter(i)
        lists.cell(row=1, column=i, value=name)
        for j, value in enumerate(values, start=2):
            lists.cell(row=j, column=i, value=value)
        ranges[name] = f"{quote_sheetname('lists')}!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"
    for _kind, (title, columns) in TEMPLATE.items():
        # the kinds come first: without ``sheet=`` the import reads the pairings sheet
        ws = book.create_sheet(title, index=len(book.sheetnames) - 2)
        for i, (zh, en, vocabulary) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i, value=zh)
            cell.font = Font(bold=True)
            cell.comment = Comment(en, "atlas")
            ws.column_dimensions[get_column_letter(i)].width = 18
            if vocabulary:
                letter = get_column_letter(i)
                check = DataValidation(
                    type="list",
                    formula1=f"={ranges[vocabulary]}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="不在列表中 Not in the list",
                    error="请从下拉列表中选择。Choose a value from the drop-down list.",
                )
                check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
                ws.add_data_validation(check)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
