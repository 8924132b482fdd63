"""The map as one self-contained HTML file for meetings with no internet.

Every vendored script and style sheet the map references is inlined, and the small images the
style sheets use (control icons) become data URIs; web fonts (Font Awesome, for marker icons the
atlas does not draw) are left out. The file draws by double-click, with no server and no network.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import folium

from layers.vendor import STATIC_URL_PREFIX

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"

_SCRIPT = re.compile(r'<script src="' + re.escape(STATIC_URL_PREFIX) + r'([^"]+)"></script>')
_STYLE = re.compile(
    r'<link rel="stylesheet" href="' + re.escape(STATIC_URL_PREFIX) + r'([^"]+)"\s*/>'
)


def standalone_html(m: folium.Map, vendor_dir: Path = VENDOR_DIR) -> str:
    """Render ``m`` (localized to STATIC_URL_PREFIX) and inline its vendored assets."""
    html = m.get_root().render()

    def read(rel: str) -> str:
        path = (vendor_dir / rel).resolve()
        if vendor_dir.resolve() not in path.parents:  # never follow a path out of vendor/
            raise ValueError(f"asset outside vendor dir: {rel}")
        return path.read_text(encoding="utf-8")

    html = _SCRIPT.sub(
        lambda mt: "<script>" + read(mt.group(1)).replace("</script", "<\\/script") + "</script>",
        html,
    )
    html = _STYLE.sub(
        lambda mt: (
            "<style>"
            + _inline_images(read(mt.group(1)), (vendor_dir / mt.group(1)).parent)
            + "</style>"
        ),
        html,
    )
    return html


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+\.(svg|png))['\"]?\s*\)")
_MIME = {"svg": "image/svg+xml", "png": "image/png"}


def _inline_images(css: str, base: Path) -> str:
    """Replace url(relative.svg|png) with data URIs (files under 64 KB next to the CSS)."""

    def repl(mt: re.Match[str]) -> str:
        path = (base / mt.group(1)).resolve()
        if not path.is_file() or path.stat().st_size > 65_536 or base.resolve() not in path.parents:
            return mt.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:{_MIME[mt.group(2)]};base64,{data})"

    return _CSS_URL.sub(repl, css)
