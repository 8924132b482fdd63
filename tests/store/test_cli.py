"""``cli.py`` import / versions / compare / rollback / template, as an administrator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from tests.store.test_importing import excel_gbk_csv

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATLAS_STATE_DIR": str(state)}
    env.pop("ATLAS_DATA_DIR", None)
    env.pop("ATLAS_DB_URL", None)
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_is_in_chinese_and_english(tmp_path: Path) -> None:
    done = cli("import", "--help", state=tmp_path)
    assert done.returncode == 0
    for words in (
        "检查一份台账文件",
        "Check a ledger file",
        "--apply",
        "--kind",
        "--db",
        "--source",
    ):
        assert words in done.stdout


def test_import_apply_versions_compare_rollback(tmp_path: Path) -> None:
    sheet = tmp_path / "台账.csv"
    sheet.write_bytes(excel_gbk_csv())
    confirm = [
        "--source",
        "import-01.title=寿安镇茶叶培训报道",
        "--source",
        "import-01.licence=注明出处",
    ]

    checked = cli("import", str(sheet), *confirm, state=tmp_path)  # the kind told by the headers
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "projects.csv: +2 -0 ~0" in checked.stdout and "--apply" in checked.stdout
    assert cli("versions", state=tmp_path).stdout.count("\n") == 1  # nothing stored yet

    applied = cli("import", str(sheet), *confirm, "--apply", "--editor", "anna", state=tmp_path)
    assert applied.returncode == 0 and "stored as version 2" in applied.stdout

    listed = cli("versions", state=tmp_path).stdout.splitlines()
    assert listed[0].split()[:2] == ["*", "2"] and "anna" in listed[0] and "台账.csv" in listed[0]
    assert "projects.csv +2 -0 ~0" in listed[0]

    compared = cli("compare", "1", "2", state=tmp_path).stdout
    assert "+ PR22" in compared and "+ import-01" in compared

    rolled = cli("rollback", "1", "--editor", "bo", state=tmp_path)
    assert rolled.returncode == 0 and "version 3" in rolled.stdout
    assert "+ PR22" not in cli("compare", "1", "3", state=tmp_path).stdout
    again = cli("rollback", "3", state=tmp_path)
    assert again.returncode == 6 and "already the latest" in again.stderr


def test_template_has_chinese_headers_and_drop_down_lists(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    done = cli("template", "--out", str(out), state=tmp_path)
    assert done.returncode == 0
    book = load_workbook(out)
    projects = next(ws for ws in book.worksheets if "项目" in ws.title)
    headers = [c.value for c in projects[1] if c.value]
    assert any("项目名称" in str(h) for h in headers)
    assert projects.data_validations.dataValidation, "no drop-down list"
