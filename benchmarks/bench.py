"""``python cli.py bench``: our page against the naive baseline page at three data sizes.

For each size: generate the data folder (``benchmarks.synth.generate``), measure in process
(medians of ``repeats``: load + join; map build + render, ours and naive; and check that the
measured filter change changes both maps' links here, ``measured_change``), then in the
browser each variant in its own fresh server, in a FIXED order: ours, then naive (one
server at a time: the machine has 2 cores; interleaving runs would need both servers up).
Per server: one unmeasured warm-up session (it loads the data into the server's cache; its
time to the drawn map is kept as ``cold_draw_s``), then ``repeats`` measured sessions.

A measured session (``benchmarks.browser.measure_run``): navigation -> map drawn, then ONE
click, the measured filter change (the "x" of 县级结对 in the pairing-level list: the
county-level pairs' links leave both maps) -> map redrawn. Every wait is a measurement's:
it ends when the map is drawn, the page's script is idle and the map has had no DOM
mutation for QUIET_MS, so the naive page's rerun after each draw (its default ``st_folium``
returns the map's bounds, which reruns the script and rebuilds the map) is waited for
after both steps, as is the server's CPU for it (``server_cpu_s``: the whole session). Until
this change the measured change was "Clear" the type list (not measured) then pick 产业: two
redraws, each with the naive page's rerun, to measure one; the run took 795 s, most of it
naive Sichuan's extra redraws.

Bytes: server -> browser on the wire (HTTP + websocket) of the first load plus the measured
filter change. Writes FILE.json and the README section between ``<!-- bench:start -->``
and ``<!-- bench:end -->``. Progress goes to stderr, with each session's steps' wall
seconds (also in each run's ``steps_s``)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import report, tiles_proof
from benchmarks.browser import ROOT, chromium, measure_run, new_visitor, serve, status_bytes

RUN_KEYS = (
    "draw_s",
    "filter_s",
    "load_down",
    "filter_down",
    "bytes_down",
    "ws_down",
    "heap_bytes",
    "server_cpu_s",
)
TIMEOUT_S = 240.0
TILES_SIZE = "sichuan"  # the size at which the first step of the national design is proven


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- data ---------------------------------------------------------------------------------


def copy_bundled(out: Path) -> None:
    """The bundled data as a data folder (same layout ATLAS_DATA_DIR expects)."""
    from geo.atlas import AtlasPaths

    (out / "derived").mkdir(parents=True, exist_ok=True)
    for path in vars(AtlasPaths()).values():
        if path.exists():
            target = (
                out / "derived" / path.name if path.parent.name == "derived" else out / path.name
            )
            shutil.copy2(path, target)


def generate(size: str, out: Path) -> dict[str, Any]:
    """The data folder of ``size`` written to ``out``; what the generator says about it."""
    try:
        synth = importlib.import_module("benchmarks.synth")
    except ModuleNotFoundError:
        # FALLBACK until benchmarks/synth.py lands (another branch): every size is a copy of
        # the bundled data, so the instruments can be developed. The JSON and README say so.
        copy_bundled(out)
        return {"generator": "FALLBACK: bundled data copied (benchmarks/synth.py missing)"}
    info = synth.generate(size, out)
    return dict(info) if isinstance(info, dict) else {"generator": "benchmarks.synth"}


@contextmanager
def data_dir_env(folder: Path) -> Iterator[None]:
    old = os.environ.get("ATLAS_DATA_DIR")
    os.environ["ATLAS_DATA_DIR"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("ATLAS_DATA_DIR", None)
        else:
            os.environ["ATLAS_DATA_DIR"] = old


# --- in process ---------------------------------------------------------------------------


def load_and_join(folder: Path) -> Any:
    """What ui.data._load does for a data version (without Streamlit's cache and without its
    two check builds of the map): the tables, the county outlines, the areas' fit check and
    the display geometry. Returns (atlas, counties,
    display)."""
    from geo.atlas import check_areas_fit, counties_path, load_atlas, paths_from_env
    from geo.boundaries import load_boundaries
    from geo.display import prepare_display

    with data_dir_env(folder):
        paths = paths_from_env()
    atlas = load_atlas(paths)
    counties = load_boundaries(counties_path(paths))  # the folder's own outlines, as ui.data
    check_areas_fit(paths.areas, atlas, counties)
    return atlas, counties, prepare_display(atlas, counties)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[dict[str, Any], Any]:
    """({"runs": seconds of each call, "median": ...}, the last call's value)."""
    runs = []
    value = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    return {"runs": runs, "median": statistics.median(runs)}, value


def measured_change(atlas: Any, anchors: Any) -> dict[str, Any]:
    """What the browser runs' measured filter change (benchmarks.browser.remove_level: the
    county level taken off the pairing-level list) does to the explore view's pairs: links
    (pairs with both ends placed, as both maps draw them) before and after. ``changes`` is
    False when it would leave both maps as they are: no redraw to measure, so the runs then
    make no filter change (their filter figures are None, shown as not measured, instead of
    each run waiting out the timeout)."""
    from benchmarks.browser import MEASURED_LEVEL
    from geo.columns import PAIRING_LEVELS
    from geo.detail import view_atlas
    from geo.filters import Filters, apply_filters

    shown = view_atlas(atlas, "detail")
    after = apply_filters(
        shown, Filters(levels=frozenset(PAIRING_LEVELS) - frozenset({MEASURED_LEVEL}))
    )
    ends = set(anchors["code"])

    def links(pairs: Any) -> set[str]:
        placed = pairs["helper_code"].isin(ends) & pairs["partner_code"].isin(ends)
        return set(pairs.loc[placed, "pairing_id"])

    before_links, after_links = links(shown.pairings), links(after.pairings)
    return {
        "click": f"remove {MEASURED_LEVEL} from the pairing levels",
        "pairs_before": len(shown.pairings),
        "pairs_after": len(after.pairings),
        "links_before": len(before_links),
        "links_after": len(after_links),
        "changes": before_links != after_links,
    }


def in_process(folder: Path, repeats: int) -> dict[str, Any]:
    """Medians of load + join and of the map build (+ render), ours and naive, as the page
    draws its explore view with the default filters; the rendered HTML's size."""
    from benchmarks.naive_map import naive_map
    from geo.detail import view_atlas
    from geo.filters import Filters, apply_filters
    from layers.compose import MapOptions, build_map

    out: dict[str, Any] = {}
    out["load_join_s"], (atlas, counties, display) = timed(lambda: load_and_join(folder), repeats)
    shown = apply_filters(view_atlas(atlas, "detail"), Filters())
    options = MapOptions(lang="zh", basemap="none", view="detail", popups=False)
    out["build_ours_s"], html = timed(
        lambda: build_map(shown, display, options).get_root().render(), repeats
    )
    out["html_ours_bytes"] = len(html.encode())
    out["build_naive_s"], html = timed(
        lambda: naive_map(shown, counties, display.anchors).get_root().render(), repeats
    )
    out["html_naive_bytes"] = len(html.encode())
    out["measured_change"] = measured_change(atlas, display.anchors)
    return out


# --- in the browser ----------------------------------------------------------------------


def in_browser(
    browser: Any,
    variant: str,
    folder: Path,
    repeats: int,
    timeout_s: float,
    logs: Path,
    with_filter: bool = True,
) -> dict[str, Any]:
    started = time.monotonic()
    with serve(variant, folder, logs) as server:
        log(f"  {variant}: server up in {time.monotonic() - started:.1f} s")
        # One visitor's browser: the first visit (empty HTTP cache, and the server loads the
        # data) is the warm-up; the measured sessions are that visitor coming back (HTTP cache
        # kept: Streamlit's own scripts, and our shape files, are not fetched again).
        # The first visit makes no filter change (it would cost one more redraw of each map,
        # and of the naive one its rerun too, to measure what the runs measure): its bytes
        # are its page load plus the median run's filter change (the filter's requests hit
        # the same warm HTTP cache in both).
        visitor = new_visitor(browser)
        warm = measure_run(browser, server, timeout_s, with_filter=False, log=log, visitor=visitor)
        log(
            f"  {variant}: first visit (empty cache, cold server) map drawn in {warm.draw_s} s,"
            f" {warm.as_dict()['load_down']} bytes down"
        )
        runs = []
        for i in range(repeats):
            run = measure_run(
                browser, server, timeout_s, with_filter, log=log, visitor=visitor
            ).as_dict()
            log(
                f"  {variant} run {i + 1}/{repeats}: drawn {run['draw_s']} s, filter "
                f"{run['filter_s']} s, {run['bytes_down']} bytes down"
            )
            runs.append(run)
        visitor.close()
        first = warm.as_dict()
        filtered = [r["filter_down"] for r in runs if r["filter_down"] is not None]
        if first["load_down"] is not None and filtered:
            first["filter_down"] = statistics.median(filtered)
            first["bytes_down"] = first["load_down"] + first["filter_down"]
            first["filter_bytes_from"] = "median of the measured runs"
        server_mem = {
            "vmhwm_bytes": status_bytes(server.pid, "VmHWM"),
            "vmrss_bytes": status_bytes(server.pid, "VmRSS"),
        }
    return {
        "cold_draw_s": warm.draw_s,
        "cold_cpu_s": warm.server_cpu_s,
        "first_visit": first,
        "runs": runs,
        "median": report.summarize_runs(runs, RUN_KEYS),
        "server": server_mem,
        "log": str(server.log),
    }


def run_bench(
    out: Path,
    sizes: Sequence[str] = report.SIZES,
    repeats: int = 3,
    timeout_s: float = TIMEOUT_S,
    readme: Path | None = ROOT / "README.md",
) -> dict[str, Any]:
    started = time.monotonic()
    results: dict[str, Any] = {
        "machine": report.machine(),
        "date": report.now(),
        "versions": report.versions(),
        "repeats": repeats,
        "order": "per size: in process, then ours, then naive, each in a fresh server. Per "
        "variant one visitor's browser: its first visit (empty HTTP cache, cold server) is "
        "the warm-up, reported apart; the measured sessions are that visitor coming back "
        "(new session, HTTP cache kept): navigation → map drawn, then one click (remove "
        "县级结对 from the pairing levels) → map redrawn. Bytes = server → browser on the "
        "wire, page load + that filter change.",
        "sizes": {},
        "phase_seconds": {},  # where the run's time goes, "size/phase" -> seconds
    }
    phases: dict[str, float] = results["phase_seconds"]

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases[name] = round(now - since, 1)
        return now

    work = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    logs = work / "logs"
    logs.mkdir()
    try:
        with chromium() as browser:
            for size in sizes:
                folder = work / size
                folder.mkdir()
                log(f"{size}: generating data")
                t = time.monotonic()
                info = generate(size, folder)
                block: dict[str, Any] = {"data": {**report.data_stats(folder), **info}}
                log(f"{size}: {block['data']}")
                t = phase(f"{size}/generate", t)
                log(f"{size}: in process (load + join, map builds)")
                block["inprocess"] = in_process(folder, repeats)
                change = block["inprocess"]["measured_change"]
                log(f"{size}: measured filter change: {change}")
                if not change["changes"]:
                    log(f"{size}: WARNING: the measured filter change changes no link here")
                t = phase(f"{size}/in_process", t)
                for variant in report.VARIANTS:
                    log(f"{size}: {variant} in the browser")
                    block[variant] = in_browser(
                        browser, variant, folder, repeats, timeout_s, logs, change["changes"]
                    )
                    t = phase(f"{size}/{variant}", t)
                if size == TILES_SIZE:
                    log(f"{size}: vector tiles (docs/SCALING.md, first step)")
                    with serve("ours", folder, logs) as server:
                        block["tiles"] = tiles_proof.prove(folder, server.url)
                    log(f"  {block['tiles']['views']}")
                    t = phase(f"{size}/tiles", t)
                results["sizes"][size] = block
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        results["seconds"] = round(time.monotonic() - started, 1)
        results["ratios"] = report.compute_ratios(results)
        results["targets"] = report.compute_targets(results, results["ratios"])
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if readme is not None and results["sizes"]:
            text = readme.read_text("utf-8")
            body = report.bench_markdown(results)
            readme.write_text(report.replace_section(text, report.BENCH_MARKERS, body), "utf-8")
        log(f"done in {results['seconds']} s; server logs in {logs}")
    return results
