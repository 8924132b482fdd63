"""Selecting a link (pair) from a shared URL, and the place list's search by either name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from layers import compose
from tests.app.helpers import run_app
from ui import mapview

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _run(**params: str) -> AppTest:
    return run_app(**params)


def _panel_expanders(at: AppTest) -> list[str]:
    """The panel's project expanders (not the chart and table ones below the map)."""
    below = {"帮扶项目：按年份和类型", "项目表（当前筛选）"}
    return [e.label for e in at.expander if e.label not in below]


def _title(at: AppTest) -> str:
    """The panel's title (the main area's only subheader)."""
    return str(at.main.get("subheader")[0].value)  # type: ignore[union-attr]


def test_pair_link_opens_the_pair_panel_with_its_projects() -> None:
    at = _run(pair="P02")
    assert _title(at) == "大塘镇 → 磨西镇"
    titles = _panel_expanders(at)
    # P02 (大塘镇 → 磨西镇) has exactly its own projects: PR01, PR02, PR06 — none of the
    # county pair's projects, which a click on the link used to list via its Chengdu end.
    assert len(titles) == 3, titles
    assert any("电子商务专题培训" in t for t in titles)
    assert not any("猕猴桃" in t for t in titles)
    assert dict(at.query_params) == {"pair": "P02"}


def test_unknown_pair_gets_a_notice_and_selects_nothing() -> None:
    at = _run(pair="P99")
    assert not at.main.get("subheader")
    assert any("pair" in w.value and "P99" in w.value for w in at.warning)


def test_clear_selection_button_clears_a_pair() -> None:
    at = _run(pair="P04")
    assert _title(at) == "明月村 → 海子环环村"
    at.button(key="clear_selection").click().run()
    assert not at.main.get("subheader")
    assert "pair" not in dict(at.query_params)


def test_choosing_a_unit_in_the_list_replaces_a_selected_pair() -> None:
    at = _run(pair="P04")
    at.sidebar.selectbox(key="unit").set_value("510131101000").run()
    assert _title(at) == "大塘镇"
    assert dict(at.query_params) == {"unit": "510131101000"}


def test_place_list_names_each_place_in_both_languages_for_search() -> None:
    at = _run()
    options = at.sidebar.selectbox(key="unit").options
    assert "大塘镇 · Datang Town" in options
    at = _run(lang="en")
    options = at.sidebar.selectbox(key="unit").options
    assert "Datang Town · 大塘镇" in options
    assert all(re.match(r"^[A-Za-z]", o) for o in options[1:]), options[:5]


def test_choosing_a_place_in_the_overview_goes_down_to_the_detail_view() -> None:
    at = _run(view="overview")
    at.sidebar.selectbox(key="unit").set_value("510131").run()
    assert at.sidebar.radio(key="view").value == "detail"
    assert _title(at) == "蒲江县"


def test_context_rows_are_shown_apart_in_the_place_panel_never_as_projects() -> None:
    at = _run(unit="510131106205")  # 明月村: its own development since 2015 is context
    text = "\n".join(m.value for m in at.main.get("markdown"))  # type: ignore[union-attr]
    assert "背景（非结对项目）" in text
    titles = _panel_expanders(at)
    assert any("明月村的文创与文旅发展" in t for t in titles)
    # Not a pairing project: not in the project count, nor in the figures line.
    assert _title(at) == "明月村"
    assert "46" not in "\n".join(c.value for c in at.caption if "数据" in c.value)


def test_map_credits_follow_the_language() -> None:
    from layers.compose import attribution

    assert "数据" in attribution("zh")
    assert not re.search(r"[\u3400-\u9fff：]", attribution("en"))


def _place(node: Any, target: Any, path: tuple[int, ...] = ()) -> tuple[int, ...] | None:
    """``target``'s place in the page's element tree (child indexes from the root)."""
    if node is target:
        return path
    for index, child in getattr(node, "children", {}).items():
        found = _place(child, target, (*path, index))
        if found is not None:
            return found
    return None


def _map(at: AppTest) -> tuple[dict[str, Any], tuple[int, ...]]:
    """The map component's arguments and its place on the page (another place is another
    element, so a new iframe, whatever its key)."""
    maps = [e for e in at.get("component_instance") if "folium" in str(e.proto.component_name)]
    assert len(maps) == 1
    place = _place(at._tree, maps[0])
    assert place is not None
    return json.loads(maps[0].proto.json_args), place


def test_filters_and_selections_keep_the_map_and_send_it_a_new_state() -> None:
    """The explore view's map script (what its iframe is keyed by) and its place on the page
    stay the same through a filter change, a selection and clearing it; the state sent to it
    (feature_group_to_add) changes each time, and carries the token the page shows."""
    at = _run()
    first, place = _map(at)
    seen = [first]

    def step() -> None:
        args, where = _map(at)
        assert args["script"] == first["script"] and where == place
        seen.append(args)

    at.sidebar.multiselect(key="types").unselect("industry").run()
    step()
    at.sidebar.selectbox(key="unit").set_value("510131101000").run()
    assert _title(at) == "大塘镇"
    step()
    at.button(key="clear_selection").click().run()
    assert not at.main.get("subheader")
    step()
    states = [str(a["feature_group"]) for a in seen]
    # All types, one type less, that and a selection: three states. Clearing the selection
    # goes back to the second, sent exactly as before (so the map draws nothing anew).
    assert len(set(states[:3])) == 3 and states[3] == states[1]
    token = re.search(r'window\.atlas\.state = "(\w+)"', states[3])
    shown = [h.proto.body for h in at.get("html")]
    assert token and any(f'data-state="{token.group(1)}"' in body for body in shown)


def test_a_state_already_drawn_is_sent_again_without_building_the_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per state, the map is built and rendered once for all sessions (ui.mapview.RENDERED):
    a filter undone, a rerun, or another session with the same state gets the same scripts
    without the folium build; a new state is built once."""
    monkeypatch.setattr(mapview, "RENDERED", mapview.RenderedMaps())
    builds: list[str] = []
    real = compose.build_stable_map

    def counted(*args: Any, **kwargs: Any) -> Any:
        builds.append(str(args[3]))  # the state token
        return real(*args, **kwargs)

    monkeypatch.setattr("ui.mapview.build_stable_map", counted)
    at = _run()
    first = _map(at)[0]
    assert len(builds) == 1
    at.sidebar.multiselect(key="types").unselect("industry").run()
    assert len(builds) == 2 and _map(at)[0]["feature_group"] != first["feature_group"]
    at.sidebar.multiselect(key="types").select("industry").run()
    at.run()
    assert len(builds) == 2 and _map(at)[0]["feature_group"] == first["feature_group"]
    other = _run()  # another session, same state
    assert len(builds) == 2 and _map(other)[0]["feature_group"] == first["feature_group"]
