"""The editor's page (``?page=editor``): log in, import an office's sheet (check, map headers,
decide unmatched places, preview, apply), list and compare versions, roll back, download the
template. Viewers never see any of it: the page shows only the login form until a login
succeeds, and every action checks the session's editor again before it runs (a replayed
request from a viewer's session finds no editor and does nothing).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from geo.i18n import Lang
from store.auth import EditorConfigError, Gate, editors_from_env
from store.core import StoreError, Version
from store.diff import TableDiff, rows_by_id
from store.importing import KIND_FILES, MODES, Finding, ImportCheck, apply_import, check_import
from store.source import current, folder_mode
from ui.guard import logger
from ui.md import md

log = logger().getChild("editor")

ENCODINGS = ("auto", "utf-8", "gbk", "gb18030")
KIND_NAMES = {
    "auto": ("按表头自动判断", "told by the headers"),
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
    chosen = st.sidebar.radio(
        "语言 / Language",
        ("zh", "en"),
        index=0 if lang == "zh" else 1,
        format_func=lambda c: "中文" if c == "zh" else "English",
        horizontal=True,
        key="editor-lang",
    )
    if chosen != lang:  # same session: the login and an import in progress are kept
        st.query_params["lang"] = chosen
        st.rerun()
    st.sidebar.markdown(f"[{tr('← 返回地图', '← Back to the map', lang)}](./?lang={lang})")
    st.sidebar.caption(
        tr(
            "刷新页面会退出登录，未应用的导入需重新上传。",
            "Reloading the page logs you out; an import not yet applied must be uploaded again.",
            lang,
        )
    )
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
    # Always the same element here (filled or not), so the tabs below keep their place in
    # the page and the tab the editor is on stays open across reruns.
    flash_box = st.empty()
    flash = st.session_state.pop("_editor_flash", None)
    if flash:
        flash_box.success(flash)
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
        ["auto", *KIND_FILES, "boundaries"],
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
        tr("台账文件（XLSX 或 CSV，最大 10 MB）", "Ledger file (XLSX or CSV, at most 10 MB)", lang),
        type=["xlsx", "csv"],
        key=f"imp-file-{st.session_state.get('imp-upload-n', 0)}",
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
        for key in ("imp-mapping", "imp-sheet"):
            st.session_state.pop(key, None)
        st.session_state["imp-decisions"] = {}
        st.session_state["imp-sources"] = {}
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
            sources=st.session_state.get("imp-sources") or {},
            sheet=st.session_state.get("imp-sheet"),
        )
    except StoreError as err:
        st.error(tr(err.zh, err.en, lang))
        return
    if len(check.sheet_names) > 1:
        names = check.sheet_names
        picked = st.selectbox(
            tr("工作表", "Sheet", lang),
            names,
            index=names.index(check.sheet) if check.sheet in names else 0,
            key="imp-sheet-choice",
        )
        if picked != check.sheet:
            require_editor()
            st.session_state["imp-sheet"] = picked
            st.session_state.pop("imp-mapping", None)
            st.rerun()
    if check.headers:
        st.caption(
            tr(
                f"读作：{KIND_NAMES[check.kind][0]}",
                f"Read as: {KIND_NAMES[check.kind][1]}",
                lang,
            )
        )
    if check.missing:
        _mapping_step(check, lang)
        return
    if check.headers:
        with st.expander(tr("表头对应（可修改）", "Headers and columns (editable)", lang)):
            _mapping_form(check, lang)
    _report(check, lang)
    if check.unmatched:
        _unmatched_step(check, lang)
        return
    if check.new_sources:
        _sources_step(check, lang)
    if (
        check.problems
        and check.new_sources
        and all(p.column == "source_id" for p in check.problems)
    ):
        st.info(
            tr(
                "请在上方确认新来源，然后即可预览和应用。台账尚未改变。",
                "Confirm the new sources above; then you can preview and apply. The ledger "
                "has not changed.",
                lang,
            )
        )
        return
    if check.problems:
        st.error(
            tr(
                "有问题，未导入，台账不变。请按上面的报告改正文件后重新上传（或调整表头对应、编码）。",
                "There are problems: nothing was imported and the ledger is unchanged. Correct "
                "the file as the report says and upload it again (or change the header mapping "
                "or the encoding).",
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
    render_diff(check.diff, lang, check.new_files)
    apply_button(
        check.base,
        lambda name: apply_import(store, check, name),
        check.file_name,
        ("imp-file-key", "imp-mapping", "imp-decisions", "imp-sources", "imp-sheet"),
        "imp-apply",
        lang,
    )


def apply_button(
    base: int,
    apply: Callable[[str], Version],
    file_name: str,
    clear: tuple[str, ...],
    key: str,
    lang: Lang,
) -> None:
    """The one Apply button of an import: stores the checked change as a new version (as
    the logged-in editor, checked again here), then reruns with a message; the upload is
    cleared so the same file is not offered again."""
    if not st.button(
        tr(
            f"应用：保存为新版本（基于版本 {base}）",
            f"Apply: store as a new version (based on version {base})",
            lang,
        ),
        type="primary",
        key=key,
    ):
        return
    name = require_editor()
    try:
        version = apply(name)
    except StoreError as err:
        st.error(tr(err.zh, err.en, lang))
        return
    log.info("editor %s stored version %s from %s", name, version.id, file_name)
    for item in clear:
        st.session_state.pop(item, None)
    st.session_state["imp-upload-n"] = st.session_state.get("imp-upload-n", 0) + 1
    st.session_state["_editor_flash"] = tr(
        f"已保存为版本 {version.id}。地图和面板在下次刷新时显示新内容。",
        f"Stored as version {version.id}. The map and panels show it on their next refresh.",
        lang,
    )
    st.rerun()


def target_label(target: str, lang: Lang) -> str:
    from ledger.mapping import TARGET_LABELS

    zh, en = TARGET_LABELS.get(target, (target, target))
    return f"{zh}（{target}）" if lang == "zh" else f"{en} ({target})"


def _mapping_step(check: ImportCheck, lang: Lang) -> None:
    missing_zh = "、".join(target_label(c, "zh") for c in check.missing)
    missing_en = ", ".join(target_label(c, "en") for c in check.missing)
    st.warning(
        tr(
            f"这些必需的列没有找到：{missing_zh}。请为表头指定对应的列：",
            f"These required columns were not found: {missing_en}. Choose what each header holds:",
            lang,
        )
    )
    _mapping_form(check, lang)


def _mapping_form(check: ImportCheck, lang: Lang) -> None:
    """Every header of the sheet with what it is read as (detected, remembered or chosen),
    and an example value; the editor may change any of them. The choice is remembered for
    the next file with the same headers once an import with it is applied."""
    from ledger.mapping import targets

    options = [IGNORE, *targets(check.kind)]
    chosen: dict[str, str | None] = {}
    with st.form("imp-mapping-form"):
        for i, header in enumerate(check.headers):
            now = check.mapping.get(header)
            sample = check.samples.get(header, "")
            label = md(header) or f"#{i + 1}"
            if sample:
                label += f" · {tr('例', 'e.g.', lang)} “{md(sample[:30])}”"
            picked = st.selectbox(
                label,
                options,
                index=options.index(now) if now in options else 0,
                format_func=lambda t: (
                    tr("（不导入）", "(not imported)", lang)
                    if t == IGNORE
                    else target_label(t, lang)
                ),
                key=f"imp-map-{i}",
            )
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
            labels = {"": tr("排除此行", "leave the row out", lang)}
            labels.update({code: f"{label} ({code})" for code, label, _s in u.suggestions})
            note = tr(u.note_zh, u.note_en, lang)
            st.selectbox(
                tr(
                    f"第 {u.row} 行，{md(u.column)}：“{md(u.value)}”",
                    f"Row {u.row}, {md(u.column)}: '{md(u.value)}'",
                    lang,
                ),
                list(labels),
                format_func=lambda c, labels=labels: labels[c],
                index=None,  # the editor decides: no suggestion is taken by default
                placeholder=tr(
                    "请选择建议或排除此行", "choose a suggestion or leave the row out", lang
                ),
                help=note or None,
                key=f"imp-decide-{key}",
            )
            st.text_input(
                tr("或填写区划代码（12 位）", "or give the division code (12 digits)", lang),
                key=f"imp-code-{key}",
            )
        if st.form_submit_button(tr("确认并重新检查", "Confirm and check again", lang)):
            require_editor()
            chosen: dict[str, str | None] = {}
            for u in check.unmatched:
                key = f"{u.row}:{u.column}"
                typed = re.sub(r"\s", "", str(st.session_state.get(f"imp-code-{key}") or ""))
                chosen[key] = typed or st.session_state.get(f"imp-decide-{key}")
            if any(v is None for v in chosen.values()):
                st.error(
                    tr(
                        "请为每一行选择建议或排除该行。",
                        "Choose a suggestion or leave the row out, for every row.",
                        lang,
                    )
                )
                return
            decisions.update({k: str(v) for k, v in chosen.items()})
            st.session_state["imp-decisions"] = decisions
            st.rerun()


def source_origin(note: str, lang: Lang) -> str:
    """Where a new source came from, from its note ("imported from F row N: TEXT"), escaped."""
    found = re.fullmatch(r"imported from (.*) row (\d+): (.*)", note, flags=re.S)
    if not found:
        return md(note)
    file, row, text = found.groups()
    return tr(
        f"{md(file)} 第 {row} 行写的是：“{md(text)}”",
        f"{md(file)} row {row} says: “{md(text)}”",
        lang,
    )


def _sources_step(check: ImportCheck, lang: Lang) -> None:
    """The new sources read from free-text source cells: the editor confirms (or completes)
    title, publisher, date, address and licence; nothing is stored until title and licence
    are given."""
    from store.importing import EDITABLE_SOURCE_COLUMNS

    st.subheader(tr("确认新来源", "Confirm the new sources", lang))
    labels = {
        "title": tr("标题", "Title", lang),
        "publisher": tr("发布者", "Publisher", lang),
        "date": tr("日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)", lang),
        "url": tr("网址", "Address (URL)", lang),
        "licence": tr("许可/使用条件", "Licence / terms of use", lang),
    }
    edits: dict[str, dict[str, str]] = {}
    with st.form("imp-sources-form"):
        for source in check.new_sources:
            sid = source["source_id"]
            st.markdown(f"**{md(sid)}** · {source_origin(source.get('note', ''), lang)}")
            cols = st.columns(len(EDITABLE_SOURCE_COLUMNS))
            edits[sid] = {
                c: col.text_input(labels[c], value=source.get(c, ""), key=f"imp-src-{sid}-{c}")
                for col, c in zip(cols, EDITABLE_SOURCE_COLUMNS, strict=True)
            }
        if st.form_submit_button(
            tr("确认来源并重新检查", "Confirm the sources and check again", lang)
        ):
            require_editor()
            st.session_state["imp-sources"] = edits
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
    render_report(check.problems, check.notes, lang, "import-report", "imp-report")


def render_report(
    problems: list[Finding], notes: list[Finding], lang: Lang, file_stem: str, key: str
) -> None:
    """An import's report on screen (problems, then the notes) and as a downloadable XLSX."""
    if problems:
        st.subheader(tr(f"问题（{len(problems)}）", f"Problems ({len(problems)})", lang))
        st.dataframe(findings_frame(problems, lang), hide_index=True)
    if notes:
        # Open unless very long: an old name read as its successor, a row updating an
        # existing record or a column not imported must be seen before applying.
        with st.expander(
            tr(f"说明（{len(notes)}）", f"Notes ({len(notes)})", lang),
            expanded=len(notes) <= 20,
        ):
            st.dataframe(findings_frame(notes, lang), hide_index=True)
    if problems or notes:
        from ledger.report import report_xlsx

        st.download_button(
            tr("下载报告（XLSX）", "Download the report (XLSX)", lang),
            report_xlsx(problems, notes),
            file_name=f"{file_stem}_{datetime.date.today():%Y-%m-%d}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=key,
        )


# What an added row shows in the preview, per table: enough to recognise it (its title, the
# two places, the pairing a project was put under, the date), not just its new id.
SHOWN = {
    "pairings.csv": ("level", "helper_code", "partner_code", "start_date", "quote"),
    "projects.csv": ("title_zh", "pairing_id", "helper_code", "partner_code", "date", "type"),
    "figures.csv": ("project_id", "measure", "quantity", "unit", "qualifier", "basis"),
    "sources.csv": ("title", "publisher", "date", "url"),
}
PLACE_COLUMNS = ("helper_code", "partner_code")


def _unit_names(files: dict[str, bytes] | None) -> dict[str, str]:
    if not files or "derived/units.csv" not in files:
        return {}
    units = rows_by_id("derived/units.csv", files["derived/units.csv"])
    return {code: row.get("name_zh", code) for code, row in units.items()}


def render_diff(
    diff: dict[str, TableDiff], lang: Lang, new_files: dict[str, bytes] | None = None
) -> None:
    shown_any = False
    names = _unit_names(new_files)
    for name, d in diff.items():
        if d.empty():
            continue
        shown_any = True
        st.markdown(
            f"**{md(name)}**: "
            + tr(
                f"新增 {len(d.added)}，删除 {len(d.removed)}，修改 {len(d.changed)}",
                f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed",
                lang,
            )
        )
        if d.added and new_files and name in new_files:
            rows = rows_by_id(name, new_files[name])
            columns = SHOWN.get(name, ())
            added = []
            for key in d.added:
                row = rows.get(key, {})
                shown = {"id": key}
                for c in columns:
                    value = row.get(c, "")
                    shown[c] = f"{names.get(value, value)}" if c in PLACE_COLUMNS else value
                added.append(shown)
            st.caption(tr("新增", "Added", lang))
            st.dataframe(pd.DataFrame(added), hide_index=True)
        rows_out: list[dict[str, Any]] = []
        rows_out += [_change_row("−", k, "", "", "", lang) for k in d.removed]
        for k, cols in d.changed.items():
            rows_out += [_change_row("~", k, c, b, a, lang) for c, (b, a) in cols.items()]
        if not new_files:
            rows_out = [_change_row("+", k, "", "", "", lang) for k in d.added] + rows_out
        if rows_out:
            st.caption(tr("删除与修改", "Removed and changed", lang))
            st.dataframe(pd.DataFrame(rows_out), hide_index=True)
    if not shown_any:
        st.info(tr("两个版本的内容相同。", "The two versions hold the same data.", lang))


def _change_row(
    mark: str, key: str, column: str, before: str, after: str, lang: Lang
) -> dict[str, str]:
    return {
        "": mark,
        "id": key,
        tr("列", "column", lang): column,
        tr("原值", "before", lang): before,
        tr("新值", "after", lang): after,
    }


# ----------------------------------------------------------------------------- versions

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
ACTIONS = {
    "seed": ("初始数据", "initial data"),
    "import": ("导入", "import"),
    "rollback": ("回滚", "rollback"),
}


def local_time(moment: datetime.datetime) -> str:
    """A version's time in Beijing time (stored in UTC; SQLite returns it without a zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return f"{aware.astimezone(BEIJING):%Y-%m-%d %H:%M}"


def version_note(note: str, lang: Lang) -> str:
    if lang == "en":
        return note
    if note.startswith("rollback to version "):
        return f"回滚到版本 {note.removeprefix('rollback to version ')}"
    return {
        "bundled data": "随程序附带的数据",
        "bundled data updated": "随程序附带的数据已更新",
    }.get(note, note)


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
                    tr("时间（北京时间）", "Time (Beijing)", lang): local_time(v.created_at),
                    tr("编辑者", "Editor", lang): v.editor,
                    tr("操作", "Action", lang): tr(
                        *ACTIONS.get(v.action, (v.action, v.action)), lang
                    ),
                    tr("文件", "File", lang): v.file_name,
                    tr("说明", "Note", lang): version_note(v.note, lang),
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
    st.caption(
        tr("★ 最新版本：查看者看到的就是它。", "★ the latest version: what viewers see.", lang)
    )
    ids = [v.id for v in versions]
    if len(ids) < 2:
        return
    # Widgets keyed by the latest version: after an import or a rollback they start afresh
    # (newest pair compared, no rollback ticked), never showing a stale choice.
    st.subheader(tr("比较两个版本", "Compare two versions", lang))
    a, b = st.columns(2)
    old = a.selectbox(tr("旧版本", "Older", lang), ids, index=1, key=f"ver-old-{latest}")
    new = b.selectbox(tr("新版本", "Newer", lang), ids, index=0, key=f"ver-new-{latest}")
    if old != new:
        render_diff(store.compare(old, new), lang, store.files(new))
    st.subheader(tr("回滚", "Roll back", lang))
    target = st.selectbox(
        tr("回滚到版本", "Roll back to version", lang),
        [i for i in ids if i != latest],
        key=f"ver-rollback-{latest}",
    )
    sure = st.checkbox(
        tr(
            f"确认：新建一个版本，内容与版本 {target} 相同（历史保留）",
            f"Confirm: a new version with the content of version {target} (history is kept)",
            lang,
        ),
        key=f"ver-rollback-sure-{latest}",
    )
    if st.button(tr("回滚", "Roll back", lang), disabled=not sure, key=f"ver-rollback-go-{latest}"):
        name = require_editor()
        try:
            version = store.rollback(int(target), name, base=latest)
        except StoreError as err:
            st.error(tr(err.zh, err.en, lang))
            return
        log.info("editor %s rolled back to %s (version %s)", name, target, version.id)
        st.session_state["_editor_flash"] = tr(
            f"已回滚：版本 {version.id}（内容同版本 {target}）。",
            f"Rolled back: version {version.id} (the content of version {target}).",
            lang,
        )
        st.rerun()


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
