"""Streamlit entry point: wires widgets to the pure core (geo/, layers/). Keep it thin."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import AtlasDataError
from geo.i18n import LANGS, Lang, t
from layers.basemap import BASEMAPS, Basemap
from ui.data import load_bundled
from ui.mapview import build_overview_map

st.set_page_config(page_title="成都—甘孜对口帮扶地图", page_icon="🗺️", layout="wide")


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
            BASEMAPS,
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
    m = build_overview_map(data, basemap=basemap, lang=lang)
    st_folium(m, key="atlas-map", height=620, use_container_width=True, returned_objects=[])


main()
