"""Cached loading of the bundled data, keyed on plain values (paths and modification times)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.boundaries import load_boundaries
from geo.paths import COUNTIES_WGS84


@dataclass(frozen=True)
class AtlasData:
    counties: gpd.GeoDataFrame


@st.cache_data(show_spinner=False)
def _counties(path: str, mtime: float) -> gpd.GeoDataFrame:
    return load_boundaries(Path(path))


def load_bundled() -> AtlasData:
    """All bundled data, validated; raises AtlasDataError on a bad file."""
    return AtlasData(counties=_counties(str(COUNTIES_WGS84), COUNTIES_WGS84.stat().st_mtime))
