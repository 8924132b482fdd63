"""Issue 11 in the page: the overview's county panel (pairs by round with every source and
quote, partners outside Chengdu, figures one by one), the round filter in the link, and the
detail view named from the data."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_app


def _main_text(at: AppTest) -> str:
    parts = [*at.main.get("markdown"), *at.main.get("caption")]
    return "\n".join(str(getattr(p, "value", "")) for p in parts)


def test_seda_panel_lists_both_first_round_partners_with_their_source() -> None:
    at = run_app(view="overview", unit="513333")
    assert str(getattr(at.main.get("subheader")[0], "value", "")) == "色达县"
    text = _main_text(at)
    assert "温江区 → 色达县" in text and "大邑县 → 色达县" in text
    assert "第一轮 2012–2016" in text and "跨轮次" in text  # R1 and "since 2012"
    assert "色达 援建方温江区 大邑县" in text and "四川日报" in text
    assert "该县没有乡镇数据" in text
    assert dict(at.query_params) == {"view": "overview", "unit": "513333"}


def test_a_county_paired_outside_chengdu_says_so_with_its_source() -> None:
    text = _main_text(run_app(view="overview", unit="513329"))
    assert "结对方在成都以外" in text and "宜宾市" in text and "浙江省台州市黄岩区" in text
    assert "研究笔记" in text  # cited to the research note: no page quote


def test_pair_figures_are_listed_one_by_one_never_added() -> None:
    text = _main_text(run_app(view="overview", unit="513335", lang="en"))
    # 巴塘: the 中国网 figures, each with its quote and source; nothing summed.
    assert "322,000,000 yuan" in text and "286" in text and "353" in text
    assert "中国网" in text and "累计投入项目资金3" in text  # markdown escapes the point


def test_the_hi_tech_zone_panel_says_it_has_no_outline() -> None:
    text = _main_text(run_app(view="overview", unit="CDGX"))
    assert "功能区" in text and "示意" in text
    assert "成都高新区 → 德格县" in text


def test_round_link_filters_and_a_bad_round_gets_a_notice() -> None:
    at = run_app(view="overview", round="R1")
    assert at.sidebar.multiselect(key="rounds").value == ["R1"]
    assert at.main.get("metric")[0].value == "8"  # type: ignore[union-attr]
    bad = run_app(view="overview", round="R7")
    assert any("round" in w.value and "R7" in w.value for w in bad.warning)
    assert bad.main.get("metric")[0].value == "31"  # type: ignore[union-attr]


def test_the_detail_view_is_named_from_the_data() -> None:
    at = run_app()
    assert any("蒲江 ↔ 泸定" in str(getattr(c, "value", "")) for c in at.main.get("caption"))
    assert at.main.get("metric")[0].value == "4"  # type: ignore[union-attr]


def test_the_overview_tour_starts_with_round_one_then_its_pairs() -> None:
    at = run_app(view="overview", mode="present")
    text = _main_text(at)
    assert "第一轮 2012–2016" in text and "8 对县级结对" in text
    assert "成都市10个区县承担对口支援甘孜州10个县" in text  # the round's statement, cited
    at.button(key="tour_next").click().run()
    assert not at.exception
    text = _main_text(at)
    assert "第 2 / 35 步" in text and "→" in text and "来源" in text


def test_a_county_without_any_pair_says_so() -> None:
    text = _main_text(run_app(view="overview", unit="510182"))  # 彭州市
    assert "来源中没有该单位的结对信息" in text and "该县没有乡镇数据" in text


def test_luding_panel_in_the_overview_offers_its_townships() -> None:
    at = run_app(view="overview", unit="513322")
    assert "该县有乡镇数据" in "\n".join(str(i.value) for i in at.info)
    at.button(key="go_down").click().run()
    assert not at.exception
    assert at.sidebar.radio(key="view").value == "detail"
    assert dict(at.query_params) == {"unit": "513322"}


def test_jinjiang_panel_gives_the_township_statement_without_pairs() -> None:
    text = _main_text(run_app(view="overview", unit="510104"))
    assert "锦江区11个街道与炉霍县15个乡镇结对" in text and "锦江年鉴" in text
