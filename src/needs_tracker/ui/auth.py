"""Editor sign-in for the dashboard; the checks themselves live in ``needs_tracker.auth``.

Three set-ups, picked from configuration:
- ``[auth]`` in .streamlit/secrets.toml: ``st.login`` with that OpenID provider; only verified
  addresses on the ``editors = ["a@example.org"]`` list may edit.
- else one password hash per named editor, in $NEEDS_TRACKER_EDITOR_PASSWORD_HASH
  (``name:hash;name:hash``) or an ``[editor_passwords]`` table in secrets: a sign-in form
  (editor name + password), with the core's lockout counted per client.
- else nobody can edit, and the pages say how to turn editing on.
The signed-in ``Editor`` is kept in ``st.session_state`` for the browser session and checked
against the configured hash on every run, so changing an editor's hash signs them out.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from needs_tracker import auth
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.ui.common import error_text, md_escape

SESSION_KEY = "needs_tracker_editor"

HOW_TO_ENABLE = (
    "Editing is off: no editor is configured, so this dashboard is read-only. To turn editing on, "
    "make each editor a password hash with `python -m needs_tracker.auth hash --name NAME` and put it in "
    f"`.streamlit/secrets.toml` under `[{auth.PASSWORD_HASH_SECRET}]` or in the environment as "
    f"`{auth.PASSWORD_HASH_ENV}='name:hash;name:hash'`; or configure an OpenID provider in an `[auth]` "
    "section of `.streamlit/secrets.toml` with an `editors` list, to sign editors in with `st.login`. "
    "Then restart the dashboard."
)


def _secrets() -> Mapping | None:
    try:
        secrets = st.secrets
        secrets.keys()  # raises when there is no secrets file
        return secrets
    except Exception:
        return None


def auth_mode() -> str | None:
    """'oidc', 'password', or None when no editor is configured."""
    secrets = _secrets()
    if secrets is not None and "auth" in secrets:
        return "oidc"
    if _password_hashes():
        return "password"
    return None


def _password_hashes() -> dict[str, str]:
    try:
        return auth.configured_password_hashes(_secrets())
    except NeedsTrackerError as exc:  # a malformed setting: say so once, edit nothing
        st.error(error_text(exc))
        return {}


def _client_key() -> str:
    """Who is guessing: the browser's address where Streamlit knows it, else this session."""
    address = getattr(st.context, "ip_address", None)
    if address:
        return address
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "unknown"


def current_editor() -> auth.Editor | None:
    """The signed-in editor of this browser session, or None for a viewer."""
    mode = auth_mode()
    if mode == "oidc":
        user = getattr(st, "user", None)
        if user is None or not getattr(user, "is_logged_in", False):
            return None
        secrets = _secrets() or {}
        try:
            return auth.sign_in_with_identity(user.get("email"), email_verified=user.get("email_verified"),
                                              allowed=secrets.get(auth.EDITORS_SECRET))
        except NeedsTrackerError:
            return None
    editor = st.session_state.get(SESSION_KEY)
    if mode == "password" and isinstance(editor, auth.Editor):
        if editor.still_valid(_password_hashes()):
            return editor
        st.session_state.pop(SESSION_KEY, None)  # the hash changed: sign in again
    return None


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if auth_mode() == "oidc" and getattr(getattr(st, "user", None), "is_logged_in", False):
        st.logout()


def _oidc_provider(secrets: Mapping) -> str | None:
    """st.login's provider argument: None for a single provider configured directly under [auth]."""
    section = secrets.get("auth", {})
    if "client_id" in section:
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping)]
    return named[0] if named else None


ATTEMPT_KEY = "nt_auth_attempt"


def _take_attempt() -> None:
    """The sign-in form's values, taken when it is sent; the password field is emptied and the name
    kept, so a mistyped password is typed again alone (clearing the whole form on a failure made a
    person retyping only the password read "give your editor name", qa10)."""
    st.session_state[ATTEMPT_KEY] = (st.session_state.get("auth_name", ""), st.session_state.get("auth_password", ""))
    st.session_state["auth_password"] = ""


def editor_block(*, what: str = "change the store") -> auth.Editor | None:
    """Show who is signed in (with sign out), or the sign-in, or the read-only notice.

    Returns the editor, or None for a viewer. Pages render their editing controls only
    when this returns an editor.
    """
    editor = current_editor()
    if editor is not None:
        left, right = st.columns([5, 1])
        left.caption(f"Signed in as **{md_escape(editor.name)}** — your changes are recorded in the audit log.")
        if right.button("Sign out", key="auth_sign_out"):
            sign_out()
            st.rerun()
        return editor

    mode = auth_mode()
    if mode is None:
        st.info(HOW_TO_ENABLE)
        return None
    if mode == "oidc":
        user = getattr(st, "user", None)
        if user is not None and getattr(user, "is_logged_in", False):
            try:
                auth.sign_in_with_identity(user.get("email"), email_verified=user.get("email_verified"),
                                           allowed=(_secrets() or {}).get(auth.EDITORS_SECRET))
            except NeedsTrackerError as exc:
                st.warning(f"{error_text(exc)}; you can read everything but change nothing.")
            return None
        st.caption(f"Viewing read-only. Editors sign in to {what}.")
        if st.button("Sign in as editor", key="auth_login"):
            try:
                st.login(_oidc_provider(_secrets() or {}))
            except Exception as exc:  # missing Authlib, unreachable provider...
                st.error(f"sign-in is not available: {md_escape(exc)}")
        return None

    st.caption(f"Viewing read-only. Editors sign in to {what}.")
    with st.expander("Editor sign-in"):
        with st.form("auth_form"):
            st.text_input("Editor name", key="auth_name")
            st.text_input("Editor password", type="password", key="auth_password")
            st.form_submit_button("Sign in", key="auth_sign_in", on_click=_take_attempt)
        attempt = st.session_state.pop(ATTEMPT_KEY, None)
        if attempt is not None:
            name, password = attempt
            try:
                editor = auth.sign_in_with_password(password, name=name, hashes=_password_hashes(),
                                                    client=_client_key())
            except NeedsTrackerError as exc:
                st.error(error_text(exc))
                return None
            st.session_state[SESSION_KEY] = editor
            st.rerun()
    return None
