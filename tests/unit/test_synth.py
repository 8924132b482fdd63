"""The synthetic benchmark data (benchmarks/synth.py) is a data folder the app accepts, of the
promised size, plainly synthetic, and the same bytes every time."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from benchmarks.synth import SOURCE_ID, SOURCE_TITLE, generate
from geo import columns as C
from geo.atlas import Atlas, AtlasPaths, check_areas_fit, counties_path, load_atlas, paths_from_env
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.paths import COUNTIES_WGS84


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _load(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[AtlasPaths, Atlas, DisplayGeometry]:
    """Load ``folder`` as the app does in folder mode: tables, areas against the folder's own
    county outlines, the display coverage."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(folder))
    paths = paths_from_env()
    atlas = load_atlas(paths)
    counties = load_boundaries(counties_path(paths))
    check_areas_fit(paths.areas, atlas, counties)
    return paths, atlas, prepare_display(atlas, counties)


@pytest.fixture(scope="module")
def chengdu_ganzi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("synth") / "chengdu_ganzi"
    return folder, generate("chengdu_ganzi", folder)


def test_chengdu_ganzi_loads_through_the_apps_checks(
    chengdu_ganzi: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, summary = chengdu_ganzi
    paths, atlas, display = _load(folder, monkeypatch)
    assert counties_path(paths) == (folder / "derived" / "counties.geojson").resolve()
    assert len(atlas.areas) == summary["townships"]
    # The display keeps real wiggles (not reduced to nothing) and every area.
    assert not display.areas.geometry.is_empty.any()
    assert display.areas.geometry.is_valid.all()
    per_township = shapely.get_num_coordinates(display.areas.geometry.values).mean()
    assert per_township >= 15
    assert len(display.prefectures) == summary["prefectures"] == 2


def test_chengdu_ganzi_counts_are_in_range(chengdu_ganzi: tuple[Path, dict[str, Any]]) -> None:
    _, s = chengdu_ganzi
    assert s["townships"] == s["township_areas"] == 600
    assert 30 <= s["counties"] <= 40
    assert 280 <= s["pairs"] <= 320
    assert s["pairs_by_level"]["county"] >= 5 and s["pairs_by_level"]["township"] >= 200
    assert s["projects"] == 3000 and s["figures"] > 0
    assert 200 <= s["vertices_per_township"] <= 900


def test_townships_tile_their_county_exactly(
    chengdu_ganzi: tuple[Path, dict[str, Any]],
) -> None:
    folder, _ = chengdu_ganzi
    areas = gpd.read_file(folder / "derived" / "township_areas.geojson")
    counties = load_boundaries(folder / "derived" / "counties.geojson").set_index("code")
    for code, group in areas.groupby(areas["code"].str[:6]):
        outline = counties.loc[code, "geometry"]
        union = shapely.union_all(group.geometry.values)
        # No gap: the union is the county; no overlap: the parts add up to the union.
        assert shapely.symmetric_difference(union, outline).area < outline.area * 1e-9
        assert abs(shapely.area(group.geometry.values).sum() - union.area) < union.area * 1e-9


def test_the_data_says_it_is_synthetic_and_covers_the_vocabularies(
    chengdu_ganzi: tuple[Path, dict[str, Any]],
) -> None:
    folder, _ = chengdu_ganzi
    sources = _rows(folder / "sources.csv")
    assert [s["source_id"] for s in sources] == [SOURCE_ID]
    assert sources[0]["title"] == SOURCE_TITLE and "非真实" in SOURCE_TITLE
    for name in ("pairings.csv", "projects.csv", "derived/units.csv", "pair_figures.csv"):
        assert {r["source_id"] for r in _rows(folder / name)} == {SOURCE_ID}, name
    units = _rows(folder / "derived" / "units.csv")
    assert all(u["name_zh"].startswith("合成") for u in units)
    assert all(u["name_en"].startswith("Synthetic") for u in units)
    # Division-code shapes: prefecture 51PP00, county 51PPCC, township 51PPCCTTT000.
    for u in units:
        code, parent = u["code"], u["parent_code"]
        if u["level"] == "prefecture":
            assert len(code) == 6 and code.startswith("51") and code.endswith("00")
        elif u["level"] == "county":
            assert len(code) == 6 and code[:4] == parent[:4]
        else:
            assert len(code) == 12 and code[:6] == parent and code.endswith("000")
    projects = _rows(folder / "projects.csv")
    assert {p["type"] for p in projects} == set(C.PROJECT_TYPES)
    assert {p["date_precision"] for p in projects} == set(C.DATE_PRECISIONS)
    years = {int(p["year_from"]) for p in projects if p["year_from"]}
    assert min(years) == 2016 and max(years) <= 2024
    # One unit per measure: totals never add unlike things.
    unit_of: dict[str, set[str]] = {}
    for f in _rows(folder / "figures.csv"):
        unit_of.setdefault(f["measure"], set()).add(f["unit"])
    assert unit_of and all(len(units) == 1 for units in unit_of.values())


def test_generation_is_deterministic(
    chengdu_ganzi: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    folder, _ = chengdu_ganzi
    generate("chengdu_ganzi", tmp_path / "again")
    assert _files(tmp_path / "again") == _files(folder)


def test_small_size_loads_and_is_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = generate("small", tmp_path / "a")
    second = generate("small", tmp_path / "b")
    assert first == second and _files(tmp_path / "a") == _files(tmp_path / "b")
    _, atlas, _ = _load(tmp_path / "a", monkeypatch)
    assert len(atlas.areas) == first["townships"]


def test_pujiang_is_the_bundled_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = generate("pujiang", tmp_path / "pujiang")
    for path in vars(AtlasPaths()).values():
        rel = Path("derived", path.name) if path.parent.name == "derived" else Path(path.name)
        assert (tmp_path / "pujiang" / rel).read_bytes() == path.read_bytes()
    assert (tmp_path / "pujiang" / "derived" / "counties.geojson").read_bytes() == (
        COUNTIES_WGS84.read_bytes()
    )
    _, atlas, _ = _load(tmp_path / "pujiang", monkeypatch)
    assert summary["townships"] == 17 and summary["counties"] == 38
    assert len(atlas.pairings) == summary["pairs"]


def test_an_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown size"):
        generate("planet", tmp_path)


@pytest.mark.skipif(
    not os.environ.get("ATLAS_SYNTH_SICHUAN"),
    reason="about 25 s: set ATLAS_SYNTH_SICHUAN=1 to run the province-size check",
)
def test_sichuan_loads_through_the_apps_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = generate("sichuan", tmp_path / "sichuan")
    assert 3_800 <= summary["townships"] <= 4_200 and 150 <= summary["counties"] <= 200
    assert summary["prefectures"] == 21 and 900 <= summary["pairs"] <= 1_100
    assert summary["projects"] == 20_000 and summary["areas_bytes"] > 20 * 1024 * 1024
    _, _, display = _load(tmp_path / "sichuan", monkeypatch)
    assert len(display.areas) == summary["townships"]
