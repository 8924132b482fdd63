"""The meeting pack: the current view as HTML, PNG, a PDF dossier or PowerPoint slides.

Every map in every file is the app's own map (``layers.compose.build_map`` made standalone by
``layers.offline``) drawn by Chromium with the network blocked (``pack.chromium``): one drawing
path, so what is exported is what is seen. One browser per export, every page drawn in it.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from geo.atlas import Atlas
from geo.columns import PROJECT_TYPES
from geo.headline import headline_text, subtitle_text
from geo.i18n import (
    Lang,
    colon,
    figure_line,
    figure_text,
    in_lang,
    measure_label,
    paren,
    source_text,
    t,
    total_text,
)
from geo.query import figures_of, totals_by_measure
from geo.tour import TourStep, tour_steps
from layers.compose import build_map
from layers.html import text
from layers.offline import standalone_html
from layers.popups import when_text
from pack.chromium import Renderer
from pack.frame import FONTS, framed, head_lines
from pack.view import ExportView, cited_sources, file_name, pair_name, title

Format = Literal["html", "png", "pdf", "pptx"]
FORMATS: tuple[Format, ...] = ("html", "png", "pdf", "pptx")
MIME = {
    "html": "text/html",
    "png": "image/png",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
PNG_SIZE = (1920, 1080)  # projector resolution; scale 2 gives 3840x2160 for print
PDF_MAP_SIZE = (1000, 640)  # CSS px of a map drawn for the PDF (at 2x for print sharpness)
SLIDE_MAP_SIZE = (1280, 720)
NEEDS_CHROMIUM = frozenset({"png", "pdf", "pptx"})


@dataclass(frozen=True)
class ExportFile:
    name: str
    mime: str
    data: bytes


# A picture cannot be zoomed: the zoom buttons are left out of images (kept in the HTML file).
STILL_CSS = "<style>.leaflet-control-zoom { display: none !important; }</style>"


def map_page(view: ExportView, /, still: bool = False, **changes: object) -> str:
    """The app's map for ``view`` as one self-contained HTML page (no network needed);
    ``still``: for a picture (no zoom buttons)."""
    page = standalone_html(build_map(view.shown(), view.display, view.map_options(**changes)))
    return page.replace("</head>", STILL_CSS + "</head>", 1) if still else page


def make_html(view: ExportView) -> bytes:
    """The offline map with its title, filters in words, data version and sources."""
    return framed(map_page(view), view).encode("utf-8")


def make_png(view: ExportView, scale: int = 1) -> bytes:
    """The framed map at 1920x1080 CSS px (``scale`` 2: 3840x2160 pixels, same layout)."""
    with Renderer() as r:
        return r.screenshot_map(framed(map_page(view, still=True), view), *PNG_SIZE, scale=scale)


# ---------------------------------------------------------------------------------- PDF

PDF_CSS = f"""
@page {{ size: A4 portrait; }}
html, body {{ margin: 0; background: #fff; color: #000; font-family: {FONTS};
  font-size: 10.5pt; line-height: 1.45; }}
section.atlas-sheet {{ break-before: page; }}
section.atlas-sheet:first-child {{ break-before: auto; }}
h1 {{ font-size: 20pt; margin: 0 0 2mm; }}
h2 {{ font-size: 14pt; margin: 4mm 0 1.5mm; border-bottom: 1.5pt solid #000; }}
h3 {{ font-size: 11pt; margin: 3mm 0 1mm; }}
p {{ margin: 0.8mm 0; }}
.meta {{ font-size: 9.5pt; color: #222; }}
img.map {{ display: block; width: 100%; height: auto; border: 0.75pt solid #000;
  margin: 2mm 0; break-inside: avoid; }}
blockquote {{ margin: 1mm 0 1mm 2mm; padding-left: 3mm; border-left: 2pt solid #555;
  color: #111; font-size: 9.5pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
td, th {{ border: 0.5pt solid #444; padding: 0.8mm 1.5mm; text-align: left;
  vertical-align: top; }}
td.num {{ text-align: right; white-space: nowrap; }}
ol.toc {{ padding-left: 6mm; }}
ol.toc li {{ display: flex; }}
ol.toc a {{ color: #000; text-decoration: none; }}
ol.toc .dots {{ flex: 1; border-bottom: 1pt dotted #000; margin: 0 2mm 1.2mm; }}
ul.projects {{ padding-left: 5mm; margin: 1mm 0; }}
ul.projects > li {{ margin-bottom: 1.5mm; }}
.type {{ border: 0.5pt solid #000; padding: 0 1mm; font-size: 8.5pt; }}
.when {{ color: #333; font-size: 9pt; }}
.fig {{ font-weight: 700; }}
.src {{ font-size: 8.5pt; color: #222; word-break: break-all; }}
"""


def _img(png: bytes) -> str:
    return f"<img class='map' src='data:image/jpeg;base64,{base64.b64encode(png).decode()}'>"


def _totals_table(atlas: Atlas, lang: Lang) -> str:
    projects = atlas.projects[atlas.projects["role"] == "pairing"]
    totals = totals_by_measure(figures_of(atlas, projects))
    if not totals:
        return f"<p>{text(t('kpi_no_figures', lang))}</p>"
    head = (
        f"<tr><th>{text(t('export_measure', lang))}</th><th>{text(t('export_total', lang))}</th>"
        f"<th>{text(t('export_count', lang))}</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{text(measure_label(x.measure, x.unit, lang))}</td>"
        f"<td class='num'>{text(figure_text(x.quantity, x.unit, x.qualifier, lang))}</td>"
        f"<td class='num'>{x.count}</td></tr>"
        for x in totals
    )
    return f"<table>{head}{rows}</table>"


def _source_of(full: Atlas, source_id: str, lang: Lang) -> str:
    rows = full.sources[full.sources["source_id"] == source_id]
    if rows.empty:
        return source_id
    s = rows.iloc[0]
    cited = source_text(str(s["publisher"]), str(s["title"]), str(s["date"]), lang)
    return f"{cited} {s['url']}".strip()


def _pair_projects(atlas: Atlas, pairing_id: str) -> pd.DataFrame:
    pr = atlas.projects
    mine = pr[(pr["pairing_id"] == pairing_id) & (pr["role"] == "pairing")]
    return mine.sort_values(["year_from", "project_id"], na_position="last")


def _project_items(view: ExportView, projects: pd.DataFrame) -> str:
    lang, shown = view.lang, view.shown()
    if projects.empty:
        return f"<p>{text(t('no_projects', lang))}</p>"
    quote_label = t("panel_quote", lang) + colon(lang)
    items = []
    for _, p in projects.iterrows():
        kind = PROJECT_TYPES[p["type"]][0 if lang == "zh" else 1]
        name = p["title_zh"] if lang == "zh" else p["title_en"]
        figs = shown.figures[shown.figures["project_id"] == p["project_id"]]
        fig_lines = "".join(
            f"<div><span class='fig'>{text(figure_line(f, lang))}</span> — "
            f"{text(quote_label)}“{text(f['quote'])}”</div>"
            for _, f in figs.iterrows()
        )
        note = (
            f"<div class='when'>{text(in_lang(p['partner_note'], lang))}</div>"
            if p["partner_note"]
            else ""
        )
        items.append(
            f"<li><span class='type'>{text(kind)}</span> {text(name)} "
            f"<span class='when'>{text(when_text(p, lang))}</span>{fig_lines}{note}"
            f"<blockquote>{text(p['quote'])}</blockquote>"
            f"<div class='src'>{text(t('source', lang) + colon(lang))}"
            f"{text(_source_of(view.full, str(p['source_id']), lang))}</div></li>"
        )
    return f"<ul class='projects'>{''.join(items)}</ul>"


def _step_facts(view: ExportView, step: TourStep) -> str:
    """Level, relation, since when, how many projects: one line."""
    lang = view.lang
    relation = step.relation_zh if lang == "zh" else step.relation_en
    since = f"{t('since', lang)} {step.start_date}" if step.start_date else t("undated", lang)
    count = (
        t("tour_projects", lang).format(n=step.project_count)
        if step.project_count
        else t("tour_no_projects", lang)
    )
    return " · ".join([t(f"level_{step.level}", lang), relation, since, count, step.pairing_id])


def _cover(view: ExportView, steps: list[TourStep], image: bytes, pages: list[int]) -> str:
    lang, shown = view.lang, view.shown()
    meta = "".join(f"<p class='meta'>{text(line)}</p>" for line in head_lines(view))
    headline = headline_text(shown, lang)
    toc_items = "".join(
        f"<li><a href='#{text(s.pairing_id)}'>{text(pair_name(view.full, s.pairing_id, lang))}"
        f"{text(paren(t(f'level_{s.level}', lang), lang))}</a><span class='dots'></span>"
        f"<span class='page'>{n}</span></li>"
        for s, n in zip(steps, pages, strict=True)
    )
    none = f"<p>{text(t('export_no_pairs', lang))}</p>"
    toc = f"<ol class='toc'>{toc_items}</ol>" if steps else none
    sources = "".join(f"<li class='src'>{text(s)}</li>" for s in cited_sources(view))
    return (
        "<section class='atlas-sheet cover'>"
        f"<h1>{text(title(view))}</h1>"
        f"<p>{text(subtitle_text(view.full, view.state.view, lang))}</p>{meta}"
        f"{_img(image)}<p class='meta'>{text(t('export_level_labels', lang))}</p>"
        f"<h2>{text(t('export_contents', lang))}</h2>{toc}"
        + (
            f"<h2>{text(t('export_headline', lang))}</h2><p>{text(headline)}</p>"
            if headline
            else ""
        )
        + f"<h2>{text(t('panel_totals', lang))}</h2>{_totals_table(shown, lang)}"
        f"<h2>{text(t('export_sources', lang))}</h2><ul>{sources}</ul></section>"
    )


def _pair_sheet(view: ExportView, step: TourStep, image: bytes) -> str:
    lang, shown = view.lang, view.shown()
    projects = _pair_projects(shown, step.pairing_id)
    totals = totals_by_measure(figures_of(shown, projects))
    totals_html = (
        f"<h3>{text(t('panel_totals', lang))}</h3><ul>"
        + "".join(f"<li>{text(total_text(x, lang))}</li>" for x in totals)
        + "</ul>"
        if totals
        else ""
    )
    village = (
        f"<p class='meta'>{text(t('village_at_township', lang))}</p>"
        if step.level == "village"
        else ""
    )
    return (
        f"<section class='atlas-sheet pair' id='{text(step.pairing_id)}'>"
        f"<h1>{text(pair_name(view.full, step.pairing_id, lang))}</h1>"
        f"<p class='meta'>{text(_step_facts(view, step))}</p>{_img(image)}{village}"
        f"<blockquote>{text(step.quote)}</blockquote>"
        f"<p class='src'>{text(t('source', lang) + colon(lang) + step.source_in(lang))}</p>"
        f"{totals_html}<h3>{text(t('panel_projects', lang))}"
        f"{text(paren(str(len(projects)), lang))}</h3>{_project_items(view, projects)}"
        "</section>"
    )


def _document(view: ExportView, body: str) -> str:
    lang = "zh-CN" if view.lang == "zh" else "en"
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{text(title(view))}</title><style>{PDF_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def _footer(view: ExportView) -> str:
    label = text(f"{title(view)} · {t('export_page', view.lang)}")
    number = label.replace("{n}", "<span class='pageNumber'></span>")
    return (
        f"<div style='width:100%;text-align:center;font-size:8px;font-family:{text(FONTS)}'>"
        f"{number} / <span class='totalPages'></span></div>"
    )


_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF written by Chromium (its page objects are plain dictionaries)."""
    return len(_PAGE.findall(pdf))


def make_pdf(view: ExportView) -> bytes:
    """Cover (the view's map, contents, headline statements, totals per measure, sources),
    then one section per pair shown (its map zoomed to it, quote, totals, projects with
    figures and quotes, sources); page numbers; A4 portrait; links labelled with their level
    so a black-and-white copy keeps them apart.

    The contents give the page each pair starts on: every section starts a page, so each is
    printed alone first to count its pages."""
    steps = tour_steps(view.shown())
    with Renderer() as r:

        def shot(**changes: object) -> bytes:
            page = map_page(view, still=True, arc_labels=True, **changes)
            return r.screenshot_map(page, *PDF_MAP_SIZE, scale=2, image="jpeg")

        cover_image = shot(focus_pair=view.state.pair)  # the view, not a tour step
        sheets = [
            _pair_sheet(view, s, shot(view="detail", selected=None, focus_pair=s.pairing_id))
            for s in steps
        ]
        footer = _footer(view)
        cover_pages = pdf_page_count(
            r.pdf(_document(view, _cover(view, steps, cover_image, [0] * len(steps))), footer)
        )
        starts = []
        page = 1 + cover_pages
        for sheet in sheets:
            starts.append(page)
            page += pdf_page_count(r.pdf(_document(view, sheet), footer))
        body = _cover(view, steps, cover_image, starts) + "".join(sheets)
        return r.pdf(_document(view, body), footer)


# ---------------------------------------------------------------------------------- PPTX


def _slide_caption(view: ExportView, step: TourStep) -> list[str]:
    lang = view.lang
    lines = [_step_facts(view, step)]
    lines += [total_text(x, lang) for x in step.totals]
    lines.append(t("source", lang) + colon(lang) + step.source_in(lang))
    return lines


def _slide_notes(view: ExportView, step: TourStep) -> str:
    """The quotes behind the slide: the pair's, then each project's (with its title)."""
    lang, shown = view.lang, view.shown()
    lines = [t("export_quotes", lang) + colon(lang), f"“{step.quote}”"]
    for _, p in _pair_projects(shown, step.pairing_id).iterrows():
        name = p["title_zh"] if lang == "zh" else p["title_en"]
        lines.append(f"{name}{colon(lang)}“{p['quote']}”")
    lines.append(t("source", lang) + colon(lang) + step.source_in(lang))
    return "\n".join(lines)


def make_pptx(view: ExportView) -> bytes:
    """One 16:9 slide per tour step: its map, a caption with the key facts and the source,
    the quotes in the speaker notes. With no pair under the filter: one slide of the view
    saying so (a deck is never empty)."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    steps = tour_steps(view.shown())
    lang = view.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def box(
        slide: Any, x: float, y: float, w: float, h: float, lines: list[str], size: int
    ) -> None:
        shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = shape.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(size if i else size + (4 if size >= 18 else 0))
            para.font.bold = i == 0 and size >= 18

    footer = [f"{title(view)} · " + " · ".join(head_lines(view))]
    with Renderer() as r:
        if not steps:
            slide = deck.slides.add_slide(blank)
            image = r.screenshot_map(map_page(view, still=True), *SLIDE_MAP_SIZE, image="jpeg")
            slide.shapes.add_picture(io.BytesIO(image), Inches(0.3), Inches(1.0), Inches(8.4))
            box(slide, 0.3, 0.2, 12.7, 0.8, [title(view)], 24)
            box(slide, 8.9, 1.0, 4.1, 4.7, [t("export_no_pairs", lang)], 16)
            box(slide, 0.3, 6.6, 12.7, 0.8, footer, 10)
        for i, step in enumerate(steps):
            slide = deck.slides.add_slide(blank)
            image = r.screenshot_map(
                map_page(
                    view, still=True, view="detail", selected=None, focus_pair=step.pairing_id
                ),
                *SLIDE_MAP_SIZE,
                image="jpeg",
            )
            slide.shapes.add_picture(io.BytesIO(image), Inches(0.3), Inches(1.1), Inches(8.4))
            counter = t("tour_step", lang).format(i=i + 1, n=len(steps))
            heading = f"{pair_name(view.full, step.pairing_id, lang)}  ·  {counter}"
            box(slide, 0.3, 0.2, 12.7, 0.8, [heading], 26)
            box(slide, 8.9, 1.1, 4.1, 5.3, _slide_caption(view, step), 15)
            box(slide, 0.3, 6.6, 12.7, 0.8, footer, 10)
            slide.notes_slide.notes_text_frame.text = _slide_notes(view, step)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------- entry


def export(view: ExportView, fmt: Format, scale: int = 1) -> ExportFile:
    """The file ``fmt`` of ``view`` (scale: PNG only, 1 or 2)."""
    makers: dict[str, Callable[[], bytes]] = {
        "html": lambda: make_html(view),
        "png": lambda: make_png(view, scale),
        "pdf": lambda: make_pdf(view),
        "pptx": lambda: make_pptx(view),
    }
    suffix = "2x" if fmt == "png" and scale == 2 else ""
    return ExportFile(file_name(view, fmt, suffix), MIME[fmt], makers[fmt]())


def pair_names(view: ExportView) -> list[str]:
    """The pairs a dossier or deck of ``view`` has a page or slide for, by name (in order)."""
    return [pair_name(view.full, s.pairing_id, view.lang) for s in tour_steps(view.shown())]
