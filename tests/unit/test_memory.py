"""ui.memory: freed memory goes back to the system (glibc's malloc_trim)."""

from __future__ import annotations

from pathlib import Path

from ui.memory import _trimmer, release_memory


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_release_memory_returns_freed_memory_to_the_system() -> None:
    assert _trimmer() is not None  # glibc on this machine and in CI (Debian)
    # Large blocks interleaved with small ones that stay alive (as a session thread's memory
    # is interleaved with what lives on): freeing the large ones leaves holes the allocator
    # keeps, until trimmed.
    large, small = [], []
    for _ in range(2_000):  # ~200 MB
        large.append(bytearray(100_000))
        small.append(bytearray(1_000))
    before_free = _rss_kb()
    del large
    after_free = _rss_kb()
    release_memory()
    after_trim = _rss_kb()
    assert len(small) == 2_000
    assert before_free - after_free < 50_000, "the allocator gave it back by itself"
    assert after_free - after_trim > 100_000, (before_free, after_free, after_trim)
