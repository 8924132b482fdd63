"""The bundled data: units by code, the stated pairs, every figure of the article, sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.atlas import Atlas
from geo.paths import RAW_DIR
from geo.query import partner_status, resolve_unit

ARTICLE = (RAW_DIR / "source-article-sc3n-2020-07-02.txt").read_text(encoding="utf-8")

PUJIANG_TOWNSHIPS = {
    "510131001000": "鹤山街道",
    "510131002000": "寿安街道",
    "510131101000": "大塘镇",
    "510131103000": "朝阳湖镇",
    "510131104000": "西来镇",
    "510131105000": "大兴镇",
    "510131106000": "甘溪镇",
    "510131107000": "成佳镇",
}
LUDING_TOWNSHIPS = {
    "513322100000": "泸桥镇",
    "513322101000": "冷碛镇",
    "513322102000": "兴隆镇",
    "513322103000": "磨西镇",
    "513322104000": "燕子沟镇",
    "513322105000": "得妥镇",
    "513322106000": "烹坝镇",
    "513322107000": "德威镇",
    "513322200000": "岚安乡",
}


def _units(atlas: Atlas, level: str, parent: str) -> dict[str, str]:
    u = atlas.units
    rows = u[(u["level"] == level) & (u["parent_code"] == parent)]
    return dict(zip(rows["code"], rows["name_zh"], strict=True))


def test_current_townships_8_and_9_by_code(atlas: Atlas) -> None:
    assert _units(atlas, "township", "510131") == PUJIANG_TOWNSHIPS
    assert _units(atlas, "township", "513322") == LUDING_TOWNSHIPS
    towns = atlas.units[atlas.units["level"] == "township"]
    assert set(towns["kind"]) == {"街道", "镇", "乡"}
    assert towns["name_en"].str.len().gt(0).all()


def test_38_counties_under_two_prefectures(atlas: Atlas) -> None:
    chengdu = _units(atlas, "county", "510100")
    ganzi = _units(atlas, "county", "513300")
    assert len(chengdu) == 20 and len(ganzi) == 18
    assert chengdu["510131"] == "蒲江县" and ganzi["513322"] == "泸定县"
    assert {"510118", "510117", "510116", "510185"} <= set(chengdu)  # current (post-2020) units
    prefectures = atlas.units[atlas.units["level"] == "prefecture"]
    assert dict(zip(prefectures["code"], prefectures["name_zh"], strict=True)) == {
        "510100": "成都市",
        "513300": "甘孜藏族自治州",
    }


def test_yanzigou_has_no_invented_point_but_is_listed(atlas: Atlas) -> None:
    row = atlas.units.set_index("code").loc["513322104000"]
    assert row["name_zh"] == "燕子沟镇"
    assert pd.isna(row["seat_lon"]) and pd.isna(row["seat_lat"])
    assert "513322104000" not in set(atlas.areas["code"])
    located = atlas.units[(atlas.units["level"] == "township") & atlas.units["seat_lon"].notna()]
    assert len(located) == 16


def test_old_names_resolve_to_current_units(atlas: Atlas) -> None:
    expected = {
        "寿安镇": "寿安街道",
        "德威乡": "德威镇",
        "加郡乡": "德威镇",
        "田坝乡": "泸桥镇",
        "杵坭乡": "冷碛镇",
        "得妥乡": "得妥镇",
    }
    for old, new in expected.items():
        found = resolve_unit(atlas, old)
        assert found is not None and found.name_zh == new and found.via_alias == old
    assert resolve_unit(atlas, "新兴乡") is None  # successor not established: no guess
    assert resolve_unit(atlas, "不存在乡") is None


def test_article_villages_with_codes_and_townships(atlas: Atlas) -> None:
    u = atlas.units.set_index("name_zh")
    assert (
        u.loc["八角井村", "code"] == "510131101203"
        and u.loc["八角井村", "parent_code"] == "510131101000"
    )
    assert (
        u.loc["明月村", "code"] == "510131106205"
        and u.loc["明月村", "parent_code"] == "510131106000"
    )
    assert (
        u.loc["湾东村", "code"] == "513322105223"
        and u.loc["湾东村", "parent_code"] == "513322105000"
    )
    assert u.loc["海子环环村", "parent_code"] == "513322100000"
    assert u.loc["何家山村", "status"] == "abolished"  # gone from the NBS 2020 edition


def test_the_four_stated_pairs(atlas: Atlas) -> None:
    # The article's pairs (the county pairs of the other sources: test_county_pairs_data.py).
    p = atlas.pairings[atlas.pairings["source_id"] == "sc3n-2020-07-02"]
    got = {
        (r.level, r.helper_code, r.partner_code, r.start_date, r.start_precision)
        for r in p.itertuples()
    }
    assert got == {
        ("county", "510131", "513322", "", "undated"),
        ("township", "510131101000", "513322103000", "2019", "year"),
        ("village", "510131101203", "513322105223", "2017", "year"),
        ("village", "510131106205", "513322100220", "2019-03", "month"),
    }


def test_aggregates_are_recorded_not_expanded(atlas: Atlas) -> None:
    article = atlas.aggregates[atlas.aggregates["source_id"] == "sc3n-2020-07-02"]
    agg = article.set_index("level")
    assert (agg.loc["township", "helper_count"], agg.loc["township", "partner_count"]) == (8, 9)
    assert (agg.loc["village", "helper_count"], agg.loc["village", "partner_count"]) == (15, 15)
    # Only one township pair is stated: every other township's partner is "not published".
    assert partner_status(atlas, "510131101000") == "published"
    assert partner_status(atlas, "513322103000") == "published"
    for code in set(PUJIANG_TOWNSHIPS) - {"510131101000"}:
        assert partner_status(atlas, code) == "not_published"
    assert (atlas.pairings["level"] == "township").sum() == 1


# Every figure of the article: (quote fragment, quantity, unit, qualifier, measure).
ARTICLE_FIGURES = {
    ("磨西镇、村干部共10余人", 10, "人", "余", "cadres_hosted"),
    ("专题培训和现场指导10余次", 10, "次", "余", "training_guidance"),
    ("直接受众500余人", 500, "人", "余", "people_reached"),
    ("提供岗位招募信息100余人次", 100, "人次", "余", "job_postings"),
    ("援赠生产资料20余万元", 20, "万元", "余", "goods_donated"),
    ("100亩猕猴桃基地", 100, "亩", "", "orchard_area"),
    ("花椒575亩", 575, "亩", "", "planted_area"),
    ("佛手柑400亩", 400, "亩", "", "planted_area"),
    ("红心果100亩", 100, "亩", "", "planted_area"),
    ("集体山竹林1000亩", 1000, "亩", "", "leased_forest"),
    ("共引进文创项目46个", 46, "个", "", "projects_brought_in"),
    (
        "吸引100余名艺术家、文化创客、设计师等成为“新村民”",
        100,
        "人",
        "余",
        "new_villagers",
    ),
    ("引导村民发展乡村文旅业态30余个", 30, "个", "余", "businesses"),
    ("每年联合开展不少于两次", 2, "次", "不少于", "events"),
    ("产业发展专家等15人", 15, "人", "", "trainers_sent"),
    ("各类培训14场次", 14, "场次", "", "training_sessions"),
    ("受益干部群众共200余人", 200, "人", "余", "beneficiaries"),
    ("近百件文创产品", 100, "件", "近", "items_exhibited"),
    ("量身筹划社区营造活动两次", 2, "次", "", "events"),
    ("为当地的文旅产业发展指明三条路径", 3, "条", "", "paths_proposed"),
}


def test_every_article_figure_present_with_unit_qualifier_quote_and_measure(atlas: Atlas) -> None:
    f = atlas.figures
    got = {
        (q, int(n), u, k, m)
        for q, n, u, k, m in zip(
            f["quote"], f["quantity"], f["unit"], f["qualifier"], f["measure"], strict=True
        )
    }
    assert got == ARTICLE_FIGURES


def test_the_three_paths_of_pr16_are_a_figure(atlas: Atlas) -> None:
    f = atlas.figures[atlas.figures["project_id"] == "PR16"]
    assert list(zip(f["quantity"], f["unit"], f["measure"], strict=True)) == [
        (3.0, "条", "paths_proposed")
    ]


def test_the_2020_04_party_meeting_is_context_not_a_pairing_project(atlas: Atlas) -> None:
    row = atlas.projects.set_index("project_id").loc["PR21"]
    assert row["role"] == "context" and row["pairing_id"] == "" and row["partner_code"] == ""
    assert row["helper_code"] == "510131106000"  # a meeting inside 甘溪镇
    pairing = atlas.projects[atlas.projects["role"] == "pairing"]
    assert "PR21" not in set(pairing["project_id"]) and len(pairing) == 20


def test_a02_does_not_claim_the_named_village_pairs_are_among_the_15(atlas: Atlas) -> None:
    a02 = atlas.aggregates.set_index("fact_id").loc["A02"]
    assert "只公布了其中两对" not in a02["statement_zh"]
    assert "name only two of these" not in a02["statement_en"]
    assert "未说明是否在其中" in a02["statement_zh"]
    assert "not said to be among them" in a02["statement_en"]


def test_context_figures_are_kept_apart(atlas: Atlas) -> None:
    pr = atlas.projects.set_index("project_id")
    context = atlas.figures[atlas.figures["project_id"].map(pr["role"]) == "context"]
    assert set(context["quantity"].astype(int)) == {46, 100, 30}
    assert (pr.loc[pr["role"] == "context", "pairing_id"] == "").all()


def test_every_quote_is_verbatim_from_the_article(atlas: Atlas) -> None:
    # Rows resting on the article (the research note's rows: test_county_pairs_data.py).
    article = "sc3n-2020-07-02"
    for table in (atlas.pairings, atlas.projects, atlas.aggregates):
        for quote in table.loc[table["source_id"] == article, "quote"]:
            assert quote and quote in ARTICLE, quote
    for quote in atlas.figures["quote"]:
        assert quote and quote in ARTICLE, quote


def test_no_row_without_a_known_source(atlas: Atlas) -> None:
    known = set(atlas.sources["source_id"])
    for table in (atlas.units, atlas.pairings, atlas.projects, atlas.aggregates):
        assert table["source_id"].ne("").all()
        for ids in table["source_id"]:
            assert set(ids.split(";")) <= known
    figure_sources = atlas.figures["project_id"].map(
        atlas.projects.set_index("project_id")["source_id"]
    )
    assert figure_sources.notna().all()
    article = atlas.sources.set_index("source_id").loc["sc3n-2020-07-02"]
    assert (article["publisher"], article["date"]) == ("四川三农新闻网", "2020-07-02")
    assert article["url"] == "http://www.sc3n.com/index/news/detail/id/12097.html"
    assert atlas.sources["licence"].ne("").all()


def test_project_types_and_helpers_cover_both_sections(atlas: Atlas) -> None:
    pr = atlas.projects[atlas.projects["role"] == "pairing"]
    assert set(pr["type"]) == {
        "industry",
        "ecommerce",
        "training",
        "party",
        "culture_tourism",
        "employment",
        "donation",
        "social",
    }
    assert {"510131101000", "510131106000", "510131106205"} <= set(pr["helper_code"])


def test_township_areas_are_approximate_and_tile_each_county(atlas: Atlas) -> None:
    from geo.boundaries import load_boundaries
    from geo.paths import COUNTIES_WGS84

    areas = atlas.areas.to_crs(32648)
    assert areas["approximate"].all()
    counties = load_boundaries(COUNTIES_WGS84).to_crs(32648).set_index("code")
    for county in ("510131", "513322"):
        cells = areas[areas["code"].str.startswith(county)]
        outline = counties.loc[county, "geometry"]
        assert abs(cells.area.sum() - outline.area) / outline.area < 1e-6
        assert cells.union_all().symmetric_difference(outline).area / outline.area < 1e-6


def test_committed_derived_files_equal_what_the_script_builds() -> None:
    from scripts.build_data import build_all

    derived = Path(__file__).resolve().parents[2] / "data" / "derived"
    for name, text in build_all().items():
        assert (derived / name).read_text(encoding="utf-8") == text, f"rerun `make data`: {name}"


def test_every_township_area_is_one_polygon(atlas: Atlas) -> None:
    """No detached slivers (大塘镇 had a 0.14 km² piece beyond a neighbour)."""
    types = dict(zip(atlas.areas["code"], atlas.areas.geometry.geom_type, strict=True))
    assert set(types.values()) == {"Polygon"}, types


def test_detached_parts_join_the_neighbour_with_the_longest_border() -> None:
    from shapely.geometry import MultiPolygon, Point, box

    from geo.approx import merge_detached_parts

    # a: its seat's square plus a sliver lying against b; b: one square. The sliver joins b.
    a = MultiPolygon([box(0, 0, 1, 1), box(3, 0, 3.1, 1)])
    b = box(2, 0, 3, 1)
    c = box(1, 0, 2, 1)
    merged = merge_detached_parts(
        {"a": (Point(0.5, 0.5), a), "b": (Point(2.5, 0.5), b), "c": (Point(1.5, 0.5), c)}
    )
    assert merged["a"].equals(box(0, 0, 1, 1))
    assert merged["b"].geom_type == "Polygon" and abs(merged["b"].area - 1.1) < 1e-9
    assert merged["c"].equals(c)


def test_xinxing_successor_is_recorded_as_probable_not_claimed(atlas: Atlas) -> None:
    row = atlas.aliases.set_index("alias_name").loc["新兴乡"]
    assert row["change"] == "probable" and row["current_code"] == "513322104000"  # 燕子沟镇
    assert "513322104212" in row["evidence"] and "2016" in row["evidence"]
    # 513322104212 was 喇嘛寺村 until 2019: the evidence says so, with the lists that show it.
    assert "喇嘛寺村" in row["evidence"]
    assert set(row["source_id"].split(";")) == {
        "nbs-2015",
        "nbs-2016",
        "nbs-2020",
        "vonng-adcode",
        "nbs-2018",
        "nbs-2019",
    }
    assert resolve_unit(atlas, "新兴乡") is None  # probable is not established: not resolved
