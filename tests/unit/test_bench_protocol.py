"""The bench's measured filter change, checked in process before the browser runs."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.bench import measured_change
from geo.atlas import Atlas
from geo.display import DisplayGeometry


def test_the_measured_change_takes_links_off_the_bundled_map(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    change = measured_change(atlas, display.anchors)
    assert change["changes"] is True
    assert change["links_after"] < change["links_before"]
    assert change["pairs_after"] == change["pairs_before"] - 1  # the detail view's county pair


def test_a_change_that_leaves_the_links_is_reported(atlas: Atlas, display: DisplayGeometry) -> None:
    p = atlas.pairings
    without_county_pairs = replace(atlas, pairings=p[p["level"] != "county"])
    change = measured_change(without_county_pairs, display.anchors)
    assert change["changes"] is False
    assert change["links_after"] == change["links_before"]


def test_a_run_keeps_every_figure_key_and_adds_its_steps() -> None:
    from benchmarks.browser import RunResult
    from benchmarks.proxy import Counts

    run = RunResult(draw_s=2.0, filter_s=1.0, load=Counts(), filter=Counts())
    run.steps.update({"draw": 3.04, "filter": 2.0})
    out = run.as_dict()
    for key in (
        "draw_s",
        "filter_s",
        "load_down",
        "filter_down",
        "bytes_down",
        "ws_down",
        "bytes_up",
        "load_bytes",
        "filter_bytes",
        "heap_bytes",
        "server_cpu_s",
        "errors",
    ):
        assert key in out
    assert out["steps_s"] == {"draw": 3.04, "filter": 2.0}
    assert RunResult().as_dict()["filter_down"] is None  # no filter change made: unknown
