"""Per-unit facts built in one vectorised pass (geo.query) agree with the per-unit queries,
and the row numbers kept on a table cost nothing to carry through filters (issue 14)."""

from __future__ import annotations

import copy
from dataclasses import replace

import pandas as pd
import pytest

from geo.atlas import Atlas, load_atlas
from geo.query import (
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
