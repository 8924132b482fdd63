"""Escaped HTML for tooltips, popups and labels. All text from data passes through here."""

from __future__ import annotations

from html import escape


def text(value: object) -> str:
    """``value`` as HTML text: ``<script>`` shows as characters, quotes cannot end an attribute."""
    return escape("" if value is None else str(value), quote=True)


def lines(*parts: object) -> str:
    """Escaped parts joined by line breaks; empty parts are skipped."""
    return "<br>".join(text(p) for p in parts if p not in (None, ""))
