"""The data gate (issue 9): numbers as offices type them, impossible dates and years, control
characters, broken township areas, and files that would make the server read elsewhere.

Every case here crashed, loaded silently or leaked file content before the gate was tightened.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import shapely.affinity
import shapely.geometry

from geo.atlas import AtlasPaths, check_areas_fit, load_atlas
from geo.boundaries import load_boundaries
from geo.errors import AtlasDataError
from geo.paths import COUNTIES_WGS84


@pytest.fixture
def paths(tmp_path: Path) -> AtlasPaths:
    """A copy of the bundled tables in tmp_path, for breaking one at a time."""
    base = AtlasPaths()
    copied = {}
    for field, src in vars(base).items():
        dst = tmp_path / src.name
        shutil.copy(src, dst)
        copied[field] = dst
    return replace(base, **copied)


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(paths: AtlasPaths) -> AtlasDataError:
    with pytest.raises(AtlasDataError) as err:
        load_atlas(paths)
    return err.value


def _first(err: AtlasDataError) -> tuple[str, int | None, str | None, str | None]:
    p = err.problems[0]
    assert p.message_zh and p.message_en and p.expected_zh != p.expected_en
    return p.file, p.row, p.column, p.value


def _edit_areas(paths: AtlasPaths, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(paths.areas.read_text(encoding="utf-8"))
    change(data)
    paths.areas.write_text(json.dumps(data), encoding="utf-8")


# ------------------------------------------------------------------ numbers as offices type them


def test_full_width_digits_are_normalised(paths: AtlasPaths) -> None:
    # PR02 is a 2019–2020 period; F01 is "10 人".
    _sub(paths.projects, ",period,2019,2020,", ",period,２０１９,２０２０,")
    _sub(paths.figures, ",10,人,余,", ",１０３．５,人,余,")
    atlas = load_atlas(paths)
    pr02 = atlas.projects.set_index("project_id").loc["PR02"]
    assert (pr02["year_from"], pr02["year_to"]) == (2019, 2020)
    assert atlas.figures.set_index("figure_id").loc["F01", "quantity"] == 103.5


def test_integers_written_with_point_zero(paths: AtlasPaths) -> None:
    _sub(paths.aggregates, "510131,8,513322,9,", "510131,8.0,513322,9,")
    _sub(paths.projects, ",period,2019,2020,", ",period,2019.0,2020,")
    atlas = load_atlas(paths)
    assert atlas.aggregates["helper_count"].iloc[0] == 8
    assert atlas.projects.set_index("project_id").loc["PR02", "year_from"] == 2019


def test_not_really_numbers_are_refused(paths: AtlasPaths) -> None:
    _sub(paths.figures, ",10,人,余,", ",1e3,人,余,")
    assert _first(_refused(paths)) == ("figures.csv", 2, "quantity", "1e3")
    _sub(paths.figures, ",1e3,人,余,", ",nan,人,余,")
    assert _first(_refused(paths))[3] == "nan"


def test_full_width_code_that_is_not_a_code_is_refused(paths: AtlasPaths) -> None:
    _sub(paths.aggregates, "510131,8,", "510131,8.5,")
    assert _first(_refused(paths)) == ("aggregates.csv", 2, "helper_count", "8.5")


# ------------------------------------------------------------------ dates, years, control chars


def test_nonexistent_date_is_refused(paths: AtlasPaths) -> None:
    _sub(paths.pairings, ",2019-03,month,", ",2020-02-31,day,")
    err = _refused(paths)
    assert _first(err) == ("pairings.csv", 5, "start_date", "2020-02-31")
    assert "日历上没有这一天" in str(err) and "no such day" in str(err)


def test_year_after_the_source_was_published_is_refused(paths: AtlasPaths) -> None:
    _sub(paths.projects, ",period,2019,2020,", ",period,2019,2099,")
    err = _refused(paths)
    assert _first(err) == ("projects.csv", 3, "year_to", "2099")
    assert "2020" in str(err) and "sc3n-2020-07-02" in str(err)


def test_source_dated_in_the_future_is_refused(paths: AtlasPaths) -> None:
    _sub(paths.sources, ",四川三农新闻网,2020-07-02,", ",四川三农新闻网,2999-07-02,")
    assert _first(_refused(paths)) == ("sources.csv", 2, "date", "2999-07-02")


def test_control_characters_are_refused(paths: AtlasPaths) -> None:
    _sub(paths.projects, "E-commerce training", "E-commerce\x00training")
    err = _refused(paths)
    assert _first(err)[:3] == ("projects.csv", 2, "title_en")
    assert "U+0000" in str(err) and "\x00" not in str(err)
    _sub(paths.projects, "E-commerce\x00training", "E-commerce\u202etraining")
    assert "U+202E" in str(_refused(paths))


# ------------------------------------------------------------------ township areas


def test_empty_polygon_is_refused(paths: AtlasPaths) -> None:
    def empty(d: dict[str, Any]) -> None:
        d["features"][0]["geometry"] = {"type": "Polygon", "coordinates": []}

    _edit_areas(paths, empty)
    err = _refused(paths)
    assert _first(err) == ("township_areas.geojson", 1, "geometry", "510131001000")
    assert "几何为空" in str(err) and "empty" in str(err)


def test_point_and_self_crossing_polygon_are_refused(paths: AtlasPaths) -> None:
    def broken(d: dict[str, Any]) -> None:
        d["features"][0]["geometry"] = {"type": "Point", "coordinates": [103.5, 30.2]}
        bowtie = [[103.5, 30.2], [103.6, 30.3], [103.6, 30.2], [103.5, 30.3], [103.5, 30.2]]
        d["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}

    _edit_areas(paths, broken)
    found = {(p.row, p.column) for p in _refused(paths).problems}
    assert found == {(1, "geometry"), (2, "geometry")}


def test_duplicate_area_code_is_refused(paths: AtlasPaths) -> None:
    def dup(d: dict[str, Any]) -> None:
        d["features"][1]["properties"]["code"] = d["features"][0]["properties"]["code"]

    _edit_areas(paths, dup)
    err = _refused(paths)
    assert _first(err) == ("township_areas.geojson", 2, "code", "510131001000")
    assert "duplicates feature 1" in str(err)


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), ("true", True), (False, False), (True, True)]
)
def test_approximate_reads_exactly(paths: AtlasPaths, value: object, expected: bool) -> None:
    def set_flag(d: dict[str, Any]) -> None:
        d["features"][0]["properties"]["approximate"] = value

    _edit_areas(paths, set_flag)
    assert bool(load_atlas(paths).areas["approximate"].iloc[0]) is expected


@pytest.mark.parametrize("value", ["False ", "no", 0, 1, None, "yes"])
def test_approximate_other_values_are_refused(paths: AtlasPaths, value: object) -> None:
    def set_flag(d: dict[str, Any]) -> None:
        d["features"][0]["properties"]["approximate"] = value

    _edit_areas(paths, set_flag)
    assert _first(_refused(paths))[:3] == ("township_areas.geojson", 1, "approximate")


def _fit(paths: AtlasPaths) -> None:
    check_areas_fit(paths.areas, load_atlas(paths), load_boundaries(COUNTIES_WGS84))


def test_bundled_areas_fit_their_counties(paths: AtlasPaths) -> None:
    _fit(paths)


def test_area_moved_out_of_its_county_is_refused(paths: AtlasPaths) -> None:
    def west(d: dict[str, Any]) -> None:
        shape = shapely.geometry.shape(d["features"][0]["geometry"])
        moved = shapely.affinity.translate(shape, -3, 0)
        d["features"][0]["geometry"] = shapely.geometry.mapping(moved)

    _edit_areas(paths, west)
    with pytest.raises(AtlasDataError) as err:
        _fit(paths)
    assert _first(err.value) == ("township_areas.geojson", 1, "geometry", "510131001000")
    assert "outside its county (510131)" in str(err.value)


def test_overlapping_areas_are_refused(paths: AtlasPaths) -> None:
    def overlap(d: dict[str, Any]) -> None:
        d["features"][1]["geometry"] = d["features"][0]["geometry"]

    _edit_areas(paths, overlap)
    with pytest.raises(AtlasDataError) as err:
        _fit(paths)
    assert _first(err.value)[:3] == ("township_areas.geojson", 2, "geometry")
    assert "overlaps feature 1" in str(err.value)


def test_areas_as_geopackage_are_read(paths: AtlasPaths, tmp_path: Path) -> None:
    gpkg = tmp_path / "areas.gpkg"
    gpd.read_file(paths.areas).to_file(gpkg, driver="GPKG")
    atlas = load_atlas(replace(paths, areas=gpkg))
    assert len(atlas.areas) == 16 and atlas.areas["approximate"].all()


def test_zip_is_refused_clearly(paths: AtlasPaths) -> None:
    data = paths.areas.read_bytes()
    with zipfile.ZipFile(paths.areas, "w") as z:
        z.writestr("areas.geojson", data)
    err = _refused(paths)
    assert _first(err)[0] == "township_areas.geojson" and "GeoPackage" in str(err)


# ------------------------------------------------------------------ files that point elsewhere


def test_sources_as_a_directory_is_refused(paths: AtlasPaths) -> None:
    paths.sources.unlink()
    paths.sources.mkdir()
    err = _refused(paths)
    assert _first(err) == ("sources.csv", None, None, "directory")
    assert "不是普通文件" in str(err) and "not a regular file" in str(err)


def test_named_pipe_is_refused_without_blocking(paths: AtlasPaths) -> None:
    paths.figures.unlink()
    os.mkfifo(paths.figures)
    assert _first(_refused(paths)) == ("figures.csv", None, None, "special file")


def test_symlinked_csv_is_refused_without_showing_its_target(
    paths: AtlasPaths, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-FIRST-LINE,x\n1,2\n", encoding="utf-8")
    paths.sources.unlink()
    paths.sources.symlink_to(secret)
    err = _refused(paths)
    assert _first(err) == ("sources.csv", None, None, "symlink")
    assert "TOP-SECRET" not in str(err) and "secret" not in str(err)
    assert "符号链接" in str(err) and "symbolic link" in str(err)


VRT = """<OGRVRTDataSource>
  <OGRVRTLayer name="leak">
    <SrcDataSource>{src}</SrcDataSource>
  </OGRVRTLayer>
</OGRVRTDataSource>
"""

# Read with GDAL, this VRT turns every line of /etc/passwd into a township "code" (checked on
# the old loader: the error banner listed root:x:0:0:...).
PASSWD_VRT = """<OGRVRTDataSource>
  <OGRVRTLayer name="leak">
    <SrcDataSource>CSV:/etc/passwd</SrcDataSource>
    <OpenOptions><OOI key="HEADERS">NO</OOI><OOI key="SEPARATOR">SEMICOLON</OOI></OpenOptions>
    <SrcSQL dialect="SQLITE">SELECT field_1 AS code, 'true' AS approximate, 'x' AS method,
      MakePolygon(GeomFromText('LINESTRING(102 30, 102.1 30, 102.1 30.1, 102 30)'))
      AS geometry FROM passwd</SrcSQL>
    <LayerSRS>WGS84</LayerSRS>
  </OGRVRTLayer>
</OGRVRTDataSource>
"""


def test_vrt_named_geojson_is_refused_without_reading_its_target(paths: AtlasPaths) -> None:
    paths.areas.write_text(PASSWD_VRT, encoding="utf-8")
    err = _refused(paths)
    assert _first(err)[0] == "township_areas.geojson"
    text = str(err)
    assert "GeoJSON FeatureCollection" in text
    assert "root" not in text and "/bin" not in text and "x:0:0" not in text


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b"code,approximate,method,WKT\n513322100000,true,x,POINT (102 29)\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_counting_server_counts(counting_server: tuple[str, list[str]]) -> None:
    """The fixture itself works, so the zero below means something."""
    import urllib.request

    url, hits = counting_server
    with urllib.request.urlopen(url + "/probe.csv", timeout=5) as r:
        assert r.read().startswith(b"code")
    assert hits == ["/probe.csv"]


@pytest.mark.parametrize("name", ["township_areas.geojson", "township_areas.gpkg"])
def test_vsicurl_vrt_makes_no_request(
    paths: AtlasPaths, counting_server: tuple[str, list[str]], name: str
) -> None:
    url, hits = counting_server
    target = paths.areas.with_name(name)
    target.write_text(VRT.format(src=f"/vsicurl/{url}/areas.csv"), encoding="utf-8")
    with pytest.raises(AtlasDataError) as err:
        load_atlas(replace(paths, areas=target))
    assert hits == []
    assert "127.0.0.1" not in str(err.value) and "513322100000" not in str(err.value)


def test_file_in_a_symlinked_folder_is_refused(paths: AtlasPaths, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(paths.units, elsewhere / "units.csv")
    linked = tmp_path / "derived"
    linked.symlink_to(elsewhere)
    err = _refused(replace(paths, units=linked / "units.csv"))
    assert _first(err) == ("units.csv", None, None, "symlink")
    assert "elsewhere" not in str(err)


@pytest.mark.parametrize(
    "name", ["+init=/etc/passwd:root +type=crs", "/etc/passwd", 'PROJCS["x"]', ""]
)
def test_geojson_crs_must_be_an_authority_code(paths: AtlasPaths, name: str) -> None:
    def declare(d: dict[str, Any]) -> None:
        d["crs"] = {"type": "name", "properties": {"name": name}}

    _edit_areas(paths, declare)
    err = _refused(paths)
    assert _first(err)[:3] == ("township_areas.geojson", None, "crs")
    assert "root:x" not in str(err)


def test_geojson_crs_urn_is_read(paths: AtlasPaths) -> None:
    def declare(d: dict[str, Any]) -> None:
        d["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

    _edit_areas(paths, declare)
    assert len(load_atlas(paths).areas) == 16
