"""Escape text from data for st.markdown: it shows as typed, never as markup or links."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$])")


def md(value: object) -> str:
    """Data text safe inside st.markdown: HTML-escaped and markdown characters backslashed."""
    text = html.escape("" if value is None else str(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")
