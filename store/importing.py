"""An office's sheet -> a checked new version of the atlas (the core of ``cli.py import``
and of the editor's import page).

``check_import`` never writes: it reads the file (``ledger.read``), maps its headers
(detected, remembered from an earlier file with the same headers, or given), prepares the rows
(``ledger.prepare``: places matched, sources parsed), merges them into the latest version's
table and validates the *whole* merged atlas with the same loaders the app uses. The result
lists every problem (file, row as Excel shows it, column, value, in Chinese and English) and,
when there is none, the new files and what they change. ``apply_import`` stores them as one
new version, atomically, and only if no other version was stored meanwhile.

Merge modes (the issue leaves this open; an office's sheet is usually its latest list, not a
complete replacement of what the atlas holds from other sources):
- ``add`` (default): rows whose id exists replace that row; other rows are added.
- ``replace``: the file is the whole table; rows it does not hold are removed (the preview
  lists every removal before anything is applied).
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo import columns as C
from geo.atlas import Atlas, load_atlas
from geo.errors import AtlasDataError
from ledger.problems import ImportProblem
from store.core import Change, Store, Version, paths_in, sha256, write_folder
from store.diff import TableDiff, diff_files

KIND_FILES = {"pairings": "pairings.csv", "projects": "projects.csv", "figures": "figures.csv"}
KIND_COLUMNS = {
    "pairings": (*C.PAIRING_COLUMNS, *C.PAIRING_OPTIONAL_COLUMNS),
    "projects": C.PROJECT_COLUMNS,
    "figures": C.FIGURE_COLUMNS,
}
MODES = ("add", "replace")
KIND_ID = {"pairings": "pairing_id", "projects": "project_id", "figures": "figure_id"}


# One line of the import report (the ledger's own type: file, row, column, value, problem and
# suggestion in Chinese and English).
Finding = ImportProblem


@dataclass
class ImportCheck:
    file_name: str
    kind: str
    mode: str
    checksum: str
    base: int
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # header -> its first value
    mapping: dict[str, str | None] = field(default_factory=dict)
    headers_key: str = ""
    missing: list[str] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    new_files: dict[str, bytes] | None = None
    diff: dict[str, TableDiff] = field(default_factory=dict)
    prepared: Any = None
    # New source rows read from free-text source cells, after the editor's edits: each must be
    # confirmed (at least its title and licence filled in) before the import can apply.
    new_sources: list[dict[str, str]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Nothing blocks applying: every problem solved, every place matched or left out."""
        return (
            self.new_files is not None
            and not self.problems
            and not self.missing
            and not self.unmatched
            and any(not d.empty() for d in self.diff.values())
        )

    def summary(self) -> dict[str, Any]:
        return {
            "tables": {name: d.counts() for name, d in self.diff.items() if not d.empty()},
            "mode": self.mode,
        }


def finding(item: Any) -> Finding:
    """A report line from a ledger ImportProblem or a geo.errors.Problem."""
    if isinstance(item, Finding):
        return item
    zh = getattr(item, "problem_zh", None) or getattr(item, "expected_zh", "")
    en = getattr(item, "problem_en", None) or getattr(item, "expected_en", "")
    return Finding(
        file=str(getattr(item, "file", "")),
        row=getattr(item, "row", None),
        column=getattr(item, "column", None),
        value=getattr(item, "value", None),
        problem_zh=str(zh or ""),
        problem_en=str(en or ""),
        suggestion_zh=getattr(item, "suggestion_zh", "") or "",
        suggestion_en=getattr(item, "suggestion_en", "") or "",
    )


def check_import(
    store: Store,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    decisions: Mapping[str, str] | None = None,
    mode: str = "add",
    today: datetime.date | None = None,
    sources: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | None = None,
) -> ImportCheck:
    """Check ``data`` (an uploaded file) as rows of ``kind`` (or ``"auto"``: told by the
    headers) against the latest version.

    ``sheet`` names the workbook's sheet; by default the sheet named after the kind (结对,
    项目, 数字, as in the template) when there is one, else the first visible sheet.
    ``mapping`` overrides the detected/remembered header mapping; ``decisions`` settles
    unmatched places (``"row:column" -> code``, ``""`` leaves the row out); ``sources`` holds
    the editor's confirmation of new sources (``source_id -> {column: value}``)."""
    from ledger.mapping import detect_mapping, headers_key, missing_columns, reuse_mapping
    from ledger.prepare import prepare

    if kind not in (*KIND_FILES, "auto"):
        raise ValueError(f"unknown kind {kind!r}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    name = Path(file_name).name
    base = store.latest()
    if base is None:
        raise ValueError("the store has no version")
    check = ImportCheck(name, kind, mode, sha256(data), base)
    try:
        table = read_for(data, name, kind, encoding, sheet)
    except AtlasDataError as err:
        check.problems = [finding(p) for p in err.problems]
        return check
    if kind == "auto":
        guessed = guess_kind(table.headers)
        if guessed is None:
            check.problems = [
                Finding(
                    name,
                    getattr(table, "header_row", None),
                    None,
                    None,
                    "无法从表头判断这是结对、项目还是数字表，请选择“表”",
                    "cannot tell from the headers whether these are pairings, projects or "
                    "figures: choose the table",
                )
            ]
            return check
        kind = check.kind = guessed
        table = read_for(data, name, kind, encoding, sheet)
    check.sheet = table.sheet_name or sheet
    check.sheet_names = list(getattr(table, "sheet_names", []) or [])
    check.headers = list(table.headers)
    check.samples = first_values(table)
    check.headers_key = headers_key(table.headers)
    remembered = store.mapping(check.headers_key, kind)
    chosen = (
        dict(mapping)
        if mapping is not None
        else reuse_mapping(remembered, table.headers)
        if remembered
        else detect_mapping(kind, table.headers)
    )
    check.mapping = chosen
    check.missing = missing_columns(kind, chosen)
    if check.missing:
        return check
    current_files = store.files(base)
    atlas = load_atlas(store.materialize(base), today=today)
    prepared = prepare(kind, table, chosen, atlas, dict(decisions or {}))
    check.prepared = prepared
    check.problems = [finding(p) for p in prepared.problems]
    check.notes = [finding(p) for p in prepared.notes]
    check.unmatched = list(prepared.unmatched)
    if check.problems or check.unmatched:
        return check
    new_sources = confirmed_sources(prepared.sources, sources or {})
    check.new_sources = [
        {str(k): str(v) for k, v in r.items()} for r in new_sources.to_dict("records")
    ]
    check.problems = unconfirmed(new_sources, name)
    if check.problems:
        return check
    new_files = merge(
        current_files, kind, prepared.frame, new_sources, mode, provided_columns(kind, chosen)
    )
    problems = still_used(current_files, new_files, kind, name) or validate(
        new_files, today, name, kind, prepared, chosen
    )
    if problems:
        check.problems = problems
        return check
    check.new_files = new_files
    check.diff = diff_files(current_files, new_files)
    return check


def apply_import(store: Store, check: ImportCheck, editor: str) -> Version:
    """Store a ready check as a new version (refused if another version came first)."""
    if not check.ready or check.new_files is None:
        raise ValueError("the import is not ready to apply")
    version = store.apply(
        Change(
            base=check.base,
            files=check.new_files,
            action="import",
            editor=editor,
            kind=check.kind,
            file_name=check.file_name,
            checksum=check.checksum,
            summary=check.summary(),
        )
    )
    if check.headers_key:
        store.remember_mapping(check.headers_key, check.kind, check.mapping, editor)
    return version


KIND_SHEETS = {
    "pairings": ("结对", "pairings"),
    "projects": ("项目", "projects"),
    "figures": ("数字", "figures"),
}


def read_for(data: bytes, name: str, kind: str, encoding: str | None, sheet: str | None) -> Any:
    """The sheet to import: the one named, else the one named after the kind (the template's
    结对 / 项目 / 数字), else the first visible one."""
    from ledger.read import read_sheet

    table = read_sheet(data, name, encoding=encoding, sheet=sheet)
    if sheet is None and kind in KIND_SHEETS:
        names = list(getattr(table, "sheet_names", []) or [])
        wanted = [n for n in names if any(w.lower() in KIND_SHEETS[kind] for w in n.split())]
        if wanted and wanted[0] != table.sheet_name:
            table = read_sheet(data, name, encoding=encoding, sheet=wanted[0])
    return table


def first_values(table: Any) -> dict[str, str]:
    """Each header's first non-empty value (shown beside the header in the mapping step)."""
    out: dict[str, str] = {}
    for _row, cells in table.rows[:50]:
        for header, cell in zip(table.headers, cells, strict=False):
            if header not in out and str(cell).strip():
                out[header] = str(cell).strip()
    return out


def guess_kind(headers: list[str]) -> str | None:
    """The kind whose required columns are all among ``headers`` and that uses the most of
    them (项目名称 and 项目类型 make a sheet of projects, though it names both sides too);
    None when no kind fits or two fit equally."""
    from ledger.mapping import detect_mapping, missing_columns

    scores = {}
    for kind in KIND_FILES:
        mapping = detect_mapping(kind, headers)
        if not missing_columns(kind, mapping):
            scores[kind] = sum(1 for target in mapping.values() if target)
    best = sorted(scores.values(), reverse=True)
    if not best or (len(best) > 1 and best[0] == best[1]):
        return None
    return max(scores, key=lambda k: scores[k])


# Atlas columns a mapped target fills (a place split across columns fills its code; a date
# fills its precision and years). In "add" mode, a row that updates an existing one changes
# only these columns, and only where the sheet's cell is not empty: a blank cell or a column
# the office does not keep never erases what the atlas holds.
DERIVED = {
    "helper_county": ("helper_code",),
    "helper_township": ("helper_code",),
    "helper_village": ("helper_code",),
    "partner_county": ("partner_code",),
    "partner_township": ("partner_code",),
    "partner_village": ("partner_code",),
    "start_date": ("start_date", "start_precision"),
    "date": ("date", "date_precision", "year_from", "year_to"),
    "year_from": ("date", "date_precision", "year_from", "year_to"),
    "year_to": ("date", "date_precision", "year_from", "year_to"),
    "relation_zh": ("relation_zh", "relation_en"),
    "relation_en": ("relation_zh", "relation_en"),
    "measure": ("measure", "measure_zh", "measure_en"),
    "quantity": ("quantity", "qualifier", "unit"),
    "project_title": ("project_id",),
}
# Columns that change together: all taken from the sheet, or all kept.
GROUPS = (
    ("start_date", "start_precision"),
    ("date", "date_precision", "year_from", "year_to"),
    ("relation_zh", "relation_en"),
    ("measure", "measure_zh", "measure_en"),
)


def provided_columns(kind: str, mapping: Mapping[str, str | None]) -> set[str]:
    columns = set(KIND_COLUMNS[kind])
    out: set[str] = set()
    for target in mapping.values():
        if not target:
            continue
        out |= {c for c in DERIVED.get(target, (target,)) if c in columns}
    return out


# The cells that say the sheet gave a value for a group (a precision alone, such as
# "undated" for an empty date cell, does not).
SIGNIFICANT = {
    "start_date": ("start_date",),
    "date": ("date", "year_from", "year_to"),
    "relation_zh": ("relation_zh", "relation_en"),
    "measure": ("measure",),
}


def update_row(old: dict[str, str], new: dict[str, str], provided: set[str]) -> dict[str, str]:
    """``old`` updated from ``new``: only ``provided`` columns, only non-empty cells, and each
    group of columns (a date and its precision, ...) taken whole or not at all."""
    out = dict(old)
    grouped = {c for g in GROUPS for c in g}
    for column in provided - grouped:
        if new.get(column, "").strip():
            out[column] = new[column]
    for group in GROUPS:
        if group[0] in provided and any(new.get(c, "").strip() for c in SIGNIFICANT[group[0]]):
            for column in group:
                out[column] = new.get(column, old.get(column, ""))
    return out


# ------------------------------------------------------------------------------ sources

EDITABLE_SOURCE_COLUMNS = ("title", "publisher", "date", "url", "licence")
# What the atlas requires of a source (geo/atlas.py load_sources), in the editor's words.
SOURCE_REQUIRED = ("title", "publisher", "licence")
SOURCE_LABELS = {
    "title": ("标题", "title"),
    "publisher": ("发布者", "publisher"),
    "date": ("日期", "date"),
    "url": ("网址", "address"),
    "licence": ("许可/使用条件", "licence"),
}


def confirmed_sources(new: pd.DataFrame, edits: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """The new source rows with the editor's edits (only the editable columns)."""
    records = new.to_dict("records") if len(new) else []
    for record in records:
        for column, value in (edits.get(str(record["source_id"])) or {}).items():
            if column in EDITABLE_SOURCE_COLUMNS:
                record[column] = str(value).strip()
    return pd.DataFrame(records, columns=new.columns)


def unconfirmed(new: pd.DataFrame, upload: str) -> list[Finding]:
    """A new source is stored only once the editor has given at least its title and licence:
    nothing about a source is invented."""
    problems = []
    for row in new.to_dict("records") if len(new) else []:
        empty = [c for c in SOURCE_REQUIRED if not str(row.get(c, "")).strip()]
        if empty:
            problems.append(
                Finding(
                    upload,
                    None,
                    "source_id",
                    row["source_id"],
                    f"新来源 {row['source_id']} 需要编辑确认：请在下方填写"
                    + "、".join(SOURCE_LABELS[c][0] for c in empty),
                    f"new source {row['source_id']} must be confirmed by the editor: fill in its "
                    + ", ".join(SOURCE_LABELS[c][1] for c in empty)
                    + " below",
                    f"来源原文：{row.get('note', '')}",
                    f"as written: {row.get('note', '')}",
                )
            )
    return problems


# ------------------------------------------------------------------------------ merging


def read_csv_frame(content: bytes) -> pd.DataFrame:
    text = content.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, body = records[0], [r for r in records[1:] if any(c.strip() for c in r)]
    return pd.DataFrame(body, columns=header, dtype=str).fillna("")


def to_csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(frame.astype(str).values.tolist())
    return out.getvalue().encode("utf-8")


def merge_rows(
    current: pd.DataFrame, rows: pd.DataFrame, mode: str, provided: set[str] | None = None
) -> pd.DataFrame:
    """``rows`` (same columns) merged into ``current`` by the first (id) column. In ``add``
    mode a row with a known id updates that row (see :func:`update_row`; every column when
    ``provided`` is None); in ``replace`` mode the rows are the whole table."""
    key = current.columns[0]
    rows = rows.copy()
    for column in current.columns:  # a column the ledger's table has and the sheet does not
        if column not in rows.columns:
            rows[column] = ""
    records = rows[list(current.columns)].astype(str).to_dict("records")
    if mode == "replace":
        return pd.DataFrame(records, columns=current.columns)
    by_id = {str(r[key]): {str(k): str(v) for k, v in r.items()} for r in records}
    columns = set(current.columns) if provided is None else provided
    merged = []
    for row in current.astype(str).to_dict("records"):
        old = {str(k): str(v) for k, v in row.items()}
        new = by_id.pop(old[key], None)
        merged.append(old if new is None else update_row(old, new, columns))
    return pd.DataFrame([*merged, *by_id.values()], columns=current.columns)


def merge(
    files: Mapping[str, bytes],
    kind: str,
    frame: pd.DataFrame,
    sources: pd.DataFrame | None,
    mode: str,
    provided: set[str] | None = None,
) -> dict[str, bytes]:
    out = dict(files)
    table = KIND_FILES[kind]
    out[table] = to_csv(merge_rows(read_csv_frame(files[table]), frame, mode, provided))
    if sources is not None and len(sources):
        out["sources.csv"] = to_csv(
            merge_rows(read_csv_frame(files["sources.csv"]), sources, "add")
        )
    return out


# Which table's rows refer to a kind's ids, and by which column.
DEPENDENTS = {"pairings": ("projects.csv", "pairing_id"), "projects": ("figures.csv", "project_id")}


def still_used(
    old: Mapping[str, bytes], new: Mapping[str, bytes], kind: str, upload: str
) -> list[Finding]:
    """Rows a replacing file would remove while other rows still refer to them (a project
    that figures count, a pairing that projects belong to): said in the office's terms, one
    line per removed row, instead of the loaders' complaint about another table."""
    if kind not in DEPENDENTS:
        return []
    table, column = DEPENDENTS[kind]
    removed = set(read_csv_frame(old[KIND_FILES[kind]]).iloc[:, 0]) - set(
        read_csv_frame(new[KIND_FILES[kind]]).iloc[:, 0]
    )
    users = read_csv_frame(new[table])
    out = []
    for row_id in sorted(removed):
        using = users[users[column] == row_id].iloc[:, 0].tolist()
        if using:
            shown = "、".join(using[:8]) + ("…" if len(using) > 8 else "")
            out.append(
                Finding(
                    upload,
                    None,
                    KIND_ID[kind],
                    row_id,
                    f"整表替换会删除 {row_id}，但 {table} 中的 {shown} 仍引用它",
                    f"replacing the table removes {row_id}, but {', '.join(using[:8])} in "
                    f"{table} still refer to it",
                    "把这一行保留在文件中，或改用“新增与更新”",
                    "keep this row in the file, or use 'add and update'",
                )
            )
    return out


def validate(
    files: Mapping[str, bytes],
    today: datetime.date | None,
    upload: str,
    kind: str,
    prepared: Any,
    mapping: Mapping[str, str | None] | None = None,
) -> list[Finding]:
    """Load the merged atlas as the app would; its problems, pointed back at the uploaded
    file's rows where they come from it."""
    with tempfile.TemporaryDirectory(prefix="atlas-check-") as tmp:
        write_folder(Path(tmp), files)
        try:
            load_atlas(paths_in(Path(tmp)), today=today)
        except AtlasDataError as err:
            return [_point_back(p, files, upload, kind, prepared, mapping) for p in err.problems]
    return []


def _point_back(
    problem: Any,
    files: Mapping[str, bytes],
    upload: str,
    kind: str,
    prepared: Any,
    mapping: Mapping[str, str | None] | None,
) -> Finding:
    found = finding(problem)
    if found.file != KIND_FILES[kind] or found.row is None:
        return found
    merged = read_csv_frame(files[KIND_FILES[kind]])
    index = found.row - 2
    if not 0 <= index < len(merged):
        return found
    row_id = str(merged.iloc[index, 0])
    frame = prepared.frame
    ids = list(frame.iloc[:, 0]) if len(frame) else []
    rows = getattr(prepared, "rows", None)
    if row_id in ids and rows is not None and len(rows) == len(ids):
        # The atlas column as the office's header called it, when one header maps to it.
        headers = [h for h, target in (mapping or {}).items() if target == found.column]
        return Finding(
            upload,
            int(rows[ids.index(row_id)]),
            headers[0] if len(headers) == 1 else found.column,
            found.value,
            found.problem_zh,
            found.problem_en,
        )
    return Finding(
        found.file,
        found.row,
        found.column,
        found.value,
        f"{found.problem_zh}（编号 {row_id}）",
        f"{found.problem_en} (id {row_id})",
    )


def atlas_of(store: Store, version: int, today: datetime.date | None = None) -> Atlas:
    return load_atlas(store.materialize(version), today=today)
