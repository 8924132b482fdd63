"""Shared fixtures for unit tests: the bundled atlas and its display geometry (loaded once)."""

from __future__ import annotations

import pytest

from geo.atlas import Atlas, load_atlas
from geo.boundaries import load_boundaries
from geo.display import DisplayGeometry, prepare_display
from geo.paths import COUNTIES_WGS84


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="session")
def display(atlas: Atlas) -> DisplayGeometry:
    return prepare_display(atlas, load_boundaries(COUNTIES_WGS84))
