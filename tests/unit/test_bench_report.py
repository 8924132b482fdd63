"""The benchmark's pure parts: medians with timeouts, ratios, targets, README tables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import report


def test_median_treats_a_timeout_as_longer_than_any_finished_run() -> None:
    assert report.median([3.0, 1.0, 2.0]) == 2.0
    assert report.median([1.0, None, 2.0]) == 2.0  # one timeout of three: the larger one
    assert report.median([1.0, None, None]) is None  # the median run timed out
    assert report.median([]) is None
    assert report.median([1.0, 3.0]) == 2.0
    assert report.median([1.0, None]) is None


def test_percentile_interpolates_between_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert report.percentile(values, 50) == pytest.approx(50.5)
    assert report.percentile(values, 95) == pytest.approx(95.05)
    assert report.percentile([4.0], 95) == 4.0
    assert report.percentile([], 95) is None


def test_ratio_is_unknown_for_a_timeout_or_zero() -> None:
    assert report.ratio(1, 4) == 0.25
    assert report.ratio(None, 4) is None
    assert report.ratio(1, None) is None
    assert report.ratio(1, 0) is None


def _block(draw: float | None, filt: float | None, down: int | None) -> dict[str, Any]:
    return {"median": {"draw_s": draw, "filter_s": filt, "bytes_down": down}}


def _results() -> dict[str, Any]:
    return {
        "sizes": {
            "pujiang": {
                "ours": _block(2.0, 1.0, 100),
                "naive": _block(4.0, 2.0, 400),
                "inprocess": {
                    "build_ours_s": {"median": 0.1},
                    "build_naive_s": {"median": 0.2},
                },
            },
            "sichuan": {
                "ours": _block(10.0, 3.0, 1000),
                "naive": _block(30.0, 12.0, 8000),
                "inprocess": {
                    "build_ours_s": {"median": 2.5},
                    "build_naive_s": {"median": 5.0},
                },
            },
        }
    }


def test_ratios_are_ours_over_naive_and_sichuan_over_pujiang() -> None:
    ratios = report.compute_ratios(_results())
    assert set(report.REQUIRED_RATIOS) <= set(ratios)
    assert ratios["bytes_ours_over_naive_pujiang"] == 0.25
    assert ratios["bytes_ours_over_naive_sichuan"] == 0.125
    assert ratios["draw_ours_over_naive_pujiang"] == 0.5
    assert ratios["draw_ours_over_naive_sichuan"] == pytest.approx(1 / 3)
    assert ratios["filter_ours_over_naive_sichuan"] == 0.25
    assert ratios["draw_sichuan_over_pujiang"] == 5.0
    assert ratios["build_ours_over_naive_sichuan"] == 0.5


def test_required_ratios_are_present_even_when_a_size_was_not_measured() -> None:
    results = _results()
    del results["sizes"]["sichuan"]
    ratios = report.compute_ratios(results)
    assert ratios["draw_ours_over_naive_sichuan"] is None
    assert ratios["draw_sichuan_over_pujiang"] is None
    assert ratios["draw_ours_over_naive_pujiang"] == 0.5


def test_targets_pass_fail_and_unknown() -> None:
    results = _results()
    targets = {
        t["name"]: t for t in report.compute_targets(results, report.compute_ratios(results))
    }
    assert targets["draw_never_slower_pujiang"]["pass"] is True
    assert targets["sichuan_draw_ours_over_naive"]["pass"] is True  # 0.33 <= 0.5
    assert targets["sichuan_bytes_ours_over_naive"]["pass"] is True  # 0.125 <= 0.25
    assert targets["sichuan_server_build_s"]["pass"] is False  # 2.5 s, not under 2 s
    assert targets["draw_sichuan_over_pujiang"]["pass"] is True  # 5 < 20


def test_ours_timing_out_where_naive_drew_fails_the_target() -> None:
    results = _results()
    results["sizes"]["sichuan"]["ours"] = _block(None, None, None)
    targets = {
        t["name"]: t for t in report.compute_targets(results, report.compute_ratios(results))
    }
    assert targets["draw_never_slower_sichuan"]["pass"] is False
    assert targets["sichuan_draw_ours_over_naive"]["pass"] is None  # unknown, not a pass


def test_summarize_runs_counts_a_missing_figure_as_a_timeout() -> None:
    runs = [{"draw_s": 1.0}, {"draw_s": 3.0}, {}]
    assert report.summarize_runs(runs, ["draw_s"]) == {"draw_s": 3.0}


def test_replace_section_rewrites_only_between_the_markers() -> None:
    text = "intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n"
    out = report.replace_section(text, report.BENCH_MARKERS, "new table")
    assert out == "intro\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\nafter\n"
    again = report.replace_section(out, report.BENCH_MARKERS, "newer")
    assert "new table" not in again and again.count("<!-- bench:start -->") == 1


def test_replace_section_appends_when_absent_and_refuses_broken_markers() -> None:
    out = report.replace_section("# Title\n", report.LOAD_MARKERS, "body")
    assert out.endswith("<!-- loadtest:start -->\nbody\n<!-- loadtest:end -->\n")
    with pytest.raises(ValueError):
        report.replace_section(
            "<!-- bench:end -->\n<!-- bench:start -->", report.BENCH_MARKERS, "x"
        )


def test_bench_markdown_has_machine_figures_ratios_and_verdicts() -> None:
    results = _results()
    results |= {
        "date": "2026-11-30 00:10 UTC",
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_bytes": 8 * 2**30},
        "versions": {"streamlit": "1.0"},
        "repeats": 3,
    }
    results["sizes"]["pujiang"]["data"] = {"townships": 17, "pairs": 4}
    results["sizes"]["sichuan"]["data"] = {"generator": "FALLBACK: bundled data copied"}
    results["sizes"]["sichuan"]["ours"]["median"]["draw_s"] = None
    results["ratios"] = report.compute_ratios(results)
    results["targets"] = report.compute_targets(results, results["ratios"])
    md = report.bench_markdown(results)
    assert "Test CPU (2 cores, 8.0 GB RAM)" in md and "2026-11-30 00:10 UTC" in md
    assert "pujiang (17 townships, 4 pairs): ours" in md
    assert "| navigation → map drawn | 2.00 s | 4.00 s | — | 30.00 s |" in md
    assert "| bytes_ours_over_naive_pujiang | 0.25× |" in md
    assert "| sichuan_server_build_s | 2.50 s | 2 | **FAIL** |" in md
    assert "| draw_never_slower_sichuan | — | 1 | **FAIL** |" in md
    assert "sichuan: FALLBACK" in md  # never passes a copy off as the size


def test_memory_verdict_levelled_and_fell_back() -> None:
    mb = 2**20
    during = [(float(t), (100 + min(t, 30)) * mb) for t in range(120)]  # rises, then flat
    after = [(120.0 + t, (130 - t) * mb) for t in range(20)]  # falls to 111 MB
    verdict = report.memory_verdict(during, after, 100 * mb)
    assert verdict["levelled_off"] is True and verdict["fell_back"] is True
    assert verdict["peak"] == 130 * mb and verdict["after_close"] == 111 * mb


def test_memory_verdict_growing_and_not_falling_back() -> None:
    mb = 2**20
    during = [(float(t), (100 + t) * mb) for t in range(120)]  # +60 MB/min to the end
    after = [(120.0 + t, 219 * mb) for t in range(20)]
    verdict = report.memory_verdict(during, after, 100 * mb)
    assert verdict["levelled_off"] is False and verdict["fell_back"] is False
    assert verdict["slope_mb_per_min"] == pytest.approx(60.0)


def test_machine_reads_proc(tmp_path: Path) -> None:
    (tmp_path / "cpuinfo").write_text("processor\t: 0\nmodel name\t: Fake CPU 3000\n")
    (tmp_path / "meminfo").write_text("MemTotal:       2048 kB\nMemFree: 1 kB\n")
    info = report.machine(tmp_path)
    assert info["cpu"] == "Fake CPU 3000" and info["ram_bytes"] == 2048 * 1024


def test_load_markdown_states_the_verdict() -> None:
    md = report.load_markdown(
        {
            "sessions": 20,
            "seconds": 120,
            "changes": 300,
            "errors": ["s01: timeout"],
            "single_median_s": 1.0,
            "p50_s": 1.5,
            "p95_s": 2.5,
            "p95_over_single": 2.5,
            "memory": {"start": 2**20, "levelled_off": True, "fell_back": False},
            "pass": False,
        }
    )
    assert "| errors | 1 |" in md and "| verdict | **FAIL** |" in md
    assert "| p95 / single median (target ≤ 3) | 2.50× |" in md


def test_load_markdown_reads_ours_against_the_floor_page() -> None:
    results = {
        "p95_s": 6.0,
        "p95_over_single": 9.0,
        "cpu": {"machine_busy_share": 0.97, "server_share_of_busy": 0.12},
        "floor": {
            "single_median_s": 0.25,
            "p95_s": 2.0,
            "p95_over_single": 8.0,
            "cpu": {"machine_busy_share": 0.9, "server_share_of_busy": 0.02},
        },
        "p95_over_floor_p95": 3.0,
    }
    md = report.load_markdown(results)
    assert "| floor page: p95 / its single median | 8.00× |" in md
    assert "| ours p95 / floor p95 | 3.00× |" in md
    assert "| ours: machine CPU busy while the sessions ran / the server's share of it | " in md
    assert "97 % / 12 %" in md and "90 % / 2 %" in md
    # Without a floor measurement there are no floor rows (and no invented figures).
    del results["floor"]
    assert "floor" not in report.load_markdown(results)
    assert "replayed" not in report.load_markdown(results)
    results["mixed"] = {
        "browser_sessions": 2,
        "replayed_sessions": 18,
        "single_median_s": 0.8,
        "p50_s": 1.0,
        "p95_s": 2.0,
        "changes": 22,
        "p95_over_single": 2.5,
        "replayed_server_p50_s": 0.2,
        "replayed_server_p95_s": 0.5,
        "replayed_changes": 180,
        "errors": [],
        "pass": True,
    }
    md = report.load_markdown(results)
    assert (
        "| 2 browsers + 18 replayed sessions: p95 / single median (target ≤ 3) | 2.50× (pass) |"
        in md
    )
    assert "0.20 s / 0.50 s (180 changes)" in md


def test_busy_cpu_seconds_leaves_out_idle_and_iowait(tmp_path: Path) -> None:
    from benchmarks.load import busy_cpu_seconds

    tick = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal guest guest_nice
    (tmp_path / "stat").write_text(f"cpu  {tick} 0 {tick} {5 * tick} {tick} 0 0 0 0 0\ncpu0 1\n")
    assert busy_cpu_seconds(tmp_path) == 2.0


def test_first_visit_bytes_and_tiles_are_reported_apart() -> None:
    results = _results()
    results["sizes"]["sichuan"]["ours"]["first_visit"] = {"bytes_down": 9_000_000}
    results["sizes"]["sichuan"]["naive"]["first_visit"] = {"bytes_down": 30_000_000}
    results["sizes"]["sichuan"]["tiles"] = {
        "tool": "GDAL MVT driver via pyogrio",
        "townships": 4000,
        "tiles": 4962,
        "zooms": [5, 11],
        "bytes": 17_000_000,
        "seconds_to_cut": 5.2,
        "views": {
            "province_z6": {"tiles": 9, "all_http_200": True, "bytes_on_wire": 480_000},
            "laptop_window_z9": {"tiles": 28, "all_http_200": False, "bytes_on_wire": 1},
        },
    }
    ratios = report.compute_ratios(results)
    assert ratios["first_visit_bytes_ours_over_naive_sichuan"] == pytest.approx(0.3)
    assert ratios["bytes_ours_over_naive_sichuan"] == pytest.approx(1000 / 8000)
    assert ratios["first_visit_bytes_ours_over_naive_pujiang"] is None  # not measured
    results["ratios"] = ratios
    text = report.bench_markdown(results)
    assert "4962 tiles" in text and "province_z6: 9 tiles" in text
    assert "laptop_window_z9: 28 tiles, 1 B (NOT ALL SERVED)" in text


def test_bench_markdown_states_the_run_time_against_ten_minutes() -> None:
    results = _results()
    results["seconds"] = 795.1
    results["phase_seconds"] = {"sichuan/naive": 390.5, "sichuan/ours": 100.0, "a/b": 1.0}
    md = report.bench_markdown(results)
    assert "Run time of the command: 795 s (target < 600 s: **over**)" in md
    assert "slowest: sichuan/naive 390 s, sichuan/ours 100 s, a/b 1 s." in md
    results["seconds"] = 480.0
    assert "(target < 600 s: pass)" in report.bench_markdown(results)


def test_the_ratio_baseline_is_the_session_that_thinks_as_long_as_the_load() -> None:
    from benchmarks.load import THINK_S, baseline_figures

    base = {"redraws": [0.15, 0.16, 0.14], "errors": []}
    quick = {"redraws": [0.10, 0.12, 0.11], "errors": []}
    figures = baseline_figures(base, quick)
    assert figures["single_median_s"] == 0.15 and figures["single_median_quick_s"] == 0.11
    assert figures["single_think_s"] == list(THINK_S)
    assert baseline_figures({"redraws": []}, {"redraws": []})["single_median_s"] is None


def test_load_markdown_shows_the_quick_baseline_apart() -> None:
    results = {"single_median_s": 0.15, "single_median_quick_s": 0.11, "p95_over_single": 2.0}
    md = report.load_markdown(results)
    assert "same think time as under load) | 0.15 s |" in md
    assert "changes 1.0–1.5 s apart (not the ratio's baseline) | 0.11 s |" in md
    assert "1.0–1.5 s apart" not in report.load_markdown({"single_median_s": 0.15})
