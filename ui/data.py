"""Cached loading of the bundled data, keyed on plain values (paths and modification times)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas, AtlasPaths, load_atlas
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.paths import COUNTIES_WGS84


@dataclass(frozen=True)
class AtlasData:
    atlas: Atlas
    counties: gpd.GeoDataFrame
    display: DisplayGeometry


def _version(paths: AtlasPaths) -> tuple[tuple[str, float], ...]:
    files = [*vars(paths).values(), COUNTIES_WGS84]
    return tuple((str(p), p.stat().st_mtime) for p in files)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(version: tuple[tuple[str, float], ...]) -> AtlasData:
    atlas = load_atlas(AtlasPaths())
    counties = load_boundaries(COUNTIES_WGS84)
    return AtlasData(atlas, counties, prepare_display(atlas, counties))


def load_bundled() -> AtlasData:
    """All bundled data, validated, with display geometry; raises AtlasDataError on a bad
    file. Cached per data version (file modification times): reruns cost nothing."""
    return _load(_version(AtlasPaths()))
