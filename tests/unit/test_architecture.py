"""The pure core stays pure: geo/ and layers/ never import streamlit nor read ../shared."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit() -> None:
    for package in ("geo", "layers", "store", "ledger"):
        for path in (ROOT / package).rglob("*.py"):
            assert "streamlit" not in _imports(path), path
            assert "streamlit_folium" not in _imports(path), path
            assert "ui" not in _imports(path), path


def test_exports_never_import_streamlit() -> None:
    """pack/ serves the command line too: no streamlit, and from ui/ only the URL parser."""
    for path in (ROOT / "pack").rglob("*.py"):
        names = _imports(path)
        assert "streamlit" not in names and "streamlit_folium" not in names, path
        text = path.read_text(encoding="utf-8")
        assert [
            m for m in ("from ui.", "import ui") if m in text.replace("from ui.urlstate", "")
        ] == [], path


def test_nothing_reads_the_shared_folder_at_run_time() -> None:
    for package in ("app.py", "cli.py", "geo", "layers", "ledger", "pack", "ui"):
        target = ROOT / package
        files = [target] if target.is_file() else list(target.rglob("*.py"))
        for path in files:
            text = path.read_text(encoding="utf-8")
            for needle in ("../shared", "shared/data", "shared/seed", "shared/docs"):
                assert needle not in text, (path, needle)
