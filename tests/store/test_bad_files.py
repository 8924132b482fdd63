"""Thirty-odd kinds of bad file, as offices send them, through the store's import check: each
is refused with a report naming the file, row, column and value in Chinese and English, and
the store is unchanged afterwards. A few go through ``cli.py import --apply`` as well."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.core import Store
from store.importing import check_import
from tests.store.bad_files import CASES, GOOD, Case, H, csv
from tests.store.test_cli import cli


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("bad-files")
    return Store.open(f"sqlite:///{folder / 'atlas.sqlite3'}", cache_dir=folder / "cache")


def test_there_are_at_least_thirty_kinds() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_file_is_refused_with_a_precise_report(sqlite_store: Store, name: str) -> None:
    case: Case = CASES[name]
    before = (sqlite_store.latest(), sqlite_store.files(1))
    check = check_import(
        sqlite_store, case.data, f"{name}.csv", case.kind, encoding=case.options.get("encoding")
    )
    assert not check.ready and check.new_files is None
    hits = [
        p
        for p in check.problems
        if p.row == case.row
        and p.column == case.column
        and (p.value is None if case.value is None else case.value in (p.value or ""))
        and case.zh in p.problem_zh
        and case.en in p.problem_en
    ]
    assert hits, [(p.row, p.column, p.value, p.problem_zh, p.problem_en) for p in check.problems]
    assert all(p.file == f"{name}.csv" for p in hits)
    assert (sqlite_store.latest(), sqlite_store.files(1)) == before


def test_a_sheet_without_a_required_header_asks_for_the_mapping(sqlite_store: Store) -> None:
    data = csv([[h for h in H if h != "项目名称"], [c for c in GOOD if c != GOOD[0]]])
    check = check_import(sqlite_store, data, "no-title.csv", "projects")
    assert check.missing == ["title_zh"] and not check.ready
    assert sqlite_store.latest() == 1


@pytest.mark.parametrize(
    "name", ["formula-cell", "unknown-place", "gbk-read-with-a-wrong-override"]
)
def test_the_command_line_refuses_with_exit_2_and_stores_nothing(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = tmp_path / f"{name}.{'xlsx' if case.data[:2] == b'PK' else 'csv'}"
    path.write_bytes(case.data)
    extra = ["--encoding", case.options["encoding"]] if "encoding" in case.options else []
    done = cli("import", str(path), "--kind", case.kind, "--apply", *extra, state=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert case.zh in done.stdout and case.en in done.stdout
    assert "台账不变" in done.stderr and "unchanged" in done.stderr
    versions = cli("versions", state=tmp_path)
    assert versions.returncode == 0
    [only] = versions.stdout.splitlines()  # the seed, nothing else
    assert only.split()[:2] == ["*", "1"] and "seed" in only
