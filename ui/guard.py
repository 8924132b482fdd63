"""The last line of defence: an error nobody foresaw is logged in full on the server and shown
to the visitor as a short bilingual message (no traceback, no server path).

Streamlit's own error display is also turned down (``client.showErrorDetails = "none"`` in
``.streamlit/config.toml``), so even an error outside this guard shows no details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

UNEXPECTED = (
    "页面出现意外错误，详情已记录在服务器日志中。请刷新页面；如仍出错，请联系数据管理员。\n\n"
    "Unexpected error while drawing the page; the details are in the server log. Reload the "
    "page; if it happens again, contact the data administrator."
)


def logger() -> logging.Logger:
    """The atlas's server-side log (stderr of `streamlit run`), set up once."""
    log = logging.getLogger("atlas")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def run_guarded(page: Callable[[], None]) -> None:
    """Run ``page``; any exception (not Streamlit's own rerun/stop signals, which are not
    ``Exception``) is logged with its traceback and replaced by :data:`UNEXPECTED`."""
    try:
        page()
    except Exception:
        logger().exception("unexpected error while drawing the page")
        st.error(UNEXPECTED)
