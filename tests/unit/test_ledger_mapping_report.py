"""ledger.mapping recognises Chinese and English header variants; ledger.report writes a
neutralised bilingual report and a template whose drop-downs cover every vocabulary."""

from __future__ import annotations

import io

import openpyxl
import pytest

from geo import columns as C
from ledger.mapping import (
    KINDS,
    TARGET_LABELS,
    detect_mapping,
    headers_key,
    missing_columns,
    reuse_mapping,
    targets,
)
from ledger.problems import ImportProblem
from ledger.report import REPORT_HEADERS, TEMPLATE, report_xlsx, template_xlsx, vocabulary_lists


@pytest.mark.parametrize(
    ("kind", "header", "target"),
    [
        ("pairings", "帮扶方", "helper_code"),
        ("pairings", "帮扶单位", "helper_code"),
        ("pairings", "成都方", "helper_code"),
        ("pairings", "受援方", "partner_code"),
        ("pairings", "结对方", "partner_code"),
        ("pairings", "甘孜方", "partner_code"),
        ("pairings", "Helper", "helper_code"),
        ("pairings", "partner_code", "partner_code"),
        ("pairings", "帮扶乡镇", "helper_township"),
        ("pairings", "受援村（社区）", "partner_village"),
        ("pairings", "帮扶县/区", "helper_county"),
        ("pairings", "年份", "start_date"),
        ("pairings", "结对时间（必填）", "start_date"),
        ("pairings", "出处", "source_id"),
        ("pairings", "Source ID", "source_id"),
        ("pairings", "引文", "quote"),
        ("pairings", "序号", None),
        ("pairings", "乡镇", None),  # which side? left to the mapping step
        ("projects", "项目名称", "title_zh"),
        ("projects", "项目 类型", "type"),
        ("projects", "Ｔｙｐｅ", "type"),
        ("projects", "时间", "date"),
        ("projects", "备注", "note"),
        ("projects", "项目名称 Title", "title_zh"),
        ("figures", "项目名称", "project_title"),
        ("figures", "指标", "measure"),
        ("figures", "数量", "quantity"),
        ("figures", "单位", "unit"),
        ("figures", "Quantity", "quantity"),
        ("figures", "帮扶方", None),
    ],
)
def test_header_variants(kind: str, header: str, target: str | None) -> None:
    assert detect_mapping(kind, ["其他", header]) == {"其他": None, header: target}
    if target:
        assert target in targets(kind)


def test_every_target_has_labels_and_is_recognised_by_its_label() -> None:
    for kind in KINDS:
        for target in targets(kind):
            zh, en = TARGET_LABELS[target]
            assert zh and en
            assert detect_mapping(kind, [target]) == {target: target}


def test_a_header_recognised_twice_maps_once() -> None:
    assert detect_mapping("projects", ["日期", "时间"]) == {"日期": "date", "时间": None}


def test_missing_columns_accepts_a_split_place() -> None:
    mapping = detect_mapping("pairings", ["帮扶乡镇", "受援村", "来源", "原文"])
    assert missing_columns("pairings", mapping) == []
    assert missing_columns("pairings", {"帮扶方": "helper_code"}) == [
        "partner_code",
        "source_id",
        "quote",
    ]
    assert missing_columns("figures", {"项目名称": "project_title"}) == [
        "measure",
        "quantity",
        "quote",
    ]


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        detect_mapping("units", ["a"])


def test_headers_key_is_stable_across_trivial_differences() -> None:
    a = headers_key(["帮扶方", "受援方", "来源"])
    assert a == headers_key([" 帮扶方", "受援方 ", "来源", ""])
    assert a == headers_key(["帮扶方", "受援方", "来源（必填）"])
    assert a != headers_key(["受援方", "帮扶方", "来源"])
    assert len(a) == 64


def test_a_remembered_mapping_applies_to_the_same_headers_spelled_otherwise() -> None:
    remembered: dict[str, str | None] = {
        "甲方": "helper_code",
        "乙方": "partner_code",
        "说明": None,
    }
    headers = ["甲方（必填）", "ＩＤ", "乙方", "说明"]
    assert headers_key(headers[:1] + headers[2:]) == headers_key(list(remembered))
    assert reuse_mapping(remembered, headers) == {
        "甲方（必填）": "helper_code",
        "ＩＤ": None,
        "乙方": "partner_code",
        "说明": None,
    }


def test_report_neutralises_formula_like_cells() -> None:
    problems = [ImportProblem("=1+1.csv", 2, "@列", "=1+1", "-问题", "+problem", "=建议", "@s")]
    notes = [ImportProblem("a.csv", None, None, "-2", "提示", "note")]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(problems, notes)))
    ws = book.active
    assert ws is not None
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert tuple(rows[0]) == REPORT_HEADERS
    assert rows[1] == [
        "问题（阻止导入）",
        "'=1+1.csv",
        2,
        "'@列",
        "'=1+1",
        "'-问题",
        "'=建议",
        "problem (blocks applying)",
        "'=1+1.csv",
        2,
        "'@列",
        "'=1+1",
        "'+problem",
        "'@s",
    ]
    assert rows[2][:7] == ["提示", "a.csv", None, None, "'-2", "提示", None]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_report_holds_control_characters_and_long_values() -> None:
    problems = [
        ImportProblem("a.csv", 2, "原文", "大塘\x1b镇", "含有不可见的控制字符 U+001B", "U+001B"),
        ImportProblem("a.csv", 3, "原文", "字" * 6000, "单元格过长", "too long"),
    ]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(problems, [])))
    ws = book.active
    assert ws is not None
    assert ws["E2"].value == "大塘\ufffd镇"
    assert len(str(ws["E3"].value)) == 1000 and str(ws["E3"].value).endswith("…")


def test_template_has_every_kind_and_drop_downs_for_every_vocabulary() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    assert book.sheetnames == [*(TEMPLATE[k][0] for k in KINDS), "说明 Read me", "lists"]
    vocab = vocabulary_lists()
    assert vocab["type"] == [zh for zh, _ in C.PROJECT_TYPES.values()]
    assert vocab["unit"] == list(C.UNITS)
    assert set(vocab) == {"level", "role", "round", "type", "measure", "unit", "qualifier", "basis"}
    assert vocab["level"] == ["县", "乡镇", "村"] and vocab["round"][0] == "第一轮"
    seen: set[str] = set()
    for kind in KINDS:
        title, columns = TEMPLATE[kind]
        ws = book[title]
        headers = [c.value for c in ws[1]]
        assert headers == [zh for zh, _, _ in columns]
        assert all(ws.cell(row=1, column=i + 1).comment for i in range(len(headers)))
        mapping = detect_mapping(kind, [str(h) for h in headers])
        assert None not in mapping.values() and missing_columns(kind, mapping) == []
        validations = {
            str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
            for dv in ws.data_validations.dataValidation
        }
        for i, (_, _, vocabulary) in enumerate(columns):
            if vocabulary is None:
                continue
            letter = openpyxl.utils.get_column_letter(i + 1)
            check = validations[letter]
            assert check.type == "list"
            column = list(vocab).index(vocabulary) + 1
            values = [
                lists.cell(row=r, column=column).value for r in range(2, len(vocab[vocabulary]) + 2)
            ]
            assert values == vocab[vocabulary]
            assert check.formula1.endswith(f"${len(vocab[vocabulary]) + 1}")
            seen.add(vocabulary)
    assert seen == set(vocab)


def test_blank_template_reads_as_the_pairings_sheet_with_no_rows() -> None:
    from ledger.read import read_sheet

    sheet = read_sheet(template_xlsx(), "模板.xlsx")
    assert sheet.sheet_name == TEMPLATE["pairings"][0]
    assert sheet.headers == [zh for zh, _, _ in TEMPLATE["pairings"][1]]
    assert [p.problem_en for p in sheet.problems] == ["only a header row, no data rows"]
    assert [n.value for n in sheet.notes] == ["lists"]  # the hidden drop-down lists
