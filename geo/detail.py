"""Which counties the atlas can show down to their townships: decided by the data, not by code."""

from __future__ import annotations

from geo.atlas import Atlas


def detail_counties(atlas: Atlas) -> frozenset[str]:
    """Counties with at least one township in the units table or an area on the map."""
    units = atlas.units
    towns = units.loc[units["level"] == "township", "parent_code"]
    return frozenset(str(c) for c in towns) | frozenset(str(c)[:6] for c in atlas.areas["code"])


def selectable_units(atlas: Atlas) -> list[str]:
    """Units a view can select (the unit selector's options and a link's ``unit``): counties
    with township detail, then their townships, then their villages, each in code order."""
    rank = {"county": 0, "township": 1, "village": 2}
    u = atlas.units
    focus = u[u["level"].isin(list(rank)) & u["code"].str[:6].isin(detail_counties(atlas))]
    ordered = focus.assign(_rank=focus["level"].map(rank)).sort_values(["_rank", "code"])
    return [str(c) for c in ordered["code"]]
