"""What an export shows: the app's view (URL parameters) over the loaded data, in words.

The app and the command line both build an :class:`ExportView`; the app from its widgets, the
command line from ``--query`` (parsed by ``ui.urlstate.parse_query``, the app's own parser), so
the same link gives the same file.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs

from geo.atlas import Atlas
from geo.columns import PAIRING_LEVELS, PROJECT_TYPES, ROUND_KEYS
from geo.detail import detail_slug, overview_units, selectable_units, view_atlas
from geo.display import DisplayGeometry
from geo.filters import apply_filters, year_bounds
from geo.headline import view_label
from geo.i18n import Lang, colon, list_sep, paren, source_text, t
from geo.periods import round_label, round_short
from layers.compose import MapOptions, attribution
from layers.popups import unit_name
from ui.urlstate import Notice, ViewState, parse_query, to_query

# The overview is about both prefectures; the detail view's name comes from the data
# (geo.detail.detail_slug: the county pairs with township data).
OVERVIEW_SLUG = "chengdu-ganzi-overview"
MAX_NAME = 120  # characters of a file name before the date and extension


@dataclass(frozen=True)
class ExportView:
    """The data, the view state and what only the app knows (link width, the tour step)."""

    full: Atlas
    display: DisplayGeometry
    state: ViewState = field(default_factory=ViewState)
    width_by: str | None = None  # a measure key: link width by that figure (app sidebar)
    step: str | None = None  # presentation: the pairing id of the tour step on screen
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def lang(self) -> Lang:
        return self.state.lang

    def shown(self) -> Atlas:
        """The filtered data, as the app shows it (what the view is about, then the filters)."""
        return apply_filters(view_atlas(self.full, self.state.view), self.state.filters)

    def map_options(self, **changes: object) -> MapOptions:
        """The map on screen: basemap none (exports draw offline), no full-screen button."""
        options = MapOptions(
            lang=self.lang,
            basemap="none",
            view=self.state.view,
            selected=self.state.filters.unit,
            focus_pair=self.step or self.state.pair,
            width_by=self.width_by,
            fullscreen=False,
        )
        return replace(options, **changes)  # type: ignore[arg-type]


def parse_link(query: str) -> dict[str, list[str]]:
    """``lang=en&types=industry`` (or a whole link: what follows ``?``) as parse_query wants it."""
    query = query.strip()
    if "?" in query:
        query = query.split("?", 1)[1]
    query = query.split("#", 1)[0]
    return parse_qs(query, keep_blank_values=True)


def view_from_query(
    full: Atlas, display: DisplayGeometry, query: str, today: datetime.date | None = None
) -> tuple[ExportView, list[Notice]]:
    """The view a shared link shows, with the notices the app would show for it."""
    link = parse_link(query)
    overview = (link.get("view") or [""])[-1] == "overview"
    state, notices = parse_query(
        link,
        set(overview_units(full) if overview else selectable_units(full)),
        year_bounds(view_atlas(full, "overview" if overview else "detail")),
        frozenset(full.pairings["pairing_id"]),
    )
    view = ExportView(full, display, state)
    return (replace(view, today=today) if today else view), notices


def title(view: ExportView) -> str:
    return t("app_title", view.lang)


def view_name(view: ExportView) -> str:
    return view_label(view.full, view.state.view, view.lang)


def filters_text(view: ExportView) -> str:
    """The active filters and selection in words; ``none (all data)`` when nothing is set."""
    lang = view.lang
    f = view.state.filters
    sep = colon(lang)
    parts = []
    if f.types is not None:
        names = [PROJECT_TYPES[k][0 if lang == "zh" else 1] for k in PROJECT_TYPES if k in f.types]
        parts.append(t("types", lang) + sep + _names(names, lang))
    if f.years_narrowed():
        lo, hi = year_bounds(view_atlas(view.full, view.state.view))
        years = f"{f.year_from or lo}–{f.year_to or hi}"
        if f.include_spans:
            years += paren(t("spans", lang), lang)
        parts.append(t("years", lang) + sep + years)
    if f.levels is not None:
        names = [t(f"level_{k}", lang) for k in PAIRING_LEVELS if k in f.levels]
        parts.append(t("levels", lang) + sep + _names(names, lang))
    if f.rounds is not None:
        names = [round_label(k, lang) for k in ROUND_KEYS if k in f.rounds]
        parts.append(t("rounds", lang) + sep + _names(names, lang))
    if f.unit:
        parts.append(t("export_selected", lang) + sep + unit_name(view.full, f.unit, lang))
    pair = view.step or view.state.pair
    if pair:
        parts.append(t("export_pair", lang) + sep + pair_name(view.full, pair, lang))
    body = list_sep(lang).join(parts) if parts else t("export_no_filter", lang)
    return t("filters", lang) + sep + body


def _names(names: list[str], lang: Lang) -> str:
    """Chosen values as a list; a filter cleared of every choice says so."""
    return ("、" if lang == "zh" else ", ").join(names or [t("export_none_chosen", lang)])


def pair_name(full: Atlas, pairing_id: str, lang: Lang) -> str:
    rows = full.pairings[full.pairings["pairing_id"] == pairing_id]
    if rows.empty:
        return pairing_id
    p = rows.iloc[0]
    helper = unit_name(full, str(p["helper_code"]), lang)
    partner = unit_name(full, str(p["partner_code"]), lang)
    # The same two units in several rounds (成华区 → 丹巴县 in rounds 1 and 3) are several
    # pages and slides: the round tells them apart.
    same = full.pairings[
        (full.pairings["helper_code"] == p["helper_code"])
        & (full.pairings["partner_code"] == p["partner_code"])
    ]
    if len(same) > 1:
        return f"{helper} → {partner} · {round_short(str(p.get('round', '')), lang)}"
    return f"{helper} → {partner}"


def cited_sources(view: ExportView) -> list[str]:
    """The sources the shown pairs, projects and statements rest on, cited in the view's
    language with their address; then the map's own credits (boundaries, codes)."""
    shown = view.shown()
    used = {
        *shown.pairings["source_id"],
        *shown.projects["source_id"],
        *shown.aggregates["source_id"],
    }
    rows = view.full.sources[view.full.sources["source_id"].isin(used)]
    out = [
        source_text(str(s["publisher"]), str(s["title"]), str(s["date"]), view.lang)
        + (f" {s['url']}" if s["url"] else "")
        for _, s in rows.iterrows()
    ]
    return [*out, attribution(view.lang, view.full.areas, view.state.view == "overview")]


def data_version(view: ExportView) -> str:
    """The data version in words: the newest publication date of the sources that the pairs,
    projects and statements cite (of all the data, whatever the filter).

    The tables carry no version number of their own and their file dates change with every
    copy; the reference datasets (codes, outlines) are dated by their own releases, which say
    nothing about how current the pairing facts are."""
    full = view_atlas(view.full, view.state.view)
    used = {*full.pairings["source_id"], *full.projects["source_id"], *full.aggregates["source_id"]}
    cited = full.sources.loc[full.sources["source_id"].isin(used), "date"]
    dates = [str(d) for d in cited if d]
    latest = max(dates) if dates else "—"
    return t("export_data_version", view.lang).format(date=latest)


def made_text(view: ExportView) -> str:
    return t("export_made", view.lang).format(date=view.today.isoformat())


def file_name(view: ExportView, extension: str, suffix: str = "") -> str:
    """An ASCII name that says what the file shows: the county pair or the overview, each
    filter as in the link (``types-industry``), the selection, the language, the date."""
    parts = [OVERVIEW_SLUG if view.state.view == "overview" else detail_slug(view.full)]
    query = to_query(view.state)
    for key in ("types", "from", "to", "level", "round", "unit", "pair", "spans"):
        if key in query:
            parts.append(f"{key}-{query[key].replace(',', '-')}")
    if view.step and view.step != view.state.pair:
        parts.append(f"step-{view.step}")
    if view.lang != "zh":
        parts.append(view.lang)
    if suffix:
        parts.append(suffix)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", "_".join(parts))
    stem = stem[:MAX_NAME].strip("-_")
    return f"{stem}_{view.today.isoformat()}.{extension}"
