"""The page's map: the pure builder's folium.Map handed to streamlit-folium.

One function draws the map for both modes, so the benchmark's naive baseline
(benchmarks/naive_app.py) can swap exactly this step and keep the rest of the page.

The shapes (township areas, counties, prefectures: most of a large map's bytes) are not put
in the map script: they are written once per data version to ``static/cache/`` (served by
Streamlit's static file serving, ``.streamlit/config.toml``) under a name holding a hash of
their content; the browser fetches each once and keeps it. A filter change then re-sends
only the properties of each shape and the links, not every outline again (issue 14). If the
folder cannot be written (a read-only installation), the shapes go in the script as before.

What streamlit-folium hands its component for a map state (the base's script, the state's
script, the asset lists) is kept per state token, in a small cache shared by the sessions
(``RenderedMaps``): a state already drawn once, by this session or another, is sent again
without building or rendering the folium objects (folium renders every element's script
through a new Jinja template: ~60 % of a rerun's server time on the bundled data).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from geo.paths import PROJECT_DIR
from layers.basemap import Basemap
from layers.compose import MapOptions, build_map, build_stable_map, geometry_files
from ui.data import AtlasData
from ui.guard import logger

log = logger().getChild("mapview")

CACHE_DIR = PROJECT_DIR / "static" / "cache"
CACHE_URL = "/app/static/cache/"
KEEP_FILES = 16  # older area files (earlier data versions) are removed beyond this many
# Rendered map states kept for reuse, in characters of script (a bundled-data state is ~50 k
# characters; a province's several million: the cache then holds the last few). Python keeps
# text with Chinese in it at 2 bytes a character: at most ~50 MB.
RENDERED_LIMIT = 24_000_000


def show_map(
    shown: Atlas,
    data: AtlasData,
    options: MapOptions,
    *,
    height: int,
    returned_objects: list[str],
) -> dict[str, Any] | None:
    """Draw ``shown`` (the filtered atlas) with ``options``; the click event st_folium reports."""
    urls = geometry_urls(data.display, options.basemap)
    options = replace(options, geometry_urls=urls)
    if options.present:  # a whole map per tour step (PresentFit fits the frame to the screen)
        args = component_args(build_map(shown, data.display, options), height, returned_objects)
        return draw(args)
    token = state_token(shown, data, options)

    def build() -> dict[str, Any]:
        home = view_atlas(data.atlas, options.view)  # the view before the user's filters
        base, state = build_stable_map(shown, data.display, options, token, home=home)
        return component_args(base, height, returned_objects, state=state)

    args = RENDERED.get((token, height, tuple(returned_objects)), data, build)
    # The same token on the page: the map shows the latest state once its own equals this.
    st.html(f'<span class="atlas-map-state" data-state="{token}" hidden></span>')
    return draw(args)


# ---------------------------------------------------------------- the component's arguments
_capture_lock = threading.Lock()


def component_args(
    fig: folium.Map,
    height: int,
    returned_objects: list[str],
    state: folium.FeatureGroup | None = None,
) -> dict[str, Any]:
    """What ``st_folium(fig, feature_group_to_add=state, ...)`` hands its component, taken
    from st_folium itself (its component function swapped for a recorder while it runs), so
    the scripts are exactly st_folium's and can be kept and sent again (``draw``). The swap is
    under a lock, and every map of the app goes through here: no session's st_folium call
    can meet the recorder."""
    recorded: dict[str, Any] = {}

    def record(**kwargs: Any) -> None:
        recorded.update(kwargs)

    with _capture_lock:
        real = streamlit_folium._component_func
        streamlit_folium._component_func = record
        try:
            st_folium(
                fig,
                feature_group_to_add=state,
                key="atlas-map",
                height=height,
                use_container_width=True,
                returned_objects=returned_objects,
            )
        finally:
            streamlit_folium._component_func = real
    if "script" not in recorded:
        raise RuntimeError("streamlit-folium did not call its component")  # an upgrade changed it
    return recorded


def draw(args: dict[str, Any]) -> dict[str, Any] | None:
    """The map on the page from ``component_args``; the click event it reports."""
    event: dict[str, Any] | None = streamlit_folium._component_func(**args)
    return event


class RenderedMaps:
    """Component arguments per (state token, size), least recently used out beyond ``limit``
    characters; an entry holds only for the data object it was made from (a token names the
    data by ``id``, which a later data version may reuse). Thread-safe: sessions share it."""

    def __init__(self, limit: int = RENDERED_LIMIT) -> None:
        self.limit = limit
        self._entries: OrderedDict[object, tuple[weakref.ref[AtlasData], dict[str, Any], int]]
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, key: object, data: AtlasData, build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0]() is data:
                self._entries.move_to_end(key)
                return hit[1]
        args = build()
        size = sum(len(v) for v in args.values() if isinstance(v, str))
        with self._lock:
            for gone in [k for k, entry in self._entries.items() if entry[0]() is None]:
                del self._entries[gone]  # states of data no longer loaded
            self._entries[key] = (weakref.ref(data), args, size)
            self._entries.move_to_end(key)
            total = sum(entry[2] for entry in self._entries.values())
            while total > self.limit and len(self._entries) > 1:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                total -= dropped
        return args

    def __len__(self) -> int:
        return len(self._entries)


RENDERED = RenderedMaps()


def state_token(shown: Atlas, data: AtlasData, options: MapOptions) -> str:
    """A short name for what the map shows: the data (this process's loaded version), the
    filtered rows (their ids) and the options. The same state gives the same token, so a
    rerun that changes nothing sends the same state and the map is not drawn again."""
    digest = hashlib.sha256(repr((id(data), options)).encode())
    for frame, column in (
        (shown.pairings, "pairing_id"),
        (shown.projects, "project_id"),
        (shown.units, "code"),
    ):
        digest.update(column.encode())
        if column in frame:
            hashed = pd.util.hash_pandas_object(frame[column], index=False)
            digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()[:16]


def geometry_urls(
    display: DisplayGeometry, basemap: Basemap, folder: Path = CACHE_DIR
) -> tuple[tuple[str, str], ...]:
    """(kind, URL) of this display geometry's shape files, each written on first use; empty
    when the folder cannot be written (then the map script carries the shapes)."""
    urls = []
    for kind, (name, body) in geometry_files(display, basemap).items():
        target = folder / name
        try:
            if not target.exists():
                folder.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as out:
                    out.write(body)
                os.chmod(out.name, 0o644)  # readable by a reverse proxy serving static/ itself
                os.replace(out.name, target)  # whole or not at all, for a browser reading it
                _prune(folder, kind, keep=target)
        except OSError:
            log.warning("cannot write %s; the map script carries the shapes", target)
            return ()
        urls.append((kind, CACHE_URL + name))
    return tuple(urls)


def _prune(folder: Path, kind: str, keep: Path) -> None:
    files = sorted(folder.glob(f"{kind}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in files if p != keep][KEEP_FILES - 1 :]:
        old.unlink(missing_ok=True)
