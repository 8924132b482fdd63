"""Deterministic synthetic data in the atlas's own schema, for benchmarks at three sizes.

``generate(size, out)`` writes a complete data folder usable as ``$ATLAS_DATA_DIR`` (the layout
of the bundled ``data/``: the tables, ``derived/units.csv``, ``derived/aliases.csv``,
``derived/township_areas.geojson`` and ``derived/counties.geojson``, the county outlines the
app then uses instead of the bundled ones, see ``geo.atlas.counties_path``) and returns a
small summary.

Sizes:

- ``pujiang``: a copy of the bundled data (the real county pair), with the bundled county
  outlines as ``derived/counties.geojson``.
- ``chengdu_ganzi``: ~600 townships in 2 prefectures (38-ish counties) over Chengdu and
  Ganzi's extent, ~300 pairs (county pairs and township pairs under them).
- ``sichuan``: ~4,000 townships, ~180 counties, 21 prefectures over Sichuan's extent
  (lon 97.3-108.6, lat 26.0-34.4), ~1,000 pairs, ~20,000 projects.
- ``small``: ~120 townships, for fast tests.

Everything generated is **synthetic and says so**: one source row (合成基准数据（非真实）/
synthetic benchmark data, not real) that every row cites, names such as 合成乡0001 / Synthetic
Township 0001, and quotes that are the row's own statement. Codes look like NBS division codes
(prefecture ``51PP00``, county ``51PPCC``, township ``51PPCCTTT000``) because the app reads
prefixes (``code[:6]`` is a township's county).

Geometry. Township cells are the Voronoi cells of seed points (denser in the east, as
townships are smaller around Chengdu), relaxed once (Lloyd) and clipped to the region's
rectangle. Their borders are noded once as one set of lines, densified (a vertex every
~200 m) and moved by one smooth displacement field (a sum of sines, ~1.2 km over ~18 km and
~0.25 km over ~8 km: wiggles that survive the display simplifier's 250 m tolerance, and a
gradient well below 1 so nothing folds), then polygonized: neighbours share every border
vertex exactly, and a county (the townships whose seed is nearest its seed) is the exact union
of its townships. Prefectures group counties the same way; the eastern prefectures help, the
western ones are helped (a pair's two sides are always in different prefectures).

Determinism: one seeded ``numpy.random.Generator`` per size, no set or dict-order dependence,
coordinates rounded to 6 decimals; the same size writes the same bytes every time.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from geo import columns as C
from geo.atlas import COUNTIES_FILE, OPTIONAL_TABLES, AtlasPaths
from geo.paths import COUNTIES_WGS84

SIZES = ("small", "pujiang", "chengdu_ganzi", "sichuan")

SOURCE_ID = "synthetic-benchmark"
SOURCE_TITLE = "合成基准数据（非真实）/ synthetic benchmark data, not real"
SOURCE_DATE = "2025-06-30"
METHOD = "synthetic:voronoi-displaced"

# Real Sichuan prefecture codes (51PP00), used in order for the synthetic prefectures.
PREFECTURE_NUMBERS = (
    "01",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
    "32",
    "33",
    "34",
)

KM_PER_DEG_LAT = 111.0
SEGMENT_DEG = 0.002  # ~200 m between boundary vertices
ROUND = 6  # decimals of a coordinate (~0.1 m)

# (measure, unit) of the synthetic project figures: one unit per measure, so totals add like
# with like. Pair figures use funds_invested in 亿元 only.
FIGURE_MEASURES = (
    ("cadres_hosted", "人"),
    ("people_reached", "人"),
    ("training_sessions", "场次"),
    ("events", "次"),
    ("planted_area", "亩"),
    ("goods_donated", "万元"),
    ("items_exhibited", "件"),
)
PAIR_FIGURE_MEASURE = ("funds_invested", "亿元")


@dataclass(frozen=True)
class Spec:
    box: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1
    townships: int
    counties: int
    prefectures: int
    west_share: float  # share of prefectures (by seed longitude, westmost first) that are helped
    pairs: int  # county pairs + township pairs
    projects: int
    seed: int


SPECS = {
    "small": Spec((101.0, 29.0, 104.0, 31.0), 120, 10, 2, 0.5, 60, 400, 14_001),
    "chengdu_ganzi": Spec((97.3, 27.9, 104.9, 34.3), 600, 38, 2, 0.5, 300, 3_000, 14_002),
    "sichuan": Spec((97.3, 26.0, 108.6, 34.4), 4_000, 180, 21, 0.25, 1_000, 20_000, 14_003),
}


def generate(size: str, out: Path) -> dict[str, Any]:
    """Write the data folder of ``size`` (see the module's doc) into ``out`` (created; files
    already there are overwritten) and return its summary: townships, counties, prefectures,
    pairs by level, projects, figures, total and mean township vertices, bytes of the areas
    file (and of the counties file)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; expected one of {', '.join(SIZES)}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "derived").mkdir(exist_ok=True)
    if size == "pujiang":
        _copy_bundled(out)
    else:
        _Synth(SPECS[size], out).write()
    return summary(out)


# ------------------------------------------------------------------------------ pujiang


def _copy_bundled(out: Path) -> None:
    for path in vars(AtlasPaths()).values():
        target = out / "derived" / path.name if path.parent.name == "derived" else out / path.name
        shutil.copyfile(path, target)
    shutil.copyfile(COUNTIES_WGS84, out / "derived" / COUNTIES_FILE)


# ------------------------------------------------------------------------------ summary


def summary(folder: Path) -> dict[str, Any]:
    """Counts of a data folder written by :func:`generate` (read back from its files)."""

    def rows(name: str) -> list[dict[str, str]]:
        path = folder / name
        if not path.exists():
            return []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    units = rows("derived/units.csv")
    pairings = rows("pairings.csv")
    levels: dict[str, int] = {}
    for level in C.PAIRING_LEVELS:
        levels[level] = sum(1 for r in pairings if r["level"] == level)
    areas_path = folder / "derived" / "township_areas.geojson"
    features = json.loads(areas_path.read_text(encoding="utf-8"))["features"]
    vertices = int(
        sum(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])) for f in features)
    )
    counties_path = folder / "derived" / COUNTIES_FILE
    return {
        "prefectures": sum(1 for u in units if u["level"] == "prefecture"),
        "counties": sum(1 for u in units if u["level"] == "county"),
        "townships": sum(1 for u in units if u["level"] == "township"),
        "township_areas": len(features),
        "pairs": len(pairings),
        "pairs_by_level": levels,
        "projects": len(rows("projects.csv")),
        "figures": len(rows("figures.csv")),
        "pair_figures": len(rows("pair_figures.csv")),
        "vertices": vertices,
        "vertices_per_township": round(vertices / max(len(features), 1), 1),
        "areas_bytes": areas_path.stat().st_size,
        "counties_bytes": counties_path.stat().st_size if counties_path.exists() else 0,
    }


# ------------------------------------------------------------------------------ synthetic


class _Synth:
    def __init__(self, spec: Spec, out: Path) -> None:
        self.spec = spec
        self.out = out
        self.rng = np.random.default_rng(spec.seed)
        _, lat0, _, lat1 = spec.box
        self.km_per_deg_lon = KM_PER_DEG_LAT * math.cos(math.radians((lat0 + lat1) / 2))

    # -------------------------------------------------------------- points

    def _density(self, lon: NDArray[np.float64]) -> NDArray[np.float64]:
        """Relative township density: ~4x higher in the east (Chengdu plain) than the west."""
        lon0, _, lon1, _ = self.spec.box
        middle = lon0 + 0.7 * (lon1 - lon0)
        return 1.0 + 3.0 / (1.0 + np.exp(-(lon - middle) / 0.4))

    def _points(self, n: int, weighted: bool) -> NDArray[np.float64]:
        lon0, lat0, lon1, lat1 = self.spec.box
        inner = (lon0 + 0.02, lat0 + 0.02, lon1 - 0.02, lat1 - 0.02)
        chosen: list[NDArray[np.float64]] = []
        count = 0
        while count < n:
            batch = self.rng.uniform(inner[:2], inner[2:], size=(4 * n, 2))
            if weighted:
                keep = self.rng.uniform(0, 4.0, size=len(batch)) < self._density(batch[:, 0])
                batch = batch[keep]
            chosen.append(batch)
            count += len(batch)
        points = np.concatenate(chosen)[:n]
        return self._relax(points)

    def _relax(self, points: NDArray[np.float64]) -> NDArray[np.float64]:
        """One Lloyd step (each point to its clipped Voronoi cell's centroid): fewer slivers."""
        cells = self._cells(points)
        centres: NDArray[np.float64] = shapely.get_coordinates(shapely.centroid(cells))
        return np.round(centres, 9)

    def _voronoi(self, points: NDArray[np.float64]) -> NDArray[Any]:
        """The Voronoi cells of ``points`` (any order), unclipped, in degrees."""
        # Cells in km (isotropic), back to degrees after.
        scale = np.array([self.km_per_deg_lon, KM_PER_DEG_LAT])
        km = points * scale
        diagram = shapely.voronoi_polygons(
            shapely.multipoints(km), extend_to=shapely.box(*(km.min(0) - 500), *(km.max(0) + 500))
        )
        return np.asarray(shapely.transform(shapely.get_parts(diagram), lambda c: c / scale))

    def _cells(self, points: NDArray[np.float64]) -> NDArray[Any]:
        """The Voronoi cell of each point (in the points' order), clipped to the region."""
        region = shapely.box(*self.spec.box)
        polys = self._voronoi(points)
        # voronoi_polygons does not keep the input order: match each cell to its point.
        tree = shapely.STRtree(polys)
        pts = shapely.points(points)
        idx_pt, idx_poly = tree.query(pts, predicate="intersects")
        order = np.full(len(points), -1)
        order[idx_pt] = idx_poly
        assert (order >= 0).all()
        return np.asarray(shapely.intersection(polys[order], region))

    # -------------------------------------------------------------- geometry

    def _displace(self, coords: NDArray[np.float64]) -> NDArray[np.float64]:
        """One smooth displacement field for every vertex (so shared borders stay shared)."""
        lon0, lat0, _, _ = self.spec.box
        x = (coords[:, 0] - lon0) * self.km_per_deg_lon
        y = (coords[:, 1] - lat0) * KM_PER_DEG_LAT
        dx = np.zeros_like(x)
        dy = np.zeros_like(y)
        # (amplitude km, wavelength km, direction rad, phase rad): sum of 2*pi*A/L ~ 0.62 < 1.
        waves = (
            (1.2, 18.0, 0.3, 0.0),
            (0.25, 8.0, 1.9, 1.3),
        )
        for amplitude, wavelength, angle, phase in waves:
            k = 2 * math.pi / wavelength
            u = x * math.cos(angle) + y * math.sin(angle)
            v = -x * math.sin(angle) + y * math.cos(angle)
            dx += amplitude * np.sin(k * v + phase) / math.sqrt(2)
            dy += amplitude * np.sin(k * u + 2 * phase) / math.sqrt(2)
        out = np.empty_like(coords)
        out[:, 0] = coords[:, 0] + dx / self.km_per_deg_lon
        out[:, 1] = coords[:, 1] + dy / KM_PER_DEG_LAT
        return np.round(out, ROUND)

    def _township_polygons(self, seeds: NDArray[np.float64]) -> NDArray[Any]:
        """Displaced, densified cells of ``seeds`` (same order), sharing every border exactly."""
        # Every border once, noded: the Voronoi edges clipped to the region once (not cell by
        # cell, which could compute a shared corner twice), plus the region's outline.
        region = shapely.box(*self.spec.box)
        edges = shapely.union_all(shapely.boundary(self._voronoi(seeds)))
        lines = shapely.union_all([shapely.intersection(edges, region), region.boundary])
        lines = shapely.segmentize(lines, SEGMENT_DEG)
        lines = shapely.transform(lines, self._displace)
        polys = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
        inside = shapely.points(self._displace(seeds))
        tree = shapely.STRtree(polys)
        idx_pt, idx_poly = tree.query(inside, predicate="within")
        assert len(idx_pt) == len(seeds) == len(polys), (len(idx_pt), len(seeds), len(polys))
        order = np.full(len(seeds), -1)
        order[idx_pt] = idx_poly
        assert (order >= 0).all() and len(set(order.tolist())) == len(seeds)
        result = polys[order]
        assert shapely.is_valid(result).all()
        return np.asarray(shapely.normalize(result))

    # -------------------------------------------------------------- write

    def write(self) -> None:
        spec = self.spec
        seeds = self._points(spec.townships, weighted=True)
        county_seeds = self._points(spec.counties, weighted=True)
        prefecture_seeds = self._points(spec.prefectures, weighted=False)
        township_county = _nearest(seeds, county_seeds)
        county_prefecture = _nearest(county_seeds, prefecture_seeds)
        polygons = self._township_polygons(seeds)

        # Prefectures numbered east to west (helpers first), counties and townships in order
        # of latitude then longitude within their parent: stable, readable codes.
        pref_order = sorted(range(spec.prefectures), key=lambda i: -prefecture_seeds[i, 0])
        n_west = max(1, round(spec.west_share * spec.prefectures))
        west = set(pref_order[-n_west:])
        pref_code = {p: f"51{PREFECTURE_NUMBERS[i]}00" for i, p in enumerate(pref_order)}
        county_code: dict[int, str] = {}
        for p in pref_order:
            members = [c for c in range(spec.counties) if county_prefecture[c] == p]
            members = [c for c in members if (township_county == c).any()]  # no empty county
            members.sort(key=lambda c: (-county_seeds[c, 1], county_seeds[c, 0]))
            for j, c in enumerate(members):
                county_code[c] = f"{pref_code[p][:4]}{21 + j:02d}"
        township_code: dict[int, str] = {}
        for c in sorted(county_code, key=lambda c: county_code[c]):
            members = [t for t in range(spec.townships) if township_county[t] == c]
            members.sort(key=lambda t: (-seeds[t, 1], seeds[t, 0]))
            for j, t in enumerate(members):
                township_code[t] = f"{county_code[c]}{100 + j:03d}000"

        counties = sorted(county_code, key=lambda c: county_code[c])
        townships = sorted(township_code, key=lambda t: township_code[t])
        units = self._units(
            pref_order,
            west,
            pref_code,
            county_code,
            township_code,
            county_prefecture,
            township_county,
        )
        self._write_areas(townships, township_code, polygons)
        self._write_counties(
            counties, county_code, county_prefecture, pref_code, township_county, polygons
        )
        west_counties = [c for c in counties if county_prefecture[c] in west]
        east_counties = [c for c in counties if county_prefecture[c] not in west]
        pairings = self._pairings(
            west_counties, east_counties, county_code, county_seeds, township_code, township_county
        )
        self._write_tables(units, pairings)

    def _units(
        self,
        pref_order: list[int],
        west: set[int],
        pref_code: dict[int, str],
        county_code: dict[int, str],
        township_code: dict[int, str],
        county_prefecture: NDArray[np.int64],
        township_county: NDArray[np.int64],
    ) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []

        def unit(code: str, zh: str, en: str, kind: str, level: str, parent: str) -> None:
            rows.append(
                {
                    "code": code,
                    "name_zh": zh,
                    "name_en": en,
                    "kind": kind,
                    "level": level,
                    "parent_code": parent,
                    "status": "current",
                    "source_id": SOURCE_ID,
                }
            )

        for i, p in enumerate(pref_order):
            n = f"{i + 1:02d}"
            kind = "自治州" if p in west else "地级市"
            unit(pref_code[p], f"合成州{n}", f"Synthetic Prefecture {n}", kind, "prefecture", "")
        for i, c in enumerate(sorted(county_code, key=lambda c: county_code[c])):
            n = f"{i + 1:03d}"
            parent = pref_code[int(county_prefecture[c])]
            unit(county_code[c], f"合成县{n}", f"Synthetic County {n}", "县", "county", parent)
        for i, t in enumerate(sorted(township_code, key=lambda t: township_code[t])):
            n = f"{i + 1:04d}"
            parent = county_code[int(township_county[t])]
            unit(
                township_code[t], f"合成乡{n}", f"Synthetic Township {n}", "乡", "township", parent
            )
        return rows

    def _write_areas(
        self, townships: list[int], code: dict[int, str], polygons: NDArray[Any]
    ) -> None:
        features = [
            {
                "type": "Feature",
                "properties": {"code": code[t], "approximate": True, "method": METHOD},
                "geometry": shapely.geometry.mapping(polygons[t]),
            }
            for t in townships
        ]
        _write_geojson(self.out / "derived" / "township_areas.geojson", features)

    def _write_counties(
        self,
        counties: list[int],
        county_code: dict[int, str],
        county_prefecture: NDArray[np.int64],
        pref_code: dict[int, str],
        township_county: NDArray[np.int64],
        polygons: NDArray[Any],
    ) -> None:
        features = []
        for i, c in enumerate(counties):
            outline = shapely.normalize(shapely.union_all(polygons[township_county == c]))
            parent = pref_code[int(county_prefecture[c])]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "adcode": county_code[c],
                        "name": f"合成县{i + 1:03d}",
                        "level": "county",
                        "parent_adcode": parent,
                        "parent_name": f"合成州{parent[2:4]}",
                    },
                    "geometry": shapely.geometry.mapping(outline),
                }
            )
        _write_geojson(self.out / "derived" / COUNTIES_FILE, features)

    def _pairings(
        self,
        west: list[int],
        east: list[int],
        county_code: dict[int, str],
        county_seeds: NDArray[np.float64],
        township_code: dict[int, str],
        township_county: NDArray[np.int64],
    ) -> list[dict[str, str]]:
        """One county pair per western county (its helper: the eastern county of the same rank
        by latitude), then township pairs under each county pair up to the size's total."""
        by_lat_w = sorted(west, key=lambda c: (-county_seeds[c, 1], county_code[c]))
        by_lat_e = sorted(east, key=lambda c: (-county_seeds[c, 1], county_code[c]))
        rows: list[dict[str, str]] = []
        county_pairs: list[tuple[int, int, str]] = []
        for i, partner in enumerate(by_lat_w):
            helper = by_lat_e[i * len(by_lat_e) // len(by_lat_w)]
            rnd = "R2" if i % 3 else "R3"
            county_pairs.append((helper, partner, rnd))
            h, p = county_code[helper], county_code[partner]
            start = "2017" if rnd == "R2" else "2021"
            rows.append(_pairing(f"C{len(rows) + 1:04d}", "county", h, p, start, rnd, "round"))
        wanted = max(self.spec.pairs - len(rows), 0)
        townships_of = {
            c: sorted((code for t, code in township_code.items() if township_county[t] == c))
            for c in county_code
        }
        share = [wanted // len(county_pairs)] * len(county_pairs)
        for i in range(wanted % len(county_pairs)):
            share[i] += 1
        for (helper, partner, rnd), k in zip(county_pairs, share, strict=True):
            hs, ps = townships_of[helper], townships_of[partner]
            k = min(k, len(hs) * len(ps))
            for j in range(k):
                # Every partner township once before any twice; (helper, partner) distinct.
                p = ps[j % len(ps)]
                h = hs[(j // len(ps) + j % len(ps)) % len(hs)]
                start = str(int(self.rng.integers(2016, 2021)))
                rows.append(
                    _pairing(f"T{len(rows) + 1:05d}", "township", h, p, start, rnd, "since")
                )
        # The same (helper, partner, round) at most once (the loader refuses repeats).
        seen: set[tuple[str, str, str, str]] = set()
        unique = []
        for r in rows:
            key = (r["level"], r["helper_code"], r["partner_code"], r["round"])
            if key not in seen:
                seen.add(key)
                unique.append(r)
        return unique

    def _projects(
        self, pairings: list[dict[str, str]]
    ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        types = list(C.PROJECT_TYPES)
        precisions = ("day", "month", "year", "period", "undated")
        n = self.spec.projects
        which = self.rng.integers(0, len(pairings), size=n)
        kinds = self.rng.choice(len(precisions), size=n, p=[0.3, 0.25, 0.25, 0.15, 0.05])
        years = self.rng.integers(2016, 2025, size=n)
        months = self.rng.integers(1, 13, size=n)
        days = self.rng.integers(1, 29, size=n)
        spans = self.rng.integers(1, 4, size=n)
        has_figure = self.rng.uniform(size=n) < 0.3
        measure_i = self.rng.integers(0, len(FIGURE_MEASURES), size=n)
        quantities = self.rng.integers(1, 500, size=n)
        agreed = self.rng.uniform(size=n) < 0.05
        over = self.rng.uniform(size=n) < 0.3
        projects: list[dict[str, str]] = []
        figures: list[dict[str, str]] = []
        for i in range(n):
            pair = pairings[int(which[i])]
            kind = types[i % len(types)]
            zh_type, en_type = C.PROJECT_TYPES[kind]
            precision = precisions[int(kinds[i])]
            year = int(years[i])
            date, year_from, year_to = "", str(year), str(year)
            if precision == "day":
                date = f"{year}-{int(months[i]):02d}-{int(days[i]):02d}"
            elif precision == "month":
                date = f"{year}-{int(months[i]):02d}"
            elif precision == "year":
                date = str(year)
            elif precision == "period":
                year_from, year_to = str(min(year, 2022)), str(min(year, 2022) + int(spans[i]))
                year_to = str(min(int(year_to), 2024))
            else:
                year_from = year_to = ""
            pid = f"S{i + 1:06d}"
            title_zh = f"合成项目{i + 1:06d}（{zh_type}）"
            projects.append(
                {
                    "project_id": pid,
                    "role": "pairing",
                    "pairing_id": pair["pairing_id"],
                    "type": kind,
                    "title_zh": title_zh,
                    "title_en": f"Synthetic project {i + 1:06d} ({en_type})",
                    "helper_code": pair["helper_code"],
                    "partner_code": pair["partner_code"],
                    "date": date,
                    "date_precision": precision,
                    "year_from": year_from,
                    "year_to": year_to,
                    "source_id": SOURCE_ID,
                    "quote": f"合成数据：{title_zh}",
                    "note": "synthetic",
                }
            )
            if has_figure[i]:
                measure, unit = FIGURE_MEASURES[int(measure_i[i])]
                zh, en = C.MEASURES[measure]
                qualifier = "余" if over[i] else ""
                q = int(quantities[i])
                figures.append(
                    {
                        "figure_id": f"F{len(figures) + 1:06d}",
                        "project_id": pid,
                        "measure": measure,
                        "measure_zh": zh,
                        "measure_en": en,
                        "quantity": str(q),
                        "unit": unit,
                        "qualifier": qualifier,
                        "basis": "agreed" if agreed[i] else "reported",
                        "quote": f"合成数据：{zh}{q}{qualifier}{unit}",
                    }
                )
        return projects, figures

    def _write_tables(self, units: list[dict[str, str]], pairings: list[dict[str, str]]) -> None:
        out = self.out
        _write_csv(
            out / "sources.csv",
            (*C.SOURCE_COLUMNS, *C.SOURCE_OPTIONAL_COLUMNS),
            [
                {
                    "source_id": SOURCE_ID,
                    "kind": "dataset",
                    "title": SOURCE_TITLE,
                    "publisher": "benchmarks/synth.py",
                    "date": SOURCE_DATE,
                    "licence": "generated; no rights",
                    "note": "合成数据，仅用于性能测试，不代表任何真实地区或结对 / generated for "
                    "benchmarks only; no real place or pair",
                }
            ],
        )
        _write_csv(out / "derived" / "units.csv", C.UNIT_COLUMNS, units)
        _write_csv(out / "derived" / "aliases.csv", C.ALIAS_COLUMNS, [])
        _write_csv(
            out / "pairings.csv", (*C.PAIRING_COLUMNS, *C.PAIRING_OPTIONAL_COLUMNS), pairings
        )
        _write_csv(
            out / "aggregates.csv", (*C.AGGREGATE_COLUMNS, *C.AGGREGATE_OPTIONAL_COLUMNS), []
        )
        projects, figures = self._projects(pairings)
        _write_csv(out / "projects.csv", C.PROJECT_COLUMNS, projects)
        _write_csv(out / "figures.csv", C.FIGURE_COLUMNS, figures)
        pair_figures: list[dict[str, str]] = []
        for r in pairings:
            if r["level"] != "county":
                continue
            measure, unit = PAIR_FIGURE_MEASURE
            zh, en = C.MEASURES[measure]
            q = f"{float(self.rng.integers(10, 500)) / 100:.2f}"
            pair_figures.append(
                {
                    "figure_id": f"G{len(pair_figures) + 1:04d}",
                    "pairing_id": r["pairing_id"],
                    "measure": measure,
                    "measure_zh": zh,
                    "measure_en": en,
                    "quantity": q,
                    "unit": unit,
                    "period_zh": "累计（合成）",
                    "period_en": "cumulative (synthetic)",
                    "source_id": SOURCE_ID,
                    "quote": f"合成数据：累计{zh}{q}{unit}",
                }
            )
        _write_csv(out / "pair_figures.csv", C.PAIR_FIGURE_COLUMNS, pair_figures)
        for name in OPTIONAL_TABLES:
            if name == "pair_figures":
                continue
            columns = {
                "pairing_sources": C.PAIRING_SOURCE_COLUMNS,
                "zones": C.ZONE_COLUMNS,
                "outside_partners": C.OUTSIDE_PARTNER_COLUMNS,
            }[name]
            _write_csv(out / getattr(AtlasPaths(), name).name, columns, [])


# ------------------------------------------------------------------------------ helpers


def _nearest(points: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.int64]:
    """Index of the nearest centre of each point (ties: the lower index)."""
    out = np.empty(len(points), dtype=np.int64)
    for start in range(0, len(points), 2048):
        chunk = points[start : start + 2048]
        d = ((chunk[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        out[start : start + 2048] = d.argmin(axis=1)
    return out


def _pairing(
    pid: str, level: str, helper: str, partner: str, start: str, rnd: str, kind: str
) -> dict[str, str]:
    zh = "对口帮扶" if level == "county" else "乡镇结对"
    en = "paired assistance" if level == "county" else "township pairing"
    return {
        "pairing_id": pid,
        "level": level,
        "helper_code": helper,
        "partner_code": partner,
        "relation_zh": zh,
        "relation_en": en,
        "start_date": start,
        "start_precision": "year",
        "source_id": SOURCE_ID,
        "quote": f"合成数据：{helper}与{partner}{zh}",
        "round": rnd,
        "period_kind": kind,
        "period_to": "",
        "note": "合成数据 / synthetic",
    }


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=SIZES)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    result = generate(args.size, args.out)
    result["seconds"] = round(time.perf_counter() - start, 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
