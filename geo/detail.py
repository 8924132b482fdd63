"""Which counties the atlas can show down to their townships, and what each view shows:
decided by the data, not by code (the next county pair with township data needs only data)."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Literal

from geo.atlas import Atlas
from geo.query import cached_on

ViewName = Literal["detail", "overview"]


def detail_counties(atlas: Atlas) -> frozenset[str]:
    """Counties with at least one township in the units table or an area on the map."""
    units = atlas.units

    def build() -> frozenset[str]:
        towns = units.loc[units["level"] == "township", "parent_code"]
        return frozenset(str(c) for c in towns) | frozenset(str(c)[:6] for c in atlas.areas["code"])

    # Asked many times per run (views, names, file names): once per data version.
    return cached_on((units, atlas.areas), "detail_counties", build)


def selectable_units(atlas: Atlas) -> list[str]:
    """Units a view can select (the unit selector's options and a link's ``unit``): counties
    with township detail, then their townships, then the villages a pairing or a project
    names, each in code order.

    The units table holds every village and community of those counties (NBS 2020, for
    matching ledgers); the few hundred with no pairing or project are not offered: selecting
    one would show an empty place. Every township is offered, as before (with or without data:
    its panel says whether its partner is published)."""
    frames = (atlas.units, atlas.areas, atlas.pairings, atlas.projects)
    return list(cached_on(frames, "selectable_units", lambda: _selectable_units(atlas)))


def _selectable_units(atlas: Atlas) -> tuple[str, ...]:
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
    return tuple(str(c) for c in ordered["code"])


def overview_units(atlas: Atlas) -> list[str]:
    """Units the overview can select: every county and functional zone (Chengdu first, code
    order), then the detail units (a link with a township still opens it)."""
    u = atlas.units
    tops = u[u["level"].isin(["county", "zone"])].sort_values(["parent_code", "code"])
    first = [str(c) for c in tops["code"]]
    return first + [c for c in selectable_units(atlas) if c not in set(first)]


def _in_detail(code: str, counties: frozenset[str]) -> bool:
    return code[:6] in counties and code[:1].isdigit()


def view_atlas(atlas: Atlas, view: ViewName) -> Atlas:
    """The data a view is about (before the user's filters).

    detail: the pairs whose two ends both lie in counties with township data, their projects,
    and the statements about those counties; overview: the county-level pairs (every stated
    county pair, by round), every project, and the statements about whole sides (county
    level).

    Made once per (data, view): every run of the page asks for it several times, and the
    same frames back let the facts cached on them (geo.query.cached_on) be reused."""
    frames = tuple(getattr(atlas, f.name) for f in fields(atlas))  # the result carries them all
    return cached_on(frames, f"view:{view}", lambda: _view_atlas(atlas, view))


def _view_atlas(atlas: Atlas, view: ViewName) -> Atlas:
    p, agg = atlas.pairings, atlas.aggregates
    if view == "overview":
        return replace(
            atlas, pairings=p[p["level"] == "county"], aggregates=agg[agg["level"] == "county"]
        )
    counties = detail_counties(atlas)
    keep = p["helper_code"].map(lambda c: _in_detail(c, counties)) & p["partner_code"].map(
        lambda c: _in_detail(c, counties)
    )
    pairings = p[keep]
    pr = atlas.projects
    projects = pr[pr["pairing_id"].isin(pairings["pairing_id"]) | (pr["role"] == "context")]
    scope = agg["helper_scope_code"].isin(counties) | agg["partner_scope_code"].isin(counties)
    return replace(
        atlas,
        pairings=pairings,
        projects=projects,
        figures=atlas.figures[atlas.figures["project_id"].isin(projects["project_id"])],
        aggregates=agg[scope & (agg["level"] != "county")],
    )


def detail_pairs(atlas: Atlas) -> list[tuple[str, str]]:
    """(helper county, partner county) of the county pairs that have township data at both
    ends, in code order: what the detail view is about."""
    frames = (atlas.units, atlas.areas, atlas.pairings)
    return list(cached_on(frames, "detail_pairs", lambda: _detail_pairs(atlas)))


def _detail_pairs(atlas: Atlas) -> tuple[tuple[str, str], ...]:
    counties = detail_counties(atlas)
    p = atlas.pairings
    rows = p[
        (p["level"] == "county")
        & p["helper_code"].isin(counties)
        & p["partner_code"].isin(counties)
    ]
    return tuple(sorted(set(zip(rows["helper_code"], rows["partner_code"], strict=True))))


def detail_names(atlas: Atlas, lang: str) -> list[tuple[str, str]]:
    """(helper name, partner name) per detail pair, short forms in ``lang`` (温江区 → 温江,
    "Wenjiang District" → "Wenjiang")."""
    frames = (atlas.units, atlas.areas, atlas.pairings)
    return list(cached_on(frames, f"detail_names:{lang}", lambda: _detail_names(atlas, lang)))


def _detail_names(atlas: Atlas, lang: str) -> tuple[tuple[str, str], ...]:
    names = atlas.units.set_index("code")
    column = "name_zh" if lang == "zh" else "name_en"
    out = []
    for a, b in detail_pairs(atlas):
        out.append(
            (
                short_name(str(names.loc[a, column]), lang),
                short_name(str(names.loc[b, column]), lang),
            )
        )
    return tuple(out)


def short_name(name: str, lang: str) -> str:
    """A county's name without its kind (色达县 → 色达; "Seda County" → "Seda")."""
    if lang == "zh":
        return name[:-1] if len(name) > 2 and name[-1] in "县区市" else name
    return re.sub(r"\s+(County|District|City)$", "", name)


def detail_slug(atlas: Atlas) -> str:
    """ASCII name of what the detail view is about, for file names ("helper-partner" in pinyin)."""
    words = [
        re.sub(r"[^a-z0-9]+", "-", f"{a}-{b}".lower()).strip("-")
        for a, b in detail_names(atlas, "en")
    ]
    return "_".join(words) or "detail"
