"""The editor role in the app: viewers never see editor controls nor reach editor actions;
a login with the configured (hashed) credentials opens the editor's page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from store.auth import hash_password
from tests.app.helpers import APP, run_app
from ui import editor

PASSWORD = "correct horse battery"


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ATLAS_EDITORS", f"anna:{hash_password(PASSWORD)}")
    editor.gate.clear()
    yield
    editor.gate.clear()


def _editor_controls(at: AppTest) -> list[str]:
    labels = [b.label for b in at.button] + [s.label for s in at.selectbox]
    return [x for x in labels if any(w in x for w in ("应用", "回滚", "Apply", "Roll back"))]


def test_no_editor_configured_says_how_to_configure() -> None:
    editor.gate.clear()
    at = run_app(page="editor")
    assert any("ATLAS_EDITORS" in i.value for i in at.info)
    assert not at.text_input and not _editor_controls(at)


def test_the_viewers_page_has_no_editor_controls(editors: None) -> None:
    at = run_app()
    assert not _editor_controls(at)
    for key in ("_editor_name", "imp-kind", "imp-file", "ver-rollback", "tpl-download"):
        assert key not in at.session_state


def test_login_is_required_and_the_url_cannot_grant_it(editors: None) -> None:
    at = run_app(page="editor", _editor_name="anna", editor="anna")
    assert [t.label for t in at.text_input] == ["名字", "密码"]
    assert not at.tabs and not _editor_controls(at)
    with pytest.raises(PermissionError):
        editor.require_editor()  # outside a logged-in session: no editor


def test_wrong_password_is_refused_then_slows_down(editors: None) -> None:
    at = run_app(page="editor")
    for attempt in range(3):
        at.text_input(key="login-name").input("anna")
        at.text_input(key="login-pw").input(f"wrong-{attempt}")
        at.button[0].click().run()
        assert not at.tabs
    assert any("名字或密码不对" in e.value for e in at.error)
    at.text_input(key="login-name").input("anna")
    at.text_input(key="login-pw").input(PASSWORD)
    at.button[0].click().run()
    assert not at.tabs  # even the right password waits after three failures
    assert any("秒后再试" in e.value for e in at.error)


def test_login_opens_the_editors_page(editors: None) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "editor"
    at.query_params["lang"] = "en"
    at.run()
    at.text_input(key="login-name").input("anna")
    at.text_input(key="login-pw").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["Import", "Versions", "Template"]
    assert any("Editor: anna" in c.value for c in at.caption)
