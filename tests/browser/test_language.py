"""Switching the language keeps every choice (issue found by a user audit).

Streamlit 1.67 keeps a radio's or a list's choice in the browser as its labels; after a
switch the labels are in the other language. The page must show the same view, basemap and
filters in the new language, and keep them through the next click (the browser sends its
choices back then), and again when switching back.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import map_frame, open_sized

SIDEBAR = '[data-testid="stSidebar"]'
TYPES = f'{SIDEBAR} [data-testid="stMultiSelect"]'
CHECKED = f"() => [...document.querySelectorAll('{SIDEBAR} input[type=radio]')]" + (
    ".filter(r => r.checked).map(r => r.closest('label').innerText.trim())"
)


def _chips(pg: Any) -> list[str]:
    return [
        re.sub(r" \(\d+\)$", "", c.strip())
        for c in pg.locator(TYPES).first.locator("[data-tag] [title]").all_inner_texts()
    ]


def _kpis(pg: Any) -> list[str]:
    return [str(v).strip() for v in pg.locator('[data-testid="stMetricValue"]').all_inner_texts()]


def _switch(pg: Any, label: str) -> None:
    pg.locator(SIDEBAR).get_by_text(label, exact=True).click()
    pg.wait_for_timeout(500)
    map_frame(pg)
    pg.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        ".getAttribute('data-test-script-state') === 'notRunning'"
    )


def test_switching_language_keeps_the_view_and_every_filter(app_url: str, browser: Any) -> None:
    context, pg = open_sized(browser, app_url + "/", (1366, 900))
    try:
        pg.locator(TYPES).first.get_by_role("button", name=re.compile("^Remove 产业")).click()
        pg.wait_for_timeout(500)
        map_frame(pg)
        zh_chips, kpis = _chips(pg), _kpis(pg)
        assert "产业" not in zh_chips and len(zh_chips) == 7
        zh_checked = pg.evaluate(CHECKED)
        assert zh_checked == ["中文", "蒲江—泸定 乡镇与村", "无底图（离线可用）"], zh_checked

        _switch(pg, "English")
        en_chips = _chips(pg)
        assert len(en_chips) == 7 and "Industry" not in en_chips and "E-commerce" in en_chips
        assert len(pg.evaluate(CHECKED)) == 3, pg.evaluate(CHECKED)  # language, view, basemap
        assert _kpis(pg) == kpis

        _switch(pg, "中文")  # the browser sends its (English) choices back with this click
        assert _chips(pg) == zh_chips
        assert pg.evaluate(CHECKED) == zh_checked
        assert _kpis(pg) == kpis
        assert "none" not in pg.url, pg.url
    finally:
        context.close()
