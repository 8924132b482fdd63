"""Questions the atlas answers about the loaded data: who pairs with whom, which projects,
what totals. Pure functions over :class:`geo.atlas.Atlas` frames."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import numpy as np
import pandas as pd

from geo.atlas import Atlas, normalise_name
from geo.columns import MEASURES, UNITS

PartnerStatus = Literal["published", "not_published", "none"]
T = TypeVar("T")

# ---------------------------------------------------------------- facts per data version
# Per-unit facts for a whole layer (names, project counts by type, who pairs with whom) are
# computed once per frame with vectorised joins and cached on that frame object, never queried
# feature by feature: a per-feature pandas filter over 20,000 projects for each of 4,000
# townships was most of the map's build time at province scale. Frames are immutable once
# loaded (geo.atlas); a filtered atlas has new frames, hence its own entries. Entries die with
# their frame (weak references) and the least recently used go first beyond MAX_FACTS, so
# the cache never outlives the data and a long-running server's memory levels off.
MAX_FACTS = 96
_Refs = tuple[weakref.ref[pd.DataFrame], ...]
_facts: OrderedDict[tuple[tuple[int, ...], str], tuple[_Refs, object]] = OrderedDict()
_facts_lock = threading.Lock()


def cached_on(
    frame: pd.DataFrame | tuple[pd.DataFrame, ...], key: str, build: Callable[[], T]
) -> T:
    """``build()``, computed once per (frame object, key); thread-safe (sessions share it).

    A fact that depends on several frames (a view of the data: its units, areas and pairs)
    names them all: the entry holds only while every one of them is the same object."""
    frames = frame if isinstance(frame, tuple) else (frame,)
    slot = (tuple(id(f) for f in frames), key)
    with _facts_lock:
        hit = _facts.get(slot)
        if hit is not None and all(r() is f for r, f in zip(hit[0], frames, strict=True)):
            _facts.move_to_end(slot)
            return hit[1]  # type: ignore[return-value]
    value = build()
    with _facts_lock:
        for k in [k for k, (refs, _) in _facts.items() if any(r() is None for r in refs)]:
            del _facts[k]
        _facts[slot] = (tuple(weakref.ref(f) for f in frames), value)
        while len(_facts) > MAX_FACTS:
            _facts.popitem(last=False)
    return value


def unit_names(atlas: Atlas, lang: str) -> dict[str, str]:
    """code -> display name in ``lang`` (Chinese, or the English pinyin name)."""
    column = "name_zh" if lang == "zh" else "name_en"
    units = atlas.units
    return cached_on(
        units,
        f"names:{column}",
        lambda: dict(zip(units["code"].tolist(), units[column].astype(str).tolist(), strict=True)),
    )


def ancestry(atlas: Atlas) -> pd.DataFrame:
    """(code, ancestor) for every unit and each unit above it, itself included: the inverse of
    :func:`descendants`, as a table to join on."""
    units = atlas.units

    def build() -> pd.DataFrame:
        parent = dict(zip(units["code"].tolist(), units["parent_code"].tolist(), strict=True))
        rows = []
        for code in parent:
            seen: set[str] = set()
            up = code
            while up and up not in seen:
                rows.append((code, up))
                seen.add(up)
                up = parent.get(up, "")
        return pd.DataFrame(rows, columns=["code", "ancestor"], dtype=str)

    return cached_on(units, "ancestry", build)


def project_units(atlas: Atlas) -> pd.DataFrame:
    """(row position in ``atlas.projects``, unit) for every pairing project and every unit it
    counts for: its two ends and every unit above them, each unit once per project (what
    :func:`projects_of` selects, for all units at once)."""
    projects = atlas.projects
    return cached_on(
        projects, f"project_units:{id(atlas.units)}", lambda: _end_units(atlas, projects, True)
    )


def _end_units(atlas: Atlas, frame: pd.DataFrame, pairing_only: bool) -> pd.DataFrame:
    """(row position, unit) for both ends of each row of ``frame`` and the units above them."""
    positions = np.arange(len(frame))
    if pairing_only:
        positions = positions[(frame["role"] == "pairing").to_numpy()]
    ends = pd.DataFrame(
        {
            "row": np.concatenate([positions, positions]),
            "code": np.concatenate(
                [
                    frame["helper_code"].to_numpy()[positions],
                    frame["partner_code"].to_numpy()[positions],
                ]
            ),
        }
    )
    joined = ends.merge(ancestry(atlas), on="code")[["row", "ancestor"]].drop_duplicates()
    return joined.rename(columns={"ancestor": "unit"}).sort_values("row", kind="stable")


def project_type_counts(atlas: Atlas) -> pd.DataFrame:
    """Pairing projects per unit (rows) and type (columns), counting what is inside a unit."""
    projects = atlas.projects

    def build() -> pd.DataFrame:
        links = project_units(atlas)
        types = projects["type"].to_numpy()[links["row"].to_numpy()]
        return pd.crosstab(links["unit"].to_numpy(), types)

    return cached_on(projects, f"type_counts:{id(atlas.units)}", build)


def projects_by_unit(atlas: Atlas) -> dict[str, pd.DataFrame]:
    """unit -> its pairing projects, oldest first (as :func:`projects_of` gives them), for
    every unit with any; built in one pass."""
    projects = atlas.projects

    def build() -> dict[str, pd.DataFrame]:
        ordered = projects.reset_index(drop=True).sort_values(
            ["year_from", "project_id"], na_position="last"
        )
        rank = np.empty(len(ordered), dtype=int)
        rank[ordered.index.to_numpy()] = np.arange(len(ordered))
        links = project_units(atlas)
        links = links.assign(rank=rank[links["row"].to_numpy()]).sort_values("rank", kind="stable")
        return {
            str(unit): projects.iloc[group["row"].to_numpy()]
            for unit, group in links.groupby("unit", sort=False)
        }

    return cached_on(projects, f"by_unit:{id(atlas.units)}", build)


def pairings_by_unit(atlas: Atlas) -> dict[str, pd.DataFrame]:
    """unit -> the pairings in which it or a unit inside it takes part (:func:`pairings_of`
    for every unit at once, in table order)."""
    pairings = atlas.pairings

    def build() -> dict[str, pd.DataFrame]:
        links = _end_units(atlas, pairings, False)
        return {
            str(unit): pairings.iloc[group["row"].to_numpy()]
            for unit, group in links.groupby("unit", sort=False)
        }

    return cached_on(pairings, f"by_unit:{id(atlas.units)}", build)


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
    sources; ``none`` if nothing is known. Two set lookups (built once per table)."""
    if code in _township_pair_ends(atlas):
        return "published"
    return "not_published" if code[:6] in _aggregate_counties(atlas) else "none"


def _township_pair_ends(atlas: Atlas) -> frozenset[str]:
    """Codes named at either end of a township-level pair."""
    p = atlas.pairings

    def build() -> frozenset[str]:
        own = p[p["level"] == "township"]
        return frozenset([*own["helper_code"].tolist(), *own["partner_code"].tolist()])

    return cached_on(p, "township_pair_ends", build)


def _aggregate_counties(atlas: Atlas) -> frozenset[str]:
    """Counties an aggregate statement says all townships of are paired (either side)."""
    agg = atlas.aggregates

    def build() -> frozenset[str]:
        own = agg[agg["level"] == "township"]
        return frozenset([*own["helper_scope_code"].tolist(), *own["partner_scope_code"].tolist()])

    return cached_on(agg, "aggregate_counties", build)


def records_by(frame: pd.DataFrame, column: str) -> dict[str, list[dict[str, Any]]]:
    """``column`` value -> that value's rows as plain dicts, in table order, each with its
    ``_position`` in the table (built once per frame: popups look rows up by id instead of
    filtering the table per feature)."""

    def build() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for position, raw in enumerate(frame.to_dict("records")):
            row = cast(dict[str, Any], raw)
            row["_position"] = position
            out.setdefault(str(row[column]), []).append(row)
        return out

    return cached_on(frame, f"records_by:{column}", build)


def projects_by_pairing(atlas: Atlas) -> dict[str, pd.DataFrame]:
    """pairing id -> its pairing projects, oldest first (built once per projects table)."""
    projects = atlas.projects

    def build() -> dict[str, pd.DataFrame]:
        own = projects[projects["role"] == "pairing"].sort_values(
            ["year_from", "project_id"], na_position="last"
        )
        return {str(k): g for k, g in own.groupby("pairing_id", sort=False)}

    return cached_on(projects, "by_pairing", build)


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
