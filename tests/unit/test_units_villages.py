"""The units table holds every township, village and community of 蒲江县 and 泸定县 (NBS 2020),
with the older editions' names as aliases; the app still offers only the places with data."""

from __future__ import annotations

from geo.atlas import Atlas
from geo.detail import selectable_units

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
