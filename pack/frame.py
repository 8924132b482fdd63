"""The frame drawn around an exported map: title, view, filters in words, data version, date
above; the sources below. The legend is the map's own (bottom right). All text is escaped."""

from __future__ import annotations

import re

from geo.i18n import colon, t
from layers.html import text
from pack.view import (
    ExportView,
    cited_sources,
    data_version,
    filters_text,
    made_text,
    title,
    view_name,
)

FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", sans-serif'
)
FRAME_CSS = f"""
html, body {{ height: 100%; margin: 0; }}
body {{ display: flex; flex-direction: column; background: #fff; color: #111;
  font-family: {FONTS}; }}
.folium-map {{ flex: 1 1 auto; position: relative !important; width: 100% !important;
  height: auto !important; min-height: 0; }}
.atlas-frame-head {{ flex: none; padding: 10px 24px 8px; border-bottom: 3px solid #b3261e; }}
.atlas-frame-head h1 {{ margin: 0; font-size: 30px; line-height: 1.25; }}
.atlas-frame-head p {{ margin: 3px 0 0; font-size: 17px; line-height: 1.35; }}
.atlas-frame-foot {{ flex: none; padding: 6px 24px 8px; font-size: 13px; line-height: 1.4;
  color: #222; border-top: 1px solid #888; }}
"""
LANG_TAG = {"zh": "zh-CN", "en": "en"}


def head_lines(view: ExportView) -> list[str]:
    """The lines under the title: view, filters, data version and export date."""
    return [
        f"{view_name(view)} · {filters_text(view)}",
        f"{data_version(view)} · {made_text(view)}",
    ]


def framed(map_page: str, view: ExportView) -> str:
    """``map_page`` (a whole HTML page holding one atlas map) with the frame, the page title
    and the language: ``<title>``, a head band and a foot band (the map fills the rest)."""
    lines = "".join(f"<p>{text(line)}</p>" for line in head_lines(view))
    head = f"<header class='atlas-frame-head'><h1>{text(title(view))}</h1>{lines}</header>"
    foot = (
        "<footer class='atlas-frame-foot'>"
        + text(_sources_label(view) + " · ".join(cited_sources(view)))
        + "</footer>"
    )
    meta = (
        f"<title>{text(title(view))}</title>"
        f"<meta name='atlas-filters' content='{text(filters_text(view))}'>"
        f"<meta name='atlas-data-version' content='{text(data_version(view))}'>"
        f"<style>{FRAME_CSS}</style>"
    )
    page = re.sub(r"<html[^>]*>", f'<html lang="{LANG_TAG[view.lang]}">', map_page, count=1)
    page = page.replace("</head>", meta + "</head>", 1)
    page = page.replace("<body>", "<body>" + head, 1)
    return page.replace("</body>", foot + "</body>", 1)


def _sources_label(view: ExportView) -> str:
    return t("export_sources", view.lang) + colon(view.lang)
