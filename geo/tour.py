"""The guided tour for meetings: one step per stated pair, with its key facts and source."""

from __future__ import annotations

from dataclasses import dataclass

from geo.atlas import Atlas
from geo.columns import ROUND_KEYS
from geo.i18n import Lang, source_text
from geo.periods import round_key
from geo.query import Total, figures_of, totals_by_measure

LEVEL_ORDER = {"county": 0, "township": 1, "village": 2}


@dataclass(frozen=True)
class TourStep:
    pairing_id: str
    level: str
    helper_code: str
    partner_code: str
    start_date: str
    relation_zh: str
    relation_en: str
    project_count: int
    totals: list[Total]  # one per (measure, unit): never a sum of unlike things
    quote: str
    source: str  # publisher, title, date (Chinese citation form)
    source_parts: tuple[str, str, str] = ("", "", "")  # publisher, title, date

    def source_in(self, lang: Lang) -> str:
        """The source cited in ``lang`` (names stay verbatim, punctuation follows ``lang``)."""
        return source_text(*self.source_parts, lang) if self.source_parts[0] else self.source


def tour_steps(atlas: Atlas) -> list[TourStep]:
    """Pairs from the top down (county, township, village), oldest first within a level."""
    sources = atlas.sources.set_index("source_id")
    ordered = atlas.pairings.assign(
        _level=atlas.pairings["level"].map(LEVEL_ORDER), _start=atlas.pairings["start_date"]
    ).sort_values(["_level", "_start", "pairing_id"])
    steps = []
    for _, p in ordered.iterrows():
        projects = atlas.projects[
            (atlas.projects["pairing_id"] == p["pairing_id"])
            & (atlas.projects["role"] == "pairing")
        ]
        src = sources.loc[p["source_id"]]
        steps.append(
            TourStep(
                pairing_id=p["pairing_id"],
                level=p["level"],
                helper_code=p["helper_code"],
                partner_code=p["partner_code"],
                start_date=p["start_date"],
                relation_zh=p["relation_zh"],
                relation_en=p["relation_en"],
                project_count=len(projects),
                totals=totals_by_measure(figures_of(atlas, projects)),
                quote=p["quote"],
                source=source_text(src["publisher"], src["title"], src["date"], "zh"),
                source_parts=(src["publisher"], src["title"], src["date"]),
            )
        )
    return steps


@dataclass(frozen=True)
class OverviewStep:
    """A step of the overview tour: a round (``pairing_id`` None: all its county pairs at
    once), or one pair of that round. ``pairing_ids`` are the round's pairs, drawn together."""

    round: str  # a round key (columns.ROUND_KEYS)
    pairing_id: str | None
    pairing_ids: tuple[str, ...]


def overview_tour(atlas: Atlas) -> list[OverviewStep]:
    """Round by round (R1, R2, R3, then the pairs placed in no round); each round first as a
    whole, then pair by pair (by partner, then helper: the units sharing a partner follow each
    other)."""
    county = atlas.pairings[atlas.pairings["level"] == "county"]
    keys = county["round"].map(round_key)
    steps: list[OverviewStep] = []
    for key in ROUND_KEYS:
        rows = county[keys == key].sort_values(["partner_code", "helper_code", "pairing_id"])
        if rows.empty:
            continue
        ids = tuple(str(p) for p in rows["pairing_id"])
        steps.append(OverviewStep(key, None, ids))
        steps += [OverviewStep(key, pid, ids) for pid in ids]
    return steps
