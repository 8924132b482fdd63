"""The load test's floor page: the product's type list and one map whose state follows it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from geo.columns import PROJECT_TYPES
from tests.app.helpers import ROOT


def _map_args(at: AppTest) -> dict[str, object]:
    maps = [e for e in at.get("component_instance") if "folium" in str(e.proto.component_name)]
    assert len(maps) == 1, "one st_folium map on the page"
    args: dict[str, object] = json.loads(maps[0].proto.json_args)
    return args


def test_floor_page_redraws_its_map_on_the_same_filter_change() -> None:
    at = AppTest.from_file(str(ROOT / "benchmarks" / "floor_app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    types = at.multiselect(key="types")
    assert types.value == list(PROJECT_TYPES)  # all types at first, as the product
    assert at.sidebar.multiselect(key="types").label == "项目类型"
    before = _map_args(at)
    script = str(before["script"])
    assert "circle_marker" in str(before["feature_group"]), "the marker is the map's state"
    assert "/app/static/vendor/" in json.dumps(before["js_links"])
    assert "cdn" not in json.dumps(before["js_links"]).lower()
    types.unselect(next(iter(PROJECT_TYPES))).run()
    after = _map_args(at)
    # The same map script (streamlit-folium keys its component by its hash: the map in the
    # page stays) and a new state, which that map draws, as ours does on a filter change.
    assert after["script"] == script
    assert after["feature_group"] != before["feature_group"]
    assert not at.exception, at.exception
