"""A number on screen means one thing: no total anywhere adds two measures or two units.

Property tests over every function that adds figures (geo.query.totals_by_measure and the
functions built on it: pair totals for link widths, tour steps, measure options), with random
figure tables, plus the real numbers of the bundled data."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from geo.atlas import Atlas
from geo.columns import FIGURE_COLUMNS, MEASURES, QUALIFIERS, UNITS
from geo.i18n import figure_text, total_text
from geo.query import (
    figures_of,
    measure_key,
    measure_options,
    pairing_totals,
    split_measure_key,
    totals_by_measure,
)
from geo.tour import tour_steps
from layers.arcs import pair_totals

ROOT = Path(__file__).resolve().parents[2]


def _random_figures(rng: random.Random, project_ids: list[str], n: int) -> pd.DataFrame:
    measures = rng.sample(list(MEASURES), 4)
    units = rng.sample(list(UNITS), 3)
    rows = []
    for i in range(n):
        rows.append(
            {
                "figure_id": f"F{i}",
                "project_id": rng.choice(project_ids),
                "measure": rng.choice(measures),
                "measure_zh": "x",
                "measure_en": "x",
                "quantity": float(rng.randint(0, 1000)),
                "unit": rng.choice(units),
                "qualifier": rng.choice([q for q in QUALIFIERS if q != "约"]),
                "basis": rng.choice(["reported", "reported", "agreed"]),
                "quote": "x",
            }
        )
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def _expected(figures: pd.DataFrame, measure: str, unit: str) -> float:
    rows = figures[
        (figures["measure"] == measure)
        & (figures["unit"] == unit)
        & (figures["basis"] == "reported")
    ]
    return float(rows["quantity"].sum())


@pytest.mark.parametrize("seed", range(40))
def test_totals_by_measure_adds_only_one_measure_and_unit(seed: int) -> None:
    rng = random.Random(seed)
    figures = _random_figures(rng, ["A", "B"], rng.randint(0, 30))
    totals = totals_by_measure(figures)
    keys = [(x.measure, x.unit) for x in totals]
    assert len(keys) == len(set(keys))  # one total per (measure, unit)
    reported = figures[figures["basis"] == "reported"]
    assert set(keys) == set(zip(reported["measure"], reported["unit"], strict=True))
    for x in totals:
        assert x.quantity == _expected(figures, x.measure, x.unit)
        rows = reported[(reported["measure"] == x.measure) & (reported["unit"] == x.unit)]
        assert x.count == len(rows)
        if x.count == 1:
            assert x.qualifier == rows["qualifier"].iloc[0]  # a single figure reads as written
        assert x.at_least == rows["qualifier"].isin(["余", "不少于"]).any()
        assert x.approximate == (rows["qualifier"] == "近").any()


@pytest.mark.parametrize("seed", range(20))
def test_pair_totals_and_tour_add_only_one_measure(atlas: Atlas, seed: int) -> None:
    rng = random.Random(1000 + seed)
    pairing = atlas.projects[atlas.projects["role"] == "pairing"]
    figures = _random_figures(rng, list(atlas.projects["project_id"]), 40)
    fake = replace(atlas, figures=figures)
    for key in measure_options(fake):
        measure, unit = split_measure_key(key)
        widths = pair_totals(fake, key)
        for pid, quantity in widths.items():
            mine = figures_of(fake, pairing[pairing["pairing_id"] == pid])
            assert quantity == _expected(mine, measure, unit)
        assert {pid: t.quantity for pid, t in pairing_totals(fake, key).items()} == widths
    for step in tour_steps(fake):
        mine = figures_of(fake, pairing[pairing["pairing_id"] == step.pairing_id])
        assert [(x.measure, x.unit, x.quantity) for x in step.totals] == [
            (x.measure, x.unit, _expected(mine, x.measure, x.unit)) for x in step.totals
        ]
        assert len({(x.measure, x.unit) for x in step.totals}) == len(step.totals)


def test_the_article_totals_are_per_measure(atlas: Atlas) -> None:
    pairing = atlas.projects[atlas.projects["role"] == "pairing"]
    totals = {(x.measure, x.unit): x for x in totals_by_measure(figures_of(atlas, pairing))}
    # The sums the issue found (人 725+, 亩 2,175, 次 12+) are not in the article: gone.
    assert all(x.quantity not in (725, 2175, 12) for x in totals.values())
    assert totals[("planted_area", "亩")].quantity == 1075  # 575 + 400 + 100: all planted
    assert totals[("orchard_area", "亩")].quantity == 100
    assert totals[("leased_forest", "亩")].quantity == 1000
    assert totals[("cadres_hosted", "人")].quantity == 10
    assert totals[("people_reached", "人")].quantity == 500
    assert totals[("trainers_sent", "人")].quantity == 15
    assert totals[("beneficiaries", "人")].quantity == 200
    # 10余次 of trainings and guidance, 14场次 of training sessions: two measures, two lines.
    assert totals[("training_guidance", "次")].quantity == 10
    assert totals[("training_sessions", "场次")].quantity == 14
    assert totals[("events", "次")].quantity == 2  # the agreed 不少于两次 is not added
    assert measure_key("planted_area", "亩") in measure_options(atlas)


def test_total_text_names_what_it_counts() -> None:
    from geo.query import Total

    planted = Total("planted_area", "亩", 1075, False, False, 3, "")
    assert total_text(planted, "zh") == "规模种植面积 1,075亩"
    assert total_text(planted, "en") == "area planted: 1,075 mu"
    mixed = Total("items_exhibited", "件", 110, True, True, 2, "约")
    assert total_text(mixed, "en") == "creative products exhibited: about 110 items"
    assert figure_text(20, "万元", "余", "en") == "over 200,000 yuan"
    assert figure_text(20, "万元", "余", "zh") == "20余万元"


def test_no_module_adds_figures_except_the_one_totals_function() -> None:
    """Every total comes from geo.query.totals_by_measure: nothing else sums quantities."""
    pattern = re.compile(r"quantity[\"']\]\s*\)?\s*\.(sum|agg|cumsum)\(|\.sum\(\s*\)\s*$")
    offenders = []
    for folder in ("geo", "layers", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "geo" / "query.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "quantity" in line and pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "quantity" not in app
    assert offenders == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_two_total_lines_of_the_bundled_data_read_alike(lang: str) -> None:
    """Two lines with the same label ('培训和指导 10余次 · 培训和指导 14场次') read as a sum
    someone forgot; each line's words must differ, whatever the units."""
    from geo.atlas import load_atlas

    atlas = load_atlas()
    pairing = atlas.projects[atlas.projects["role"] == "pairing"]
    totals = totals_by_measure(figures_of(atlas, pairing))
    labels = [MEASURES[x.measure][0 if lang == "zh" else 1] for x in totals]
    assert len(labels) == len(set(labels)), labels
