"""ledger.prepare: an office's sheet becomes valid atlas rows, or problems naming row, column
and value in Chinese and English; unmatched places wait for the editor's decision."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo import columns as C
from geo.atlas import Atlas
from ledger.mapping import detect_mapping, missing_columns
from ledger.prepare import Prepared, parse_date, parse_quantity, parse_source_text, prepare
from ledger.read import read_sheet
from ledger.report import template_xlsx
from tests.unit.ledger_files import atlas_with, csv_bytes, find, xlsx_bytes

SRC = "sc3n-2020-07-02"
PAIR_HEADER = ["帮扶乡镇", "受援乡镇", "结对时间", "来源", "原文"]
PROJECT_HEADER = ["项目名称", "项目类型", "帮扶方", "受援方", "时间", "来源", "原文"]
FIGURE_HEADER = ["项目编号", "指标", "数量", "单位", "原文"]


def run(
    kind: str, rows: list[list[str]], atlas: Atlas, decisions: dict[str, str] | None = None
) -> Prepared:
    sheet = read_sheet(csv_bytes(rows), f"{kind}.csv")
    mapping = detect_mapping(kind, sheet.headers)
    return prepare(kind, sheet, mapping, atlas, decisions)


def only_problem(result: Prepared, **where: object) -> None:
    find(result.problems, **where)  # type: ignore[arg-type]
    assert len(result.problems) == 1, [p.message for p in result.problems]


# --------------------------------------------------------------------------- positive


def test_gbk_csv_saved_by_excel_with_old_names_prepares_correctly(
    atlas: Atlas, tmp_path: Path
) -> None:
    rows = [
        ["序号", "帮扶乡镇", "受援乡镇", "结对时间", "来源", "原文", "备注"],
        ["1", "寿安镇", "磨西镇", "2019年3月", SRC, "寿安镇与磨西镇结对", "旧名"],
        ["2", "复兴乡", "泸桥镇", "2019.5.6", SRC, "复兴乡与泸桥镇结对", ""],
        ["3", "甘溪镇", "得妥乡", "２０１８", SRC, "甘溪镇与得妥乡结对", ""],
    ]
    data = csv_bytes(rows, "gbk", "\r\n")
    sheet = read_sheet(data, "蒲江县结对台账.csv")
    mapping = detect_mapping("pairings", sheet.headers)
    assert mapping["序号"] is None and mapping["备注"] is None
    result = prepare("pairings", sheet, mapping, atlas)
    assert result.problems == [] and result.unmatched == [] and result.ready
    frame = result.frame
    assert list(frame.columns) == [*C.PAIRING_COLUMNS, *C.PAIRING_OPTIONAL_COLUMNS]
    assert frame["pairing_id"].tolist() == ["P05", "P06", "P07"]
    assert frame["helper_code"].tolist() == ["510131002000", "510131104000", "510131106000"]
    assert frame["partner_code"].tolist() == ["513322103000", "513322100000", "513322105000"]
    assert frame["start_date"].tolist() == ["2019-03", "2019-05-06", "2018"]
    assert frame["start_precision"].tolist() == ["month", "day", "year"]
    assert set(frame["level"]) == {"township"} and set(frame["relation_zh"]) == {"乡镇结对"}
    assert frame["quote"].tolist()[0] == "寿安镇与磨西镇结对"  # verbatim
    assert result.rows == [2, 3, 4]
    old = [n for n in result.notes if n.problem_en.startswith("old name")]
    assert [(n.row, n.column, n.value) for n in old] == [
        (2, "帮扶乡镇", "寿安镇"),
        (3, "帮扶乡镇", "复兴乡"),
        (4, "受援乡镇", "得妥乡"),
    ]
    assert "寿安街道" in old[0].problem_zh and "寿安街道" in old[0].problem_en
    assert "merged into 西来镇" in old[1].problem_en
    # the rows are valid atlas rows: the atlas loads with them added
    loaded = atlas_with(tmp_path, pairings=frame)
    assert len(loaded.pairings) == len(atlas.pairings) + 3


def test_template_filled_in_round_trips(atlas: Atlas, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = book["项目 projects"]
    ws.append(
        [
            "",
            "pairing",
            "",
            "电商",
            "直播带货培训",
            "Live-stream sales training",
            "大塘镇",
            "磨西镇",
            "2020-06",
            SRC,
            "开展直播带货培训",
            "",
        ]
    )
    ws.append(
        [
            "",
            "pairing",
            "P03",
            "产业",
            "茶叶种植指导",
            "",
            "八角井村",
            "湾东村",
            "2019-2020",
            SRC,
            "指导茶叶种植",
            "备注",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheet(out.getvalue(), "模板.xlsx", sheet="项目 projects")
    mapping = detect_mapping("projects", sheet.headers)
    assert missing_columns("projects", mapping) == []
    assert None not in mapping.values()
    result = prepare("projects", sheet, mapping, atlas)
    assert result.problems == [], [p.message for p in result.problems]
    frame = result.frame
    last = max(int(i[2:]) for i in atlas.projects["project_id"])
    assert frame["project_id"].tolist() == [f"PR{last + 1:02d}", f"PR{last + 2:02d}"]
    assert frame["pairing_id"].tolist() == ["P02", "P03"]
    assert frame["type"].tolist() == ["ecommerce", "industry"]
    assert frame[["date", "date_precision", "year_from", "year_to"]].values.tolist() == [
        ["2020-06", "month", "2020", "2020"],
        ["", "period", "2019", "2020"],
    ]
    assert frame["title_en"].tolist() == ["Live-stream sales training", "茶叶种植指导"]
    find(result.notes, row=None, column="英文名称", value="1 rows", zh="英文", en="English")
    loaded = atlas_with(tmp_path, projects=frame)
    assert set(frame["project_id"]) <= set(loaded.projects["project_id"])


def test_figures_from_template_with_vocabulary_labels(atlas: Atlas, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    ws = book["数字 figures"]
    ws.append(["", "PR05", "培训场次", "3", "场次", "", "agreed", "计划培训3场次"])
    ws.append(["", "PR05", "受益干部群众", "1,000", "人", "余", "reported", "受益1000余人"])
    ws.append(["", "PR06", "岗位招募信息", "10余", "人次", "", "", "10余人次"])
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheet(out.getvalue(), "模板.xlsx", sheet="数字 figures")
    result = prepare("figures", sheet, detect_mapping("figures", sheet.headers), atlas)
    assert result.problems == [], [p.message for p in result.problems]
    frame = result.frame
    last = max(int(i[1:]) for i in atlas.figures["figure_id"])
    columns = ["figure_id", "measure", "quantity", "unit", "qualifier", "basis"]
    assert frame[columns].values.tolist() == [
        [f"F{last + 1:02d}", "training_sessions", "3", "场次", "", "agreed"],
        [f"F{last + 2:02d}", "beneficiaries", "1000", "人", "余", "reported"],
        ["F04", "job_postings", "10", "人次", "余", "reported"],  # PR06's job postings: F04
    ]
    assert frame["measure_zh"].tolist()[0] == "培训场次"
    assert frame["measure_en"].tolist()[0] == "training sessions"
    find(result.notes, row=3, column="数量", value="1,000", zh="1000", en="1000")
    find(result.notes, row=None, column="依据", value="1 rows", zh="reported", en="reported")
    find(result.notes, row=4, column="数字编号", value=None, zh="F04", en="updates it")
    atlas_with(tmp_path, figures=frame)


def test_project_finds_its_pairing_from_helper_and_partner(atlas: Atlas) -> None:
    rows = [
        PROJECT_HEADER,
        ["村结对交流", "党建", "蒲江县大塘镇八角井村", "泸定县得妥镇湾东村", "2019", SRC, "q1"],
        ["镇干部交流", "党建", "大塘镇", "泸定县", "2019", SRC, "q2"],
    ]
    result = run("projects", rows, atlas)
    assert result.problems == []
    assert result.frame["pairing_id"].tolist() == ["P03", "P01"]


def test_figure_names_its_project_by_title(atlas: Atlas) -> None:
    title = atlas.projects.loc[atlas.projects["project_id"] == "PR05", "title_zh"].iloc[0]
    rows = [["项目名称", "指标", "数量", "原文"], [title, "培训场次", "4场次", "q"]]
    result = run("figures", rows, atlas)
    assert result.problems == []
    assert result.frame[["project_id", "quantity", "unit"]].values.tolist() == [
        ["PR05", "4", "场次"]
    ]


def test_place_split_across_columns(atlas: Atlas) -> None:
    rows = [
        ["帮扶县", "帮扶乡镇", "帮扶村", "受援乡镇（街道）", "受援村（社区）", "来源", "原文"],
        ["蒲江县", "甘溪镇", "明月村", "泸桥镇", "海子环环村", SRC, "q"],
    ]
    result = run("pairings", rows, atlas)
    assert result.problems == []
    row = result.frame.iloc[0]
    assert (row["helper_code"], row["partner_code"], row["level"]) == (
        "510131106205",
        "513322100220",
        "village",
    )


def test_existing_ids_are_kept(atlas: Atlas) -> None:
    rows = [["结对编号", *PAIR_HEADER], ["P02", "大塘镇", "磨西镇", "2019", SRC, "q"]]
    result = run("pairings", rows, atlas)
    assert result.problems == [] and result.frame["pairing_id"].tolist() == ["P02"]


def test_free_text_source_becomes_a_source_row_to_confirm(atlas: Atlas) -> None:
    rows = [
        PAIR_HEADER,
        ["大塘镇", "磨西镇", "2019", "四川日报 2021-05-10", "q1"],
        ["成佳镇", "兴隆镇", "2019", "四川日报 2021-05-10", "q2"],
        ["西来镇", "冷碛镇", "2019", "https://example.org/a.html", "q3"],
    ]
    result = run("pairings", rows, atlas)
    assert result.problems == []
    assert result.frame["source_id"].tolist() == ["import-01", "import-01", "import-02"]
    assert list(result.sources.columns) == list(C.SOURCE_COLUMNS)
    first, second = result.sources.to_dict("records")
    assert (first["publisher"], first["date"], first["title"], first["url"]) == (
        "四川日报",
        "2021-05-10",
        "",
        "",
    )
    assert (second["url"], second["publisher"], second["title"]) == (
        "https://example.org/a.html",
        "",
        "",
    )
    assert "四川日报 2021-05-10" in first["note"]  # the cell kept verbatim
    find(
        result.notes,
        row=2,
        column="来源",
        value="四川日报 2021-05-10",
        zh="编辑确认",
        en="must confirm",
    )


def test_editor_decisions_settle_unmatched_places(atlas: Atlas) -> None:
    rows = [
        PAIR_HEADER,
        ["大糖镇", "磨西镇", "2019", SRC, "q1"],
        ["某某镇", "兴隆镇", "2019", SRC, "q2"],
    ]
    first = run("pairings", rows, atlas)
    assert [u.key for u in first.unmatched] == ["2:帮扶乡镇", "3:帮扶乡镇"]
    assert first.unmatched[0].suggestions[0][:2] == ("510131101000", "大塘镇（蒲江县）")
    assert not first.ready and first.frame.empty
    decided = run("pairings", rows, atlas, {"2:帮扶乡镇": "510131101000", "3:帮扶乡镇": ""})
    assert decided.ready
    assert decided.frame["helper_code"].tolist() == ["510131101000"]
    find(decided.notes, row=3, column=None, value=None, zh="不导入", en="left out")
    bad = run("pairings", rows, atlas, {"2:帮扶乡镇": "999999999999", "3:帮扶乡镇": ""})
    find(bad.problems, row=2, column="帮扶乡镇", value="999999999999", zh="现行单位", en="current")


def test_reimporting_the_atlas_rows_without_ids_keeps_their_ids(atlas: Atlas) -> None:
    p = atlas.pairings
    # With the round: a pair stated in two rounds (锦江区→炉霍县 R1 and R2) is two records.
    rows = [["帮扶方", "受援方", "轮次", "结对时间", "来源", "原文"]] + [
        [h, q, r, d, s, t]
        for h, q, r, d, s, t in zip(
            p["helper_code"],
            p["partner_code"],
            p["round"],
            p["start_date"],
            p["source_id"],
            p["quote"],
            strict=True,
        )
    ]
    result = run("pairings", rows, atlas)
    assert result.problems == []
    assert result.frame["pairing_id"].tolist() == p["pairing_id"].tolist()
    columns = [
        "pairing_id",
        "level",
        "helper_code",
        "partner_code",
        "start_date",
        "start_precision",
    ]
    assert result.frame[columns].values.tolist() == p[columns].values.tolist()


def test_a_mapping_from_the_editor_is_checked(atlas: Atlas) -> None:
    sheet = read_sheet(
        csv_bytes([["甲", "乙", "丙", "丁"], ["大塘镇", "磨西镇", SRC, "q"]]), "m.csv"
    )
    mapping: dict[str, str | None] = {
        "甲": "helper_code",
        "乙": "helper_code",
        "丙": "source_id",
        "丁": "title_zh",
    }
    result = prepare("pairings", sheet, mapping, atlas)
    find(
        result.problems,
        row=1,
        column="乙",
        value="helper_code",
        zh="同一列",
        en="same column as '甲'",
    )
    find(
        result.problems,
        row=1,
        column="丁",
        value="title_zh",
        zh="不是这类数据的列",
        en="pairings do not have",
    )
    assert result.frame.empty and not result.ready


def test_two_columns_with_one_header(atlas: Atlas) -> None:
    rows = [["帮扶方", "受援方", "来源", "原文", "原文"], ["大塘镇", "磨西镇", SRC, "q", "r"]]
    result = run("pairings", rows, atlas)
    only_problem(result, row=1, column="原文", value=None, zh="有 2 列同名", en="2 columns")


# --------------------------------------------------------------------------- problems


def test_missing_required_header(atlas: Atlas) -> None:
    result = run("pairings", [["帮扶方", "来源", "原文"], ["大塘镇", SRC, "q"]], atlas)
    only_problem(result, row=1, column=None, value="partner_code", zh="缺少必需的列", en="missing")
    assert result.frame.empty


def test_unknown_place(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "火星镇", "2019", SRC, "q"]], atlas)
    only_problem(result, row=2, column="受援乡镇", value="火星镇", zh="找不到", en="no unit")
    assert result.unmatched[0].value == "火星镇"


def test_abolished_place_is_reported(atlas: Atlas) -> None:
    rows = [["帮扶村", "受援村", "来源", "原文"], ["八角井村", "何家山村", SRC, "q"]]
    result = run("pairings", rows, atlas)
    hit = find(
        result.problems, row=2, column="受援村", value="何家山村", zh="已撤销", en="abolished"
    )
    assert "successor unknown" in hit.problem_en


def test_fuzzy_near_miss_is_only_suggested(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨溪镇", "2019", SRC, "q"]], atlas)
    hit = find(result.problems, row=2, column="受援乡镇", value="磨溪镇", zh="磨西镇", en="磨西镇")
    assert "513322103000" in hit.suggestion_en
    assert result.unmatched[0].suggestions[0][0] == "513322103000"


def test_probable_alias_is_never_resolved(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "新兴乡", "2019", SRC, "q"]], atlas)
    hit = find(
        result.problems,
        row=2,
        column="受援乡镇",
        value="新兴乡",
        zh="未经证实",
        en="not established",
    )
    assert result.unmatched[0].suggestions[0][0] == "513322104000"
    assert "燕子沟镇" in hit.suggestion_zh


def test_duplicate_rows(atlas: Atlas) -> None:
    row = ["大塘镇", "磨西镇", "2019", SRC, "q"]
    result = run("pairings", [PAIR_HEADER, row, ["成佳镇", "兴隆镇", "2019", SRC, "q"], row], atlas)
    only_problem(result, row=4, column=None, value=None, zh="与第 2 行重复", en="duplicates row 2")
    assert len(result.frame) == 2


def test_duplicate_ids(atlas: Atlas) -> None:
    rows = [
        ["结对编号", *PAIR_HEADER],
        ["P09", "大塘镇", "磨西镇", "2019", SRC, "q"],
        ["P09", "成佳镇", "兴隆镇", "2019", SRC, "q"],
    ]
    result = run("pairings", rows, atlas)
    only_problem(
        result, row=3, column="结对编号", value="P09", zh="编号与第 2 行重复", en="duplicates row 2"
    )


def test_bad_id(atlas: Atlas) -> None:
    rows = [["结对编号", *PAIR_HEADER], ["9 号", "大塘镇", "磨西镇", "2019", SRC, "q"]]
    only_problem(
        run("pairings", rows, atlas),
        row=2,
        column="结对编号",
        value="9 号",
        zh="字母开头",
        en="starts with a letter",
    )


def test_missing_project_reference(atlas: Atlas) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR99", "培训场次", "3", "场次", "q"]], atlas)
    only_problem(
        result, row=2, column="项目编号", value="PR99", zh="没有这个项目编号", en="no project"
    )


def test_unknown_project_title_suggests_the_nearest(atlas: Atlas) -> None:
    rows = [["项目名称", "指标", "数量", "原文"], ["网店建设与运营培训", "培训场次", "3场次", "q"]]
    hit = find(
        run("figures", rows, atlas).problems,
        row=2,
        column="项目名称",
        value="网店建设与运营培训",
        zh="没有这个名称",
        en="no project",
    )
    assert "PR01" in hit.suggestion_en


def test_missing_pairing_reference(atlas: Atlas) -> None:
    rows = [
        ["结对编号", *PROJECT_HEADER],
        ["P99", "培训", "培训", "大塘镇", "磨西镇", "2019", SRC, "q"],
    ]
    only_problem(
        run("projects", rows, atlas),
        row=2,
        column="结对编号",
        value="P99",
        zh="没有这个结对编号",
        en="no pairing",
    )


def test_project_between_unpaired_places(atlas: Atlas) -> None:
    # 大邑县 is paired with no one (成佳镇 -> 兴隆镇 would fit the county pairing P01)
    rows = [PROJECT_HEADER, ["培训", "培训", "大邑县", "兴隆镇", "2019", SRC, "q"]]
    only_problem(
        run("projects", rows, atlas),
        row=2,
        column="受援方",
        value="兴隆镇",
        zh="没有连接 大邑县 与 兴隆镇",
        en="no pairing",
    )
    rows = [PROJECT_HEADER, ["培训", "培训", "成佳镇", "兴隆镇", "2019", SRC, "q"]]
    assert run("projects", rows, atlas).frame["pairing_id"].tolist() == ["P01"]


@pytest.mark.parametrize(
    ("header", "value", "nearest"),
    [("项目类型", "電商", "ecommerce"), ("项目类型", "扶贫", None)],
)
def test_unknown_type(atlas: Atlas, header: str, value: str, nearest: str | None) -> None:
    rows = [PROJECT_HEADER, ["直播", value, "大塘镇", "磨西镇", "2019", SRC, "q"]]
    hit = find(
        run("projects", rows, atlas).problems,
        row=2,
        column=header,
        value=value,
        zh="不在允许的取值中",
        en="not an allowed value",
    )
    assert "ecommerce" in hit.problem_en
    if nearest:
        assert nearest in hit.suggestion_en


def test_unknown_unit(atlas: Atlas) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR05", "培训场次", "3", "堂", "q"]], atlas)
    only_problem(
        result, row=2, column="单位", value="堂", zh="不在允许的取值中", en="nearest allowed value"
    )


def test_unknown_measure(atlas: Atlas) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR05", "满意度", "3", "人", "q"]], atlas)
    only_problem(
        result,
        row=2,
        column="指标",
        value="满意度",
        zh="不在允许的取值中",
        en="not an allowed value",
    )


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("-3", "负数", "negative"),
        ("三", "应为数字", "expected a number"),
        ("2e5", "应为数字", "expected a number"),
        ("20000000000", "过大", "too large"),
    ],
)
def test_bad_quantity(atlas: Atlas, value: str, zh: str, en: str) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR05", "培训场次", value, "场次", "q"]], atlas)
    only_problem(result, row=2, column="数量", value=value, zh=zh, en=en)


def test_unit_in_quantity_clashing_with_unit_column(atlas: Atlas) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR05", "培训场次", "10余人", "场次", "q"]], atlas)
    only_problem(result, row=2, column="单位", value="场次", zh="人", en="人")


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("2019-02-30", "没有这一天", "no such day"),
        ("去年", "看不懂这个日期", "cannot read"),
        ("2019年13月", "月份", "month"),
        ("1887", "年份应在", "year must be"),
        ("2020-2019", "结束年份早于", "end year"),
    ],
)
def test_bad_dates(atlas: Atlas, value: str, zh: str, en: str) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", value, SRC, "q"]], atlas)
    only_problem(result, row=2, column="结对时间", value=value, zh=zh, en=en)


def test_pairing_dated_by_a_period(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "2019-2020", SRC, "q"]], atlas)
    only_problem(
        result, row=2, column="结对时间", value="2019-2020", zh="不是时段", en="not a period"
    )


def test_places_at_different_levels(atlas: Atlas) -> None:
    rows = [["帮扶方", "受援方", "来源", "原文"], ["大塘镇", "湾东村", SRC, "q"]]
    only_problem(
        run("pairings", rows, atlas),
        row=2,
        column="受援方",
        value="湾东村",
        zh="不在同一层级",
        en="same level",
    )


def test_helper_and_partner_in_one_prefecture(atlas: Atlas) -> None:
    rows = [["帮扶方", "受援方", "来源", "原文"], ["大塘镇", "甘溪镇", SRC, "q"]]
    only_problem(
        run("pairings", rows, atlas),
        row=2,
        column="受援方",
        value="甘溪镇",
        zh="不同的市州",
        en="different prefectures",
    )


def test_empty_required_cells(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "2019", SRC, ""]], atlas)
    only_problem(
        result, row=2, column="原文", value="", zh="原文不能为空", en="quote must not be empty"
    )


def test_sheet_problems_block_the_import(atlas: Atlas) -> None:
    data = xlsx_bytes([PAIR_HEADER, ["大塘镇", "磨西镇", "=2018+1", SRC, "q"]])
    sheet = read_sheet(data, "f.xlsx")
    result = prepare("pairings", sheet, detect_mapping("pairings", sheet.headers), atlas)
    assert not result.ready
    find(result.problems, row=2, column="结对时间", value="=2018+1", zh="公式", en="formula")


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", ("2019", "year")),
        ("2019年", ("2019", "year")),
        ("２０１９年３月", ("2019-03", "month")),
        ("2019.3", ("2019-03", "month")),
        ("2019/3/5", ("2019-03-05", "day")),
        ("2019年3月5日", ("2019-03-05", "day")),
        ("2019-03-05 00:00:00", ("2019-03-05", "day")),
        ("43466", ("2019-01-01", "day")),
        ("", ("", "undated")),
    ],
)
def test_dates_in_office_forms(text: str, expected: tuple[str, str]) -> None:
    parsed = parse_date(text)
    assert (parsed.date, parsed.precision) == expected


def test_serial_date_is_noted(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "43466", SRC, "q"]], atlas)
    assert result.frame["start_date"].tolist() == ["2019-01-01"]
    find(result.notes, row=2, column="结对时间", value="43466", zh="2019-01-01", en="serial")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000", ("1000", None, None)),
        ("１０", ("10", None, None)),
        ("10余", ("10", "余", None)),
        ("100多人次", ("100", "余", "人次")),
        ("近500人", ("500", "近", "人")),
        ("不少于3次", ("3", "不少于", "次")),
        ("20万元", ("20", None, "万元")),
        ("103.5亩", ("103.5", None, "亩")),
    ],
)
def test_quantities_as_offices_type_them(
    text: str, expected: tuple[str, str | None, str | None]
) -> None:
    q = parse_quantity(text)
    assert (q.number, q.qualifier, q.unit) == expected


def test_source_text_parsing_never_guesses() -> None:
    assert parse_source_text("《蒲泸结对》 四川三农新闻网 2020年7月2日") == {
        "title": "蒲泸结对",
        "publisher": "四川三农新闻网",
        "date": "2020-07-02",
        "url": "",
    }
    assert parse_source_text("张三口述") == {
        "title": "张三口述",
        "publisher": "",
        "date": "",
        "url": "",
    }


def test_prepared_frame_is_text_with_exact_columns(atlas: Atlas) -> None:
    result = run("figures", [FIGURE_HEADER, ["PR05", "培训场次", "3", "场次", "q"]], atlas)
    assert list(result.frame.columns) == list(C.FIGURE_COLUMNS)
    assert all(isinstance(v, str) for v in result.frame.iloc[0].tolist())
    assert isinstance(result.frame, pd.DataFrame)


def test_source_named_by_its_address_is_the_existing_source(atlas: Atlas) -> None:
    url = atlas.sources.loc[atlas.sources["source_id"] == SRC, "url"].iloc[0]
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "2019", url + "/", "q"]], atlas)
    assert result.frame["source_id"].tolist() == [SRC] and result.sources.empty
    find(result.notes, row=2, column="来源", value=url + "/", zh=SRC, en=SRC)


def test_place_outside_the_usual_county_is_noted(atlas: Atlas) -> None:
    rows = [["帮扶方", "受援方", "来源", "原文"], ["大邑县", "泸定县", SRC, "q"]]
    result = run("pairings", rows, atlas)
    assert result.problems == [] and result.frame["helper_code"].tolist() == ["510129"]
    find(result.notes, row=2, column="帮扶方", value="大邑县", zh="蒲江县", en="蒲江县")


def test_figure_without_any_unit(atlas: Atlas) -> None:
    rows = [["项目编号", "指标", "数量", "原文"], ["PR05", "培训场次", "3", "q"]]
    only_problem(
        run("figures", rows, atlas),
        row=2,
        column="unit",
        value="",
        zh="单位不能为空",
        en="unit must not be empty",
    )


def test_relation_from_the_level_is_one_note_per_file(atlas: Atlas) -> None:
    rows = [
        PAIR_HEADER,
        ["大塘镇", "磨西镇", "2019", SRC, "q"],
        ["成佳镇", "兴隆镇", "2019", SRC, "q"],
    ]
    result = run("pairings", rows, atlas)
    assert result.frame["relation_en"].tolist() == ["township pairing"] * 2
    find(
        result.notes,
        row=None,
        column="relation_zh",
        value="2 rows",
        zh="乡镇结对",
        en="township pairing",
    )


@pytest.mark.parametrize(("text", "expected"), [("20190305", "2019-03-05"), ("201903", "2019-03")])
def test_compact_dates(text: str, expected: str) -> None:
    assert parse_date(text).date == expected


def test_date_after_its_source_was_published(atlas: Atlas) -> None:
    result = run("pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "2021-03", SRC, "q"]], atlas)
    only_problem(
        result,
        row=2,
        column="结对时间",
        value="2021-03",
        zh="晚于所引来源",
        en="later than the publication year 2020",
    )
    rows = [PROJECT_HEADER, ["直播", "电商", "大塘镇", "磨西镇", "2019-2021", SRC, "q"]]
    only_problem(
        run("projects", rows, atlas), row=2, column="时间", value="2019-2021", zh="2020", en="2020"
    )


def test_free_text_source_dated_in_the_future(atlas: Atlas) -> None:
    result = run(
        "pairings", [PAIR_HEADER, ["大塘镇", "磨西镇", "2019", "某日报 2999-01-02", "q"]], atlas
    )
    only_problem(
        result, row=2, column="来源", value="某日报 2999-01-02", zh="在未来", en="in the future"
    )


def test_replacing_a_pairing_must_keep_its_projects_inside(atlas: Atlas) -> None:
    rows = [["结对编号", *PAIR_HEADER], ["P02", "成佳镇", "兴隆镇", "2019", SRC, "q"]]
    result = run("pairings", rows, atlas)
    linked = atlas.projects.loc[atlas.projects["pairing_id"] == "P02", "project_id"].tolist()
    hit = find(
        result.problems, row=2, column="帮扶乡镇", value=None, zh="不再属于它", en="outside it"
    )
    assert linked and all(p in hit.problem_en for p in linked)
    assert result.frame.empty


def test_a_month_excel_may_have_cut_short_is_refused_not_guessed() -> None:
    """2020.10 typed in a General cell is stored by Excel as 2020.1: never read as January."""
    import pytest as _pytest

    from ledger.prepare import parse_date

    with _pytest.raises(ValueError) as err:
        parse_date("2020.1")
    zh, en = err.value.args
    assert "2020-01 或 2020-10" in zh and "2020-01 or 2020-10" in en
    assert parse_date("2020.11").date == "2020-11"
    assert parse_date("2020.01").date == "2020-01"


def test_a_year_written_as_a_number_is_the_year() -> None:
    from ledger.prepare import parse_date

    assert (parse_date("2019.0").date, parse_date("2019.0").precision) == ("2019", "year")
    assert parse_date("２０１９．０").date == "2019"
