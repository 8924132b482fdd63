"""KPI cards, the chart of projects by year and type, and the table with its downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES, UNITS
from geo.export import project_table, to_csv_bytes, to_xlsx_bytes
from geo.i18n import Lang, t
from geo.query import figures_of, totals_by_unit


def render_kpis(atlas: Atlas, lang: Lang) -> None:
    """Pairs, projects, and one card per unit of measure (never adding different units)."""
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    totals = totals_by_unit(figures_of(atlas, projects))
    cols = st.columns(2 + max(len(totals), 1))
    cols[0].metric(t("kpi_pairs", lang), len(atlas.pairings))
    cols[1].metric(t("kpi_projects", lang), len(projects))
    for col, total in zip(cols[2:], totals, strict=False):
        value = f"{total.quantity:,.0f}"
        note = None
        if total.at_least:
            value += "+"
            note = t("kpi_more", lang)
        elif total.approximate:
            value = "≈" + value
            note = t("kpi_about", lang)
        col.metric(total.unit if lang == "zh" else UNITS[total.unit], value, help=note)


def chart_frame(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """Projects counted by start year (rows) and type (columns), zeros filled."""
    projects = atlas.projects[atlas.projects["role"] == "pairing"].dropna(subset=["year_from"])
    labels = {k: v[0 if lang == "zh" else 1] for k, v in PROJECT_TYPES.items()}
    if projects.empty:
        return pd.DataFrame()
    table = pd.crosstab(projects["year_from"].astype(int), projects["type"].map(labels))
    table.index = table.index.astype(str)
    table.index.name = t("chart_year", lang)
    return table


def render_chart(atlas: Atlas, lang: Lang) -> None:
    st.markdown(f"**{t('chart_title', lang)}**")
    frame = chart_frame(atlas, lang)
    if frame.empty:
        st.caption(t("no_match", lang))
        return
    st.bar_chart(frame, height=260)
    st.caption(t("chart_note", lang))


def render_table(atlas: Atlas, lang: Lang) -> None:
    table = project_table(atlas, lang)
    st.markdown(f"**{t('table_title', lang)}**")
    st.dataframe(table, hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.download_button(
        t("download_csv", lang),
        to_csv_bytes(table),
        file_name="pujiang-luding-projects.csv",
        mime="text/csv",
        key="download_csv",
    )
    right.download_button(
        t("download_xlsx", lang),
        to_xlsx_bytes(table),
        file_name="pujiang-luding-projects.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_xlsx",
    )
