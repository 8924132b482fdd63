"""The filtered project table for download: CSV (UTF-8 with BOM, for Excel) and XLSX.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) are prefixed with an apostrophe, so a hostile title cannot execute in Excel.
"""

from __future__ import annotations

import io

import pandas as pd

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.i18n import Lang, figure_line, in_lang, list_sep, source_text, span_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HEADERS = {
    "zh": ["编号", "类型", "项目", "帮扶方", "受援方", "说明", "时间", "数据", "来源", "原文"],
    "en": [
        "ID",
        "Type",
        "Project",
        "Helper",
        "Partner",
        "Note",
        "When",
        "Figures",
        "Source",
        "Quote",
    ],
}


def _figures_text(figures: pd.DataFrame, lang: Lang) -> str:
    """Each figure with what it counts, one after another: figures are listed, never added."""
    return list_sep(lang).join(figure_line(f, lang) for _, f in figures.iterrows())


def project_table(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """One row per pairing project of ``atlas`` (already filtered), in ``lang``.

    Each project's figures and source text are looked up in tables built once (figures
    grouped by project, one text per source), not filtered from the whole table per row:
    20,000 rows took ~14 s that way, and the page builds this table on each new filter."""
    names = dict(
        zip(atlas.units["code"], atlas.units["name_zh" if lang == "zh" else "name_en"], strict=True)
    )
    source_texts = {
        sid: f"{source_text(publisher, title, date, lang)}, {url}"
        for sid, publisher, title, date, url in zip(
            atlas.sources["source_id"],
            atlas.sources["publisher"],
            atlas.sources["title"],
            atlas.sources["date"],
            atlas.sources["url"],
            strict=True,
        )
    }
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    figures = atlas.figures[atlas.figures["project_id"].isin(projects["project_id"])]
    figures_text = {
        pid: _figures_text(rows, lang) for pid, rows in figures.groupby("project_id", sort=False)
    }
    rows = []
    for _, p in projects.sort_values(["year_from", "project_id"], na_position="last").iterrows():
        if p["date_precision"] in ("day", "month", "year"):
            when = p["date"]
        elif p["date_precision"] == "period":
            when = span_text(p["year_from"], p["year_to"], lang)
        else:
            when = ""
        rows.append(
            [
                p["project_id"],
                PROJECT_TYPES[p["type"]][0 if lang == "zh" else 1],
                p["title_zh"] if lang == "zh" else p["title_en"],
                names.get(p["helper_code"], p["helper_code"]),
                names.get(p["partner_code"], p["partner_code"]),
                in_lang(p["partner_note"], lang),
                when,
                figures_text.get(p["project_id"], ""),
                source_texts[p["source_id"]],
                p["quote"],
            ]
        )
    return pd.DataFrame(rows, columns=HEADERS[lang])


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    def cell(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return "'" + value
        return value

    return frame.map(cell)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel opens Chinese correctly), formula-safe cells."""
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "projects") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _safe(frame).to_excel(writer, index=False, sheet_name=sheet)
    return buf.getvalue()
