"""Issue 11: every Chengdu → Ganzi county pair the research note states, by round, with its
evidence; the aggregates stay aggregates; every quote is verbatim from the copied note."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from geo.atlas import Atlas, AtlasPaths, load_atlas
from geo.columns import ROUNDS
from geo.detail import detail_counties, view_atlas
from geo.errors import AtlasDataError
from geo.filters import Filters, apply_filters
from geo.paths import DATA_DIR, RAW_DIR
from geo.periods import pairing_spans, period_text

RESEARCH_FILE = RAW_DIR / "research-county-pairs" / "chengdu-ganzi-county-pairs.md"
RESEARCH = RESEARCH_FILE.read_text(encoding="utf-8")
# The note wraps its prose lines (a quote in the "Rounds" list runs over a line break and the
# next line's indent); the page's text has no such break, so quotes are compared unwrapped.
UNWRAPPED = re.sub(r"\n[ \t]+", "", RESEARCH)
README = (DATA_DIR / "README.md").read_text(encoding="utf-8")
ARTICLE_SOURCE = "sc3n-2020-07-02"

# Every pair the note states (helper, partner): 温江 and 大邑 share 色达, 新都 and 金堂 share
# 理塘, 成都高新区 (a zone: CDGX) and 简阳 share 德格.
STATED = {
    ("510104", "513327"),  # 锦江 → 炉霍
    ("510105", "513338"),  # 青羊 → 得荣
    ("510106", "513332"),  # 金牛 → 石渠
    ("510107", "513331"),  # 武侯 → 白玉
    ("510108", "513323"),  # 成华 → 丹巴
    ("510112", "513328"),  # 龙泉驿 → 甘孜
    ("510115", "513333"),  # 温江 → 色达
    ("510129", "513333"),  # 大邑 → 色达
    ("510116", "513335"),  # 双流 → 巴塘
    ("510117", "513326"),  # 郫都 (郫县) → 道孚
    ("CDGX", "513330"),  # 成都高新区 → 德格
    ("510185", "513330"),  # 简阳 → 德格
    ("510114", "513334"),  # 新都 → 理塘
    ("510121", "513334"),  # 金堂 → 理塘
    ("510113", "513324"),  # 青白江 → 九龙
    ("510181", "513301"),  # 都江堰 → 康定
    ("510131", "513322"),  # 蒲江 → 泸定
}


def _research_rows() -> list[list[str]]:
    """The cells of every row of the note's pair table (header and rule left out)."""
    rows = []
    for line in RESEARCH.splitlines():
        if line.startswith("| ") and not line.startswith("| Chengdu side"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_the_note_is_copied_with_its_provenance() -> None:
    provenance = (RESEARCH_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "chengdu-ganzi-county-pairs.md" in provenance and "sha256" in provenance
    assert len(_research_rows()) == 26


def test_every_quote_resting_on_the_note_is_verbatim(atlas: Atlas) -> None:
    tables = (
        atlas.pairings,
        atlas.pairing_sources,
        atlas.aggregates,
        atlas.pair_figures,
        atlas.outside_partners,
    )
    checked = 0
    for table in tables:
        for source, quote in zip(table["source_id"], table["quote"], strict=True):
            if source == ARTICLE_SOURCE:
                continue  # checked against the article (test_data_bundled.py)
            assert quote and quote in UNWRAPPED, quote
            checked += 1
    assert checked >= 50


def test_every_row_of_the_note_is_in_the_data_or_listed_as_left_out(atlas: Atlas) -> None:
    quotes = {*atlas.pairings["quote"], *atlas.pairing_sources["quote"]}
    for cells in _research_rows():
        quote = cells[-1]
        if quote == "成都市蒲江县对口帮扶甘孜州泸定县以来":
            assert quote in set(atlas.pairings["quote"])  # the article's own pair, P01
            continue
        assert quote in quotes, quote
    # The figures section: each stated figure is a pair figure, an aggregate, or left out
    # with its reason in data/README.md.
    figures = set(atlas.pair_figures["quote"]) | set(atlas.aggregates["quote"])
    for quote in re.findall(r'"([^"]+)"', RESEARCH.split("## Figures per pair")[1]):
        for part in quote.split(","):  # one figure row per figure of a quote
            assert any(part in q for q in figures), part
    for left_out in ("84 projects", "3.63亿元", "1.24亿元", "6488.19万元"):
        assert left_out in README, left_out


def test_every_stated_pair_is_drawn_data(atlas: Atlas) -> None:
    county = atlas.pairings[atlas.pairings["level"] == "county"]
    assert set(zip(county["helper_code"], county["partner_code"], strict=True)) == STATED
    assert len(county) == 31  # one row per pair and round (or "across rounds")


def test_seda_has_two_first_round_partners_each_with_its_source(atlas: Atlas) -> None:
    p = atlas.pairings
    r1 = p[(p["partner_code"] == "513333") & (p["round"] == "R1")]
    assert set(r1["helper_code"]) == {"510115", "510129"}
    assert set(r1["source_id"]) == {"scdaily-yuanzang-2014"}
    assert set(r1["quote"]) == {"色达 援建方温江区 大邑县"}


def test_rounds_periods_and_evidence(atlas: Atlas) -> None:
    p = atlas.pairings.set_index("pairing_id")
    assert set(p["round"]) == {"", *ROUNDS}
    spans = pairing_spans(atlas).set_index("pairing_id")
    assert tuple(spans.loc["qingyang-derong-2000"]) == (2000, 2021)  # since 2000, as of 2021
    assert tuple(spans.loc["jinjiang-luhuo-R1"]) == (2012, 2016)
    assert tuple(spans.loc["shuangliu-batang-R3"]) == (2021, 2022)  # from May 2021
    assert tuple(spans.loc["wuhou-baiyu-R2"]) == (2017, 2020)
    dates = dict(zip(atlas.sources["source_id"], atlas.sources["date"], strict=True))
    row = p.loc["qingyang-derong-2000"].to_dict()
    assert (
        period_text(row, dates[row["source_id"]], "zh")
        == "自 2000 起（来源日期 2021-05-10 时仍在进行）"
    )
    row = p.loc["shuangliu-batang-R3"].to_dict()
    assert period_text(row, dates[row["source_id"]], "en").endswith("since 2021-05")
    # Two pages state 新都 → 理塘 in round 2: both are kept, one row of evidence each.
    more = atlas.pairing_sources
    assert set(more.loc[more["pairing_id"] == "xindu-litang-R2", "source_id"]) == {
        "gzrb-2017-01-26"
    }
    assert p.loc["xindu-litang-R2", "source_id"] == "ce-2016-10-14"


def test_a_re_post_keeps_the_address_where_it_was_read(atlas: Atlas) -> None:
    s = atlas.sources.set_index("source_id")
    assert s.loc["gzrb-2016-08-18", "url"] == ""
    assert s.loc["gzrb-2016-08-18", "seen_at"] == "http://tjtfjx.com/html/xw/gxdt/24083.html"
    assert str(s.loc["ce-2016-10-14", "url"]).startswith("http://tuopin.ce.cn/")


def test_the_hi_tech_zone_is_a_point_with_a_note_not_an_outline(atlas: Atlas) -> None:
    zone = atlas.zones.set_index("code").loc["CDGX"]
    assert zone["name_zh"] == "成都高新区" and zone["position"] == "schematic"
    assert "示意" in str(zone["note"]) and "schematic" in str(zone["note"])
    unit = atlas.units.set_index("code").loc["CDGX"]
    assert unit["level"] == "zone"
    assert "CDGX" not in set(atlas.areas["code"])


def test_partners_outside_chengdu_are_recorded_not_drawn(atlas: Atlas) -> None:
    o = atlas.outside_partners
    assert set(o["partner_code"]) == {"513329", "513325", "513336", "513337"}
    assert set(o["helper_name_zh"]) == {"宜宾市", "泸州市", "浙江省台州市黄岩区"}
    assert not set(o["partner_code"]) & set(atlas.pairings["partner_code"])


def test_whole_round_statements_stay_aggregates(atlas: Atlas) -> None:
    agg = atlas.aggregates.set_index("fact_id")
    assert agg.loc["A03", "helper_count"] == 10 and agg.loc["A03", "round"] == "R1"
    assert "14.67亿元" in str(agg.loc["A06", "statement_zh"])
    # Statements, not pairs: no pairing rests on them.
    assert not set(agg["quote"]) & set(atlas.pairings["quote"]) - {
        "锦江区结合行政区划调整,安排11个街道与炉霍县15个乡镇结对"  # a pair AND a statement
    }
    overview = view_atlas(atlas, "overview")
    assert set(overview.aggregates["fact_id"]) == {"A03", "A04", "A05", "A06"}
    detail = view_atlas(atlas, "detail")
    assert set(detail.aggregates["fact_id"]) == {"A01", "A02"}


def test_pair_figures_keep_each_source_and_are_never_added(atlas: Atlas) -> None:
    f = atlas.pair_figures.set_index("figure_id")
    assert (f.loc["G01", "quantity"], f.loc["G01", "unit"]) == (2.78, "亿元")
    assert (f.loc["G06", "quantity"], f.loc["G06", "qualifier"]) == (6.0, "余")
    assert set(f["source_id"]) >= {"cri-2017-12-08", "chinacom-2022-04-07", "gzrb-2021-01-19"}


def test_the_detail_view_is_the_data_s_county_pair(atlas: Atlas) -> None:
    assert detail_counties(atlas) == {"510131", "513322"}
    detail = view_atlas(atlas, "detail")
    assert set(detail.pairings["pairing_id"]) == {"P01", "P02", "P03", "P04"}


def test_round_filter(atlas: Atlas) -> None:
    overview = view_atlas(atlas, "overview")
    r1 = apply_filters(overview, Filters(rounds=frozenset({"R1"})))
    assert set(r1.pairings["round"]) == {"R1"} and len(r1.pairings) == 8
    across = apply_filters(overview, Filters(rounds=frozenset({"across"})))
    assert set(across.pairings["round"]) == {""} and len(across.pairings) == 5
    in_2005 = apply_filters(overview, Filters(year_from=2005, year_to=2005))
    assert set(in_2005.pairings["pairing_id"]) == {"qingyang-derong-2000"}


# ------------------------------------------------------------------------- the gate


@pytest.fixture
def paths(tmp_path: Path) -> AtlasPaths:
    base = AtlasPaths()
    copied = {}
    for field, src in vars(base).items():
        dst = tmp_path / src.name
        shutil.copy(src, dst)
        copied[field] = dst
    return replace(base, **copied)


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first(paths: AtlasPaths) -> tuple[str, int | None, str | None, str | None]:
    with pytest.raises(AtlasDataError) as err:
        load_atlas(paths)
    p = err.value.problems[0]
    assert p.message_zh and p.message_en and p.expected_zh != p.expected_en
    return p.file, p.row, p.column, p.value


def test_an_unknown_round_is_refused_with_file_row_column_value(paths: AtlasPaths) -> None:
    _sub(paths.pairings, ",R1,since,", ",R9,since,")
    assert _first(paths) == ("pairings.csv", 6, "round", "R9")


def test_since_without_a_start_is_refused(paths: AtlasPaths) -> None:
    _sub(paths.pairings, "2000,year,tibetcn-2021-05-10", ",undated,tibetcn-2021-05-10")
    assert _first(paths)[2:] == ("start_date", "")


def test_a_zone_may_not_take_an_nbs_code(paths: AtlasPaths) -> None:
    _sub(paths.zones, "CDGX,成都高新区", "510104,成都高新区")
    assert _first(paths) == ("zones.csv", 2, "code", "510104")


def test_the_same_page_twice_for_one_pair_is_refused(paths: AtlasPaths) -> None:
    _sub(
        paths.pairing_sources,
        "E02,xindu-litang-R2,gzrb-2017-01-26",
        "E02,xindu-litang-R2,ce-2016-10-14",
    )
    assert _first(paths) == ("pairing_sources.csv", 3, "source_id", "ce-2016-10-14")


def test_a_pair_figure_needs_a_known_measure(paths: AtlasPaths) -> None:
    _sub(paths.pair_figures, ",funds_invested,援藏资金,", ",money,援藏资金,")
    assert _first(paths) == ("pair_figures.csv", 2, "measure", "money")


def test_a_folder_without_the_new_tables_still_loads(paths: AtlasPaths) -> None:
    for name in ("pairing_sources", "zones", "outside_partners", "pair_figures"):
        getattr(paths, name).unlink()
    # Without zones.csv the zone's pairings refer to nothing: take them out as an office
    # ledger from before issue 11 would not have them.
    lines = paths.pairings.read_text(encoding="utf-8").splitlines(keepends=True)
    paths.pairings.write_text("".join(x for x in lines if ",CDGX," not in x), encoding="utf-8")
    atlas = load_atlas(paths)
    assert atlas.zones.empty and atlas.pair_figures.empty and len(atlas.pairings) == 31


def test_every_note_reads_in_either_language(atlas: Atlas) -> None:
    from geo.i18n import in_lang

    for table in (atlas.pairings, atlas.pairing_sources, atlas.zones):
        for note in table["note"]:
            if note:
                assert in_lang(note, "zh") != in_lang(note, "en"), note


def test_round_in_the_link_round_trips_with_notices() -> None:
    from ui.urlstate import parse_query, to_query

    state, notices = parse_query({"round": "R3,across"}, set(), (2000, 2026))
    assert state.filters.rounds == frozenset({"R3", "across"}) and not notices
    assert to_query(state) == {"round": "R3,across"}
    state, notices = parse_query({"round": "none"}, set(), (2000, 2026))
    assert state.filters.rounds == frozenset() and to_query(state) == {"round": "none"}
    state, notices = parse_query({"round": "R1,R9"}, set(), (2000, 2026))
    assert state.filters.rounds == frozenset({"R1"})
    assert notices and "R9" in notices[0].text("en") and "R9" in notices[0].text("zh")


def test_the_overview_tour_goes_round_by_round_then_pair_by_pair(atlas: Atlas) -> None:
    from geo.tour import overview_tour

    steps = overview_tour(view_atlas(atlas, "overview"))
    assert [s.round for s in steps if s.pairing_id is None] == ["R1", "R2", "R3", "across"]
    first = steps[0]
    assert first.pairing_id is None and len(first.pairing_ids) == 8
    # Then the round's pairs one by one, before the next round's step.
    assert [s.pairing_id for s in steps[1:9]] == list(first.pairing_ids)
    assert steps[9].round == "R2" and steps[9].pairing_id is None
    assert len(steps) == 31 + 4
    # 温江 and 大邑 (sharing 色达) follow each other.
    order = list(first.pairing_ids)
    assert abs(order.index("wenjiang-seda-R1") - order.index("dayi-seda-R1")) == 1


def test_export_names_tell_the_rounds_of_one_pair_apart(atlas: Atlas) -> None:
    from pack.view import pair_name

    assert pair_name(atlas, "chenghua-danba-R1", "zh") == "成华区 → 丹巴县 · 第一轮"
    assert pair_name(atlas, "chenghua-danba-R3", "en").endswith(" · round 3")
    assert pair_name(atlas, "qingyang-derong-2000", "zh") == "青羊区 → 得荣县"  # one row only
    assert pair_name(atlas, "P02", "zh") == "大塘镇 → 磨西镇"


def test_the_same_pair_twice_in_one_round_is_refused(paths: AtlasPaths) -> None:
    text = paths.pairings.read_text(encoding="utf-8")
    row = next(x for x in text.splitlines() if x.startswith("jinniu-shiqu-R1,"))
    paths.pairings.write_text(text + row.replace("jinniu-shiqu-R1", "jinniu-again", 1) + "\n")
    assert _first(paths) == ("pairings.csv", 36, "round", "R1")
