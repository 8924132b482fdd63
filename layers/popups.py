"""Tooltip and popup HTML for townships and pairs. Every value from data is escaped here."""

from __future__ import annotations

import pandas as pd

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES, QUALIFIERS, UNITS
from geo.i18n import Lang, t
from layers.html import text

MAX_PROJECTS_IN_POPUP = 20


def unit_name(atlas: Atlas, code: str, lang: Lang) -> str:
    """Display name of a unit in ``lang`` (Chinese, or English pinyin name)."""
    row = atlas.units.loc[atlas.units["code"] == code]
    if row.empty:
        return code
    return str(row.iloc[0]["name_zh" if lang == "zh" else "name_en"])


def figure_text(quantity: float, unit: str, qualifier: str, lang: Lang) -> str:
    """``20余万元`` / ``over 20 ×10,000 yuan`` (plain text, escape before use in HTML)."""
    number = f"{quantity:,.0f}" if float(quantity).is_integer() else f"{quantity:,.2f}"
    if lang == "zh":
        if qualifier in ("近", "不少于"):
            return f"{qualifier}{number}{unit}"
        return f"{number}{qualifier}{unit}"
    word = QUALIFIERS.get(qualifier, ("", ""))[1]
    return f"{word + ' ' if word else ''}{number} {UNITS.get(unit, unit)}"


def when_text(row: pd.Series, lang: Lang) -> str:
    precision = row["date_precision"]
    if precision in ("day", "month", "year"):
        return str(row["date"])
    if precision == "period":
        return f"{row['year_from']}–{row['year_to']}"
    return t("undated", lang)


def project_items(atlas: Atlas, projects: pd.DataFrame, lang: Lang) -> str:
    """An escaped <ul> of projects with type, date and figures."""
    if projects.empty:
        return f"<p class='atlas-none'>{text(t('no_projects', lang))}</p>"
    figures = atlas.figures
    items = []
    for _, p in projects.head(MAX_PROJECTS_IN_POPUP).iterrows():
        label = PROJECT_TYPES[p["type"]][0 if lang == "zh" else 1]
        title = p["title_zh"] if lang == "zh" else p["title_en"]
        figs = figures[figures["project_id"] == p["project_id"]]
        fig_text = "；".join(
            figure_text(f["quantity"], f["unit"], f["qualifier"], lang)
            + (f" ({t('agreed', lang)})" if f["basis"] == "agreed" else "")
            for _, f in figs.iterrows()
        )
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
    sources = atlas.sources[atlas.sources["source_id"].isin(source_ids)]
    parts = [f"{s['publisher']}《{s['title']}》{s['date']}" for _, s in sources.iterrows()]
    return f"<p class='atlas-source'>{text(t('source', lang))}：{text('；'.join(parts))}</p>"
