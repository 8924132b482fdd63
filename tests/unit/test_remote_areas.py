"""Shapes served once per data version (issue 14): the map script carries each shape's
properties and style, the browser fetches the geometry from content-named static files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import shapely

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from layers.compose import GEOMETRY_KINDS, MapOptions, build_map, geometry_files
from ui.mapview import CACHE_URL, geometry_urls

URLS = tuple((kind, f"/app/static/cache/{kind}.json") for kind in GEOMETRY_KINDS)


def _first_coordinate(frame: object) -> str:
    x, y = shapely.get_coordinates(frame.geometry.iloc[0])[0]  # type: ignore[attr-defined]
    return f"[{x}, {y}]"


def test_with_urls_the_script_has_properties_but_no_geometry(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    shown = view_atlas(atlas, "detail")
    inline = build_map(shown, display, MapOptions(popups=False)).get_root().render()
    remote = build_map(shown, display, MapOptions(popups=False, geometry_urls=URLS))
    html = remote.get_root().render()
    for frame in (display.areas, display.counties, display.prefectures):
        assert _first_coordinate(frame) in inline
        assert _first_coordinate(frame) not in html
    for _, url in URLS:
        assert f'"{url}"' in html
    for code in display.areas["code"]:  # every township's properties, tooltip included
        assert f'"{code}":{{' in html
    assert "大塘镇" in html and len(html) < len(inline) / 3


def test_geometry_files_hold_every_shape_and_are_named_by_their_content(
    display: DisplayGeometry,
) -> None:
    files = geometry_files(display, "none")
    for kind, frame in (
        ("areas", display.areas),
        ("counties", display.counties),
        ("prefectures", display.prefectures),
    ):
        name, body = files[kind]
        assert name.startswith(f"{kind}-")
        collection = json.loads(body)
        assert [f["properties"]["code"] for f in collection["features"]] == list(frame["code"])
        first = shapely.geometry.shape(collection["features"][0]["geometry"])
        assert first.equals(frame.geometry.iloc[0])
    # GCJ-02 tiles get the shifted shapes, under other names.
    gcj = geometry_files(display, "amap")
    assert all(gcj[k][0] != files[k][0] for k in GEOMETRY_KINDS)
    moved = replace(
        display, areas=display.areas.assign(geometry=display.areas.translate(0.01, 0.0))
    )
    assert geometry_files(moved, "none")["areas"][0] != files["areas"][0]


def test_geometry_urls_write_each_file_once(display: DisplayGeometry, tmp_path: Path) -> None:
    urls = dict(geometry_urls(display, "none", tmp_path))
    files = geometry_files(display, "none")
    assert set(urls) == set(GEOMETRY_KINDS)
    for kind, (name, body) in files.items():
        assert urls[kind] == CACHE_URL + name
        assert (tmp_path / name).read_bytes() == body
        assert (tmp_path / name).stat().st_mode & 0o044  # readable by a proxy serving static/
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert dict(geometry_urls(display, "none", tmp_path)) == urls
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps
    assert sorted(stamps) == sorted(name for name, _ in files.values())  # no temporary file


def test_unwritable_folder_falls_back_to_the_script(
    display: DisplayGeometry, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert geometry_urls(display, "none", blocker / "cache") == ()


def test_names_in_the_properties_cannot_close_the_script(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    code = display.areas["code"].iloc[0]
    hostile = "</script><script>alert(1)</script>"
    units = atlas.units.assign(
        name_zh=atlas.units["name_zh"].where(atlas.units["code"] != code, hostile)
    )
    shown = view_atlas(replace(atlas, units=units), "detail")
    html = build_map(shown, display, MapOptions(popups=False, geometry_urls=URLS))
    text = html.get_root().render()
    assert "alert(1)" in text  # the name is there, as text
    assert "<script>alert" not in text and "</script><script>" not in text
