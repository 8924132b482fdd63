"""The page runs under streamlit.testing AppTest: no exception, title present, both languages."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _run(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_app_runs_with_chinese_title() -> None:
    at = _run()
    assert not at.exception
    assert at.title[0].value == "成都—甘孜对口帮扶地图"


def test_lang_en_switches_title() -> None:
    at = _run(lang="en")
    assert not at.exception
    assert at.title[0].value == "Chengdu–Ganzi Pairing Atlas"


def test_basemap_switch_reruns_without_error() -> None:
    at = _run()
    at.sidebar.radio(key="basemap").set_value("osm").run()
    assert not at.exception
    assert at.sidebar.radio(key="basemap").value == "osm"
