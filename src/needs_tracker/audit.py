"""The audit log: how every change is recorded, and how people read and export the record.

Writers (the review actions, uploads, reprocess) call ``record`` inside their own
transaction, so a change and its audit row land together or not at all. Readers filter the
log for the Audit page and export it as CSV or JSON.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

import pandas as pd

from .auth import Editor
from .errors import NeedsTrackerError

AUDIT_FORMATS = ("csv", "json")
FACETS = ("actor", "action", "entity")  # the columns a reader may filter on; SQL names come only from here


def now() -> datetime:
    """UTC without a zone, as the store's timestamps are kept."""
    return datetime.now(UTC).replace(tzinfo=None)


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys of ``after`` whose value differs from ``before``: (old values, new values)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def record(con, editor: Editor, action: str, entity: str, entity_id, before, after) -> None:
    """One audit row: who did ``action`` to ``entity`` #``entity_id``, with the values before and after."""
    con.execute(
        "insert into audit_log (changed_at, actor, action, entity, entity_id, before_json, after_json) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [now(), editor.actor, action, entity, None if entity_id is None else str(entity_id), _json(before),
         _json(after)],
    )


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


def audit_to_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """The audit rows as csv or json (before/after kept as JSON text in csv, as objects in json).

    In csv, a value a spreadsheet would run as a formula (an editor's name, say) is neutralised."""
    if fmt == "csv":
        from .export.csv_format import neutralise

        buf = io.StringIO()
        df.astype(object).map(neutralise).to_csv(buf, index=False)
        return buf.getvalue().encode("utf-8")
    if fmt == "json":
        rows = []
        for rec in df.to_dict("records"):
            rec["changed_at"] = str(rec["changed_at"])
            for key in ("before", "after"):
                rec[key] = json.loads(rec[key]) if isinstance(rec[key], str) else None
            rows.append({k: (None if not isinstance(v, list | dict) and pd.isna(v) else v) for k, v in rec.items()})
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    raise NeedsTrackerError(f"unknown audit export format {fmt!r}; valid: {', '.join(AUDIT_FORMATS)}")
