"""The benchmark's naive baseline map and its /proc readings."""

from __future__ import annotations

import os
from pathlib import Path

import folium

from benchmarks.browser import cpu_seconds, status_bytes, tree_pids
from benchmarks.naive_map import naive_map
from geo.atlas import load_atlas
from geo.boundaries import load_boundaries
from geo.display import prepare_display
from geo.paths import COUNTIES_WGS84
from layers.assets import asset_urls
from layers.vendor import STATIC_URL_PREFIX


def test_naive_map_is_the_tutorial_map_with_local_assets() -> None:
    atlas = load_atlas()
    counties = load_boundaries(COUNTIES_WGS84)
    display = prepare_display(atlas, counties)
    m = naive_map(atlas, counties, display.anchors)
    children = list(m._children.values())
    geojsons = [c for c in children if isinstance(c, folium.GeoJson)]
    lines = [c for c in children if isinstance(c, folium.PolyLine)]
    assert len(geojsons) == 2  # county outlines and township areas, raw
    townships = geojsons[1].data["features"]
    assert len(townships) == len(atlas.areas)
    names = {f["properties"]["name"] for f in townships}
    assert "大塘镇" in names  # the tooltip's name, from the units table
    ends = set(display.anchors["code"])
    linked = atlas.pairings[
        atlas.pairings["helper_code"].isin(ends) & atlas.pairings["partner_code"].isin(ends)
    ]
    assert len(lines) == len(linked) > 0
    assert all(url.startswith(STATIC_URL_PREFIX) for url in asset_urls(m))
    html = m.get_root().render()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_proc_readings_of_this_process() -> None:
    pid = os.getpid()
    assert pid in tree_pids(pid)
    assert cpu_seconds(pid) > 0
    rss = status_bytes(pid, "VmRSS")
    assert rss is not None and rss > 1_000_000
    assert status_bytes(pid, "NoSuchLine") is None


def test_tree_pids_follows_children(tmp_path: Path) -> None:
    for pid, ppid in ((10, 1), (11, 10), (12, 11), (13, 1)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(f"{pid} (py (x)) S {ppid} 0 0 0 0")
    assert sorted(tree_pids(10, tmp_path)) == [10, 11, 12]
