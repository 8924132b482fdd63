"""Pure parts of the benchmark and the load test: medians, ratios, targets, the machine,
and the README tables the commands write between their markers."""

from __future__ import annotations

import math
import os
import platform
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

SIZES = ("pujiang", "chengdu_ganzi", "sichuan")
VARIANTS = ("ours", "naive")
BENCH_MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
LOAD_MARKERS = ("<!-- loadtest:start -->", "<!-- loadtest:end -->")
REQUIRED_RATIOS = (
    "bytes_ours_over_naive_pujiang",
    "bytes_ours_over_naive_sichuan",
    "draw_ours_over_naive_pujiang",
    "draw_ours_over_naive_sichuan",
    "filter_ours_over_naive_sichuan",
    "draw_sichuan_over_pujiang",
)

Number = float | int


def median(values: Sequence[Number | None]) -> float | None:
    """Median where None is a timeout (longer than any finished run): the median of 3 with one
    timeout is the larger finished value; with two it is a timeout (None). Empty: None."""
    if not values:
        return None
    ordered = sorted(math.inf if v is None else float(v) for v in values)
    n = len(ordered)
    mid = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return None if math.isinf(mid) else mid


def percentile(values: Sequence[Number], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(float(v) for v in values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ratio(top: Number | None, bottom: Number | None) -> float | None:
    """top / bottom; None when either is unknown (a timeout) or bottom is 0."""
    if top is None or bottom is None or bottom == 0:
        return None
    return float(top) / float(bottom)


def summarize_runs(runs: Sequence[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    """{key: median over runs} for each key (a run without the key counts as a timeout)."""
    return {key: median([run.get(key) for run in runs]) for key in keys}


def _m(results: Mapping[str, Any], size: str, variant: str, key: str) -> float | None:
    try:
        value = results["sizes"][size][variant]["median"][key]
    except (KeyError, TypeError):
        return None
    return None if value is None else float(value)


def _first(results: Mapping[str, Any], size: str, variant: str, key: str) -> float | None:
    """A figure of the first visit (empty HTTP cache; one run, the warm-up)."""
    try:
        value = results["sizes"][size][variant]["first_visit"][key]
    except (KeyError, TypeError):
        return None
    return None if value is None else float(value)


def _build(results: Mapping[str, Any], size: str, variant: str) -> float | None:
    try:
        value = results["sizes"][size]["inprocess"][f"build_{variant}_s"]["median"]
    except (KeyError, TypeError):
        return None
    return None if value is None else float(value)


def compute_ratios(results: Mapping[str, Any]) -> dict[str, float | None]:
    """Ours over naive per size (bytes to the browser = page load + one filter change,
    server -> browser, of a returning visitor, and apart of the first visit with an empty
    HTTP cache; time to the map drawn; filter change to the map redrawn; server map build),
    and ours at Sichuan over ours at Pujiang for the drawn map. Every required name
    is present (None when that size was not measured or a run timed out)."""
    out: dict[str, float | None] = dict.fromkeys(REQUIRED_RATIOS)
    for size in results.get("sizes", {}):
        for what, key in (("bytes", "bytes_down"), ("draw", "draw_s"), ("filter", "filter_s")):
            out[f"{what}_ours_over_naive_{size}"] = ratio(
                _m(results, size, "ours", key), _m(results, size, "naive", key)
            )
        out[f"first_visit_bytes_ours_over_naive_{size}"] = ratio(
            _first(results, size, "ours", "bytes_down"),
            _first(results, size, "naive", "bytes_down"),
        )
        out[f"build_ours_over_naive_{size}"] = ratio(
            _build(results, size, "ours"), _build(results, size, "naive")
        )
    out["draw_sichuan_over_pujiang"] = ratio(
        _m(results, "sichuan", "ours", "draw_s"), _m(results, "pujiang", "ours", "draw_s")
    )
    return out


def _target(name: str, value: float | None, limit: float, strict: bool = False) -> dict[str, Any]:
    passed = None if value is None else (value < limit if strict else value <= limit)
    return {"name": name, "value": value, "limit": limit, "pass": passed}


def compute_targets(
    results: Mapping[str, Any], ratios: Mapping[str, float | None]
) -> list[dict[str, Any]]:
    """The issue's targets, each with a pass flag (None = not measured). Ours timing out where
    the naive page drew its map is a failure, not an unknown."""
    targets = []
    for size in results.get("sizes", {}):
        item = _target(f"draw_never_slower_{size}", ratios.get(f"draw_ours_over_naive_{size}"), 1)
        ours = _m(results, size, "ours", "draw_s")
        if ours is None and _m(results, size, "naive", "draw_s") is not None:
            item["pass"] = False
        targets.append(item)
    targets += [
        _target("sichuan_draw_ours_over_naive", ratios.get("draw_ours_over_naive_sichuan"), 0.5),
        _target(
            "sichuan_filter_ours_over_naive", ratios.get("filter_ours_over_naive_sichuan"), 0.5
        ),
        _target("sichuan_bytes_ours_over_naive", ratios.get("bytes_ours_over_naive_sichuan"), 0.25),
        _target("sichuan_server_build_s", _build(results, "sichuan", "ours"), 2, strict=True),
        _target("draw_sichuan_over_pujiang", ratios.get("draw_sichuan_over_pujiang"), 20, True),
    ]
    return targets


# --- machine ---------------------------------------------------------------------------


def machine(proc: Path = Path("/proc")) -> dict[str, Any]:
    """CPU model, cores and RAM of this machine (from /proc), and the OS."""
    model = ""
    try:
        for line in (proc / "cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpu": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_bytes": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def versions(
    names: Iterable[str] = ("streamlit", "streamlit-folium", "folium", "playwright"),
) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- README --------------------------------------------------------------------------------


def replace_section(text: str, markers: tuple[str, str], body: str) -> str:
    """``text`` with what lies between the markers replaced by ``body``; the markers and the
    body appended at the end when the text has none. Markers out of order are an error."""
    start, end = markers
    i, j = text.find(start), text.find(end)
    block = f"{start}\n{body.strip()}\n{end}"
    if i < 0 and j < 0:
        return text.rstrip("\n") + "\n\n" + block + "\n"
    if i < 0 or j < 0 or j < i:
        raise ValueError(f"README markers {start} / {end} are broken")
    return text[:i] + block + text[j + len(end) :]


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "B":
        return _bytes(float(value))
    if unit == "x":
        return f"{float(value):.2f}×"
    if unit == "s":
        return f"{float(value):.2f} s"
    if unit == "%":
        return f"{100 * float(value):.0f} %"
    return str(value)


def _bytes(n: float) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def _machine_line(results: Mapping[str, Any]) -> str:
    mach = results.get("machine", {})
    ram = mach.get("ram_bytes")
    ram_text = f", {_bytes(float(ram))} RAM" if ram else ""
    vers = ", ".join(f"{k} {v}" for k, v in results.get("versions", {}).items())
    return (
        f"Measured {results.get('date', '?')} on {mach.get('cpu', '?')} "
        f"({mach.get('cores', '?')} cores{ram_text}); {vers}."
    )


BENCH_ROWS = (
    ("load + join (in process)", "inprocess", "load_join_s", "s"),
    ("map build (in process)", "inprocess", "build_{v}_s", "s"),
    ("navigation → map drawn", "median", "draw_s", "s"),
    ("filter change → map redrawn", "median", "filter_s", "s"),
    ("bytes to browser, first load", "median", "load_down", "B"),
    ("bytes to browser, filter change", "median", "filter_down", "B"),
    ("… of which websocket (load + filter)", "median", "ws_down", "B"),
    ("bytes to browser, load + filter", "median", "bytes_down", "B"),
    ("first visit (empty cache): navigation → map drawn", "first_visit", "draw_s", "s"),
    (
        "first visit (empty cache): bytes, load (+ the median run's filter change)",
        "first_visit",
        "bytes_down",
        "B",
    ),
    ("browser JS heap after drawing", "median", "heap_bytes", "B"),
    ("server CPU per session", "median", "server_cpu_s", "s"),
    ("server peak memory (VmHWM)", "server", "vmhwm_bytes", "B"),
)


def _cell(block: Mapping[str, Any], variant: str, where: str, key: str, unit: str) -> str:
    if where == "inprocess":
        entry = block.get("inprocess", {}).get(key.format(v=variant))
        return _fmt(entry.get("median") if isinstance(entry, Mapping) else None, unit)
    part = block.get(variant, {}).get(where, {})
    return _fmt(part.get(key) if isinstance(part, Mapping) else None, unit)


BENCH_SECONDS_LIMIT = 600.0  # issue 14: the bench runs in under 10 minutes here


def bench_markdown(results: Mapping[str, Any]) -> str:
    """The README section: the machine and date, a table of medians per size and variant, the
    ratios, and the targets with pass/fail."""
    sizes = list(results.get("sizes", {}))
    lines = [
        "Written by `python cli.py bench` (do not edit by hand). " + _machine_line(results),
        f"Medians of {results.get('repeats', '?')} runs, each in a new browser session; "
        f"{results.get('order', '')} — = not measured, or the median run timed out (the JSON "
        "has every run).",
    ]
    for size in sizes:
        generator = str(results["sizes"][size].get("data", {}).get("generator", ""))
        if generator.startswith("FALLBACK"):
            lines.append(f"**{size}: {generator}: these figures are not of that size.**")
    lines.append("")
    header = ["figure"]
    for size in sizes:
        data = results["sizes"][size].get("data", {})
        label = f"{size} ({data.get('townships', '?')} townships, {data.get('pairs', '?')} pairs)"
        header += [f"{label}: ours", "naive"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for label, where, key, unit in BENCH_ROWS:
        row = [label]
        for size in sizes:
            block = results["sizes"][size]
            if where == "inprocess" and "{v}" not in key:
                value = _cell(block, "ours", where, key, unit)
                row += [value, "(same)"]
            else:
                row += [_cell(block, v, where, key, unit) for v in VARIANTS]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| ratio | value |", "|---|---|"]
    for name, value in results.get("ratios", {}).items():
        lines.append(f"| {name} | {_fmt(value, 'x')} |")
    for size in sizes:
        tiles = results["sizes"][size].get("tiles")
        if not tiles:
            continue
        views = "; ".join(
            f"{name}: {v['tiles']} tiles, {_fmt(v['bytes_on_wire'], 'B')}"
            f"{'' if v['all_http_200'] else ' (NOT ALL SERVED)'}"
            for name, v in tiles["views"].items()
        )
        lines += [
            "",
            f"Vector tiles at {size} (docs/SCALING.md, first step): {tiles['tool']} cut "
            f"{tiles['townships']} townships into {tiles['tiles']} tiles (zoom "
            f"{tiles['zooms'][0]}–{tiles['zooms'][1]}, {_fmt(tiles['bytes'], 'B')}) in "
            f"{tiles['seconds_to_cut']} s; served by the app's static files, a view costs "
            f"{views}.",
        ]
    lines += ["", "| target | value | limit | result |", "|---|---|---|---|"]
    for target in results.get("targets", []):
        flag = {True: "pass", False: "**FAIL**", None: "not measured"}[target["pass"]]
        unit = "s" if target["name"].endswith("_s") else "x"
        lines.append(
            f"| {target['name']} | {_fmt(target['value'], unit)} | {target['limit']} | {flag} |"
        )
    seconds = results.get("seconds")
    if seconds is not None:
        phases = results.get("phase_seconds", {})
        slowest = sorted(phases.items(), key=lambda kv: -float(kv[1]))[:3]
        where = ", ".join(f"{name} {float(sec):.0f} s" for name, sec in slowest)
        verdict = "pass" if float(seconds) < BENCH_SECONDS_LIMIT else "**over**"
        lines += [
            "",
            f"Run time of the command: {float(seconds):.0f} s (target < "
            f"{BENCH_SECONDS_LIMIT:.0f} s: {verdict})" + (f"; slowest: {where}." if where else "."),
        ]
    return "\n".join(lines)


def load_markdown(results: Mapping[str, Any]) -> str:
    """The README section of the load test."""
    r = results
    mem = r.get("memory", {})
    lines = [
        "Written by `python cli.py loadtest` (do not edit by hand). " + _machine_line(r),
        "",
        "| figure | value |",
        "|---|---|",
        f"| sessions × filter-changing time (from each one's first map) | "
        f"{r.get('sessions')} × {r.get('seconds')} s |",
        f"| first map drawn, median under load | {_fmt(median(r.get('first_draws_s', [])), 's')} |",
        f"| filter changes made | {r.get('changes')} |",
        f"| errors | {len(r.get('errors', []))} |",
        f"| single-session median redraw (one session alone, same think time as under load) | "
        f"{_fmt(r.get('single_median_s'), 's')} |",
        *_quick_lines(r),
        f"| under load: p50 / p95 redraw | {_fmt(r.get('p50_s'), 's')} / "
        f"{_fmt(r.get('p95_s'), 's')} |",
        f"| p95 / single median (target ≤ 3) | {_fmt(r.get('p95_over_single'), 'x')} |",
        *_cpu_lines(r.get("cpu", {}), "ours"),
        *_floor_lines(r),
        *_mixed_lines(r),
        f"| server RSS: start / peak / end of load / after close | "
        f"{_fmt(mem.get('start'), 'B')} / {_fmt(mem.get('peak'), 'B')} / "
        f"{_fmt(mem.get('end_of_load'), 'B')} / {_fmt(mem.get('after_close'), 'B')} |",
        f"| RSS after one more session opened and closed (reaps expired sessions) | "
        f"{_fmt(r.get('rss_after_probe'), 'B')} |",
        f"| RSS slope, last half of the load | {mem.get('slope_mb_per_min', 'n.a.')} MB/min |",
        f"| memory levelled off / fell back | {mem.get('levelled_off')} / {mem.get('fell_back')} |",
        f"| verdict | {'pass' if r.get('pass') else '**FAIL**'} |",
    ]
    return "\n".join(lines)


def _quick_lines(r: Mapping[str, Any]) -> list[str]:
    """The single session's median with changes 1.0-1.5 s apart (the baseline before
    2026-11-30), when the run measured it: not the ratio's denominator."""
    if r.get("single_median_quick_s") is None:
        return []
    return [
        f"| single-session median redraw, changes 1.0–1.5 s apart (not the ratio's baseline) | "
        f"{_fmt(r.get('single_median_quick_s'), 's')} |"
    ]


def _cpu_lines(cpu: Mapping[str, Any], who: str) -> list[str]:
    if not cpu:
        return []
    return [
        f"| {who}: machine CPU busy while the sessions ran / the server's share of it | "
        f"{_fmt(cpu.get('machine_busy_share'), '%')} / "
        f"{_fmt(cpu.get('server_share_of_busy'), '%')} |"
    ]


def _floor_lines(r: Mapping[str, Any]) -> list[str]:
    """The floor page's figures (benchmarks/floor_app.py), when the run measured it."""
    floor = r.get("floor")
    if not floor:
        return []
    return [
        f"| floor page: single median / p95 under load | "
        f"{_fmt(floor.get('single_median_s'), 's')} / {_fmt(floor.get('p95_s'), 's')} |",
        f"| floor page: p95 / its single median | {_fmt(floor.get('p95_over_single'), 'x')} |",
        *_cpu_lines(floor.get("cpu", {}), "floor page"),
        f"| ours p95 / floor p95 | {_fmt(r.get('p95_over_floor_p95'), 'x')} |",
    ]


def _mixed_lines(r: Mapping[str, Any]) -> list[str]:
    """The mixed run (a few browsers, the other sessions replayed), when it was measured."""
    mixed = r.get("mixed")
    if not mixed:
        return []
    who = (
        f"{mixed.get('browser_sessions')} browsers + "
        f"{mixed.get('replayed_sessions')} replayed sessions"
    )
    return [
        f"| {who}: errors | {len(mixed.get('errors', []))} |",
        f"| {who}: single median / p50 / p95 redraw in the browsers | "
        f"{_fmt(mixed.get('single_median_s'), 's')} / {_fmt(mixed.get('p50_s'), 's')} / "
        f"{_fmt(mixed.get('p95_s'), 's')} ({mixed.get('changes')} changes) |",
        f"| {who}: p95 / single median (target ≤ 3) | "
        f"{_fmt(mixed.get('p95_over_single'), 'x')} "
        f"({'pass' if mixed.get('pass') else '**FAIL**'}) |",
        f"| {who}: server time of the replayed changes, p50 / p95 | "
        f"{_fmt(mixed.get('replayed_server_p50_s'), 's')} / "
        f"{_fmt(mixed.get('replayed_server_p95_s'), 's')} "
        f"({mixed.get('replayed_changes')} changes) |",
        *_cpu_lines(mixed.get("cpu", {}), who),
    ]


def slope_per_minute(samples: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, value) samples, per minute; None under two samples."""
    if len(samples) < 2:
        return None
    n = len(samples)
    mx = sum(t for t, _ in samples) / n
    my = sum(v for _, v in samples) / n
    den = sum((t - mx) ** 2 for t, _ in samples)
    if den == 0:
        return None
    return 60 * sum((t - mx) * (v - my) for t, v in samples) / den


def memory_verdict(
    during: Sequence[tuple[float, float]], after: Sequence[tuple[float, float]], start: float
) -> dict[str, Any]:
    """Server RSS under load (``during``: (s, bytes)) and after the sessions closed
    (``after``): levelled off = the last half of the load grows by less than 5 % of the start
    RSS per minute; fell back = the final RSS after closing is below the peak by at least half
    of what the load added (peak - start)."""
    peak = max([v for _, v in during] + [v for _, v in after] + [start])
    half = during[len(during) // 2 :]
    slope = slope_per_minute(half)
    end_of_load = during[-1][1] if during else None
    after_close = after[-1][1] if after else None
    levelled = None if slope is None else slope < 0.05 * start
    added = peak - start
    fell = None
    if after_close is not None:
        fell = added <= 0 or (peak - after_close) >= added / 2
    return {
        "start": start,
        "peak": peak,
        "end_of_load": end_of_load,
        "after_close": after_close,
        "slope_mb_per_min": None if slope is None else round(slope / 2**20, 2),
        "levelled_off": levelled,
        "fell_back": fell,
    }


def data_stats(folder: Path) -> dict[str, Any]:
    """Counts in a generated data folder (rows of its tables), for the table's headers."""
    out: dict[str, Any] = {}

    def rows(path: Path) -> int | None:
        try:
            with path.open(encoding="utf-8") as f:
                return max(sum(1 for _ in f) - 1, 0)
        except OSError:
            return None

    out["pairs"] = rows(folder / "pairings.csv")
    out["projects"] = rows(folder / "projects.csv")
    areas = folder / "derived" / "township_areas.geojson"
    try:
        out["areas_bytes"] = areas.stat().st_size
        out["townships"] = len(re.findall(r'"type"\s*:\s*"Feature"', areas.read_text("utf-8")))
    except OSError:
        out["townships"] = None
    return out
