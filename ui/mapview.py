"""Assemble the map for the page from layers (pure functions) and the loaded data."""

from __future__ import annotations

import folium

from geo.i18n import Lang, t
from layers.assets import localize
from layers.basemap import Basemap, make_map
from layers.outlines import outline_layer
from layers.registry import register
from ui.data import AtlasData

PUJIANG, LUDING = "510131", "513322"


def build_overview_map(data: AtlasData, basemap: Basemap, lang: Lang) -> folium.Map:
    """Both focus counties fitted on screen, all counties outlined, assets served locally."""
    focus = data.counties[data.counties["code"].isin([PUJIANG, LUDING])]
    m = make_map(
        (*focus.total_bounds,),
        basemap=basemap,
        tiles_unavailable_message=t("tiles_unavailable", lang),
    )
    register(m, "counties", outline_layer(data.counties, "counties", frozenset({PUJIANG, LUDING})))
    return localize(m)
