"""Who may change the store: editor password hashes, sign-in with lockout, and the ``Editor`` token.

Anyone may read; every write in ``needs_tracker.review`` takes an ``Editor`` and refuses
anything else. An ``Editor`` can only be made here, by a successful verification (a password
checked against a stored hash, or an identity an OpenID provider vouched for), so a caller
cannot reach a write function around the sign-in by accident. This is a guard against
mistakes and against the UI being bypassed, not a sandbox: code running in the same Python
process could forge anything.

Password hashes look like ``scrypt$16384$8$1$<salt b64>$<hash b64>``; make one with
``python -m needs_tracker.auth hash``. Passwords are compared in constant time.

Failed attempts are counted in-process (``Lockout``), not in the store: writing each
failure would take DuckDB's per-process write lock and contend with a running ingest,
and failures are not data changes. The cost is that a restart resets the counter, which
still bounds a guesser to a few tries per window per server run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from . import config
from .errors import NeedsTrackerError, PermissionDenied

PASSWORD_HASH_ENV = "NEEDS_TRACKER_EDITOR_PASSWORD_HASH"
PASSWORD_HASH_SECRET = "editor_password_hash"
EDITORS_SECRET = "editors"  # optional allow-list of e-mail addresses for st.login sign-in

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_PBKDF2_ITERATIONS = 600_000
_MINT = object()  # only this module holds it; an Editor without it is refused


class InvalidPasswordHash(NeedsTrackerError):
    """The configured editor password hash is not one this module wrote."""


@dataclass(frozen=True)
class Editor:
    """A person allowed to change the store. Made only by ``sign_in_*`` in this module."""

    name: str
    method: str  # "password", "oidc" or "local" (the command line, which already owns the file)
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _MINT:
            raise PermissionDenied("an Editor is only created by signing in")

    @property
    def actor(self) -> str:
        """The name the audit log records."""
        return self.name if self.method == "oidc" else f"{self.name} ({self.method})"


def require_editor(editor: object) -> Editor:
    """Return ``editor`` if it came from a sign-in, else raise PermissionDenied."""
    if not isinstance(editor, Editor) or editor._token is not _MINT:
        raise PermissionDenied("only a signed-in editor can change the store; viewers can only read")
    return editor


# --- password hashes ---------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def hash_password(password: str) -> str:
    """A salted scrypt hash in the form ``scrypt$N$r$p$salt$hash``."""
    if not password:
        raise ValueError("the password is empty")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P,
                            dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _derive(password: str, stored: str) -> tuple[bytes, bytes]:
    """(derived key for ``password``, expected key) under the parameters in ``stored``."""
    parts = stored.strip().split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            salt, expected = _unb64(parts[4]), _unb64(parts[5])
            if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and expected):
                raise ValueError("parameters out of range")
            got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                                 maxmem=256 * 1024 * 1024)
            return got, expected
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            salt, expected = _unb64(parts[2]), _unb64(parts[3])
            if not (1000 <= iterations <= 10_000_000 and expected):
                raise ValueError("parameters out of range")
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, len(expected))
            return got, expected
    except (ValueError, TypeError) as exc:
        raise InvalidPasswordHash(_bad_hash_message()) from exc
    raise InvalidPasswordHash(_bad_hash_message())


def _bad_hash_message() -> str:
    return (f"the editor password hash ({PASSWORD_HASH_ENV} or {PASSWORD_HASH_SECRET} in "
            ".streamlit/secrets.toml) is not valid; make a new one with `python -m needs_tracker.auth hash`")


def check_password_hash(stored: str) -> None:
    """Raise InvalidPasswordHash unless ``stored`` is a well-formed hash."""
    _derive("", stored)


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; the comparison takes constant time."""
    got, expected = _derive(password, stored)
    return hmac.compare_digest(got, expected)


def configured_password_hash(secrets_map: Mapping | None = None) -> str | None:
    """The editor password hash: $NEEDS_TRACKER_EDITOR_PASSWORD_HASH, else ``editor_password_hash``
    in the given secrets (``st.secrets``), else None (no password editor configured)."""
    value = (config.get(PASSWORD_HASH_ENV, {}) or "").strip()  # the environment only: secrets below
    if not value and secrets_map is not None:
        try:
            value = str(secrets_map.get(PASSWORD_HASH_SECRET) or "").strip()
        except Exception:  # st.secrets raises when no secrets file exists
            value = ""
    return value or None


# --- lockout -----------------------------------------------------------------------------
class Lockout:
    """At most ``max_failures`` failed sign-ins per ``window`` seconds; after that, every attempt
    is refused for ``lock_seconds``, even with the right password. Thread-safe (Streamlit runs
    each browser session in its own thread). Keyed, so callers may lock per account."""

    def __init__(self, max_failures: int = 5, window: float = 900.0, lock_seconds: float = 300.0,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.window, self.lock_seconds = max_failures, window, lock_seconds
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def remaining_lock(self, key: str = "editor") -> float:
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def record_failure(self, key: str = "editor") -> None:
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
            self._failures[key] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lock_seconds
                self._failures[key] = []

    def reset(self, key: str = "editor") -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)


# One shared editor password, so one shared counter: a guesser cannot dodge it by opening
# a new browser session. (The cost: a guesser can keep the real editor out for a while.)
LOCKOUT = Lockout()


def sign_in_with_password(password: str, *, name: str, stored_hash: str | None,
                          lockout: Lockout | None = None) -> Editor:
    """An Editor if ``password`` matches; PermissionDenied (saying why) otherwise."""
    lockout = LOCKOUT if lockout is None else lockout
    if not stored_hash:
        raise PermissionDenied(f"editing is not configured: set {PASSWORD_HASH_ENV} or "
                               f"{PASSWORD_HASH_SECRET} in .streamlit/secrets.toml")
    wait = lockout.remaining_lock()
    if wait > 0:
        raise PermissionDenied(f"too many failed sign-ins; try again in {int(wait // 60) + 1} min")
    name = " ".join((name or "").split())[:80]
    if not name:
        raise PermissionDenied("give your name: the audit log records who made each change")
    if not verify_password(password or "", stored_hash):
        lockout.record_failure()
        if lockout.remaining_lock() > 0:
            raise PermissionDenied("wrong password; too many failed sign-ins, editing is locked for "
                                   f"{int(lockout.lock_seconds // 60)} min")
        raise PermissionDenied("wrong password")
    lockout.reset()
    return Editor(name, "password", _MINT)


def sign_in_with_identity(email: str | None, *, allowed: Iterable[str] | None = None) -> Editor:
    """An Editor for a person the OpenID provider signed in (``st.user``).

    With an allow-list (``editors`` in secrets), only those addresses may edit; without
    one, anyone the configured provider accepts is an editor.
    """
    email = (email or "").strip()
    if not email:
        raise PermissionDenied("the identity provider gave no e-mail address for this account")
    if allowed is not None:
        allow = {a.strip().lower() for a in allowed if str(a).strip()}
        if email.lower() not in allow:
            raise PermissionDenied(f"{email} is signed in but is not on the editors list")
    return Editor(email, "oidc", _MINT)


def local_editor(actor: str) -> Editor:
    """The editor for a command run on the machine that holds the store (it can write the file
    anyway). Only the CLI and tests should use this; the dashboard never does."""
    actor = (actor or "").strip() or "cli"
    return Editor(actor, "local", _MINT)


# --- python -m needs_tracker.auth hash ---------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    import argparse
    import getpass

    parser = argparse.ArgumentParser(prog="python -m needs_tracker.auth",
                                     description="Make the editor password hash for the dashboard.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash", help="read a password (twice, or once from a pipe) and print its hash")
    parser.parse_args(argv)
    if sys.stdin.isatty():
        password = getpass.getpass("Editor password: ")
        if password != getpass.getpass("Again: "):
            print("the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        print("use a password of at least 8 characters", file=sys.stderr)
        return 1
    hashed = hash_password(password)
    print(hashed)
    print(f"\nPut it in .streamlit/secrets.toml as {PASSWORD_HASH_SECRET} = \"{hashed}\"\n"
          f"or in the environment as {PASSWORD_HASH_ENV}='{hashed}'", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
