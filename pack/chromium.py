"""Draw pages in the system Chromium (Playwright), offline: the exports show the real map.

One :class:`Renderer` is one browser; an export opens it once and draws every page in it.
Pages are loaded from temporary files with every request that is not ``file:`` or ``data:``
aborted, so an export never reaches the network (and never waits for it). Never downloads a
browser: only ``/usr/bin/chromium`` (Debian package ``chromium``) is used.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
DEBIAN_PACKAGE = "chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_READY = (
    "() => window.atlas && window.atlas.layers && window.atlas.layers.pairs"
    " && !(window.atlas.pending > 0)"
)
TIMEOUT_MS = 60_000
# Printable width of an A4 page with these margins, in CSS px (96 per inch).
A4_MARGIN_MM = {"top": 14, "bottom": 16, "left": 14, "right": 14}
PX_PER_MM = 96 / 25.4
A4_CONTENT_WIDTH_PX = (210 - A4_MARGIN_MM["left"] - A4_MARGIN_MM["right"]) * PX_PER_MM


class ChromiumMissing(RuntimeError):
    """No Chromium at /usr/bin/chromium: PNG, PDF and PPTX cannot be made (HTML can)."""

    def __init__(self, path: Path = CHROMIUM) -> None:
        super().__init__(
            f"未找到 Chromium 浏览器（{path}），无法生成 PNG、PDF、PPTX；请安装 Debian 软件包 "
            f"{DEBIAN_PACKAGE}（apt-get install {DEBIAN_PACKAGE} fonts-noto-cjk）。"
            f"\nChromium not found at {path}: PNG, PDF and PPTX cannot be made; install the "
            f"Debian package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE} fonts-noto-cjk)."
        )


def chromium_path() -> Path:
    """The browser used; ATLAS_CHROMIUM may point elsewhere (tests use it to simulate none)."""
    return Path(os.environ.get("ATLAS_CHROMIUM", str(CHROMIUM)))


def chromium_available() -> bool:
    path = chromium_path()
    return path.is_file() and os.access(path, os.X_OK)


def _offline(route: Any) -> None:
    """Let files and inline data through; abort everything else (no network, ever)."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


class Renderer:
    """A headless Chromium for one export (use as a context manager)."""

    def __init__(self) -> None:
        if not chromium_available():
            raise ChromiumMissing(chromium_path())
        self._tmp = tempfile.TemporaryDirectory(prefix="atlas-export-")
        self._count = 0
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Renderer:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=str(chromium_path()), args=CHROMIUM_ARGS, headless=True
            )
        except Exception:
            self._pw.stop()
            self._tmp.cleanup()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            self._tmp.cleanup()

    def _file(self, html: str) -> str:
        self._count += 1
        path = Path(self._tmp.name) / f"page-{self._count}.html"
        path.write_text(html, encoding="utf-8")
        return path.as_uri()

    def _open(self, html: str, width: int, height: int, scale: float = 1.0) -> tuple[Any, Any]:
        context = self._browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            locale="zh-CN",
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", _offline)
        page.goto(self._file(html))
        return context, page

    def screenshot_map(
        self, html: str, width: int, height: int, scale: float = 1.0, image: str = "png"
    ) -> bytes:
        """A picture (``png``, or ``jpeg`` to embed in documents) of ``html`` (a page holding
        one atlas map) once the map has drawn."""
        context, page = self._open(html, width, height, scale)
        try:
            page.wait_for_function(MAP_READY)
            _settle(page)
            if image == "jpeg":
                return bytes(page.screenshot(type="jpeg", quality=90, full_page=False))
            return bytes(page.screenshot(type="png", full_page=False))
        finally:
            context.close()

    def legend_box(self, html: str, width: int, height: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the map legend in CSS px (for checks of an image)."""
        context, page = self._open(html, width, height)
        try:
            page.wait_for_function(MAP_READY)
            _settle(page)
            box = page.evaluate(
                "() => { const r = document.querySelector('.atlas-legend')"
                ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }"
            )
            return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
        finally:
            context.close()

    def pdf(self, html: str, footer: str) -> bytes:
        """An A4 portrait PDF of ``html`` with ``footer`` (escaped HTML; may contain
        ``<span class="pageNumber">``) at the foot of every page."""
        context, page = self._open(html, round(A4_CONTENT_WIDTH_PX), 1000)
        try:
            page.evaluate("() => document.fonts.ready")
            margin = {k: f"{v}mm" for k, v in A4_MARGIN_MM.items()}
            return bytes(
                page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=footer,
                    margin=margin,
                )
            )
        finally:
            context.close()


IDLE = (
    "() => { const m = window.atlas.map; return !m._animatingZoom"
    " && !(m._panAnim && m._panAnim._inProgress); }"
)


def _settle(page: Any) -> None:
    """Fonts loaded, no zoom or pan animation running, labels decluttered (they run on a zero
    timeout after each move), two frames painted: the picture is the map at rest."""
    page.evaluate("() => document.fonts.ready")
    for _ in range(2):  # a move can end by starting another (fit after a resize)
        page.wait_for_function(IDLE)
        page.evaluate(
            "() => new Promise(r => setTimeout(() => requestAnimationFrame("
            "() => requestAnimationFrame(r)), 300))"
        )
