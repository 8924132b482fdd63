"""The page's map: the pure builder's folium.Map handed to streamlit-folium.

One function draws the map for both modes, so the benchmark's naive baseline
(benchmarks/naive_app.py) can swap exactly this step and keep the rest of the page.
"""

from __future__ import annotations

from typing import Any

from streamlit_folium import st_folium

from geo.atlas import Atlas
from layers.compose import MapOptions, build_map
from ui.data import AtlasData


def show_map(
    shown: Atlas,
    data: AtlasData,
    options: MapOptions,
    *,
    height: int,
    returned_objects: list[str],
) -> dict[str, Any] | None:
    """Draw ``shown`` (the filtered atlas) with ``options``; the click event st_folium reports."""
    event: dict[str, Any] | None = st_folium(
        build_map(shown, data.display, options),
        key="atlas-map",
        height=height,
        use_container_width=True,
        returned_objects=returned_objects,
    )
    return event
