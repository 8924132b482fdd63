"""Filter the atlas by project type, year range, pairing level and unit.

The result is an :class:`Atlas` of the same shape whose pairings, projects and figures are the
filtered ones (units, sources, areas untouched), so every view (map, panel, cards, chart,
downloads) follows one filter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.detail import ViewName, view_atlas
from geo.periods import pairing_spans, round_key
from geo.query import cached_on, descendants

FIRST_YEAR = 2015
LAST_YEAR = 2020


@dataclass(frozen=True)
class Filters:
    """None means "no restriction". Years are inclusive. A dated project matches when its year
    is in the range; an undated one matches only an open range.

    A project reported only as a span ("since the pairing", date_precision == "period") is not
    an event of any one year: it is shown when all years are shown, and under a narrowed year
    range only when ``include_spans`` is set (then when its span overlaps the range)."""

    types: frozenset[str] | None = None
    year_from: int | None = None
    year_to: int | None = None
    levels: frozenset[str] | None = None
    unit: str | None = None
    include_spans: bool = False
    # Round keys (columns.ROUND_KEYS: R1, R2, R3, and "across" for pairs placed in none).
    rounds: frozenset[str] | None = None

    def years_narrowed(self) -> bool:
        return self.year_from is not None or self.year_to is not None

    def is_open(self) -> bool:
        # include_spans changes nothing while all years are shown.
        return replace(self, include_spans=False) == Filters()


def year_bounds(atlas: Atlas) -> tuple[int, int]:
    """The earliest and latest year of the pairings (their periods, see geo.periods) and their
    projects (context rows about a place, such as 明月村 since 2015, do not stretch the
    timeline)."""
    frames = (atlas.projects, atlas.pairings, atlas.sources)
    return cached_on(frames, "year_bounds", lambda: _year_bounds(atlas))


def _year_bounds(atlas: Atlas) -> tuple[int, int]:
    pr = atlas.projects[atlas.projects["role"] == "pairing"]
    spans = pairing_spans(atlas)
    years = [
        *pr["year_from"].dropna().astype(int),
        *pr["year_to"].dropna().astype(int),
        *spans["year_from"].dropna().astype(int),
        *spans["year_to"].dropna().astype(int),
    ]
    return (min(years), max(years)) if years else (FIRST_YEAR, LAST_YEAR)


def _pairings(atlas: Atlas, f: Filters) -> pd.DataFrame:
    p = atlas.pairings
    keep = pd.Series(True, index=p.index)
    if f.levels is not None:
        keep &= p["level"].isin(f.levels)
    if f.rounds is not None:
        keep &= p["round"].map(round_key).isin(f.rounds)
    if f.year_from is not None or f.year_to is not None:
        # A pair is kept while its period overlaps the years; an undated pair with no round
        # is kept whatever the years (nothing says when it was not running).
        spans = pairing_spans(atlas).set_index("pairing_id").reindex(p["pairing_id"])
        first = spans["year_from"].to_numpy(dtype="float", na_value=float("nan"))
        last = spans["year_to"].to_numpy(dtype="float", na_value=float("nan"))
        lo = f.year_from if f.year_from is not None else -10_000
        hi = f.year_to if f.year_to is not None else 10_000
        overlap = [
            (a != a or a <= hi) and (b != b or b >= lo) for a, b in zip(first, last, strict=True)
        ]
        keep &= pd.Series(overlap, index=p.index)
    if f.unit:
        # The unit's own pairs, and the pairs its projects are filed under (甘溪镇's projects
        # with an unnamed partner township belong to the county pair).
        inside = descendants(atlas, f.unit)
        pr = atlas.projects
        filed = pr.loc[
            pr["helper_code"].isin(inside) | pr["partner_code"].isin(inside), "pairing_id"
        ]
        keep &= (
            p["helper_code"].isin(inside)
            | p["partner_code"].isin(inside)
            | p["pairing_id"].isin(filed)
        )
    return p[keep]


def _projects(atlas: Atlas, f: Filters, pairing_ids: set[str]) -> pd.DataFrame:
    pr = atlas.projects
    keep = pr["role"].eq("context") | pr["pairing_id"].isin(pairing_ids)
    if f.types is not None:
        keep &= pr["type"].isin(f.types)
    if f.year_from is not None or f.year_to is not None:
        lo = f.year_from if f.year_from is not None else -10_000
        hi = f.year_to if f.year_to is not None else 10_000
        start = pr["year_from"].fillna(pr["year_to"])
        end = pr["year_to"].fillna(pr["year_from"])
        keep &= start.notna() & (start <= hi) & (end >= lo)
        if not f.include_spans:
            keep &= pr["date_precision"] != "period"
    if f.unit:
        inside = descendants(atlas, f.unit)
        keep &= pr["helper_code"].isin(inside) | pr["partner_code"].isin(inside)
    return pr[keep.fillna(False).astype(bool)]


def apply_filters(atlas: Atlas, f: Filters) -> Atlas:
    """The atlas restricted to ``f``. With a type filter only the pairs that have projects of
    those types remain. Context rows stay only while they match type, year and unit (they
    never count as pairing projects)."""
    if f.is_open():
        return atlas
    pairings = _pairings(atlas, f)
    projects = _projects(atlas, f, set(pairings["pairing_id"]))
    if f.types is not None:
        # A type filter asks "where does this kind of help go": keep the pairs that have it.
        pairings = pairings[pairings["pairing_id"].isin(projects["pairing_id"])]
    figures = atlas.figures[atlas.figures["project_id"].isin(projects["project_id"])]
    return replace(atlas, pairings=pairings, projects=projects, figures=figures)


def type_counts(atlas: Atlas) -> dict[str, int]:
    """Pairing projects per type, every type of the vocabulary present (zero included)."""
    pr = atlas.projects[atlas.projects["role"] == "pairing"]
    counts = pr["type"].value_counts()
    return {k: int(counts.get(k, 0)) for k in PROJECT_TYPES}


def filtered_view(atlas: Atlas, view: ViewName, f: Filters) -> Atlas:
    """``apply_filters(view_atlas(atlas, view), f)``, made once per (data, view, filters).

    Every rerun of the page with the same filters gets the very same frames back, so the
    facts cached on them (geo.query: per-unit counts, the project table) are reused instead of
    rebuilt on every click and every rerun."""
    return cached_on(
        atlas.projects, f"filtered:{view}:{f!r}", lambda: apply_filters(view_atlas(atlas, view), f)
    )
