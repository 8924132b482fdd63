"""Official township boundaries through the store: every file is built here from the bundled
approximate areas (reprojected, re-encoded, zipped), checked, applied and rolled back."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely
import shapely.geometry
from shapely.affinity import translate

from geo.atlas import load_atlas
from geo.boundaries import load_boundaries
from geo.display import prepare_display
from geo.paths import COUNTIES_WGS84
from ledger.boundaries import MAX_UNCOMPRESSED, dbf_encoding, member_name
from store.boundaries import AREAS_FILE, BoundaryCheck, apply_boundaries, check_boundaries
from store.core import StaleVersion, Store
from tests.store.boundary_files import (
    GK_CM102,
    GK_ZONE34,
    geojson,
    geopackage,
    official_frame,
    shapefile_parts,
    zipped,
)

SOURCE = {"source": "泸定县自然资源局 乡镇界线（测试）", "source_date": "2023-05"}
GANXI, CHENGJIA = "510131106000", "510131107000"


def check(store: Store, data: bytes, name: str = "乡镇界线.zip", **kw: object) -> BoundaryCheck:
    return check_boundaries(store, data, name, **{**SOURCE, **kw})  # type: ignore[arg-type]


def areas_of(store: Store, version: int) -> list[dict[str, object]]:
    content = store.files(version)[AREAS_FILE]
    return [f["properties"] for f in json.loads(content)["features"]]


def messages(c: BoundaryCheck) -> str:
    return "\n".join(p.message for p in c.problems)


def assert_all_official(store: Store, c: BoundaryCheck) -> None:
    assert c.ready, messages(c)
    version = apply_boundaries(store, c, "tester")
    props = areas_of(store, version.id)
    assert len(props) == 16
    assert all(p["approximate"] is False for p in props)
    assert {p["method"] for p in props} == {f"official:{c.file_name}"}
    assert {p["source"] for p in props} == {SOURCE["source"]}
    assert {p["source_date"] for p in props} == {SOURCE["source_date"]}
    atlas = load_atlas(store.materialize(version.id))
    assert not atlas.areas["approximate"].any()


def test_zipped_shapefile_in_a_gk_zone_with_gbk_attributes_and_cpg(store: Store) -> None:
    parts = shapefile_parts(official_frame(GK_CM102), encoding="GBK")
    assert parts[".cpg"].strip().upper() == b"GBK"
    assert "乡镇代码".encode("gbk") in parts[".dbf"]
    c = check(store, zipped(parts))
    assert c.crs.startswith("CGCS2000 / 3-degree Gauss-Kruger CM 102E")
    assert (c.code_field, c.name_field) == ("乡镇代码", "乡镇名称")
    assert any(n.column == "encoding" and n.value == "GB18030" for n in c.notes)
    assert_all_official(store, c)


def test_the_same_without_cpg_detects_gbk(store: Store) -> None:
    parts = shapefile_parts(official_frame(GK_CM102), encoding="GBK")
    c = check(store, zipped(parts, cpg=False))
    assert any(
        n.column == "encoding" and n.value == "GB18030" and "detected" in n.problem_en
        for n in c.notes
    )
    assert_all_official(store, c)


def test_utf8_attributes_without_cpg_and_a_zone_numbered_crs(store: Store) -> None:
    frame = official_frame(GK_ZONE34, code_field="XZQDM", name_field="XZQMC", nine_digits=False)
    assert frame.total_bounds[0] > 34_000_000  # the zone number is in the easting
    c = check(store, zipped(shapefile_parts(frame, encoding="UTF-8"), cpg=False))
    assert (c.code_field, c.name_field) == ("XZQDM", "XZQMC")
    assert any(n.value == "UTF-8" for n in c.notes)
    assert_all_official(store, c)


def test_member_names_in_gbk_without_the_utf8_flag(store: Store) -> None:
    data = zipped(shapefile_parts(official_frame()), stem="泸定县乡镇界线", gbk_names=True)
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert not info.flag_bits & 0x800
    assert member_name(info).startswith("泸定县乡镇界线.")
    c = check(store, data)
    assert_all_official(store, c)


def test_a_geopackage_in_cgcs2000_degrees(store: Store) -> None:
    c = check(store, geopackage(official_frame(4490)), name="bounds.gpkg")
    assert c.file_kind == "geopackage"
    assert "China Geodetic Coordinate System 2000" in c.crs
    assert_all_official(store, c)


def test_a_geojson_matched_by_names_only(store: Store) -> None:
    frame = official_frame(4326).drop(columns="乡镇代码")
    c = check(store, geojson(frame), name="bounds.geojson")
    assert (c.code_field, c.name_field) == (None, "乡镇名称")
    assert_all_official(store, c)


def test_a_shapefile_without_prj_is_refused_naming_the_missing_prj(store: Store) -> None:
    before = store.latest()
    parts = shapefile_parts(official_frame(), prj=False)
    c = check(store, zipped(parts, stem="泸定县乡镇"))
    assert not c.ready
    text = messages(c)
    assert "泸定县乡镇.prj" in text and "is missing" in text and "缺少" in text
    assert "never guesses" in text
    assert store.latest() == before


def test_a_zip_bomb_is_refused(store: Store) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.dbf", b"\0" * (MAX_UNCOMPRESSED // 8))
    c = check(store, buffer.getvalue())
    assert not c.ready
    assert "zip bomb" in messages(c) and "压缩炸弹" in messages(c)


def test_a_path_traversal_zip_is_refused(store: Store) -> None:
    parts = shapefile_parts(official_frame())
    c = check(store, zipped(parts, extra={"../../evil.shp": parts[".shp"]}))
    assert not c.ready
    assert "points outside the archive" in messages(c)
    assert "../../evil.shp" in messages(c)


def test_a_symlink_in_the_zip_is_refused(store: Store) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("layer.prj")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    c = check(store, buffer.getvalue())
    assert "symbolic link" in messages(c)


def test_other_members_are_skipped_not_read(store: Store) -> None:
    parts = shapefile_parts(official_frame())
    c = check(store, zipped(parts, extra={"readme.vrt": b"<OGRVRTDataSource/>"}))
    assert any(n.value == "readme.vrt" and "skipped" in n.problem_en for n in c.notes)
    assert c.ready, messages(c)


def test_a_file_missing_two_townships_applies_as_partial(store: Store) -> None:
    base = store.latest()
    assert base is not None
    before = {p["code"]: p for p in areas_of(store, base)}
    c = check(store, zipped(shapefile_parts(official_frame(drop=(GANXI, CHENGJIA)))))
    assert c.ready, messages(c)
    assert sorted(c.stay_approximate) == [GANXI, CHENGJIA]
    stays = [n for n in c.notes if n.value in (GANXI, CHENGJIA)]
    assert len(stays) == 2 and all("approximate" in n.problem_en for n in stays)
    version = apply_boundaries(store, c, "tester")
    after = {p["code"]: p for p in areas_of(store, version.id)}
    assert set(after) == set(before)
    for code, p in after.items():
        if code in (GANXI, CHENGJIA):
            assert p["approximate"] is True and p["method"] == before[code]["method"]
            assert "source" not in p
        else:
            assert p["approximate"] is False
    atlas = load_atlas(store.materialize(version.id))
    assert sorted(atlas.areas.loc[atlas.areas["approximate"], "code"]) == [GANXI, CHENGJIA]
    # Simplified for display as one coverage: no gap, no overlap between any two pieces.
    shown = prepare_display(atlas, load_boundaries(COUNTIES_WGS84))
    others = shown.counties[~shown.counties["code"].isin(["510131", "513322"])]
    pieces = pd.concat([others, shown.areas])
    assert shapely.coverage_is_valid(pieces.geometry.values)
    assert shapely.coverage_is_valid(shown.counties.geometry.values)
    # Rolling back restores the approximate areas exactly.
    back = store.rollback(base, "tester")
    assert store.files(back.id)[AREAS_FILE] == store.files(base)[AREAS_FILE]


def test_a_smaller_official_township_gives_its_rest_to_approximate_neighbours(
    store: Store,
) -> None:
    frame = official_frame(4326, drop=(GANXI,))
    shrink = frame["乡镇代码"] == CHENGJIA[:9]
    frame.loc[shrink, "geometry"] = frame.loc[shrink, "geometry"].buffer(-0.005)
    c = check(store, geojson(frame), name="bounds.geojson")
    assert c.ready, messages(c)
    version = apply_boundaries(store, c, "tester")
    atlas = load_atlas(store.materialize(version.id))
    pujiang = atlas.areas[atlas.areas["code"].str.startswith("510131")]
    union = shapely.union_all(pujiang.geometry.values)
    base_areas = load_atlas(store.materialize(c.base)).areas
    before = shapely.union_all(base_areas[base_areas["code"].str.startswith("510131")].geometry)
    # Still one coverage of the county: nothing lost, nothing doubled.
    assert abs(union.area - before.area) < before.area * 1e-5
    assert abs(pujiang.geometry.area.sum() - union.area) < union.area * 1e-5
    ganxi = pujiang.loc[pujiang["code"] == GANXI].geometry.iloc[0]
    old_ganxi = base_areas.loc[base_areas["code"] == GANXI].geometry.iloc[0]
    assert ganxi.area > old_ganxi.area


def test_unmatched_features_are_listed_with_suggestions_and_can_be_settled(
    store: Store,
) -> None:
    frame = official_frame(4326).drop(columns="乡镇代码")
    frame.loc[0, "乡镇名称"] = "鹤山镇街道"
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready and len(c.unmatched) == 1
    u = c.unmatched[0]
    assert (u.row, u.column, u.value) == (1, "乡镇名称", "鹤山镇街道")
    assert u.suggestions and u.suggestions[0][0] == "510131001000"
    settled = check(store, geojson(frame), name="b.geojson", decisions={u.key: "510131001000"})
    assert settled.ready, messages(settled)
    left_out = check(store, geojson(frame), name="b.geojson", decisions={u.key: ""})
    assert left_out.ready and "510131001000" in left_out.stay_approximate


def test_duplicated_codes_are_refused(store: Store) -> None:
    frame = official_frame(4326)
    frame.loc[1, "乡镇代码"] = frame.loc[0, "乡镇代码"]
    frame.loc[1, "乡镇名称"] = frame.loc[0, "乡镇名称"]
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready
    assert "one polygon per township" in messages(c)
    assert any(p.row == 2 and p.column == "乡镇代码" for p in c.problems)


def test_invalid_polygons_are_refused_unless_the_editor_accepts_repair(store: Store) -> None:
    frame = official_frame(4326)
    x0, y0, x1, y1 = frame.geometry.iloc[0].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    frame.loc[0, "geometry"] = shapely.intersection(frame.geometry.iloc[0], frame.geometry.iloc[0])
    frame.loc[0, "geometry"] = bowtie
    refused = check(store, geojson(frame), name="b.geojson")
    assert not refused.ready
    assert "invalid geometry" in messages(refused) and "make_valid" in messages(refused)
    repaired = check(store, geojson(frame), name="b.geojson", repair=True)
    assert any("repaired" in n.problem_en for n in repaired.notes)
    # The repaired bow tie still does not fit its township: the overlap check says so.
    assert not repaired.ready
    assert "overlaps" in messages(repaired) or "outside" in messages(repaired)


def test_features_outside_their_county_are_refused(store: Store) -> None:
    frame = official_frame(4326)
    frame.loc[3, "geometry"] = translate(frame.geometry.iloc[3], xoff=0.3)
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready
    assert any(p.row == 4 and "outside its county" in p.problem_en for p in c.problems)


def test_overlapping_features_are_refused(store: Store) -> None:
    frame = official_frame(4326)
    frame.loc[1, "geometry"] = frame.geometry.iloc[1].union(frame.geometry.iloc[0].buffer(-0.01))
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready
    assert "overlaps feature 1" in messages(c)


def test_a_gap_between_official_neighbours_is_refused(store: Store) -> None:
    frame = official_frame(GK_CM102)
    border = frame.geometry.iloc[0].intersection(frame.geometry.iloc[3])  # 鹤山街道 | 朝阳湖镇
    hole = border.interpolate(0.5, normalized=True).buffer(800)
    frame["geometry"] = frame.geometry.difference(hole)
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready
    assert "a gap" in messages(c) and "空隙" in messages(c)
    assert "鹤山街道" in messages(c) and "朝阳湖镇" in messages(c)


def test_land_left_along_the_county_edge_beyond_the_tolerance_is_refused(store: Store) -> None:
    frame = official_frame(GK_CM102)
    frame.loc[0, "geometry"] = frame.geometry.iloc[0].buffer(-1000)
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready
    assert "along its edge is not covered" in messages(c)


@pytest.mark.parametrize("metres", [-20, -5, 5])
def test_outlines_a_few_metres_off_are_snapped_and_stay_a_coverage(
    store: Store, metres: int
) -> None:
    frame = official_frame(GK_CM102)
    frame["geometry"] = frame.geometry.buffer(metres)
    c = check(store, geojson(frame), name="b.geojson")
    assert c.ready, messages(c)
    version = apply_boundaries(store, c, "tester")
    atlas = load_atlas(store.materialize(version.id))
    counties = load_boundaries(COUNTIES_WGS84)
    for county in ("510131", "513322"):
        mine = atlas.areas[atlas.areas["code"].str.startswith(county)].geometry.values
        assert shapely.coverage_is_valid(mine)
        outline = counties.loc[counties["code"] == county].geometry.iloc[0]
        union = shapely.union_all(mine)
        assert abs(union.area - outline.area) < outline.area * 1e-5
    shown = prepare_display(atlas, counties)
    assert shapely.coverage_is_valid(shown.counties.geometry.values)
    others = shown.counties[~shown.counties["code"].isin(["510131", "513322"])]
    assert shapely.coverage_is_valid(pd.concat([others, shown.areas]).geometry.values)


@pytest.mark.parametrize("date", ["2099", "2023-13", "2023-02-30", "May 2023", ""])
def test_source_and_a_real_past_date_are_required(store: Store, date: str) -> None:
    data = zipped(shapefile_parts(official_frame()))
    c = check_boundaries(store, data, "b.zip", source="", source_date=date)
    assert not c.ready
    assert {p.column for p in c.problems} == {"source", "date"}


def test_a_check_made_before_another_version_is_refused_at_apply(store: Store) -> None:
    data = zipped(shapefile_parts(official_frame()))
    first, second = check(store, data), check(store, data)
    apply_boundaries(store, first, "a")
    with pytest.raises(StaleVersion):
        apply_boundaries(store, second, "b")


@pytest.mark.parametrize(
    ("cpg", "body", "expected"),
    [
        (b"UTF-8", "蒲江".encode(), "utf-8"),
        (b"UTF-8", "蒲江".encode("gbk"), "gb18030"),  # a .cpg that lies is not believed
        (None, "蒲江".encode("gbk"), "gb18030"),
        (None, b"plain", "utf-8"),
    ],
)
def test_dbf_encoding(cpg: bytes | None, body: bytes, expected: str) -> None:
    header = bytearray(33)
    header[0] = 3
    header[8:10] = (33).to_bytes(2, "little")
    header[32] = 0x0D
    assert dbf_encoding(bytes(header) + body, cpg)[0] == expected


def test_the_area_geometry_round_trips_as_polygons(store: Store) -> None:
    c = check(store, zipped(shapefile_parts(official_frame())))
    assert c.new_files is not None
    features = json.loads(c.new_files[AREAS_FILE])["features"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert all(s.is_valid and s.geom_type in ("Polygon", "MultiPolygon") for s in shapes)


def _cli(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATLAS_STATE_DIR": str(state)}
    env.pop("ATLAS_DATA_DIR", None)
    env.pop("ATLAS_DB_URL", None)
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_command_line_imports_boundaries_and_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "泸定县乡镇界线.zip"
    path.write_bytes(zipped(shapefile_parts(official_frame(drop=(GANXI, CHENGJIA)))))
    source = ["--boundary-source", SOURCE["source"], "--boundary-date", SOURCE["source_date"]]
    # A zip holding a .shp is a boundary file even without --kind.
    unsourced = _cli("import", str(path), "--apply", state=tmp_path)
    assert unsourced.returncode == 2, unsourced.stdout + unsourced.stderr
    assert "give the source" in unsourced.stdout and "unchanged" in unsourced.stderr
    done = _cli("import", str(path), "--kind", "boundaries", "--apply", *source, state=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 102E" in done.stdout
    assert "stays approximate" in done.stdout and "stored as version 2" in done.stdout
    back = _cli("rollback", "1", state=tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    store = Store.open(f"sqlite:///{tmp_path / 'atlas.sqlite3'}", cache_dir=tmp_path / "c")
    try:
        assert store.files(3)[AREAS_FILE] == store.files(1)[AREAS_FILE]
        assert store.version(2).kind == "boundaries"
    finally:
        store.engine.dispose()


def test_the_command_line_refuses_a_file_without_prj(tmp_path: Path) -> None:
    path = tmp_path / "bounds.zip"
    path.write_bytes(zipped(shapefile_parts(official_frame(), prj=False), stem="界线"))
    done = _cli(
        "import", str(path), "--kind", "boundaries", "--boundary-source", "x",
        "--boundary-date", "2023", "--apply", state=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "界线.prj" in done.stdout and "is missing" in done.stdout


@pytest.mark.parametrize(
    ("epsg", "name"),
    [
        (2379, "Xian 1980 / 3-degree Gauss-Kruger CM 102E"),
        (2431, "Beijing 1954 / 3-degree Gauss-Kruger CM 102E"),
        (4523, "CGCS2000 / 3-degree Gauss-Kruger zone 35"),
        (4326, "WGS 84"),
    ],
)
def test_geopackages_in_older_datums_and_other_zones(store: Store, epsg: int, name: str) -> None:
    c = check(store, geopackage(official_frame(epsg)), name="bounds.gpkg")
    assert c.crs == name
    assert c.ready, messages(c)


def test_eastings_with_a_zone_number_under_a_crs_without_one_are_explained(
    store: Store,
) -> None:
    frame = official_frame(GK_ZONE34).set_crs(GK_CM102, allow_override=True)
    c = check(store, zipped(shapefile_parts(frame)))
    assert not c.ready
    [problem] = c.problems
    assert "outside Sichuan" in problem.problem_en
    assert "zone number (34)" in problem.suggestion_en and "第 34 带" in problem.suggestion_zh


def test_numeric_code_fields_and_other_counties_features(store: Store) -> None:
    frame = official_frame(4326, code_field="XZQDM", name_field="XZQMC", nine_digits=False)
    frame["XZQDM"] = frame["XZQDM"].astype("int64")
    # A township of 康定市 (not drawn by the atlas) in the same file: skipped with a note.
    extra = frame.iloc[[0]].copy()
    extra["XZQDM"] = 513301001000
    extra["XZQMC"] = "炉城街道"
    extra["geometry"] = extra.geometry.translate(xoff=-0.5)
    both = pd.concat([frame, extra], ignore_index=True)
    c = check(store, zipped(shapefile_parts(both.to_crs(GK_CM102), encoding="UTF-8")))
    assert c.ready, messages(c)
    assert any(n.row == 17 and "skipped" in n.problem_en for n in c.notes)
    assert len(c.matched) == 16


def test_fields_not_recognised_are_chosen_by_the_editor(store: Store) -> None:
    frame = official_frame(4326, code_field="BM", name_field="MING")
    c = check(store, geojson(frame), name="b.geojson")
    assert not c.ready and c.fields == ["BM", "MING"]
    assert "no township code or name field" in messages(c)
    chosen = check(store, geojson(frame), name="b.geojson", code_field="BM", name_field="MING")
    assert chosen.ready, messages(chosen)
    wrong = check(store, geojson(frame), name="b.geojson", code_field="XZQDM")
    assert "no field called XZQDM" in messages(wrong)


def test_macos_metadata_members_are_ignored(store: Store) -> None:
    parts = shapefile_parts(official_frame())
    extra = {"__MACOSX/._乡镇界线.shp": b"\0\5\26\7", "._乡镇界线.dbf": b"\0\5\26\7"}
    c = check(store, zipped(parts, extra=extra))
    assert c.ready, messages(c)


def test_a_source_with_control_characters_is_refused(store: Store) -> None:
    data = zipped(shapefile_parts(official_frame()))
    c = check_boundaries(store, data, "b.zip", source="局\x1b[31m", source_date="2023")
    assert [p.column for p in c.problems] == ["source"]


def test_an_sqlite_file_that_is_no_geopackage_is_refused(store: Store, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "plain.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    c = check(store, db.read_bytes(), name="bounds.gpkg")
    assert not c.ready and "not a GeoPackage" in messages(c)


def test_a_feature_with_an_unknown_code_and_name_is_settled_by_its_listed_key(
    store: Store,
) -> None:
    frame = official_frame(4326)
    frame.loc[2, "乡镇代码"] = "510131999"
    frame.loc[2, "乡镇名称"] = "不存在镇"
    c = check(store, geojson(frame), name="b.geojson")
    [u] = c.unmatched
    assert u.row == 3
    settled = check(store, geojson(frame), name="b.geojson", decisions={u.key: "510131101000"})
    assert settled.ready, messages(settled)
    assert settled.matched["510131101000"] == 3


def test_a_rar_archive_is_refused_with_a_way_forward(store: Store) -> None:
    c = check(store, b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, name="界线.rar")
    assert not c.ready
    assert "re-pack RAR or 7z archives as zip" in messages(c) and "请改用 zip" in messages(c)
