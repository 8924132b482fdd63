"""The load test's floor: the least page that makes the same filter change redraw a map.

    streamlit run benchmarks/floor_app.py      # from the project root

The sidebar has the product's project-type list (same key, same labels: the load test's
clicks are the same) and the page has one ``st_folium`` map, 1366 px wide like ours, with the
same local Leaflet assets and one circle marker whose tooltip names the chosen types. As in
ours (ui.mapview), the map itself stays and each change sends the marker as a new state
(``feature_group_to_add``), which the map in the page draws in place of the last one. No data
is loaded; there is no chart, table, KPI or panel.

What it measures: on this machine, 20 headless Chromium sessions share the 2 cores with the
server. The floor's redraw p95 over its own single-session median is what that sharing alone
costs; ours is read against it (``benchmarks/load.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.columns import PROJECT_TYPES  # noqa: E402
from layers.assets import localize  # noqa: E402
from layers.vendor import NOT_LOADED_BY_ATLAS, STATIC_URL_PREFIX  # noqa: E402

st.set_page_config(layout="wide")
with st.sidebar:
    if "types" not in st.session_state:
        st.session_state["types"] = list(PROJECT_TYPES)  # all types, as the product starts
    types = st.multiselect(
        "项目类型", list(PROJECT_TYPES), format_func=lambda k: PROJECT_TYPES[k][0], key="types"
    )
m = folium.Map(location=(30.0, 103.0), zoom_start=8, tiles=None)
state = folium.FeatureGroup(name="state", control=False)
folium.CircleMarker((30.0, 103.0), radius=8, tooltip=", ".join(types) or "-").add_to(state)
st_folium(
    localize(m, STATIC_URL_PREFIX, NOT_LOADED_BY_ATLAS),
    key="atlas-map",
    height=680,
    use_container_width=True,
    returned_objects=[],
    feature_group_to_add=state,
)
