"""The editor's boundary import (import tab, table "township boundaries"): upload a zipped
Shapefile, a GeoPackage or a GeoJSON; give its source and date; choose the code/name fields if
they are not recognised; settle unmatched features; accept repairs; preview which townships
become official and which stay approximate; apply as a new version. Streamlit glue only: the
work is in store.boundaries. Every action checks the session's editor again before it runs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.i18n import Lang
from store.boundaries import BoundaryCheck, apply_boundaries, check_boundaries
from store.core import Store, StoreError
from ui.editor import IGNORE, apply_button, render_report, require_editor, tr
from ui.guard import logger
from ui.md import md

log = logger().getChild("editor.boundaries")

KEYS = ("bnd-file-key", "bnd-decisions", "bnd-code-field", "bnd-name-field")


def render_boundary_import(store: Store, lang: Lang) -> None:
    upload = st.file_uploader(
        tr(
            "乡镇界线文件（压缩的 Shapefile .zip、GeoPackage 或 GeoJSON）",
            "Township boundary file (zipped Shapefile .zip, GeoPackage or GeoJSON)",
            lang,
        ),
        type=["zip", "gpkg", "geojson", "json"],
        key="bnd-file",
    )
    c1, c2 = st.columns([3, 1])
    source = c1.text_input(
        tr("来源（提供单位与数据名称）", "Source (who provided it, and what it is)", lang),
        key="bnd-source",
        placeholder=tr("如：某县自然资源局 乡镇界线", "e.g. county natural resources bureau", lang),
    )
    date = c2.text_input(
        tr("数据日期（YYYY-MM）", "Date of the data (YYYY-MM)", lang),
        key="bnd-date",
    )
    repair = st.checkbox(
        tr(
            "修复无效（自相交）的面（shapely make_valid）",
            "Repair invalid (self-intersecting) polygons (shapely make_valid)",
            lang,
        ),
        key="bnd-repair",
    )
    if upload is None:
        st.caption(
            tr(
                "Shapefile 请连同 .shp、.shx、.dbf、.prj（和 .cpg）一起压缩为一个 .zip。"
                "坐标系取自文件（CGCS2000、西安 80、北京 54 高斯投影或经纬度均可），不会猜测。",
                "Zip the .shp with its .shx, .dbf, .prj (and .cpg). The coordinate system comes "
                "from the file (CGCS2000, Xi'an 80, Beijing 54 Gauss-Krüger or degrees); it is "
                "never guessed.",
                lang,
            )
        )
        return
    data = upload.getvalue()
    file_key = f"{upload.name}:{len(data)}"
    if st.session_state.get("bnd-file-key") != file_key:
        for key in KEYS:
            st.session_state.pop(key, None)
        st.session_state["bnd-file-key"] = file_key
    try:
        check = check_boundaries(
            store,
            data,
            upload.name,
            source=source,
            source_date=date,
            code_field=st.session_state.get("bnd-code-field") or None,
            name_field=st.session_state.get("bnd-name-field") or None,
            decisions=st.session_state.get("bnd-decisions") or {},
            repair=repair,
        )
    except StoreError as err:
        st.error(tr(err.zh, err.en, lang))
        return
    if check.crs:
        st.caption(tr(f"坐标系：{md(check.crs)}", f"Coordinate system: {md(check.crs)}", lang))
    if check.fields:
        _fields_step(check, lang)
    _report(check, lang)
    if check.unmatched:
        _unmatched_step(check, lang)
        return
    if check.problems:
        st.error(
            tr(
                "文件有问题，未导入，地图不变。请改正后重新检查。",
                "The file has problems; nothing was imported and the map is unchanged. "
                "Correct them and check again.",
                lang,
            )
        )
        return
    if not check.ready:
        st.info(tr("没有需要修改的内容。", "Nothing to change.", lang))
        return
    _preview(check, lang)
    apply_button(
        check.base,
        lambda name: apply_boundaries(store, check, name),
        check.file_name,
        KEYS,
        "bnd-apply",
        lang,
    )


def _fields_step(check: BoundaryCheck, lang: Lang) -> None:
    options = [IGNORE, *check.fields]
    c1, c2 = st.columns(2)
    for column, key, label, current in (
        (c1, "bnd-code-field", tr("乡镇代码字段", "Township code field", lang), check.code_field),
        (c2, "bnd-name-field", tr("乡镇名称字段", "Township name field", lang), check.name_field),
    ):
        chosen = column.selectbox(
            label,
            options,
            index=options.index(current) if current in options else 0,
            key=f"{key}-select",
        )
        value = None if chosen == IGNORE else chosen
        if value != current:
            require_editor()
            st.session_state[key] = value
            st.rerun()


def _report(check: BoundaryCheck, lang: Lang) -> None:
    render_report(check.problems, check.notes, lang, "boundary-report", "bnd-report")


def _unmatched_step(check: BoundaryCheck, lang: Lang) -> None:
    st.subheader(
        tr(
            f"未匹配的要素（{len(check.unmatched)}）",
            f"Features not matched ({len(check.unmatched)})",
            lang,
        )
    )
    decisions = dict(st.session_state.get("bnd-decisions") or {})
    with st.form("bnd-unmatched"):
        for u in check.unmatched:
            labels = {"": tr("不导入该要素", "leave this feature out", lang)}
            labels.update({code: f"{label}（{code}）" for code, label, _ in u.suggestions})
            st.selectbox(
                tr(
                    f"第 {u.row} 个要素，{md(u.column)}“{md(u.value)}”：{md(u.note_zh)}",
                    f"Feature {u.row}, {md(u.column)} '{md(u.value)}': {md(u.note_en)}",
                    lang,
                ),
                list(labels),
                format_func=lambda c, labels=labels: labels[c],
                index=1 if len(labels) > 1 else 0,
                key=f"bnd-decide-{u.key}",
            )
        if st.form_submit_button(tr("确认并重新检查", "Confirm and check again", lang)):
            require_editor()
            for u in check.unmatched:
                decisions[u.key] = st.session_state.get(f"bnd-decide-{u.key}", "")
            st.session_state["bnd-decisions"] = decisions
            st.rerun()


def _preview(check: BoundaryCheck, lang: Lang) -> None:
    st.subheader(tr("将要修改", "What will change", lang))
    township, after = tr("乡镇", "Township", lang), tr("之后", "After", lang)
    official, approx = tr("官方界线", "official", lang), tr("仍为近似", "approximate", lang)
    rows = [
        {township: f"{check.names.get(code, code)}（{code}）", after: official}
        for code in sorted(check.matched)
    ] + [
        {township: f"{check.names.get(code, code)}（{code}）", after: approx}
        for code in check.stay_approximate
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(
        tr(
            f"{len(check.matched)} 个乡镇改为官方界线（来源：{md(check.source)} "
            f"{md(check.source_date)}），"
            f"{len(check.stay_approximate)} 个仍为近似范围。可随时在“版本”中回滚。",
            f"{len(check.matched)} townships become official (source: {md(check.source)} "
            f"{md(check.source_date)}); {len(check.stay_approximate)} stay approximate. Roll back "
            "any time under Versions.",
            lang,
        )
    )
