"""Read an uploaded sheet (XLSX or CSV, recognised by content) into text cells, safely.

The file is refused as a whole (:class:`ledger.problems.SheetRefused`) when it is not XLSX or
CSV, too large, a zip bomb, not decodable, or has no header. Problems with single cells
(formulas, merged cells, control characters, ragged rows) are collected on the
:class:`Sheet` so the editor sees them all at once; :func:`ledger.prepare.prepare` blocks on them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from geo.errors import CONTROL_RE
from geo.tables import MAX_CELL_CHARS, control_character
from ledger.problems import ImportProblem, SheetRefused

MAX_BYTES = 10 * 1024 * 1024  # upload size limit
MAX_ROWS = 10_000  # data rows per sheet
MAX_COLUMNS = 100  # columns read from an XLSX sheet (the rest ignored with a note)
MAX_ZIP_MEMBERS = 1_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # total of an XLSX's parts once unzipped
MAX_RATIO = 200  # uncompressed / compressed for any part over 1 MB (zip bombs)
HEADER_SEARCH_ROWS = 10  # title rows an office puts above its header
MAX_SCANNED_ROWS = 5 * MAX_ROWS  # rows (empty ones included) read from an XLSX sheet

SAVE_AS_ZH = "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）"
SAVE_AS_EN = "save it from Excel or WPS as .xlsx or CSV (UTF-8)"


@dataclass(frozen=True)
class Sheet:
    """An uploaded sheet as text: header cells and numbered data rows (empty rows dropped)."""

    file: str  # the uploaded file's name (display only, never opened)
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as Excel/WPS shows it, cells as text)
    encoding: str | None  # detected/used encoding for CSV, None for XLSX
    header_row: int = 1
    sheet_name: str | None = None  # XLSX: the sheet read
    sheet_names: list[str] = field(default_factory=list)  # XLSX: every visible sheet
    problems: list[ImportProblem] = field(default_factory=list)  # blocking, per cell
    notes: list[ImportProblem] = field(default_factory=list)  # non-blocking


def display_name(file_name: str) -> str:
    """The uploaded file's name as shown in reports: no folders (some browsers send a full
    Windows path), control characters as U+FFFD, at most 120 characters."""
    name = re.split(r"[\\/]", file_name or "")[-1].strip()
    name = CONTROL_RE.sub("\ufffd", name)
    return (name[:119] + "…" if len(name) > 120 else name) or "upload"


def read_sheet(
    data: bytes, file_name: str, *, encoding: str | None = None, sheet: str | None = None
) -> Sheet:
    """Read ``data`` (the uploaded bytes) as XLSX or CSV, whatever ``file_name`` says.

    ``encoding`` overrides CSV detection (UTF-8 with or without BOM, then GB18030, which
    covers GBK); ``sheet`` picks an XLSX sheet by name (default: the first visible one).
    """
    name = display_name(file_name)
    if len(data) == 0:
        raise SheetRefused.one(name, None, None, None, "文件为空", "the file is empty")
    if len(data) > MAX_BYTES:
        raise SheetRefused.one(
            name,
            None,
            None,
            f"{len(data)} bytes",
            f"文件过大（上限 {MAX_BYTES // (1024 * 1024)} MB）",
            f"file too large (limit {MAX_BYTES // (1024 * 1024)} MB)",
            "把台账分成几个文件分别导入",
            "split the ledger into several files",
        )
    kind = _kind_of(data)
    if kind == "xlsx":
        try:
            return _read_xlsx(data, name, sheet)
        except SheetRefused:
            raise
        except Exception as exc:  # a damaged part shows only once it is read
            raise _damaged(name, exc) from exc
    if kind != "text":
        zh, en = _REFUSED_KINDS[kind]
        raise SheetRefused.one(name, None, None, None, zh, en, SAVE_AS_ZH, SAVE_AS_EN)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # Text under a workbook's name: not silently read as CSV (whose headers would then
        # be the text's first line); the office is told what the file really is.
        raise SheetRefused.one(
            name,
            None,
            None,
            None,
            "文件名是 Excel 工作簿，内容却是纯文本，不是 .xlsx",
            "the name says Excel workbook, but the content is plain text, not .xlsx",
            SAVE_AS_ZH,
            SAVE_AS_EN,
        )
    return _read_csv(data, name, encoding)


# ------------------------------------------------------------------------------ format

_REFUSED_KINDS = {
    "xls": ("这是旧版 Excel（.xls）文件，无法读取", "this is an old Excel (.xls) file"),
    "ods": ("这是 OpenDocument（.ods）表格，无法读取", "this is an OpenDocument (.ods) sheet"),
    "zip": ("这是 zip 压缩包，不是 .xlsx 表格", "this is a zip archive, not an .xlsx workbook"),
    "pdf": ("这是 PDF 文件，不是表格", "this is a PDF, not a sheet"),
    "binary": ("这不是表格文件（二进制内容）", "this is not a sheet (binary content)"),
}


def _kind_of(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return "zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


# ------------------------------------------------------------------------------ CSV


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding that decoded it (strictly: nothing replaced)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise SheetRefused.one(
                name,
                None,
                None,
                encoding,
                "不认识这个编码名称",
                "unknown encoding name",
                "用 utf-8、gbk 或 gb18030",
                "use utf-8, gbk or gb18030",
            ) from exc
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SheetRefused.one(
                name,
                line,
                None,
                data[exc.start : exc.start + 8].hex(" "),
                f"文件不是 {encoding} 编码（第 {line} 行的字节无法按此编码读取）",
                f"the file is not {encoding} (bytes on line {line} cannot be read so)",
                "去掉编码选项，让系统自动识别；或改选 gb18030 / utf-8",
                "leave the encoding to automatic detection, or choose gb18030 / utf-8",
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    first_error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if candidate == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            candidate = "utf-8"
        return text, candidate
    assert first_error is not None
    line = data[: first_error.start].count(b"\n") + 1
    raise SheetRefused.one(
        name,
        line,
        None,
        data[first_error.start : first_error.start + 8].hex(" "),
        "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）",
        "cannot tell the file's encoding (neither UTF-8 nor GBK/GB18030)",
        "在 Excel 中另存为“CSV UTF-8”，或指定编码",
        "save as 'CSV UTF-8' from Excel, or name the encoding",
    )


def _read_csv(data: bytes, name: str, encoding: str | None) -> Sheet:
    text, used = _decode(data, name, encoding)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    skip = 0
    if re.fullmatch(r"sep=.", first_line):  # Excel's hint line naming the separator
        delimiter, skip = first_line[-1], 1
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise SheetRefused.one(
            name, None, None, str(exc), "CSV 格式错误", "malformed CSV", SAVE_AS_ZH, SAVE_AS_EN
        ) from exc
    numbered = [(i + 1, record) for i, record in enumerate(records)][skip:]
    notes: list[ImportProblem] = []
    if used == "gb18030":
        notes.append(
            ImportProblem(
                name,
                None,
                None,
                used,
                "文件按 GBK/GB18030 编码读取",
                "the file was read as GBK/GB18030",
                "如有乱码，请指定编码",
                "if text looks garbled, name the encoding",
            )
        )
    return _build(name, numbered, used, None, [], notes, [], [])


# ------------------------------------------------------------------------------ XLSX


def _damaged(name: str, exc: Exception) -> SheetRefused:
    return SheetRefused.one(
        name,
        None,
        None,
        type(exc).__name__,
        "xlsx 文件已损坏，无法读取",
        "the xlsx file is damaged and cannot be read",
        SAVE_AS_ZH,
        SAVE_AS_EN,
    )


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise SheetRefused.one(
            name,
            None,
            None,
            f"{len(infos)} parts",
            f"xlsx 内部文件过多（上限 {MAX_ZIP_MEMBERS}）",
            f"too many parts inside the xlsx (limit {MAX_ZIP_MEMBERS})",
            SAVE_AS_ZH,
            SAVE_AS_EN,
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise SheetRefused.one(
            name,
            None,
            None,
            f"{total} bytes",
            f"xlsx 解压后过大（上限 {MAX_UNCOMPRESSED // (1024 * 1024)} MB），可能是压缩炸弹",
            f"the xlsx unpacks too large (limit {MAX_UNCOMPRESSED // (1024 * 1024)} MB): "
            "possibly a zip bomb",
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SheetRefused.one(
                name,
                None,
                None,
                info.filename,
                f"xlsx 内部文件压缩比异常（超过 {MAX_RATIO} 倍），可能是压缩炸弹",
                f"a part of the xlsx is compressed over {MAX_RATIO} times: possibly a zip bomb",
            )
    return archive


MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[str, int, int]]:
    """(range, first row, last row) of every merged range of a worksheet part."""
    member = path.lstrip("/")
    try:
        xml = archive.read(member)
    except KeyError:
        return []
    out = []
    for match in MERGE_RE.finditer(xml):
        ref = match.group(1).decode("ascii")
        rows = [int(re.sub(r"[A-Z]+", "", part)) for part in ref.split(":")]
        out.append((ref, min(rows), max(rows)))
    return out


def _read_xlsx(data: bytes, name: str, wanted: str | None) -> Sheet:
    try:
        archive = _check_zip(data, name)
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except SheetRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(name, exc) from exc
    notes: list[ImportProblem] = []
    problems: list[ImportProblem] = []
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    if hidden:
        notes.append(
            ImportProblem(
                name,
                None,
                None,
                "、".join(hidden),
                "隐藏的工作表未读取",
                "hidden sheets were not read",
            )
        )
    if any(n.startswith("xl/externalLinks/") for n in archive.namelist()):
        notes.append(
            ImportProblem(
                name,
                None,
                None,
                None,
                "文件含有指向其他工作簿的外部链接；链接未打开，也未读取",
                "the file links to other workbooks; the links were neither followed nor read",
            )
        )
    if not visible:
        raise SheetRefused.one(
            name,
            None,
            None,
            "、".join(hidden) or None,
            "没有可见的工作表",
            "no visible sheet",
            "在 Excel 中取消隐藏要导入的工作表",
            "unhide the sheet to import in Excel",
        )
    if wanted is None:
        ws = visible[0]
    else:
        chosen = [w for w in visible if w.title == wanted]
        if not chosen:
            raise SheetRefused.one(
                name,
                None,
                None,
                wanted,
                "找不到这个工作表（或它是隐藏的）",
                "no such visible sheet",
                "可选：" + "、".join(w.title for w in visible),
                "choose one of: " + ", ".join(w.title for w in visible),
            )
        ws = chosen[0]
    numbered: list[tuple[int, list[str]]] = []
    bad_cells: list[BadCell] = []
    wide = False
    filled_rows = 0
    # The stored dimension may be wrong (or absurd: A1:XFD1048576); rows are read as stored,
    # each only as wide as its last cell.
    ws.reset_dimensions()
    for index, all_cells in enumerate(ws.iter_rows(min_row=1), start=1):
        row = index
        wide = wide or len(all_cells) > MAX_COLUMNS
        cells = all_cells[:MAX_COLUMNS]
        for cell in cells:
            if getattr(cell, "row", None) is not None:
                row = int(cell.row)
                break
        texts: list[str] = []
        for col, cell in enumerate(cells):
            value = cell.value
            if cell.data_type == "f" or not isinstance(value, _PLAIN):
                bad_cells.append((row, col, str(getattr(value, "text", value)), "formula"))
                texts.append("")
            elif cell.data_type == "e":
                bad_cells.append((row, col, str(value), "error"))
                texts.append("")
            else:
                texts.append(_cell_text(value, getattr(cell, "number_format", None)))
        numbered.append((row, texts))
        filled_rows += any(t.strip() for t in texts)
        if filled_rows > MAX_ROWS + HEADER_SEARCH_ROWS or index > MAX_SCANNED_ROWS:
            break  # enough to refuse the sheet; never read a huge sheet to its end
    if wide:
        notes.append(
            ImportProblem(
                name,
                None,
                None,
                None,
                f"只读取了前 {MAX_COLUMNS} 列",
                f"only the first {MAX_COLUMNS} columns were read",
            )
        )
    merged = _merged_ranges(archive, ws._worksheet_path)
    book.close()
    names = [w.title for w in visible]
    return _build(name, numbered, None, ws.title, problems, notes, merged, bad_cells, names)


_PLAIN = (str, int, float, bool, datetime.datetime, datetime.date, datetime.time, type(None))


def _cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell as the text the office sees: whole numbers without ``.0``; dates ISO, as precise
    as the cell's format shows them (Excel turns a typed 2019年3月 into 2019-03-01 shown as
    year and month: read as 2019-03)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        shown = _date_parts(number_format or "")
        if shown == "month":
            return f"{value.year:04d}-{value.month:02d}"
        if shown == "year":
            return f"{value.year:04d}"
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _date_parts(number_format: str) -> str:
    """What a date number format shows: "day", "month" or "year" (quoted text, [..] sections
    and escaped characters ignored); "day" when unsure."""
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format.lower())
    if not fmt or "d" in fmt or "h" in fmt or "s" in fmt or "y" not in fmt:
        return "day"
    return "month" if "m" in fmt else "year"


# A cell that holds no value to import: (row, column index, what it holds, "formula"|"error").
BadCell = tuple[int, int, str, str]


# ------------------------------------------------------------------------------ both


def _build(
    name: str,
    numbered: list[tuple[int, list[str]]],
    encoding: str | None,
    sheet_name: str | None,
    problems: list[ImportProblem],
    notes: list[ImportProblem],
    merged: list[tuple[str, int, int]],
    bad_cells: list[BadCell],
    sheet_names: list[str] | None = None,
) -> Sheet:
    """Find the header (the first row with two or more filled cells among the first
    :data:`HEADER_SEARCH_ROWS` filled rows: a title row above it is skipped with a note), then
    check the body rows."""
    filled = [(n, cells) for n, cells in numbered if any(c.strip() for c in cells)]
    if not filled:
        raise SheetRefused.one(
            name,
            None,
            None,
            sheet_name,
            "工作表是空的，没有表头",
            "the sheet is empty: no header row",
            "第一行填写列名，其下每行一条记录",
            "put column names in the first row and one record per row below",
        )
    header_at = 0
    for i, (_, cells) in enumerate(filled[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if c.strip()) >= 2:
            header_at = i
            break
    header_row, header_cells = filled[header_at]
    if header_at:
        notes.append(
            ImportProblem(
                name,
                filled[0][0],
                None,
                " ".join(c for c in filled[0][1] if c.strip()),
                f"表头上方的 {header_at} 行（标题等）未读取；表头在第 {header_row} 行",
                f"{header_at} row(s) above the header (titles) were skipped; "
                f"the header is row {header_row}",
            )
        )
    while header_cells and not header_cells[-1].strip():
        header_cells = header_cells[:-1]
    headers = [h.strip() for h in header_cells]
    body = [(n, cells) for n, cells in filled[header_at + 1 :]]
    if len(body) > MAX_ROWS:
        raise SheetRefused.one(
            name,
            None,
            None,
            f"{len(body)} rows",
            f"数据行超过 {MAX_ROWS} 行",
            f"more than {MAX_ROWS} data rows",
            "把台账分成几个文件分别导入",
            "split the ledger into several files",
        )
    for ref, first, last in sorted(merged):
        if last < header_row:
            continue
        where_zh = "表头" if first <= header_row else "数据区"
        where_en = "the header" if first <= header_row else "the body"
        problems.append(
            ImportProblem(
                name,
                first,
                ref,
                None,
                f"{where_zh}有合并单元格 {ref}：合并后只有左上角的格子有值",
                f"merged cells {ref} in {where_en}: only the top-left cell holds the value",
                "取消合并，并在每个格子里填上值",
                "unmerge the cells and fill the value into each of them",
            )
        )
    for row, col, held, what in bad_cells:
        ref = f"{get_column_letter(col + 1)}{row}"
        column = headers[col] if row > header_row and col < len(headers) and headers[col] else ref
        if what == "formula":
            zh = f"单元格 {ref} 含有公式；公式不会被计算"
            en = f"cell {ref} holds a formula; formulas are never evaluated"
            szh = "把公式替换为它的值（复制后“选择性粘贴—数值”）"
            sen = "replace the formula by its value (copy, then Paste Special > Values)"
        else:
            zh = f"单元格 {ref} 是错误值"
            en = f"cell {ref} holds an error value"
            szh, sen = "改正或清空该单元格", "correct or clear the cell"
        problems.append(ImportProblem(name, row, column, held, zh, en, szh, sen))
    for i, header in enumerate(headers):
        if header == "" and any(i < len(cells) and cells[i].strip() for _, cells in body):
            notes.append(
                ImportProblem(
                    name,
                    header_row,
                    get_column_letter(i + 1),
                    None,
                    f"第 {get_column_letter(i + 1)} 列没有表头，其中的内容未导入",
                    f"column {get_column_letter(i + 1)} has no header: its cells were not imported",
                    "给这一列加上表头",
                    "give the column a header",
                )
            )
        bad = control_character(header)
        if bad:
            problems.append(
                ImportProblem(
                    name,
                    header_row,
                    get_column_letter(i + 1),
                    header,
                    f"表头含有不可见的控制字符 {bad}",
                    f"the header contains an invisible control character {bad}",
                    "删除该字符",
                    "delete the character",
                )
            )
    if not body:
        problems.append(
            ImportProblem(
                name,
                header_row,
                None,
                None,
                "只有表头，没有数据行",
                "only a header row, no data rows",
                "在表头下方每行填写一条记录",
                "add one record per row below the header",
            )
        )
    rows: list[tuple[int, list[str]]] = []
    width = len(headers)
    for number, cells in body:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            problems.append(
                ImportProblem(
                    name,
                    number,
                    None,
                    extra[0],
                    f"这一行有 {width + len(extra)} 个以上的单元格，多于表头的 {width} 列",
                    f"the row has more cells than the header's {width} columns",
                    "给多出的列加上表头，或删除这些单元格",
                    "give the extra column a header, or delete the cells",
                )
            )
        if encoding is not None and len(cells) < width:
            problems.append(
                ImportProblem(
                    name,
                    number,
                    None,
                    f"{len(cells)} cells",
                    f"这一行只有 {len(cells)} 个单元格，少于表头的 {width} 列",
                    f"the row has {len(cells)} cells, fewer than the header's {width} columns",
                    "检查是否漏了逗号或分隔符",
                    "check for a missing comma or separator",
                )
            )
        padded = [c.strip() for c in cells[:width]] + [""] * max(0, width - len(cells))
        for header, cell in zip(headers, padded, strict=True):
            bad = control_character(cell)
            if bad:
                problems.append(
                    ImportProblem(
                        name,
                        number,
                        header,
                        cell,
                        f"含有不可见的控制字符 {bad}",
                        f"contains an invisible control character {bad}",
                        "删除该字符后重新导入",
                        "delete the character and import again",
                    )
                )
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(
                    ImportProblem(
                        name,
                        number,
                        header,
                        cell,
                        f"单元格过长（上限 {MAX_CELL_CHARS} 字）",
                        f"cell too long (limit {MAX_CELL_CHARS} characters)",
                    )
                )
        rows.append((number, padded))
    return Sheet(
        file=name,
        headers=headers,
        rows=rows,
        encoding=encoding,
        header_row=header_row,
        sheet_name=sheet_name,
        sheet_names=sheet_names or [],
        problems=problems,
        notes=notes,
    )
