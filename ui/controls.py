"""Sidebar controls and their two-way link with the URL (st.query_params).

On the first run of a session the URL seeds the widgets; afterwards the widgets are the truth
and the URL is rewritten from them, so a copied link reopens the same view.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from geo.atlas import Atlas
from geo.columns import PAIRING_LEVELS, PROJECT_TYPES, ROUND_KEYS
from geo.detail import overview_units, selectable_units, view_atlas
from geo.filters import Filters, type_counts, year_bounds
from geo.headline import view_label
from geo.i18n import LANGS, Lang, measure_label, t
from geo.periods import round_label
from geo.query import measure_options, split_measure_key
from layers.basemap import BASEMAPS, Basemap
from ui.urlstate import Notice, ViewName, ViewState, parse_query, to_query


def tianditu_key() -> str:
    """The Tianditu key from the environment (never committed); empty when not configured."""
    return os.environ.get("TIANDITU_KEY", "")


# Widget keys seeded from the URL. Streamlit forgets a widget's value when a run ends without
# drawing it (a run that stopped on an error), so a missing key means "seed again".
SEEDED = ("lang", "mode_present", "view", "types", "years", "levels", "unit", "rounds")


def current_view() -> ViewName:
    """The view being drawn: the widget's value, or on a session's first run the URL's."""
    view = st.session_state.get("view")
    if view is None:
        view = st.query_params.get("view")
    return "overview" if view == "overview" else "detail"


def scoped(atlas: Atlas) -> Atlas:
    """What the current view is about (geo.detail.view_atlas): its years, units and pairs."""
    return view_atlas(atlas, current_view())


def _query_params() -> dict[str, list[str]]:
    """Every value of every parameter (a repeated parameter keeps all its values)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def seed_from_url(atlas: Atlas) -> list[Notice]:
    """Copy the URL's state into the widgets on a session's first run, and again whenever a
    widget's value was lost. Returns the notices about the URL that still apply: a notice is
    shown while a parameter it is about is still in the URL."""
    lo, hi = year_bounds(scoped(atlas))
    needed = [k for k in SEEDED if k != "years" or lo < hi]  # no slider for a single year
    if st.session_state.get("_url_loaded") and all(k in st.session_state for k in needed):
        keep_state_valid(atlas)
        present = set(st.query_params)
        notices: list[Notice] = st.session_state.get("_url_notices", [])
        return [n for n in notices if present.intersection(n.params())]
    state, notices = parse_query(
        _query_params(),
        set(_unit_options(atlas)) - {""},
        (lo, hi),
        frozenset(atlas.pairings["pairing_id"]),
    )
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
            "pair": state.pair or "",
            "spans": f.include_spans,
            "rounds": [k for k in ROUND_KEYS if f.rounds is None or k in f.rounds],
            "_url_loaded": True,
            "_url_notices": notices,
        }
    )
    keep_state_valid(atlas)
    return notices


def keep_state_valid(atlas: Atlas) -> None:
    """Widget values that the current data cannot show (the data changed while the session
    was open, or the view changed its years) go back to the nearest valid value instead of
    breaking the widgets."""
    lo, hi = year_bounds(scoped(atlas))
    state = st.session_state
    years = state.get("years")
    valid: dict[str, object] = {"years": (lo, hi)}
    if isinstance(years, tuple | list) and len(years) == 2:
        a, b = (min(max(int(y), lo), hi) for y in years)
        valid["years"] = (min(a, b), max(a, b))
    valid["unit"] = state.get("unit", "") if state.get("unit", "") in _unit_options(atlas) else ""
    valid["types"] = [k for k in state.get("types", PROJECT_TYPES) if k in PROJECT_TYPES]
    valid["levels"] = [k for k in state.get("levels", PAIRING_LEVELS) if k in PAIRING_LEVELS]
    valid["rounds"] = [k for k in state.get("rounds", ROUND_KEYS) if k in ROUND_KEYS]
    for key, value in valid.items():
        if state.get(key) != value:
            state[key] = value


def apply_pending() -> None:
    """Selections made on the map (or by buttons) reach the widgets before they are drawn."""
    for key in ("unit", "pair", "mode", "view"):
        pending = st.session_state.pop(f"pending_{key}", None)
        if pending is None:
            continue
        if key == "mode":
            st.session_state["mode_present"] = pending == "present"
        else:
            st.session_state[key] = pending


def _unit_options(atlas: Atlas) -> list[str]:
    """Detail view: counties with township detail, their townships and villages, in that order;
    overview: every county and zone first ("" = all)."""
    if current_view() == "overview":
        return ["", *overview_units(atlas)]
    return ["", *selectable_units(atlas)]


def _toggle_play(lo: int) -> None:
    """Button callback (runs before the script, so the button and slider show the new state):
    play from the first year, one year at a time, or pause on the year shown."""
    if st.session_state.get("_playing") is not None:
        st.session_state.pop("_playing", None)
    else:
        st.session_state["_playing"] = lo
        st.session_state["years"] = (lo, lo)


def _go_down(detail: frozenset[str]) -> None:
    """A unit with township data chosen from the list while in the overview: show it in the
    detail view, as a click on such a county does (other counties open their panel here)."""
    unit = st.session_state.get("unit")
    if unit in detail and st.session_state.get("view") == "overview":
        st.session_state["view"] = "detail"


# Widgets whose option labels are in the page's language. Streamlit 1.67 keeps such a
# widget's choice in the browser as its labels and reads it back by matching them: after a
# language switch the browser would send the old language's labels, which match nothing, and
# every filter would be emptied and the view lost on the next click.
LABELLED = ("view", "basemap", "types", "levels", "rounds", "unit", "width_by")


def relabel_on_language_change(lang: Lang) -> None:
    """On the first run in a new language, write each labelled widget's value back to its
    state, which sends it to the browser again with the new labels."""
    if st.session_state.get("_labels_lang", lang) != lang:
        for key in LABELLED:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state["_labels_lang"] = lang


def sidebar(atlas: Atlas) -> tuple[ViewState, Basemap, str | None]:
    """Draw the sidebar; return the view state, the basemap and the width-by measure key."""
    lang: Lang = st.session_state.get("lang", "zh")
    relabel_on_language_change(lang)
    # Both names in every option, so the list's search finds a place by its Chinese name, its
    # pinyin or its English name whichever language is shown ("大塘镇 · Datang Town").
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    names = {
        c: f"{a} · {b}" if a != b else a
        for c, a, b in zip(
            atlas.units["code"], atlas.units[first], atlas.units[second], strict=True
        )
    }
    lo, hi = year_bounds(scoped(atlas))
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
            format_func=lambda v: view_label(atlas, v, lang),
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
        if lo < hi:
            years: tuple[int, int] = st.slider(  # type: ignore[assignment]
                t("years", lang), min_value=lo, max_value=hi, key="years"
            )
            spans = st.checkbox(t("spans", lang), key="spans", help=t("spans_help", lang))
            playing = st.session_state.get("_playing") is not None
            st.button(
                t("pause" if playing else "play", lang),
                key="play",
                on_click=_toggle_play,
                args=(lo,),
            )
            playing = st.session_state.get("_playing") is not None
            if playing:
                st.caption(t("playing", lang).format(year=st.session_state["_playing"]))
        else:
            # All data in one year: a slider needs two different ends, so say the year.
            years = (lo, hi)
            spans = True
            st.markdown(f"**{t('years', lang)}**: {lo}")
        levels = st.multiselect(
            t("levels", lang),
            list(PAIRING_LEVELS),
            format_func=lambda k: t(f"level_{k}", lang),
            key="levels",
        )
        rounds = st.multiselect(
            t("rounds", lang),
            list(ROUND_KEYS),
            format_func=lambda k: round_label(k, lang),
            key="rounds",
            help=t("rounds_help", lang),
        )
        unit = st.selectbox(
            t("unit", lang),
            _unit_options(atlas),
            format_func=lambda c: t("unit_all", lang) if not c else f"{names.get(c, c)}",
            key="unit",
            on_change=_go_down,
            args=(frozenset(selectable_units(atlas)),),
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
        rounds=None if set(rounds) == set(ROUND_KEYS) else frozenset(rounds),
    )
    pair = st.session_state.get("pair") or None
    if unit or pair not in set(atlas.pairings["pairing_id"]):
        pair = None  # a unit chosen in the list replaces a selected link
        st.session_state["pair"] = ""
    state = ViewState(
        lang=lang,
        mode="present" if present else "explore",
        view=view,
        filters=filters,
        pair=pair,
    )
    return state, basemap, width_by or None


def handle_reset(atlas: Atlas) -> None:
    if st.session_state.pop("_reset", False):
        lo, hi = year_bounds(scoped(atlas))
        st.session_state.update(
            {
                "types": list(PROJECT_TYPES),
                "years": (lo, hi),
                "levels": list(PAIRING_LEVELS),
                "unit": "",
                "pair": "",
                "spans": False,
                "rounds": list(ROUND_KEYS),
            }
        )


def step_play(atlas: Atlas) -> None:
    """Timeline playback, before the widgets: show one year at a time (2017, 2018, ...)."""
    year = st.session_state.get("_playing")
    if year is None:
        return
    lo, hi = year_bounds(scoped(atlas))
    year = min(max(int(year), lo), hi)
    st.session_state["years"] = (year, year)


PLAY_STEP_S = 1.5  # seconds per year: readable on a projector


def continue_play(atlas: Atlas) -> None:
    """After the page is drawn, while playing: a timer fragment shows the next year every
    ``PLAY_STEP_S`` seconds and stops after the last one (which stays on screen). The page
    is never blocked waiting, so a click on pause is handled at once."""
    if st.session_state.get("_playing") is None:
        return
    _, hi = year_bounds(scoped(atlas))
    st.session_state["_play_shown_at"] = time.monotonic()

    @st.fragment(run_every=PLAY_STEP_S)
    def tick() -> None:
        year = st.session_state.get("_playing")
        shown_at = st.session_state.get("_play_shown_at", 0.0)
        if year is None or time.monotonic() - shown_at < PLAY_STEP_S * 0.8:
            return  # the run that drew this year, or paused meanwhile
        if year >= hi:
            st.session_state.pop("_playing", None)  # done: the button reads "play" again
        else:
            st.session_state["_playing"] = year + 1
        st.rerun(scope="app")

    tick()


def write_url(state: ViewState) -> None:
    """Rewrite the URL from the state (only when it changed, to keep history clean)."""
    wanted = to_query(state)
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
