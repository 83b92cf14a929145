"""The audit log: how every change is recorded, and how people read, check and export the record.

Writers (review actions, ingests, uploads, replacements, reprocess, the sample-notes bootstrap)
append inside their own transaction, so a change and its audit row land together or not at
all. Rows are hash-chained (``store.audit_chain``): ``verify`` shows whether any was altered.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from . import store
from .auth import Editor
from .errors import NeedsTrackerError
from .store import audit_chain
from .store.audit_chain import FACETS, audit_facets, list_audit, now

__all__ = ["AUDIT_FORMATS", "FACETS", "audit_facets", "audit_to_bytes", "list_audit", "now", "record",
           "verify"]

AUDIT_FORMATS = ("csv", "json")


def record(con, editor: Editor, action: str, entity: str, entity_id, before, after) -> None:
    """One audit row: who did ``action`` to ``entity`` #``entity_id``, with the values before and after.

    Runs in the caller's transaction, so a change and its audit row land together or not at all."""
    audit_chain.append(con, editor.actor, action, entity, entity_id, before, after)


def verify(location: str | None = None) -> tuple[bool, str]:
    """Check the audit log's hash chain: (True, summary) or (False, the first row that was tampered with)."""
    with store.connect(location) as con:
        return audit_chain.verify(con)


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
