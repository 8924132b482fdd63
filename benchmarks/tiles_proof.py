"""The first step of the national-scale design (docs/SCALING.md), proven at a given size.

Cuts a data folder's township areas into vector tiles (``geo.tiles``: GDAL's MVT driver) under
the app's own ``static/tiles/<hash>/``, starts the app (bundled data: the static serving does
not depend on the data) and fetches over HTTP, as a browser would (``Accept-Encoding: gzip``),
the tiles of two views: the whole extent at a province zoom and a laptop-sized window
(1366 x 768 px) around the middle at a city zoom. Reports time to cut, tiles and bytes per
zoom, and the bytes each view costs, against the one-file GeoJSON the app serves today.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.tiles import tiles_for_view, write_tiles

ROOT = Path(__file__).resolve().parent.parent
PROVINCE_ZOOM = 6
CITY_ZOOM = 9
WINDOW_PX = (1366, 768)


def _window(center: tuple[float, float], zoom: int) -> tuple[float, float, float, float]:
    """Bounds of a WINDOW_PX map centred on ``center`` (lon, lat) at ``zoom``."""
    deg_per_px = 360.0 / (256 * 2**zoom)
    half_w = WINDOW_PX[0] / 2 * deg_per_px
    half_h = WINDOW_PX[1] / 2 * deg_per_px * math.cos(math.radians(center[1]))
    return center[0] - half_w, center[1] - half_h, center[0] + half_w, center[1] + half_h


def _fetch(url: str) -> tuple[int, int]:
    """(HTTP status, bytes on the wire) of ``url``, gzip accepted."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def prove(data_dir: Path, base_url: str, geojson_bytes: int | None = None) -> dict[str, Any]:
    """Cut ``data_dir``'s areas into tiles under static/tiles/ and fetch two views of them
    from the app running at ``base_url``. The tiles folder is removed afterwards."""
    areas = gpd.read_file(data_dir / "derived" / "township_areas.geojson")[["code", "geometry"]]
    digest = hashlib.sha256(
        (data_dir / "derived" / "township_areas.geojson").read_bytes()
    ).hexdigest()[:16]
    folder = ROOT / "static" / "tiles" / digest
    started = time.perf_counter()
    tiles = write_tiles(areas, folder, minzoom=5, maxzoom=11)
    seconds = time.perf_counter() - started
    try:
        minx, miny, maxx, maxy = (float(v) for v in areas.total_bounds)
        views = {
            f"province_z{PROVINCE_ZOOM}": (minx, miny, maxx, maxy, PROVINCE_ZOOM),
            f"laptop_window_z{CITY_ZOOM}": (
                *_window(((minx + maxx) / 2, (miny + maxy) / 2), CITY_ZOOM),
                CITY_ZOOM,
            ),
        }
        fetched: dict[str, Any] = {}
        for name, (*bounds, zoom) in views.items():
            statuses: list[int] = []
            wire = 0
            for z, x, y in tiles_for_view((bounds[0], bounds[1], bounds[2], bounds[3]), zoom):
                if not (folder / str(z) / str(x) / f"{y}.pbf").exists():
                    continue  # no township there: GDAL writes no tile
                status, size = _fetch(f"{base_url}/app/static/tiles/{digest}/{z}/{x}/{y}.pbf")
                statuses.append(status)
                wire += size
            fetched[name] = {
                "tiles": len(statuses),
                "all_http_200": bool(statuses) and all(s == 200 for s in statuses),
                "bytes_on_wire": wire,
            }
        return {
            "tool": "GDAL MVT driver via pyogrio",
            "townships": len(areas),
            "seconds_to_cut": round(seconds, 2),
            "zooms": [tiles.minzoom, tiles.maxzoom],
            "tiles": tiles.tiles,
            "bytes": tiles.bytes,
            "bytes_by_zoom": tiles.bytes_by_zoom,
            "views": fetched,
            "geojson_file_bytes": geojson_bytes,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
