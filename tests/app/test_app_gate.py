"""Issue 9 (and the URL items of issue 8) under AppTest: never a traceback, the last good data
kept, links that say what they ignored."""

from __future__ import annotations

import logging
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import open_details

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _at(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _run(**params: str | list[str]) -> AppTest:
    at = _at(**params).run()
    assert not at.exception, at.exception
    return at


def _warnings(at: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning]


def _errors(at: AppTest) -> str:
    return "\n".join(e.value.replace("\\", "") for e in at.error)


def _projects(at: AppTest) -> str:
    return str({m.label: m.value for m in at.metric}["帮扶项目"])


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ (without raw/) that the app reads through ATLAS_DATA_DIR."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def atlas_log() -> Iterator[list[logging.LogRecord]]:
    """Records of the server-side log."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logging.getLogger("atlas").addHandler(handler)
    yield records
    logging.getLogger("atlas").removeHandler(handler)


# ------------------------------------------------------------------ configuration


def test_streamlit_shows_no_error_details_and_no_table_export() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True


# ------------------------------------------------------------------ crashes


def test_superscript_year_gets_a_notice_not_a_crash() -> None:
    at = _run(**{"from": "²⁰¹⁸"})
    assert any("from=“²⁰¹⁸”" in w and "0–9" in w for w in _warnings(at))
    assert at.sidebar.slider(key="years").value == (2017, 2020)


def test_full_width_numbers_load(data: Path) -> None:
    projects = data / "projects.csv"
    text = projects.read_text(encoding="utf-8")
    projects.write_text(text.replace(",period,2019,2020,", ",period,２０１９,2020.0,", 1), "utf-8")
    at = _run()
    assert not at.error and _projects(at) == "20"


def test_directory_instead_of_a_table_keeps_the_last_good_data(data: Path) -> None:
    at = _run()
    (data / "sources.csv").unlink()
    (data / "sources.csv").mkdir()
    at.run()
    assert not at.exception
    message = _errors(at)
    assert "sources.csv" in message and "not a regular file" in message
    assert "不是普通文件" in message
    assert "上一次有效的数据" in message and _projects(at) == "20"


def test_empty_polygon_never_becomes_the_last_good_data(data: Path) -> None:
    at = _run()
    areas = data / "derived" / "township_areas.geojson"
    text = areas.read_text(encoding="utf-8")
    start = text.index('"geometry":{"type":"Polygon","coordinates":')
    end = text.index("]]]}}", start) + len("]]]}")
    areas.write_text(text[:start] + '"geometry":{"type":"Polygon","coordinates":[]}' + text[end:])
    at.run()
    assert not at.exception
    message = _errors(at)
    assert "township_areas.geojson" in message and "geometry is empty" in message
    at.run()  # and again: the map still draws from the last good data
    assert not at.exception and _projects(at) == "20"


def test_unexpected_error_while_loading_is_logged_not_shown(
    data: Path, monkeypatch: pytest.MonkeyPatch, atlas_log: list[logging.LogRecord]
) -> None:
    at = _run()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr("ui.data.load_atlas", boom)
    (data / "figures.csv").touch()  # a new data version, so the loader runs again
    at.run()
    assert not at.exception
    message = _errors(at)
    assert "RuntimeError" in message and "服务器日志" in message and "server log" in message
    assert "/srv/secret" not in message and "Traceback" not in message
    assert _projects(at) == "20"
    assert any("/srv/secret" in str(r.exc_info) for r in atlas_log)


def test_data_that_cannot_be_drawn_never_replaces_the_last_good_data(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run()

    def cannot_draw(*args: object, **kwargs: object) -> None:
        raise ValueError("no label point")

    monkeypatch.setattr("ui.data.build_map", cannot_draw)
    (data / "figures.csv").touch()  # a new data version
    at.run()
    monkeypatch.undo()
    assert not at.exception and "ValueError" in _errors(at) and _projects(at) == "20"


def test_unexpected_error_while_drawing_is_a_readable_message(
    monkeypatch: pytest.MonkeyPatch, atlas_log: list[logging.LogRecord]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("/srv/secret/path")

    monkeypatch.setattr("ui.summary.render_chart", boom)
    at = open_details(_at()).run()
    assert not at.exception
    message = _errors(at)
    assert "意外错误" in message and "Unexpected error" in message
    assert "/srv/secret" not in message
    assert atlas_log and atlas_log[-1].exc_info is not None


def _one_year(data: Path) -> None:
    """Valid data whose pairings and projects all fall in 2020."""
    pairings = pd.read_csv(data / "pairings.csv", dtype=str, keep_default_na=False)
    pairings["start_date"] = ""
    pairings["start_precision"] = "undated"
    pairings["period_kind"] = ""  # no period: a round or a "since" would give years
    pairings["round"] = ""
    pairings.to_csv(data / "pairings.csv", index=False)
    projects = pd.read_csv(data / "projects.csv", dtype=str, keep_default_na=False)
    for column in ("date", "year_from", "year_to"):
        projects[column] = projects[column].str.replace(r"^(2017|2018|2019)", "2020", regex=True)
    projects.to_csv(data / "projects.csv", index=False)


def test_data_spanning_one_year_shows_the_year_without_a_slider(data: Path) -> None:
    _one_year(data)
    at = _run()
    assert not at.error
    assert not at.sidebar.get("slider")
    assert any("2020" in m.value for m in at.sidebar.markdown)
    at = _run(**{"from": "2020", "to": "2020"})
    assert not at.error and not _warnings(at)


def test_after_a_failed_run_the_filters_come_back_whole(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(types="party,training", level="village")
    # The data breaks with nothing good to fall back on (another folder), so the page stops
    # before drawing its widgets and Streamlit forgets their values.
    broken = tmp_path / "broken"
    shutil.copytree(data, broken)
    (broken / "sources.csv").write_text("nonsense\n", encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(broken))
    at.run()
    assert not at.exception and at.error
    (broken / "sources.csv").write_bytes((data / "sources.csv").read_bytes())
    at.run()
    assert not at.exception and not at.error
    assert at.sidebar.multiselect(key="types").value == ["training", "party"]
    assert at.sidebar.multiselect(key="levels").value == ["village"]
    assert at.sidebar.slider(key="years").value == (2017, 2020)


# ------------------------------------------------------------------ links


def test_repeated_parameter_gets_a_notice() -> None:
    at = _run(types=["ecommerce", "party"])
    assert any("types" in w and "2 次" in w for w in _warnings(at))
    assert at.sidebar.multiselect(key="types").value == ["party"]  # the last, as Streamlit


def test_empty_list_gets_a_notice_and_means_all() -> None:
    at = _run(types=",,,,")
    assert any("types" in w and "types=none" in w for w in _warnings(at))
    assert len(at.sidebar.multiselect(key="types").value) == 8


def test_unit_that_is_not_on_the_map_gets_a_notice() -> None:
    at = _run(unit="510100")  # 成都市: a known code, but not a unit of the selector
    assert any("unit" in w and "510100" in w for w in _warnings(at))
    assert at.sidebar.selectbox(key="unit").value == ""


def test_many_unknown_parameters_make_one_notice() -> None:
    at = _run(**{f"utm_{i}": "x" for i in range(12)})
    warnings = _warnings(at)
    assert len(warnings) == 1
    assert "utm_0" in warnings[0] and "另有 7 个" in warnings[0]


def test_from_after_to_names_both_parameters() -> None:
    at = _run(**{"from": "2020", "to": "2017"})
    [warning] = _warnings(at)
    assert "from=“2020”" in warning and "to=“2017”" in warning


def test_cleared_type_filter_is_kept_in_the_link() -> None:
    at = _run()
    at.sidebar.multiselect(key="types").set_value([]).run()
    assert at.query_params["types"] == "none"
    again = _run(types="none")
    assert again.sidebar.multiselect(key="types").value == []
    assert _projects(again) == "0" and not _warnings(again)


def test_a_notice_goes_when_its_parameter_leaves_the_url() -> None:
    at = _run(zoom="5")
    assert any("zoom" in w for w in _warnings(at))
    assert "zoom" not in at.query_params  # the page rewrote the link without it
    at.sidebar.radio(key="view").set_value("overview").run()
    assert not _warnings(at)
