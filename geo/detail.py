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
    with township detail, then their townships, then the villages a pairing or a project
    names, each in code order.

    The units table holds every village and community of those counties (NBS 2020, for
    matching ledgers); the few hundred with no pairing or project are not offered: selecting
    one would show an empty place. Every township is offered, as before (with or without data:
    its panel says whether its partner is published)."""
    rank = {"county": 0, "township": 1, "village": 2}
    u = atlas.units
    named = {
        *atlas.pairings["helper_code"],
        *atlas.pairings["partner_code"],
        *atlas.projects["helper_code"],
        *atlas.projects["partner_code"],
    }
    focus = u[u["level"].isin(list(rank)) & u["code"].str[:6].isin(detail_counties(atlas))]
    focus = focus[(focus["level"] != "village") | focus["code"].isin(named)]
    ordered = focus.assign(_rank=focus["level"].map(rank)).sort_values(["_rank", "code"])
    return [str(c) for c in ordered["code"]]
