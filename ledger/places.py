"""Find the atlas unit an office means by a code or a name, at any level.

Order: a code (6, 9 or 12 digits); then the current name (or its NBS committee name, or the
name without its 镇/乡/街道/村/社区 suffix when that is unique) within the right county; then
the alias table (renamed and merged units: resolved, with a note; ``probable`` and
``unresolved`` ones are only suggested, never resolved); then close names from rapidfuzz, as
suggestions only. An abolished unit is never matched: it is reported with its successor when
the data know it. A full path in one cell ("蒲江县大塘镇八角井村") is read part by part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from geo.atlas import Atlas
from ledger.problems import Suggestion

SUFFIXES = ("街道办事处", "街道", "社区", "镇", "乡", "村", "县", "区", "市")
# Prefixes an office may write before a county name.
PREFECTURE_PREFIXES = (
    "四川省",
    "成都市",
    "甘孜藏族自治州",
    "甘孜州",
    "四川",
    "成都",
    "甘孜",
)
MAX_SUGGESTIONS = 5
# 5.10131E+11: a 12-digit code in a CSV saved from a column Excel formatted as a number.
SCIENTIFIC_RE = re.compile(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]+")
FUZZY_CUTOFF = 50.0


@dataclass(frozen=True)
class PlaceMatch:
    """The unit found for a cell, how it was found, and what the editor should know."""

    code: str | None
    how: str | None  # "code" | "name" | "alias" | "fuzzy" | None
    note_zh: str = ""
    note_en: str = ""
    successor: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)


def clean(text: str) -> str:
    """NFKC (full-width digits as ASCII) without any spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def stem(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class PlaceMatcher:
    """Built from ``atlas.units`` and ``atlas.aliases`` (any rows they hold)."""

    def __init__(self, units: pd.DataFrame, aliases: pd.DataFrame) -> None:
        self.units: dict[str, dict[str, str]] = {
            str(r["code"]): {str(k): ("" if pd.isna(v) else str(v)) for k, v in r.items()}
            for r in units.to_dict("records")
        }
        self.aliases: list[dict[str, str]] = [
            {str(k): ("" if pd.isna(v) else str(v)) for k, v in r.items()}
            for r in aliases.to_dict("records")
        ]
        self._cache: dict[tuple[str, str | None, str | None, str | None], PlaceMatch] = {}
        self.current = {
            c: u for c, u in self.units.items() if u.get("status", "current") != "abolished"
        }

    @classmethod
    def from_atlas(cls, atlas: Atlas) -> PlaceMatcher:
        return cls(atlas.units, atlas.aliases)

    # ----------------------------------------------------------------------- labels

    def name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit["name_zh"] if unit else code

    def label(self, code: str) -> str:
        """``大塘镇（蒲江县）`` / ``八角井村（大塘镇）``: the name with its parent."""
        unit = self.units.get(code)
        if unit is None:
            return code
        parent = self.units.get(unit.get("parent_code", ""))
        return f"{unit['name_zh']}（{parent['name_zh']}）" if parent else unit["name_zh"]

    def county_of(self, code: str) -> str:
        return code[:6]

    def _within(self, code: str, level: str | None, county: str | None, parent: str | None) -> bool:
        unit = self.units[code]
        if level is not None and unit.get("level") != level:
            return False
        if county is not None and not code.startswith(county[:6]):
            return False
        return parent is None or unit.get("parent_code") == parent

    # ----------------------------------------------------------------------- match

    def match(
        self,
        text: str,
        *,
        level: str | None = None,
        county: str | None = None,
        parent: str | None = None,
    ) -> PlaceMatch:
        """The unit ``text`` names. ``level`` (county/township/village), ``county`` (a code)
        and ``parent`` (the township code of a village) narrow the search."""
        cache_key = (text, level, county, parent)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match(clean(text), level, county, parent)
        return self._cache[cache_key]

    def _match(
        self, key: str, level: str | None, county: str | None, parent: str | None
    ) -> PlaceMatch:
        if not key:
            return PlaceMatch(None, None, "地点为空", "the place is empty")
        if key.isdigit():
            return self._by_code(key, level)
        zone = self._zone(key, level)
        if zone is not None:
            return zone
        if SCIENTIFIC_RE.fullmatch(key):
            return PlaceMatch(
                None,
                None,
                f"代码被 Excel 存成了科学计数法（{key}），后几位已丢失",
                f"Excel saved the code in scientific notation ({key}): its last digits are lost",
                suggestions=[],
            )
        found = self._by_name(key, level, county, parent)
        if found is not None:
            return found
        path = self._by_path(key, level, county)
        if path is not None and (path.code is not None or path.suggestions):
            return path
        return self._fuzzy(key, level, county, parent)

    def match_parts(
        self,
        county_text: str,
        township_text: str,
        village_text: str,
        *,
        county: str | None = None,
    ) -> PlaceMatch:
        """A place split across columns (县/区, 乡镇/街道, 村/社区): each part narrows the
        next; the finest part given is the unit."""
        parts = [
            ("county", county_text.strip()),
            ("township", township_text.strip()),
            ("village", village_text.strip()),
        ]
        given = [(level, text) for level, text in parts if text]
        if not given:
            return PlaceMatch(None, None, "地点为空", "the place is empty")
        parent: str | None = None
        scope = county
        result = PlaceMatch(None, None)
        notes_zh: list[str] = []
        notes_en: list[str] = []
        for level, text in given:
            result = self.match(
                text,
                level=level,
                county=scope,
                parent=parent if level == "village" else None,
            )
            if result.code is None and level == "village" and parent is not None:
                result = self._village_elsewhere(text, parent, scope, result)
            if result.note_zh:
                notes_zh.append(result.note_zh)
                notes_en.append(result.note_en)
            if result.code is None:
                return PlaceMatch(
                    None,
                    None,
                    "；".join(notes_zh),
                    "; ".join(notes_en),
                    result.successor,
                    result.suggestions,
                )
            scope = result.code[:6]
            parent = result.code if level == "township" else parent
        return PlaceMatch(
            result.code,
            result.how,
            "；".join(notes_zh),
            "; ".join(notes_en),
            result.successor,
            result.suggestions,
        )

    def _village_elsewhere(
        self, text: str, parent: str, county: str | None, inside: PlaceMatch
    ) -> PlaceMatch:
        """A village the sheet puts in a township that has none of that name. Never taken
        silently from another township: the township's own close names come first, then the
        county's villages of that name (e.g. moved to a neighbour), all as suggestions."""
        wider = self.match(text, level="village", county=county)
        found_elsewhere = [wider.code] if wider.code else []
        suggestions: list[Suggestion] = list(inside.suggestions)
        for code in [*found_elsewhere, *(c for c, _l, _s in wider.suggestions)]:
            if code and code not in [c for c, _l, _s in suggestions]:
                suggestions.append(
                    (code, self.label(code), 90.0 if code in found_elsewhere else 50.0)
                )
        township = self.name(parent)
        return PlaceMatch(
            None,
            None,
            f"{township}没有名为 {clean(text)} 的村（社区）",
            f"{township} has no village or community called {clean(text)}",
            None,
            suggestions[:MAX_SUGGESTIONS],
        )

    def _zone(self, key: str, level: str | None) -> PlaceMatch | None:
        """A functional zone (成都高新区, code CDGX): pairs like a county, by code or name."""
        for code, unit in self.current.items():
            if unit.get("level") != "zone" or level not in (None, "county"):
                continue
            if key.upper() == code or key == unit.get("name_zh") or key == unit.get("name_en"):
                return PlaceMatch(code, "code" if key.upper() == code else "name")
        return None

    # ----------------------------------------------------------------------- steps

    def _by_code(self, key: str, level: str | None) -> PlaceMatch:
        if len(key) == 9:
            key = key + "000"
        if len(key) not in (6, 12):
            return PlaceMatch(
                None,
                None,
                f"代码 {key} 应为 6、9 或 12 位",
                f"code {key} should have 6, 9 or 12 digits",
            )
        unit = self.units.get(key)
        if unit is not None:
            if unit.get("status") == "abolished":
                return self._abolished(key)
            if level is not None and unit.get("level") != level:
                return PlaceMatch(
                    None,
                    None,
                    f"{unit['name_zh']}（{key}）不是{_LEVEL_ZH[level]}级",
                    f"{unit['name_zh']} ({key}) is not at the {level} level",
                    suggestions=[(key, self.label(key), 100.0)],
                )
            return PlaceMatch(key, "code")
        for alias in self.aliases:
            if alias["alias_code"] == key:
                return self._from_alias(alias)
        return PlaceMatch(
            None,
            None,
            f"代码 {key} 不在 2020 年区划代码中",
            f"code {key} is not in the 2020 division codes",
            suggestions=self._parent_hint(key),
        )

    def _parent_hint(self, key: str) -> list[Suggestion]:
        """For an unknown village code: its township (or that township's successor)."""
        if len(key) != 12 or key.endswith("000"):
            return []
        township = key[:9] + "000"
        if township in self.current:
            return [(township, self.label(township), 50.0)]
        for alias in self.aliases:
            if alias["alias_code"] == township and alias["current_code"] in self.current:
                return [(alias["current_code"], self.label(alias["current_code"]), 50.0)]
        return []

    def _abolished(self, code: str) -> PlaceMatch:
        unit = self.units[code]
        successor = next(
            (
                a["current_code"]
                for a in self.aliases
                if a["alias_code"] == code and a["current_code"] in self.current
            ),
            None,
        )
        if successor:
            zh = f"{unit['name_zh']}（{code}）已撤销，并入{self.name(successor)}"
            en = f"{unit['name_zh']} ({code}) was abolished, merged into {self.name(successor)}"
        else:
            zh = f"{unit['name_zh']}（{code}）已撤销，2020 年区划代码中没有它，继任单位不明"
            en = (
                f"{unit['name_zh']} ({code}) was abolished: not in the 2020 codes, "
                "successor unknown"
            )
        suggestions = [(successor, self.label(successor), 100.0)] if successor else []
        return PlaceMatch(None, None, zh, en, successor, suggestions)

    def _from_alias(self, alias: dict[str, str]) -> PlaceMatch:
        old, new, change = alias["alias_name"], alias["current_code"], alias["change"]
        edition = alias.get("last_edition", "")[:4]
        if change in ("renamed", "merged") and new in self.current:
            verb_zh = "更名为" if change == "renamed" else "并入"
            verb_en = "renamed" if change == "renamed" else "merged into"
            when = f"（最后见于 {edition} 年版区划代码）" if edition else ""
            return PlaceMatch(
                new,
                "alias",
                f"旧名 {old} 按 {self.name(new)} 读取：{old}{when}{verb_zh}{self.name(new)}",
                f"old name {old} read as {self.name(new)}: {old} {verb_en} "
                f"{self.name(new)}"
                + (f" (last listed in the {edition} edition)" if edition else ""),
                successor=new,
            )
        if change == "probable" and new in self.current:
            return PlaceMatch(
                None,
                None,
                f"{old} 已不在 2020 年区划代码中；可能并入{self.name(new)}，但未经证实",
                f"{old} is not in the 2020 codes; it probably went to {self.name(new)}, "
                "not established",
                successor=None,
                suggestions=[(new, self.label(new), 60.0)],
            )
        return PlaceMatch(
            None,
            None,
            f"{old} 已不在 2020 年区划代码中，继任单位不明",
            f"{old} is not in the 2020 codes; its successor is unknown",
        )

    def _by_name(
        self, key: str, level: str | None, county: str | None, parent: str | None
    ) -> PlaceMatch | None:
        def exact(codes: list[str]) -> PlaceMatch | None:
            if len(codes) == 1:
                return PlaceMatch(codes[0], "name")
            if len(codes) > 1:
                return PlaceMatch(
                    None,
                    None,
                    f"{key} 有 {len(codes)} 个同名单位，请选择",
                    f"{len(codes)} units are called {key}: choose one",
                    suggestions=[(c, self.label(c), 100.0) for c in sorted(codes)],
                )
            return None

        scoped = [c for c in self.current if self._within(c, level, county, parent)]
        named = [
            c
            for c in scoped
            if key in (self.units[c]["name_zh"], self.units[c].get("nbs_name", ""))
        ]
        found = exact(named)
        if found is not None:
            return found
        # an abolished unit of that name (and no current one)
        gone = [
            c
            for c, u in self.units.items()
            if u.get("status") == "abolished"
            and key in (u["name_zh"], u.get("nbs_name", ""))
            and self._within(c, level, county, None)
        ]
        if len(gone) == 1:
            return self._abolished(gone[0])
        aliases = [
            a
            for a in self.aliases
            if a["alias_name"] == key
            and (county is None or (a["alias_code"] or a["current_code"]).startswith(county[:6]))
            and (level is None or level == _alias_level(a))
        ]
        if len(aliases) == 1:
            return self._from_alias(aliases[0])
        targets = sorted({a["current_code"] for a in aliases if a["current_code"] in self.current})
        if len(aliases) > 1:
            return PlaceMatch(
                None,
                None,
                f"{len(aliases)} 个旧单位曾叫 {key}，请选择",
                f"{len(aliases)} former units were called {key}: choose one",
                suggestions=[(c, self.label(c), 90.0) for c in targets],
            )
        short = stem(key)
        stems = [c for c in scoped if stem(self.units[c]["name_zh"]) == short]
        if len(stems) == 1:
            code = stems[0]
            return PlaceMatch(
                code,
                "name",
                f"{key} 按 {self.units[code]['name_zh']} 读取",
                f"{key} read as {self.units[code]['name_zh']}",
            )
        return exact(stems) if len(stems) > 1 else None

    def _by_path(self, key: str, level: str | None, county: str | None) -> PlaceMatch | None:
        """``蒲江县大塘镇八角井村``: strip known prefixes (province, prefecture, county,
        township) and match the rest within them."""
        rest = key
        for prefix in PREFECTURE_PREFIXES:
            if rest.startswith(prefix) and len(rest) > len(prefix):
                rest = rest[len(prefix) :]
        found_county: str | None = None
        for code, unit in self.current.items():
            if unit.get("level") != "county":
                continue
            for name in (unit["name_zh"], stem(unit["name_zh"])):
                if rest.startswith(name) and len(rest) > len(name) and len(name) >= 2:
                    found_county, rest = code, rest[len(name) :]
                    break
            if found_county:
                break
        if county is not None and found_county is not None and found_county != county[:6]:
            return None
        scope = found_county or county
        township: str | None = None
        via: PlaceMatch | None = None  # the old township name the path went through
        for code, unit in self.current.items():
            if unit.get("level") != "township" or (scope and not code.startswith(scope)):
                continue
            name = unit["name_zh"]
            if rest.startswith(name) and len(rest) > len(name):
                township, rest = code, rest[len(name) :]
                break
        if township is None:
            for alias in self.aliases:
                old = alias["alias_name"]
                if (
                    old
                    and rest.startswith(old)
                    and len(rest) > len(old)
                    and alias["change"] in ("renamed", "merged")
                    and alias["current_code"] in self.current
                    and (scope is None or alias["current_code"].startswith(scope))
                ):
                    township, rest = alias["current_code"], rest[len(old) :]
                    via = self._from_alias(alias)
                    break
        if found_county is None and township is None:
            return None
        if township is None:
            assert found_county is not None
            return self.match(rest, level=level, county=found_county)
        inner = self.match(rest, level=level or "village", county=scope, parent=township)
        if inner.code is None:
            inner = self.match(rest, level=level or "village", county=scope)
        if via is None or inner.code is None:
            return inner
        return PlaceMatch(
            inner.code,
            inner.how,
            "；".join(n for n in (via.note_zh, inner.note_zh) if n),
            "; ".join(n for n in (via.note_en, inner.note_en) if n),
            inner.successor,
            inner.suggestions,
        )

    def _fuzzy(
        self, key: str, level: str | None, county: str | None, parent: str | None
    ) -> PlaceMatch:
        choices: dict[str, tuple[str, str]] = {}  # choice id -> (code, label)
        for code in self.current:
            if self._within(code, level, county, None):
                choices[code] = (code, self.label(code))
        for i, alias in enumerate(self.aliases):
            target = alias["current_code"]
            if (
                alias["change"] in ("renamed", "merged", "probable")
                and target in choices
                and alias["alias_name"]
            ):
                label = f"{self.label(target)}，原{alias['alias_name']}"
                choices[f"alias{i}"] = (target, label)
        names = {
            cid: (
                self.units[code]["name_zh"]
                if cid == code
                else self.aliases[int(cid[5:])]["alias_name"]
            )
            for cid, (code, _) in choices.items()
        }
        ranked = process.extract(
            key, names, scorer=fuzz.WRatio, limit=MAX_SUGGESTIONS * 2, score_cutoff=FUZZY_CUTOFF
        )
        suggestions: list[Suggestion] = []
        seen: set[str] = set()
        for _name, score, cid in ranked:
            code, label = choices[cid]
            if code in seen:
                continue
            seen.add(code)
            suggestions.append((code, label, round(float(score), 1)))
            if len(suggestions) == MAX_SUGGESTIONS:
                break
        where_zh = f"（{_LEVEL_ZH[level]}级）" if level else ""
        where_en = f" (at the {level} level)" if level else ""
        return PlaceMatch(
            None,
            "fuzzy" if suggestions else None,
            f"找不到名为 {key} 的单位{where_zh}",
            f"no unit called {key}{where_en}",
            suggestions=suggestions,
        )


_LEVEL_ZH = {
    "province": "省",
    "prefecture": "市州",
    "county": "县区",
    "township": "乡镇街道",
    "village": "村社区",
}


def _alias_level(alias: dict[str, str]) -> str:
    code = alias["alias_code"] or alias["current_code"]
    if len(code) == 6:
        return "county"
    return "township" if code.endswith("000") else "village"
