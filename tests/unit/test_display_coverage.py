"""geo.geometry.display_coverage when every county is covered by its township areas (no
county left to snap to the areas' border) and when one is not."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import box

from geo.geometry import display_coverage


def _frames(with_neighbour: bool) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    counties = [("510101", box(0, 0, 0.2, 0.1)), ("510102", box(0.2, 0, 0.4, 0.1))]
    if with_neighbour:  # a county without township areas, bordering them
        counties.append(("510103", box(0.4, 0, 0.6, 0.1)))
    areas = [
        ("510101001000", box(0, 0, 0.1, 0.1)),
        ("510101002000", box(0.1, 0, 0.2, 0.1)),
        ("510102001000", box(0.2, 0, 0.4, 0.1)),
    ]
    return (
        gpd.GeoDataFrame(
            {"code": [c for c, _ in counties]}, geometry=[g for _, g in counties], crs=4326
        ),
        gpd.GeoDataFrame({"code": [c for c, _ in areas]}, geometry=[g for _, g in areas], crs=4326),
    )


def test_covered_counties_are_the_union_of_their_areas() -> None:
    counties, areas = _frames(with_neighbour=False)
    out_counties, out_areas = display_coverage(counties, areas, tolerance_m=10)
    assert len(out_areas) == 3
    first = shapely.union_all(out_areas.geometry.values[:2])
    assert out_counties.geometry.iloc[0].equals(first)
    assert out_counties.geometry.iloc[1].equals(out_areas.geometry.iloc[2])


def test_a_county_without_areas_is_kept_beside_them() -> None:
    counties, areas = _frames(with_neighbour=True)
    out_counties, _ = display_coverage(counties, areas, tolerance_m=10)
    neighbour = out_counties.geometry.iloc[2]
    assert abs(neighbour.area - box(0.4, 0, 0.6, 0.1).area) < 1e-9
    assert neighbour.touches(out_counties.geometry.iloc[1])
