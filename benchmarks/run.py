"""Benchmark: the display pipeline against a baseline built in the same run.

Baseline = the same map drawn from raw geometry (no coverage simplification, full
precision). Reports time to build and render the map, the size of the HTML the browser
receives, and peak Python memory, each as a ratio candidate / baseline (lower is better).
Run with ``make bench``; it is not part of the test suite.

Then the meeting pack (needs /usr/bin/chromium): time to export the PDF dossier of the bundled
data, against the time to export one PNG of the same view in the same run (the unit of work:
one browser, one map drawn), so the ratio says how many maps' worth of work the dossier is.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable

import shapely

from geo.atlas import Atlas, AtlasPaths, counties_path, load_atlas
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.geometry import anchors
from layers.compose import MapOptions, build_map

REPEATS = 5
EXPORT_REPEATS = 2  # Chromium exports are slow; the median of two


def raw_display(atlas: Atlas) -> DisplayGeometry:
    """What drawing without the display pipeline would send: source geometry as is."""
    counties = load_boundaries(counties_path(AtlasPaths()))
    prefectures = counties.dissolve(by="parent_code").reset_index()
    prefectures = prefectures.rename(columns={"parent_code": "code"})[["code", "geometry"]]
    return DisplayGeometry(
        counties=counties[["code", "name", "parent_code", "geometry"]],
        prefectures=prefectures,
        areas=atlas.areas,
        anchors=anchors(atlas.units, atlas.areas, counties),
    )


def measure(fn: Callable[[], str]) -> tuple[float, int, int]:
    """(median seconds, output bytes, peak traced bytes) over REPEATS runs."""
    times = []
    size = 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        size = len(fn().encode("utf-8"))
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), size, peak


def main() -> None:
    atlas = load_atlas()
    counties = load_boundaries(counties_path(AtlasPaths()))
    simplified = prepare_display(atlas, counties)
    raw = raw_display(atlas)
    options = MapOptions()
    rows = {
        "baseline (raw geometry)": measure(
            lambda: build_map(atlas, raw, options).get_root().render()
        ),
        "display pipeline": measure(
            lambda: build_map(atlas, simplified, options).get_root().render()
        ),
    }
    base = rows["baseline (raw geometry)"]
    vertices = (
        int(shapely.get_num_coordinates(raw.counties.geometry.values).sum()),
        int(shapely.get_num_coordinates(simplified.counties.geometry.values).sum()),
    )
    header = ("time s", "ratio", "HTML KB", "ratio", "peak MB", "ratio")
    print(f"{'variant':28} " + " ".join(f"{h:>8}" for h in header))
    for name, (sec, size, peak) in rows.items():
        print(
            f"{name:28} {sec:8.3f} {sec / base[0]:8.2f} {size / 1024:8.0f} {size / base[1]:8.2f}"
            f" {peak / 2**20:8.1f} {peak / base[2]:8.2f}"
        )
    print(f"county vertices: {vertices[0]} -> {vertices[1]} ({vertices[1] / vertices[0]:.2f})")
    export_times(atlas, simplified)


def export_times(atlas: Atlas, display: DisplayGeometry) -> None:
    """PDF dossier export time of the bundled data, as a ratio to one PNG export."""
    from pack.chromium import chromium_available
    from pack.files import Format, export
    from pack.view import ExportView

    if not chromium_available():
        print("export: skipped (no Chromium at /usr/bin/chromium; apt-get install chromium)")
        return
    view = ExportView(atlas, display)
    rows: dict[str, tuple[float, int]] = {}
    formats: tuple[Format, ...] = ("png", "pdf")
    for fmt in formats:
        times = []
        size = 0
        for _ in range(EXPORT_REPEATS):
            start = time.perf_counter()
            size = len(export(view, fmt).data)
            times.append(time.perf_counter() - start)
        rows[fmt] = (statistics.median(times), size)
    print(f"\n{'export (bundled data)':28} {'time s':>8} {'ratio':>8} {'file KB':>8}")
    for kind, (sec, size) in rows.items():
        name = "PNG 1920x1080 (baseline)" if kind == "png" else "PDF dossier"
        print(f"{name:28} {sec:8.2f} {sec / rows['png'][0]:8.2f} {size / 1024:8.0f}")


if __name__ == "__main__":
    main()
