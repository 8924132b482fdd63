"""Issue 11: which counties have township detail, titles, file names and the default view come
from the data. No code in app.py, geo/, layers/ or ui/ names the one county pair that has
township data today, so the next pair with township data needs only data."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The two counties' codes (and every township or village code under them) and their names.
NAMED = re.compile(r"510131|513322|蒲江|泸定|pujiang|luding", re.IGNORECASE)


def _code_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("geo", "layers", "ui"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def test_no_code_names_the_detail_counties() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _code_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAMED.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_check_would_see_a_name(tmp_path: Path) -> None:
    assert NAMED.search('FOCUS = ("510131", "513322")')
    assert NAMED.search('file_name="pujiang-luding-projects.csv"')
    assert NAMED.search("蒲江县 ↔ 泸定县") and not NAMED.search("温江区 → 色达县")
