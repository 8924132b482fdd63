"""The units table holds every township, village and community of 蒲江县 and 泸定县 (NBS 2020),
with the older editions' names as aliases; the app still offers only the places with data."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd

from geo.atlas import Atlas
from geo.detail import selectable_units
from geo.paths import RAW_DIR
from geo.query import resolve_unit
from geo.tables import Checker, Row

ARTICLE_VILLAGES = {
    "510131101203": "八角井村",
    "510131106205": "明月村",
    "513322105223": "湾东村",
    "513322100220": "海子环环村",
    "513322105224": "何家山村",
}


def test_the_selector_offers_counties_townships_and_only_the_villages_with_data(
    atlas: Atlas,
) -> None:
    """As before the full village list: 2 counties, their 17 townships, the 5 villages a
    pairing or project names (in code order). The other villages have nothing to show."""
    codes = selectable_units(atlas)
    u = atlas.units.set_index("code")
    levels = [u.loc[c, "level"] for c in codes]
    assert codes[:2] == ["510131", "513322"]
    assert levels == ["county"] * 2 + ["township"] * 17 + ["village"] * 5
    assert dict(zip(codes[19:], u.loc[codes[19:], "name_zh"], strict=True)) == dict(
        sorted(ARTICLE_VILLAGES.items())
    )


def test_a_village_becomes_selectable_when_a_project_names_it(atlas: Atlas) -> None:
    from dataclasses import replace

    u = atlas.units
    village = u[(u["level"] == "village") & ~u["code"].isin(ARTICLE_VILLAGES)].iloc[0]
    assert village["code"] not in selectable_units(atlas)
    projects = atlas.projects.copy()
    projects.loc[projects.index[0], "partner_code"] = village["code"]
    assert village["code"] in selectable_units(replace(atlas, projects=projects))


RAW_VILLAGES = RAW_DIR / "china-division-nbs" / "villages_510131_513322.csv"
RAW_TOWNS = RAW_DIR / "china-division-nbs" / "townships_510131_513322.csv"


def _raw_2020(path: Path, code_column: str) -> dict[str, Counter[str]]:
    """Per county, the codes the NBS 2020 edition lists (read with the csv module, not the
    builder)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["nbs_cutoff"] == "2020-06-30"]
    out: dict[str, Counter[str]] = {}
    for r in rows:
        out.setdefault(r["county_code"], Counter())[r[code_column]] += 1
    return out


def test_every_township_village_and_community_of_the_2020_edition_is_a_current_unit(
    atlas: Atlas,
) -> None:
    u = atlas.units
    towns = _raw_2020(RAW_TOWNS, "town_code12")
    villages = _raw_2020(RAW_VILLAGES, "village_code12")
    assert {c: len(v) for c, v in towns.items()} == {"510131": 8, "513322": 9}
    assert {c: len(v) for c, v in villages.items()} == {"510131": 93, "513322": 97}
    for county in ("510131", "513322"):
        mine = u[u["code"].str.startswith(county) & (u["status"] == "current")]
        assert set(mine.loc[mine["level"] == "township", "code"]) == set(towns[county])
        assert set(mine.loc[mine["level"] == "village", "code"]) == set(villages[county])
    current = u[(u["level"] == "village") & (u["status"] == "current")]
    assert (current["source_id"] == "nbs-2020").all()
    assert set(current["kind"]) == {"村", "社区", "居委会"}


def test_every_village_lies_in_a_current_township_of_its_county(atlas: Atlas) -> None:
    u = atlas.units.set_index("code")
    villages = u[u["level"] == "village"]
    for code, r in villages.iterrows():
        parent = u.loc[r["parent_code"]]
        assert parent["level"] == "township" and parent["status"] == "current", code
        assert str(code)[:9] == str(r["parent_code"])[:9], code  # same county and township


def test_village_names_follow_the_nbs_committee_names(atlas: Atlas) -> None:
    u = atlas.units.set_index("code")
    expected = {
        "510131101203": ("八角井村", "八角井村村委会", "Bajiaojing Village"),
        "513322100220": ("海子环环村", "海子环环村民委员会", "Haizihuanhuan Village"),
        "513322102211": ("沈村", "沈村村民委员会", "Shencun Village"),
        "510131001001": ("鹤山社区", "鹤山社区居委会", "Heshan Community"),
        "513322100001": ("南段社区", "南段社区居民委员会", "Nanduan Community"),
        # a residents' committee whose NBS name has no 社区: no community name is invented
        "513322101002": ("老街道居委会", "老街道居民委员会", "Laojiedao Residents' Committee"),
    }
    for code, (name, nbs, english) in expected.items():
        assert (u.loc[code, "name_zh"], u.loc[code, "nbs_name"], u.loc[code, "name_en"]) == (
            name,
            nbs,
            english,
        )
    villages = u[u["level"] == "village"]
    words = {"村": " Village", "社区": " Community", "居委会": " Residents' Committee"}
    for name_zh, name_en, kind in zip(
        villages["name_zh"], villages["name_en"], villages["kind"], strict=True
    ):
        assert name_en.endswith(words[kind]) and name_zh.endswith(kind), name_zh


def test_only_the_villages_the_sources_name_stay_as_abolished_units(atlas: Atlas) -> None:
    u = atlas.units
    gone = u[u["status"] != "current"]
    assert dict(zip(gone["code"], gone["name_zh"], strict=True)) == {"513322105224": "何家山村"}
    assert "513322105224" in set(atlas.projects["partner_code"])
    assert "513322105224" not in set(atlas.aliases["alias_code"])  # a unit, not also an alias


def test_every_alias_points_at_a_current_unit_of_its_level(atlas: Atlas) -> None:
    u = atlas.units.set_index("code")
    a = atlas.aliases
    assert not a.duplicated(["alias_code", "alias_name"]).any()
    targets = a[a["current_code"] != ""]
    assert len(targets) and (a["current_code"] == "").eq(a["change"] == "unresolved").all()
    for _, r in targets.iterrows():
        target = u.loc[r["current_code"]]
        assert target["status"] == "current", r["alias_name"]
        want = "township" if r["alias_code"].endswith("000") else "village"
        assert target["level"] == want, r["alias_name"]
        assert r["alias_code"][:6] == r["current_code"][:6], r["alias_name"]  # same county
    # an alias is never a current unit under its own current name
    now = set(zip(u.index, u["name_zh"], strict=True))
    assert not set(zip(a["alias_code"], a["alias_name"], strict=True)) & now


def test_old_township_names_resolve_as_before(atlas: Atlas) -> None:
    for old, code, name in (
        ("寿安镇", "510131002000", "寿安街道"),
        ("复兴乡", "510131104000", "西来镇"),
        ("510131200000", "510131104000", "西来镇"),
    ):
        found = resolve_unit(atlas, old)
        assert found is not None and (found.code, found.name_zh) == (code, name), old
    assert resolve_unit(atlas, "新兴乡") is None  # probable: not used


def test_villages_renamed_or_recoded_before_2020_are_aliases(atlas: Atlas) -> None:
    a = atlas.aliases.set_index("alias_code")
    cases = {
        # old code: (old name, last edition, current code, current name)
        "510131200204": ("九曲村", "2019-10-31", "510131104225", "九曲村"),  # 复兴乡 -> 西来镇
        "510131201202": ("官帽村", "2019-10-31", "510131001013", "官帽社区"),  # 村 -> 社区
        "513322103210": ("杉树村", "2019-10-31", "513322103210", "大杉树村"),  # same code
        "513322104212": ("喇嘛寺村", "2019-10-31", "513322104212", "新兴村"),
        "513322102226": ("马厂梁村", "2016-07-31", "513322102226", "牛背山村"),
    }
    for old_code, (old, last, code, name) in cases.items():
        row = a.loc[old_code]
        assert (row["alias_name"], row["last_edition"], row["current_code"]) == (old, last, code)
        assert row["change"] == "renamed" and code in row["evidence"]
        by_code = resolve_unit(atlas, old_code)
        assert by_code is not None and (by_code.code, by_code.name_zh) == (code, name)
    found = resolve_unit(atlas, "杉树村")
    assert found is not None and found.name_zh == "大杉树村" and found.via_alias == "杉树村"


def test_unproven_village_successors_are_probable_or_unresolved(atlas: Atlas) -> None:
    a = atlas.aliases.set_index("alias_code")
    # 加郡乡 and 德威乡 each had a 海子村; 德威镇 has one: which one it continues is not known.
    for old in ("513322204210", "513322205210"):
        assert a.loc[old, "change"] == "probable"
        assert a.loc[old, "current_code"] == "513322107211"
        assert resolve_unit(atlas, old) is None
    # 德威乡 磨子沟村 is gone; 磨西镇 has a new 磨子沟村: another township, so only probable.
    assert a.loc["513322205216", "change"] == "probable"
    # merged away in 2020 under no known name: no successor claimed, its township named
    row = a.loc["510131001205"]
    assert (row["alias_name"], row["change"], row["current_code"]) == ("单沟村", "unresolved", "")
    assert "鹤山街道" in row["evidence"]
    assert resolve_unit(atlas, "单沟村") is None
    # a name several current villages share is not guessed
    assert resolve_unit(atlas, "团结村") is None


def test_row_checks_do_not_copy_the_row_numbers_into_every_row() -> None:
    """pandas deep-copies a frame's attrs into each row iterrows makes: with the row numbers
    in attrs, checking a table was quadratic in its length (load_atlas 30 -> 60 ms when the
    units table grew from 62 to 248 rows). Rows are now plain mappings, with no attrs."""
    frame = pd.DataFrame({"a": ["x", "y", "z"]})
    frame.attrs["rows"] = [2, 3, 5]
    seen: list[tuple[int, object]] = []

    def check(row: int, r: Row) -> None:
        seen.append((row, r["a"]))
        assert not hasattr(r, "attrs")

    Checker(Path("t.csv"), frame).each_row(check)
    assert seen == [(2, "x"), (3, "y"), (5, "z")]
