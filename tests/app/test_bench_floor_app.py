"""The load test's floor page: the product's type list and one map whose script follows it."""

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
    assert "circle_marker" in script and "/app/static/vendor/" in json.dumps(before["js_links"])
    assert "cdn" not in json.dumps(before["js_links"]).lower()
    types.unselect(next(iter(PROJECT_TYPES))).run()
    after = _map_args(at)
    # A new script (streamlit-folium keys its component by the script's hash): the map is
    # drawn again, as ours is on a filter change.
    assert after["script"] != script
    assert not at.exception, at.exception
