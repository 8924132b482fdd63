"""Shared steps for the AppTest tests: run the page with URL parameters."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.summary import DETAILS, OPEN_KEY

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_details(at: AppTest) -> AppTest:
    """Open the chart and the table below the map for ``at``'s next runs (as a click on their
    expanders does: ui.summary.render_details)."""
    for name in DETAILS:
        at.session_state[OPEN_KEY.format(name)] = True
    return at


def _at(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _ran(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def run_app(**params: str) -> AppTest:
    """The page run once with ``params`` as its URL query; fails on any exception."""
    return _ran(_at(params))


def run_app_open(**params: str) -> AppTest:
    """As run_app, with the chart and the table below the map open."""
    return _ran(open_details(_at(params)))
