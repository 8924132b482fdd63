"""Each kind of broken table is rejected with a message naming file, row, column and value."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from geo.atlas import AtlasPaths, load_atlas
from geo.errors import AtlasDataError


@pytest.fixture
def paths(tmp_path: Path) -> AtlasPaths:
    """A copy of the bundled tables in tmp_path, for breaking one at a time."""
    base = AtlasPaths()
    copied = {}
    for field in (
        "units",
        "aliases",
        "areas",
        "sources",
        "pairings",
        "aggregates",
        "projects",
        "figures",
    ):
        src: Path = getattr(base, field)
        dst = tmp_path / src.name
        shutil.copy(src, dst)
        copied[field] = dst
    return replace(base, **copied)


def _edit(path: Path, change: Callable[[list[str]], list[str]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")


def _replace_in_row(path: Path, row: int, old: str, new: str) -> None:
    def change(lines: list[str]) -> list[str]:
        assert old in lines[row - 1], lines[row - 1]
        lines[row - 1] = lines[row - 1].replace(old, new, 1)
        return lines

    _edit(path, change)


def _problem(paths: AtlasPaths) -> tuple[str, int | None, str | None, str | None, str]:
    with pytest.raises(AtlasDataError) as err:
        load_atlas(paths)
    p = err.value.problems[0]
    assert p.message_zh and p.message_en and p.expected_zh != p.expected_en
    return p.file, p.row, p.column, p.value, str(err.value)


def test_bundled_copy_loads(paths: AtlasPaths) -> None:
    assert len(load_atlas(paths).projects) > 0


def test_unknown_project_type(paths: AtlasPaths) -> None:
    _replace_in_row(paths.projects, 2, ",ecommerce,", ",rocketry,")
    file, row, column, value, msg = _problem(paths)
    assert (file, row, column, value) == ("projects.csv", 2, "type", "rocketry")
    assert "不在允许的取值中" in msg and "not an allowed value" in msg


def test_unknown_township_in_pairing(paths: AtlasPaths) -> None:
    _replace_in_row(paths.pairings, 3, "513322103000", "513322999000")
    file, row, column, value, msg = _problem(paths)
    assert (file, row, column, value) == ("pairings.csv", 3, "partner_code", "513322999000")
    assert "units.csv" in msg


def test_duplicate_id(paths: AtlasPaths) -> None:
    _replace_in_row(paths.projects, 3, "PR02,", "PR01,")
    file, row, column, value, msg = _problem(paths)
    assert (file, row, column, value) == ("projects.csv", 3, "project_id", "PR01")
    assert "重复" in msg and "duplicates row 2" in msg


def test_bad_unit_and_negative_quantity(paths: AtlasPaths) -> None:
    _replace_in_row(paths.figures, 2, ",10,人,", ",-10,公斤,")
    with pytest.raises(AtlasDataError) as err:
        load_atlas(paths)
    found = {(p.row, p.column, p.value) for p in err.value.problems}
    assert {(2, "quantity", "-10"), (2, "unit", "公斤")} <= found


def test_bad_date_and_precision_mismatch(paths: AtlasPaths) -> None:
    _replace_in_row(paths.pairings, 5, ",2019-03,month,", ",2019-13,month,")
    file, row, column, value, _ = _problem(paths)
    assert (file, row, column, value) == ("pairings.csv", 5, "start_date", "2019-13")


def test_missing_source_reference(paths: AtlasPaths) -> None:
    _replace_in_row(paths.projects, 4, ",sc3n-2020-07-02,", ",no-such-source,")
    file, row, column, value, _ = _problem(paths)
    assert (file, row, column, value) == ("projects.csv", 4, "source_id", "no-such-source")


def test_project_outside_its_pairing(paths: AtlasPaths) -> None:
    # PR01 belongs to P02 (大塘镇 -> 磨西镇); 得妥镇 is not inside 磨西镇.
    _replace_in_row(paths.projects, 2, ",513322103000,", ",513322105000,")
    file, row, column, value, msg = _problem(paths)
    assert (file, row, column, value) == ("projects.csv", 2, "partner_code", "513322105000")
    assert "P02" in msg


def test_missing_column(paths: AtlasPaths) -> None:
    _edit(
        paths.figures, lambda lines: [lines[0].replace(",unit,", ",units_of_measure,"), *lines[1:]]
    )
    file, row, column, _, msg = _problem(paths)
    assert (file, row, column) == ("figures.csv", 1, "unit")
    assert "缺少列" in msg and "missing column" in msg


def test_ragged_row_and_broken_quote(paths: AtlasPaths) -> None:
    _edit(paths.sources, lambda lines: [*lines, "extra,article,only three"])
    file, row, _, value, _ = _problem(paths)
    assert (file, row, value) == (
        "sources.csv",
        len(paths.sources.read_text().splitlines()),
        "3 cells",
    )


def test_not_utf8_names_the_line(paths: AtlasPaths) -> None:
    text = paths.aggregates.read_text(encoding="utf-8")
    paths.aggregates.write_bytes(text.encode("gbk"))
    file, row, _, _, msg = _problem(paths)
    assert file == "aggregates.csv" and row == 2
    assert "UTF-8" in msg and "CSV UTF-8" in msg


def test_excel_bom_is_accepted(paths: AtlasPaths) -> None:
    data = paths.projects.read_bytes()
    paths.projects.write_bytes(b"\xef\xbb\xbf" + data)
    assert len(load_atlas(paths).projects) == 22


def test_unit_seat_point_half_given_and_bad_code(paths: AtlasPaths) -> None:
    _replace_in_row(paths.units, 2, "510100,成都市", "51010X,成都市")
    file, row, column, value, _ = _problem(paths)
    assert (file, row, column, value) == ("units.csv", 2, "code", "51010X")


def test_areas_in_wrong_crs(paths: AtlasPaths) -> None:
    import geopandas as gpd

    areas = gpd.read_file(paths.areas)
    areas = areas.to_crs(4543).set_crs(None, allow_override=True)  # metres, CRS label lost
    paths.areas.unlink()
    areas.to_file(paths.areas, driver="GeoJSON")
    file, _, column, value, msg = _problem(paths)
    assert (file, column) == ("township_areas.geojson", "geometry")
    assert value is not None and "坐标" in msg and "CRS" in msg


def test_oversized_file(paths: AtlasPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo.boundaries.MAX_DATA_FILE_BYTES", 100)
    _, _, _, value, msg = _problem(paths)
    assert value is not None and value.endswith("bytes") and "too large" in msg


def test_huge_cell_is_refused(paths: AtlasPaths) -> None:
    _replace_in_row(paths.projects, 2, "E-commerce training", "E" * 6000)
    file, row, column, _, msg = _problem(paths)
    assert (file, row, column) == ("projects.csv", 2, "title_en")
    assert "过长" in msg and "…" in msg  # the value is shortened in the message


def test_problems_are_all_reported_at_once(paths: AtlasPaths) -> None:
    _replace_in_row(paths.projects, 2, ",ecommerce,", ",x1,")
    _replace_in_row(paths.projects, 3, ",party,", ",x2,")
    with pytest.raises(AtlasDataError) as err:
        load_atlas(paths)
    assert [(p.row, p.value) for p in err.value.problems] == [(2, "x1"), (3, "x2")]


def test_unknown_or_missing_measure(paths: AtlasPaths) -> None:
    _replace_in_row(paths.figures, 2, ",cadres_hosted,", ",headcount,")
    file, row, column, value, msg = _problem(paths)
    assert (file, row, column, value) == ("figures.csv", 2, "measure", "headcount")
    assert "不在允许的取值中" in msg and "cadres_hosted" in msg


def test_figures_without_measure_column_are_refused(paths: AtlasPaths) -> None:
    def drop_measure(lines: list[str]) -> list[str]:
        return [",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in lines]

    _edit(paths.figures, drop_measure)
    file, _, column, _, msg = _problem(paths)
    assert file == "figures.csv" and (column == "measure" or "measure" in msg)
