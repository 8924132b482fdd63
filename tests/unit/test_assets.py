"""Every asset a map declares is served locally; an unknown one is refused."""

from __future__ import annotations

import folium
import pytest
from folium.plugins import Fullscreen

from geo.atlas import Atlas
from geo.display import DisplayGeometry
from layers.assets import UnknownAssetError, asset_urls, localize
from layers.basemap import make_map
from layers.compose import MapOptions, build_map
from layers.vendor import LOCAL_ASSETS, NOT_LOADED_BY_ATLAS, STATIC_URL_PREFIX

BOUNDS = (102.0, 29.5, 103.7, 30.4)


def test_plain_folium_map_names_cdns_before_localize() -> None:
    m = make_map(BOUNDS)
    assert any("cdn.jsdelivr.net" in u for u in asset_urls(m))


def test_localize_rewrites_every_asset_to_static() -> None:
    m = make_map(BOUNDS, basemap="osm", tiles_unavailable_message="x")
    Fullscreen().add_to(m)
    localize(m)
    urls = asset_urls(m)
    assert urls and all(u.startswith(STATIC_URL_PREFIX) for u in urls)
    html = m.get_root().render()
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "bootstrapcdn"):
        assert cdn not in html
    assert STATIC_URL_PREFIX + LOCAL_ASSETS["leaflet"] in html


def test_localize_does_not_mutate_folium_class_defaults() -> None:
    localize(make_map(BOUNDS))
    assert folium.Map.default_js[0][1].startswith("https://")


def test_unknown_asset_is_refused() -> None:
    m = make_map(BOUNDS)

    plugin = folium.MacroElement()
    setattr(plugin, "default_js", [("mystery", "https://example.com/mystery.js")])  # noqa: B010
    m.add_child(plugin)
    with pytest.raises(UnknownAssetError, match="mystery"):
        localize(m)


def test_vendored_files_exist_after_setup() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "static" / "vendor"
    missing = [p for p in LOCAL_ASSETS.values() if not (root / p).is_file()]
    assert missing == []


def test_atlas_map_loads_only_the_assets_it_uses(atlas: Atlas, display: DisplayGeometry) -> None:
    for view in ("detail", "overview"):
        urls = asset_urls(build_map(atlas, display, MapOptions(view=view)))
        assert STATIC_URL_PREFIX + LOCAL_ASSETS["leaflet"] in urls
        for name in NOT_LOADED_BY_ATLAS:
            assert STATIC_URL_PREFIX + LOCAL_ASSETS[name] not in urls, name
    # A plain localized folium map (the benchmark's naive baseline) keeps folium's defaults.
    plain = asset_urls(localize(make_map(BOUNDS)))
    assert STATIC_URL_PREFIX + LOCAL_ASSETS["bootstrap_css"] in plain
