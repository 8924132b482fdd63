"""Cached loading of the atlas, keyed on plain values: the store's version (the folder a
version is written to) or, in folder mode, the files' paths and modification times."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.atlas import Atlas, AtlasPaths, check_areas_fit, counties_path, load_atlas
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.errors import AtlasDataError
from layers.compose import MapOptions, build_map
from store.source import DataSource, current
from ui.guard import logger

log = logger().getChild("data")


@dataclass(frozen=True)
class AtlasData:
    atlas: Atlas
    counties: gpd.GeoDataFrame
    display: DisplayGeometry
    version: int | None = None


def data_source() -> DataSource:
    """The store's latest version, or $ATLAS_DATA_DIR read directly (see store.source)."""
    return current()


def data_paths() -> AtlasPaths:
    return data_source().paths


def _version(paths: AtlasPaths) -> tuple[tuple[str, float, int], ...]:
    files = [*vars(paths).values(), counties_path(paths)]
    out = []
    for p in files:
        try:
            info = p.lstat()
        except OSError:
            continue
        out.append((str(p), info.st_mtime, info.st_size))
    return tuple(out)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(
    paths: AtlasPaths, version: tuple[tuple[str, float, int], ...], store_version: int | None
) -> AtlasData:
    atlas = load_atlas(paths)
    counties = load_boundaries(counties_path(paths))
    check_areas_fit(paths.areas, atlas, counties)
    data = AtlasData(atlas, counties, prepare_display(atlas, counties), store_version)
    # Draw the map once before the data can become the last good version: data that passes
    # every check but cannot be drawn is refused here, not on every later page view.
    build_map(atlas, data.display, MapOptions()).get_root().render()
    build_map(atlas, data.display, MapOptions(view="overview"))
    return data


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, AtlasData]:
    """The last data set that loaded cleanly, per data location (a folder or a database;
    shared by all sessions)."""
    return {}


def load_data() -> tuple[AtlasData | None, AtlasDataError | None]:
    """All data, validated, with display geometry, cached per data version (paths,
    modification times, sizes): reruns cost nothing.

    When a file turns bad (an office saved a broken ledger), returns the last good data
    together with the error: what was loaded is neither lost nor half-replaced. Returns
    (None, error) only if nothing good was ever loaded. Any unexpected exception while
    loading is treated the same way: logged in full on the server, shown to the visitor as a
    short bilingual message without paths or traceback.
    """
    try:
        source = data_source()
    except Exception as exc:  # the database is unreachable: keep what this process had
        log.exception("cannot read the store")
        return _last_good().get("store"), store_error(exc)
    paths = source.paths
    version = _version(paths)
    try:
        data = _load(paths, version, source.version)
    except AtlasDataError as err:
        if _first_time(paths, version):
            log.warning("data refused, last good data kept:\n%s", err)
        return _last_good().get(source.location), err
    except Exception as exc:  # any other failure is handled like bad data, never a traceback
        if _first_time(paths, version):
            log.exception("unexpected error while loading the data; last good data kept")
        return _last_good().get(source.location), unexpected_error(paths, exc)
    _last_good()[source.location] = data
    _last_good()["store"] = data
    return data, None


@st.cache_resource(show_spinner=False)
def _logged() -> set[tuple[AtlasPaths, tuple[tuple[str, float, int], ...]]]:
    """Data versions whose failure is already in the server log (every rerun retries)."""
    return set()


def _first_time(paths: AtlasPaths, version: tuple[tuple[str, float, int], ...]) -> bool:
    seen = _logged()
    if (paths, version) in seen:
        return False
    if len(seen) > 1000:
        seen.clear()
    seen.add((paths, version))
    return True


def unexpected_error(paths: AtlasPaths, exc: BaseException) -> AtlasDataError:
    """A readable error for a failure the validation did not foresee: the file name when the
    exception names one under the data folder, the exception type, never its text or a path."""
    name = getattr(exc, "filename", None)
    known = {p.name for p in vars(paths).values()}
    file = Path(str(name)).name if name and Path(str(name)).name in known else "data"
    return AtlasDataError.single(
        file,
        None,
        None,
        type(exc).__name__,
        "读取数据时出现意外错误；详情已记录在服务器日志中",
        "unexpected error while reading the data; details are in the server log",
    )


def store_error(exc: BaseException) -> AtlasDataError:
    """The store cannot be read (database down, bad ATLAS_DB_URL): a short message, no
    address or password (those are in the server log)."""
    return AtlasDataError.single(
        "database",
        None,
        None,
        type(exc).__name__,
        "无法读取数据库；详情已记录在服务器日志中",
        "the database cannot be read; details are in the server log",
    )


def render_version(data: AtlasData, lang: str) -> None:
    """Which version of the ledger the page shows, at the foot of the sidebar: viewers can
    tell an updated map from an old one (and name the version when they report a problem)."""
    if data.version is None:
        return
    try:
        store = data_source().store
        version = store.version(data.version) if store is not None else None
    except Exception:  # the database went away meanwhile: say nothing rather than fail
        log.exception("cannot read the version's details")
        return
    if version is None:
        return
    day = f"{version.created_at:%Y-%m-%d}"
    text = (
        f"数据版本 {version.id}（{day}）" if lang == "zh" else f"Data version {version.id} ({day})"
    )
    st.sidebar.caption(text)
