"""Township areas as Mapbox vector tiles, written by GDAL's MVT driver (through pyogrio).

The first step of the national-scale design (docs/SCALING.md): at ~40,000 townships even one
simplified GeoJSON file is too much for a browser to fetch and parse at once, so the areas are
cut into tiles that the app's own static file serving hands out per view. This module only
writes the tiles (a folder ``{z}/{x}/{y}.pbf`` plus GDAL's ``metadata.json``) and summarises
them; ``python cli.py bench`` measures it at Sichuan scale. The app does not draw from tiles
yet: at the sizes its targets name, the cached GeoJSON file (ui.mapview) is enough.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio

LAYER = "townships"


@dataclass(frozen=True)
class TileSet:
    folder: Path
    minzoom: int
    maxzoom: int
    tiles: int
    bytes: int
    bytes_by_zoom: dict[int, int]
    tiles_by_zoom: dict[int, int]


def write_tiles(
    areas: gpd.GeoDataFrame, folder: Path, minzoom: int = 5, maxzoom: int = 11
) -> TileSet:
    """Write ``areas`` (code + geometry, any CRS) as vector tiles into ``folder`` (replaced)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(
        areas[["code", "geometry"]].to_crs(3857),
        folder,
        driver="MVT",
        layer=LAYER,
        dataset_options={
            "MINZOOM": str(minzoom),
            "MAXZOOM": str(maxzoom),
            "FORMAT": "DIRECTORY",
            "COMPRESS": "NO",  # the web server compresses; browsers read plain protobuf
            "MAX_SIZE": "500000",
        },
    )
    return summarise(folder, minzoom, maxzoom)


def summarise(folder: Path, minzoom: int, maxzoom: int) -> TileSet:
    by_zoom: dict[int, int] = {}
    count: dict[int, int] = {}
    for z in range(minzoom, maxzoom + 1):
        sizes = [p.stat().st_size for p in folder.glob(f"{z}/*/*.pbf")]
        by_zoom[z] = sum(sizes)
        count[z] = len(sizes)
    return TileSet(
        folder, minzoom, maxzoom, sum(count.values()), sum(by_zoom.values()), by_zoom, count
    )


def tiles_for_view(
    bounds: tuple[float, float, float, float], zoom: int
) -> list[tuple[int, int, int]]:
    """(z, x, y) of the tiles covering ``bounds`` (min lon, min lat, max lon, max lat)."""

    def tile(lon: float, lat: float) -> tuple[int, int]:
        n = 2**zoom
        x = int((lon + 180.0) / 360.0 * n)
        rad = math.radians(lat)
        y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
        return min(max(x, 0), n - 1), min(max(y, 0), n - 1)

    x0, y1 = tile(bounds[0], bounds[1])
    x1, y0 = tile(bounds[2], bounds[3])
    return [(zoom, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
