"""The editor's boundary import in the app (AppTest; uploads are exercised in
tests/browser/test_boundaries.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from store.auth import hash_password
from tests.app.helpers import APP
from ui import editor

PASSWORD = "correct horse battery"


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ATLAS_EDITORS", f"anna:{hash_password(PASSWORD)}")
    editor.gate.clear()
    yield
    editor.gate.clear()


def test_the_import_tab_offers_township_boundaries(editors: None) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "editor"
    at.run()
    at.text_input(key="login-name").input("anna")
    at.text_input(key="login-pw").input(PASSWORD)
    at.button[0].click().run()
    kind = at.selectbox(key="imp-kind")
    assert kind.options[-1] == "乡镇界线"
    kind.set_value("boundaries").run()
    assert not at.exception, at.exception
    labels = [t.label for t in at.text_input]
    assert "来源（提供单位与数据名称）" in labels and "数据日期（YYYY-MM）" in labels
    assert [c.label for c in at.checkbox] == ["修复无效（自相交）的面（shapely make_valid）"]
    # The sheet import's merge mode and encoding do not apply to a boundary file.
    assert "imp-mode" not in at.session_state and "imp-encoding" not in at.session_state
    assert any(".prj" in c.value for c in at.caption)
