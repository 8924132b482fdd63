"""Filters, URL state and the downloadable table (pure functions)."""

from __future__ import annotations

import io

import pandas as pd

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.export import project_table, to_csv_bytes, to_xlsx_bytes
from geo.filters import Filters, apply_filters, type_counts, year_bounds
from geo.tour import tour_steps
from ui.md import md
from ui.urlstate import ViewState, parse_query, to_query


def test_type_filter_keeps_only_pairs_with_that_help(atlas: Atlas) -> None:
    shown = apply_filters(atlas, Filters(types=frozenset({"ecommerce"})))
    assert set(shown.projects.loc[shown.projects["role"] == "pairing", "project_id"]) == {
        "PR01",
        "PR15",
    }
    assert set(shown.pairings["pairing_id"]) == {"P01", "P02"}
    assert set(shown.figures["project_id"]) <= set(shown.projects["project_id"])


def test_year_filter_accumulates_pairings_and_overlaps_projects(atlas: Atlas) -> None:
    atlas = view_atlas(atlas, "detail")  # the county pairs of every round are the overview's
    upto_2017 = apply_filters(atlas, Filters(year_to=2017))
    assert set(upto_2017.pairings["pairing_id"]) == {
        "P01",
        "P03",
    }  # county (undated) + 2017 village
    only_2020 = apply_filters(atlas, Filters(year_from=2020, year_to=2020))
    assert "PR19" not in set(only_2020.projects["project_id"])  # 2019-12 exhibition
    assert "PR20" in set(only_2020.projects["project_id"])  # 2020-03 incubator


def test_level_and_unit_filters(atlas: Atlas) -> None:
    villages = apply_filters(atlas, Filters(levels=frozenset({"village"})))
    assert set(villages.pairings["pairing_id"]) == {"P03", "P04"}
    ganxi = apply_filters(atlas, Filters(unit="510131106000"))
    assert set(ganxi.pairings["pairing_id"]) == {"P01", "P04"}
    assert set(ganxi.projects["helper_code"]) <= {"510131106000", "510131106205"}


def test_counts_and_bounds(atlas: Atlas) -> None:
    counts = type_counts(atlas)
    assert sum(counts.values()) == 20 and counts["employment"] == 1  # PR21 is context
    # The detail view: the first stated pairing, 2017; the overview: 青羊→得荣 "since 2000"
    # to 郫都→道孚's 2026 meeting.
    assert year_bounds(view_atlas(atlas, "detail")) == (2017, 2020)
    assert year_bounds(view_atlas(atlas, "overview")) == (2000, 2026)
    assert apply_filters(atlas, Filters()) is atlas


def test_url_round_trip_and_notices() -> None:
    codes = {"510131101000"}
    params = {
        "lang": "en",
        "mode": "present",
        "types": "party,ecommerce",
        "from": "2017",
        "to": "2019",
        "level": "township,village",
        "unit": "510131101000",
    }
    state, notices = parse_query(params, codes, (2015, 2020))
    assert notices == []
    assert state.filters.types == frozenset({"party", "ecommerce"})
    assert state.filters.year_to == 2019
    again, _ = parse_query(to_query(state), codes, (2015, 2020))
    assert again == state
    assert to_query(ViewState()) == {}
    _, notices = parse_query({"types": "x", "unit": "999", "foo": "1"}, codes, (2015, 2020))
    assert {n.param for n in notices} == {"types", "unit", "foo"}
    assert "已忽略链接参数" in notices[0].text("zh") and "Ignored" in notices[0].text("en")


def test_export_is_excel_friendly_and_formula_safe(atlas: Atlas) -> None:
    table = project_table(atlas, "zh")
    assert len(table) == 20 and list(table.columns)[:3] == ["编号", "类型", "项目"]
    row = table.set_index("编号").loc["PR11"]
    assert "花椒种植 575亩" in row["数据"]
    hostile = table.copy()
    hostile.loc[0, "项目"] = '=HYPERLINK("http://x")'
    data = to_csv_bytes(hostile)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert str(back.loc[0, "项目"]).startswith("'=")
    xlsx = pd.read_excel(io.BytesIO(to_xlsx_bytes(hostile)))
    assert str(xlsx.loc[0, "项目"]).startswith("'=") and len(xlsx) == 20
    en = project_table(atlas, "en").set_index("ID")
    assert "over 200,000 yuan" in str(en.loc["PR09", "Figures"])  # 20余万元, read naturally
    # Only the language's half of a bilingual partner note.
    assert en.loc["PR03", "Note"] == "township or village not specified"
    assert table.set_index("编号").loc["PR03", "说明"] == "未具体到乡镇或村"


def test_project_table_figures_are_each_projects_own_in_order(atlas: Atlas) -> None:
    """The table looks figures up per project in a grouping built once: the same text as
    filtering the figures table for each project (several figures, in the table's order;
    none: an empty cell)."""
    from geo.export import _figures_text

    per_project = atlas.figures["project_id"].value_counts()
    assert per_project.max() > 1  # the bundled data has a project with several figures
    for lang in ("zh", "en"):
        table = project_table(atlas, lang)
        column = table.columns[7]
        for pid, text in zip(table.iloc[:, 0], table[column], strict=True):
            own = atlas.figures[atlas.figures["project_id"] == pid]
            assert text == _figures_text(own, lang)
    assert (project_table(atlas, "zh")["数据"] == "").any()  # a project without figures


def test_tour_goes_top_down(atlas: Atlas) -> None:
    steps = tour_steps(view_atlas(atlas, "detail"))
    assert [s.pairing_id for s in steps] == ["P01", "P02", "P03", "P04"]
    assert steps[1].project_count == 3 and steps[2].project_count == 0


def test_markdown_escape() -> None:
    assert md("[x](javascript:alert(1)) <b>*y*</b>") == (
        "\\[x\\]\\(javascript\\:alert\\(1\\)\\) &lt;b&gt;\\*y\\*&lt;/b&gt;"
    )


PERIOD_2017_2020 = {f"PR{n:02d}" for n in (3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15)}


def test_a_narrowed_year_range_leaves_out_spans_unless_asked(atlas: Atlas) -> None:
    # The issue: 2018–2018 showed 12 "since the pairing" projects and 2,175 亩 as if of 2018.
    only_2018 = apply_filters(atlas, Filters(year_from=2018, year_to=2018))
    assert (only_2018.projects["date_precision"] == "period").sum() == 0
    assert only_2018.figures.empty
    with_spans = apply_filters(
        atlas, Filters(year_from=2018, year_to=2018, include_spans=True)
    ).projects
    assert set(with_spans.loc[with_spans["role"] == "pairing", "project_id"]) == PERIOD_2017_2020
    # All years shown: spans are in, with or without the box.
    assert apply_filters(atlas, Filters(include_spans=True)) is atlas
    assert Filters(include_spans=True).is_open()
    # A dated project still counts in its own year only.
    only_2019 = apply_filters(atlas, Filters(year_from=2019, year_to=2019)).projects
    assert set(only_2019["project_id"]) == {"PR19"}


def test_spans_url_parameter_round_trips() -> None:
    state, notices = parse_query({"from": "2018", "to": "2018", "spans": "1"}, set(), (2017, 2020))
    assert notices == [] and state.filters.include_spans
    assert to_query(state) == {"from": "2018", "to": "2018", "spans": "1"}
    assert parse_query(to_query(state), set(), (2017, 2020))[0] == state
    assert "spans" not in to_query(ViewState())
    _, notices = parse_query({"spans": "yes"}, set(), (2017, 2020))
    assert [n.param for n in notices] == ["spans"]


def test_period_rows_read_as_a_span_in_table_and_chart(atlas: Atlas) -> None:
    from layers.popups import when_text
    from ui.summary import chart_frame

    zh = project_table(atlas, "zh").set_index("编号")
    en = project_table(atlas, "en").set_index("ID")
    assert zh.loc["PR05", "时间"] == "2017–2020，未注明具体年份"
    assert en.loc["PR05", "When"] == "2017–2020, not dated"
    assert en.loc["PR19", "When"] == "2019-12"
    row = atlas.projects[atlas.projects["project_id"] == "PR02"].iloc[0]
    assert when_text(row, "en") == "2019–2020, not dated"
    chart = chart_frame(atlas, "en")
    assert list(chart.index) == ["2019", "2020", "2017–2020, not dated", "2019–2020, not dated"]
    assert chart.loc["2017–2020, not dated"].sum() == 12
    assert "2017" not in chart.index  # no dated project in 2017: the spans are not put there


def test_chart_rows_keep_their_order_and_labels_are_never_cut(atlas: Atlas) -> None:
    from ui.summary import chart_frame, chart_spec

    frame = chart_frame(atlas, "en")
    spec = chart_spec(frame, "en").to_dict()
    y = spec["encoding"]["y"]
    assert y["sort"] == ["2019", "2020", "2017–2020, not dated", "2019–2020, not dated"]
    assert y["axis"]["labelLimit"] == 0  # "2017–2020, not dated" in full, not rotated
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 0
