"""Who may change the store: editor password hashes, sign-in with lockout, and the ``Editor`` token.

Anyone may read; every write in ``needs_tracker.review`` takes an ``Editor`` and refuses
anything else. An ``Editor`` can only be made here, by a successful verification (a password
checked against a stored hash, or an identity an OpenID provider vouched for), so a caller
cannot reach a write function around the sign-in by accident. This is a guard against
mistakes and against the UI being bypassed, not a sandbox: code running in the same Python
process could forge anything.

Every editor has a name and a password hash of their own (``name:scrypt$...``, several
separated by ``;``), so the audit log records a person, never a name typed beside a shared
password. Hashes look like ``scrypt$16384$8$1$<salt b64>$<hash b64>``; make one with
``python -m needs_tracker.auth hash --name NAME``. Weak parameters (a short salt or key, few
iterations) are refused. Passwords are compared in constant time, and an unknown name costs
the same work as a known one.

Attempts are counted in-process (``Lockout``), not in the store: writing each failure would
take DuckDB's per-process write lock and contend with a running ingest, and failures are not
data changes. An attempt is reserved *before* its password is checked, so parallel guesses
cannot all be verified before the first failure is recorded; attempts are counted per client
(five anonymous guesses cannot lock the real editor out) and, at a higher ceiling, per editor
name (many clients cannot guess one name without limit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from . import config
from .errors import NeedsTrackerError, PermissionDenied

PASSWORD_HASH_ENV = "NEEDS_TRACKER_EDITOR_PASSWORD_HASH"  # "name:hash;name:hash"
PASSWORD_HASH_SECRET = "editor_passwords"  # a [editor_passwords] table in secrets: name = "hash"
EDITORS_SECRET = "editors"  # the e-mail addresses that may edit after an st.login sign-in

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
# The weakest parameters accepted in a configured hash (OWASP's 2023 minimums): a hash made
# with less is refused, not silently trusted.
MIN_SCRYPT_N, MIN_SCRYPT_R = 2**14, 8
MIN_PBKDF2_ITERATIONS = 600_000
MIN_SALT_BYTES, MIN_KEY_BYTES = 16, 16
_MINT = object()  # only this module holds it; an Editor without it is refused


class InvalidPasswordHash(NeedsTrackerError):
    """The configured editor password hash is not one this module wrote."""


@dataclass(frozen=True)
class Editor:
    """A person allowed to change the store. Made only by ``sign_in_*`` in this module."""

    name: str
    method: str  # "password", "oidc" or "local" (the command line, which already owns the file)
    _token: object = field(default=None, repr=False, compare=False)
    credential: str = ""  # fingerprint of the hash signed in with: a changed hash ends the session

    def __post_init__(self) -> None:
        if self._token is not _MINT:
            raise PermissionDenied("an Editor is only created by signing in")

    @property
    def actor(self) -> str:
        """The name the audit log records."""
        return self.name if self.method == "oidc" else f"{self.name} ({self.method})"

    def still_valid(self, hashes: Mapping[str, str]) -> bool:
        """False once the hash this editor signed in with was changed or removed."""
        if self.method != "password":
            return True
        stored = _lookup(hashes, self.name)
        return stored is not None and hmac.compare_digest(_fingerprint(stored[1]), self.credential)


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
            if not (MIN_SCRYPT_N <= n <= 2**20 and n & (n - 1) == 0 and MIN_SCRYPT_R <= r <= 32 and 1 <= p <= 16):
                raise ValueError("parameters out of range")
            _check_salt_and_key(salt, expected)
            got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                                 maxmem=256 * 1024 * 1024)
            return got, expected
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            salt, expected = _unb64(parts[2]), _unb64(parts[3])
            if not (MIN_PBKDF2_ITERATIONS <= iterations <= 10_000_000):
                raise ValueError("parameters out of range")
            _check_salt_and_key(salt, expected)
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, len(expected))
            return got, expected
    except (ValueError, TypeError) as exc:
        raise InvalidPasswordHash(_bad_hash_message()) from exc
    raise InvalidPasswordHash(_bad_hash_message())


def _check_salt_and_key(salt: bytes, key: bytes) -> None:
    if len(salt) < MIN_SALT_BYTES or not MIN_KEY_BYTES <= len(key) <= 128:
        raise ValueError("salt or key too short")


def _bad_hash_message() -> str:
    return (f"an editor password hash ({PASSWORD_HASH_ENV} or [{PASSWORD_HASH_SECRET}] in "
            ".streamlit/secrets.toml) is not valid or too weak; make a new one with "
            "`python -m needs_tracker.auth hash --name NAME`")


def _fingerprint(stored: str) -> str:
    return hashlib.sha256(stored.strip().encode("utf-8")).hexdigest()[:32]


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; the comparison takes constant time."""
    got, expected = _derive(password, stored)
    return hmac.compare_digest(got, expected)


def configured_password_hashes(secrets_map: Mapping | None = None) -> dict[str, str]:
    """Each editor's name and password hash: ``$NEEDS_TRACKER_EDITOR_PASSWORD_HASH`` as
    ``name:hash;name:hash``, else the ``[editor_passwords]`` table of the given secrets
    (``st.secrets``); empty when no password editor is configured.

    A bare hash without a name (the shared password of earlier releases) is refused with a
    message saying how to name it, because the audit log must record a person.
    """
    raw = (config.get(PASSWORD_HASH_ENV, {}) or "").strip()  # the environment only: secrets below
    if raw:
        hashes: dict[str, str] = {}
        for entry in filter(None, (e.strip() for e in raw.split(";"))):
            name, sep, stored = entry.partition(":")
            if not sep or "$" in name or not name.strip():
                raise InvalidPasswordHash(
                    f"{PASSWORD_HASH_ENV} must name each editor: 'name:hash;name:hash' "
                    "(make each with `python -m needs_tracker.auth hash --name NAME`)")
            hashes[_clean_name(name)] = stored.strip()
        return hashes
    if secrets_map is None:
        return {}
    try:
        table = secrets_map.get(PASSWORD_HASH_SECRET) or {}
        return {_clean_name(str(k)): str(v).strip() for k, v in dict(table).items() if str(v).strip()}
    except Exception:  # st.secrets raises when no secrets file exists
        return {}


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())[:80]


def _lookup(hashes: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """(configured name, hash) for ``name``, compared without case or extra spaces."""
    wanted = _clean_name(name).casefold()
    for configured, stored in hashes.items():
        if configured.casefold() == wanted:
            return configured, stored
    return None


# --- lockout -----------------------------------------------------------------------------
class Lockout:
    """At most ``max_attempts`` failed-or-pending sign-ins per key per ``window`` seconds; then
    every attempt with that key is refused for ``lock_seconds``, even with the right password.

    ``reserve`` counts an attempt *before* the password is checked (and ``reset`` forgets the
    key's attempts after a success), so N guesses sent at once are not all verified. Thread-safe:
    Streamlit runs each browser session in its own thread.
    """

    def __init__(self, max_attempts: int = 5, window: float = 900.0, lock_seconds: float = 300.0,
                 clock: Callable[[], float] = time.monotonic):
        self.max_attempts, self.window, self.lock_seconds = max_attempts, window, lock_seconds
        self.clock = clock
        self._attempts: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def remaining_lock(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def reserve(self, key: str) -> None:
        """Count one attempt for ``key``; PermissionDenied if the key is locked."""
        with self._lock:
            now = self.clock()
            wait = self._locked_until.get(key, 0.0) - now
            if wait > 0:
                raise PermissionDenied(f"too many failed sign-ins; try again in {int(wait // 60) + 1} min")
            recent = [t for t in self._attempts.get(key, []) if now - t < self.window] + [now]
            self._attempts[key] = recent
            if len(recent) >= self.max_attempts:
                self._locked_until[key] = now + self.lock_seconds
                self._attempts[key] = []

    def reset(self, key: str) -> None:
        with self._lock:
            self._attempts.pop(key, None)
            self._locked_until.pop(key, None)


# Per client (an address or browser session): a guesser is stopped after five tries without
# locking anyone else out. Per editor name, a higher ceiling with a short lock bounds guessing
# one name from many clients, while the real editor waits at most a minute.
CLIENT_LOCKOUT = Lockout(max_attempts=5, window=900.0, lock_seconds=300.0)
NAME_LOCKOUT = Lockout(max_attempts=20, window=60.0, lock_seconds=60.0)
# An unknown name is checked against this, so it costs the same time as a known one.
_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def sign_in_with_password(password: str, *, name: str, hashes: Mapping[str, str], client: str = "local",
                          lockouts: tuple[Lockout, Lockout] | None = None) -> Editor:
    """The Editor ``name`` if ``password`` matches that editor's own hash; PermissionDenied
    (saying why) otherwise. ``client`` identifies who is guessing (an address or session)."""
    client_lock, name_lock = (CLIENT_LOCKOUT, NAME_LOCKOUT) if lockouts is None else lockouts
    if not hashes:
        raise PermissionDenied(f"editing is not configured: set {PASSWORD_HASH_ENV} or "
                               f"[{PASSWORD_HASH_SECRET}] in .streamlit/secrets.toml")
    name = _clean_name(name)
    if not name:
        raise PermissionDenied("give your editor name")
    found = _lookup(hashes, name)
    client_key, name_key = f"client:{client}", f"name:{name.casefold()}"
    client_lock.reserve(client_key)
    name_lock.reserve(name_key)
    stored = found[1] if found else _DUMMY_HASH
    if not verify_password(password or "", stored) or found is None:
        if client_lock.remaining_lock(client_key) > 0:
            raise PermissionDenied("wrong name or password; too many failed sign-ins, sign-in is locked for "
                                   f"{int(client_lock.lock_seconds // 60)} min")
        raise PermissionDenied("wrong name or password")
    client_lock.reset(client_key)
    name_lock.reset(name_key)
    return Editor(found[0], "password", _MINT, _fingerprint(stored))


def sign_in_with_identity(email: str | None, *, email_verified: bool | None,
                          allowed: Iterable[str] | None) -> Editor:
    """An Editor for a person the OpenID provider signed in (``st.user``).

    Only a verified address on the ``editors`` list may edit: without a list, an account any
    provider user can create would be an editor.
    """
    email = (email or "").strip()
    if not email:
        raise PermissionDenied("the identity provider gave no e-mail address for this account")
    if email_verified is not True:
        raise PermissionDenied(f"{email} is not verified by the identity provider, so it cannot edit")
    allow = {str(a).strip().lower() for a in (allowed or ()) if str(a).strip()}
    if not allow:
        raise PermissionDenied(f"no editors list is configured: add editors = [\"{email}\"] to "
                               ".streamlit/secrets.toml to let this account edit")
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
                                     description="Make an editor's password hash for the dashboard.")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("hash", help="read a password (twice, or once from a pipe) and print name:hash")
    make.add_argument("--name", required=True, help="the editor's name, as the audit log will record it")
    args = parser.parse_args(argv)
    name = _clean_name(args.name)
    if not name or ":" in name or ";" in name or "$" in name:
        print("give a name without ':', ';' or '$'", file=sys.stderr)
        return 1
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if password != getpass.getpass("Again: "):
            print("the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        print("use a password of at least 8 characters", file=sys.stderr)
        return 1
    entry = f"{name}:{hash_password(password)}"
    print(entry)
    print(f"\nAdd it to .streamlit/secrets.toml under [{PASSWORD_HASH_SECRET}] as "
          f"{json.dumps(name)} = \"{entry.split(':', 1)[1]}\"\n"
          f"or to the environment as {PASSWORD_HASH_ENV}='{entry}' (several joined by ';')", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
