"""What an import reports: blocking problems, non-blocking notes, rows whose place is unknown.

Every item names the uploaded file, the row as Excel/WPS shows it (the header row is the row it
sits on, usually 1), the column as the office wrote its header, and the value, in Chinese and
English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.errors import AtlasDataError, Problem, where


@dataclass(frozen=True)
class ImportProblem:
    """One remark about one value of an uploaded sheet (``row``/``column`` None: the file)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    problem_zh: str
    problem_en: str
    suggestion_zh: str = ""
    suggestion_en: str = ""

    def _where(self) -> tuple[str, str]:
        return where(self.file, self.row, self.column, self.value, quoted=True)

    @property
    def message_zh(self) -> str:
        where, _ = self._where()
        tail = f"（建议：{self.suggestion_zh}）" if self.suggestion_zh else ""
        return f"{where}：{self.problem_zh}{tail}"

    @property
    def message_en(self) -> str:
        _, where = self._where()
        tail = f" (suggestion: {self.suggestion_en})" if self.suggestion_en else ""
        return f"{where}: {self.problem_en}{tail}"

    @property
    def message(self) -> str:
        return f"{self.message_zh}\n{self.message_en}"

    def as_problem(self) -> Problem:
        zh = self.problem_zh + (f"（建议：{self.suggestion_zh}）" if self.suggestion_zh else "")
        en = self.problem_en + (
            f" (suggestion: {self.suggestion_en})" if self.suggestion_en else ""
        )
        return Problem(self.file, self.row, self.column, self.value, zh, en)


# A unit the editor may choose for an unmatched place: (code, label, score 0–100 from rapidfuzz).
Suggestion = tuple[str, str, float]


@dataclass(frozen=True)
class Unmatched:
    """A row whose place was not resolved; the editor picks a suggestion or leaves the row out.

    The decision key for :func:`ledger.prepare.prepare` is :attr:`key` (``"row:column"``).
    """

    row: int
    column: str
    value: str
    suggestions: list[Suggestion] = field(default_factory=list)
    note_zh: str = ""
    note_en: str = ""

    @property
    def key(self) -> str:
        return f"{self.row}:{self.column}"


class SheetRefused(AtlasDataError):
    """The uploaded file cannot be read at all (format, encoding, size, limits, no header).

    A subclass of :class:`geo.errors.AtlasDataError`, so ``str(err)`` is the bilingual
    message; :attr:`import_problems` keeps the suggestions for the report.
    """

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.import_problems = problems
        super().__init__([p.as_problem() for p in problems])

    @classmethod
    def one(
        cls,
        file: str,
        row: int | None,
        column: str | None,
        value: object,
        zh: str,
        en: str,
        suggestion_zh: str = "",
        suggestion_en: str = "",
    ) -> SheetRefused:
        shown = None if value is None else str(value)
        return cls([ImportProblem(file, row, column, shown, zh, en, suggestion_zh, suggestion_en)])
