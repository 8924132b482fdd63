"""Township areas served once per data version (issue 14): the map script carries each
township's properties, the browser fetches the geometry from a content-named static file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import shapely

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from layers.compose import MapOptions, areas_file, build_map
from ui.mapview import CACHE_URL, areas_url


def _first_coordinate(display: DisplayGeometry) -> str:
    x, y = shapely.get_coordinates(display.areas.geometry.iloc[0])[0]
    return f"[{x}, {y}]"


def test_with_a_url_the_script_has_properties_but_no_area_geometry(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    shown = view_atlas(atlas, "detail")
    inline = build_map(shown, display, MapOptions(popups=False)).get_root().render()
    remote = (
        build_map(shown, display, MapOptions(popups=False, areas_url="/app/static/cache/a.json"))
        .get_root()
        .render()
    )
    assert _first_coordinate(display) in inline
    assert _first_coordinate(display) not in remote
    assert '"/app/static/cache/a.json"' in remote
    for code in display.areas["code"]:  # every township's properties, tooltip included
        assert f'"{code}":{{' in remote
    assert "大塘镇" in remote and len(remote) < len(inline)


def test_areas_file_holds_every_area_and_is_named_by_its_content(
    display: DisplayGeometry,
) -> None:
    name, body = areas_file(display, "none")
    collection = json.loads(body)
    assert [f["properties"]["code"] for f in collection["features"]] == list(display.areas["code"])
    first = shapely.geometry.shape(collection["features"][0]["geometry"])
    assert first.equals(display.areas.geometry.iloc[0])
    # GCJ-02 tiles get the shifted areas, under another name.
    gcj_name, gcj_body = areas_file(display, "amap")
    assert gcj_name != name and gcj_body != body
    moved = replace(
        display, areas=display.areas.assign(geometry=display.areas.translate(0.01, 0.0))
    )
    assert areas_file(moved, "none")[0] != name


def test_areas_url_writes_the_file_once(display: DisplayGeometry, tmp_path: Path) -> None:
    url = areas_url(display, "none", tmp_path)
    name, body = areas_file(display, "none")
    assert url == CACHE_URL + name
    assert (tmp_path / name).read_bytes() == body
    stamp = (tmp_path / name).stat().st_mtime_ns
    assert areas_url(display, "none", tmp_path) == url
    assert (tmp_path / name).stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_unwritable_folder_falls_back_to_the_script(
    display: DisplayGeometry, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert areas_url(display, "none", blocker / "cache") is None


def test_names_in_the_properties_cannot_close_the_script(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    code = display.areas["code"].iloc[0]
    hostile = "</script><script>alert(1)</script>"
    units = atlas.units.assign(
        name_zh=atlas.units["name_zh"].where(atlas.units["code"] != code, hostile)
    )
    shown = view_atlas(replace(atlas, units=units), "detail")
    html = (
        build_map(shown, display, MapOptions(popups=False, areas_url="/app/static/cache/a.json"))
        .get_root()
        .render()
    )
    assert "alert(1)" in html  # the name is there, as text
    assert "<script>alert" not in html and "</script><script>" not in html
