"""Measure one page (our app or the naive baseline) on one data folder in a real browser.

A ``streamlit run`` server per (data folder, variant) in folder mode (``ATLAS_DATA_DIR``
alone, no database), the counting proxy in front of it, and the system Chromium (Playwright,
headless, 1366x768, the exports' launch flags). Every hostname but 127.0.0.1 fails to
resolve in that browser (``--host-resolver-rules``): the pages run offline, as at a meeting,
and no tile server's speed enters a figure. Each run is a new browser context (a new
Streamlit session, an empty cache).

When is the map drawn? An init script (it runs in every frame, the map iframe too) records
Date.now() of the last DOM mutation in the frame. The map is drawn when the map iframe holds
a ``.leaflet-container`` with its vector layer (``path.leaflet-interactive`` or a canvas),
the page's script is idle (``[data-testid="stApp"]`` says ``data-test-script-state``
``notRunning``), and the map frame has had no mutation for QUIET_MS. The figure is that last
mutation's time minus the start (navigation start: ``performance.timeOrigin``; a filter
change: the click's time, recorded in the page). A run that does not settle within the
timeout is recorded as a timeout (None), never as a number.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.proxy import CountingProxy, Counts
from pack.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {
    "ours": ROOT / "app.py",
    "naive": ROOT / "benchmarks" / "naive_app.py",
    "floor": ROOT / "benchmarks" / "floor_app.py",
}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
VIEWPORT = {"width": 1366, "height": 768}
QUIET_MS = 1000
POLL_S = 0.1
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# The filter change measured: one click, the "x" on the 县级结对 (county pairs) tag of the
# sidebar's pairing-level list, from the default view (every level). It takes the county-level
# pairs' links off both pages' maps at every size (bundled data: 1 of the detail view's 4
# pairs; synthetic: 15 of 300, 30 of 1,000; checked in process by
# benchmarks.bench.measured_change), so both maps are redrawn and the map after the change is
# nearly the full map. (Removing one project type leaves every pair that has projects of
# another type, so the naive map, which draws only areas and links, stayed the same at the
# larger sizes; "Clear" then picking 产业 changed both maps but took two redraws, each
# followed on the naive page by its rerun for the map's bounds, to measure one.)
MEASURED_LEVEL = "county"  # geo.columns.PAIRING_LEVELS key; its tag reads 县级结对
MEASURED_TAG = re.compile("^Remove 县级结对")
LEVELS_BOX = 1  # the sidebar's multiselects: project types, pairing levels, rounds

INIT_SCRIPT = """
(() => {
  const OPTS = {subtree: true, childList: true, attributes: true, characterData: true};
  // Record the last mutation of a document in its window (per document: an iframe's first
  // about:blank document hands its window to the next one).
  const observe = (doc, win) => {
    if (!doc || doc.__atlasObserved) return;
    doc.__atlasObserved = true;
    win.__atlasLastMut = win.__atlasLastMut || 0;
    new win.MutationObserver((records) => {
      win.__atlasLastMut = Date.now();
      for (const r of records) for (const n of r.addedNodes) watchFrames(n);
    }).observe(doc, OPTS);
  };
  // Playwright's init scripts do not reach Streamlit's component iframes: the parent attaches
  // the recorder to each iframe's document itself (same origin), again on each load.
  const watch = (f) => {
    if (f.__atlasWatched) return;
    f.__atlasWatched = true;
    const attach = () => { try { observe(f.contentDocument, f.contentWindow); } catch (e) {} };
    attach();
    f.addEventListener('load', attach);
  };
  const watchFrames = (node) => {
    if (node.nodeType !== 1) return;
    if (node.tagName === 'IFRAME') watch(node);
    node.querySelectorAll('iframe').forEach(watch);
  };
  observe(document, window);
  document.addEventListener('click', () => { window.__atlasClick = Date.now(); }, true);
})();
"""
MAP_STATE = """() => {
  const c = document.querySelector('.leaflet-container');
  return {
    drawn: !!(c && c.querySelector('path.leaflet-interactive, canvas')),
    last: window.__atlasLastMut || 0,
  };
}"""
SCRIPT_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute('data-test-script-state') : null;
}"""
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


# --- the server's process tree, from /proc ------------------------------------------------


def tree_pids(root: int, proc: Path = Path("/proc")) -> list[int]:
    """``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_seconds(root: int, proc: Path = Path("/proc")) -> float:
    """utime + stime of the process tree under ``root``, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in tree_pids(root, proc):
        try:
            fields = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / tick


def status_bytes(pid: int, key: str, proc: Path = Path("/proc")) -> int | None:
    """A ``Vm*`` line of /proc/<pid>/status (VmHWM = peak resident, VmRSS = resident), bytes."""
    try:
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


# --- server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str  # through the counting proxy
    pid: int
    proxy: CountingProxy
    log: Path


@contextmanager
def serve(
    variant: str, data_dir: Path | None, log_dir: Path, timeout_s: float = 120
) -> Iterator[Server]:
    """``streamlit run`` of the variant's script on a free port (folder mode on ``data_dir``;
    the bundled data when None), behind a counting proxy; stopped by process group after."""
    port = free_port()
    state = tempfile.mkdtemp(prefix="atlas-bench-state-")
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_DB_URL", "ATLAS_DATA_DIR")}
    env["ATLAS_STATE_DIR"] = state
    if data_dir is not None:
        env["ATLAS_DATA_DIR"] = str(data_dir)
    log = log_dir / f"streamlit-{variant}-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(SCRIPTS[variant]),
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
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proxy = CountingProxy(port)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log}")
            time.sleep(0.3)
        proxy.start()
        yield Server(f"http://127.0.0.1:{proxy.port}", proc.pid, proxy, log)
    finally:
        proxy.stop()
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@contextmanager
def chromium() -> Iterator[Any]:
    """The system Chromium, headless, offline but for 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


# --- page -------------------------------------------------------------------------------


def new_visitor(browser: Any) -> Any:
    """A browser context: one visitor's browser (its HTTP cache is shared by its pages)."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.add_init_script(INIT_SCRIPT)
    return context


def new_page(browser: Any, visitor: Any | None = None) -> tuple[Any, Any, list[str]]:
    """(context, page, errors): a new session with the mutation recorder and an error log
    (uncaught page errors and console errors, in every frame); in ``visitor``'s browser
    (a returning visitor: warm HTTP cache) or, without one, in a new, empty browser."""
    context = visitor if visitor is not None else new_visitor(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    return context, page, errors


def map_state(page: Any) -> dict[str, Any] | None:
    """The current (last) map iframe's state, or None while there is none."""
    handles = page.query_selector_all(MAP_IFRAME)
    if not handles:
        return None
    try:
        frame = handles[-1].content_frame()
        state: dict[str, Any] | None = frame.evaluate(MAP_STATE) if frame else None
    except Exception:  # detached while we looked (Streamlit replaced the iframe)
        return None
    return state


def wait_drawn(page: Any, since_ms: float, timeout_s: float) -> float | None:
    """Epoch ms of the map frame's last mutation once the map is drawn, the script idle and
    the map quiet for QUIET_MS, counting only mutations after ``since_ms``; None on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = map_state(page)
        try:
            idle = page.evaluate(SCRIPT_STATE) == "notRunning"
        except Exception:
            idle = False
        settled = state and state["drawn"] and idle and state["last"] > since_ms
        if settled and state and time.time() * 1000 - state["last"] >= QUIET_MS:
            return float(state["last"])
        time.sleep(POLL_S)
    return None


def js_heap(context: Any, page: Any) -> int | None:
    """JSHeapUsedSize of the page's renderer after a garbage collection (the map iframe is
    same-origin: one renderer, one heap), via the Chrome DevTools Protocol."""
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        cdp.detach()
    except Exception:
        return None
    for metric in metrics:
        if metric["name"] == "JSHeapUsedSize":
            return int(metric["value"])
    return None


def remove_level(page: Any, tag: re.Pattern[str] = MEASURED_TAG) -> float:
    """Click the "x" of ``tag`` in the sidebar's pairing-level list (one click, the measured
    filter change); return the click's time (epoch ms), recorded in the page."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(LEVELS_BOX)
    box.get_by_role("button", name=tag).first.click()
    return float(page.evaluate("() => window.__atlasClick || Date.now()"))


def page_errors(page: Any) -> int:
    """Streamlit exception and error elements on the page."""
    try:
        return int(page.locator(ERROR_ELEMENTS).count())
    except Exception:
        return 0


@dataclass
class RunResult:
    draw_s: float | None = None
    filter_s: float | None = None
    load: Counts = field(default_factory=Counts)
    filter: Counts = field(default_factory=Counts)
    heap_bytes: int | None = None
    server_cpu_s: float | None = None
    errors: list[str] = field(default_factory=list)
    # Wall seconds of each step of the session (where the bench's run time goes): "open",
    # "draw" (navigation to the wait's end), "heap", "filter", "close"; and, per
    # wait, "<step>_settle": from the map's last mutation to the wait's end (the script
    # finishing its reruns, then QUIET_MS).
    steps: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        load_down, filter_down = self.load.down, self.filter.down
        return {
            "draw_s": self.draw_s,
            "filter_s": self.filter_s,
            "load_down": load_down if self.draw_s is not None else None,
            "filter_down": filter_down if self.filter_s is not None else None,
            "bytes_down": load_down + filter_down if self.filter_s is not None else None,
            "ws_down": self.load.ws_down + self.filter.ws_down
            if self.filter_s is not None
            else None,
            "bytes_up": self.load.up + self.filter.up,
            "load_bytes": self.load.as_dict(),
            "filter_bytes": self.filter.as_dict(),
            "heap_bytes": self.heap_bytes,
            "server_cpu_s": self.server_cpu_s,
            "errors": self.errors,
            "steps_s": {k: round(v, 2) for k, v in self.steps.items()},
        }


def measure_run(
    browser: Any,
    server: Server,
    timeout_s: float,
    with_filter: bool = True,
    log: Callable[[str], None] = lambda s: None,
    visitor: Any | None = None,
) -> RunResult:
    """One session: navigation to the map drawn, then (``with_filter``) the measured filter
    change (``remove_level``, one click) to the map redrawn; bytes of each on the wire, JS
    heap after drawing, server CPU of the whole session (its reruns included). In
    ``visitor``'s browser when given (its HTTP cache kept), else in a new, empty one."""
    result = RunResult()
    steps = result.steps
    mark = time.monotonic()

    def step(name: str, last_ms: float | None = None) -> None:
        nonlocal mark
        now = time.monotonic()
        steps[name] = now - mark
        if last_ms is not None:
            steps[f"{name}_settle"] = time.time() - last_ms / 1000
        mark = now

    cpu0 = cpu_seconds(server.pid)
    context, page, errors = new_page(browser, visitor)
    step("open")
    try:
        c0 = server.proxy.counts()
        page.goto(server.url + "/", wait_until="commit", timeout=timeout_s * 1000)
        nav = float(page.evaluate("() => performance.timeOrigin"))
        last = wait_drawn(page, nav, timeout_s)
        result.load = server.proxy.counts() - c0
        step("draw", last)
        if last is None:
            log("  map not drawn within the timeout")
            return result
        result.draw_s = (last - nav) / 1000
        result.heap_bytes = js_heap(context, page)
        step("heap")
        if with_filter:
            c2 = server.proxy.counts()
            clicked = remove_level(page)
            last = wait_drawn(page, clicked, timeout_s)
            result.filter = server.proxy.counts() - c2
            step("filter", last)
            if last is None:
                log("  map not redrawn after the filter change within the timeout")
            else:
                result.filter_s = (last - clicked) / 1000
        return result
    finally:
        n = page_errors(page)
        result.errors = errors + [f"{n} Streamlit error element(s)"] * (n > 0)
        page.close()
        if visitor is None:
            context.close()
        result.server_cpu_s = cpu_seconds(server.pid) - cpu0
        step("close")
        log("    steps (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
