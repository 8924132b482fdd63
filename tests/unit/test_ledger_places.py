"""ledger.places: codes first, then current names within the county, then aliases (only
renamed/merged resolve), then fuzzy suggestions; on small frames built here and on the
bundled units."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import columns as C
from geo.atlas import Atlas
from ledger.places import PlaceMatcher


def units(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """(code, name_zh, level, parent_code, status) rows as a units table."""
    frame = pd.DataFrame(
        [
            {c: "" for c in C.UNIT_COLUMNS}
            | dict(zip(("code", "name_zh", "level", "parent_code", "status"), r, strict=True))
            for r in rows
        ]
    )
    return frame[list(C.UNIT_COLUMNS)]


def aliases(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(alias_name, alias_code, current_code, change) rows as an aliases table."""
    frame = pd.DataFrame(
        [
            {c: "" for c in C.ALIAS_COLUMNS}
            | dict(zip(("alias_name", "alias_code", "current_code", "change"), r, strict=True))
            | {"last_edition": "2019-10-31"}
            for r in rows
        ]
    )
    return frame[list(C.ALIAS_COLUMNS)]


@pytest.fixture()
def small() -> PlaceMatcher:
    return PlaceMatcher(
        units(
            [
                ("100001", "甲县", "county", "", "current"),
                ("200002", "乙县", "county", "", "current"),
                ("100001101000", "东山镇", "township", "100001", "current"),
                ("100001102000", "西山镇", "township", "100001", "current"),
                ("200002101000", "东山镇", "township", "200002", "current"),
                ("100001101201", "新华村", "village", "100001101000", "current"),
                ("100001102201", "新华村", "village", "100001102000", "current"),
                ("100001102202", "河口村", "village", "100001102000", "abolished"),
                ("100001102203", "石桥村", "village", "100001102000", "abolished"),
            ]
        ),
        aliases(
            [
                ("南山乡", "100001201000", "100001102000", "merged"),
                ("北山乡", "100001202000", "100001101000", "probable"),
                ("中山乡", "100001203000", "", "unresolved"),
                ("河口村", "100001102202", "100001102201", "merged"),
            ]
        ),
    )


def test_code_in_every_form(small: PlaceMatcher) -> None:
    assert small.match("100001").code == "100001"
    assert small.match("100001101").code == "100001101000"  # 9 digits
    assert small.match("１００００１１０１０００").code == "100001101000"  # full-width
    assert small.match("100001101000", level="village").code is None
    assert "8 位" not in small.match("12345678").note_zh
    assert "6、9 或 12 位" in small.match("12345678").note_zh


def test_name_within_the_county(small: PlaceMatcher) -> None:
    assert small.match("东山镇", county="200002").code == "200002101000"
    assert small.match("东山镇", county="100001").code == "100001101000"
    both = small.match("东山镇")
    assert both.code is None and [s[0] for s in both.suggestions] == [
        "100001101000",
        "200002101000",
    ]
    assert "2 个同名" in both.note_zh and "2 units" in both.note_en


def test_same_village_name_in_two_townships_needs_the_township(small: PlaceMatcher) -> None:
    assert small.match("新华村").code is None
    assert small.match_parts("", "西山镇", "新华村").code == "100001102201"
    assert small.match("甲县西山镇新华村").code == "100001102201"


def test_aliases_only_resolve_when_established(small: PlaceMatcher) -> None:
    merged = small.match("南山乡")
    assert (merged.code, merged.how, merged.successor) == ("100001102000", "alias", "100001102000")
    assert "并入西山镇" in merged.note_zh and "merged into 西山镇" in merged.note_en
    probable = small.match("北山乡")
    assert probable.code is None and probable.suggestions[0][0] == "100001101000"
    unresolved = small.match("中山乡")
    assert unresolved.code is None and "successor is unknown" in unresolved.note_en
    # a village of a merged township is looked for under its successor
    assert small.match_parts("甲县", "南山乡", "新华村").code == "100001102201"


def test_a_path_through_an_old_township_name_says_so(small: PlaceMatcher) -> None:
    found = small.match("南山乡新华村")
    assert found.code == "100001102201"
    assert "南山乡" in found.note_zh and "merged into 西山镇" in found.note_en


def test_a_name_that_only_starts_like_a_county_is_still_suggested(small: PlaceMatcher) -> None:
    near = small.match("甲县东三镇")  # the county is read, the township only nearly
    assert near.code is None and near.suggestions[0][0] == "100001101000"
    # nothing close after the county: the whole text is matched loosely instead
    loose = small.match("甲县Q")
    assert loose.code is None and "100001" in [c for c, _, _ in loose.suggestions]


def test_an_old_name_of_two_former_units_is_only_suggested() -> None:
    m = PlaceMatcher(
        units(
            [
                ("100001", "甲县", "county", "", "current"),
                ("200002", "乙县", "county", "", "current"),
                ("100001101000", "东山镇", "township", "100001", "current"),
                ("200002101000", "西山镇", "township", "200002", "current"),
            ]
        ),
        aliases(
            [
                ("新兴乡", "100001201000", "100001101000", "merged"),
                ("新兴乡", "200002201000", "200002101000", "renamed"),
            ]
        ),
    )
    both = m.match("新兴乡")
    assert both.code is None and [c for c, _, _ in both.suggestions] == [
        "100001101000",
        "200002101000",
    ]
    assert "2 former units" in both.note_en
    assert m.match("新兴乡", county="200002").code == "200002101000"


def test_abolished_unit_names_its_successor(small: PlaceMatcher) -> None:
    gone = small.match("100001102202")
    assert gone.code is None and gone.successor == "100001102201"
    assert "已撤销" in gone.note_zh and "merged into 新华村" in gone.note_en
    unknown = small.match("石桥村")
    assert unknown.code is None and unknown.successor is None
    assert "successor unknown" in unknown.note_en


def test_fuzzy_is_only_a_suggestion(small: PlaceMatcher) -> None:
    near = small.match("西三镇", level="township")
    assert near.code is None and near.how == "fuzzy"
    assert near.suggestions[0][0] == "100001102000"
    assert small.match("完全不同的名字").suggestions == []


def test_scientific_notation_code_is_explained(small: PlaceMatcher) -> None:
    hit = small.match("1.00001E+11")
    assert hit.code is None and "科学计数法" in hit.note_zh and "scientific" in hit.note_en


def test_bundled_units(atlas: Atlas) -> None:
    m = PlaceMatcher.from_atlas(atlas)
    assert m.match("寿安镇").code == "510131002000"
    assert m.match("复兴乡", county="510131").code == "510131104000"
    assert m.match("得妥乡湾东村").code == "513322105223"
    assert m.match("大塘").code == "510131101000"
    assert m.match("磨西", level="township", county="513322").code == "513322103000"


def test_a_village_is_never_taken_silently_from_another_township() -> None:
    """The sheet says 寿安镇 团结村; 寿安街道 (寿安镇 until 2019) has no 团结村, but 鹤山街道 has
    one: that is offered as a suggestion, not read as the place."""
    from geo.atlas import load_atlas
    from ledger.places import PlaceMatcher

    matcher = PlaceMatcher.from_atlas(load_atlas())
    found = matcher.match_parts("", "寿安镇", "团结村")
    assert found.code is None
    assert "寿安街道没有名为 团结村 的村（社区）" in found.note_zh
    assert "has no village or community called 团结村" in found.note_en
    assert "510131001215" in [code for code, _label, _score in found.suggestions]
    assert matcher.match_parts("", "大塘镇", "八角井村").code == "510131101203"
