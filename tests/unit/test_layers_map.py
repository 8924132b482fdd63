"""Map layers: features, properties, styles, escaping, selection, GCJ-02 and scale."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from geo.atlas import Atlas
from geo.coords import wgs84_to_gcj02
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from geo.geometry import arc_between, arrow_head
from layers.arcs import arc_features
from layers.compose import MapOptions, build_map, highlight_sets, to_basemap_crs
from layers.style import ARC_COLORS, DIM_OPACITY, count_color
from layers.townships import _style as township_style
from layers.townships import township_features

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _rendered(options: MapOptions, atlas: Atlas, display: DisplayGeometry) -> str:
    """The map's HTML with JSON \\uXXXX escapes decoded, as the browser's JS would see it."""
    html = build_map(atlas, display, options).get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def _props(fc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f["properties"] for f in fc["features"]]


def test_arc_bends_left_and_ends_at_partner() -> None:
    line = arc_between((103.37, 30.29), (102.12, 29.64), bend=0.2)
    coords = np.asarray(line.coords)
    assert tuple(coords[0]) == pytest.approx((103.37, 30.29))
    assert tuple(coords[-1]) == pytest.approx((102.12, 29.64))
    # Travelling south-west, "left" is south-east: the middle lies below the chord.
    mid = coords[len(coords) // 2]
    chord_mid_lat = (30.29 + 29.64) / 2
    assert mid[1] < chord_mid_lat
    head = arrow_head(line)
    assert head.is_valid and head.distance(shapely.Point(coords[-1])) == 0


def test_arcs_for_every_stated_pair_styled_by_level(atlas: Atlas, display: DisplayGeometry) -> None:
    fc = arc_features(view_atlas(atlas, "detail"), display.anchors, "zh")
    arcs = [p for p in _props(fc) if p["part"] == "arc"]
    assert sorted(p["pairing_id"] for p in arcs) == ["P01", "P02", "P03", "P04"]
    for p in arcs:
        assert p["color"] == ARC_COLORS[p["level"]]
    villages = {p["pairing_id"]: p for p in arcs if p["level"] == "village"}
    assert not villages["P03"]["located"] and "所在乡镇" in villages["P03"]["tip"]
    assert "大塘镇 → 磨西镇" in next(p["tip"] for p in arcs if p["pairing_id"] == "P02")
    geoms = [shape(f["geometry"]) for f in fc["features"] if f["properties"]["pairing_id"] == "P02"]
    assert {g.geom_type for g in geoms} == {"LineString", "Polygon"}


def test_arc_popup_lists_the_pairs_projects_with_figures_and_source(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    fc = arc_features(atlas, display.anchors, "zh")
    popup = next(p["popup"] for p in _props(fc) if p["pairing_id"] == "P02" and p["part"] == "arc")
    assert "电子商务专题培训" in popup and "100余人次" in popup and "10余人" in popup
    assert "四川三农新闻网" in popup and "2019年大塘镇和磨西镇结对" in popup
    en = arc_features(atlas, display.anchors, "en")
    popup_en = next(p["popup"] for p in _props(en) if p["pairing_id"] == "P02")
    assert "Datang Town → Moxi Town" in popup_en and "over 100 person-times" in popup_en


def test_width_by_figure(atlas: Atlas, display: DisplayGeometry) -> None:
    plain = {
        p["pairing_id"]: p["weight"] for p in _props(arc_features(atlas, display.anchors, "zh"))
    }
    by_mu = {
        p["pairing_id"]: p["weight"]
        for p in _props(arc_features(atlas, display.anchors, "zh", width_by="planted_area:亩"))
    }
    assert by_mu["P01"] > plain["P01"]  # the county pair carries all the planted area
    assert by_mu["P02"] == plain["P02"]
    tips = {
        p["pairing_id"]: p["tip"]
        for p in _props(arc_features(atlas, display.anchors, "en", width_by="planted_area:亩"))
        if p["part"] == "arc"  # the arrow head shows its arc's tooltip (stored once)
    }
    # The tooltip names what the width measures: the planted area only (575 + 400 + 100), not
    # the orchard guided or the forest leased, which are also in 亩.
    assert "area planted: 1,075 mu" in tips["P01"] and "2,175" not in tips["P01"]


def test_township_features_count_projects_and_flag_approximate(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    props = {p["code"]: p for p in _props(township_features(atlas, display.areas, "zh"))}
    assert len(props) == 16  # 燕子沟镇 has no area
    datang = props["510131101000"]
    assert datang["count"] == 15 and datang["fill"] == count_color(15)
    assert datang["approximate"] and "近似" in datang["tip"]
    assert "磨西镇" in datang["popup"] and "八角井村 → 湾东村" in datang["popup"]
    xilai = props["510131104000"]
    assert xilai["count"] == 0 and "结对乡镇未公布" in xilai["popup"]
    style = township_style({"properties": datang})
    assert style["dashArray"] == "5 4"  # approximate areas look approximate


def test_selection_highlights_partner_and_dims_the_rest(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    units, pairs = highlight_sets(atlas, "510131101000")
    assert units is not None and pairs is not None
    assert {"510131101000", "513322103000", "513322105000"} <= units  # 磨西镇; 得妥镇 via 湾东村
    assert pairs == {"P02", "P03"}
    props = {p["code"]: p for p in _props(township_features(atlas, display.areas, "zh", units))}
    assert props["513322103000"]["selected"] and not props["513322103000"]["dim"]
    assert props["510131104000"]["dim"]
    assert township_style({"properties": props["510131104000"]})["fillOpacity"] == DIM_OPACITY
    arcs = _props(arc_features(atlas, display.anchors, "zh", highlight_pairs=pairs))
    assert {p["pairing_id"] for p in arcs if not p["dim"]} == {"P02", "P03"}


def _evil_atlas(atlas: Atlas) -> Atlas:
    projects = atlas.projects.copy()
    projects.loc[projects["project_id"] == "PR01", ["title_zh", "title_en"]] = EVIL
    units = atlas.units.copy()
    units.loc[units["code"] == "510131101000", "name_zh"] = EVIL
    return replace(atlas, projects=projects, units=units)


def test_text_from_data_is_escaped_everywhere(atlas: Atlas, display: DisplayGeometry) -> None:
    evil = _evil_atlas(atlas)
    html = _rendered(MapOptions(), evil, display)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html  # shown as text in the popup, tooltip and label
    fc = township_features(evil, display.areas, "zh")
    datang = next(p for p in _props(fc) if p["code"] == "510131101000")
    for key in ("tip", "popup"):
        assert "<script" not in datang[key] and "&lt;img src=x onerror=alert(1)&gt;" in datang[key]


def test_rendered_map_names_no_cdn_and_registers_layers(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    html = _rendered(MapOptions(basemap="osm"), atlas, display)
    for cdn in (
        "cdn.jsdelivr.net",
        "cdnjs.cloudflare.com",
        "code.jquery.com",
        "bootstrapcdn",
        "unpkg",
    ):
        assert cdn not in html
    for key in ("counties", "townships", "pairs", "labels", "seats", "focus", "prefectures"):
        assert f'window.atlas.layers["{key}"]' in html
    assert "乡镇范围为近似" in html  # the legend says how the areas were made
    assert "燕子沟镇：来源中无驻地位置" in html


def test_amap_converts_every_layer_to_gcj02(atlas: Atlas, display: DisplayGeometry) -> None:
    gcj = to_basemap_crs(display, "amap")
    seat = display.anchors.set_index("code").loc["510131101000"]
    moved = gcj.anchors.set_index("code").loc["510131101000"]
    lon, lat = wgs84_to_gcj02([seat["lon"]], [seat["lat"]])
    assert (moved["lon"], moved["lat"]) == pytest.approx((lon[0], lat[0]))
    a = display.areas.geometry.iloc[0].exterior.coords[0]
    b = gcj.areas.geometry.iloc[0].exterior.coords[0]
    assert b == pytest.approx(tuple(np.ravel(wgs84_to_gcj02([a[0]], [a[1]]))))
    assert to_basemap_crs(display, "osm") is display
    html = build_map(atlas, display, MapOptions(basemap="amap")).get_root().render()
    assert "autonavi.com" in html


def test_display_geometry_is_light_and_gapless(display: DisplayGeometry) -> None:
    counts = display.counties.geometry.count_coordinates().sum()
    assert counts < 20_000  # from 54,224 vertices in the source
    assert shapely.coverage_is_valid(display.counties.geometry.values)
    pieces = pd.concat(
        [display.counties[~display.counties["code"].isin(["510131", "513322"])], display.areas]
    )
    assert shapely.coverage_is_valid(pieces.geometry.values)
    coords = shapely.get_coordinates(display.areas.geometry.values)
    assert np.allclose(coords, np.round(coords, 5))


def test_only_shown_properties_are_sent(atlas: Atlas, display: DisplayGeometry) -> None:
    fc = township_features(atlas, display.areas, "zh")
    assert set(fc["features"][0]["properties"]) == {
        "code",
        "count",
        "fill",
        "approximate",
        "dim",
        "selected",
        "tip",
        "popup",
    }
    size = len(json.dumps(fc, ensure_ascii=False))
    assert size < 150_000


def test_english_map_text_has_no_chinese_around_english(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    """Tooltips, popups and the legend in English: Chinese only inside verbatim quotes and the
    source's own name and title."""
    import html
    import re

    from layers.legend import legend_html

    verbatim = sorted(
        {
            *atlas.pairings["quote"],
            *atlas.projects["quote"],
            *atlas.figures["quote"],
            *atlas.sources["title"],
            *atlas.sources["publisher"],
        },
        key=len,
        reverse=True,
    )
    texts = [legend_html("en", True, [], "planted_area:亩")]
    for features in (
        arc_features(atlas, display.anchors, "en", width_by="planted_area:亩"),
        township_features(atlas, display.areas, "en"),
    ):
        for p in _props(features):
            texts += [p.get("tip", ""), p.get("popup", "")]  # an arrow head shows its arc's
    bad = []
    for h in texts:
        for line in html.unescape(re.sub(r"<[^>]+>", "\n", h)).splitlines():
            rest = line
            for quote in verbatim:
                rest = rest.replace(quote, "")
            if re.search(r"[\u3400-\u9fff：（）、，。“”；]", rest):
                bad.append(line)
    assert bad == []
    legend = legend_html("en", True, [], "planted_area:亩")
    assert "Line width: total area planted (mu)" in legend and "亩" not in legend


def test_overview_legend_keeps_clear_of_chengdu(atlas: Atlas, display: DisplayGeometry) -> None:
    from layers.compose import MapOptions, build_map

    overview = build_map(view_atlas(atlas, "overview"), display, MapOptions(view="overview"))
    html = overview.get_root().render()
    import json

    assert '{position: "topright"}' in html
    assert json.dumps("第一轮")[1:-1] in html and json.dumps("成都以外")[1:-1] in html
    detail = build_map(view_atlas(atlas, "detail"), display, MapOptions())
    assert '{position: "bottomright"}' in detail.get_root().render()


def test_overview_credits_name_the_pages_of_the_county_pairs() -> None:
    from layers.compose import attribution

    assert "公开网页" in attribution("zh", overview=True)
    assert "public web pages" in attribution("en", overview=True)
    assert "public web pages" not in attribution("en")
