"""Streamlit entry point: wires widgets to the pure core (geo/, layers/). Keep it thin."""

from __future__ import annotations

import os

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import AtlasDataError
from geo.i18n import LANGS, Lang, t
from layers.basemap import BASEMAPS, Basemap
from layers.compose import MapOptions
from ui.data import load_bundled
from ui.mapview import build_overview_map

st.set_page_config(page_title="成都—甘孜对口帮扶地图", page_icon="🗺️", layout="wide")


def tianditu_key() -> str:
    """The Tianditu key from the environment (never committed); empty when not configured."""
    return os.environ.get("TIANDITU_KEY", "")


def main() -> None:
    lang: Lang = "en" if st.query_params.get("lang") == "en" else "zh"
    with st.sidebar:
        lang = st.radio(
            t("language", lang),
            LANGS,
            index=LANGS.index(lang),
            format_func=lambda code: "中文" if code == "zh" else "English",
            horizontal=True,
            key="lang",
        )
        basemap: Basemap = st.radio(
            t("basemap", lang),
            [b for b in BASEMAPS if b != "tianditu" or tianditu_key()],
            format_func=lambda b: t(f"basemap_{b}", lang),
            key="basemap",
        )
    st.title(t("app_title", lang))
    st.caption(t("app_subtitle", lang))
    try:
        data = load_bundled()
    except AtlasDataError as err:
        st.error(f"{t('data_error', lang)}\n\n{err}")
        return
    options = MapOptions(lang=lang, basemap=basemap, tianditu_key=tianditu_key())
    m = build_overview_map(data, options)
    st_folium(m, key="atlas-map", height=700, use_container_width=True, returned_objects=[])


main()
