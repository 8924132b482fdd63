"""Page layout CSS for the explore view (our own rules; no data in them).

- Less empty space above the title, so the map starts higher on a laptop screen.
- The side panel's column is hidden while nothing is selected (NO_PANEL_CSS).
- The map's state token (ui.mapview) is hidden with its element container.
- On a phone (a WeChat link opens at ~390 px wide) the map comes right after the title, the
  cards and figures follow it in compact type: the first screen shows the map.
Containers are found by their Streamlit keys (class ``st-key-<key>``), set in app.py.
"""

from __future__ import annotations

import streamlit as st

EXPLORE_CSS = """
<style>
.block-container { padding-top: 3.6rem !important; }
h1 { font-size: 2rem !important; padding-bottom: 0.2rem !important; }
/* the map's state token (ui.mapview) takes no room */
[data-testid="stElementContainer"]:has(.atlas-map-state) { display: none !important; }
@media (max-width: 640px) {
  .block-container { padding-top: 3.4rem !important; padding-left: 0.5rem !important;
    padding-right: 0.5rem !important; }
  h1 { font-size: 1.3rem !important; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-atlas-head) { order: -2; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-atlas-map) { order: -1; }
  .st-key-atlas-kpis [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important;
    gap: 0.2rem 1rem !important; }
  .st-key-atlas-kpis [data-testid="stColumn"] { width: auto !important; flex: 0 1 auto !important;
    min-width: 0 !important; }
  .st-key-atlas-kpis [data-testid="stMetricValue"] { font-size: 1.4rem !important; }
  .st-key-atlas-kpis [data-testid="stCaptionContainer"] { font-size: 0.75rem !important; }
}
</style>
"""


# While nothing is selected the map takes the whole width: the panel's column is hidden, not
# removed (app.py keeps the map's place on the page, so its frame stays).
NO_PANEL_CSS = """
<style>
.st-key-atlas-map [data-testid="stColumn"]:nth-child(2) { display: none !important; }
.st-key-atlas-map [data-testid="stColumn"]:first-child { width: 100% !important;
  flex: 1 1 100% !important; }
</style>
"""


def explore_layout(panel: bool) -> None:
    """The explore view's CSS; ``panel``: the side panel is open (a unit or pair selected)."""
    st.markdown(EXPLORE_CSS + ("" if panel else NO_PANEL_CSS), unsafe_allow_html=True)
