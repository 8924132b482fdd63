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
