"""Editor sign-in: password hashes, constant-time checks, lockout, and the unforgeable Editor."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys

import pytest

from needs_tracker import auth
from needs_tracker.errors import PermissionDenied

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return auth.hash_password(PASSWORD)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hash_has_scrypt_format_and_a_fresh_salt(stored_hash):
    parts = stored_hash.split("$")
    assert parts[0] == "scrypt" and len(parts) == 6
    assert auth.hash_password(PASSWORD) != stored_hash  # new salt each time


def test_verify_accepts_only_the_right_password(stored_hash):
    assert auth.verify_password(PASSWORD, stored_hash)
    assert not auth.verify_password(PASSWORD + "x", stored_hash)
    assert not auth.verify_password("", stored_hash)


def test_pbkdf2_hashes_are_accepted_too():
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"pw-123456", salt, 1000, 32)
    stored = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert auth.verify_password("pw-123456", stored)
    assert not auth.verify_password("pw-1234567", stored)


def test_comparison_is_constant_time(stored_hash, monkeypatch):
    calls = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    auth.verify_password("wrong", stored_hash)
    assert calls


@pytest.mark.parametrize("bad", ["", "plain-text-password", "scrypt$1$2$3", "scrypt$16384$8$1$!!!$abc",
                                 "md5$abc$def", "scrypt$3$8$1$YWJj$YWJj"])
def test_malformed_hash_says_how_to_make_one(bad):
    with pytest.raises(auth.InvalidPasswordHash, match="python -m needs_tracker.auth hash"):
        auth.verify_password("x", bad)


def test_sign_in_returns_an_editor_named_for_the_audit(stored_hash):
    editor = auth.sign_in_with_password(PASSWORD, name="  Ana   Silva ", stored_hash=stored_hash,
                                        lockout=auth.Lockout())
    assert editor.name == "Ana Silva" and editor.method == "password"
    assert editor.actor == "Ana Silva (password)"
    assert auth.require_editor(editor) is editor


def test_sign_in_refuses_wrong_password_missing_name_and_no_configuration(stored_hash):
    lock = auth.Lockout()
    with pytest.raises(PermissionDenied, match="wrong password"):
        auth.sign_in_with_password("nope", name="Ana", stored_hash=stored_hash, lockout=lock)
    with pytest.raises(PermissionDenied, match="give your name"):
        auth.sign_in_with_password(PASSWORD, name=" ", stored_hash=stored_hash, lockout=lock)
    with pytest.raises(PermissionDenied, match="not configured"):
        auth.sign_in_with_password(PASSWORD, name="Ana", stored_hash=None, lockout=lock)


def test_lockout_after_repeated_failures_even_for_the_right_password(stored_hash):
    clock = FakeClock()
    lock = auth.Lockout(max_failures=3, window=60, lock_seconds=120, clock=clock)
    for _ in range(2):
        with pytest.raises(PermissionDenied, match="wrong password$"):
            auth.sign_in_with_password("bad", name="x", stored_hash=stored_hash, lockout=lock)
    with pytest.raises(PermissionDenied, match="locked"):
        auth.sign_in_with_password("bad", name="x", stored_hash=stored_hash, lockout=lock)
    with pytest.raises(PermissionDenied, match="too many failed"):
        auth.sign_in_with_password(PASSWORD, name="x", stored_hash=stored_hash, lockout=lock)
    clock.now += 121
    assert auth.sign_in_with_password(PASSWORD, name="x", stored_hash=stored_hash, lockout=lock)


def test_failures_outside_the_window_do_not_add_up(stored_hash):
    clock = FakeClock()
    lock = auth.Lockout(max_failures=2, window=60, lock_seconds=120, clock=clock)
    for _ in range(3):
        with pytest.raises(PermissionDenied, match="wrong password$"):
            auth.sign_in_with_password("bad", name="x", stored_hash=stored_hash, lockout=lock)
        clock.now += 61
    assert lock.remaining_lock() == 0


def test_an_editor_cannot_be_made_without_signing_in():
    with pytest.raises(PermissionDenied):
        auth.Editor("mallory", "password")
    with pytest.raises(PermissionDenied):
        auth.Editor("mallory", "password", object())
    forged = object.__new__(auth.Editor)
    object.__setattr__(forged, "name", "mallory")
    object.__setattr__(forged, "method", "password")
    object.__setattr__(forged, "_token", None)
    for fake in (None, "admin", forged, {"name": "x"}):
        with pytest.raises(PermissionDenied):
            auth.require_editor(fake)


def test_identity_sign_in_honours_the_editors_list():
    assert auth.sign_in_with_identity("ana@example.org").actor == "ana@example.org"
    assert auth.sign_in_with_identity("Ana@Example.org", allowed=["ana@example.org"])
    with pytest.raises(PermissionDenied, match="not on the editors list"):
        auth.sign_in_with_identity("bob@example.org", allowed=["ana@example.org"])
    with pytest.raises(PermissionDenied):
        auth.sign_in_with_identity(None)


def test_configured_hash_env_wins_over_secrets(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_HASH_ENV, raising=False)
    assert auth.configured_password_hash(None) is None
    assert auth.configured_password_hash({auth.PASSWORD_HASH_SECRET: "scrypt$from-secrets"}) == "scrypt$from-secrets"

    class Broken:
        def get(self, key):
            raise FileNotFoundError("no secrets.toml")

    assert auth.configured_password_hash(Broken()) is None
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, "scrypt$from-env")
    assert auth.configured_password_hash({auth.PASSWORD_HASH_SECRET: "scrypt$from-secrets"}) == "scrypt$from-env"


def test_hash_command_prints_a_hash_that_verifies():
    out = subprocess.run([sys.executable, "-m", "needs_tracker.auth", "hash"], input="a long password\n",
                         capture_output=True, text=True, check=True)
    hashed = out.stdout.strip()
    assert auth.verify_password("a long password", hashed)
    assert auth.PASSWORD_HASH_ENV in out.stderr and auth.PASSWORD_HASH_SECRET in out.stderr


def test_hash_command_refuses_a_short_password():
    out = subprocess.run([sys.executable, "-m", "needs_tracker.auth", "hash"], input="short\n",
                         capture_output=True, text=True)
    assert out.returncode == 1 and not out.stdout


def test_core_write_path_does_not_import_streamlit():
    code = ("import sys, needs_tracker.auth, needs_tracker.review; "
            "assert 'streamlit' not in sys.modules, 'streamlit imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
