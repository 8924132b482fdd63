"""The offline HTML file; the code lives in layers/offline.py (pure, shared with the exports)."""

from __future__ import annotations

from layers.offline import VENDOR_DIR, standalone_html

__all__ = ["VENDOR_DIR", "standalone_html"]
