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

__all__ = ["AUDIT_FORMATS", "FACETS", "audit_facets", "audit_to_bytes", "change_in_words", "list_audit", "now",
           "record", "verify", "with_change_words"]

AUDIT_FORMATS = ("csv", "json")


def record(con, editor: Editor, action: str, entity: str, entity_id, before, after) -> None:
    """One audit row: who did ``action`` to ``entity`` #``entity_id``, with the values before and after.

    Runs in the caller's transaction, so a change and its audit row land together or not at all."""
    audit_chain.append(con, editor.actor, action, entity, entity_id, before, after)


def _numbers(ids) -> str:
    """[4, 5, 6] -> '#4, #5 and #6'."""
    marks = [f"#{i}" for i in ids]
    return marks[0] if len(marks) == 1 else ", ".join(marks[:-1]) + " and " + marks[-1]


def change_in_words(action: str, entity: str, entity_id, after) -> str:
    """One audit row in words. A merge or a split of an event's sources is stored as an "edit" of a
    workshop (the schema's word); its values say which (``merged_sources``, ``split_from_event``),
    and a person reading the log must not have to decode them (qa10)."""
    values = json.loads(after) if isinstance(after, str) else after
    if entity == "workshop" and isinstance(values, dict):
        if values.get("merged_sources"):
            return f"merged workshops {_numbers(values['merged_sources'])} into one event (#{values.get('event_id')})"
        if values.get("split_from_event") is not None:
            return (f"split workshop #{entity_id} out of event #{values['split_from_event']}: "
                    "now an event of its own")
        if values.get("record") is not None and values.get("sources"):
            return f"made workshop #{values['record']} the record of its event ({_numbers(values['sources'])})"
    return f"{action} {entity}" + ("" if entity_id is None or pd.isna(entity_id) else f" #{entity_id}")


def with_change_words(df: pd.DataFrame) -> pd.DataFrame:
    """``list_audit``'s rows with a "change" column (``change_in_words``) after ``entity_id``."""
    words = [change_in_words(r.action, r.entity, r.entity_id, r.after) for r in df.itertuples(index=False)]
    out = df.copy()
    out.insert(out.columns.get_loc("entity_id") + 1, "change", words)
    return out


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
