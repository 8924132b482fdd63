"""Which counties the atlas can show down to their townships: decided by the data, not by code."""

from __future__ import annotations

from geo.atlas import Atlas


def detail_counties(atlas: Atlas) -> frozenset[str]:
    """Counties with at least one township in the units table or an area on the map."""
    units = atlas.units
    towns = units.loc[units["level"] == "township", "parent_code"]
    return frozenset(str(c) for c in towns) | frozenset(str(c)[:6] for c in atlas.areas["code"])
