"""Cached loading of the bundled data, keyed on plain values (paths and modification times)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas, AtlasPaths, load_atlas
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.errors import AtlasDataError
from geo.paths import COUNTIES_WGS84


@dataclass(frozen=True)
class AtlasData:
    atlas: Atlas
    counties: gpd.GeoDataFrame
    display: DisplayGeometry


def data_paths() -> AtlasPaths:
    """The bundled tables, or those in $ATLAS_DATA_DIR (same file names: sources.csv,
    pairings.csv, ..., derived/units.csv) when an office runs the app on its own ledger."""
    root = os.environ.get("ATLAS_DATA_DIR")
    if not root:
        return AtlasPaths()
    base = Path(root)
    return AtlasPaths(
        **{
            name: (base / "derived" / p.name if p.parent.name == "derived" else base / p.name)
            for name, p in vars(AtlasPaths()).items()
        }
    )


def _version(paths: AtlasPaths) -> tuple[tuple[str, float, int], ...]:
    files = [*vars(paths).values(), COUNTIES_WGS84]
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files if p.exists())


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(paths: AtlasPaths, version: tuple[tuple[str, float, int], ...]) -> AtlasData:
    atlas = load_atlas(paths)
    counties = load_boundaries(COUNTIES_WGS84)
    return AtlasData(atlas, counties, prepare_display(atlas, counties))


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[AtlasPaths, AtlasData]:
    """The last data set that loaded cleanly, per data location (shared by all sessions)."""
    return {}


def load_data() -> tuple[AtlasData | None, AtlasDataError | None]:
    """All data, validated, with display geometry, cached per data version (paths,
    modification times, sizes): reruns cost nothing.

    When a file turns bad (an office saved a broken ledger), returns the last good data
    together with the error: what was loaded is neither lost nor half-replaced. Returns
    (None, error) only if nothing good was ever loaded.
    """
    paths = data_paths()
    try:
        data = _load(paths, _version(paths))
    except AtlasDataError as err:
        return _last_good().get(paths), err
    _last_good()[paths] = data
    return data, None
