"""Whatever an office types, prepare() either reports a problem for the row or gives rows the
atlas accepts on load: good rows with one to three cells replaced by values offices write
(right and wrong ones), fixed seed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from geo.atlas import Atlas
from ledger.mapping import detect_mapping
from ledger.prepare import prepare
from ledger.problems import SheetRefused
from ledger.read import read_sheet
from tests.unit.ledger_files import atlas_with, csv_bytes

SRC = "sc3n-2020-07-02"
VALUES = [
    *("", "大塘镇", "磨西", "寿安镇", "复兴乡", "何家山村", "510131", "513322103", "泸定县"),
    *("蒲江县", "蒲江县大塘镇八角井村", "海子环环村", "湾东村", "明月村", "八角井村"),
    *("2019", "43466", "2019-2020", "2019.3", "2021-05", "2099", "1990", "２０１８年"),
    *("１０余人", "1,000", "近500", "0", "余", "人", "场次", "培训场次", "受益干部群众"),
    *("P01", "P02", "PR05", "PR99", "培训", "电商", "agreed", "计划", "pairing", "context"),
    *("village", "township", "county", "http://a.b/c", "某日报 2021-05-10", "某日报 2019-05-10"),
]
GOOD = {
    "pairings": (
        ["结对编号", "层级", "帮扶方", "受援方", "结对形式", "结对时间", "来源", "原文"],
        ["", "township", "大塘镇", "磨西镇", "乡镇结对", "2019", SRC, "q"],
    ),
    "projects": (
        [
            "项目编号",
            "角色",
            "结对编号",
            "项目类型",
            "项目名称",
            "英文名称",
            "帮扶方",
            "受援方",
            "日期",
            "起始年份",
            "结束年份",
            "来源",
            "原文",
            "备注",
        ],
        ["", "pairing", "", "电商", "培训", "", "大塘镇", "磨西镇", "2020", "", "", SRC, "q", ""],
    ),
    "figures": (
        ["数字编号", "项目编号", "指标", "数量", "单位", "限定", "依据", "原文"],
        ["", "PR05", "培训场次", "3", "场次", "", "", "q"],
    ),
}


@pytest.mark.parametrize("kind", list(GOOD))
def test_prepared_rows_load_into_the_atlas(kind: str, atlas: Atlas, tmp_path: Path) -> None:
    headers, base = GOOD[kind]
    rnd = random.Random(kind)
    loaded = 0
    for trial in range(30):
        rows = [headers]
        for _ in range(3):
            row = list(base)
            for _ in range(rnd.randint(1, 3)):
                row[rnd.randrange(len(row))] = rnd.choice(VALUES)
            rows.append(row)
        try:
            sheet = read_sheet(csv_bytes(rows), f"{kind}.csv")
        except SheetRefused:
            continue
        result = prepare(kind, sheet, detect_mapping(kind, sheet.headers), atlas)
        blocked = {p.row for p in result.problems}
        assert not blocked & set(result.rows)
        # every data row is in the frame, has a problem, or was left out with a note
        assert {n for n, _ in sheet.rows} <= set(result.rows) | blocked
        if result.frame.empty:
            continue
        tables = {kind: result.frame}
        if len(result.sources):  # the editor completes new sources before applying
            sources = result.sources.copy()
            sources["publisher"] = sources["licence"] = "confirmed by the editor"
            sources["title"] = sources["title"].where(sources["title"] != "", "title")
            tables["sources"] = sources
        atlas_with(tmp_path / str(trial), **tables)
        loaded += 1
    assert loaded >= 5  # the test exercises real rows, not only refusals
