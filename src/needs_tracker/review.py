"""Staff review: the decisions people make about extracted needs and workshops.

Every write takes an ``Editor`` first and refuses anything else (``auth.require_editor``),
so a viewer cannot change the store whether through a page or around it. Each write opens a
short-lived connection (DuckDB locks the file per process, so nothing here holds one), runs
in one transaction, and records who changed what, with the row before and after, in the
audit log (``audit.record``) inside that same transaction: a change and its audit row land
together or not at all.

Decisions outlast the extractor: ``reprocess`` (in its own module, re-exported here) re-runs
the current rules over every stored note and keeps every decision recorded here. The audit
log's readers live in ``needs_tracker.audit`` and are re-exported here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

import pandas as pd

from . import audit, db
from .audit import AUDIT_FORMATS, audit_facets, audit_to_bytes, list_audit
from .auth import Editor, require_editor
from .errors import ReadError, ReviewError
from .ingest import WRITABLE_FIELDS, FileReport, ingest_documents
from .readers import read_bytes
from .reprocess import REPROCESS_BATCH_SECONDS, reprocess

__all__ = [
    "AUDIT_FORMATS", "CONTEXT_CHARS", "DATE_PRECISIONS", "REPROCESS_BATCH_SECONDS", "ROLES", "add_manual_need",
    "add_participant", "audit_facets", "audit_to_bytes", "confirm_need", "confirm_participant", "correct_need",
    "edit_workshop", "find_quote", "ingest_uploads", "list_audit", "queue_size", "reject_need",
    "remove_participant", "reprocess", "review_counts", "review_queue", "workshop_choices", "workshop_for_edit",
]

ROLES = ("host", "participant", "observer")
DATE_PRECISIONS = ("day", "month", "year")
CONTEXT_CHARS = 320
_NEED_FIELDS = ("id", "workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end",
                "rule", "confidence", "status", "original_state_iso3", "original_category",
                "reviewed_by", "note")


def _write(editor: object, location: str | None, work: Callable):
    """Check the editor, then run ``work(con, editor)`` in one transaction on a short-lived connection."""
    editor = require_editor(editor)
    with db.connect(location) as con:
        with db.transaction(con):
            return work(con, editor)


def _valid_state(iso3: str) -> str:
    from .states import state_index

    iso3 = (iso3 or "").strip().upper()
    if state_index().get(iso3) is None:
        raise ReviewError(f"unknown state {iso3!r}: give a UN member state's ISO3 code")
    return iso3


def _valid_category(category: str) -> str:
    from .taxonomy import category_ids

    valid = category_ids()
    if category not in valid:
        raise ReviewError(f"unknown category {category!r}; valid: {', '.join(valid)}")
    return category


def _need(con, need_id: int) -> dict:
    rows = con.execute(f"select {', '.join(_NEED_FIELDS)} from needs where id = ?", [int(need_id)]).fetchall()
    if not rows:
        raise ReviewError(f"need #{need_id} no longer exists (a reprocess may have replaced it); reload the queue")
    return dict(zip(_NEED_FIELDS, rows[0], strict=True))


def _duplicate(con, workshop_id: int, state: str, category: str, evidence: str, exclude: int | None) -> int | None:
    rows = con.execute(
        "select id from needs where workshop_id = ? and state_iso3 = ? and category = ? and evidence = ? "
        "and status <> 'rejected' and id <> ?",
        [workshop_id, state, category, evidence, -1 if exclude is None else int(exclude)],
    ).fetchall()
    return rows[0][0] if rows else None


# --- needs -------------------------------------------------------------------------------
def _decide_need(editor: Editor, need_id: int, status: str, refuse_if: tuple[str, ...], note: str | None,
                 location: str | None) -> None:
    """Set a need's status to ``status`` (confirmed or rejected), refusing when it is already in ``refuse_if``."""
    action = {"confirmed": "confirm", "rejected": "reject"}[status]  # status from this fixed mapping only

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        if row["status"] in refuse_if:
            raise ReviewError(f"need #{need_id} is already {row['status']} (by {row['reviewed_by']})")
        after = {"status": status, "reviewed_by": ed.actor, "note": note or row["note"]}
        con.execute("update needs set status = ?, reviewed_by = ?, reviewed_at = ?, note = ? where id = ?",
                    [status, ed.actor, audit.now(), after["note"], int(need_id)])
        audit.record(con, ed, action, "need", need_id, *audit.changed(row, after))

    _write(editor, location, work)


def confirm_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark an extracted (or earlier rejected) need as right."""
    _decide_need(editor, need_id, "confirmed", ("confirmed", "corrected", "manual"), note, location)


def reject_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark a need as wrong. It stays in the store (hidden from figures) so no later run re-adds it."""
    _decide_need(editor, need_id, "rejected", ("rejected",), note, location)


def correct_need(editor: Editor, need_id: int, *, state_iso3: str | None = None, category: str | None = None,
                 note: str | None = None, location: str | None = None) -> None:
    """Change a need's state and/or category; what the extractor said is kept in original_*."""

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        new_state = _valid_state(state_iso3) if state_iso3 else row["state_iso3"]
        new_category = _valid_category(category) if category else row["category"]
        if (new_state, new_category) == (row["state_iso3"], row["category"]):
            raise ReviewError(f"need #{need_id} already has that state and category: nothing to correct")
        dup = _duplicate(con, row["workshop_id"], new_state, new_category, row["evidence"], exclude=need_id)
        if dup is not None:
            raise ReviewError(f"need #{dup} already records this state, category and quote")
        status = "manual" if row["status"] == "manual" else "corrected"
        original_state = None if status == "manual" else (row["original_state_iso3"] or row["state_iso3"])
        original_category = None if status == "manual" else (row["original_category"] or row["category"])
        after = {"state_iso3": new_state, "category": new_category, "status": status,
                 "original_state_iso3": original_state, "original_category": original_category,
                 "reviewed_by": ed.actor, "note": note or row["note"]}
        con.execute(
            "update needs set state_iso3 = ?, category = ?, status = ?, original_state_iso3 = ?, "
            "original_category = ?, reviewed_by = ?, reviewed_at = ?, note = ? where id = ?",
            [new_state, new_category, status, original_state, original_category, ed.actor, audit.now(),
             after["note"], int(need_id)],
        )
        audit.record(con, ed, "correct", "need", need_id, *audit.changed(row, after))

    _write(editor, location, work)


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """The span of ``quote`` in ``text``: exactly, else allowing any run of whitespace (a quote
    copied from a browser loses line breaks). ReviewError when the note does not contain it."""
    quote = (quote or "").strip()
    if len(quote) < 3:
        raise ReviewError("give the quote from the note that reports the need")
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, text)
    if match:
        return match.start(), match.end()
    raise ReviewError("the quote is not in the note: copy it exactly from the note's text")


def add_manual_need(editor: Editor, workshop_id: int, state_iso3: str, category: str, quote: str, *,
                    note: str | None = None, location: str | None = None) -> int:
    """Record a need the extractor missed; the quote must be found in the workshop's note."""

    def work(con, ed: Editor) -> int:
        rows = con.execute("select d.text from workshops w join documents d on d.id = w.document_id "
                           "where w.id = ?", [int(workshop_id)]).fetchall()
        if not rows:
            raise ReviewError(f"workshop #{workshop_id} does not exist")
        text = rows[0][0]
        start, end = find_quote(text, quote)
        evidence = text[start:end]
        state, cat = _valid_state(state_iso3), _valid_category(category)
        dup = _duplicate(con, int(workshop_id), state, cat, evidence, exclude=None)
        if dup is not None:
            raise ReviewError(f"need #{dup} already records this state, category and quote")
        need_id = con.execute(
            "insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
            "confidence, status, reviewed_by, reviewed_at, note) "
            "values (?, ?, ?, ?, ?, ?, 'manual', 1.0, 'manual', ?, ?, ?) returning id",
            [int(workshop_id), state, cat, evidence, start, end, ed.actor, audit.now(), note],
        ).fetchall()[0][0]
        audit.record(con, ed, "add", "need", need_id, None,
                     {"workshop_id": int(workshop_id), "state_iso3": state, "category": cat, "evidence": evidence,
                      "span_start": start, "span_end": end, "status": "manual", "note": note})
        return need_id

    return _write(editor, location, work)


# --- workshops and participants ----------------------------------------------------------
def _coerce_field(name: str, value):
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        return None
    if name in ("start_date", "end_date"):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ReviewError(f"{name.replace('_', ' ')} {value!r} is not a date like 2024-03-18") from None
    if name == "year":
        try:
            year = int(value)
        except (TypeError, ValueError):
            raise ReviewError(f"year {value!r} is not a number") from None
        if not 1950 <= year <= 2100:
            raise ReviewError(f"year {year} is out of range")
        return year
    if name == "date_precision" and value not in DATE_PRECISIONS:
        raise ReviewError(f"date precision must be one of {', '.join(DATE_PRECISIONS)}")
    if name == "venue_country_iso3":
        return _valid_state(str(value))
    return str(value)


def edit_workshop(editor: Editor, workshop_id: int, changes: Mapping[str, object], *,
                  location: str | None = None) -> list[str]:
    """Correct a workshop's fields; the fields changed are kept by every later reprocess.

    Returns the names of the fields that changed.
    """
    unknown = [k for k in changes if k not in WRITABLE_FIELDS]
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(unknown)}; editable: {', '.join(WRITABLE_FIELDS)}")
    wanted = {k: _coerce_field(k, v) for k, v in changes.items()}
    if wanted.get("start_date") and "year" not in wanted:
        wanted["year"] = wanted["start_date"].year
    if wanted.get("start_date") and "date_precision" not in wanted:
        wanted["date_precision"] = "day"
    if wanted.get("venue_country_iso3") and "venue_country" not in wanted:
        from .states import state_name

        wanted["venue_country"] = state_name(wanted["venue_country_iso3"])
    if "kind" in wanted and not wanted["kind"]:
        raise ReviewError("a workshop needs a kind (workshop, seminar, ...)")

    def work(con, ed: Editor) -> list[str]:
        cols = ", ".join(WRITABLE_FIELDS)
        rows = con.execute(f"select {cols}, edited_fields from workshops where id = ?", [int(workshop_id)]).fetchall()
        if not rows:
            raise ReviewError(f"workshop #{workshop_id} does not exist")
        current = dict(zip(WRITABLE_FIELDS, rows[0][:-1], strict=True))
        edited = list(rows[0][-1] or [])
        before, after = audit.changed(current, wanted)
        start, end = after.get("start_date", current["start_date"]), after.get("end_date", current["end_date"])
        if start and end and end < start:
            raise ReviewError(f"the end date {end} is before the start date {start}")
        if not after:
            raise ReviewError("nothing changed")
        for name, value in after.items():  # names are from WRITABLE_FIELDS, checked above
            con.execute(f"update workshops set {name} = ? where id = ?", [value, int(workshop_id)])
        con.execute("update workshops set edited_fields = ?, updated_at = ? where id = ?",
                    [list(dict.fromkeys(edited + list(after))), audit.now(), int(workshop_id)])
        audit.record(con, ed, "edit", "workshop", workshop_id, before, after)
        return list(after)

    return _write(editor, location, work)


def _participant(con, workshop_id: int, iso3: str) -> dict | None:
    rows = con.execute("select role, origin, status from participation where workshop_id = ? and state_iso3 = ?",
                       [int(workshop_id), iso3]).fetchall()
    return dict(zip(("role", "origin", "status"), rows[0], strict=True)) if rows else None


def _check_workshop(con, workshop_id: int) -> None:
    if not con.execute("select 1 from workshops where id = ?", [int(workshop_id)]).fetchall():
        raise ReviewError(f"workshop #{workshop_id} does not exist")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ReviewError(f"role must be one of {', '.join(ROLES)}")
    return role


def add_participant(editor: Editor, workshop_id: int, state_iso3: str, role: str = "participant", *,
                    location: str | None = None) -> None:
    """Add a state the extractor missed (or bring back one that was removed), as confirmed."""
    iso3, role = _valid_state(state_iso3), _check_role(role)

    def work(con, ed: Editor) -> None:
        _check_workshop(con, workshop_id)
        row = _participant(con, workshop_id, iso3)
        if row is None:
            con.execute("insert into participation (workshop_id, state_iso3, role, origin, status) "
                        "values (?, ?, ?, 'manual', 'confirmed')", [int(workshop_id), iso3, role])
            audit.record(con, ed, "add", "participant", f"{workshop_id}:{iso3}", None,
                         {"role": role, "origin": "manual", "status": "confirmed"})
            return
        if row["status"] != "rejected":
            raise ReviewError(f"{iso3} is already listed for workshop #{workshop_id}")
        con.execute("update participation set status = 'confirmed', role = ? where workshop_id = ? "
                    "and state_iso3 = ?", [role, int(workshop_id), iso3])
        audit.record(con, ed, "add", "participant", f"{workshop_id}:{iso3}",
                     *audit.changed(row, {"role": role, "status": "confirmed"}))

    _write(editor, location, work)


def _set_participant(editor, workshop_id, state_iso3, status, role, action, location) -> None:
    iso3 = (state_iso3 or "").strip().upper()
    if role is not None:
        _check_role(role)

    def work(con, ed: Editor) -> None:
        row = _participant(con, workshop_id, iso3)
        if row is None:
            raise ReviewError(f"{iso3} is not listed for workshop #{workshop_id}")
        after = {"status": status, "role": role or row["role"]}
        before, after = audit.changed(row, after)
        if not after:
            raise ReviewError(f"{iso3} is already {status} for workshop #{workshop_id}")
        con.execute("update participation set status = ?, role = ? where workshop_id = ? and state_iso3 = ?",
                    [status, role or row["role"], int(workshop_id), iso3])
        audit.record(con, ed, action, "participant", f"{workshop_id}:{iso3}", before, after)

    _write(editor, location, work)


def confirm_participant(editor: Editor, workshop_id: int, state_iso3: str, role: str | None = None, *,
                        location: str | None = None) -> None:
    """Mark a listed state as right (optionally with a corrected role)."""
    _set_participant(editor, workshop_id, state_iso3, "confirmed", role, "confirm", location)


def remove_participant(editor: Editor, workshop_id: int, state_iso3: str, *, location: str | None = None) -> None:
    """Mark a listed state as wrong; kept as rejected so no later run lists it again."""
    _set_participant(editor, workshop_id, state_iso3, "rejected", None, "remove", location)


# --- reading for the review page ---------------------------------------------------------
def _trim_context(before: str, after: str) -> tuple[str, str]:
    """Keep the paragraph around the sentence: cut at the nearest blank line on each side."""
    if "\n\n" in before:
        before = before.rsplit("\n\n", 1)[1]
    if "\n\n" in after:
        after = after.split("\n\n", 1)[0]
    return before.lstrip(), after.rstrip()


def review_queue(con, *, workshop_id: int | None = None, limit: int | None = 20, offset: int = 0) -> pd.DataFrame:
    """Extracted needs nobody has reviewed, lowest confidence first, each with its context."""
    sql = """
        select n.id as need_id, n.workshop_id, w.title as workshop_title, d.file_name, n.state_iso3,
               coalesce(s.name, n.state_iso3) as state_name, n.category, n.confidence, n.rule, n.evidence,
               n.span_start, n.span_end,
               substring(d.text, greatest(n.span_start - ?, 0) + 1, n.span_start - greatest(n.span_start - ?, 0))
                 as context_before,
               substring(d.text, n.span_end + 1, ?) as context_after
        from needs n join workshops w on w.id = n.workshop_id join documents d on d.id = w.document_id
        left join states s on s.iso3 = n.state_iso3
        where n.status = 'extracted' and (? is null or n.workshop_id = ?)
        order by n.confidence, n.id limit ? offset ?"""
    params = [CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, workshop_id, workshop_id,
              10**9 if limit is None else int(limit), int(offset)]
    df = con.cursor().execute(sql, params).df()
    if len(df):
        trimmed = [_trim_context(b or "", a or "") for b, a in zip(df["context_before"], df["context_after"],
                                                                     strict=True)]
        df["context_before"] = [b for b, _ in trimmed]
        df["context_after"] = [a for _, a in trimmed]
    return df


def queue_size(con, *, workshop_id: int | None = None) -> int:
    return con.cursor().execute(
        "select count(*) from needs where status = 'extracted' and (? is null or workshop_id = ?)",
        [workshop_id, workshop_id]).fetchall()[0][0]


def review_counts(con) -> dict[str, int]:
    """Needs per status, for the page's header."""
    rows = con.cursor().execute("select status, count(*) from needs group by status").fetchall()
    return dict(rows)


def workshop_choices(con) -> list[tuple[int, str]]:
    """(workshop id, label) for pickers, newest first."""
    rows = con.cursor().execute(
        "select w.id, coalesce(w.title, d.file_name), w.year, "
        "(select count(*) from needs n where n.workshop_id = w.id and n.status = 'extracted') "
        "from workshops w join documents d on d.id = w.document_id order by w.start_date desc nulls last, w.id"
    ).fetchall()
    return [(wid, f"#{wid} {title}" + (f" ({year})" if year else "") + (f" · {todo} to review" if todo else ""))
            for wid, title, year, todo in rows]


def workshop_for_edit(con, workshop_id: int) -> dict | None:
    """A workshop's editable fields, which of them people changed, its participants and its note."""
    cols = ", ".join(f"w.{c}" for c in WRITABLE_FIELDS)
    cur = con.cursor()
    rows = cur.execute(f"select {cols}, w.edited_fields, d.file_name, d.text from workshops w "
                       "join documents d on d.id = w.document_id where w.id = ?", [int(workshop_id)]).fetchall()
    if not rows:
        return None
    info = dict(zip(WRITABLE_FIELDS, rows[0][: len(WRITABLE_FIELDS)], strict=True))
    info["edited_fields"], info["file_name"], info["text"] = list(rows[0][-3] or []), rows[0][-2], rows[0][-1]
    info["participants"] = cur.execute(
        "select p.state_iso3, coalesce(s.name, p.state_iso3) as state_name, p.role, p.origin, p.status "
        "from participation p left join states s on s.iso3 = p.state_iso3 where p.workshop_id = ? "
        "order by state_name", [int(workshop_id)]).df()
    return info


# --- upload ------------------------------------------------------------------------------
def ingest_uploads(editor: Editor, files: Iterable[tuple[str, bytes]], *, location: str | None = None,
                   on_report: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    """Ingest notes uploaded in the dashboard, with the CLI's per-file reports.

    A file whose bytes are already stored is reported ``unchanged`` (duplicates are recognised
    by content, not name). Each stored file gets an audit row naming who uploaded it.
    """
    ed = require_editor(editor)
    reports: list[FileReport] = []

    def report(r: FileReport) -> None:
        reports.append(r)
        if on_report:
            on_report(r)

    docs = []
    for name, data in files:
        try:
            docs.append(read_bytes(data, name))
        except ReadError as exc:
            report(FileReport(exc.file_name, "rejected", exc.reason))
    ingest_documents(docs, location=location, on_report=report)
    stored = [(r, d) for r in reports if r.outcome in ("ingested", "replaced")
              for d in docs if d.file_name == r.file_name]
    if stored:
        with db.connect(location) as con, db.transaction(con):
            for r, d in stored:
                audit.record(con, ed, "upload", "document", d.sha256, None,
                             {"file_name": d.file_name, "outcome": r.outcome, "workshop_id": r.workshop_id,
                              "detail": r.detail})
    return reports
