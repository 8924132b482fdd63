"""Streamlit entry point: wires widgets to the pure core (geo/, layers/). Keep it thin.

Flow of a run: load (cached) -> seed widgets from the URL (first run) -> sidebar -> filter ->
map + panel (explore) or tour (present) -> KPI cards, chart, table -> write the URL back.
"""

from __future__ import annotations

import streamlit as st

from geo.detail import detail_counties, detail_slug
from geo.filters import filtered_view
from geo.headline import subtitle_text
from geo.i18n import Lang, t
from layers.compose import MapOptions
from ui import controls, mapview
from ui.data import load_data, render_version
from ui.editor import render_editor_page
from ui.guard import run_guarded
from ui.layout import explore_layout
from ui.md import md
from ui.memory import keep_memory_in_check
from ui.pack import export_menu
from ui.page import follow_language
from ui.panel import render_pair_panel, render_panel
from ui.present import PROJECTOR_CSS, overview_step_atlas, render_overview_tour, render_tour
from ui.selection import apply_click, new_click
from ui.summary import render_details, render_kpis

st.set_page_config(page_title="成都—甘孜对口帮扶地图", page_icon="🗺️", layout="wide")


def main() -> None:
    keep_memory_in_check()
    lang: Lang = "en" if st.query_params.get("lang") == "en" else "zh"
    if st.query_params.get("page") == "editor":  # the ledger editor (login first)
        follow_language(lang)
        render_editor_page(lang)
        return
    data, error = load_data()
    if error is not None:
        kept = f"\n\n{t('data_kept', lang)}" if data is not None else ""
        problems = "\n\n".join(md(line) for line in str(error).splitlines())
        st.error(f"{t('data_error', lang)}\n\n{problems}{kept}")
    if data is None:
        st.title(t("app_title", lang))
        return
    full = data.atlas
    notices = controls.seed_from_url(full)
    controls.apply_pending()
    controls.handle_reset(full)
    controls.step_play(full)
    state, basemap, width_by = controls.sidebar(full)
    lang = state.lang
    render_version(data, lang)
    follow_language(lang)
    shown = filtered_view(full, state.view, state.filters)
    present = state.mode == "present"

    if present:
        st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)
    with st.container(key="atlas-head"):
        st.title(t("app_title", lang))
        if not present:
            st.caption(subtitle_text(full, state.view, lang))
    for notice in notices:
        st.warning(md(notice.text(lang)))

    if present:
        drawn = shown
        if state.view == "overview":  # round by round, then pair by pair
            round_step = render_overview_tour(shown, full, lang)
            drawn = overview_step_atlas(shown, round_step)
            focus = round_step.pairing_id if round_step else None
        else:
            step = render_tour(shown, lang)
            focus = step.pairing_id if step else None
        options = MapOptions(
            lang=lang,
            basemap=basemap,
            view=state.view,
            focus_pair=focus,
            width_by=width_by,
            tianditu_key=controls.tianditu_key(),
            label_px=18,
            present=True,
        )
        # resized in the browser to fill the screen below the band (PresentFit)
        mapview.show_map(drawn, data, options, height=560, returned_objects=[])
        export_menu(full, data.display, state, width_by, focus)
    else:
        unit = state.filters.unit
        selected = bool(unit or state.pair)
        explore_layout(panel=selected)
        with st.container(key="atlas-kpis"):
            render_kpis(shown, lang, overview=state.view == "overview")
        # The map fills the page; the panel opens beside it once a unit or a pair is selected.
        # The columns are always there (the panel's hidden by CSS while nothing is selected):
        # the map keeps its place on the page, so its frame stays and takes the new state
        # instead of being drawn anew (ui.mapview).
        box = st.container(key="atlas-map")
        map_col, panel_col = box.columns([3, 1.3])
        options = MapOptions(
            lang=lang,
            basemap=basemap,
            view=state.view,
            selected=unit,
            focus_pair=state.pair,
            width_by=width_by,
            tianditu_key=controls.tianditu_key(),
            popups=False,  # a click opens the side panel
        )
        with map_col:
            event = mapview.show_map(
                shown, data, options, height=680, returned_objects=["last_active_drawing"]
            )
        if not selected:
            st.caption(t("panel_hint", lang))
        else:
            with panel_col:
                if state.pair:
                    render_pair_panel(shown, full, state.pair, lang)
                else:
                    render_panel(shown, full, unit, lang)
        export_menu(full, data.display, state, width_by)
        render_details(
            shown, lang, "chengdu-ganzi" if state.view == "overview" else detail_slug(full)
        )
        clicked = new_click(event)
        if clicked and apply_click(
            clicked,
            detail_counties(full),
            set(full.pairings["pairing_id"]),
            set(full.units["code"]) if state.view == "overview" else set(),
        ):
            st.rerun()
    controls.write_url(state)
    controls.continue_play(full)


run_guarded(main)
