"""The one error type raised for bad input data, with a bilingual, precise message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of one input file.

    ``row`` is the 1-based line number in the file as a person sees it in a text editor or Excel
    (the header is line 1, the first data row line 2); ``None`` when the problem is the file as a
    whole. ``column`` is ``None`` when the problem is not about one column.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected_zh: str
    expected_en: str

    def _where(self) -> tuple[str, str]:
        return where(self.file, self.row, self.column, self.value)

    @property
    def message_zh(self) -> str:
        where, _ = self._where()
        return f"{where}：{self.expected_zh}"

    @property
    def message_en(self) -> str:
        _, where = self._where()
        return f"{where}: {self.expected_en}"

    @property
    def message(self) -> str:
        return f"{self.message_zh}\n{self.message_en}"


def where(
    file: str, row: int | None, column: str | None, value: str | None, quoted: bool = False
) -> tuple[str, str]:
    """ "文件 F，第 R 行，列 C，值 “V”" and "file F, row R, column C, value 'V'" (the parts that
    are known); ``quoted``: the column in quotes (an office's header may hold spaces)."""
    zh = [f"文件 {file}"]
    en = [f"file {file}"]
    if row is not None:
        zh.append(f"第 {row} 行")
        en.append(f"row {row}")
    if column is not None:
        zh.append(f"列 “{column}”" if quoted else f"列 {column}")
        en.append(f"column '{column}'" if quoted else f"column {column}")
    if value is not None:
        shown = _shorten(value)
        zh.append(f"值 “{shown}”")
        en.append(f"value '{shown}'")
    return "，".join(zh), ", ".join(en)


# Invisible characters never shown as they are: C0/C1 controls (NUL, ESC, ...) except tab and
# line breaks, and the bidirectional overrides that make text display in another order.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shorten(value: str, limit: int = 80) -> str:
    """Keep messages readable when a cell holds a huge or multi-line value; control
    characters show as U+FFFD."""
    flat = CONTROL_RE.sub("\ufffd", value).replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class AtlasDataError(ValueError):
    """Raised for any bad input file or table; carries one or more :class:`Problem`.

    ``str(err)`` gives every problem in Chinese then English, one per line pair.
    """

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("AtlasDataError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))

    @classmethod
    def single(
        cls,
        file: str | Path,
        row: int | None,
        column: str | None,
        value: object,
        expected_zh: str,
        expected_en: str,
    ) -> AtlasDataError:
        shown = None if value is None else str(value)
        return cls([Problem(Path(file).name, row, column, shown, expected_zh, expected_en)])
