"""The page itself follows the language: browser tab title and ``<html lang>``."""

from __future__ import annotations

import json

import streamlit as st

from geo.i18n import Lang, t

HTML_LANG: dict[Lang, str] = {"zh": "zh-CN", "en": "en"}


def lang_script(lang: Lang) -> str:
    """Our own script (no data in it): sets ``<html lang>`` so screen readers, fonts and
    translation tools treat the page as ``lang``."""
    return f"<script>document.documentElement.lang = {json.dumps(HTML_LANG[lang])};</script>"


def follow_language(lang: Lang) -> None:
    """Call once per run, after the language is known (set_page_config may be called again)."""
    st.set_page_config(page_title=t("app_title", lang))
    # In the sidebar, so it takes no room above the map (it still runs when the sidebar is
    # collapsed or hidden by the projector theme).
    st.sidebar.html(lang_script(lang), unsafe_allow_javascript=True)
