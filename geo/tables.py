"""Read a CSV table safely and check its cells, collecting precise, bilingual problems.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
Every cell is read as text (no type guessing, so codes keep their leading digits); checks turn
text into typed values only after it has been validated.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geo.boundaries import read_input
from geo.errors import CONTROL_RE, AtlasDataError, Problem

MAX_PROBLEMS = 50
MAX_ROWS = 100_000
MAX_CELL_CHARS = 5_000

DATE_RE = r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"

# A number as an office types it, once NFKC has turned full-width digits and points into ASCII.
NUMBER_RE = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def control_character(text: str) -> str | None:
    """The first refused control character of ``text`` as U+XXXX, or None."""
    found = CONTROL_RE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def normalise_number(text: str) -> str:
    """Full-width digits, point and signs (２０１９, １０３．５) as ASCII; spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


Row = Mapping[str, Any]  # one table row, column -> value (Checker.each_row)


class RowNumbers(tuple[int, ...]):
    """A table's spreadsheet row numbers, kept in ``DataFrame.attrs["rows"]``.

    pandas deep-copies a frame's ``attrs`` into every frame and Series derived from it (each
    filter, each ``iterrows`` row). A plain list there made every lookup cost a copy of the
    whole list, so per-feature lookups became quadratic in the table's length (measured at
    4,000 townships: 72 % of all map-building time). The numbers never change once read, so
    the copy can be this very object: ``deepcopy`` is O(1)."""

    def __deepcopy__(self, memo: dict[int, object]) -> RowNumbers:
        return self

    def __copy__(self) -> RowNumbers:
        return self


class Checker:
    """Collects problems for one table; ``raise_if_any`` raises them all at once."""

    def __init__(self, path: Path, frame: pd.DataFrame) -> None:
        self.file = path.name
        self.frame = frame
        self.problems: list[Problem] = []
        rows = frame.attrs.get("rows")
        self.rows: list[int] = list(rows) if rows else [i + 2 for i in range(len(frame))]

    def add(self, row: int | None, column: str | None, value: object, zh: str, en: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            shown = None if value is None else str(value)
            self.problems.append(Problem(self.file, row, column, shown, zh, en))

    def cells(self, column: str) -> Iterable[tuple[int, str]]:
        """(spreadsheet row number, text) for every cell of ``column``."""
        yield from zip(self.rows, self.frame[column].tolist(), strict=True)

    def required(self, *columns: str) -> None:
        for column in columns:
            for row, value in self.cells(column):
                if value == "":
                    self.add(row, column, value, "不能为空", "must not be empty")

    def unique(self, column: str) -> None:
        seen: dict[str, int] = {}
        for row, value in self.cells(column):
            if value in seen:
                self.add(
                    row,
                    column,
                    value,
                    f"与第 {seen[value]} 行重复，应唯一",
                    f"duplicates row {seen[value]}; must be unique",
                )
            else:
                seen[value] = row

    def one_of(self, column: str, allowed: Iterable[str], allow_empty: bool = False) -> None:
        options = list(allowed)
        shown = "、".join(options)
        for row, value in self.cells(column):
            if value == "" and allow_empty:
                continue
            if value not in options:
                self.add(
                    row,
                    column,
                    value,
                    f"不在允许的取值中（{shown}）",
                    f"not an allowed value (expected one of: {', '.join(options)})",
                )

    def matches(
        self, column: str, pattern: str, zh: str, en: str, allow_empty: bool = False
    ) -> None:
        """Check ``column`` against ``pattern`` after NFKC normalisation (full-width letters
        and digits as ASCII), writing the normalised text back into the frame."""
        regex = re.compile(pattern)
        cleaned: list[str] = []
        for row, value in self.cells(column):
            text = normalise_number(value)
            cleaned.append(text)
            if text == "" and allow_empty:
                continue
            if not regex.fullmatch(text):
                self.add(row, column, value, zh, en)
        self.frame[column] = cleaned

    def date(self, column: str, allow_empty: bool = False) -> None:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (normalised as :meth:`matches`) that exists
        in the calendar: 2020-02-31 is refused."""
        self.matches(
            column,
            DATE_RE,
            "日期应为 YYYY、YYYY-MM 或 YYYY-MM-DD",
            "date must be YYYY, YYYY-MM or YYYY-MM-DD",
            allow_empty=allow_empty,
        )
        for row, value in self.cells(column):
            if len(value) == 10 and re.fullmatch(DATE_RE, value):
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    self.add(row, column, value, "日历上没有这一天", "no such day in the calendar")

    def number(
        self, column: str, low: float, high: float, allow_empty: bool = False, integer: bool = False
    ) -> None:
        """Check a numeric column and write the normalised text back into the frame, so what
        is later converted is exactly what was validated: full-width digits become ASCII and
        an integer written ``2019.0`` becomes ``2019``. Exponents, thousands separators,
        ``nan`` and ``inf`` are refused."""
        cleaned: list[str] = []
        for row, value in self.cells(column):
            text = normalise_number(value)
            if text == "" and allow_empty:
                cleaned.append("")
                continue
            ok = NUMBER_RE.fullmatch(text) is not None
            if ok:
                number = float(text)
                ok = low <= number <= high and (not integer or number.is_integer())
                if ok and integer:
                    text = str(int(number))
            if not ok:
                kind_zh, kind_en = ("整数", "an integer") if integer else ("数字", "a number")
                self.add(
                    row,
                    column,
                    value,
                    f"应为 {low:g} 到 {high:g} 之间的{kind_zh}",
                    f"expected {kind_en} between {low:g} and {high:g}",
                )
            cleaned.append(text)
        self.frame[column] = cleaned

    def refers(
        self,
        column: str,
        targets: set[str],
        target_name: str,
        allow_empty: bool = False,
        split: str | None = None,
    ) -> None:
        for row, value in self.cells(column):
            if value == "" and allow_empty:
                continue
            for part in value.split(split) if split else [value]:
                if part not in targets:
                    self.add(
                        row,
                        column,
                        part,
                        f"在 {target_name} 中找不到",
                        f"not found in {target_name}",
                    )

    def each_row(self, check: Callable[[int, Row], tuple[str, object, str, str] | None]) -> None:
        """Run ``check(row_number, row)`` (the row as a mapping of column to value); a returned
        (column, value, zh, en) is a problem. Rows are plain dicts: a pandas Series per row
        cost ~10x more at 20,000 projects."""
        records: list[Row] = self.frame.to_dict("records")  # type: ignore[assignment]
        for row, record in zip(self.rows, records, strict=True):
            result = check(row, record)
            if result is not None:
                column, value, zh, en = result
                self.add(row, column, value, zh, en)

    def raise_if_any(self) -> None:
        if self.problems:
            raise AtlasDataError(self.problems)


def read_table(path: Path, columns: Iterable[str], optional: Iterable[str] = ()) -> pd.DataFrame:
    """Read a UTF-8 CSV (a BOM, as Excel writes, is accepted) with every cell as text.

    Refuses files that are too large, not UTF-8, not parseable as CSV, missing a column, with
    ragged rows, over ``MAX_ROWS`` rows or with a cell over ``MAX_CELL_CHARS`` characters.
    Leading/trailing spaces are stripped. Extra columns are kept and ignored. ``optional``
    columns may be missing: they then read as empty (a table written before they existed).
    """
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AtlasDataError.single(
            path,
            line,
            None,
            raw[exc.start : exc.start + 8].hex(" "),
            "不是 UTF-8 编码（Excel 请另存为“CSV UTF-8”）",
            "not UTF-8 encoded (in Excel, save as 'CSV UTF-8')",
        ) from exc
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise AtlasDataError.single(
            path, None, None, str(exc), "CSV 格式错误", "malformed CSV"
        ) from exc
    if not records:
        raise AtlasDataError.single(path, None, None, None, "没有表头", "no header row")
    header = [h.strip() for h in records[0]]
    wanted = list(columns)
    missing = [c for c in wanted if c not in header]
    if missing:
        raise AtlasDataError.single(
            path,
            1,
            ", ".join(missing),
            ", ".join(header),
            f"缺少列；需要 {', '.join(wanted)}",
            f"missing column(s); expected {', '.join(wanted)}",
        )
    numbered = [(i + 2, r) for i, r in enumerate(records[1:]) if any(c.strip() for c in r)]
    body = [r for _, r in numbered]
    if len(body) > MAX_ROWS:
        raise AtlasDataError.single(
            path,
            None,
            None,
            f"{len(body)} rows",
            f"行数超过 {MAX_ROWS}",
            f"more than {MAX_ROWS} rows",
        )
    problems = []
    for i, record in enumerate(records[1:]):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    path.name,
                    i + 2,
                    None,
                    f"{len(record)} cells",
                    f"单元格数与表头（{len(header)} 列）不一致",
                    f"number of cells differs from the header ({len(header)} columns)",
                )
            )
            continue
        for name, cell in zip(header, record, strict=True):
            bad = control_character(cell)
            if bad is not None:
                problems.append(
                    Problem(
                        path.name,
                        i + 2,
                        name,
                        cell,
                        f"含有不可见的控制字符 {bad}",
                        f"contains an invisible control character {bad}",
                    )
                )
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Problem(
                        path.name,
                        i + 2,
                        name,
                        cell,
                        f"单元格过长（上限 {MAX_CELL_CHARS} 字）",
                        f"cell too long (limit {MAX_CELL_CHARS} characters)",
                    )
                )
    if problems:
        raise AtlasDataError(problems[:MAX_PROBLEMS])
    frame = pd.DataFrame([[c.strip() for c in r] for r in body], columns=header, dtype=str)
    frame = frame.fillna("")
    for name in optional:
        if name not in frame.columns:
            frame[name] = ""
    frame.attrs["rows"] = RowNumbers(n for n, _ in numbered)
    return frame
