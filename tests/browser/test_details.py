"""The chart and the project table below the map: closed until asked for, then drawn and
kept up to date (issue 14: drawn on every filter change, they were most of a browser's work
per change). A real mouse at laptop size, the table below the fold."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.helpers import map_frame, open_details, open_sized, screenshot

TABLE = '[data-testid="stDataFrame"]'
CHART = '[data-testid="stVegaLiteChart"]'
TYPES = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'


ROWCOUNT = f"document.querySelector('{TABLE} [aria-rowcount]')?.getAttribute('aria-rowcount')"


def _wait_rows(pg: Any, rows: int) -> None:
    pg.wait_for_function(f"() => {ROWCOUNT} === '{rows + 1}'")


def _rows(pg: Any) -> int:
    """Rows the table says it has (Glide data grid: aria-rowcount counts the header too)."""
    grid = pg.locator(f"{TABLE} [aria-rowcount]").first
    return int(grid.get_attribute("aria-rowcount") or 0) - 1


def test_chart_and_table_open_on_click_and_follow_the_filters(app_url: str, browser: Any) -> None:
    context, pg = open_sized(browser, app_url + "/", (1366, 768))
    try:
        # Closed: nothing of either is on the page; the downloads are.
        assert pg.locator(TABLE).count() == 0 and pg.locator(CHART).count() == 0
        assert pg.get_by_role("button", name=re.compile("下载 CSV")).count() == 1

        open_details(pg, "项目表", TABLE)
        _wait_rows(pg, 20)
        assert _rows(pg) == 20
        chart = open_details(pg, "按年份和类型", CHART)
        chart.locator("canvas, svg").first.wait_for(state="visible")
        screenshot(pg, "details-open-laptop")

        # A filter change refills the open table (without 产业's 3 projects: 17).
        pg.locator(TYPES).first.get_by_role("button", name=re.compile("^Remove 产业")).click()
        map_frame(pg)
        _wait_rows(pg, 17)
        assert _rows(pg) == 17 and pg.locator(CHART).count() == 1

        # Closing the table takes it off the page; the chart stays open.
        pg.locator('[data-testid="stExpander"]').filter(has_text="项目表").first.locator(
            "summary"
        ).click()
        pg.locator(TABLE).first.wait_for(state="detached")
        assert pg.locator(CHART).count() == 1
    finally:
        context.close()
