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
    digest = hashlib.pbkdf2_hmac("sha256", b"pw-123456", salt, auth.MIN_PBKDF2_ITERATIONS, 32)
    stored = (f"pbkdf2_sha256${auth.MIN_PBKDF2_ITERATIONS}${base64.b64encode(salt).decode()}$"
              f"{base64.b64encode(digest).decode()}")
    assert auth.verify_password("pw-123456", stored)
    assert not auth.verify_password("pw-1234567", stored)


def test_comparison_is_constant_time(stored_hash, monkeypatch):
    calls = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    auth.verify_password("wrong", stored_hash)
    assert calls


def _b(data: bytes) -> str:
    return base64.b64encode(data).decode()


SALT, KEY = b"s" * 16, b"k" * 32


@pytest.mark.parametrize("bad", ["", "plain-text-password", "scrypt$1$2$3", "scrypt$16384$8$1$!!!$abc",
                                 "md5$abc$def", "scrypt$3$8$1$YWJj$YWJj",
                                 # weak parameters are refused, not trusted
                                 "scrypt$16384$8$1$$" + _b(KEY),  # empty salt
                                 f"scrypt$16384$8$1${_b(SALT)}${_b(b'k')}",  # a 1-byte key
                                 f"scrypt$1024$8$1${_b(SALT)}${_b(KEY)}",  # N below 2**14
                                 f"scrypt$16384$1$1${_b(SALT)}${_b(KEY)}",  # r below 8
                                 f"pbkdf2_sha256$1000${_b(SALT)}${_b(KEY)}",  # 1,000 iterations
                                 f"pbkdf2_sha256$600000${_b(b'short')}${_b(KEY)}"])
def test_malformed_or_weak_hash_says_how_to_make_one(bad):
    with pytest.raises(auth.InvalidPasswordHash, match="python -m needs_tracker.auth hash"):
        auth.verify_password("x", bad)


def fresh_locks(clock=None) -> tuple[auth.Lockout, auth.Lockout]:
    kwargs = {"clock": clock} if clock else {}
    return (auth.Lockout(max_attempts=3, window=60, lock_seconds=120, **kwargs),
            auth.Lockout(max_attempts=20, window=60, lock_seconds=60, **kwargs))


def test_sign_in_returns_the_configured_editor_for_the_audit(stored_hash):
    editor = auth.sign_in_with_password(PASSWORD, name="  ana   SILVA ", hashes={"Ana Silva": stored_hash},
                                        lockouts=fresh_locks())
    assert editor.name == "Ana Silva" and editor.method == "password"  # the configured name, not the typed one
    assert editor.actor == "Ana Silva (password)"
    assert auth.require_editor(editor) is editor


def test_sign_in_refuses_wrong_password_unknown_name_missing_name_and_no_configuration(stored_hash):
    locks = fresh_locks()
    hashes = {"Ana": stored_hash}
    with pytest.raises(PermissionDenied, match="wrong name or password$"):
        auth.sign_in_with_password("nope", name="Ana", hashes=hashes, lockouts=locks)
    with pytest.raises(PermissionDenied, match="wrong name or password$"):
        auth.sign_in_with_password(PASSWORD, name="Mallory", hashes=hashes, lockouts=fresh_locks())
    with pytest.raises(PermissionDenied, match="give your editor name"):
        auth.sign_in_with_password(PASSWORD, name=" ", hashes=hashes, lockouts=locks)
    with pytest.raises(PermissionDenied, match="not configured"):
        auth.sign_in_with_password(PASSWORD, name="Ana", hashes={}, lockouts=locks)


def test_lockout_after_repeated_failures_even_for_the_right_password(stored_hash):
    clock = FakeClock()
    locks = fresh_locks(clock)
    hashes = {"x": stored_hash}
    for _ in range(2):
        with pytest.raises(PermissionDenied, match="wrong name or password$"):
            auth.sign_in_with_password("bad", name="x", hashes=hashes, client="a", lockouts=locks)
    with pytest.raises(PermissionDenied, match="locked"):
        auth.sign_in_with_password("bad", name="x", hashes=hashes, client="a", lockouts=locks)
    with pytest.raises(PermissionDenied, match="too many failed"):
        auth.sign_in_with_password(PASSWORD, name="x", hashes=hashes, client="a", lockouts=locks)
    # another client (the real editor) is not locked out by a guesser's failures
    assert auth.sign_in_with_password(PASSWORD, name="x", hashes=hashes, client="b", lockouts=locks)
    clock.now += 121
    assert auth.sign_in_with_password(PASSWORD, name="x", hashes=hashes, client="a", lockouts=locks)


def test_parallel_guesses_are_reserved_before_any_is_verified(stored_hash, monkeypatch):
    """40 guesses at once from one client: only the first few reach the (slow) password check."""
    from concurrent.futures import ThreadPoolExecutor

    verified = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda p, s: verified.append(1) or real(p, s))
    locks = (auth.Lockout(max_attempts=5), auth.Lockout(max_attempts=100))

    def guess(i: int) -> str:
        try:
            auth.sign_in_with_password(f"guess {i}", name="x", hashes={"x": stored_hash}, client="c",
                                       lockouts=locks)
        except PermissionDenied as exc:
            return str(exc)
        return "signed in"

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(guess, range(40)))
    assert len(verified) == 5
    assert sum(a.startswith("too many failed") for a in answers) == 35  # refused unverified


def test_many_clients_guessing_one_name_hit_the_name_ceiling(stored_hash):
    locks = (auth.Lockout(max_attempts=5), auth.Lockout(max_attempts=3, window=60, lock_seconds=60))
    for client in ("a", "b", "c"):
        with pytest.raises(PermissionDenied, match="wrong"):
            auth.sign_in_with_password("bad", name="x", hashes={"x": stored_hash}, client=client, lockouts=locks)
    with pytest.raises(PermissionDenied, match="^too many failed"):
        auth.sign_in_with_password(PASSWORD, name="x", hashes={"x": stored_hash}, client="d", lockouts=locks)


def test_failures_outside_the_window_do_not_add_up(stored_hash):
    clock = FakeClock()
    locks = fresh_locks(clock)
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="wrong name or password$"):
            auth.sign_in_with_password("bad", name="x", hashes={"x": stored_hash}, lockouts=locks)
        clock.now += 61
    assert locks[0].remaining_lock("client:local") == 0


def test_a_changed_hash_ends_the_session(stored_hash):
    editor = auth.sign_in_with_password(PASSWORD, name="Ana", hashes={"Ana": stored_hash}, lockouts=fresh_locks())
    assert editor.still_valid({"Ana": stored_hash})
    assert not editor.still_valid({"Ana": auth.hash_password(PASSWORD)})  # same password, new hash
    assert not editor.still_valid({"Bob": stored_hash})


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


def test_identity_sign_in_needs_a_verified_address_on_the_editors_list():
    allowed = ["ana@example.org"]
    assert auth.sign_in_with_identity("Ana@Example.org", email_verified=True, allowed=allowed).actor == \
        "Ana@Example.org"
    with pytest.raises(PermissionDenied, match="not on the editors list"):
        auth.sign_in_with_identity("bob@example.org", email_verified=True, allowed=allowed)
    with pytest.raises(PermissionDenied, match="not verified"):
        auth.sign_in_with_identity("ana@example.org", email_verified=False, allowed=allowed)
    with pytest.raises(PermissionDenied, match="not verified"):
        auth.sign_in_with_identity("ana@example.org", email_verified=None, allowed=allowed)
    with pytest.raises(PermissionDenied, match="no editors list"):
        auth.sign_in_with_identity("ana@example.org", email_verified=True, allowed=None)
    with pytest.raises(PermissionDenied):
        auth.sign_in_with_identity(None, email_verified=True, allowed=allowed)


def test_configured_hashes_from_env_win_over_secrets(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_HASH_ENV, raising=False)
    assert auth.configured_password_hashes(None) == {}
    secrets = {auth.PASSWORD_HASH_SECRET: {"Ana": "scrypt$from-secrets"}}
    assert auth.configured_password_hashes(secrets) == {"Ana": "scrypt$from-secrets"}

    class Broken:
        def get(self, key):
            raise FileNotFoundError("no secrets.toml")

    assert auth.configured_password_hashes(Broken()) == {}
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, "Ana:scrypt$a; Bob Lee :scrypt$b;")
    assert auth.configured_password_hashes(secrets) == {"Ana": "scrypt$a", "Bob Lee": "scrypt$b"}


def test_a_shared_unnamed_hash_is_refused_with_the_way_to_name_it(monkeypatch, stored_hash):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, stored_hash)
    with pytest.raises(auth.InvalidPasswordHash, match="must name each editor: 'name:hash"):
        auth.configured_password_hashes(None)


def test_hash_command_prints_a_named_hash_that_verifies():
    out = subprocess.run([sys.executable, "-m", "needs_tracker.auth", "hash", "--name", "Ana Silva"],
                         input="a long password\n", capture_output=True, text=True, check=True)
    name, hashed = out.stdout.strip().split(":", 1)
    assert name == "Ana Silva"
    assert auth.verify_password("a long password", hashed)
    assert auth.PASSWORD_HASH_ENV in out.stderr and auth.PASSWORD_HASH_SECRET in out.stderr


def test_hash_command_refuses_a_short_password():
    out = subprocess.run([sys.executable, "-m", "needs_tracker.auth", "hash", "--name", "Ana"], input="short\n",
                         capture_output=True, text=True)
    assert out.returncode == 1 and not out.stdout
