"""The ledger round trip as an editor and a viewer do it, in the real app and Chromium:
log in, upload an office's GBK CSV (Chinese headers, place names, pre-2020 township names),
confirm the new source, apply -> the viewer's map and panel show the new projects -> roll
back -> they are gone. On SQLite (one app process) and on a real PostgreSQL server with two
app processes: what is applied through one shows in the other."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store.auth import hash_password
from tests.browser.conftest import streamlit_server
from tests.browser.helpers import open_map, screenshot
from tests.store.conftest import drop_pg_database, new_pg_database
from tests.store.test_importing import excel_gbk_csv

PASSWORD = "ledger-test-password"
TITLE = "寿安镇茶叶种植技术培训"
SHOUAN = "510131002000"  # 寿安街道 (寿安镇 until 2019)


@pytest.fixture(scope="module")
def editors_env() -> dict[str, str]:
    return {"ATLAS_EDITORS": f"anna:{hash_password(PASSWORD)}"}


def projects_kpi(page: Any) -> int:
    values = page.locator('[data-testid="stMetricValue"]')
    values.nth(1).wait_for(timeout=60_000)
    return int(re.sub(r"\D", "", values.nth(1).inner_text()))


def viewer_sees(page: Any, base: str) -> tuple[int, bool]:
    """(the projects KPI with 寿安街道 selected, whether its panel lists the imported project).
    Of the two imported projects one is 寿安街道's (the other is 西来镇's, once 复兴乡)."""
    open_map(page, f"{base}/?unit={SHOUAN}")
    page.get_by_text("寿安街道").first.wait_for(timeout=30_000)
    return projects_kpi(page), page.get_by_text(TITLE).count() > 0


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/?page=editor")
    page.get_by_label("名字").fill("anna")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("tab", name="导入").wait_for(timeout=30_000)


def choose(page: Any, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.wait_for(timeout=30_000)
    if box.input_value() == option:
        return
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    for _ in range(120):  # the combobox shows the choice once the rerun has taken it
        if box.input_value() == option:
            break
        page.wait_for_timeout(250)
    assert box.input_value() == option
    page.wait_for_timeout(500)


def import_file(page: Any, path: Path) -> None:
    choose(page, "表", "项目")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    # The free-text source "四川日报 2020-06-01" must be confirmed before anything applies.
    try:
        page.get_by_text("确认新来源", exact=True).wait_for(timeout=60_000)
    except Exception:
        screenshot(page, "ledger-sources-missing")
        raise
    assert page.get_by_role("button", name=re.compile("应用")).count() == 0
    page.locator('input[aria-label="标题"]').fill("寿安镇茶叶培训报道")
    page.locator('input[aria-label="许可/使用条件"]').fill("引用须注明出处")
    page.get_by_role("button", name="确认来源并重新检查").click()
    page.get_by_text("将要修改").wait_for(timeout=60_000)
    screenshot(page, "ledger-preview")
    page.get_by_role("button", name=re.compile("应用：保存为新版本")).click()
    page.get_by_text("已保存为版本 2").wait_for(timeout=60_000)


def roll_back_to_1(page: Any) -> None:
    page.get_by_role("tab", name="版本").click()
    try:
        choose(page, "回滚到版本", "1")
    except Exception:
        screenshot(page, "ledger-rollback-failed")
        raise
    sure = page.get_by_text(re.compile("确认：新建一个版本"))
    go = page.get_by_role("button", name="回滚", exact=True)
    for _ in range(3):  # the tick reruns the page; the button is enabled once it has
        sure.click()
        try:
            page.wait_for_function(
                "el => !el.disabled", arg=go.element_handle(timeout=30_000), timeout=10_000
            )
            break
        except Exception:
            screenshot(page, "ledger-rollback-tick")
    go.click()
    page.get_by_text("已回滚：版本 3").wait_for(timeout=60_000)


@pytest.fixture
def upload(tmp_path: Path) -> Path:
    path = tmp_path / "蒲江县台账2020.csv"
    path.write_bytes(excel_gbk_csv())
    return path


def test_round_trip_on_sqlite(browser: Any, editors_env: dict[str, str], upload: Path) -> None:
    env = {**editors_env, "ATLAS_STATE_DIR": tempfile.mkdtemp(prefix="ledger-sqlite-")}
    with streamlit_server("ledger-sqlite.log", env) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        viewer, editor = context.new_page(), context.new_page()
        before, shown = viewer_sees(viewer, base)
        assert not shown
        log_in(editor, base)
        import_file(editor, upload)
        after, shown = viewer_sees(viewer, base)
        assert (after, shown) == (before + 1, True)
        roll_back_to_1(editor)
        assert viewer_sees(viewer, base) == (before, False)
        context.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    server, url = new_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(server, url)


def test_two_app_processes_on_postgresql_agree(
    browser: Any, editors_env: dict[str, str], upload: Path, pg_url: str
) -> None:
    env = {**editors_env, "ATLAS_DB_URL": pg_url}
    with (
        streamlit_server("ledger-pg-a.log", env) as one,
        streamlit_server("ledger-pg-b.log", env) as two,
    ):
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        editor, viewer_one, viewer_two = (context.new_page() for _ in range(3))
        before, _ = viewer_sees(viewer_two, two)
        assert viewer_sees(viewer_one, one) == (before, False)
        log_in(editor, one)
        import_file(editor, upload)  # through process one ...
        assert viewer_sees(viewer_two, two) == (before + 1, True)  # ... shown by process two
        assert viewer_sees(viewer_one, one) == (before + 1, True)
        roll_back_to_1(editor)
        assert viewer_sees(viewer_two, two) == (before, False)
        context.close()
