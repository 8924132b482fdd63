"""An office's sheet through the store: check, confirm, apply as a version, roll back. On
SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from geo.atlas import load_atlas
from store.core import Change, StaleVersion, Store
from store.importing import apply_import, check_import

HEADERS = "项目名称,项目类型,帮扶乡镇,受援乡镇,实施时间,来源,原文"
ROWS = [
    "寿安镇茶叶种植技术培训,产业,寿安镇,磨西镇,2020年5月,四川日报 2020-06-01,"
    "寿安镇到磨西镇开展茶叶种植技术培训",
    "复兴乡劳务协作对接,就业,复兴乡,磨西镇,2020,sc3n-2020-07-02,复兴乡与磨西镇开展劳务协作对接",
]
CONFIRM = {"import-01": {"title": "寿安镇茶叶培训报道", "licence": "引用须注明出处"}}


def excel_gbk_csv(headers: str = HEADERS, rows: list[str] = ROWS) -> bytes:
    """What Excel writes for 'CSV (逗号分隔)' on a Chinese Windows: GBK, CRLF."""
    return ("\r\n".join([headers, *rows]) + "\r\n").encode("gbk")


def test_a_gbk_csv_with_chinese_headers_and_old_names_imports(store: Store) -> None:
    data = excel_gbk_csv()
    first = check_import(store, data, "台账.csv", "projects")
    assert not first.ready and first.new_files is None
    [problem] = first.problems
    assert (problem.file, problem.value) == ("台账.csv", "import-01")
    assert "title" in problem.problem_en and "licence" in problem.problem_en
    assert "需要编辑确认" in problem.problem_zh
    assert store.latest() == 1

    check = check_import(store, data, "台账.csv", "projects", sources=CONFIRM)
    assert check.ready, check.problems
    assert {n.value for n in check.notes} >= {"寿安镇", "复兴乡"}  # old names, said so
    assert check.diff["projects.csv"].counts() == {"added": 2, "removed": 0, "changed": 0}
    version = apply_import(store, check, "anna")
    assert (version.id, version.editor, version.file_name, version.action) == (
        2,
        "anna",
        "台账.csv",
        "import",
    )
    assert version.checksum == check.checksum and len(version.checksum) == 64
    atlas = load_atlas(store.materialize(2))
    new = atlas.projects[atlas.projects["title_zh"].str.contains("寿安镇茶叶|复兴乡劳务")]
    # 寿安镇 (until 2019) is 寿安街道 today; 复兴乡 was merged into 西来镇.
    assert sorted(new["helper_code"]) == ["510131002000", "510131104000"]
    assert set(new["partner_code"]) == {"513322103000"}
    source = atlas.sources.set_index("source_id").loc["import-01"]
    assert (source["title"], source["publisher"], source["date"]) == (
        "寿安镇茶叶培训报道",
        "四川日报",
        "2020-06-01",
    )

    store.rollback(1, "anna")
    assert store.files(3) == store.files(1)
    assert len(load_atlas(store.materialize(3)).projects) == len(atlas.projects) - 2


def test_an_import_checked_before_another_is_refused_at_apply(store: Store) -> None:
    check = check_import(store, excel_gbk_csv(), "a.csv", "projects", sources=CONFIRM)
    assert check.ready
    other = store.files(1)
    other["projects.csv"] = other["projects.csv"].replace(
        "电子商务专题培训".encode(), "电商培训".encode()
    )
    store.apply(Change(base=1, files=other, action="import", editor="bo"))
    with pytest.raises(StaleVersion):
        apply_import(store, check, "anna")
    assert store.latest() == 2 and len(store.versions()) == 2


def test_a_refused_file_changes_nothing(store: Store) -> None:
    before = store.files(1)
    bad = excel_gbk_csv(rows=["某项目,产业,不存在镇,磨西镇,2020,sc3n-2020-07-02,某原文"])
    check = check_import(store, bad, "bad.csv", "projects", sources=CONFIRM)
    assert not check.ready and check.unmatched
    [u] = check.unmatched
    assert (u.row, u.column, u.value) == (2, "帮扶乡镇", "不存在镇")
    with pytest.raises(ValueError):
        apply_import(store, check, "anna")
    assert store.latest() == 1 and store.files(1) == before


def test_leaving_an_unmatched_row_out_imports_the_others(store: Store) -> None:
    rows = [*ROWS, "某项目,产业,不存在镇,磨西镇,2020,sc3n-2020-07-02,某原文"]
    data = excel_gbk_csv(rows=rows)
    check = check_import(
        store, data, "a.csv", "projects", sources=CONFIRM, decisions={"4:帮扶乡镇": ""}
    )
    assert check.ready, check.problems
    assert check.diff["projects.csv"].counts()["added"] == 2


def test_the_whole_atlas_is_validated_and_pointed_back_at_the_sheet(store: Store) -> None:
    # A project dated after its source was published: only the merged atlas can tell.
    rows = ["后来的项目,产业,大塘镇,磨西镇,2021,sc3n-2020-07-02,某原文"]
    check = check_import(store, excel_gbk_csv(rows=rows), "late.csv", "projects")
    assert not check.ready
    assert any(p.file == "late.csv" and p.row == 2 for p in check.problems), check.problems
    assert store.latest() == 1


def test_a_mapping_chosen_once_is_remembered_for_the_same_headers(store: Store) -> None:
    headers = "名堂,项目类型,帮扶乡镇,受援乡镇,实施时间,来源,原文"
    rows = ["大塘镇电商培训二期,电商,大塘镇,磨西镇,2020,sc3n-2020-07-02,某原文"]
    data = excel_gbk_csv(headers, rows)
    first = check_import(store, data, "a.csv", "projects")
    assert "title_zh" in first.missing
    mapping = {**first.mapping, "名堂": "title_zh"}
    check = check_import(store, data, "a.csv", "projects", mapping=mapping)
    assert check.ready, check.problems
    apply_import(store, check, "anna")
    rows2 = ["大塘镇电商培训三期,电商,大塘镇,磨西镇,2020,sc3n-2020-07-02,某原文"]
    again = check_import(store, excel_gbk_csv(headers, rows2), "b.csv", "projects")
    assert again.missing == [] and again.mapping["名堂"] == "title_zh"


def test_updating_a_record_never_erases_what_the_sheet_leaves_blank(store: Store) -> None:
    """An office sheet that names a pair the atlas has (大塘镇→磨西镇, P02) with a new quote but
    no date and no relation updates the quote and keeps the rest (it used to erase the date
    and write a relation made up from the level)."""
    headers = "帮扶方,受援方,结对时间,来源,原文"
    rows = ["大塘镇,磨西镇,,sc3n-2020-07-02,大塘镇和磨西镇结对帮扶"]
    check = check_import(store, excel_gbk_csv(headers, rows), "p.csv", "pairings")
    assert check.ready, check.problems
    changed = check.diff["pairings.csv"].changed
    assert list(changed) == ["P02"] and set(changed["P02"]) == {"quote"}
    apply_import(store, check, "anna")
    before = load_atlas(store.materialize(1)).pairings.set_index("pairing_id").loc["P02"]
    after = load_atlas(store.materialize(2)).pairings.set_index("pairing_id").loc["P02"]
    assert after["quote"] == "大塘镇和磨西镇结对帮扶"
    for column in ("start_date", "start_precision", "relation_zh", "relation_en", "level"):
        assert after[column] == before[column], column


def test_the_kind_is_told_by_the_headers_and_the_template_sheet_is_found(store: Store) -> None:
    import io

    from openpyxl import load_workbook

    from ledger.report import template_xlsx

    check = check_import(store, excel_gbk_csv(), "a.csv", "auto", sources=CONFIRM)
    assert check.kind == "projects" and check.ready
    # The template's 项目 sheet, filled in, imports as projects although 结对 comes first.
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["项目 projects"]
    headers = [c.value for c in sheet[1]]
    values = {
        "项目名称": "大塘镇电商培训二期",
        "项目类型": "电商",
        "帮扶方": "大塘镇",
        "受援方": "磨西镇",
        "日期": "2020",
        "来源": "sc3n-2020-07-02",
        "原文": "某原文",
    }
    row = [
        next((v for k, v in values.items() if h and str(h).startswith(k)), None) for h in headers
    ]
    first_data_row = sheet.max_row + 1
    for column, value in enumerate(row, start=1):
        sheet.cell(first_data_row, column, value)
    out = io.BytesIO()
    book.save(out)
    filled = check_import(store, out.getvalue(), "模板.xlsx", "projects")
    assert filled.sheet == "项目 projects", (filled.sheet, filled.sheet_names)
    assert filled.ready, (filled.missing, filled.problems)
    assert filled.diff["projects.csv"].counts()["added"] == 1


def test_an_unknown_type_is_explained_in_chinese_words(store: Store) -> None:
    rows = ["大塘镇宣传活动,宣传,大塘镇,磨西镇,2020,sc3n-2020-07-02,某原文"]
    check = check_import(store, excel_gbk_csv(rows=rows), "t.csv", "projects")
    [problem] = [p for p in check.problems if p.value == "宣传"]
    assert "产业、" in problem.problem_zh and "industry" not in problem.problem_zh
    assert "industry" in problem.problem_en


def test_replacing_a_table_says_which_rows_others_still_use(store: Store) -> None:
    check = check_import(
        store, excel_gbk_csv(), "new.csv", "projects", sources=CONFIRM, mode="replace"
    )
    assert not check.ready and check.new_files is None
    used = {p.value for p in check.problems}
    assert "PR05" in used  # F02 counts it
    [pr05] = [p for p in check.problems if p.value == "PR05"]
    assert pr05.file == "new.csv" and "F02" in pr05.problem_zh and "F02" in pr05.problem_en
    assert store.latest() == 1


def test_a_round_column_places_a_pair_in_its_round(store: Store) -> None:
    headers = "层级,帮扶方,受援方,轮次,来源,原文"
    rows = ["县,新津区,泸定县,第一轮,sc3n-2020-07-02,某原文"]
    check = check_import(store, excel_gbk_csv(headers, rows), "r.csv", "pairings")
    assert check.ready, check.problems
    [added] = check.diff["pairings.csv"].added
    apply_import(store, check, "anna")
    row = load_atlas(store.materialize(2)).pairings.set_index("pairing_id").loc[added]
    assert (row["round"], row["period_kind"], row["level"]) == ("R1", "round", "county")
