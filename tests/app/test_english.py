"""The English view reads as English: no Chinese punctuation or words around English text.

Every view is rendered in English (default, a unit selected, each tour step of the present
mode, the overview) and every visible string is collected. Quotes from the source are verbatim
Chinese and are fine (shown as quotes), as are the source's own publisher and title and the
language switch's "中文"; everything else must be free of Chinese punctuation and characters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.atlas import load_atlas
from tests.app.helpers import run_app_open

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
CJK_PUNCTUATION = re.compile(r"[：（）、，。“”；]")
CJK = re.compile(r"[\u3400-\u9fff]")
ALLOWED_WORDS = ("语言", "中文")  # the language switch names both languages


def _verbatim() -> list[str]:
    """Source text that may appear as is: quotes, the source's publisher and title."""
    atlas = load_atlas()
    texts = [
        *atlas.pairings["quote"],
        *atlas.projects["quote"],
        *atlas.figures["quote"],
        *atlas.aggregates["quote"],
        *atlas.sources["title"],
        *atlas.sources["publisher"],
    ]
    return sorted({x for x in texts if x}, key=len, reverse=True)


VERBATIM = _verbatim()


def _plain(markdown: str) -> str:
    text = re.sub(r"\\(.)", r"\1", markdown)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _strip_verbatim(text: str) -> str:
    for quote in VERBATIM:
        text = text.replace(f"“{quote}”", " ").replace(quote, " ")
    for word in ALLOWED_WORDS:
        text = text.replace(word, " ")
    return text


def _visible(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error"):
        out += [str(getattr(e, "value", "")) for e in at.get(kind)]
    for m in at.metric:
        out += [m.label, str(m.value), str(getattr(m.proto, "help", ""))]
    for e in at.expander:
        out.append(e.label)
    for kind in ("button", "download_button", "toggle", "checkbox", "slider"):
        for w in at.get(kind):
            out += [str(getattr(w, "label", "")), str(getattr(w.proto, "help", ""))]
    for kind in ("radio", "selectbox", "multiselect"):
        for w in at.get(kind):
            options = [str(o) for o in getattr(w, "options", [])]
            if getattr(w, "key", None) == "unit":
                # The place list names each place in English, then in Chinese after " · ", so
                # its search finds a place by either name: only the English part must be clean.
                options = [o.split(" · ")[0] for o in options]
            out += [str(getattr(w, "label", "")), *options]
    for frame in at.dataframe:
        table = frame.value
        shown = table.drop(columns=[c for c in ("Quote", "Source") if c in table.columns])
        out += [str(v) for v in shown.to_numpy().ravel()] + [str(c) for c in shown.columns]
    return [_plain(x) for x in out if x]


def _offending(at: AppTest) -> list[str]:
    bad = []
    for text in _visible(at):
        rest = _strip_verbatim(text)
        if CJK_PUNCTUATION.search(rest) or CJK.search(rest):
            bad.append(text)
    return bad


def _run(**params: str) -> AppTest:
    return run_app_open(**params)  # the chart and the table read English too


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"unit": "510131101000"},  # 大塘镇: partners, projects, figures, partner notes
        {"unit": "510131106000"},  # 甘溪镇: village pair, quotes of figures
        {"unit": "510131104000"},  # 西来镇: partner not published
        {"unit": "513322"},  # 泸定县
        {"view": "overview"},
        {"from": "2018", "to": "2018", "spans": "1"},
    ],
    ids=["default", "datang", "ganxi", "xilai", "luding", "overview", "spans-2018"],
)
def test_english_view_has_no_chinese_around_english(params: dict[str, str]) -> None:
    at = _run(lang="en", **params)
    assert at.title[0].value == "Chengdu–Ganzi Pairing Atlas"
    assert _offending(at) == []


def test_english_panel_with_every_project_expanded_reads_english() -> None:
    at = _run(lang="en", unit="510131101000")
    text = "\n".join(_visible(at))
    assert "Level: Township" in text and "Level：" not in text
    assert "township or village not specified" in text and "未具体到乡镇或村" not in text
    assert "means of production donated: over 200,000 yuan" in text
    assert "2017–2020, not dated" in text


def test_english_present_mode_every_step() -> None:
    at = _run(lang="en", mode="present")
    for step in range(4):
        assert _offending(at) == []
        assert "Source: " in "\n".join(_visible(at))
        if step < 3:
            at.button(key="tour_next").click().run()
    assert at.button(key="tour_next").disabled  # the last step: nothing after it


def test_page_title_follows_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = st.set_page_config

    def spy(**kwargs: Any) -> None:
        calls.append(kwargs)
        real(**kwargs)

    monkeypatch.setattr(st, "set_page_config", spy)
    _run(lang="en")
    assert [c["page_title"] for c in calls if "page_title" in c][-1] == (
        "Chengdu–Ganzi Pairing Atlas"
    )
    calls.clear()
    at = _run()
    assert [c["page_title"] for c in calls if "page_title" in c][-1] == "成都—甘孜对口帮扶地图"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert [c["page_title"] for c in calls if "page_title" in c][-1] == (
        "Chengdu–Ganzi Pairing Atlas"
    )


def test_html_lang_follows_the_language() -> None:
    at = _run(lang="en")
    scripts = [h.proto.body for h in at.get("html")]
    assert any('document.documentElement.lang = "en"' in s for s in scripts)
    at = _run()
    scripts = [h.proto.body for h in at.get("html")]
    assert any('document.documentElement.lang = "zh-CN"' in s for s in scripts)
