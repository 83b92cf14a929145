"""The DuckDB store: connections, numbered migrations and safe write transactions.

DuckDB locks a database file per process: while one process has it open read-write,
no other process can open it at all. So nothing here keeps a connection open for long.
Readers and writers open a short-lived connection, and a process that finds the file
locked retries for a bounded time, then raises ``StoreLockedError`` naming the holder.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from . import config
from . import snapshot as _snapshot
from .assistance_schema import m002_assistance
from .errors import StoreError, StoreLockedError


def _m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create sequence if not exists workshop_ids start 1;
        create sequence if not exists need_ids start 1;
        create sequence if not exists audit_ids start 1;

        create table documents (
            id varchar primary key,            -- sha256 of the file's bytes
            file_name varchar not null,
            path varchar,
            format varchar not null,
            size_bytes bigint not null,
            encoding varchar,
            text varchar not null,
            ingested_at timestamp not null default current_timestamp
        );

        create table workshops (
            id integer primary key default nextval('workshop_ids'),
            document_id varchar not null unique,
            kind varchar not null default 'workshop',
            title varchar,
            start_date date,
            end_date date,
            date_precision varchar,            -- day, month, year or null
            year integer,                      -- the event's year when known at any precision
            venue_city varchar,
            venue_country_iso3 varchar,
            venue_country varchar,
            warnings varchar[] not null default [],
            edited_fields varchar[] not null default [],   -- fields a person corrected: reprocess keeps them
            updated_at timestamp not null default current_timestamp
        );

        create table states (
            iso3 varchar primary key,
            name varchar not null,
            region varchar,
            subregion varchar
        );

        create table participation (
            workshop_id integer not null,
            state_iso3 varchar not null,
            role varchar not null,             -- host, participant, observer
            name_as_written varchar,
            origin varchar not null default 'extracted',   -- extracted or manual
            status varchar not null default 'extracted',   -- extracted, confirmed, rejected
            primary key (workshop_id, state_iso3)
        );

        create table workshop_organisations (
            workshop_id integer not null,
            name varchar not null,
            relation varchar not null,         -- organizer or participant
            primary key (workshop_id, name, relation)
        );

        create table unresolved_names (
            workshop_id integer not null,
            name varchar not null,
            context varchar
        );

        create table topics (
            workshop_id integer not null,
            category varchar not null,
            evidence varchar,
            span_start integer,
            span_end integer,
            primary key (workshop_id, category)
        );

        create table needs (
            id bigint primary key default nextval('need_ids'),
            workshop_id integer not null,
            state_iso3 varchar not null,
            category varchar not null,
            evidence varchar not null,         -- the sentence, exactly as in documents.text
            span_start integer not null,       -- character offsets of evidence in documents.text
            span_end integer not null,
            rule varchar not null,             -- which rule made it, or 'manual'
            confidence double not null,
            status varchar not null default 'extracted',  -- extracted, confirmed, rejected, corrected, manual
            original_state_iso3 varchar,       -- what the extractor said before a person corrected it
            original_category varchar,
            reviewed_by varchar,
            reviewed_at timestamp,
            note varchar,
            created_at timestamp not null default current_timestamp
        );

        create table audit_log (
            id bigint primary key default nextval('audit_ids'),
            changed_at timestamp not null default current_timestamp,
            actor varchar not null,
            action varchar not null,
            entity varchar not null,
            entity_id varchar,
            before_json json,
            after_json json
        );
        """
    )


# Append only: a migration that has run on someone's store is never edited.
MIGRATIONS: list[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    (1, "initial schema", _m001_initial),
    (2, "offers, requests and event sources", m002_assistance),
]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded; return the numbers applied."""
    con.execute(
        "create table if not exists schema_migrations "
        "(version integer primary key, name varchar, applied_at timestamp default current_timestamp)"
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, name, apply in MIGRATIONS:
        if version in done:
            continue
        with transaction(con):
            apply(con)
            con.execute("insert into schema_migrations (version, name) values (?, ?)", [version, name])
        applied.append(version)
    if applied:
        _load_states(con)
    return applied


def _load_states(con: duckdb.DuckDBPyConnection) -> None:
    """The states table mirrors the state index so SQL can join names and regions."""
    from .states import state_index

    rows = [(s.iso3, s.name, s.region, s.subregion) for s in state_index().all_states()]
    with transaction(con):
        con.execute("delete from states")
        con.executemany("insert into states values (?, ?, ?, ?)", rows)


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
        con.execute("rollback")
        raise
    else:
        con.execute("commit")


_LOCK_PID = re.compile(r"PID (\d+)")


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _describe_holder(exc: Exception) -> str:
    match = _LOCK_PID.search(str(exc))
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        cmdline = ""
    return f"process {pid} ({cmdline[:120]})" if cmdline else f"process {pid}"


def _is_file_path(location: str) -> bool:
    return location != ":memory:" and ":" not in location.split("/")[0]


def open_connection(location: str | None = None, *, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the store, retrying for a bounded time while another process holds it."""
    location = config.db_location(location)
    if _is_file_path(location):
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (config.lock_wait() if wait is None else wait)
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(location)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"cannot open the store {location}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"the store {location} is in use by {_describe_holder(exc)}; "
                    "wait for it to finish (an ingest or reprocess run) and try again"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {location}: {exc}") from exc
    try:
        migrate(con)
    except Exception:
        con.close()
        raise
    return con


@contextlib.contextmanager
def connect(location: str | None = None, *, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection: opened, migrated, and closed so other processes can get in."""
    snapshot = _snapshot.snapshot_for(config.db_location(location))
    if snapshot is not None:  # a published snapshot: read-only, one connection per process
        with _snapshot.cursor(snapshot) as cur:
            yield cur
        return
    con = open_connection(location, wait=wait)
    try:
        yield con
    finally:
        con.close()


def store_version(location: str | None = None) -> str:
    """A cheap token that changes whenever the store file changes; caches key on it."""
    location = config.db_location(location)
    if not _is_file_path(location):
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
    return not _is_file_path(location) or Path(location).exists()
