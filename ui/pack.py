"""The Export menu under the map: the current view as HTML, PNG (1x, 2x), PDF or PPTX.

Each file is made only when its button is clicked (``st.download_button`` with a callable: the
button shows a spinner while the file is made). The files come from ``pack/``, the code the
command line uses. Without Chromium the menu says which package to install and still offers
the offline HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import streamlit as st

from geo.atlas import Atlas
from geo.display import DisplayGeometry
from geo.i18n import t
from pack.chromium import chromium_available
from pack.files import MIME, Format, export
from pack.view import ExportView, file_name
from ui.guard import logger
from ui.urlstate import ViewState, to_query

log = logger().getChild("export")

# (format, PNG scale, label key): the menu's buttons after the HTML one.
PICTURES: tuple[tuple[Format, int, str], ...] = (
    ("png", 1, "export_png"),
    ("png", 2, "export_png2"),
    ("pdf", 1, "export_pdf"),
    ("pptx", 1, "export_pptx"),
)


def export_bytes(view: ExportView, fmt: Format, scale: int = 1) -> bytes:
    """The app's export function: the file's bytes, made on a thread of its own (Playwright's
    synchronous API refuses a thread where an asyncio loop runs; this holds wherever the
    caller runs). A failure is logged here; Streamlit then shows the button's own error."""
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(export, view, fmt, scale).result().data
    except Exception:
        log.exception("export %s failed for %s", fmt, to_query(view.state))
        raise


def export_menu(
    full: Atlas,
    display: DisplayGeometry,
    state: ViewState,
    width_by: str | None = None,
    step: str | None = None,
) -> None:
    """The menu for the view on screen (``step``: the tour step shown in presentation)."""
    lang = state.lang
    view = ExportView(full, display, state, width_by or None, step)
    # The view the menu exports (tests compare its files with the command line's).
    st.session_state["_export_view"] = view
    with st.popover(f"⬇ {t('export_menu', lang)}", key="atlas-export"):
        st.caption(t("export_wait", lang))
        st.download_button(
            t("download_html", lang),
            data=lambda: export_bytes(view, "html"),
            file_name=file_name(view, "html"),
            mime=MIME["html"],
            key="download_html",
            on_click="ignore",
        )
        available = chromium_available()
        if not available:
            st.warning(t("export_no_chromium", lang))
        for fmt, scale, key in PICTURES:
            st.download_button(
                t(key, lang),
                data=_maker(view, fmt, scale),
                file_name=file_name(view, fmt, "2x" if scale == 2 else ""),
                mime=MIME[fmt],
                key=f"download_{fmt}_{scale}",
                on_click="ignore",
                disabled=not available,
            )


def _maker(view: ExportView, fmt: Format, scale: int) -> Callable[[], bytes]:
    """A callable per button (a lambda in the loop would see the last format only)."""
    return lambda: export_bytes(view, fmt, scale)
