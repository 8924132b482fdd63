"""The editor's page (``?page=editor``): log in, import an office's sheet (check, map headers,
decide unmatched places, preview, apply), list and compare versions, roll back, download the
template. Viewers never see any of it: the page shows only the login form until a login
succeeds, and every action checks the session's editor again before it runs (a replayed
request from a viewer's session finds no editor and does nothing).
"""

from __future__ import annotations

import datetime
from typing import Any

import pandas as pd
import streamlit as st

from geo.i18n import Lang
from store.auth import EditorConfigError, Gate, editors_from_env
from store.core import StoreError
from store.diff import TableDiff
from store.importing import KIND_FILES, MODES, Finding, ImportCheck, apply_import, check_import
from store.source import current, folder_mode
from ui.guard import logger

log = logger().getChild("editor")

ENCODINGS = ("auto", "utf-8", "gbk", "gb18030")
KIND_NAMES = {
    "pairings": ("结对", "pairings"),
    "projects": ("项目", "projects"),
    "figures": ("数字", "figures"),
    "boundaries": ("乡镇界线", "township boundaries"),
}
IGNORE = "—"


def tr(zh: str, en: str, lang: Lang) -> str:
    return zh if lang == "zh" else en


@st.cache_resource(show_spinner=False)
def gate() -> Gate | EditorConfigError:
    """One login gate per server process (its failure counter is shared by all sessions)."""
    try:
        return Gate(editors_from_env())
    except (EditorConfigError, OSError) as err:
        log.error("editor configuration refused: %s", err)
        return EditorConfigError(str(err))


def editor() -> str | None:
    """The logged-in editor of this session (set only by a successful login)."""
    name = st.session_state.get("_editor_name")
    return name if isinstance(name, str) and name else None


def require_editor() -> str:
    name = editor()
    if name is None:
        raise PermissionError("editor role required")
    return name


def render_editor_page(lang: Lang) -> None:
    st.title(tr("台账管理", "Ledger editor", lang))
    if folder_mode():
        st.warning(
            tr(
                "当前直接读取数据文件夹（ATLAS_DATA_DIR），只读：没有版本，不能导入。",
                "The app reads a data folder directly (ATLAS_DATA_DIR), read-only: no versions, "
                "no imports.",
                lang,
            )
        )
        return
    if editor() is None:
        _login(lang)
        return
    left, right = st.columns([4, 1])
    left.caption(tr(f"编辑者：{editor()}", f"Editor: {editor()}", lang))
    if right.button(tr("退出登录", "Log out", lang), key="editor-logout"):
        for key in [k for k in st.session_state if str(k).startswith(("_editor", "imp-"))]:
            del st.session_state[key]
        st.rerun()
    tab_import, tab_versions, tab_template = st.tabs(
        [tr("导入", "Import", lang), tr("版本", "Versions", lang), tr("模板", "Template", lang)]
    )
    with tab_import:
        _import_tab(lang)
    with tab_versions:
        _versions_tab(lang)
    with tab_template:
        _template_tab(lang)


# ----------------------------------------------------------------------------- login


def _login(lang: Lang) -> None:
    g = gate()
    if isinstance(g, EditorConfigError):
        st.error(
            tr(
                "编辑者配置有误，见服务器日志。",
                "The editor configuration is invalid; see the server log.",
                lang,
            )
        )
        return
    if not g.editors:
        st.info(
            tr(
                "没有配置编辑者。管理员可用 `python cli.py hash-password` 生成哈希，"
                "并在 ATLAS_EDITORS 环境变量中写入 名字:哈希。",
                "No editors are configured. An administrator makes a hash with "
                "`python cli.py hash-password` and sets ATLAS_EDITORS to name:hash.",
                lang,
            )
        )
        return
    with st.form("editor-login"):
        name = st.text_input(tr("名字", "Name", lang), key="login-name")
        password = st.text_input(tr("密码", "Password", lang), type="password", key="login-pw")
        submitted = st.form_submit_button(tr("登录", "Log in", lang))
    if not submitted:
        return
    wait = g.wait_left(name)
    if wait > 0:
        st.error(
            tr(
                f"登录失败次数过多，请 {wait:.0f} 秒后再试。",
                f"Too many failed logins; try again in {wait:.0f} s.",
                lang,
            )
        )
        return
    if g.login(name, password):
        st.session_state["_editor_name"] = name
        log.info("editor %s logged in", name)
        st.rerun()
    log.warning("failed editor login for %r", name[:40])
    st.error(tr("名字或密码不对。", "Wrong name or password.", lang))


# ----------------------------------------------------------------------------- import


def _import_tab(lang: Lang) -> None:
    source = current()
    store = source.store
    assert store is not None
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox(
        tr("表", "Table", lang),
        [*KIND_FILES, "boundaries"],
        format_func=lambda k: KIND_NAMES[k][0 if lang == "zh" else 1],
        key="imp-kind",
    )
    if kind == "boundaries":  # official township outlines: ui/editor_boundaries.py
        from ui.editor_boundaries import render_boundary_import

        render_boundary_import(store, lang)
        return
    mode = c2.selectbox(
        tr("合并方式", "Merge mode", lang),
        list(MODES),
        format_func=lambda m: {
            "add": tr("新增与更新（同编号替换）", "add and update (same id replaces)", lang),
            "replace": tr("整表替换", "replace the whole table", lang),
        }[m],
        key="imp-mode",
    )
    encoding = c3.selectbox(
        tr("CSV 编码", "CSV encoding", lang),
        ENCODINGS,
        format_func=lambda e: tr("自动识别", "detect", lang) if e == "auto" else e.upper(),
        key="imp-encoding",
    )
    upload = st.file_uploader(
        tr("台账文件（XLSX 或 CSV）", "Ledger file (XLSX or CSV)", lang),
        type=["xlsx", "csv"],
        key="imp-file",
    )
    if upload is None:
        st.caption(
            tr(
                "先下载“模板”，或直接上传办公室自己的表格：表头会自动识别，识别不了的由您指定。",
                "Download the template first, or upload the office's own sheet: headers are "
                "recognised where possible, and you choose the others.",
                lang,
            )
        )
        return
    data = upload.getvalue()
    file_key = f"{upload.name}:{len(data)}:{kind}:{mode}:{encoding}"
    if st.session_state.get("imp-file-key") != file_key:
        st.session_state["imp-file-key"] = file_key
        st.session_state.pop("imp-mapping", None)
        st.session_state["imp-decisions"] = {}
    try:
        check = check_import(
            store,
            data,
            upload.name,
            kind,
            encoding=None if encoding == "auto" else encoding,
            mapping=st.session_state.get("imp-mapping"),
            decisions=st.session_state.get("imp-decisions") or {},
            mode=mode,
        )
    except StoreError as err:
        st.error(tr(err.zh, err.en, lang))
        return
    if check.missing:
        _mapping_step(check, lang)
        return
    _report(check, lang)
    if check.unmatched:
        _unmatched_step(check, lang)
        return
    if check.problems:
        st.error(
            tr(
                "文件有问题，未导入，台账不变。请改正后重新上传。",
                "The file has problems; nothing was imported and the ledger is unchanged. "
                "Correct it and upload again.",
                lang,
            )
        )
        return
    if check.new_files is None:
        return
    if not any(not d.empty() for d in check.diff.values()):
        st.info(tr("没有需要修改的内容。", "Nothing to change.", lang))
        return
    st.subheader(tr("将要修改", "What will change", lang))
    render_diff(check.diff, lang)
    if st.button(
        tr(
            f"应用：保存为新版本（基于版本 {check.base}）",
            f"Apply: store as a new version (based on version {check.base})",
            lang,
        ),
        type="primary",
        key="imp-apply",
    ):
        name = require_editor()
        try:
            version = apply_import(store, check, name)
        except StoreError as err:
            st.error(tr(err.zh, err.en, lang))
            return
        log.info("editor %s stored version %s from %s", name, version.id, check.file_name)
        for key in ("imp-file-key", "imp-mapping", "imp-decisions"):
            st.session_state.pop(key, None)
        st.success(tr(f"已保存为版本 {version.id}。", f"Stored as version {version.id}.", lang))


def _mapping_step(check: ImportCheck, lang: Lang) -> None:
    from ledger.mapping import targets

    st.warning(
        tr(
            "这些必需的列没有找到：" + "、".join(check.missing) + "。请为表头指定对应的列：",
            "These required columns were not found: "
            + ", ".join(check.missing)
            + ". Choose the column each header holds:",
            lang,
        )
    )
    options = [IGNORE, *targets(check.kind)]
    chosen: dict[str, str | None] = {}
    with st.form("imp-mapping-form"):
        for i, header in enumerate(check.headers):
            now = check.mapping.get(header)
            index = options.index(now) if now in options else 0
            picked = st.selectbox(header or f"#{i + 1}", options, index=index, key=f"imp-map-{i}")
            chosen[header] = None if picked == IGNORE else picked
        if st.form_submit_button(tr("使用此对应并检查", "Use this mapping and check", lang)):
            require_editor()
            st.session_state["imp-mapping"] = chosen
            st.rerun()


def _unmatched_step(check: ImportCheck, lang: Lang) -> None:
    st.warning(
        tr(
            f"{len(check.unmatched)} 个地名没有对上。请为每个选择建议，或排除该行：",
            f"{len(check.unmatched)} place(s) did not match. Choose a suggestion for each, "
            "or leave the row out:",
            lang,
        )
    )
    decisions = dict(st.session_state.get("imp-decisions") or {})
    with st.form("imp-unmatched-form"):
        for u in check.unmatched:
            key = f"{u.row}:{u.column}"
            suggestions = list(getattr(u, "suggestions", []) or [])
            labels = {"": tr("排除此行", "leave the row out", lang)}
            labels.update({code: f"{label} ({code})" for code, label, _s in suggestions})
            st.selectbox(
                tr(
                    f"第 {u.row} 行，{u.column}：“{u.value}”",
                    f"Row {u.row}, {u.column}: '{u.value}'",
                    lang,
                ),
                list(labels),
                format_func=lambda c, labels=labels: labels[c],
                index=1 if len(labels) > 1 else 0,
                key=f"imp-decide-{key}",
            )
        if st.form_submit_button(tr("确认并重新检查", "Confirm and check again", lang)):
            require_editor()
            for u in check.unmatched:
                key = f"{u.row}:{u.column}"
                decisions[key] = st.session_state.get(f"imp-decide-{key}", "")
            st.session_state["imp-decisions"] = decisions
            st.rerun()


def findings_frame(findings: list[Finding], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("文件", "File", lang): f.file,
                tr("行", "Row", lang): "" if f.row is None else str(f.row),
                tr("列", "Column", lang): f.column or "",
                tr("值", "Value", lang): f.value or "",
                tr("问题", "Problem", lang): tr(f.problem_zh, f.problem_en, lang),
                tr("建议", "Suggestion", lang): tr(f.suggestion_zh, f.suggestion_en, lang),
            }
            for f in findings
        ]
    )


def _report(check: ImportCheck, lang: Lang) -> None:
    if check.problems:
        st.subheader(
            tr(f"问题（{len(check.problems)}）", f"Problems ({len(check.problems)})", lang)
        )
        st.dataframe(findings_frame(check.problems, lang), hide_index=True)
    if check.notes:
        with st.expander(tr(f"说明（{len(check.notes)}）", f"Notes ({len(check.notes)})", lang)):
            st.dataframe(findings_frame(check.notes, lang), hide_index=True)
    if check.problems or check.notes:
        from ledger.report import report_xlsx

        st.download_button(
            tr("下载报告（XLSX）", "Download the report (XLSX)", lang),
            report_xlsx(check.problems, check.notes),
            file_name=f"import-report_{datetime.date.today():%Y-%m-%d}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="imp-report",
        )


def render_diff(diff: dict[str, TableDiff], lang: Lang) -> None:
    for name, d in diff.items():
        if d.empty():
            continue
        st.markdown(
            f"**{name}**: "
            + tr(
                f"新增 {len(d.added)}，删除 {len(d.removed)}，修改 {len(d.changed)}",
                f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed",
                lang,
            )
        )
        rows: list[dict[str, Any]] = []
        rows += [
            {
                "": "+",
                "id": k,
                tr("列", "column", lang): "",
                tr("原值", "before", lang): "",
                tr("新值", "after", lang): "",
            }
            for k in d.added
        ]
        rows += [
            {
                "": "−",
                "id": k,
                tr("列", "column", lang): "",
                tr("原值", "before", lang): "",
                tr("新值", "after", lang): "",
            }
            for k in d.removed
        ]
        for k, cols in d.changed.items():
            rows += [
                {
                    "": "~",
                    "id": k,
                    tr("列", "column", lang): c,
                    tr("原值", "before", lang): b,
                    tr("新值", "after", lang): a,
                }
                for c, (b, a) in cols.items()
            ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)


# ----------------------------------------------------------------------------- versions


def _versions_tab(lang: Lang) -> None:
    store = current().store
    assert store is not None
    versions = store.versions()
    latest = store.latest()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("版本", "Version", lang): f"{v.id}{' ★' if v.id == latest else ''}",
                    tr("时间 (UTC)", "Time (UTC)", lang): f"{v.created_at:%Y-%m-%d %H:%M}",
                    tr("编辑者", "Editor", lang): v.editor,
                    tr("操作", "Action", lang): v.action,
                    tr("文件", "File", lang): v.file_name,
                    tr("说明", "Note", lang): v.note,
                    tr("变化", "Changes", lang): "; ".join(
                        f"{n} +{c['added']} −{c['removed']} ~{c['changed']}"
                        for n, c in (v.summary.get("tables") or {}).items()
                        if any(c.values())
                    ),
                }
                for v in versions
            ]
        ),
        hide_index=True,
    )
    ids = [v.id for v in versions]
    if len(ids) < 2:
        return
    st.subheader(tr("比较两个版本", "Compare two versions", lang))
    a, b = st.columns(2)
    old = a.selectbox(tr("旧版本", "Older", lang), ids, index=1, key="ver-old")
    new = b.selectbox(tr("新版本", "Newer", lang), ids, index=0, key="ver-new")
    if old != new:
        render_diff(store.compare(old, new), lang)
    st.subheader(tr("回滚", "Roll back", lang))
    target = st.selectbox(
        tr("回滚到版本", "Roll back to version", lang),
        [i for i in ids if i != latest],
        key="ver-rollback",
    )
    sure = st.checkbox(
        tr(
            f"确认：新建一个版本，内容与版本 {target} 相同（历史保留）",
            f"Confirm: a new version with the content of version {target} (history is kept)",
            lang,
        ),
        key="ver-rollback-sure",
    )
    if st.button(tr("回滚", "Roll back", lang), disabled=not sure, key="ver-rollback-go"):
        name = require_editor()
        try:
            version = store.rollback(int(target), name, base=latest)
        except StoreError as err:
            st.error(tr(err.zh, err.en, lang))
            return
        log.info("editor %s rolled back to %s (version %s)", name, target, version.id)
        st.success(tr(f"已回滚：版本 {version.id}。", f"Rolled back: version {version.id}.", lang))


def _template_tab(lang: Lang) -> None:
    from ledger.report import template_xlsx

    st.write(
        tr(
            "模板有中文表头，每个取值表都有下拉列表（层级、类型、单位、指标……）。",
            "The template has Chinese headers and a drop-down list for every vocabulary "
            "(level, type, unit, measure, ...).",
            lang,
        )
    )
    st.download_button(
        tr("下载模板（XLSX）", "Download the template (XLSX)", lang),
        template_xlsx(),
        file_name="台账模板_ledger-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="tpl-download",
    )
