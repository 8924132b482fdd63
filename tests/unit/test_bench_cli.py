"""cli.py bench / loadtest: arguments reach the runners; bad arguments stop before any run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cli


def test_bench_arguments_reach_the_runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def fake(
        out: Path, sizes: list[str], repeats: int, timeout: float, readme: Any
    ) -> dict[str, Any]:
        seen.update(out=out, sizes=sizes, repeats=repeats, timeout=timeout, readme=readme)
        return {}

    import benchmarks.bench

    monkeypatch.setattr(benchmarks.bench, "run_bench", fake)
    out = tmp_path / "b.json"
    code = cli.main(
        ["bench", "--out", str(out), "--sizes", "pujiang, sichuan", "--repeats", "1", "--no-readme"]
    )
    assert code == 0
    assert seen == {
        "out": out,
        "sizes": ["pujiang", "sichuan"],
        "repeats": 1,
        "timeout": 240.0,
        "readme": None,
    }


def test_an_unknown_size_is_refused_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import benchmarks.bench

    monkeypatch.setattr(benchmarks.bench, "run_bench", lambda *a: pytest.fail("ran"))
    code = cli.main(["bench", "--out", str(tmp_path / "b.json"), "--sizes", "beijing"])
    assert code == cli.EXIT_DATA
    assert "beijing" in capsys.readouterr().err


def test_loadtest_exit_code_follows_the_verdict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import benchmarks.load

    calls: list[tuple[Any, ...]] = []

    def fake(*args: Any) -> dict[str, Any]:
        calls.append(args)
        return {"pass": len(calls) == 1}

    monkeypatch.setattr(benchmarks.load, "run_loadtest", fake)
    argv = ["loadtest", "--out", str(tmp_path / "l.json"), "--sessions", "3", "--seconds", "20"]
    assert cli.main(argv) == 0
    assert cli.main(argv) == 1
    assert calls[0][1:4] == (3, 20.0, 130.0)
