"""Per-unit facts built in one vectorised pass (geo.query) agree with the per-unit queries,
and the row numbers kept on a table cost nothing to carry through filters (issue 14)."""

from __future__ import annotations

import copy
from dataclasses import replace

import pandas as pd
import pytest

from geo.atlas import Atlas, load_atlas
from geo.detail import detail_names, view_atlas
from geo.filters import year_bounds
from geo.periods import pairing_spans
from geo.query import (
    cached_on,
    pairings_by_unit,
    pairings_of,
    project_type_counts,
    projects_by_unit,
    projects_of,
)
from geo.tables import RowNumbers


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def _atlases(atlas: Atlas) -> list[Atlas]:
    ecommerce = atlas.projects[atlas.projects["type"] == atlas.projects["type"].iloc[0]]
    return [atlas, replace(atlas, projects=ecommerce, pairings=atlas.pairings.iloc[::2])]


def test_projects_by_unit_is_projects_of_for_every_unit(atlas: Atlas) -> None:
    for n, one in enumerate(_atlases(atlas)):
        grouped = projects_by_unit(one)
        counts = project_type_counts(one)
        checked = 0
        for code in one.units["code"]:
            expected = list(projects_of(one, code)["project_id"])
            got = grouped.get(code)
            assert (list(got["project_id"]) if got is not None else []) == expected, code
            total = int(counts.loc[code].sum()) if code in counts.index else 0
            assert total == len(expected), code
            checked += bool(expected)
        assert checked > (10 if n == 0 else 2)  # projects under many units, fewer once filtered


def test_pairings_by_unit_is_pairings_of_for_every_unit(atlas: Atlas) -> None:
    for one in _atlases(atlas):
        grouped = pairings_by_unit(one)
        for code in one.units["code"]:
            expected = list(pairings_of(one, code)["pairing_id"])
            got = grouped.get(code)
            assert (list(got["pairing_id"]) if got is not None else []) == expected, code


def test_cached_facts_follow_a_new_table(atlas: Atlas) -> None:
    before = project_type_counts(atlas)
    fewer = replace(atlas, projects=atlas.projects.iloc[:1])
    after = project_type_counts(fewer)
    assert int(after.to_numpy().sum()) < int(before.to_numpy().sum())
    assert project_type_counts(atlas) is before  # same frame: same cached answer


def test_row_numbers_are_not_copied_into_every_filtered_frame(atlas: Atlas) -> None:
    rows = atlas.projects.attrs["rows"]
    assert isinstance(rows, RowNumbers) and len(rows) == len(atlas.projects)
    subset = atlas.projects[atlas.projects["role"] == "pairing"]
    row = next(subset.iterrows())[1]
    # pandas deep-copies attrs into derived frames and rows: the very same object comes back.
    assert subset.attrs["rows"] is rows and row.attrs["rows"] is rows
    assert copy.deepcopy(rows) is rows


def test_row_numbers_still_name_the_spreadsheet_rows() -> None:
    frame = pd.DataFrame({"a": ["x", "y"]})
    frame.attrs["rows"] = RowNumbers([2, 5])
    assert list(frame[frame["a"] == "y"].attrs["rows"]) == [2, 5]


# --- popup lookups: the same rows as filtering the tables, at any size -------------------


@pytest.fixture(scope="module")
def city_atlas(tmp_path_factory: pytest.TempPathFactory) -> Atlas:
    """A larger, varied atlas (the benchmark's ~600-township generator)."""
    from benchmarks.synth import generate
    from geo.atlas import paths_from_env

    folder = tmp_path_factory.mktemp("chengdu_ganzi")
    generate("chengdu_ganzi", folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_DATA_DIR", str(folder))
        return load_atlas(paths_from_env())


def _old_partner_status(atlas: Atlas, code: str) -> str:
    p = atlas.pairings
    own = p[(p["level"] == "township") & ((p["helper_code"] == code) | (p["partner_code"] == code))]
    if len(own):
        return "published"
    agg = atlas.aggregates
    covered = agg[
        (agg["level"] == "township")
        & ((agg["helper_scope_code"] == code[:6]) | (agg["partner_scope_code"] == code[:6]))
    ]
    return "not_published" if len(covered) else "none"


@pytest.mark.parametrize("which", ["bundled", "city"])
def test_popup_lookups_agree_with_filtering_the_tables(
    which: str, atlas: Atlas, city_atlas: Atlas
) -> None:
    from geo.query import partner_status, projects_by_pairing, records_by
    from layers.popups import source_line

    one = atlas if which == "bundled" else city_atlas
    assert len(one.projects) and len(one.figures) and len(one.pairings)
    figures = records_by(one.figures, "project_id")
    for pid in one.projects["project_id"]:
        rows = one.figures[one.figures["project_id"] == pid]
        got = [{k: v for k, v in r.items() if k != "_position"} for r in figures.get(pid, [])]
        assert got == rows.to_dict("records"), pid
    statuses = set()
    for code in one.units["code"]:
        status = partner_status(one, code)
        assert status == _old_partner_status(one, code), code
        statuses.add(status)
    by_pair = projects_by_pairing(one)
    for pid in one.pairings["pairing_id"]:
        pr = one.projects
        expected = pr[(pr["pairing_id"] == pid) & (pr["role"] == "pairing")].sort_values(
            ["year_from", "project_id"], na_position="last"
        )
        got_ids = list(by_pair[pid]["project_id"]) if pid in by_pair else []
        assert got_ids == list(expected["project_id"]), pid
        # Sources in the sources table's order, as filtering the table gives them.
        ids = {*expected["source_id"]}
        table = one.sources[one.sources["source_id"].isin(ids)]
        line = source_line(one, ids, "en")
        positions = [line.index(str(s)) for s in table["publisher"] + ", " + table["title"]]
        assert positions == sorted(positions), pid
    if which == "city":
        assert len(statuses) >= 2  # the comparison saw more than one kind of township


def test_a_fact_on_several_frames_holds_only_while_each_is_the_same(atlas: Atlas) -> None:
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    frames = (atlas.units, atlas.pairings)
    assert cached_on(frames, "test:several", build) == 1
    assert cached_on(frames, "test:several", build) == 1 and len(built) == 1
    other = atlas.pairings.iloc[:2]  # one frame replaced: built again
    assert cached_on((atlas.units, other), "test:several", build) == 2
    assert cached_on(frames, "test:several", build) == 1  # the first entry is still there


def test_views_and_their_facts_are_made_once_per_data(atlas: Atlas) -> None:
    """What every run asks for several times (geo.detail, geo.filters.year_bounds) comes back
    as the same objects for the same data, and follows new data."""
    detail = view_atlas(atlas, "detail")
    assert view_atlas(atlas, "detail") is detail
    assert view_atlas(atlas, "overview") is not detail
    assert year_bounds(detail) == year_bounds(view_atlas(atlas, "detail"))
    assert pairing_spans(atlas) is pairing_spans(atlas)
    assert detail_names(atlas, "zh") == detail_names(atlas, "zh") == [("蒲江", "泸定")]
    fewer = replace(atlas, pairings=atlas.pairings[atlas.pairings["level"] != "county"])
    assert detail_names(fewer, "zh") == []  # the county pair gone: no detail pair
    assert view_atlas(fewer, "detail") is not detail
    assert len(pairing_spans(fewer)) == len(fewer.pairings) < len(pairing_spans(atlas))
