"""Build uploaded files for the ledger tests (XLSX with openpyxl or XlsxWriter, CSV as bytes),
and find the one problem a test expects."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pandas as pd

from geo.atlas import Atlas, AtlasPaths, load_atlas
from geo.paths import DATA_DIR
from ledger.problems import ImportProblem


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", eol: str = "\n") -> bytes:
    def quote(cell: str) -> str:
        return f'"{cell}"' if any(c in cell for c in ',"\n') else cell

    return eol.join(",".join(quote(c) for c in row) for row in rows).encode(encoding) + eol.encode()


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    merge: Sequence[str] = (),
    title: str = "台账",
    hidden: Sequence[str] = (),
    hide_main: bool = False,
) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merge:
        ws.merge_cells(ref)
    for name in hidden:
        other = book.create_sheet(name)
        other.append(["帮扶方", "受援方"])
        other.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    if hide_main:  # openpyxl will not save a workbook without a visible sheet: edit the XML
        return replace_zip_member(
            out.getvalue(),
            "xl/workbook.xml",
            lambda xml: xml.replace(b'state="visible"', b'state="hidden"', 1),
        )
    return out.getvalue()


def replace_zip_member(data: bytes, name: str, edit: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, edit(content) if info.filename == name else content)
    return out.getvalue()


def add_zip_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of the zip ``data`` with one more member (deflated)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr(name, content)
    return out.getvalue()


def find(
    problems: Sequence[ImportProblem],
    *,
    row: int | None,
    column: str | None,
    value: str | None,
    zh: str,
    en: str,
) -> ImportProblem:
    """The one problem at (row, column, value) whose messages contain ``zh`` and ``en``."""
    hits = [
        p
        for p in problems
        if p.row == row
        and p.column == column
        and p.value == value
        and zh in p.problem_zh + p.suggestion_zh
        and en in p.problem_en + p.suggestion_en
    ]
    assert len(hits) == 1, "\n".join(p.message for p in problems) or "no problems"
    hit = hits[0]
    assert hit.problem_zh and hit.problem_en
    assert hit.message_zh.startswith(f"文件 {hit.file}")
    assert hit.message_en.startswith(f"file {hit.file}")
    return hit


def atlas_with(tmp: Path, **tables: pd.DataFrame) -> Atlas:
    """Load the bundled atlas with rows added to some tables (written as CSV in ``tmp``; a row
    whose id is already there replaces it): proves prepared rows are valid atlas rows."""
    shutil.copytree(DATA_DIR, tmp / "data", ignore=shutil.ignore_patterns("raw"))
    base = tmp / "data"
    for name, frame in tables.items():
        path = base / f"{name}.csv"
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        ids = old.columns[0]
        old = old[~old[ids].isin(frame[ids])]
        pd.concat([old, frame], ignore_index=True).to_csv(path, index=False)
    defaults = AtlasPaths()
    return load_atlas(
        AtlasPaths(
            units=defaults.units,
            aliases=defaults.aliases,
            areas=defaults.areas,
            sources=base / "sources.csv",
            pairings=base / "pairings.csv",
            aggregates=base / "aggregates.csv",
            projects=base / "projects.csv",
            figures=base / "figures.csv",
        )
    )
