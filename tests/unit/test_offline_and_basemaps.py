"""The take-away HTML file is self-contained; tile basemaps are configured correctly."""

from __future__ import annotations

import re

import pytest

from geo.atlas import Atlas
from geo.display import DisplayGeometry
from layers.basemap import make_map, needs_gcj02
from layers.compose import MapOptions, build_map
from ui.offline_html import standalone_html

BOUNDS = (102.0, 29.5, 103.7, 30.4)


def test_standalone_html_inlines_every_script_and_style(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    html = standalone_html(build_map(atlas, display, MapOptions()))
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r'<link[^>]+rel="stylesheet"', html)
    assert "/app/static" not in html
    assert "L.Map" in html or "L.map" in html  # Leaflet itself is inside
    assert 'window.atlas.layers["townships"]' in html


def test_tianditu_needs_a_key_and_uses_it() -> None:
    with pytest.raises(ValueError, match="TIANDITU_KEY"):
        make_map(BOUNDS, basemap="tianditu")
    html = make_map(BOUNDS, basemap="tianditu", tianditu_key="k-123").get_root().render()
    assert (
        "tianditu.gov.cn/vec_w" in html and "tianditu.gov.cn/cva_w" in html and "tk=k-123" in html
    )
    assert not needs_gcj02("tianditu") and needs_gcj02("amap") and not needs_gcj02("osm")


def test_unknown_basemap_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown basemap"):
        make_map(BOUNDS, basemap="bing")  # type: ignore[arg-type]
