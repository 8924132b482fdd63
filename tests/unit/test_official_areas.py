"""Official township boundaries on the map: the legend says which areas are approximate, the
attribution names the official source and date, official areas are drawn without the
approximate label and dashed edge."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import pytest

from geo.atlas import Atlas
from geo.display import DisplayGeometry
from layers.compose import MapOptions, attribution, build_map
from layers.townships import _style as township_style
from layers.townships import township_features

STAYS = ("510131106000", "510131107000")  # 甘溪镇, 成佳镇
SOURCE, DATE = "蒲江县自然资源局 乡镇界线", "2023-05"


def _official(
    atlas: Atlas, display: DisplayGeometry, keep: tuple[str, ...]
) -> tuple[Atlas, DisplayGeometry]:
    def mark(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        out = frame.copy()
        official = ~out["code"].isin(keep)
        out["approximate"] = ~official
        out["method"] = out["method"].where(~official, "official:test.zip")
        out["source"] = [SOURCE if o else "" for o in official]
        out["source_date"] = [DATE if o else "" for o in official]
        return out

    return (
        dataclasses.replace(atlas, areas=mark(atlas.areas)),
        dataclasses.replace(display, areas=mark(display.areas)),
    )


def _html(atlas: Atlas, display: DisplayGeometry, lang: str) -> str:
    html = build_map(atlas, display, MapOptions(lang=lang)).get_root().render()  # type: ignore[arg-type]
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def test_all_approximate_keeps_the_usual_note_and_attribution(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    html = _html(atlas, display, "en")
    assert "Township areas are approximate" in html
    assert "township areas approximate" in html
    assert "Official township boundaries" not in html


def test_partial_official_legend_names_the_approximate_ones(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    partial, shown = _official(atlas, display, STAYS)
    html = _html(partial, shown, "zh")
    assert "以下乡镇范围为近似" in html
    assert re.search(r"非官方边界：甘溪镇、成佳镇。", html)
    assert f"乡镇界线为官方数据：{SOURCE} {DATE}" in html
    assert "乡镇范围为近似（驻地泰森多边形" not in html  # the all-approximate note is gone
    assert f"乡镇界线：{SOURCE} {DATE} · 其余乡镇范围为近似" in attribution("zh", partial.areas)


def test_all_official_legend_and_attribution_no_longer_say_approximate(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    official, shown = _official(atlas, display, ())
    html = _html(official, shown, "en")
    visible = re.sub(r'"approximate": (true|false)', "", html)
    assert "pproximate" not in visible
    line = attribution("en", official.areas)
    assert line.endswith(f"township boundaries: {SOURCE} {DATE}")
    assert "approximate" not in line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_official_areas_lose_the_approximate_label_and_dashes(
    atlas: Atlas, display: DisplayGeometry, lang: str
) -> None:
    partial, shown = _official(atlas, display, STAYS)
    features = township_features(partial, shown.areas, lang)["features"]  # type: ignore[arg-type]
    for f in features:
        p = f["properties"]
        approx = p["code"] in STAYS
        assert p["approximate"] is approx
        assert ("Approximate area" in p["popup"] or "范围为近似" in p["popup"]) is approx
        assert (township_style(f)["dashArray"] is not None) is approx
        official = "官方界线，来源：" if lang == "zh" else "Official boundary, source: "
        assert (f"{official}{SOURCE} {DATE}" in p["popup"]) is not approx


def test_the_official_source_is_escaped(atlas: Atlas, display: DisplayGeometry) -> None:
    partial, shown = _official(atlas, display, STAYS)
    evil = "<img src=x onerror=alert(1)>"
    partial = dataclasses.replace(
        partial, areas=partial.areas.assign(source=partial.areas["source"].replace(SOURCE, evil))
    )
    html = build_map(partial, shown, MapOptions()).get_root().render()
    assert "<img src=x" not in html
