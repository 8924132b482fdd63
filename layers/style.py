"""Colours, line styles and sizes shared by the layers (projector-friendly: high contrast)."""

from __future__ import annotations

# Pairing arcs by level: distinct hues that survive a washed-out projector.
ARC_COLORS = {"county": "#5d4037", "township": "#c62828", "village": "#1565c0"}
ARC_BASE_WEIGHT = {"county": 5.0, "township": 4.0, "village": 3.0}
ARC_BEND = {"county": 0.12, "township": 0.22, "village": -0.22}
ARC_MAX_EXTRA_WEIGHT = 8.0
# Overview: county pairs coloured by round (Dark2 hues, distinct on a washed-out projector and
# for the common colour-vision deficiencies); pairs placed in no round in grey.
ROUND_COLORS = {"R1": "#d95f02", "R2": "#7570b3", "R3": "#1b9e77", "across": "#546e7a"}
# Arcs into one partner fan out by this much bend each, so none hides another.
FAN_STEP = 0.07
OUTSIDE_STYLE = {"color": "#7a8793", "weight": 1, "fillColor": "#b39ddb", "fillOpacity": 0.35}
ZONE_STYLE = {
    "radius": 8,
    "color": "#263238",
    "weight": 2.5,
    "dashArray": "3 3",
    "fill": True,
    "fillColor": "#ffffff",
    "fillOpacity": 0.9,
}

# Townships shaded by the number of pairing projects they take part in (Oranges, 5 classes).
COUNT_CLASSES: tuple[tuple[int, int, str], ...] = (
    (0, 0, "#f5f5f5"),
    (1, 2, "#fdd0a2"),
    (3, 5, "#fdae6b"),
    (6, 10, "#fd8d3c"),
    (11, 10_000, "#e6550d"),
)
APPROX_EDGE = {"color": "#6d4c41", "weight": 1.2, "dashArray": "5 4"}
OFFICIAL_EDGE = {"color": "#4e342e", "weight": 1.5, "dashArray": None}

PREFECTURE_STYLE = {"color": "#37474f", "weight": 2.5, "fill": False, "opacity": 0.8}
COUNTY_STYLE = {"color": "#90a4ae", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.35}
FOCUS_COUNTY_STYLE = {"color": "#b3261e", "weight": 3, "fill": False}
DIM_OPACITY = 0.18
SELECTED_EDGE = "#0d47a1"

LABEL_PX = 13


def count_color(count: int) -> str:
    for low, high, color in COUNT_CLASSES:
        if low <= count <= high:
            return color
    return COUNT_CLASSES[-1][2]
