"""Questions the atlas answers about the loaded data: who pairs with whom, which projects,
what totals. Pure functions over :class:`geo.atlas.Atlas` frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from geo.atlas import Atlas, normalise_name

PartnerStatus = Literal["published", "not_published", "none"]


@dataclass(frozen=True)
class Resolved:
    code: str
    name_zh: str
    via_alias: str | None  # the old name it was found under, if any


def resolve_unit(atlas: Atlas, name_or_code: str) -> Resolved | None:
    """Find the current unit for a code, a current name or an old (pre-2020) name.

    Village names may be given with or without the NBS committee suffix. None if unknown or if
    the old name's successor is not established.
    """
    key = normalise_name(name_or_code)
    units = atlas.units
    hit = units[(units["code"] == key) | (units["name_zh"] == key) | (units["nbs_name"] == key)]
    if len(hit) == 1:
        row = hit.iloc[0]
        return Resolved(row["code"], row["name_zh"], None)
    aliases = atlas.aliases
    old = aliases[((aliases["alias_name"] == key) | (aliases["alias_code"] == key))]
    old = old[old["current_code"] != ""]
    if len(old) == 1:
        code = old.iloc[0]["current_code"]
        name = units.loc[units["code"] == code, "name_zh"].iloc[0]
        return Resolved(code, name, old.iloc[0]["alias_name"])
    return None


def descendants(atlas: Atlas, code: str) -> set[str]:
    """``code`` and every unit below it."""
    out = {code}
    frontier = {code}
    while frontier:
        children = set(atlas.units.loc[atlas.units["parent_code"].isin(frontier), "code"])
        frontier = children - out
        out |= frontier
    return out


def pairings_of(atlas: Atlas, code: str) -> pd.DataFrame:
    """Pairings in which ``code`` or a unit inside it is the helper or the partner."""
    inside = descendants(atlas, code)
    p = atlas.pairings
    return p[p["helper_code"].isin(inside) | p["partner_code"].isin(inside)]


def partner_status(atlas: Atlas, code: str) -> PartnerStatus:
    """For a township: ``published`` if a township-level pair names it; ``not_published`` if an
    aggregate statement says every township of its county is paired but the pair is not in our
    sources; ``none`` if nothing is known."""
    p = atlas.pairings
    own = p[(p["level"] == "township") & ((p["helper_code"] == code) | (p["partner_code"] == code))]
    if len(own):
        return "published"
    county = code[:6]
    agg = atlas.aggregates
    covered = agg[
        (agg["level"] == "township")
        & ((agg["helper_scope_code"] == county) | (agg["partner_scope_code"] == county))
    ]
    return "not_published" if len(covered) else "none"


def projects_of(atlas: Atlas, code: str) -> pd.DataFrame:
    """Pairing projects whose helper or partner is ``code`` or inside it, oldest first."""
    inside = descendants(atlas, code)
    pr = atlas.projects
    hit = pr[
        (pr["role"] == "pairing")
        & (pr["helper_code"].isin(inside) | pr["partner_code"].isin(inside))
    ]
    return hit.sort_values(["year_from", "project_id"], na_position="last")


@dataclass(frozen=True)
class Total:
    unit: str
    quantity: float
    at_least: bool  # some figure was "余"/"不少于": the true total is higher
    approximate: bool  # some figure was "近": the true total may be a little lower
    count: int


def totals_by_unit(figures: pd.DataFrame) -> list[Total]:
    """Sum reported figures per unit of measure; never adds different units, never adds agreed
    (committed) figures. Ordered by the unit's order in the vocabulary."""
    from geo.columns import UNITS

    reported = figures[figures["basis"] == "reported"]
    out = []
    for unit in UNITS:
        rows = reported[reported["unit"] == unit]
        if len(rows):
            out.append(
                Total(
                    unit=unit,
                    quantity=float(rows["quantity"].sum()),
                    at_least=bool(rows["qualifier"].isin(["余", "不少于"]).any()),
                    approximate=bool((rows["qualifier"] == "近").any()),
                    count=len(rows),
                )
            )
    return out


def figures_of(atlas: Atlas, projects: pd.DataFrame) -> pd.DataFrame:
    """The figures of ``projects`` (pass pairing projects only to get pairing totals)."""
    return atlas.figures[atlas.figures["project_id"].isin(projects["project_id"])]
