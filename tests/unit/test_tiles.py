"""Vector tiles of the township areas (geo.tiles: the first step of docs/SCALING.md)."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from geo.display import DisplayGeometry
from geo.tiles import tiles_for_view, write_tiles


def test_tiles_hold_every_township_of_the_view(display: DisplayGeometry, tmp_path: Path) -> None:
    areas = display.areas
    tiles = write_tiles(areas, tmp_path / "tiles", minzoom=7, maxzoom=9)
    assert tiles.tiles == sum(tiles.tiles_by_zoom.values()) > 0
    assert tiles.bytes_by_zoom[9] > 0 and (tmp_path / "tiles" / "metadata.json").exists()
    minx, miny, maxx, maxy = (float(v) for v in areas.total_bounds)
    codes: set[str] = set()
    for z, x, y in tiles_for_view((minx, miny, maxx, maxy), 9):
        path = tmp_path / "tiles" / str(z) / str(x) / f"{y}.pbf"
        if path.exists():
            codes |= set(pyogrio.read_dataframe(path)["code"])
    assert codes == set(areas["code"])


def test_tiles_for_view_covers_the_bounds() -> None:
    # Pujiang at zoom 10: lon 103.3-103.6, lat 30.0-30.35.
    tiles = tiles_for_view((103.3, 30.0, 103.6, 30.35), 10)
    xs = {x for _, x, _ in tiles}
    ys = {y for _, _, y in tiles}
    assert xs == set(range(min(xs), max(xs) + 1)) and len(tiles) == len(xs) * len(ys)
    assert min(xs) == int((103.3 + 180) / 360 * 1024)
