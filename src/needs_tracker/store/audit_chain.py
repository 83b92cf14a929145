"""The audit log's SQL: one row per change, each sealed with the hash of the row before it.

``row_hash = sha256(prev_hash + the row's own content)``, so changing, deleting or inserting
a row anywhere breaks every hash after it and ``verify`` names the first row that no longer
fits. Every write also updates the single ``audit_head`` row: two writers appending at once
collide there (DuckDB refuses the second) instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

import pandas as pd

FACETS = ("actor", "action", "entity")  # the columns a reader may filter on; SQL names come only from here
_CONTENT = "id, changed_at, actor, action, entity, entity_id, cast(before_json as varchar), cast(after_json as varchar)"


def now() -> datetime:
    """UTC without a zone, as the store's timestamps are kept."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_json(value) -> str | None:
    return None if value is None else json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def row_hash(prev_hash: str | None, content: tuple) -> str:
    """The seal of one row: its predecessor's seal and its own fields, canonically encoded."""
    fields = [content[0], content[1].isoformat() if content[1] else None, *content[2:]]
    payload = (prev_hash or "") + "\n" + json.dumps(fields, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(con, actor: str, action: str, entity: str, entity_id, before, after) -> int:
    """Append one audit row inside the caller's transaction; returns its id."""
    head = con.execute("select last_hash from audit_head where id = 1").fetchall()
    prev = head[0][0] if head else None
    audit_id = con.execute("select nextval('audit_ids')").fetchall()[0][0]
    content = (audit_id, now(), actor, str(action), str(entity), None if entity_id is None else str(entity_id),
               to_json(before), to_json(after))
    sealed = row_hash(prev, content)
    con.execute("insert into audit_log (id, changed_at, actor, action, entity, entity_id, before_json, after_json, "
                "prev_hash, row_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*content, prev, sealed])
    con.execute("update audit_head set last_id = ?, last_hash = ? where id = 1", [audit_id, sealed])
    return audit_id


def append_many(con, entries: list[tuple]) -> None:
    """Append (actor, action, entity, entity_id, before, after) rows with one INSERT: a batch of
    new notes gets one audit row per note without a statement per row."""
    if not entries:
        return
    head = con.execute("select last_hash from audit_head where id = 1").fetchall()
    prev = head[0][0] if head else None
    ids = [r[0] for r in con.execute("select nextval('audit_ids') from range(?)", [len(entries)]).fetchall()]
    at = now()
    rows = []
    for audit_id, (actor, action, entity, entity_id, before, after) in zip(ids, entries, strict=True):
        content = (audit_id, at, actor, str(action), str(entity), None if entity_id is None else str(entity_id),
                   to_json(before), to_json(after))
        sealed = row_hash(prev, content)
        rows.append((*content, prev, sealed))
        prev = sealed
    cols = [list(c) for c in zip(*rows, strict=True)]
    con.execute("insert into audit_log (id, changed_at, actor, action, entity, entity_id, before_json, after_json, "
                "prev_hash, row_hash) select unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), "
                "unnest(?), unnest(?), unnest(?), unnest(?)", cols)
    con.execute("update audit_head set last_id = ?, last_hash = ? where id = 1", [ids[-1], prev])


def rechain(con) -> None:
    """Seal every row in id order (the migration of a log written before the chain existed)."""
    prev = None
    rows = con.execute(f"select {_CONTENT} from audit_log order by id").fetchall()
    for content in rows:
        sealed = row_hash(prev, content)
        con.execute("update audit_log set prev_hash = ?, row_hash = ? where id = ?", [prev, sealed, content[0]])
        prev = sealed
    con.execute("update audit_head set last_id = ?, last_hash = ? where id = 1", [rows[-1][0] if rows else None, prev])


def verify(con) -> tuple[bool, str]:
    """(True, summary) when every row still fits the chain, else (False, the first row that does not)."""
    prev = None
    rows = con.execute(f"select {_CONTENT}, prev_hash, row_hash from audit_log order by id").fetchall()
    for row in rows:
        content, stored_prev, stored = row[:-2], row[-2], row[-1]
        if stored_prev != prev:
            return False, f"audit row #{content[0]} does not follow the row before it (a row was removed or added)"
        if row_hash(prev, content) != stored:
            return False, f"audit row #{content[0]} was changed after it was written"
        prev = stored
    head = con.execute("select last_hash from audit_head where id = 1").fetchall()
    if rows and head and head[0][0] != prev:
        return False, "the last audit rows were removed"
    return True, f"{len(rows)} audit rows, chain intact"


def list_audit(con, *, actors: Iterable[str] = (), actions: Iterable[str] = (), entities: Iterable[str] = (),
               entity_id: str | None = None, since: date | None = None, until: date | None = None,
               text: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The audit log, newest first, filtered; ``text`` searches the before/after values."""
    clauses, params = ["true"], []
    for column, values in zip(FACETS, (actors, actions, entities), strict=True):
        values = [v for v in values if v]
        if values:
            clauses.append(f"list_contains(?, {column})")  # column from the fixed FACETS tuple
            params.append(values)
    if entity_id:
        clauses.append("entity_id = ?")
        params.append(str(entity_id))
    if since:
        clauses.append("changed_at >= ?")
        params.append(datetime.combine(since, datetime.min.time()))
    if until:
        clauses.append("changed_at < ?")
        params.append(datetime.combine(until, datetime.min.time()) + pd.Timedelta(days=1))
    if text:
        clauses.append("(contains(lower(cast(before_json as varchar)), lower(?)) "
                       "or contains(lower(cast(after_json as varchar)), lower(?)))")
        params += [text, text]
    sql = ("select id, changed_at, actor, action, entity, entity_id, cast(before_json as varchar) as before, "
           "cast(after_json as varchar) as after from audit_log where " + " and ".join(clauses)
           + " order by id desc")
    if limit is not None:
        sql += " limit ?"
        params.append(int(limit))
    return con.cursor().execute(sql, params).df()


def audit_facets(con) -> dict[str, list[str]]:
    """The values present in each filterable column, for the page's pickers."""
    cur = con.cursor()
    return {col: [r[0] for r in cur.execute(f"select distinct {col} from audit_log order by 1").fetchall()]
            for col in FACETS}  # col from the fixed FACETS tuple
