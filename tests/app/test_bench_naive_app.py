"""The benchmark's naive page: app.py's page with the tutorial map, run twice (a rerun)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ROOT


def test_naive_page_is_the_app_with_the_tutorial_map(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.data
    import ui.mapview

    # The page patches these modules for the whole process: undo it for the other tests.
    monkeypatch.setattr(ui.mapview, "show_map", ui.mapview.show_map)
    monkeypatch.setattr(ui.data, "build_map", vars(ui.data)["build_map"])
    at = AppTest.from_file(str(ROOT / "benchmarks" / "naive_app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="types") is not None  # the product's sidebar
    assert len(at.metric) > 0  # the product's KPI cards
    assert ui.mapview.show_map.__name__ == "naive_show_map"
    assert vars(ui.data)["build_map"].__name__ == "naive_check_build"  # no wait for our builder
    maps = [e for e in at.get("component_instance") if "folium" in str(e.proto.component_name)]
    assert maps, "no st_folium component on the page"
    args = json.loads(maps[0].proto.json_args)
    assert "L.polyline" in args["script"] and "geo_json" in args["script"]
    at.run()  # a rerun runs app.py again (runpy), not a cached import
    assert not at.exception, at.exception
    assert len(at.metric) > 0


def _map_args(at: AppTest) -> str:
    maps = [e for e in at.get("component_instance") if "folium" in str(e.proto.component_name)]
    assert len(maps) == 1, "one st_folium map on the page"
    return str(maps[0].proto.json_args)


@pytest.mark.parametrize("script", ["app.py", "benchmarks/naive_app.py"])
def test_the_measured_filter_change_redraws_both_maps(
    script: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench's measured filter change (benchmarks.browser.remove_level: one click on the
    "x" of the 县级结对 tag in the pairing-level list) changes the map on both pages, so each
    is redrawn and the wait for the redraw ends (at the bundled size; the larger sizes are
    checked in process by benchmarks.bench.measured_change)."""
    import ui.data
    import ui.mapview
    from benchmarks.browser import LEVELS_BOX, MEASURED_LEVEL, MEASURED_TAG

    monkeypatch.setattr(ui.mapview, "show_map", ui.mapview.show_map)
    monkeypatch.setattr(ui.data, "build_map", vars(ui.data)["build_map"])
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    levels = at.sidebar.multiselect(key="levels")
    assert at.sidebar.multiselect[LEVELS_BOX].key == "levels"  # the box the click goes to
    assert MEASURED_LEVEL in levels.value
    label = levels.format_func(MEASURED_LEVEL)
    assert MEASURED_TAG.match(f"Remove {label}"), label  # the tag's "x" the click finds
    before = _map_args(at)
    levels.unselect(MEASURED_LEVEL).run()
    assert not at.exception, at.exception
    assert _map_args(at) != before
