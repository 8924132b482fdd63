"""County outlines and input limits follow the data folder (issue 14): a folder of another
region brings its own ``derived/counties.geojson``, and a province's township areas (larger
than the upload limit) are read, while uploads keep their limit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo.atlas import Atlas, AtlasPaths, counties_path, load_atlas, paths_from_env
from geo.boundaries import load_boundaries, read_input
from geo.display import prepare_display
from geo.errors import AtlasDataError
from geo.paths import COUNTIES_WGS84, MAX_DATA_FILE_BYTES, MAX_INPUT_BYTES
from ledger.boundaries import read_boundary_file
from store.core import Store, folder_files


def _folder(root: Path) -> Path:
    """A copy of the bundled data folder (every table, derived/ included) in ``root``."""
    for path in vars(AtlasPaths()).values():
        rel = Path("derived", path.name) if path.parent.name == "derived" else Path(path.name)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / rel)
    return root


def _folder_paths(root: Path, monkeypatch: pytest.MonkeyPatch) -> AtlasPaths:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(root))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    return paths_from_env()


def _counties_renamed(target: Path, suffix: str) -> None:
    """The bundled outlines with every county's name changed (same geometry)."""
    data = json.loads(COUNTIES_WGS84.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"]["name"] += suffix
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# ------------------------------------------------------------------------ county outlines


def test_counties_path_is_the_bundled_file_without_a_folder_file(tmp_path: Path) -> None:
    assert counties_path(AtlasPaths()) == COUNTIES_WGS84
    paths = AtlasPaths(areas=tmp_path / "derived" / "township_areas.geojson")
    assert counties_path(paths) == COUNTIES_WGS84


def test_counties_path_is_the_folder_file_when_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _folder_paths(_folder(tmp_path), monkeypatch)
    own = tmp_path / "derived" / "counties.geojson"
    _counties_renamed(own, "X")
    assert counties_path(paths) == own.resolve()


def test_a_link_at_the_counties_path_is_refused_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _folder_paths(_folder(tmp_path), monkeypatch)
    (tmp_path / "derived" / "counties.geojson").symlink_to(COUNTIES_WGS84)
    with pytest.raises(AtlasDataError, match="symbolic link"):
        load_boundaries(counties_path(paths))


def test_exports_read_the_folders_county_outlines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pack.load import load_view

    _folder_paths(_folder(tmp_path), monkeypatch)
    _counties_renamed(tmp_path / "derived" / "counties.geojson", "（合成）")
    view, _ = load_view("")
    names = set(view.display.counties["name"])
    assert "蒲江县（合成）" in names and "蒲江县" not in names


def test_a_bad_counties_file_in_the_folder_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pack.load import load_view

    _folder_paths(_folder(tmp_path), monkeypatch)
    (tmp_path / "derived" / "counties.geojson").write_text("not json", encoding="utf-8")
    with pytest.raises(AtlasDataError) as err:
        load_view("")
    assert err.value.problems[0].file == "counties.geojson"


def test_prefectures_follow_the_counties(atlas: Atlas) -> None:
    """Prefectures are the union of the counties given, whatever their parent codes."""
    counties = load_boundaries(COUNTIES_WGS84)
    counties["parent_code"] = [
        "510100" if code.startswith("5101") else "513300" for code in counties["code"]
    ]
    counties.loc[counties["code"] == "513322", "parent_code"] = "519900"
    display = prepare_display(atlas, counties)
    assert set(display.prefectures["code"]) == {"510100", "513300", "519900"}


def test_a_store_seeded_from_a_folder_keeps_its_county_outlines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _folder(tmp_path / "data")
    _counties_renamed(root / "derived" / "counties.geojson", "X")
    paths = _folder_paths(root, monkeypatch)
    store = Store.open(f"sqlite:///{tmp_path / 'atlas.sqlite3'}", seed=paths, cache_dir=tmp_path)
    latest = store.latest()
    assert latest is not None
    materialized = store.materialize(latest)
    own = counties_path(materialized)
    assert own != COUNTIES_WGS84
    assert own.read_bytes() == (root / "derived" / "counties.geojson").read_bytes()


def test_the_bundled_seed_has_no_counties_file() -> None:
    """Stores seeded from the bundled data keep the same files (and checksum) as before."""
    assert "derived/counties.geojson" not in folder_files(AtlasPaths())


# ------------------------------------------------------------------------ input limits


def test_the_data_file_limit_is_larger_than_the_upload_limit() -> None:
    assert MAX_INPUT_BYTES == 20 * 1024 * 1024
    assert MAX_DATA_FILE_BYTES == 512 * 1024 * 1024


def test_a_data_file_just_over_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    big = tmp_path / "township_areas.geojson"
    with big.open("wb") as handle:  # sparse: no disk or memory used
        handle.truncate(MAX_DATA_FILE_BYTES + 1)
    with pytest.raises(AtlasDataError) as err:
        read_input(big)
    problem = err.value.problems[0]
    assert problem.file == "township_areas.geojson"
    assert problem.value == f"{MAX_DATA_FILE_BYTES + 1} bytes"
    assert "文件过大" in str(err.value) and "file too large" in str(err.value)
    assert "512 MB" in str(err.value)


def _pad(path: Path, size: int) -> None:
    """Trailing white space after the JSON (still valid JSON) to make the file ``size`` bytes."""
    with path.open("ab") as handle:
        handle.write(b" " * (size - path.stat().st_size))


def test_an_areas_file_over_the_upload_limit_loads_from_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _folder_paths(_folder(tmp_path), monkeypatch)
    _pad(paths.areas, MAX_INPUT_BYTES + 1024 * 1024)
    atlas = load_atlas(paths)
    assert len(atlas.areas) == len(load_atlas().areas)


def test_an_upload_over_the_upload_limit_is_still_refused(tmp_path: Path) -> None:
    areas = tmp_path / "areas.geojson"
    shutil.copy(AtlasPaths().areas, areas)
    _pad(areas, MAX_INPUT_BYTES + 1024 * 1024)
    with pytest.raises(AtlasDataError, match="20 MB"):
        read_boundary_file(areas.read_bytes(), "areas.geojson")


def test_an_upload_reader_passes_the_upload_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GeoJSON taken out of an upload (e.g. a zip member) is read with the upload's limit,
    not the data folder's."""
    from ledger.boundaries import _read_single

    data = AtlasPaths().areas.read_bytes()
    monkeypatch.setattr("ledger.boundaries.MAX_INPUT_BYTES", len(data) - 1)
    with pytest.raises(AtlasDataError, match="file too large"):
        _read_single(data, "areas.geojson", ".geojson", "areas.geojson")
