"""Browser-test fixtures: a real `streamlit run` on a free port and the system Chromium.

Under CI (CI=true) a missing Chromium is a failure; elsewhere these tests skip with a message
saying how to install it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from pack.chromium import CHROMIUM, CHROMIUM_ARGS  # the exports' own launch settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        "Chromium not found at /usr/bin/chromium; install it with "
        "`apt-get install chromium fonts-noto-cjk` to run the browser tests"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def streamlit_server(log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the app with ``streamlit run`` on a free port; yield its base URL once healthy;
    stop it by its process group afterwards. ``env`` adds environment variables."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        # A store of its own per server (SQLite in a new folder), unless the test names one.
        env={
            **os.environ,
            "ATLAS_STATE_DIR": tempfile.mkdtemp(prefix="atlas-server-state-"),
            **(env or {}),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {ARTIFACTS / log_name}")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start the app with the bundled data; yield its base URL; stop it by process id."""
    _require_chromium()
    with streamlit_server("streamlit.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class RequestLog:
    """Every URL a page requested (all frames), to prove nothing left localhost."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def external(self) -> list[str]:
        out = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, RequestLog]]:
    """A fresh 1400x900 page with a request log attached."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = context.new_page()
    log = RequestLog()
    pg.on("request", lambda req: log.urls.append(req.url))
    yield pg, log
    context.close()
