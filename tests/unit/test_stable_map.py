"""The explore view's map as a stable base and a state (issue 14): a filter change or a
selection sends a new state to the map in the page instead of a new map (a new iframe)."""

from __future__ import annotations

import json
import re

import folium
import pytest
import streamlit_folium as sf

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from geo.filters import Filters, filtered_view
from layers.compose import GEOMETRY_KINDS, MapOptions, build_map, build_stable_map
from ui.data import AtlasData
from ui.mapview import state_token

URLS = tuple((kind, f"/app/static/cache/{kind}.json") for kind in GEOMETRY_KINDS)
TOWNSHIP = "510131101000"  # a Pujiang township paired in the bundled data (P02)


def _base_key(m: folium.Map) -> str:
    """What streamlit-folium keys its component by (a new key is a new iframe)."""
    return str(sf.generate_js_hash(sf._get_map_string(m), "atlas-map", False))


def _state_script(base: folium.Map, state: folium.FeatureGroup) -> str:
    """The state as streamlit-folium sends it (this adds it to ``base``: take the base's
    own script first, as st_folium does)."""
    return str(sf._get_feature_group_string(state, map=base))


def _pair_of(atlas: Atlas) -> str:
    return str(atlas.pairings.loc[atlas.pairings["level"] == "township", "pairing_id"].iloc[0])


@pytest.mark.parametrize("view", ["detail", "overview"])
def test_filters_and_selections_keep_the_same_base_map(
    atlas: Atlas, display: DisplayGeometry, view: str
) -> None:
    """The base (what the component is keyed by) is the same for every filter and selection
    of a view; the states differ."""
    full = view_atlas(atlas, view)  # type: ignore[arg-type]
    some = filtered_view(atlas, view, Filters(types=frozenset({"industry"})))  # type: ignore[arg-type]
    base_options = MapOptions(view=view, popups=False, geometry_urls=URLS)  # type: ignore[arg-type]
    county = str(full.pairings["helper_code"].iloc[0])
    variants = [
        (full, base_options),
        (some, base_options),
        (full, MapOptions(view=view, popups=False, geometry_urls=URLS, selected=county)),  # type: ignore[arg-type]
        (full, MapOptions(view=view, popups=False, geometry_urls=URLS, width_by="people")),  # type: ignore[arg-type]
    ]
    if view == "detail":
        variants.append(
            (full, MapOptions(popups=False, geometry_urls=URLS, focus_pair=_pair_of(full)))
        )
    keys, states = set(), set()
    for shown, options in variants:
        base, state = build_stable_map(shown, display, options, "t")
        keys.add(_base_key(base))
        states.add(_state_script(base, state))
    assert len(keys) == 1
    assert len(states) == len(variants)


def test_the_state_holds_every_layer_the_whole_map_has(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    shown = view_atlas(atlas, "detail")
    options = MapOptions(popups=False, geometry_urls=URLS, selected=TOWNSHIP)
    whole = build_map(shown, display, options)
    base, state = build_stable_map(shown, display, options, "tok-1")
    base_script = sf._get_map_string(base)
    script = _state_script(base, state)
    # The same layers, registered under the same names, in the same order.
    registered = re.findall(r"window\.atlas\.layers\[(\"\w+\")\]", whole.get_root().render())
    assert registered and re.findall(r"window\.atlas\.layers\[(\"\w+\")\]", script) == registered
    # Each on the page's map (streamlit-folium names it map_div), not on the state's group.
    assert script.count("window.atlas.map = map_div;") == len(registered)
    assert "addAttribution" in script and "atlas-legend-title" in script
    # Reset first, the token last; the base has no layer of the data and no legend.
    assert script.index("window.atlasTeardown = []") < script.index("window.atlas.layers[")
    assert 'window.atlas.state = "tok-1"' in script
    assert "window.atlas.layers[" not in base_script and "atlas-legend-title" not in base_script
    assert not any(name in base_script for name in shown.units["name_zh"])


def test_a_selection_is_fitted_by_the_state_and_the_base_keeps_the_view_extent(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    shown = view_atlas(atlas, "detail")
    plain = MapOptions(popups=False, geometry_urls=URLS)
    chosen = MapOptions(popups=False, geometry_urls=URLS, selected=TOWNSHIP)
    whole_plain = build_map(shown, display, plain).get_root().render()
    whole_chosen = build_map(shown, display, chosen).get_root().render()
    base, state = build_stable_map(shown, display, chosen, "t")
    base_script = sf._get_map_string(base)
    fit = re.compile(r"fitBounds\(\s*(\[\[[-\d.]+, [-\d.]+\], \[[-\d.]+, [-\d.]+\]\])")
    # The base is fitted where the whole map without a selection is; the state where the
    # whole map with the selection is.
    assert fit.findall(base_script) == fit.findall(whole_plain)[:1]
    assert fit.findall(_state_script(base, state)) == fit.findall(whole_chosen)[:1]
    assert fit.findall(whole_plain)[:1] != fit.findall(whole_chosen)[:1]


def test_presentation_draws_a_whole_map(atlas: Atlas, display: DisplayGeometry) -> None:
    with pytest.raises(ValueError):
        build_stable_map(view_atlas(atlas, "detail"), display, MapOptions(present=True), "t")


def test_the_state_token_follows_what_the_map_shows(atlas: Atlas, display: DisplayGeometry) -> None:
    data = AtlasData(atlas=atlas, counties=display.counties, display=display)
    full = view_atlas(atlas, "detail")
    options = MapOptions(popups=False)
    token = state_token(full, data, options)
    assert token == state_token(view_atlas(atlas, "detail"), data, options)  # same state
    some = filtered_view(atlas, "detail", Filters(types=frozenset({"industry"})))
    assert state_token(some, data, options) != token
    assert state_token(full, data, MapOptions(popups=False, selected=TOWNSHIP)) != token
    assert state_token(full, data, MapOptions(popups=False, lang="en")) != token


def test_a_filter_leaving_no_county_pair_keeps_the_view_and_its_counties(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    """Without the county pair (levels: township and village) the view is still about the
    same two counties: fitted to them, outlined and named, as with every level shown."""
    home = view_atlas(atlas, "detail")
    some = filtered_view(atlas, "detail", Filters(levels=frozenset({"township", "village"})))
    assert not (some.pairings["level"] == "county").any()
    options = MapOptions(popups=False, geometry_urls=URLS)
    fits, labels = [], []
    for shown in (home, some):
        base, state = build_stable_map(shown, display, options, "t", home=home)
        script = _state_script(base, state)
        fits.append(re.findall(r"var key = (\"[^\"]+\")", script))
        labels.append(re.findall(r"atlas-label-county[^\\]*\\u003e([^\\]+)\\u003c", script))
    assert fits[0] == fits[1] and len(fits[0]) == 1
    assert labels[0] == labels[1] and len(labels[0]) == 2, labels


def test_the_base_fit_is_not_animated(atlas: Atlas, display: DisplayGeometry) -> None:
    """An animated fit of the new map would end a quarter second later, over the fit the
    state has set meanwhile (a shared link with a selection opened at the unselected view)."""
    base, _ = build_stable_map(view_atlas(atlas, "detail"), display, MapOptions(), "t")
    fit = re.search(r"map_div\.fitBounds\(\s*\[\[.*?\]\],\s*(\{.*?\})\s*\);", _base(base), re.S)
    assert fit and json.loads(fit.group(1))["animate"] is False


def _base(m: folium.Map) -> str:
    return str(sf._get_map_string(m))
