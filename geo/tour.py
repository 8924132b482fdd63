"""The guided tour for meetings: one step per stated pair, with its key facts and source."""

from __future__ import annotations

from dataclasses import dataclass

from geo.atlas import Atlas
from geo.query import Total, figures_of, totals_by_unit

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
    totals: list[Total]
    quote: str
    source: str  # publisher, title, date


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
                totals=totals_by_unit(figures_of(atlas, projects)),
                quote=p["quote"],
                source=f"{src['publisher']}《{src['title']}》{src['date']}",
            )
        )
    return steps
