"""KPI cards, the chart of projects by year and type, and the table with its downloads."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.export import project_table, to_csv_bytes, to_xlsx_bytes
from geo.headline import headline_text
from geo.i18n import Lang, span_text, t, total_text
from geo.query import cached_on, figures_of, totals_by_measure
from ui.md import md


def render_kpis(atlas: Atlas, lang: Lang, overview: bool = False) -> None:
    """Two cards (pairs, projects) and, beside them, one line per thing counted.

    Totals add only figures of the same measure and unit (geo.query.totals_by_measure), so there
    are as many lines as kinds of figures: too many for cards, hence a compact list. Under the
    cards, the article's headline statements (8 ↔ 9 townships, 15 ↔ 15 villages) say that the
    pairs on the map are only the ones the sources name."""
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    totals = totals_by_measure(figures_of(atlas, projects))
    pairs_col, projects_col, figures_col = st.columns([1, 1, 4])
    help_key = "kpi_pairs_help_overview" if overview else "kpi_pairs_help"
    pairs_col.metric(t("kpi_pairs", lang), len(atlas.pairings), help=t(help_key, lang))
    projects_col.metric(t("kpi_projects", lang), len(projects))
    with figures_col:
        # Small type: one line per kind of figure would not fit as cards; this keeps the row
        # about as tall as the two cards beside it.
        items = " · ".join(md(total_text(x, lang)) for x in totals)
        st.caption(f"**{t('kpi_figures', lang)}**  \n{items or t('kpi_no_figures', lang)}")
    headline = headline_text(atlas, lang)
    if headline:
        st.caption(md(headline))


def chart_frame(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """Projects counted by year (rows) and type (columns), zeros filled.

    A project with a date counts in its year. A project reported only as a span ("since the
    pairing", date_precision == "period") is not an event of its first year: it gets its own
    row after the years, e.g. "2017–2020, not dated". Undated projects are left out."""
    pr = atlas.projects[atlas.projects["role"] == "pairing"]
    labels = {k: v[0 if lang == "zh" else 1] for k, v in PROJECT_TYPES.items()}
    dated = pr[pr["date_precision"].isin(["day", "month", "year"]) & pr["year_from"].notna()]
    spans = pr[(pr["date_precision"] == "period") & pr["year_from"].notna()]
    rows = [
        *((str(int(y)), typ) for y, typ in zip(dated["year_from"], dated["type"], strict=True)),
        *(
            (span_text(a, b, lang), typ)
            for a, b, typ in zip(spans["year_from"], spans["year_to"], spans["type"], strict=True)
        ),
    ]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows, columns=["row", "type"])
    table = pd.crosstab(frame["row"], frame["type"].map(labels))
    years = sorted(r for r in table.index if r.isdigit())
    span_rows = sorted(r for r in table.index if not r.isdigit())
    table = table.loc[years + span_rows]
    table.index.name = t("chart_year", lang)
    return table


def chart_spec(frame: pd.DataFrame, lang: Lang) -> alt.Chart:
    """Horizontal stacked bars: rows (years, then spans) read in full on the left, never cut or
    rotated; the type legend below wraps instead of truncating."""
    row_title = t("chart_year", lang)
    long = frame.reset_index(names=row_title).melt(
        id_vars=row_title, var_name=t("types", lang), value_name=t("kpi_projects", lang)
    )
    long = long[long[t("kpi_projects", lang)] > 0]
    chart: alt.Chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{row_title}:N", sort=list(frame.index), axis=alt.Axis(labelLimit=0)),
            x=alt.X(f"{t('kpi_projects', lang)}:Q", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                f"{t('types', lang)}:N",
                legend=alt.Legend(orient="bottom", columns=4, labelLimit=0, title=None),
            ),
            tooltip=[row_title, t("types", lang), t("kpi_projects", lang)],
        )
        .properties(height={"step": 32})
    )
    return chart


def render_chart(atlas: Atlas, lang: Lang) -> None:
    frame = chart_frame(atlas, lang)
    if frame.empty:
        st.caption(t("no_match", lang))
        return
    # Plot rows plus room for the axis and the wrapped legend below.
    st.altair_chart(chart_spec(frame, lang), width="stretch", height=40 * len(frame) + 150)
    st.caption(t("chart_note", lang))


def project_table_of(atlas: Atlas, lang: Lang) -> pd.DataFrame:
    """The project table, built once per filtered atlas (``geo.filters.filtered_view`` gives
    the same frames back on every rerun with the same filters)."""
    return cached_on(atlas.projects, f"table:{lang}", lambda: project_table(atlas, lang))


def render_table(atlas: Atlas, lang: Lang) -> None:
    st.dataframe(project_table_of(atlas, lang), hide_index=True, width="stretch")


def render_downloads(atlas: Atlas, lang: Lang, slug: str) -> None:
    """The table's CSV and XLSX downloads; ``slug`` names the files (from the data:
    geo.detail.detail_slug for the detail view). The files (and the table, when it is not
    shown) are made only when a download is asked for, not on every rerun."""
    left, right = st.columns(2)
    left.download_button(
        t("download_csv", lang),
        lambda: to_csv_bytes(project_table_of(atlas, lang)),
        file_name=f"{slug}-projects.csv",
        mime="text/csv",
        key="download_csv",
    )
    right.download_button(
        t("download_xlsx", lang),
        lambda: to_xlsx_bytes(project_table_of(atlas, lang)),
        file_name=f"{slug}-projects.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_xlsx",
    )


# The chart and the table sit below the map, each in an expander that is filled only while it
# is open. Drawn on every filter change, they were most of what a browser did per change
# (~0.27 s of main thread for the chart and the table, issue 14); closed, they cost nothing.
# Open or closed is the session's: kept through filter changes and a language switch (a new
# label is a new expander to Streamlit, so the state is remembered under OPEN_KEY and handed
# back to the expander on every run).
DETAILS = ("chart", "table")
OPEN_KEY = "_open_{}"


def _remember(name: str) -> None:
    st.session_state[OPEN_KEY.format(name)] = bool(st.session_state.get(f"details-{name}"))


def render_details(atlas: Atlas, lang: Lang, slug: str) -> None:
    """The chart and the table (each filled only while open), then the downloads."""
    titles = {"chart": t("chart_title", lang), "table": t("table_title", lang)}
    for name in DETAILS:
        key = f"details-{name}"
        st.session_state[key] = bool(st.session_state.get(OPEN_KEY.format(name), False))
        box = st.expander(titles[name], key=key, on_change=_remember, args=(name,))
        if box.open:
            with box:
                if name == "chart":
                    render_chart(atlas, lang)
                else:
                    render_table(atlas, lang)
    render_downloads(atlas, lang, slug)
