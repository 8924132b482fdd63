"""When a pair ran, as its source states it: the round, the period and their words.

A pairing's years (for the year filter and the timeline) are read from its columns:
- a round and a start (``since`` within a round): from the start to the round's last year
  (or, for a round still running, to the year of the source);
- a round alone (``round``): the round's years (a running round: to the year of the source);
- ``since`` with no round (a statement across rounds, "自2012年起"): from the start to the year
  of the source (as far as the source shows it);
- ``span``: from the start to ``period_to``;
- no period kind (rows written before rounds existed): the start year onwards, or no years
  at all when undated (such a pair matches every year, as before).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from geo.atlas import Atlas
from geo.columns import ROUND_NONE, ROUND_NONE_LABEL, ROUNDS
from geo.i18n import Lang, paren, t
from geo.query import cached_on


def round_key(round_value: str) -> str:
    """The filter key of a pairing's round: the round, or ROUND_NONE when it has none."""
    return round_value if round_value in ROUNDS else ROUND_NONE


def round_label(key: str, lang: Lang) -> str:
    if key in ROUNDS:
        return str(ROUNDS[key][0 if lang == "zh" else 1])
    return ROUND_NONE_LABEL[0 if lang == "zh" else 1]


ROUND_SHORT = {
    "R1": ("第一轮", "round 1"),
    "R2": ("第二轮", "round 2"),
    "R3": ("第三轮", "round 3"),
    ROUND_NONE: ("跨轮次", "across rounds"),
}


def round_short(round_value: str, lang: Lang) -> str:
    """A round in a word or two ("第一轮", "round 1"), for names that must stay short."""
    return ROUND_SHORT[round_key(round_value)][0 if lang == "zh" else 1]


def _year(text: str) -> int | None:
    return int(text[:4]) if text[:4].isdigit() else None


def pairing_span(
    row: pd.Series | Mapping[Any, Any], source_date: str
) -> tuple[int | None, int | None]:
    """(first year, last year) of a pairing; (start, None) is open-ended; (None, None) undated."""
    start = _year(str(row.get("start_date", "")))
    end = _year(str(row.get("period_to", "")))
    kind = str(row.get("period_kind", ""))
    rnd = str(row.get("round", ""))
    published = _year(source_date or "")
    if kind == "span":
        return start, end
    if rnd in ROUNDS and kind in ("round", "since"):
        _, _, first, last = ROUNDS[rnd]
        lo = start if start is not None else first
        hi = last if last is not None else max(x for x in (published, lo) if x is not None)
        return lo, max(lo, hi)
    if kind == "since" and start is not None:
        return start, max(start, published) if published is not None else start
    return start, None


def pairing_spans(atlas: Atlas) -> pd.DataFrame:
    """pairing_id, year_from, year_to (Int64, missing when not known) for every pairing.

    Made once per (pairings, sources) frames; callers must not change the frame in place."""
    return cached_on((atlas.pairings, atlas.sources), "pairing_spans", lambda: _spans(atlas))


def _spans(atlas: Atlas) -> pd.DataFrame:
    dates = dict(zip(atlas.sources["source_id"], atlas.sources["date"], strict=True))
    rows = [
        (p["pairing_id"], *pairing_span(p, dates.get(p["source_id"], "")))
        for _, p in atlas.pairings.iterrows()
    ]
    frame = pd.DataFrame(rows, columns=["pairing_id", "year_from", "year_to"])
    for column in ("year_from", "year_to"):
        frame[column] = frame[column].astype("Int64")
    return frame


def period_text(row: pd.Series | Mapping[Any, Any], source_date: str, lang: Lang) -> str:
    """How the period reads: "2012年起（至来源日期 2016-08）", "第二轮 2016/17–2020", …"""
    kind = str(row.get("period_kind", ""))
    start = str(row.get("start_date", ""))
    rnd = str(row.get("round", ""))
    round_words = round_label(rnd, lang) if rnd in ROUNDS else ""
    if kind == "span":
        return f"{start}–{row.get('period_to', '')}"
    if kind == "since" and start:
        lead = t("period_since", lang).format(date=start)
        if round_words:
            return f"{round_words} · {lead}"
        seen = t("period_seen_until", lang).format(date=source_date) if source_date else ""
        return lead + (paren(seen, lang) if seen else "")
    if round_words:
        return round_words
    return f"{t('since', lang)} {start}" if start else t("undated", lang)


def years_text(year_from: object, year_to: object) -> str:
    """ "2012–2016" for a span of years (one year alone when they are equal)."""
    if year_from is None or (isinstance(year_from, float) and math.isnan(year_from)):
        return ""
    if year_to is None or pd.isna(year_to) or year_to == year_from:  # type: ignore[call-overload]
        return str(int(year_from))  # type: ignore[call-overload]
    return f"{int(year_from)}–{int(year_to)}"  # type: ignore[call-overload]
