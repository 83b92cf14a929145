"""A failed sign-in keeps the editor's name and empties only the password (qa10): the form was
cleared whole, so a person retyping only the mistyped password was told "give your editor name"."""

from __future__ import annotations

import pytest

from apptest_helpers import app
from needs_tracker import auth

pytestmark = pytest.mark.usefixtures("fresh_streamlit")
PASSWORD = "retry-pass-1540"


@pytest.fixture
def editing(dashboard_store, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{auth.hash_password(PASSWORD)}")
    return dashboard_store


def test_a_wrong_password_keeps_the_name_and_a_retyped_password_signs_in(editing):
    at = app("review")
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input("not-the-password")
    at.button(key="auth_sign_in").click().run()
    assert [e.value for e in at.error] == ["wrong name or password"]
    assert at.text_input(key="auth_name").value == "Ana"
    assert at.text_input(key="auth_password").value == ""  # a password is never kept on the page

    at.text_input(key="auth_password").input(PASSWORD)  # the name is not typed again
    at.button(key="auth_sign_in").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "auth_sign_out" in [b.key for b in at.button]


def test_a_successful_sign_in_leaves_no_password_in_the_session(editing):
    at = app("review")
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    assert "auth_sign_out" in [b.key for b in at.button]
    assert at.session_state["auth_password"] == ""
    assert "nt_auth_attempt" not in at.session_state  # the attempt is taken once, not kept
