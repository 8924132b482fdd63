"""What the map component is handed, kept per state (ui.mapview, issue 14): exactly what
st_folium hands it, built once per state and data, shared by sessions, bounded in size."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit_folium as sf

from geo.atlas import Atlas
from geo.detail import view_atlas
from geo.display import DisplayGeometry
from layers.compose import MapOptions, build_stable_map
from ui import mapview
from ui.data import AtlasData
from ui.mapview import RenderedMaps, component_args


def _st_folium_args(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> dict[str, Any]:
    """What st_folium itself hands its component, recorded at the component."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: seen.update(kw))
    sf.st_folium(key="atlas-map", use_container_width=True, **kwargs)
    monkeypatch.undo()
    return seen


def test_component_args_are_st_foliums_own(
    atlas: Atlas, display: DisplayGeometry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same scripts, assets, key and defaults as st_folium's call (a streamlit-folium
    upgrade that changes them fails here, not in front of users)."""
    full = view_atlas(atlas, "detail")
    options = MapOptions(popups=False)
    base, state = build_stable_map(full, display, options, "t0")
    ours = component_args(base, 680, ["last_active_drawing"], state=state)
    base, state = build_stable_map(full, display, options, "t0")  # st_folium changes the map
    theirs = _st_folium_args(
        monkeypatch,
        fig=base,
        feature_group_to_add=state,
        height=680,
        returned_objects=["last_active_drawing"],
    )
    assert set(ours) == set(theirs)
    for name in theirs:
        if name in ("on_change", "id"):
            continue  # a closure each call; folium's random element id
        assert ours[name] == theirs[name], name
    assert '"t0"' in ours["feature_group"]  # the state, with its token


def test_a_state_is_built_once_per_data_and_size(atlas: Atlas, display: DisplayGeometry) -> None:
    cache = RenderedMaps()
    data = AtlasData(atlas=atlas, counties=display.counties, display=display)
    built: list[str] = []

    def build(name: str) -> Any:
        def make() -> dict[str, Any]:
            built.append(name)
            return {"script": name * 10, "feature_group": "x"}

        return make

    first = cache.get(("a", 680), data, build("a"))
    assert cache.get(("a", 680), data, build("a")) is first and built == ["a"]
    cache.get(("a", 500), data, build("a500"))  # another size: its own entry
    # Another data object (a new data version may reuse an id): built again.
    other = AtlasData(atlas=atlas, counties=display.counties, display=display)
    assert cache.get(("a", 680), other, build("a-other")) is not first
    assert built == ["a", "a500", "a-other"]


def test_the_cache_keeps_the_last_states_within_its_limit(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    data = AtlasData(atlas=atlas, counties=display.counties, display=display)
    cache = RenderedMaps(limit=250)
    for name in "abcd":
        cache.get(name, data, lambda name=name: {"script": name * 100})  # type: ignore[misc]
    assert len(cache) == 2  # 4 x 100 characters > 250: the oldest two went
    rebuilt: list[int] = []
    cache.get("d", data, lambda: rebuilt.append(1) or {"script": "d"})  # type: ignore[func-returns-value]
    assert rebuilt == []  # the newest is still there
    cache.get("a", data, lambda: rebuilt.append(1) or {"script": "a"})  # type: ignore[func-returns-value]
    assert rebuilt == [1]


def test_no_st_folium_call_meets_the_recorder(atlas: Atlas, display: DisplayGeometry) -> None:
    """The component function is st_folium's again after each recording."""
    real = sf._component_func
    base, state = build_stable_map(view_atlas(atlas, "detail"), display, MapOptions(), "t1")
    component_args(base, 600, [], state=state)
    assert sf._component_func is real
    assert mapview.RENDERED.limit == mapview.RENDERED_LIMIT


def test_states_of_data_no_longer_loaded_are_dropped(
    atlas: Atlas, display: DisplayGeometry
) -> None:
    cache = RenderedMaps()
    old = AtlasData(atlas=atlas, counties=display.counties, display=display)
    cache.get("a", old, lambda: {"script": "a"})
    del old  # a new data version replaced it
    new = AtlasData(atlas=atlas, counties=display.counties, display=display)
    cache.get("b", new, lambda: {"script": "b"})
    assert len(cache) == 1
