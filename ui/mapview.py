"""Assemble the map for the page from the pure map builder and the loaded data."""

from __future__ import annotations

import folium

from layers.compose import MapOptions, build_map
from ui.data import AtlasData


def build_overview_map(data: AtlasData, options: MapOptions) -> folium.Map:
    """The atlas map for the page (assets served locally by Streamlit)."""
    return build_map(data.atlas, data.display, options)
