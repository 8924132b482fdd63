"""The meeting pack without a browser: names, words, the framed HTML, the CLI's front door."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from geo.atlas import Atlas
from geo.display import DisplayGeometry
from layers.compose import build_map
from pack.files import _totals_table, make_html, pair_names
from pack.view import ExportView, data_version, file_name, filters_text, view_from_query

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.date(2026, 11, 29)


def _view(atlas: Atlas, display: DisplayGeometry, query: str = "") -> ExportView:
    view, notices = view_from_query(atlas, display, query, today=DAY)
    assert notices == []
    return view


def test_file_names_say_what_they_show(atlas: Atlas, display: DisplayGeometry) -> None:
    assert file_name(_view(atlas, display), "pdf") == "pujiang-luding_2026-11-29.pdf"
    assert (
        file_name(_view(atlas, display, "types=industry"), "pdf")
        == "pujiang-luding_types-industry_2026-11-29.pdf"
    )
    assert (
        file_name(_view(atlas, display, "view=overview&lang=en"), "png", "2x")
        == "chengdu-ganzi-overview_en_2x_2026-11-29.png"
    )
    name = file_name(_view(atlas, display, "types=training,party&from=2018&pair=P02"), "pptx")
    assert name == "pujiang-luding_types-training-party_from-2018_pair-P02_2026-11-29.pptx"
    assert name.isascii()
    # Presentation: the tour step on screen is what the picture shows.
    step = replace(_view(atlas, display, "mode=present"), step="P02")
    assert file_name(step, "png") == "pujiang-luding_step-P02_2026-11-29.png"
    assert "结对：大塘镇 → 磨西镇" in filters_text(step)


def test_filters_in_words_both_languages(atlas: Atlas, display: DisplayGeometry) -> None:
    assert filters_text(_view(atlas, display)) == "筛选：无（全部数据）"
    assert filters_text(_view(atlas, display, "lang=en")) == "Filters: none (all data)"
    words = filters_text(_view(atlas, display, "types=industry&from=2018&to=2019&level=village"))
    assert words == "筛选：项目类型：产业；年份范围：2018–2019；结对层级：村级结对"
    english = filters_text(_view(atlas, display, "lang=en&types=industry&unit=510131101000"))
    assert english.startswith("Filters: Project type: Industry; Selected: ")


def test_data_version_is_the_newest_source_of_the_facts(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    assert "截至 2020-07-02" in data_version(_view(atlas, display))
    # Whatever the filter (an empty view cites nothing, the data is still of that version),
    # and never the release date of a reference dataset (codes, outlines).
    assert "截至 2020-07-02" in data_version(_view(atlas, display, "types=none"))


def test_a_cleared_filter_says_none_chosen(atlas: Atlas, display: DisplayGeometry) -> None:
    assert filters_text(_view(atlas, display, "types=none")) == "筛选：项目类型：未选任何一项"
    english = filters_text(_view(atlas, display, "lang=en&level=none"))
    assert english == "Filters: Pairing level: none chosen"


def test_dossier_totals_table_one_row_per_measure(atlas: Atlas) -> None:
    table = _totals_table(atlas, "en")
    assert "<td>area planted (mu)</td><td class='num'>1,075 mu</td><td class='num'>3</td>" in table
    assert "planted:" not in table
    assert "<td>规模种植面积（亩）</td><td class='num'>1,075亩</td>" in _totals_table(atlas, "zh")


def test_a_shared_link_gives_the_same_view_as_its_parameters(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    link, _ = view_from_query(atlas, display, "https://atlas.example/?types=industry&lang=en#x")
    plain, _ = view_from_query(atlas, display, "types=industry&lang=en")
    assert link.state == plain.state
    _, notices = view_from_query(atlas, display, "types=nothing&bogus=1")
    assert {n.param for n in notices} == {"types", "bogus"}


def test_html_file_has_title_filters_data_version_and_escapes_data(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    html = make_html(_view(atlas, display, "types=industry")).decode("utf-8")
    assert "<title>成都—甘孜对口帮扶地图</title>" in html
    assert '<html lang="zh-CN">' in html
    assert "筛选：项目类型：产业" in html and "数据版本：截至 2020-07-02" in html
    assert "atlas-frame-head" in html and "atlas-frame-foot" in html
    hostile = atlas.sources.assign(publisher="<img src=x onerror=alert(1)>")
    html = make_html(_view(replace(atlas, sources=hostile), display)).decode("utf-8")
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_print_labels_name_each_links_level(atlas: Atlas, display: DisplayGeometry) -> None:
    view = _view(atlas, display, "lang=en")  # English: the map's script escapes Chinese
    plain = build_map(atlas, display, view.map_options()).get_root().render()
    labelled = build_map(atlas, display, view.map_options(arc_labels=True)).get_root().render()
    assert "data-arc-of=" not in plain
    assert labelled.count("data-arc-of=") == len(atlas.pairings)  # one label per link
    for level in ("County pair", "Township pair", "Village pair"):  # beyond the legend's
        assert labelled.count(level) > plain.count(level)


def test_pairs_of_a_filtered_view(atlas: Atlas, display: DisplayGeometry) -> None:
    assert pair_names(_view(atlas, display))[0] == "蒲江县 → 泸定县"
    assert pair_names(_view(atlas, display, "level=village")) == [
        "八角井村 → 湾东村",
        "明月村 → 海子环环村",
    ]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_help_is_chinese_and_english() -> None:
    top = _cli("--help")
    assert top.returncode == 0 and "命令行" in top.stdout and "command line" in top.stdout
    export = _cli("export", "--help")
    assert export.returncode == 0
    for words in ("离线地图", "offline map", "资料册", "dossier", "--query", "Debian package"):
        assert words in export.stdout


def test_cli_html_export_names_file_and_prints_notices(tmp_path: Path) -> None:
    run = _cli(
        "export", "--format", "html", "--out", str(tmp_path), "--query", "types=industry&x=1"
    )
    assert run.returncode == 0, run.stderr
    written = Path(run.stdout.strip())
    assert written.parent == tmp_path
    assert written.name.startswith("pujiang-luding_types-industry_") and written.suffix == ".html"
    assert "项目类型：产业" in written.read_text(encoding="utf-8")
    assert "未知参数" in run.stderr and "unknown parameter" in run.stderr


def test_cli_without_chromium_names_the_package_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    run = _cli(
        "export", "--format", "png", "--out", str(out), env={"ATLAS_CHROMIUM": "/nonexistent"}
    )
    assert run.returncode == 3
    assert "apt-get install chromium" in run.stderr and "Debian" in run.stderr
    assert "未找到 Chromium" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_cli_bad_data_is_reported_not_a_traceback(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("raw"))
    path = tmp_path / "data" / "pairings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("P02,", "P0 2,", 1), encoding="utf-8")
    run = _cli(
        "export",
        "--format",
        "html",
        "--out",
        str(tmp_path / "x.html"),
        env={"ATLAS_DATA_DIR": str(tmp_path / "data")},
    )
    assert run.returncode == 2, run.stderr
    assert "pairings.csv" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "x.html").exists()


def test_cli_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    run = _cli("export", "--format", "html", "--out", str(tmp_path / "missing" / "x.html"))
    assert run.returncode == 4 and "Cannot write" in run.stderr


def test_cli_out_ending_in_a_slash_is_a_folder(tmp_path: Path) -> None:
    run = _cli("export", "--format", "html", "--out", f"{tmp_path}/new/")
    assert run.returncode == 0, run.stderr
    written = Path(run.stdout.strip())
    assert written.parent == tmp_path / "new" and written.name.startswith("pujiang-luding_")


def test_cli_a_browser_that_fails_is_a_short_message(tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    run = _cli("export", "--format", "png", "--out", str(out), env={"ATLAS_CHROMIUM": "/bin/false"})
    assert run.returncode == 5, run.stderr
    assert "导出失败" in run.stderr and "Export failed" in run.stderr
    assert "Traceback" not in run.stderr and not out.exists()
