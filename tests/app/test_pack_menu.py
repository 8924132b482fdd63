"""The Export menu under the map (AppTest): every format offered, a clear message without
Chromium, and the view it exports is the one on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from pack.view import ExportView, filters_text
from tests.app.helpers import run_app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
LABELS = [
    "下载离线地图（HTML）",
    "图片 PNG（1920×1080，投影用）",
    "图片 PNG（2 倍，3840×2160，印刷用）",
    "PDF 资料册（A4，可黑白打印）",
    "幻灯片 PPTX（每对一页，备注含原文）",
]


def _run(**params: str) -> AppTest:
    return run_app(**params)


def _buttons(at: AppTest) -> dict[str, bool]:
    """Label -> disabled, for the menu's download buttons."""
    found: list[Any] = list(at.get("download_button"))
    return {b.label: bool(b.proto.disabled) for b in found if b.label in LABELS}


def test_menu_offers_every_format(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(chromium))  # the menu only checks it is there
    at = _run()
    assert _buttons(at) == dict.fromkeys(LABELS, False)
    assert not [w for w in at.warning if "chromium" in w.value]


def test_without_chromium_the_menu_names_the_package_and_keeps_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ATLAS_CHROMIUM", "/nonexistent/chromium")
    at = _run()
    buttons = _buttons(at)
    assert buttons.pop("下载离线地图（HTML）") is False
    assert buttons and all(buttons.values())  # PNG, PDF, PPTX disabled
    warning = "\n".join(w.value for w in at.warning)
    assert "Debian 软件包 chromium" in warning and "apt-get install chromium" in warning


def test_menu_exports_the_view_on_screen() -> None:
    at = _run(types="industry", lang="en")
    view = at.session_state["_export_view"]
    assert isinstance(view, ExportView)
    assert view.state.filters.types == frozenset({"industry"}) and view.lang == "en"
    assert filters_text(view) == "Filters: Project type: Industry"


def test_present_mode_exports_the_tour_step_on_screen() -> None:
    at = _run(mode="present")
    view = at.session_state["_export_view"]
    assert view.step == "P01"  # the first step of the tour
    at.button(key="tour_next").click().run()
    assert at.session_state["_export_view"].step == "P02"
    found: list[Any] = list(at.get("download_button"))
    assert "下载离线地图（HTML）" in [b.label for b in found]
