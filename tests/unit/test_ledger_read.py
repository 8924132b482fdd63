"""ledger.read: bad uploaded files are refused or reported with file, row, column and value,
in Chinese and English; good ones read as text cells numbered as Excel shows them."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from ledger import read as R
from ledger.problems import SheetRefused
from ledger.read import read_sheet
from tests.unit.ledger_files import (
    add_zip_member,
    csv_bytes,
    find,
    replace_zip_member,
    xlsx_bytes,
)

HEADER = ["帮扶方", "受援方", "结对时间", "来源", "原文"]
ROW = ["大塘镇", "磨西镇", "2019", "sc3n-2020-07-02", "2019年大塘镇和磨西镇结对"]


def refused(data: bytes, name: str = "台账.xlsx", **kw: str) -> SheetRefused:
    with pytest.raises(SheetRefused) as caught:
        read_sheet(data, name, **kw)
    err = caught.value
    assert len(err.import_problems) == 1
    # the bilingual message names the file, as every problem does
    assert f"文件 {name}" in str(err) and f"file {name}" in str(err)
    return err


# --------------------------------------------------------------------------- formats


def test_empty_file_is_refused() -> None:
    err = refused(b"", "empty.csv")
    find(err.import_problems, row=None, column=None, value=None, zh="文件为空", en="empty")


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls", "old Excel (.xls)"),
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制", "binary"),
    ],
    ids=["xls-renamed", "pdf-renamed", "png-renamed"],
)
def test_other_formats_renamed_xlsx_are_refused(data: bytes, zh: str, en: str) -> None:
    err = refused(data, "台账.xlsx")
    hit = find(err.import_problems, row=None, column=None, value=None, zh=zh, en=en)
    assert ".xlsx" in hit.suggestion_zh and "CSV" in hit.suggestion_en


def test_ods_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    err = refused(buffer.getvalue(), "台账.ods")
    find(err.import_problems, row=None, column=None, value=None, zh=".ods", en="OpenDocument")


def test_zip_that_is_not_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    err = refused(buffer.getvalue(), "台账.xlsx")
    find(err.import_problems, row=None, column=None, value=None, zh="zip", en="not an .xlsx")


def test_damaged_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<not really a workbook")
    err = refused(buffer.getvalue())
    hit = err.import_problems[0]
    assert "损坏" in hit.problem_zh and "damaged" in hit.problem_en


def test_xlsx_with_a_damaged_sheet_part_is_refused() -> None:
    data = replace_zip_member(
        xlsx_bytes([HEADER, ROW]), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]
    )
    err = refused(data)
    assert "损坏" in err.import_problems[0].problem_zh
    assert "damaged" in err.import_problems[0].problem_en


def test_oversize_upload_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_BYTES", 1024)
    data = csv_bytes([HEADER, *[ROW] * 40])
    err = refused(data, "big.csv")
    find(
        err.import_problems,
        row=None,
        column=None,
        value=f"{len(data)} bytes",
        zh="文件过大",
        en="too large",
    )


def test_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_ROWS", 5)
    err = refused(csv_bytes([HEADER, *[ROW] * 6]), "many.csv")
    find(err.import_problems, row=None, column=None, value="6 rows", zh="超过 5", en="more than 5")
    # the same limit holds for XLSX, which stops reading early
    err = refused(xlsx_bytes([HEADER, *[ROW] * 30]), "many.xlsx")
    assert "超过 5" in err.import_problems[0].problem_zh


def test_zip_bomb_xlsx_is_refused() -> None:
    bomb = add_zip_member(xlsx_bytes([HEADER, ROW]), "xl/media/zeros.bin", b"\0" * (8 << 20))
    assert len(bomb) < 200_000
    err = refused(bomb)
    find(
        err.import_problems,
        row=None,
        column=None,
        value="xl/media/zeros.bin",
        zh="压缩炸弹",
        en="zip bomb",
    )


def test_xlsx_unpacking_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_UNCOMPRESSED", 2_000)
    err = refused(xlsx_bytes([HEADER, ROW]))
    assert "解压后过大" in err.import_problems[0].problem_zh
    assert "unpacks too large" in err.import_problems[0].problem_en


def test_xlsx_with_too_many_parts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_ZIP_MEMBERS", 12)
    data = xlsx_bytes([HEADER, ROW])
    for i in range(5):
        data = add_zip_member(data, f"xl/media/p{i}.txt", b"x")
    err = refused(data)
    assert "内部文件过多" in err.import_problems[0].problem_zh
    assert "too many parts" in err.import_problems[0].problem_en


# --------------------------------------------------------------------------- encodings


def test_gbk_csv_is_detected_without_override() -> None:
    sheet = read_sheet(csv_bytes([HEADER, ROW], "gbk", "\r\n"), "台账.csv")
    assert sheet.encoding == "gb18030"
    assert sheet.headers == HEADER
    assert sheet.rows == [(2, ROW)]
    find(sheet.notes, row=None, column=None, value="gb18030", zh="GBK", en="GBK")


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    sheet = read_sheet(b"\xef\xbb\xbf" + csv_bytes([HEADER, ROW]), "bom.csv")
    assert sheet.encoding == "utf-8-sig"
    assert sheet.headers[0] == "帮扶方"


def test_wrong_encoding_override_names_the_line() -> None:
    data = csv_bytes([["a", "b"], ["x", "y"], ["大塘镇", "磨西镇"]], "gbk")
    err = refused(data, "gbk.csv", encoding="utf-8")
    hit = find(
        err.import_problems,
        row=3,
        column=None,
        value=(data.split(b"\n")[2] + b"\n")[:8].hex(" "),
        zh="不是 utf-8 编码",
        en="not utf-8",
    )
    assert "gb18030" in hit.suggestion_en


def test_unknown_encoding_name_is_refused() -> None:
    err = refused(csv_bytes([HEADER, ROW]), "a.csv", encoding="klingon")
    find(err.import_problems, row=None, column=None, value="klingon", zh="编码", en="encoding")


def test_bytes_neither_utf8_nor_gbk_are_refused() -> None:
    data = b"a,b\nx,\x80\xff\n"
    err = refused(data, "odd.csv")
    find(err.import_problems, row=2, column=None, value="80 ff 0a", zh="编码", en="encoding")


def test_utf16_tab_separated_text_from_excel_is_read() -> None:
    text = "\t".join(HEADER) + "\r\n" + "\t".join(ROW) + "\r\n"
    sheet = read_sheet(text.encode("utf-16"), "unicode.txt")
    assert sheet.headers == HEADER and sheet.rows == [(2, ROW)]


# --------------------------------------------------------------------------- structure


def test_empty_sheet_is_refused() -> None:
    err = refused(xlsx_bytes([]))
    find(err.import_problems, row=None, column=None, value="台账", zh="空", en="empty")


def test_csv_of_blank_lines_is_refused() -> None:
    err = refused(b"\r\n,,,\r\n\r\n", "blank.csv")
    assert "没有表头" in err.import_problems[0].problem_zh
    assert "no header" in err.import_problems[0].problem_en


def test_header_only_is_a_problem() -> None:
    sheet = read_sheet(xlsx_bytes([HEADER]), "header.xlsx")
    find(sheet.problems, row=1, column=None, value=None, zh="只有表头", en="only a header")


def test_merged_header_cells_are_a_problem() -> None:
    data = xlsx_bytes([["地点", None, "来源", "原文"], ROW[:4]], merge=["A1:B1"])
    sheet = read_sheet(data, "merged.xlsx")
    find(sheet.problems, row=1, column="A1:B1", value=None, zh="表头有合并单元格", en="the header")


def test_merged_body_cells_are_a_problem() -> None:
    data = xlsx_bytes([HEADER, ROW, ["", "得妥镇", "", "", ""]], merge=["A2:A3"])
    sheet = read_sheet(data, "merged.xlsx")
    hit = find(sheet.problems, row=2, column="A2:A3", value=None, zh="数据区", en="the body")
    assert "取消合并" in hit.suggestion_zh and "unmerge" in hit.suggestion_en


def test_title_row_above_the_header_is_skipped_with_a_note() -> None:
    data = xlsx_bytes([["蒲江县结对帮扶台账"], [], HEADER, ROW], merge=["A1:E1"])
    sheet = read_sheet(data, "title.xlsx")
    assert sheet.header_row == 3 and sheet.headers == HEADER and sheet.rows[0][0] == 4
    assert sheet.problems == []  # a merged title above the header is harmless
    find(sheet.notes, row=1, column=None, value="蒲江县结对帮扶台账", zh="表头上方", en="above")


def test_formula_cell_is_a_problem_and_never_evaluated() -> None:
    data = xlsx_bytes([HEADER, ["大塘镇", "磨西镇", "=2018+1", "s", "q"]])
    sheet = read_sheet(data, "formula.xlsx")
    hit = find(sheet.problems, row=2, column="结对时间", value="=2018+1", zh="C2", en="C2")
    assert "公式" in hit.problem_zh and "never evaluated" in hit.problem_en
    assert sheet.rows[0][1][2] == ""  # neither the formula nor a computed value


def test_external_link_is_not_followed_and_its_formula_is_a_problem() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    ws = book.add_worksheet("台账")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ROW[:2])
    ws.write_formula(1, 2, "='C:\\secret\\[book.xlsx]Sheet1'!A1", None, 2019)
    ws.write_row(1, 3, ROW[3:])
    book.close()
    data = add_zip_member(buffer.getvalue(), "xl/externalLinks/externalLink1.xml", b"<x/>")
    sheet = read_sheet(data, "linked.xlsx")
    hits = [p for p in sheet.problems if p.column == "结对时间" and "C2" in p.problem_en]
    assert len(hits) == 1 and "book.xlsx" in (hits[0].value or "")
    assert sheet.rows[0][1][2] == ""  # the cached 2019 is not trusted either
    find(sheet.notes, row=None, column=None, value=None, zh="外部链接", en="neither followed")


def test_only_hidden_sheets_is_refused() -> None:
    err = refused(xlsx_bytes([HEADER, ROW], hidden=["旧表"], hide_main=True))
    find(
        err.import_problems, row=None, column=None, value="台账、旧表", zh="没有可见", en="visible"
    )


def test_hidden_sheet_is_ignored_with_a_note() -> None:
    sheet = read_sheet(xlsx_bytes([HEADER, ROW], hidden=["旧表"]), "h.xlsx")
    assert sheet.sheet_name == "台账" and sheet.sheet_names == ["台账"]
    find(sheet.notes, row=None, column=None, value="旧表", zh="隐藏", en="hidden")


def test_unknown_sheet_name_is_refused() -> None:
    err = refused(xlsx_bytes([HEADER, ROW]), sheet="项目")
    hit = find(err.import_problems, row=None, column=None, value="项目", zh="找不到", en="no such")
    assert "台账" in hit.suggestion_zh


def test_ragged_csv_rows_are_problems() -> None:
    data = csv_bytes([HEADER, ROW, [*ROW, "多余"], ROW[:3]], "utf-8")
    sheet = read_sheet(data, "ragged.csv")
    find(sheet.problems, row=3, column=None, value="多余", zh="多于表头", en="more cells")
    find(sheet.problems, row=4, column=None, value="3 cells", zh="少于表头", en="fewer")


def test_malformed_csv_is_refused() -> None:
    err = refused(b'a,b\n"x"y,z\n', "bad.csv")
    assert err.import_problems[0].problem_zh == "CSV 格式错误"


def test_control_characters_are_problems() -> None:
    data = csv_bytes([HEADER, ["大塘\x1b镇", *ROW[1:]]])
    sheet = read_sheet(data, "ctl.csv")
    find(sheet.problems, row=2, column="帮扶方", value="大塘\x1b镇", zh="U+001B", en="U+001B")


def test_overlong_cell_is_a_problem() -> None:
    sheet = read_sheet(csv_bytes([HEADER, [*ROW[:4], "字" * 5001]]), "long.csv")
    find(sheet.problems, row=2, column="原文", value="字" * 5001, zh="过长", en="too long")


def test_xlsx_cells_read_as_text_with_excel_row_numbers() -> None:
    import datetime

    data = xlsx_bytes(
        [HEADER, [], ["大塘镇", 513322103000, datetime.date(2019, 3, 5), 12.5, 2019.0]]
    )
    sheet = read_sheet(data, "types.xlsx")
    assert sheet.rows == [(3, ["大塘镇", "513322103000", "2019-03-05", "12.5", "2019"])]


def test_excel_dates_keep_the_precision_their_format_shows() -> None:
    import datetime

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["帮扶方", "日期", "年"])
    ws.append(["大塘镇", datetime.datetime(2019, 3, 1), datetime.datetime(2019, 1, 1)])
    ws["B2"].number_format = 'yyyy"年"m"月"'
    ws["C2"].number_format = "yyyy"
    out = io.BytesIO()
    book.save(out)
    assert read_sheet(out.getvalue(), "d.xlsx").rows == [(2, ["大塘镇", "2019-03", "2019"])]


def test_error_value_cell_is_a_problem() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(ROW)
    ws["B2"].value = "#N/A"
    ws["B2"].data_type = "e"
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheet(out.getvalue(), "e.xlsx")
    find(sheet.problems, row=2, column="受援方", value="#N/A", zh="错误值", en="error value")


def test_data_under_no_header_is_noted() -> None:
    sheet = read_sheet(csv_bytes([["帮扶方", "", "来源"], ["大塘镇", "磨西镇", "s"]]), "n.csv")
    find(sheet.notes, row=1, column="B", value=None, zh="没有表头", en="no header")


def test_file_name_is_shown_without_folders_or_control_characters() -> None:
    sheet = read_sheet(csv_bytes([HEADER, ROW]), "C:\\Users\\办公室\\台账\x1b.csv")
    assert sheet.file == "台账\ufffd.csv"
    with pytest.raises(SheetRefused) as caught:
        read_sheet(b"", "/home/office/空.csv")
    assert caught.value.import_problems[0].file == "空.csv"


def test_only_the_first_columns_of_a_wide_sheet_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R, "MAX_COLUMNS", 3)
    sheet = read_sheet(xlsx_bytes([HEADER, ROW]), "wide.xlsx")
    assert sheet.headers == HEADER[:3] and sheet.rows == [(2, ROW[:3])]
    find(sheet.notes, row=None, column=None, value=None, zh="前 3 列", en="first 3 columns")


def test_excel_separator_hint_line_is_honoured() -> None:
    data = b"sep=;\r\n" + ";".join(HEADER).encode() + b"\r\n" + ";".join(ROW).encode() + b"\r\n"
    sheet = read_sheet(data, "semi.csv")
    assert sheet.headers == HEADER and sheet.rows == [(3, ROW)] and sheet.header_row == 2


def test_text_named_as_a_workbook_is_refused_not_read_as_csv() -> None:
    import pytest as _pytest

    from ledger.problems import SheetRefused
    from ledger.read import read_sheet

    with _pytest.raises(SheetRefused) as err:
        read_sheet("项目名称,项目类型\n甲,产业\n".encode(), "台账.xlsx")
    [problem] = err.value.problems
    assert problem.file == "台账.xlsx" and "纯文本" in problem.message_zh
    assert "plain text" in problem.message_en
