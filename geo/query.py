"""Questions the atlas answers about the loaded data: who pairs with whom, which projects,
what totals. Pure functions over :class:`geo.atlas.Atlas` frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from geo.atlas import Atlas, normalise_name
from geo.columns import MEASURES, UNITS

PartnerStatus = Literal["published", "not_published", "none"]


@dataclass(frozen=True)
class Resolved:
    code: str
    name_zh: str
    via_alias: str | None  # the old name it was found under, if any


def resolve_unit(atlas: Atlas, name_or_code: str) -> Resolved | None:
    """Find the current unit for a code, a current name or an old (pre-2020) name.

    Village names may be given with or without the NBS committee suffix. None if unknown or if
    the old name's successor is not established (a ``probable`` successor is not used).
    """
    key = normalise_name(name_or_code)
    units = atlas.units
    hit = units[(units["code"] == key) | (units["name_zh"] == key) | (units["nbs_name"] == key)]
    if len(hit) == 1:
        row = hit.iloc[0]
        return Resolved(row["code"], row["name_zh"], None)
    aliases = atlas.aliases
    old = aliases[((aliases["alias_name"] == key) | (aliases["alias_code"] == key))]
    old = old[(old["current_code"] != "") & (old["change"] != "probable")]
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
    """The sum of reported figures that count the same thing (``measure``) in the same ``unit``.

    ``qualifier`` is how the total reads: a single figure keeps its own (余, 近, 不少于); a sum
    containing 余/不少于 reads 余 (more than), one containing 近 reads 近, one containing both
    reads 约 (about: it may be higher or lower)."""

    measure: str
    unit: str
    quantity: float
    at_least: bool  # some figure was "余"/"不少于": the true total is higher
    approximate: bool  # some figure was "近": the true total may be a little lower
    count: int
    qualifier: str

    @property
    def key(self) -> str:
        return measure_key(self.measure, self.unit)


def measure_key(measure: str, unit: str) -> str:
    """One string for a (measure, unit) pair, e.g. ``planted_area:亩`` (widget and map options)."""
    return f"{measure}:{unit}"


def split_measure_key(key: str) -> tuple[str, str]:
    measure, _, unit = key.partition(":")
    return measure, unit


def _order(measure: str, unit: str) -> tuple[int, int]:
    measures, units = list(MEASURES), list(UNITS)
    return (
        measures.index(measure) if measure in MEASURES else len(measures),
        units.index(unit) if unit in UNITS else len(units),
    )


def totals_by_measure(figures: pd.DataFrame) -> list[Total]:
    """Sum reported figures per (measure, unit): never adds two measures or two units, never
    adds agreed (committed) figures. Ordered as the measure vocabulary, then the units.

    This is the only place where figures are added up; every total on screen, on the map and in
    the exports comes from here."""
    reported = figures[figures["basis"] == "reported"]
    out = []
    for (measure, unit), rows in reported.groupby(["measure", "unit"], sort=False):
        qualifiers = list(rows["qualifier"])
        at_least = any(q in ("余", "不少于") for q in qualifiers)
        approximate = "近" in qualifiers
        if len(rows) == 1:
            qualifier = qualifiers[0]
        else:
            qualifier = "约" if at_least and approximate else "余" if at_least else ""
            qualifier = qualifier or ("近" if approximate else "")
        out.append(
            Total(
                measure=str(measure),
                unit=str(unit),
                quantity=float(rows["quantity"].sum()),
                at_least=at_least,
                approximate=approximate,
                count=len(rows),
                qualifier=qualifier,
            )
        )
    return sorted(out, key=lambda x: _order(x.measure, x.unit))


def pairing_totals(atlas: Atlas, key: str) -> dict[str, Total]:
    """pairing_id -> the total of one (measure, unit) over the pairing projects filed under it."""
    measure, unit = split_measure_key(key)
    figures = atlas.figures[(atlas.figures["measure"] == measure) & (atlas.figures["unit"] == unit)]
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    out = {}
    for pairing_id, rows in projects.groupby("pairing_id"):
        totals = totals_by_measure(figures[figures["project_id"].isin(rows["project_id"])])
        if totals:
            out[str(pairing_id)] = totals[0]
    return out


def measure_options(atlas: Atlas) -> list[str]:
    """(measure, unit) keys that have reported figures in pairing projects, vocabulary order."""
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    return [x.key for x in totals_by_measure(figures_of(atlas, projects))]


def figures_of(atlas: Atlas, projects: pd.DataFrame) -> pd.DataFrame:
    """The figures of ``projects`` (pass pairing projects only to get pairing totals)."""
    return atlas.figures[atlas.figures["project_id"].isin(projects["project_id"])]


@dataclass(frozen=True)
class Evidence:
    """One page that states a pair: its source and the quote, as the page shows it."""

    source_id: str
    quote: str
    note: str


def evidence_of(atlas: Atlas, pairing_id: str) -> list[Evidence]:
    """The pairing's own source first, then each further page (pairing_sources.csv)."""
    p = atlas.pairings[atlas.pairings["pairing_id"] == pairing_id]
    out = [Evidence(str(r["source_id"]), str(r["quote"]), "") for _, r in p.iterrows()]
    more = atlas.pairing_sources[atlas.pairing_sources["pairing_id"] == pairing_id]
    out += [
        Evidence(str(r["source_id"]), str(r["quote"]), str(r["note"])) for _, r in more.iterrows()
    ]
    return out


def pair_figures_of(atlas: Atlas, pairing_ids: set[str]) -> pd.DataFrame:
    """Figures stated for whole pairs (pair_figures.csv) of ``pairing_ids``, in measure order.
    Each is its own source's cumulative figure: shown one by one, never added."""
    figs = atlas.pair_figures[atlas.pair_figures["pairing_id"].isin(pairing_ids)]
    order = {m: i for i, m in enumerate(MEASURES)}
    return (
        figs.assign(_o=figs["measure"].map(order))
        .sort_values(["_o", "figure_id"])
        .drop(columns="_o")
    )


def outside_partners_of(atlas: Atlas, code: str) -> pd.DataFrame:
    """Rows saying that ``code``'s partner is outside Chengdu."""
    o = atlas.outside_partners
    return o[o["partner_code"] == code]
