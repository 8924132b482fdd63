"""What a click on the map selects: a township (or village), a pair, or a county to go down to.

st_folium reports the last clicked feature, and its value outlives the click: the browser
sends a component's last value again on later reruns, and the map frame stays after a
selection is cleared. So the map's own script stamps every click with a
unique ``click_id`` (see the BIND scripts in layers/), and a click is acted on only the first
time its id is seen. Selecting works every time, in any order, and an old click never
re-selects what the user has just cleared.

st_folium sends a value only when it differs from the last one it sent. The BIND scripts give
the clicked feature a new properties object on each click (not a new id in the same object,
which the last value sent also holds): else a repeat click on the same feature in the same
map frame is never sent. The explore view's map frame now stays through selections and
filter changes (ui.mapview), so a township clicked, cleared and clicked again is exactly that
case (tests/browser/test_clicks.py).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import streamlit as st

SEEN_KEY = "_clicks_seen"
REMEMBERED = 64


def new_click(event: dict[str, Any] | None) -> dict[str, Any] | None:
    """The clicked feature's properties if this click has not been handled yet, else None."""
    feature = (event or {}).get("last_active_drawing") or {}
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return None
    click_id = props.get("click_id")
    if not isinstance(click_id, str) or not click_id:
        return None
    seen: list[str] = st.session_state.setdefault(SEEN_KEY, [])
    if click_id in seen:
        return None
    seen.append(click_id)
    del seen[:-REMEMBERED]
    return props


def apply_click(
    props: dict[str, Any],
    drill_counties: frozenset[str],
    pairing_ids: set[str],
    panel_units: Collection[str] = (),
) -> bool:
    """Queue the selection a click asks for (applied before the widgets on the next run).

    A township or village selects that unit; a link selects that pair (both ends, its projects
    and sources); a county with townships in the data goes down to them; in the overview any
    other county or zone (``panel_units``) opens its panel there. Returns True when something
    was queued (the caller reruns)."""
    code = props.get("code")
    pair = props.get("pairing_id")
    if isinstance(code, str) and code in panel_units and code not in drill_counties:
        st.session_state["pending_unit"] = code
        st.session_state["pending_pair"] = ""
        return True
    if isinstance(code, str) and len(code) == 6:
        if code not in drill_counties:
            return False
        st.session_state["pending_view"] = "detail"
        st.session_state["pending_unit"] = code
        st.session_state["pending_pair"] = ""
        return True
    if isinstance(code, str) and code:
        st.session_state["pending_unit"] = code
        st.session_state["pending_pair"] = ""
        return True
    if isinstance(pair, str) and pair in pairing_ids:
        st.session_state["pending_pair"] = pair
        st.session_state["pending_unit"] = ""
        return True
    return False
