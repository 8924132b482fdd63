"""The benchmark's naive baseline page: app.py with only its map built as a tutorial does.

    streamlit run benchmarks/naive_app.py      # from the project root

Everything but the map (sidebar, filters, KPI cards, chart, table) is the product's: this
script swaps ``ui.mapview.show_map`` for :func:`naive_show_map` and then runs ``app.py``
itself, afresh on every Streamlit rerun (``runpy``; an ``import app`` would run it only
once per process). The map: ``benchmarks.naive_map.naive_map`` (raw GeoJSON, a PolyLine per
pair, local assets) handed to a default ``st_folium`` (all objects returned on every
interaction, the tutorial's default); the check draw of ``ui.data``'s load draws the naive
map too. One deviation from the tutorial: the map takes the
column's width (``use_container_width``), as the product's does, so both draw the same area.

Static files: Streamlit serves ``static/`` next to the MAIN SCRIPT, so ``benchmarks/static``
is a link to the project's ``static/`` (the vendored Leaflet the localized map loads from
/app/static/). Run from the project root so ``.streamlit/config.toml`` applies.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit_folium import st_folium  # noqa: E402

import ui.data  # noqa: E402
import ui.mapview  # noqa: E402
from benchmarks.naive_map import naive_map  # noqa: E402
from geo.atlas import Atlas  # noqa: E402
from geo.display import DisplayGeometry  # noqa: E402
from layers.compose import MapOptions  # noqa: E402
from ui.data import AtlasData  # noqa: E402


def naive_show_map(
    shown: Atlas,
    data: AtlasData,
    options: MapOptions,
    *,
    height: int,
    returned_objects: list[str],
) -> dict[str, Any] | None:
    """ui.mapview.show_map's signature; ``options`` and ``returned_objects`` are ignored."""
    m = naive_map(shown, data.counties, data.display.anchors)
    event: dict[str, Any] | None = st_folium(
        m, key="atlas-map", height=height, use_container_width=True
    )
    return event


def naive_check_build(atlas: Atlas, geometry: DisplayGeometry, options: MapOptions) -> Any:
    """ui.data's load draws the map once as a check before data becomes the last good
    version; on this page that check draws the naive map, so the baseline never waits for
    our builder (at Sichuan's size ours took minutes and held back the naive page too)."""
    return naive_map(atlas, geometry.counties, geometry.anchors)


ui.mapview.show_map = naive_show_map
if hasattr(ui.data, "build_map"):
    ui.data.build_map = naive_check_build
runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
