"""Bad files as offices send them, built here for tests/store/test_bad_files.py: each with the
row, column and value its report must name and a word of the message in each language."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

H = ["项目名称", "项目类型", "帮扶乡镇", "受援乡镇", "实施时间", "来源", "原文"]
GOOD = ["大塘镇电商培训二期", "电商", "大塘镇", "磨西镇", "2020", "sc3n-2020-07-02", "某原文"]


def csv(rows: list[list[str]], encoding: str = "utf-8", eol: str = "\r\n") -> bytes:
    return (eol.join(",".join(r) for r in rows) + eol).encode(encoding)


def xlsx(rows: list[list[Any]], edit: Callable[[Workbook, Worksheet], None] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    for r in rows:
        ws.append(r)
    if edit:
        edit(wb, ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(**changes: str) -> list[str]:
    out = list(GOOD)
    for k, v in changes.items():
        out[H.index(k)] = v
    return out


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def zip_bomb() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx([H, GOOD])))
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    return zip_of({**members, "xl/media/huge.bin": b"\0" * (150 * 1024 * 1024)})


def merged(wb: Workbook, ws: Worksheet) -> None:
    ws.merge_cells("A2:B2")


def formula(wb: Workbook, ws: Worksheet) -> None:
    ws["A2"] = '=HYPERLINK("http://evil.example","x")'


def hidden_only(wb: Workbook, ws: Worksheet) -> None:
    hidden = wb.create_sheet("数据")
    for values in list(ws.values):
        hidden.append(list(values))
    ws.delete_rows(1, ws.max_row)
    hidden.sheet_state = "hidden"


def serial_after_source(wb: Workbook, ws: Worksheet) -> None:
    ws["E2"] = 44197  # 2021-01-01 as Excel stores a date typed as a number


@dataclass(frozen=True)
class Case:
    data: bytes
    row: int | None
    column: str | None
    value: str | None  # a part of the value the report names; None: no value
    zh: str
    en: str
    options: dict[str, str] = field(default_factory=dict)
    kind: str = "projects"


FH = ["项目编号", "指标", "数量", "单位", "依据", "原文"]
FIG = ["PR05", "training_guidance", "12", "次", "reported", "专题培训和现场指导10余次"]


CASES: dict[str, Case] = {
    "gbk-read-with-a-wrong-override": Case(
        csv([H, GOOD], "gbk"), 1, None, "cf ee", "不是 utf-8", "not utf-8", {"encoding": "utf-8"}
    ),
    "neither-utf8-nor-gbk": Case(
        b"\xff\xfe" + b"\x00\xd8" * 10, 1, None, "00 d8", "编码", "encoding"
    ),
    "old-xls-renamed": Case(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, None, None, None, ".xls", ".xls"
    ),
    "ods-spreadsheet": Case(
        zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        None,
        None,
        None,
        ".xlsx",
        ".xlsx",
    ),
    "pdf-renamed": Case(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None, None, None, "PDF", "PDF"),
    "plain-zip": Case(zip_of({"readme.txt": b"hello"}), None, None, None, "zip", "zip"),
    "empty-file": Case(b"", None, None, None, "为空", "empty"),
    "header-only": Case(csv([H]), 1, None, None, "没有数据行", "no data rows"),
    "empty-sheet": Case(xlsx([]), None, None, "Sheet", "空", "empty"),
    "data-only-on-a-hidden-sheet": Case(
        xlsx([H, GOOD], hidden_only), None, None, "Sheet", "空", "empty"
    ),
    "merged-body-cells": Case(xlsx([H, GOOD], merged), 2, "A2:B2", None, "合并", "merged"),
    "formula-cell": Case(
        xlsx([H, GOOD], formula), 2, "项目名称", "=HYPERLINK", "A2 含有公式", "A2 holds a formula"
    ),
    "zip-bomb": Case(zip_bomb(), None, None, "bytes", "压缩炸弹", "zip bomb"),
    "oversize": Case(
        csv([H, GOOD]) + b" " * (11 * 1024 * 1024), None, None, "bytes", "过大", "too large"
    ),
    "too-many-rows": Case(
        csv([H] + [row(项目名称=f"项目{i}") for i in range(10_050)]),
        None,
        None,
        "10050",
        "10000",
        "10000",
    ),
    "ragged-row": Case(csv([H, GOOD[:4]]), 2, None, "4 cells", "单元格", "cells"),
    "control-character": Case(
        csv([H, row(原文="某\x07原文")]), 2, "原文", "某", "U+0007", "U+0007"
    ),
    "bidi-override": Case(
        csv([H, row(项目名称="项目\u202e名称")]), 2, "项目名称", "项目", "U+202E", "U+202E"
    ),
    "cell-too-long": Case(csv([H, row(原文="长" * 6000)]), 2, "原文", "长长", "过长", "too long"),
    "unknown-place": Case(
        csv([H, row(帮扶乡镇="不存在镇")]), 2, "帮扶乡镇", "不存在镇", "找不到", "no unit"
    ),
    "abolished-place": Case(
        csv([H, row(受援乡镇="新兴乡")]),
        2,
        "受援乡镇",
        "新兴乡",
        "已不在 2020",
        "not in the 2020 codes",
    ),
    "unknown-type": Case(
        csv([H, row(项目类型="航天")]),
        2,
        "项目类型",
        "航天",
        "不在允许的取值中",
        "not an allowed value",
    ),
    "month-13": Case(
        csv([H, row(实施时间="2020年13月")]), 2, "实施时间", "2020年13月", "月份", "month"
    ),
    "no-such-day": Case(
        csv([H, row(实施时间="2020-02-31")]),
        2,
        "实施时间",
        "2020-02-31",
        "没有这一天",
        "no such day",
    ),
    "dated-after-its-source": Case(
        csv([H, row(实施时间="2021")]), 2, "实施时间", "2021", "晚于", "later than"
    ),
    "excel-serial-date-after-its-source": Case(
        xlsx([H, GOOD], serial_after_source), 2, "实施时间", "44197", "晚于", "later than"
    ),
    "duplicate-rows": Case(csv([H, GOOD, GOOD]), 3, None, None, "重复", "duplicates"),
    "empty-source": Case(csv([H, row(来源="")]), 2, "来源", "", "不能为空", "must not be empty"),
    "empty-title": Case(
        csv([H, row(项目名称="")]), 2, "项目名称", "", "不能为空", "must not be empty"
    ),
    "full-width-year-in-the-future": Case(
        csv([H, row(实施时间="２０３１")]), 2, "实施时间", "２０３１", "晚于", "later than"
    ),
    "figure-of-a-missing-project": Case(
        csv([FH, ["PR99", *FIG[1:]]]),
        2,
        "项目编号",
        "PR99",
        "没有这个项目编号",
        "no project with this id",
        kind="figures",
    ),
    "negative-quantity": Case(
        csv([FH, [*FIG[:2], "-3", *FIG[3:]]]), 2, "数量", "-3", "负数", "negative", kind="figures"
    ),
    "unknown-measure": Case(
        csv([FH, [FIG[0], "happiness", *FIG[2:]]]),
        2,
        "指标",
        "happiness",
        "不在允许的取值中",
        "not an allowed value",
        kind="figures",
    ),
}
