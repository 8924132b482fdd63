"""Sidebar controls and their two-way link with the URL (st.query_params).

On the first run of a session the URL seeds the widgets; afterwards the widgets are the truth
and the URL is rewritten from them, so a copied link reopens the same view.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from geo.atlas import Atlas
from geo.columns import PAIRING_LEVELS, PROJECT_TYPES
from geo.filters import Filters, type_counts, year_bounds
from geo.i18n import LANGS, Lang, measure_label, t
from geo.query import measure_options, split_measure_key
from layers.basemap import BASEMAPS, Basemap
from ui.urlstate import Notice, ViewName, ViewState, parse_query, to_query


def tianditu_key() -> str:
    """The Tianditu key from the environment (never committed); empty when not configured."""
    return os.environ.get("TIANDITU_KEY", "")


def seed_from_url(atlas: Atlas) -> list[Notice]:
    """First run only: copy the URL's state into the widgets. Returns the notices."""
    if st.session_state.get("_url_loaded"):
        return list(st.session_state.get("_url_notices", []))
    params = {k: st.query_params[k] for k in st.query_params}
    lo, hi = year_bounds(atlas)
    state, notices = parse_query(params, set(atlas.units["code"]), (lo, hi))
    f = state.filters
    st.session_state.update(
        {
            "lang": state.lang,
            "mode_present": state.mode == "present",
            "view": state.view,
            "types": [k for k in PROJECT_TYPES if f.types is None or k in f.types],
            "years": (f.year_from or lo, f.year_to or hi),
            "levels": [k for k in PAIRING_LEVELS if f.levels is None or k in f.levels],
            "unit": f.unit or "",
            "spans": f.include_spans,
            "_url_loaded": True,
            "_url_notices": notices,
        }
    )
    return notices


def apply_pending() -> None:
    """Selections made on the map (or by buttons) reach the widgets before they are drawn."""
    for key in ("unit", "mode", "view"):
        pending = st.session_state.pop(f"pending_{key}", None)
        if pending is None:
            continue
        if key == "mode":
            st.session_state["mode_present"] = pending == "present"
        else:
            st.session_state[key] = pending


def _unit_options(atlas: Atlas) -> list[str]:
    """Counties, townships and villages of Pujiang and Luding, in that order ("" = all)."""
    rank = {"county": 0, "township": 1, "village": 2}
    u = atlas.units
    focus = u[u["level"].isin(list(rank)) & u["code"].str[:6].isin(["510131", "513322"])]
    ordered = focus.assign(_rank=focus["level"].map(rank)).sort_values(["_rank", "code"])
    return ["", *ordered["code"]]


def sidebar(atlas: Atlas) -> tuple[ViewState, Basemap, str | None]:
    """Draw the sidebar; return the view state, the basemap and the width-by measure key."""
    lang: Lang = st.session_state.get("lang", "zh")
    names = dict(
        zip(atlas.units["code"], atlas.units["name_zh" if lang == "zh" else "name_en"], strict=True)
    )
    lo, hi = year_bounds(atlas)
    counts = type_counts(atlas)
    with st.sidebar:
        lang = st.radio(
            t("language", lang),
            LANGS,
            format_func=lambda c: "中文" if c == "zh" else "English",
            horizontal=True,
            key="lang",
        )
        present = st.toggle(t("mode_present", lang), key="mode_present")
        view: ViewName = st.radio(
            t("view", lang),
            ("detail", "overview"),
            format_func=lambda v: t(f"view_{v}", lang),
            key="view",
        )
        offered = [b for b in BASEMAPS if b != "tianditu" or tianditu_key()]
        basemap: Basemap = st.radio(
            t("basemap", lang),
            offered,
            format_func=lambda b: t(f"basemap_{b}", lang),
            key="basemap",
        )
        st.subheader(t("filters", lang))
        types = st.multiselect(
            t("types", lang),
            list(PROJECT_TYPES),
            format_func=lambda k: f"{PROJECT_TYPES[k][0 if lang == 'zh' else 1]} ({counts[k]})",
            key="types",
        )
        years: tuple[int, int] = st.slider(  # type: ignore[assignment]
            t("years", lang), min_value=lo, max_value=hi, key="years"
        )
        spans = st.checkbox(t("spans", lang), key="spans", help=t("spans_help", lang))
        if st.button(t("play", lang), key="play"):
            st.session_state["_playing"] = lo + 2 if lo + 2 <= hi else lo
        levels = st.multiselect(
            t("levels", lang),
            list(PAIRING_LEVELS),
            format_func=lambda k: t(f"level_{k}", lang),
            key="levels",
        )
        unit = st.selectbox(
            t("unit", lang),
            _unit_options(atlas),
            format_func=lambda c: t("unit_all", lang) if not c else f"{names.get(c, c)}",
            key="unit",
        )
        width_by = st.selectbox(
            t("width_by", lang),
            ["", *measure_options(atlas)],  # one measure: widths compare like with like
            format_func=lambda k: (
                measure_label(*split_measure_key(k), lang) if k else t("width_none", lang)
            ),
            key="width_by",
        )
        if st.button(t("reset", lang), key="reset"):
            st.session_state["_reset"] = True
            st.rerun()
    filters = Filters(
        types=None if set(types) == set(PROJECT_TYPES) else frozenset(types),
        year_from=None if years[0] == lo else years[0],
        year_to=None if years[1] == hi else years[1],
        levels=None if set(levels) == set(PAIRING_LEVELS) else frozenset(levels),
        unit=unit or None,
        include_spans=spans,
    )
    state = ViewState(
        lang=lang, mode="present" if present else "explore", view=view, filters=filters
    )
    return state, basemap, width_by or None


def handle_reset(atlas: Atlas) -> None:
    if st.session_state.pop("_reset", False):
        lo, hi = year_bounds(atlas)
        st.session_state.update(
            {
                "types": list(PROJECT_TYPES),
                "years": (lo, hi),
                "levels": list(PAIRING_LEVELS),
                "unit": "",
                "spans": False,
            }
        )


def step_play(atlas: Atlas) -> None:
    """Timeline playback: before the widgets, move the year range's end one year per run."""
    year = st.session_state.get("_playing")
    if year is None:
        return
    lo, _ = year_bounds(atlas)
    st.session_state["years"] = (lo, year)


def continue_play(atlas: Atlas, delay_s: float = 1.2) -> None:
    """After the page is drawn: wait, then show the next year, until the last one."""
    year = st.session_state.get("_playing")
    if year is None:
        return
    _, hi = year_bounds(atlas)
    if year >= hi:
        st.session_state.pop("_playing", None)
        return
    time.sleep(delay_s)
    st.session_state["_playing"] = year + 1
    st.rerun()


def write_url(state: ViewState) -> None:
    """Rewrite the URL from the state (only when it changed, to keep history clean)."""
    wanted = to_query(state)
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
