"""URL parsing (issue 8 and 9): what a link may say, and a notice for everything ignored."""

from __future__ import annotations

import pytest

from geo.filters import Filters
from ui.urlstate import ViewState, parse_query, to_query

CODES = {"510131101000"}
YEARS = (2017, 2020)


@pytest.mark.parametrize("raw", ["²⁰¹⁸", "２０１８", "٢٠١٨", "+2018", "02018", "2018.0"])
def test_years_are_ascii_digits_only(raw: str) -> None:
    state, notices = parse_query({"from": raw}, CODES, YEARS)
    assert state.filters.year_from is None
    assert [n.param for n in notices] == ["from"]


def test_non_ascii_digits_say_so() -> None:
    _, [notice] = parse_query({"to": "²⁰¹⁸"}, CODES, YEARS)
    assert "0–9" in notice.text("zh") and "0-9" in notice.text("en")


def test_repeated_parameter_uses_the_last_value_with_a_notice() -> None:
    state, [notice] = parse_query({"types": ["party", "ecommerce"]}, CODES, YEARS)
    assert state.filters.types == frozenset({"ecommerce"})
    assert notice.param == "types" and "2 times" in notice.text("en")
    # It was used (its last value), so the notice does not say "ignored".
    assert notice.text("zh").startswith("链接参数 types=") and "已忽略" not in notice.text("zh")
    assert notice.text("en").startswith("Link parameter types=")


@pytest.mark.parametrize("raw", ["", ",,,,", " , "])
def test_empty_lists_are_noticed_and_mean_no_restriction(raw: str) -> None:
    state, notices = parse_query({"types": raw, "level": raw}, CODES, YEARS)
    assert state.filters.types is None and state.filters.levels is None
    assert [n.param for n in notices] == ["types", "level"]
    assert "types=none" in notices[0].text("en") and "level=none" in notices[1].text("zh")


def test_none_round_trips_a_cleared_filter() -> None:
    cleared = ViewState(filters=Filters(types=frozenset(), levels=frozenset()))
    query = to_query(cleared)
    assert query == {"types": "none", "level": "none"}
    again, notices = parse_query(query, CODES, YEARS)
    assert again == cleared and notices == []


def test_unknown_parameters_share_one_notice() -> None:
    params = {f"p{i}": str(i) for i in range(9)}
    [notice] = parse_query(params, CODES, YEARS)[1]
    assert notice.params() == ("p0", "p1", "p2", "p3", "p4")
    assert "and 4 more" in notice.text("en") and "另有 4 个" in notice.text("zh")


def test_from_after_to_names_both() -> None:
    [notice] = parse_query({"from": "2020", "to": "2018"}, CODES, YEARS)[1]
    assert notice.params() == ("from", "to")
    assert "from='2020'" in notice.text("en") and "to='2018'" in notice.text("en")


def test_unit_must_be_offered() -> None:
    state, [notice] = parse_query({"unit": "510100"}, CODES, YEARS)
    assert state.filters.unit is None and notice.param == "unit"


def test_a_huge_value_makes_a_short_notice() -> None:
    [notice] = parse_query({"types": "x" * 10_000}, CODES, YEARS)[1]
    assert len(notice.text("zh")) < 300 and len(notice.text("en")) < 300
