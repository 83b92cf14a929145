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

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, datetime

import pandas as pd

from . import audit, store
from .audit import AUDIT_FORMATS, audit_facets, audit_to_bytes, list_audit
from .auth import Editor, require_editor
from .errors import ReadError, ReviewError
from .ingest import WRITABLE_FIELDS, FileReport, ingest_documents
from .readers import read_bytes
from .reprocess import REPROCESS_BATCH_SECONDS, reprocess
from .review_checks import changed, find_quote, valid_category, valid_state
from .store import decisions, reads
from .store import review_writes as rw
from .store.vocab import (
    AuditAction,
    AuditEntity,
    DatePrecision,
    NeedStatus,
    Origin,
    ParticipantStatus,
    ReviewChoice,
    Role,
    WorkshopKind,
    workshop_kind,
)

__all__ = [
    "AUDIT_FORMATS", "CONTEXT_CHARS", "DATE_PRECISIONS", "KINDS", "REPROCESS_BATCH_SECONDS", "ROLES", "add_manual_need",
    "add_participant", "audit_facets", "audit_to_bytes", "confirm_need", "confirm_participant", "correct_need",
    "edit_workshop", "find_quote", "ingest_uploads", "list_audit", "queue_size", "reject_need",
    "remove_participant", "reprocess", "review_counts", "review_queue", "workshop_choices", "workshop_for_edit",
]

ROLES = tuple(str(r) for r in Role)
DATE_PRECISIONS = tuple(str(p) for p in DatePrecision)
KINDS = tuple(str(k) for k in WorkshopKind)  # the kinds an editor may choose (the schema's CHECK)
CONTEXT_CHARS = 320


def _write(editor: object, location: str | None, work: Callable):
    """Check the editor, then run ``work(con, editor)`` in one transaction on a short-lived connection.

    Two editors on the same row at once: the later write is retried, and if the other keeps
    winning the person gets ``StoreConflictError`` ("someone changed this at the same time...")."""
    editor = require_editor(editor)
    return store.write(location, lambda con: work(con, editor))


def _need(con, need_id: int) -> dict:
    row = rw.need_row(con, need_id)
    if row is None:
        raise ReviewError(f"need #{need_id} no longer exists (a reprocess may have replaced it); reload the queue")
    return row


_duplicate = rw.duplicate_need


# --- needs -------------------------------------------------------------------------------
def _decide_need(editor: Editor, need_id: int, status: str, refuse_if: tuple[str, ...], note: str | None,
                 location: str | None) -> None:
    """Set a need's status to ``status`` (confirmed or rejected), refusing when it is already in ``refuse_if``."""
    action = {NeedStatus.CONFIRMED: AuditAction.CONFIRM, NeedStatus.REJECTED: AuditAction.REJECT}[status]

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        if row["status"] in refuse_if and not row["flagged"]:
            raise ReviewError(f"need #{need_id} is already {row['status']} (by {row['reviewed_by']})")
        after = {"status": status, "reviewed_by": ed.actor, "note": note or row["note"], "flagged": None}
        rw.decide_need(con, need_id, status, ed.actor, audit.now(), after["note"])
        audit.record(con, ed, action, AuditEntity.NEED, need_id, *changed(row, after))

    _write(editor, location, work)


def confirm_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark an extracted (or earlier rejected) need as right."""
    _decide_need(editor, need_id, NeedStatus.CONFIRMED,
                 (NeedStatus.CONFIRMED, NeedStatus.CORRECTED, NeedStatus.MANUAL), note, location)


def reject_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark a need as wrong. It stays in the store (hidden from figures) so no later run re-adds it."""
    _decide_need(editor, need_id, NeedStatus.REJECTED, (NeedStatus.REJECTED,), note, location)


def correct_need(editor: Editor, need_id: int, *, state_iso3: str | None = None, category: str | None = None,
                 note: str | None = None, location: str | None = None) -> None:
    """Change a need's state and/or category; what the extractor said is kept in original_*."""

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        new_state = valid_state(state_iso3) if state_iso3 else row["state_iso3"]
        new_category = valid_category(category) if category else row["category"]
        if (new_state, new_category) == (row["state_iso3"], row["category"]):
            raise ReviewError(f"need #{need_id} already has that state and category: nothing to correct")
        dup = _duplicate(con, row["workshop_id"], new_state, new_category, row["evidence"], exclude=need_id)
        if dup is not None:
            raise ReviewError(f"need #{dup} already records this state, category and quote")
        manual = row["status"] == NeedStatus.MANUAL
        status = NeedStatus.MANUAL if manual else NeedStatus.CORRECTED
        original_state = None if manual else (row["original_state_iso3"] or row["state_iso3"])
        original_category = None if manual else (row["original_category"] or row["category"])
        after = {"state_iso3": new_state, "category": new_category, "status": status,
                 "original_state_iso3": original_state, "original_category": original_category,
                 "reviewed_by": ed.actor, "note": note or row["note"], "flagged": None}
        rw.correct_need(con, need_id, after, audit.now())
        audit.record(con, ed, AuditAction.CORRECT, AuditEntity.NEED, need_id, *changed(row, after))

    _write(editor, location, work)


def add_manual_need(editor: Editor, workshop_id: int, state_iso3: str, category: str, quote: str, *,
                    note: str | None = None, location: str | None = None) -> int:
    """Record a need the extractor missed; the quote must be found in the workshop's note."""

    def work(con, ed: Editor) -> int:
        text = rw.workshop_text(con, workshop_id)
        if text is None:
            raise ReviewError(f"workshop #{workshop_id} does not exist")
        start, end = find_quote(text, quote)
        evidence = text[start:end]
        state, cat = valid_state(state_iso3), valid_category(category)
        dup = _duplicate(con, int(workshop_id), state, cat, evidence, exclude=None)
        if dup is not None:
            raise ReviewError(f"need #{dup} already records this state, category and quote")
        need_id = rw.insert_manual_need(con, workshop_id, state, cat, evidence, start, end, ed.actor, audit.now(),
                                        note)
        audit.record(con, ed, AuditAction.ADD, AuditEntity.NEED, need_id, None,
                     {"workshop_id": int(workshop_id), "state_iso3": state, "category": cat, "evidence": evidence,
                      "span_start": start, "span_end": end, "status": NeedStatus.MANUAL, "note": note})
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
        return valid_state(str(value))
    if name == "kind":  # a closed vocabulary: any other word is refused here, in one line
        kind = workshop_kind(str(value))
        if kind is None:
            raise ReviewError(f"kind {str(value)!r} is not a workshop kind; choose one of {', '.join(KINDS)}")
        return str(kind)
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
        raise ReviewError(f"a workshop needs a kind: one of {', '.join(KINDS)}")

    def work(con, ed: Editor) -> list[str]:
        found = rw.workshop_fields(con, workshop_id)
        if found is None:
            raise ReviewError(f"workshop #{workshop_id} does not exist")
        current, edited = found
        before, after = changed(current, wanted)
        start, end = after.get("start_date", current["start_date"]), after.get("end_date", current["end_date"])
        if start and end and end < start:
            raise ReviewError(f"the end date {end} is before the start date {start}")
        if not after:
            raise ReviewError("nothing changed")
        rw.update_workshop_fields(con, workshop_id, after, list(dict.fromkeys(edited + list(after))), audit.now())
        audit.record(con, ed, AuditAction.EDIT, AuditEntity.WORKSHOP, workshop_id, before, after)
        return list(after)

    return _write(editor, location, work)


_participant = rw.participant_row


def _check_workshop(con, workshop_id: int) -> None:
    if not rw.workshop_exists(con, workshop_id):
        raise ReviewError(f"workshop #{workshop_id} does not exist")


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ReviewError(f"role must be one of {', '.join(ROLES)}")
    return role


def add_participant(editor: Editor, workshop_id: int, state_iso3: str, role: str = "participant", *,
                    location: str | None = None) -> None:
    """Add a state the extractor missed (or bring back one that was removed), as confirmed."""
    iso3, role = valid_state(state_iso3), _check_role(role)

    def work(con, ed: Editor) -> None:
        _check_workshop(con, workshop_id)
        row = _participant(con, workshop_id, iso3)
        if row is None:
            rw.insert_manual_participant(con, workshop_id, iso3, role)
            audit.record(con, ed, AuditAction.ADD, AuditEntity.PARTICIPANT, f"{workshop_id}:{iso3}", None,
                         {"role": role, "origin": Origin.MANUAL, "status": ParticipantStatus.CONFIRMED})
            return
        if row["status"] != ParticipantStatus.REJECTED:
            raise ReviewError(f"{iso3} is already listed for workshop #{workshop_id}")
        rw.set_participant(con, workshop_id, iso3, ParticipantStatus.CONFIRMED, role)
        audit.record(con, ed, AuditAction.ADD, AuditEntity.PARTICIPANT, f"{workshop_id}:{iso3}",
                     *changed(row, {"role": role, "status": ParticipantStatus.CONFIRMED}))

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
        before, after = changed(row, after)
        if not after:
            raise ReviewError(f"{iso3} is already {status} for workshop #{workshop_id}")
        rw.set_participant(con, workshop_id, iso3, status, role or row["role"])
        audit.record(con, ed, action, AuditEntity.PARTICIPANT, f"{workshop_id}:{iso3}", before, after)

    _write(editor, location, work)


def confirm_participant(editor: Editor, workshop_id: int, state_iso3: str, role: str | None = None, *,
                        location: str | None = None) -> None:
    """Mark a listed state as right (optionally with a corrected role)."""
    _set_participant(editor, workshop_id, state_iso3, ParticipantStatus.CONFIRMED, role, AuditAction.CONFIRM,
                     location)


def remove_participant(editor: Editor, workshop_id: int, state_iso3: str, *, location: str | None = None) -> None:
    """Mark a listed state as wrong; kept as rejected so no later run lists it again."""
    _set_participant(editor, workshop_id, state_iso3, ParticipantStatus.REJECTED, None, AuditAction.REMOVE,
                     location)


# --- reading for the review page ---------------------------------------------------------
def _trim_context(before: str, after: str) -> tuple[str, str]:
    """Keep the paragraph around the sentence: cut at the nearest blank line on each side."""
    if "\n\n" in before:
        before = before.rsplit("\n\n", 1)[1]
    if "\n\n" in after:
        after = after.split("\n\n", 1)[0]
    return before.lstrip(), after.rstrip()


def review_queue(con, *, workshop_id: int | None = None, limit: int | None = 20, offset: int = 0,
                 choice: ReviewChoice | str = ReviewChoice.UNDECIDED, state_iso3: str | None = None) -> pd.DataFrame:
    """Needs a reviewer lists under ``choice``: by default those waiting for a person (unreviewed,
    or flagged after their note was replaced), most uncertain first; decided ones the most recent
    decision first, with who decided, when and what. Each with the paragraph around it."""
    df = decisions.need_list(con, choice=choice, workshop_id=workshop_id, limit=limit, offset=offset,
                             context_chars=CONTEXT_CHARS, state_iso3=state_iso3)
    if len(df):
        trimmed = [_trim_context(b or "", a or "") for b, a in zip(df["context_before"], df["context_after"],
                                                                     strict=True)]
        df["context_before"] = [b for b, _ in trimmed]
        df["context_after"] = [a for _, a in trimmed]
    return df


def queue_size(con, *, workshop_id: int | None = None, choice: ReviewChoice | str = ReviewChoice.UNDECIDED,
               state_iso3: str | None = None) -> int:
    """How many needs ``review_queue`` lists under ``choice`` (all pages)."""
    return decisions.need_count(con, choice=choice, workshop_id=workshop_id, state_iso3=state_iso3)


review_counts = reads.review_counts


def workshop_choices(con) -> list[tuple[int, str]]:
    """(workshop id, label) for pickers, newest first."""
    return [(wid, f"#{wid} {title or file_name}" + (f" ({year})" if year else "")
             + (f" · {todo} to review" if todo else ""))
            for wid, title, year, todo, file_name in reads.workshop_choices(con)]


def workshop_for_edit(con, workshop_id: int) -> dict | None:
    """A workshop's editable fields, which of them people changed, its participants and its note."""
    info = reads.workshop(con, workshop_id)
    if info is None:
        return None
    out = {name: info[name] for name in WRITABLE_FIELDS}
    out.update(edited_fields=list(info["edited_fields"] or []), file_name=info["file_name"], text=info["text"])
    out["participants"] = info["participants"][["state_iso3", "state_name", "role", "origin", "status"]]
    return out


# --- upload ------------------------------------------------------------------------------
def ingest_uploads(editor: Editor, files: Iterable[tuple[str, bytes]], *, location: str | None = None,
                   on_report: Callable[[FileReport], None] | None = None,
                   replace: bool | Collection[str] = False) -> list[FileReport]:
    """Ingest notes uploaded in the dashboard, with the CLI's per-file reports.

    A file whose bytes are already stored is reported ``unchanged`` (duplicates are recognised
    by content, not name). A file named like a stored note but with other content is stored as
    a new note and its report's ``same_name`` names the stored one (title and date), so the page
    can ask; once the person confirms, call again with ``replace`` (True, or those file names) and
    it becomes the new version of that note, the old text kept. Each stored file gets an audit
    row naming who uploaded it and the file's name.
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
    ingest_documents(docs, location=location, on_report=report, replace=replace, actor=ed.actor,
                     action=AuditAction.UPLOAD)
    return reports
