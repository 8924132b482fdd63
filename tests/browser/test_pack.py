"""The meeting pack made for real (system Chromium): each format for the default view, a
filtered view and the overview, from the command line and from the app's export function,
and the same content from both.

Heavy (each PDF draws several maps): run alone with ``pytest tests/browser/test_pack.py``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from PIL import Image, ImageChops, ImageStat
from streamlit.testing.v1 import AppTest

from geo.tour import tour_steps
from pack.chromium import Renderer
from pack.files import PNG_SIZE, map_page, pair_names
from pack.frame import framed
from pack.view import ExportView
from tests.browser.conftest import ARTIFACTS, _require_chromium
from ui.pack import export_bytes

ROOT = Path(__file__).resolve().parents[2]
VIEWS = {"default": "", "filtered": "types=industry", "overview": "view=overview"}
SOURCE = "四川三农新闻网"


@pytest.fixture(autouse=True)
def _chromium() -> None:
    _require_chromium()


def _require_pdftotext() -> None:
    """pdftotext reads the dossier (Debian package poppler-utils): a failure under CI, a skip
    with the install command elsewhere."""
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    message = "pdftotext not found; install it with `apt-get install poppler-utils`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@cache
def app_view(query: str) -> ExportView:
    """The view the app's Export menu exports for a page opened with ``query``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in parse_qsl(query):
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    view = at.session_state["_export_view"]
    assert isinstance(view, ExportView)
    return view


def _legend_box(view: ExportView) -> Any:
    """Where the legend is drawn in the PNG page. On a thread of its own: Playwright's sync
    API refuses a thread where another Playwright (the browser fixture) runs its loop."""

    def measure() -> Any:
        with Renderer() as r:
            return r.legend_box(framed(map_page(view, still=True), view), *PNG_SIZE)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(measure).result()


def from_app(query: str, fmt: Any, scale: int = 1) -> bytes:
    return export_bytes(app_view(query), fmt, scale)


def from_cli(query: str, fmt: str, tmp_path: Path, *extra: str) -> Path:
    args = ["export", "--format", fmt, "--out", str(tmp_path), "--query", query, *extra]
    run = subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no notices for these links
    path = Path(run.stdout.strip())
    assert path.parent == tmp_path and path.suffix == f".{fmt}"
    return path


def _keep(name: str, data: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)


# ---------------------------------------------------------------------------------- PNG


def _check_png(data: bytes, legend: tuple[float, float, float, float], scale: int = 1) -> None:
    image = Image.open(io.BytesIO(data)).convert("L")
    assert image.size == (PNG_SIZE[0] * scale, PNG_SIZE[1] * scale)
    assert ImageStat.Stat(image).stddev[0] > 20  # not blank
    x, y, w, h = (round(v * scale) for v in legend)
    assert w > 100 and h > 100 and x + w <= image.size[0] and y + h <= image.size[1]
    region = image.crop((x, y, x + w, y + h))
    assert ImageStat.Stat(region).stddev[0] > 25  # text and swatches, not an empty box
    dark = sum(region.histogram()[:100])
    assert dark > 200  # the words of the legend


@pytest.mark.parametrize("name", list(VIEWS))
def test_png_from_cli_and_app(name: str, tmp_path: Path) -> None:
    query = VIEWS[name]
    view = app_view(query)
    legend = _legend_box(view)
    cli = from_cli(query, "png", tmp_path).read_bytes()
    app = from_app(query, "png")
    _keep(f"pack-{name}.png", app)
    for data in (cli, app):
        _check_png(data, legend)
    a = Image.open(io.BytesIO(cli)).convert("L")
    b = Image.open(io.BytesIO(app)).convert("L")
    assert ImageStat.Stat(ImageChops.difference(a, b)).mean[0] < 2  # the same picture


def test_png_twice_the_size_for_print(tmp_path: Path) -> None:
    path = from_cli("", "png", tmp_path, "--scale", "2")
    assert path.name.endswith(f"_2x_{path.name[-14:-4]}.png")
    view = app_view("")
    legend = _legend_box(view)
    _check_png(path.read_bytes(), legend, scale=2)


# ---------------------------------------------------------------------------------- PDF


def _pdf_text(path: Path, first: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(first)] if first else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert found
    return int(found.group(1))


@pytest.mark.parametrize("name", list(VIEWS))
def test_pdf_dossier_from_cli_and_app(name: str, tmp_path: Path) -> None:
    _require_pdftotext()
    query = VIEWS[name]
    cli = from_cli(query, "pdf", tmp_path)
    app = tmp_path / "app.pdf"
    app.write_bytes(from_app(query, "pdf"))
    _keep(f"pack-{name}.pdf", app.read_bytes())
    pairs = pair_names(app_view(query))
    assert pairs  # every one of these views shows pairs
    for path in (cli, app):
        text = _pdf_text(path)
        assert "目录" in text and SOURCE in text
        assert "成都—甘孜对口帮扶地图" in text
        total = _pdf_pages(path)
        assert total >= 1 + len(pairs)  # a cover, then at least a page per pair
        # The contents name each pair with the page it starts on; that page begins with it.
        starts = []
        for pair in pairs:
            found = re.search(re.escape(pair) + r"（[^）]+）\s+(\d+)", text)
            assert found, pair
            starts.append(int(found.group(1)))
            assert _pdf_text(path, starts[-1]).lstrip().startswith(pair)
        assert starts == sorted(starts) and starts[0] >= 2 and starts[-1] <= total
        assert f"第 {total} 页 / {total}" in text  # page numbers
    assert _pdf_text(cli) == _pdf_text(app)  # the same dossier from both doors


# ---------------------------------------------------------------------------------- PPTX


def _slides(data: bytes) -> list[tuple[str, str]]:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    out = []
    for slide in deck.slides:
        words = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        out.append((words, slide.notes_slide.notes_text_frame.text))
    return out


@pytest.mark.parametrize("name", list(VIEWS))
def test_pptx_one_slide_per_tour_step(name: str, tmp_path: Path) -> None:
    query = VIEWS[name]
    view = app_view(query)
    steps = tour_steps(view.shown())
    cli = _slides(from_cli(query, "pptx", tmp_path).read_bytes())
    app = _slides(from_app(query, "pptx"))
    assert len(app) == len(steps) > 0
    for (words, notes), pair, step in zip(app, pair_names(view), steps, strict=True):
        # Each slide cites its own pair's source (the overview's county pairs rest on other
        # pages than the article).
        assert pair in words and step.source_parts[0] in words
        assert step.quote in notes
    assert cli == app


# ---------------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("name", list(VIEWS))
def test_html_draws_areas_and_links_with_every_request_blocked(
    name: str, browser: Any, tmp_path: Path
) -> None:
    query = VIEWS[name]
    cli = from_cli(query, "html", tmp_path)
    ids = re.compile(r"_[0-9a-f]{32}")  # folium names each element with a random id
    app = from_app(query, "html").decode("utf-8")
    assert ids.sub("", cli.read_text(encoding="utf-8")) == ids.sub("", app)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.goto(cli.as_uri())
    page.wait_for_function("() => window.atlas && window.atlas.layers.pairs", timeout=30_000)
    drawn = page.evaluate(
        """() => ({
          pairs: window.atlas.layers.pairs.getLayers().length,
          areas: (window.atlas.layers.townships || window.atlas.layers.counties).getLayers().length,
          title: document.title,
          head: document.querySelector('.atlas-frame-head').innerText,
        })"""
    )
    assert drawn["pairs"] > 0 and drawn["areas"] > 0
    assert drawn["title"] == "成都—甘孜对口帮扶地图"
    assert "筛选" in drawn["head"] and "数据版本" in drawn["head"]
    if name == "filtered":
        assert "项目类型：产业" in drawn["head"]
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
    context.close()


def test_a_view_with_no_pair_still_makes_a_dossier_and_a_deck(tmp_path: Path) -> None:
    _require_pdftotext()
    pdf = from_cli("types=none", "pdf", tmp_path)
    text = _pdf_text(pdf)
    assert "当前筛选下没有结对。" in text and "项目类型：未选任何一项" in text and SOURCE in text
    assert _pdf_pages(pdf) == 1
    slides = _slides(from_cli("types=none", "pptx", tmp_path).read_bytes())
    assert len(slides) == 1 and "当前筛选下没有结对。" in slides[0][0]


def test_app_menu_downloads_a_png_in_a_real_browser(
    app_url: str, page: tuple[Any, Any], tmp_path: Path
) -> None:
    """The menu's deferred download runs the export on the server (Chromium inside the app)."""
    from tests.browser.helpers import open_map

    pg, _ = page
    open_map(pg, app_url + "/?types=industry")
    pg.get_by_role("button", name="导出 / Export").click()
    button = pg.get_by_role("button", name="图片 PNG（1920×1080")
    button.wait_for(timeout=15_000)
    with pg.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(
        r"pujiang-luding_types-industry_\d{4}-\d{2}-\d{2}\.png", download.suggested_filename
    )
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    assert Image.open(path).size == PNG_SIZE
