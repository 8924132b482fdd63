"""Give memory back to the system after busy periods.

Each Streamlit session runs its script in its own thread, and glibc's allocator keeps the
memory a thread freed in that thread's arena instead of returning it: after twenty visitors
have come and gone (their sessions are dropped ``server.disconnectedSessionTTL`` = 120 s after
their browser closes) the server process would stay at its peak size for good. A daemon
thread, one per process, collects garbage and asks glibc to trim every arena every
``INTERVAL_S`` seconds; the load test (``python cli.py loadtest``) measures the effect.
Elsewhere than glibc (musl, macOS) there is no ``malloc_trim`` and only the collection runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable

import streamlit as st

INTERVAL_S = 30.0


def _trimmer() -> Callable[[], object] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


def release_memory() -> None:
    """Collect garbage, then return freed memory to the system where the allocator can."""
    gc.collect()
    trim = _trimmer()
    if trim is not None:
        trim()


@st.cache_resource(show_spinner=False)
def keep_memory_in_check() -> threading.Thread:
    """Start (once per process) the thread that calls :func:`release_memory` periodically."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(INTERVAL_S):
            release_memory()

    thread = threading.Thread(target=loop, name="atlas-memory", daemon=True)
    thread.start()
    return thread
