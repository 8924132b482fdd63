"""Tooltip and popup HTML for townships and pairs. Every value from data is escaped here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.i18n import Lang, colon, figure_line, list_sep, source_text, span_text, t
from geo.i18n import figure_text as figure_text
from geo.query import records_by, unit_names
from layers.html import text

MAX_PROJECTS_IN_POPUP = 20


def unit_name(atlas: Atlas, code: str, lang: Lang) -> str:
    """Display name of a unit in ``lang`` (Chinese, or English pinyin name); the code itself
    when the unit is unknown. A dictionary lookup (built once per units table)."""
    return unit_names(atlas, lang).get(code, code)


def when_text(row: Mapping[str, Any] | pd.Series, lang: Lang) -> str:
    precision = row["date_precision"]
    if precision in ("day", "month", "year"):
        return str(row["date"])
    if precision == "period":
        return span_text(row["year_from"], row["year_to"], lang)
    return t("undated", lang)


def project_items(atlas: Atlas, projects: pd.DataFrame, lang: Lang) -> str:
    """An escaped <ul> of projects with type, date and figures."""
    if projects.empty:
        return f"<p class='atlas-none'>{text(t('no_projects', lang))}</p>"
    figures = records_by(atlas.figures, "project_id")
    items = []
    # project_id is unique (geo.atlas checks it): each row is looked up in the table's
    # records, built once, instead of converting this frame (a slice of it) row by row.
    by_id = records_by(atlas.projects, "project_id")
    for pid in projects["project_id"].head(MAX_PROJECTS_IN_POPUP).tolist():
        p = by_id[str(pid)][0]
        label = PROJECT_TYPES[p["type"]][0 if lang == "zh" else 1]
        title = p["title_zh"] if lang == "zh" else p["title_en"]
        figs = figures.get(str(p["project_id"]), [])
        fig_text = list_sep(lang).join(figure_line(f, lang) for f in figs)
        items.append(
            "<li>"
            f"<span class='atlas-type'>{text(label)}</span> {text(title)}"
            f" <span class='atlas-when'>{text(when_text(p, lang))}</span>"
            + (f"<br><b>{text(fig_text)}</b>" if fig_text else "")
            + "</li>"
        )
    more = len(projects) - MAX_PROJECTS_IN_POPUP
    tail = f"<li>{text(t('and_more', lang).format(n=more))}</li>" if more > 0 else ""
    return f"<ul class='atlas-list'>{''.join(items)}{tail}</ul>"


def source_line(atlas: Atlas, source_ids: set[str], lang: Lang) -> str:
    by_id = records_by(atlas.sources, "source_id")
    # In the sources table's order, as a filter of the table gives them.
    rows = sorted(
        (row for i in {str(x) for x in source_ids} for row in by_id.get(i, [])),
        key=lambda row: int(row["_position"]),
    )
    parts = [source_text(s["publisher"], s["title"], s["date"], lang) for s in rows]
    label = t("source", lang) + colon(lang)
    return f"<p class='atlas-source'>{text(label)}{text(list_sep(lang).join(parts))}</p>"
