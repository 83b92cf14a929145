"""The schema as numbered migrations, and reference data kept in step with its files.

Append only: a migration that has run on someone's store is never edited. ``migrate`` runs
on every read-write open. Reference data (the states with their regions, the gap categories)
is copied from ``data/state_groups.toml`` and ``data/taxonomy.toml``; the sha256 of those files
is kept in ``reference_data`` so an edited file refreshes the tables at the next open.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from .. import config
from ..errors import StoreError
from .assistance_schema import m002_assistance
from .connection import transaction
from .originals import m005_originals
from .vocab import (
    AuditAction,
    AuditEntity,
    DatePrecision,
    NeedStatus,
    OrgRelation,
    Origin,
    ParticipantStatus,
    Role,
    WorkshopKind,
    check_in,
    sql_value,
    workshop_kind,
)

SCHEMA_VERSION = 5
log = logging.getLogger(__name__)


def _m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    """The first release's schema, exactly as it shipped (stores made by it are migrated by 002)."""
    con.execute(
        """
        create sequence if not exists workshop_ids start 1;
        create sequence if not exists need_ids start 1;
        create sequence if not exists audit_ids start 1;
        create table documents (id varchar primary key, file_name varchar not null, path varchar,
            format varchar not null, size_bytes bigint not null, encoding varchar, text varchar not null,
            ingested_at timestamp not null default current_timestamp);
        create table workshops (id integer primary key default nextval('workshop_ids'),
            document_id varchar not null unique, kind varchar not null default 'workshop', title varchar,
            start_date date, end_date date, date_precision varchar, year integer, venue_city varchar,
            venue_country_iso3 varchar, venue_country varchar, warnings varchar[] not null default [],
            edited_fields varchar[] not null default [], updated_at timestamp not null default current_timestamp);
        create table states (iso3 varchar primary key, name varchar not null, region varchar, subregion varchar);
        create table participation (workshop_id integer not null, state_iso3 varchar not null,
            role varchar not null, name_as_written varchar, origin varchar not null default 'extracted',
            status varchar not null default 'extracted', primary key (workshop_id, state_iso3));
        create table workshop_organisations (workshop_id integer not null, name varchar not null,
            relation varchar not null, primary key (workshop_id, name, relation));
        create table unresolved_names (workshop_id integer not null, name varchar not null, context varchar);
        create table topics (workshop_id integer not null, category varchar not null, evidence varchar,
            span_start integer, span_end integer, primary key (workshop_id, category));
        create table needs (id bigint primary key default nextval('need_ids'), workshop_id integer not null,
            state_iso3 varchar not null, category varchar not null, evidence varchar not null,
            span_start integer not null, span_end integer not null, rule varchar not null,
            confidence double not null, status varchar not null default 'extracted',
            original_state_iso3 varchar, original_category varchar, reviewed_by varchar,
            reviewed_at timestamp, note varchar, created_at timestamp not null default current_timestamp);
        create table audit_log (id bigint primary key default nextval('audit_ids'),
            changed_at timestamp not null default current_timestamp, actor varchar not null,
            action varchar not null, entity varchar not null, entity_id varchar, before_json json,
            after_json json);
        """
    )


_V2_TABLES = ("documents", "workshops", "states", "participation", "workshop_organisations", "unresolved_names",
              "topics", "needs", "audit_log")


def _v2_schema() -> str:
    """Vocabularies as CHECK constraints; states, categories and documents as foreign keys;
    superseded documents kept; decided needs flagged when their quote left the note; the audit
    log hash-chained.

    No foreign key points at ``workshops``: DuckDB 2.0 refuses any UPDATE of a list column
    (warnings, edited_fields) or of an indexed column of a row another table references
    ("foreign key limitations" in its documentation), and every merge updates them.
    """
    return f"""
        create table documents (id varchar primary key, file_name varchar not null, path varchar,
            format varchar not null, size_bytes bigint not null, encoding varchar, text varchar not null,
            ingested_at timestamp not null default current_timestamp,
            superseded_by varchar,             -- the document that replaced this version (kept, recoverable)
            superseded_at timestamp);
        create table states (iso3 varchar primary key, name varchar not null, region varchar, subregion varchar);
        create table categories (id varchar primary key, label varchar not null,
            retired boolean not null default false);  -- retired: gone from the taxonomy, still used by rows
        create table workshops (id integer primary key default nextval('workshop_ids'),
            document_id varchar not null unique references documents (id),
            kind varchar not null default 'workshop', title varchar, start_date date, end_date date,
            date_precision varchar {check_in('date_precision', DatePrecision)}, year integer,
            venue_city varchar, venue_country_iso3 varchar, venue_country varchar,
            warnings varchar[] not null default [], edited_fields varchar[] not null default [],
            updated_at timestamp not null default current_timestamp);
        create table participation (workshop_id integer not null,
            state_iso3 varchar not null references states (iso3),
            role varchar not null {check_in('role', Role)}, name_as_written varchar,
            origin varchar not null default 'extracted' {check_in('origin', Origin)},
            status varchar not null default 'extracted' {check_in('status', ParticipantStatus)},
            primary key (workshop_id, state_iso3));
        create table workshop_organisations (workshop_id integer not null,
            name varchar not null, relation varchar not null {check_in('relation', OrgRelation)},
            primary key (workshop_id, name, relation));
        create table unresolved_names (workshop_id integer not null,
            name varchar not null, context varchar);
        create table topics (workshop_id integer not null,
            category varchar not null references categories (id), evidence varchar,
            span_start integer, span_end integer, primary key (workshop_id, category));
        create table needs (id bigint primary key default nextval('need_ids'),
            workshop_id integer not null,
            state_iso3 varchar not null references states (iso3),
            category varchar not null references categories (id), evidence varchar not null,
            span_start integer not null, span_end integer not null, rule varchar not null,
            confidence double not null,
            status varchar not null default 'extracted' {check_in('status', NeedStatus)},
            original_state_iso3 varchar, original_category varchar, reviewed_by varchar,
            reviewed_at timestamp, note varchar, created_at timestamp not null default current_timestamp,
            flagged varchar);                  -- why a person must look again (quote gone from a new version)
        create table audit_log (id bigint primary key default nextval('audit_ids'),
            changed_at timestamp not null default current_timestamp, actor varchar not null,
            action varchar not null {check_in('action', AuditAction)},
            entity varchar not null {check_in('entity', AuditEntity)}, entity_id varchar,
            before_json json, after_json json,
            prev_hash varchar, row_hash varchar);  -- sha256 chain: each row seals the one before
        create table audit_head (id integer primary key check (id = 1), last_id bigint,
            last_hash varchar);               -- one row; every audit write updates it, so two collide
        create table reference_data (name varchar primary key, source_hash varchar not null,
            loaded_at timestamp not null default current_timestamp);
    """


def _m002_vocabularies_and_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every table with its constraints (DuckDB cannot add them to a table in place)."""
    from .audit_chain import rechain

    for table in _V2_TABLES:
        con.execute(f"alter table {table} rename to v1_{table}")  # names from the fixed tuple above
    con.execute(_v2_schema())
    con.execute("insert into documents select *, null, null from v1_documents")
    _refresh_reference(con, force=True, extra_states=_referenced("v1_", "state_iso3"),
                       extra_categories=_referenced("v1_", "category"))
    con.execute("insert into workshops select * from v1_workshops")
    for table in ("participation", "workshop_organisations", "unresolved_names", "topics"):
        con.execute(f"insert into {table} select * from v1_{table}")
    con.execute("insert into needs select *, null from v1_needs")
    con.execute("insert into audit_log select *, null, null from v1_audit_log")
    con.execute("insert into audit_head values (1, null, null)")
    for table in reversed(_V2_TABLES):
        con.execute(f"drop table v1_{table}")
    rechain(con)


def _referenced(prefix: str, column: str) -> str:
    """SQL listing the codes old rows use, so rows whose state or category left the data files stay valid."""
    if column == "state_iso3":
        return (f"select state_iso3 from {prefix}needs union select state_iso3 from {prefix}participation "
                f"union select original_state_iso3 from {prefix}needs where original_state_iso3 is not null")
    return f"select category from {prefix}needs union select category from {prefix}topics"


# Who the audit log says changed a kind that was no kind (migration 4): the program, not a person.
KIND_MIGRATION_ACTOR = "needs-tracker (schema 4)"


def _m004_workshop_kind_check(con: duckdb.DuckDBPyConnection) -> None:
    """``workshops.kind`` as a CHECK over ``WorkshopKind``: before it an editor could type any word.

    No row is lost. A kind that spells a known one in another case or spacing ("Workshop ",
    "assistance requests") becomes that one; any other word becomes ``workshop``, because the
    words editors typed were names for an event (seminar, course, training) and the reads treat
    every event as a workshop. Each change is an audit row holding the word it replaced, and a log
    line. DuckDB cannot add a CHECK to a table, so the table is rebuilt with the same columns.
    """
    from .audit_chain import append

    known = [str(k) for k in WorkshopKind]
    odd = con.execute("select id, kind from workshops where not list_contains(?, kind) order by id",
                      [known]).fetchall()
    for wid, word in odd:
        kind = workshop_kind(word) or WorkshopKind.WORKSHOP
        con.execute("update workshops set kind = ? where id = ?", [str(kind), wid])
        append(con, KIND_MIGRATION_ACTOR, AuditAction.EDIT, AuditEntity.WORKSHOP, wid, {"kind": word},
               {"kind": str(kind), "why": f"kind {word!r} is not one of {', '.join(known)}"})
        log.warning("workshop #%s: kind %r is not one of %s; stored as %s (the audit log keeps the word)",
                    wid, word, ", ".join(known), kind)
    con.execute(f"""
        create table workshops_checked (id integer primary key default nextval('workshop_ids'),
            document_id varchar not null unique references documents (id),
            kind varchar not null default {sql_value(WorkshopKind.WORKSHOP)} {check_in('kind', WorkshopKind)},
            title varchar, start_date date, end_date date,
            date_precision varchar {check_in('date_precision', DatePrecision)}, year integer,
            venue_city varchar, venue_country_iso3 varchar, venue_country varchar,
            warnings varchar[] not null default [], edited_fields varchar[] not null default [],
            updated_at timestamp not null default current_timestamp);
        insert into workshops_checked select * from workshops;
        drop table workshops;
        alter table workshops_checked rename to workshops;
    """)


MIGRATIONS: list[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    (1, "initial schema", _m001_initial),
    (2, "vocabularies as CHECK constraints, foreign keys, superseded documents, flagged needs, audit chain",
     _m002_vocabularies_and_keys),
    (3, "offers, requests and event sources", m002_assistance),
    (4, "workshop kinds as a CHECK constraint", _m004_workshop_kind_check),
    (5, "the original file of every note ingested from now on", m005_originals),
]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded, then refresh changed reference data; return the numbers applied."""
    con.execute("create table if not exists schema_migrations "
                "(version integer primary key, name varchar, applied_at timestamp default current_timestamp)")
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    if done and max(done) > SCHEMA_VERSION:
        raise StoreError(f"the store was made by a newer needs-tracker (schema {max(done)}, this one knows "
                         f"{SCHEMA_VERSION}): upgrade needs-tracker to read it")
    applied = []
    for version, name, apply in MIGRATIONS:
        if version in done:
            continue
        with transaction(con):
            apply(con)
            con.execute("insert into schema_migrations (version, name) values (?, ?)", [version, name])
        applied.append(version)
    if _reference_hash() != _stored_reference_hash(con):
        with transaction(con):
            _refresh_reference(con)
    return applied


def check_readable(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """A store opened read-only cannot be migrated: it must already be at this version."""
    try:
        rows = con.execute("select max(version) from schema_migrations").fetchall()
    except duckdb.CatalogException:
        raise StoreError(f"the store {location} is read-only here and empty: nothing to read") from None
    version = rows[0][0] or 0
    if version != SCHEMA_VERSION:
        raise StoreError(f"the store {location} is read-only here and at schema {version}; this needs-tracker "
                         f"reads schema {SCHEMA_VERSION}: open it once where it can be written, to migrate it")


# --- reference data --------------------------------------------------------------------------
def _reference_files() -> list[Path]:
    return [config.rule_file("state_groups.toml"), config.rule_file("taxonomy.toml")]


@functools.lru_cache(maxsize=8)
def _hash_files(stamp: tuple) -> str:
    digest = hashlib.sha256()
    for path, *_ in stamp:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"missing:" + str(path).encode())
    return digest.hexdigest()


def _reference_hash() -> str:
    """The sha256 of the reference files, re-read only when one's size or time changed."""
    stamp = []
    for path in _reference_files():
        try:
            st = os.stat(path)
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((str(path), 0, 0))
    return _hash_files(tuple(stamp))


def _stored_reference_hash(con) -> str | None:
    rows = con.execute("select source_hash from reference_data where name = 'states+taxonomy'").fetchall()
    return rows[0][0] if rows else None


def _refresh_reference(con, *, force: bool = False, extra_states: str | None = None,
                       extra_categories: str | None = None) -> None:
    """Upsert the states and categories from their files. A code rows still use is kept (retired),
    never deleted: a foreign key holds it, and a person's decision must not vanish with a data edit."""
    from ..states import state_index
    from ..taxonomy import load_taxonomy

    states = [(s.iso3, s.name, s.region, s.subregion) for s in state_index().all_states()]
    con.executemany("insert into states values (?, ?, ?, ?) on conflict (iso3) do update set "
                    "name = excluded.name, region = excluded.region, subregion = excluded.subregion", states)
    cats = [(c.id, c.label) for c in load_taxonomy()]
    con.execute("update categories set retired = true")
    con.executemany("insert into categories values (?, ?, false) on conflict (id) do update set "
                    "label = excluded.label, retired = false", cats)
    if extra_states:  # codes old rows use that the index no longer knows: kept under their code
        con.execute(f"insert into states select code, code, null, null from ({extra_states}) t(code) "
                    "where code is not null on conflict do nothing")
    if extra_categories:
        con.execute(f"insert into categories select code, code, true from ({extra_categories}) t(code) "
                    "where code is not null on conflict do nothing")
    if not force:  # drop what is no longer in the files and nothing uses
        con.execute("delete from states where not list_contains(?, iso3) and iso3 not in "
                    "(select state_iso3 from needs union select state_iso3 from participation)",
                    [[s[0] for s in states]])
        con.execute("delete from categories where retired and id not in "
                    "(select category from needs union select category from topics)")
    con.execute("insert into reference_data (name, source_hash) values ('states+taxonomy', ?) "
                "on conflict (name) do update set source_hash = excluded.source_hash, loaded_at = now()",
                [_reference_hash()])
