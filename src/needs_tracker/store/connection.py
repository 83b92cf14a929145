"""Opening the store: short-lived connections, locks, read-only files, damage and conflicts.

DuckDB locks a database file per process: while one process has it open read-write, no
other process can open it at all. So nothing here keeps a connection open for long.
Readers and writers open a short-lived connection; a process that finds the file locked
retries for a bounded time, then raises ``StoreLockedError`` naming the holder's program.
Every failure a person can meet (a read-only copy, a damaged file, two editors writing the
same row, ``:memory:`` which keeps nothing between connections) becomes one clear
``NeedsTrackerError`` here, so no caller sees a DuckDB traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import duckdb

from .. import config
from ..errors import StoreConflictError, StoreError, StoreLockedError

T = TypeVar("T")
CONFLICT_RETRIES = 5  # a write that meets another one on the same row is tried again this often
CONFLICT_MESSAGE = "someone changed this at the same time; reload and try again"
MEMORY_MESSAGE = ("the store is ':memory:', which keeps nothing between connections: nothing would be "
                  "stored. Set NEEDS_TRACKER_DB (or --db) to a file path")


def lock_wait_seconds() -> float:
    """How long to wait for another process's lock ($NEEDS_TRACKER_LOCK_WAIT, checked by ``config``)."""
    return config.lock_wait()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, and on any error ROLLBACK and re-raise.

    DuckDB fails every statement after an error until ROLLBACK, and a COMMIT then
    silently rolls back; this makes the failure loud and leaves nothing half-written.
    """
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    else:
        con.execute("commit")


# --- recognising DuckDB's failures ----------------------------------------------------------
_LOCK_PID = re.compile(r"PID (\d+)")


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "Conflict" in str(exc)


def is_damage(exc: BaseException) -> bool:
    """A file damaged below its header fails at query time with these, not at open."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and (
        "Corrupt database" in text or "invalidated" in text or "checksum" in text
        or isinstance(exc, duckdb.SerializationException | duckdb.FatalException))


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return isinstance(exc, duckdb.Error) and "No space left" in str(exc)


def is_read_only_problem(exc: BaseException) -> bool:
    text = str(exc)
    return "Read-only file system" in text or "Permission denied" in text or "read-only" in text.lower()


def describe_holder(exc: BaseException) -> str:
    """The lock holder as its program name and PID; never its full command line (it may hold secrets)."""
    match = _LOCK_PID.search(str(exc))
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        program = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        program = ""
    return f"process {pid} ({program})" if program else f"process {pid}"


def damaged(location: str, exc: BaseException) -> StoreError:
    first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    return StoreError(f"the store {location} is damaged ({first}); restore it from a backup, "
                      "or move it aside and rebuild it with `needs-tracker ingest`")


# --- opening -------------------------------------------------------------------------------
def is_file_path(location: str) -> bool:
    return not location.startswith(":memory:") and ":" not in location.split("/")[0]


def _connect_once(location: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(location, read_only=True)
    return duckdb.connect(location)


def open_connection(location: str | None = None, *, wait: float | None = None,
                    read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the store, retrying for a bounded time while another process holds it.

    A file or folder this process may not write (a read-only snapshot, a replica) is opened
    read-only instead, without migrating; ``read_only=True`` asks for that directly.
    """
    from .migrations import check_readable, migrate

    location = config.db_location(location)
    if location.startswith(":memory:"):
        raise StoreError(MEMORY_MESSAGE)
    if is_file_path(location) and not read_only and not Path(location).exists():
        try:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store {location}: {exc.strerror or exc}") from None
    deadline = time.monotonic() + (lock_wait_seconds() if wait is None else wait)
    delay = 0.05
    while True:
        try:
            con = _connect_once(location, read_only)
            break
        except duckdb.Error as exc:
            if is_lock_error(exc):
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"the store {location} is in use by {describe_holder(exc)}; "
                        "wait for it to finish (an ingest or reprocess run) and try again") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if not read_only and is_file_path(location) and Path(location).exists() and is_read_only_problem(exc):
                read_only = True  # a read-only file or filesystem: reading still works
                continue
            if is_damage(exc) or "not a valid DuckDB" in str(exc) or "database file" in str(exc):
                raise damaged(location, exc) from None
            raise StoreError(f"cannot open the store {location}: {str(exc).splitlines()[0][:200]}") from None
    try:
        if read_only:
            check_readable(con, location)
        else:
            migrate(con)
    except duckdb.Error as exc:
        con.close()
        if is_damage(exc):
            raise damaged(location, exc) from None
        raise StoreError(f"cannot open the store {location}: {str(exc).splitlines()[0][:200]}") from None
    except BaseException:
        con.close()
        raise
    return con


@contextlib.contextmanager
def connect(location: str | None = None, *, wait: float | None = None,
            read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection: opened, migrated, and closed so other processes can get in.

    A damaged block met while the caller reads becomes one ``StoreError`` naming the file. A
    published snapshot (``needs-tracker publish``) is read through this process's one read-only
    connection to it instead (``snapshot.cursor``).
    """
    from .. import snapshot

    published = snapshot.snapshot_for(config.db_location(location))
    if published is not None:
        with snapshot.cursor(published) as cur:
            yield cur
        return
    con = open_connection(location, wait=wait, read_only=read_only)
    try:
        yield con
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(config.db_location(location), exc) from None
        if is_read_only_problem(exc) and "read-only" in str(exc).lower():
            raise StoreError(f"the store {config.db_location(location)} is read-only here: "
                             "it can be read but not changed") from None
        raise
    finally:
        con.close()


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T], *,
                   retries: int = CONFLICT_RETRIES) -> T:
    """Run ``work(con)`` in one transaction, again after a write conflict.

    Two writers changing the same row at once (two editors on one need, or two audit rows
    appended together) make DuckDB refuse the second with ``TransactionException: Conflict``;
    that transaction is rolled back and tried again a few times, and if the other keeps
    winning the person is told to reload (``StoreConflictError``).
    """
    delay = 0.02
    for attempt in range(retries + 1):
        try:
            with transaction(con):
                return work(con)
        except duckdb.TransactionException as exc:
            if not is_conflict(exc):
                raise
            if attempt == retries:
                raise StoreConflictError(CONFLICT_MESSAGE) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.3)
    raise AssertionError("unreachable")


def write(location: str | None, work: Callable[[duckdb.DuckDBPyConnection], T], *,
          retries: int = CONFLICT_RETRIES) -> T:
    """Run ``work(con)`` in one transaction (retried after a conflict) on a short-lived connection."""
    with connect(location) as con:
        return in_transaction(con, work, retries=retries)


def store_version(location: str | None = None) -> str:
    """A cheap token that changes whenever the store file changes; caches key on it."""
    location = config.db_location(location)
    if not is_file_path(location):
        return location
    try:
        st = os.stat(location)
    except OSError:
        return "missing"
    wal = Path(location + ".wal")
    wal_part = wal.stat().st_mtime_ns if wal.exists() else 0
    return f"{st.st_mtime_ns}:{st.st_size}:{wal_part}"


def store_exists(location: str | None = None) -> bool:
    location = config.db_location(location)
    return not is_file_path(location) or Path(location).exists()
