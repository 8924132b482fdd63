"""Presentation mode: projector theme and the guided tour through the pairs."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.atlas import Atlas
from geo.i18n import Lang, colon, t
from geo.periods import period_text, round_label
from geo.tour import OverviewStep, TourStep, overview_tour, tour_steps
from layers.popups import unit_name
from ui.md import md
from ui.panel import source_citation, total_label

# Our own CSS (no data in it): large type, high contrast, no Streamlit chrome.
PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
h1 { font-size: 1.7rem !important; color: #000 !important; padding: 0 !important; }
.stMarkdown p, .stMarkdown li { font-size: 1.3rem !important; color: #111 !important;
  margin-bottom: 0.1rem !important; }
.atlas-tour-pair { font-size: 1.9rem; font-weight: 700; color: #7f1d1d; }
button p { font-size: 1.2rem !important; }
.atlas-caption { border-left: 6px solid #c62828; padding: 0.4rem 1rem; background: #fff; }
</style>
"""


TOUR_MAX_TOTALS = 3


def tour_index(steps: list[TourStep] | list[OverviewStep]) -> int:
    """The current step from session state, kept in range."""
    i = int(st.session_state.get("tour_step", 0))
    return max(0, min(i, len(steps) - 1)) if steps else 0


def _move(delta: int, count: int) -> None:
    """Button callback: one step back or forward, kept within the tour."""
    i = int(st.session_state.get("tour_step", 0)) + delta
    st.session_state["tour_step"] = max(0, min(i, count - 1))


def tour_band(count: int, lang: Lang) -> DeltaGenerator:
    """One band above the map: ◀ | caption | ▶ | exit (the map keeps the screen); returns the
    caption's column. Callbacks run before this script, so the buttons are drawn for the step
    they lead to (previous disabled on the first step, next on the last)."""
    prev_col, label_col, next_col, exit_col = st.columns([1, 6, 1, 1], vertical_alignment="center")
    at = max(0, min(int(st.session_state.get("tour_step", 0)), count - 1)) if count else 0
    prev_col.button(
        t("tour_prev", lang),
        key="tour_prev",
        width="stretch",
        disabled=at <= 0 or not count,
        on_click=_move,
        args=(-1, count),
    )
    next_col.button(
        t("tour_next", lang),
        key="tour_next",
        width="stretch",
        disabled=not count or at >= count - 1,
        on_click=_move,
        args=(1, count),
    )
    if exit_col.button(t("exit_present", lang), key="exit_present", width="stretch"):
        st.session_state["pending_mode"] = "explore"
        st.rerun()
    return label_col


def render_tour(atlas: Atlas, lang: Lang) -> TourStep | None:
    """Previous/next/exit and the caption of the current pair; returns the current step.

    The band is drawn whatever the filter: with no pair to show, previous and next are
    disabled and the caption says so, but exit is always there (the sidebar is hidden in
    this mode, so exit is the only way back)."""
    steps = tour_steps(atlas)
    label_col = tour_band(len(steps), lang)
    if not steps:
        with label_col:
            st.markdown(f"**{md(t('tour_empty', lang))}**")
        return None
    i = tour_index(steps)
    step = steps[i]
    relation = step.relation_zh if lang == "zh" else step.relation_en
    since = f" · {t('since', lang)} {step.start_date}" if step.start_date else ""
    facts = (
        t("tour_projects", lang).format(n=step.project_count)
        if step.project_count
        else t("tour_no_projects", lang)
    )
    # A projector caption stays short: the first few totals (each one measure), then a count.
    shown = [total_label(x, lang) for x in step.totals[:TOUR_MAX_TOTALS]]
    if len(step.totals) > TOUR_MAX_TOTALS:
        shown.append(t("tour_more_figures", lang).format(n=len(step.totals) - TOUR_MAX_TOTALS))
    totals = " · ".join(shown)
    helper = md(unit_name(atlas, step.helper_code, lang))
    partner = md(unit_name(atlas, step.partner_code, lang))
    counter = t("tour_step", lang).format(i=i + 1, n=len(steps))
    with label_col:
        st.markdown(
            f"**{counter}** · <span class='atlas-tour-pair'>{helper} → {partner}</span>",
            unsafe_allow_html=True,  # our markup; the names inside are escaped by md()
        )
        st.markdown(
            f"{md(relation + since)} · {md(facts)}" + (f" · {md(totals)}" if totals else "")
        )
        cited = md(step.source_in(lang))
        st.markdown(f"“{md(step.quote)}” — {t('source', lang)}{colon(lang)}{cited}")
    return step


def render_overview_tour(atlas: Atlas, full: Atlas, lang: Lang) -> OverviewStep | None:
    """The overview's tour band: round by round, each round as a whole and then pair by pair
    (geo.tour.overview_tour). A round's step names the round, its pair count and the sources'
    statements about the whole round; a pair's step its two ends, period, quote and source."""
    steps = overview_tour(atlas)
    label_col = tour_band(len(steps), lang)
    if not steps:
        with label_col:
            st.markdown(f"**{md(t('tour_empty', lang))}**")
        return None
    i = tour_index(steps)
    step = steps[i]
    counter = t("tour_round_step", lang).format(i=i + 1, n=len(steps))
    with label_col:
        if step.pairing_id is None:
            title = t("tour_round", lang).format(
                round=round_label(step.round, lang), n=len(step.pairing_ids)
            )
            st.markdown(
                f"**{counter}** · <span class='atlas-tour-pair'>{md(title)}</span>",
                unsafe_allow_html=True,  # our markup; the words inside are escaped by md()
            )
            agg = full.aggregates
            said = agg[(agg["level"] == "county") & (agg["round"] == step.round)]
            for _, a in said.iterrows():
                statement = a["statement_zh"] if lang == "zh" else a["statement_en"]
                st.markdown(f"{md(statement)} — {source_citation(full, str(a['source_id']), lang)}")
            return step
        p = full.pairings[full.pairings["pairing_id"] == step.pairing_id].iloc[0]
        helper = md(unit_name(full, str(p["helper_code"]), lang))
        partner = md(unit_name(full, str(p["partner_code"]), lang))
        dates = dict(zip(full.sources["source_id"], full.sources["date"], strict=True))
        period = period_text(p, dates.get(str(p["source_id"]), ""), lang)
        st.markdown(
            f"**{counter}** · <span class='atlas-tour-pair'>{helper} → {partner}</span>",
            unsafe_allow_html=True,  # our markup; the names inside are escaped by md()
        )
        st.markdown(md(period))
        st.markdown(f"“{md(p['quote'])}” — {source_citation(full, str(p['source_id']), lang)}")
    return step


def overview_step_atlas(atlas: Atlas, step: OverviewStep | None) -> Atlas:
    """What the map draws at an overview tour step: the step's round's pairs."""
    if step is None:
        return atlas
    p = atlas.pairings
    return replace(atlas, pairings=p[p["pairing_id"].isin(step.pairing_ids)])
