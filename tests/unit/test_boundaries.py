"""Boundary loading: canonical WGS84 frames, precise bilingual errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from geo.boundaries import load_boundaries
from geo.errors import AtlasDataError
from geo.paths import COUNTIES_WGS84


def _write(path: Path, features: list[dict[str, object]], crs: str | None = None) -> Path:
    doc: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _feature(code: str, geom: Polygon) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {
            "adcode": code,
            "name": "某县",
            "level": "county",
            "parent_adcode": "510100",
        },
        "geometry": json.loads(gpd.GeoSeries([geom]).to_json())["features"][0]["geometry"],
    }


def test_bundled_counties_are_38_with_pujiang_and_luding() -> None:
    frame = load_boundaries(COUNTIES_WGS84)
    assert len(frame) == 38
    assert frame.crs.to_epsg() == 4326
    codes = set(frame["code"])
    assert {"510131", "513322"} <= codes
    assert sum(c.startswith("5101") for c in codes) == 20
    assert sum(c.startswith("5133") for c in codes) == 18
    assert frame.geometry.is_valid.all()


def test_projected_file_is_converted_to_wgs84(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "adcode": ["510131"],
            "name": ["蒲江县"],
            "level": ["county"],
            "parent_adcode": ["510100"],
        },
        geometry=[box(103.4, 30.1, 103.6, 30.3)],
        crs=4326,
    ).to_crs(4543)
    path = tmp_path / "projected.gpkg"
    frame.to_file(path)
    loaded = load_boundaries(path)
    assert loaded.crs.to_epsg() == 4326
    assert loaded.total_bounds == pytest.approx([103.4, 30.1, 103.6, 30.3], abs=1e-6)


def test_wrong_crs_names_file_and_bounds(tmp_path: Path) -> None:
    # Gauss-Krüger metres written into a GeoJSON that claims (by default) to be degrees.
    path = _write(
        tmp_path / "bad_crs.geojson", [_feature("510131", box(500000, 3300000, 510000, 3310000))]
    )
    with pytest.raises(AtlasDataError) as err:
        load_boundaries(path)
    msg = str(err.value)
    assert "bad_crs.geojson" in msg and "geometry" in msg and "500000" in msg
    assert "坐标" in msg and "CRS" in msg


def test_invalid_geometry_names_row_and_code(tmp_path: Path) -> None:
    bowtie = Polygon([(103.0, 30.0), (103.2, 30.2), (103.2, 30.0), (103.0, 30.2)])
    path = _write(
        tmp_path / "bowtie.geojson",
        [_feature("510131", box(103.0, 30.0, 103.1, 30.1)), _feature("513322", bowtie)],
    )
    with pytest.raises(AtlasDataError) as err:
        load_boundaries(path)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "bowtie.geojson",
        2,
        "geometry",
        "513322",
    )
    assert "几何无效" in problem.message_zh and "invalid geometry" in problem.message_en


def test_missing_column_and_duplicate_code(tmp_path: Path) -> None:
    path = tmp_path / "nocol.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"adcode": "1"}, "geometry": None}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(AtlasDataError, match="name"):
        load_boundaries(path)
    dup = _write(tmp_path / "dup.geojson", [_feature("510131", box(103, 30, 103.1, 30.1))] * 2)
    with pytest.raises(AtlasDataError) as err:
        load_boundaries(dup)
    assert err.value.problems[0].row == 2 and err.value.problems[0].value == "510131"


def test_empty_garbage_and_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_bytes(b"")
    with pytest.raises(AtlasDataError, match="文件为空"):
        load_boundaries(empty)
    garbage = tmp_path / "garbage.geojson"
    garbage.write_bytes(b"\x00\xffnot json at all")
    with pytest.raises(AtlasDataError, match="cannot be read"):
        load_boundaries(garbage)
    monkeypatch.setattr("geo.boundaries.MAX_DATA_FILE_BYTES", 10)
    with pytest.raises(AtlasDataError, match="too large"):
        load_boundaries(COUNTIES_WGS84)
