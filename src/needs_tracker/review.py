"""Staff review: the decisions people make about extracted needs and workshops, and reprocess.

Every write takes an ``Editor`` first and refuses anything else (``auth.require_editor``),
so a viewer cannot change the store whether through a page or around it. Each write opens a
short-lived connection (DuckDB locks the file per process, so nothing here holds one), runs
in one transaction, and records who changed what, with the row before and after, in
``audit_log`` inside that same transaction: a change and its audit row land together or not
at all.

Decisions outlast the extractor: ``reprocess`` re-runs the current rules over every stored
note through ``ingest.merge_extraction``, which keeps confirmed, rejected, corrected and
manual rows exactly as people left them.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime

import pandas as pd

from . import db
from .auth import Editor, local_editor, require_editor
from .errors import NeedsTrackerError, ReadError, ReviewError
from .ingest import WRITABLE_FIELDS, FileReport, ingest_documents, merge_extraction
from .readers import read_bytes

ROLES = ("host", "participant", "observer")
DATE_PRECISIONS = ("day", "month", "year")
CONTEXT_CHARS = 320
REPROCESS_BATCH_SECONDS = 1.0  # write at least this often so a dashboard can get in between
_NEED_FIELDS = ("id", "workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end",
                "rule", "confidence", "status", "original_state_iso3", "original_category",
                "reviewed_by", "note")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _audit(con, editor: Editor, action: str, entity: str, entity_id, before, after) -> None:
    def js(value):
        return None if value is None else json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)

    con.execute(
        "insert into audit_log (changed_at, actor, action, entity, entity_id, before_json, after_json) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [_now(), editor.actor, action, entity, None if entity_id is None else str(entity_id), js(before),
         js(after)],
    )


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


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# --- needs -------------------------------------------------------------------------------
def confirm_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark an extracted (or earlier rejected) need as right."""

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        if row["status"] in ("confirmed", "corrected", "manual"):
            raise ReviewError(f"need #{need_id} is already {row['status']} (by {row['reviewed_by']})")
        after = {"status": "confirmed", "reviewed_by": ed.actor, "note": note or row["note"]}
        con.execute("update needs set status = 'confirmed', reviewed_by = ?, reviewed_at = ?, note = ? "
                    "where id = ?", [ed.actor, _now(), after["note"], int(need_id)])
        _audit(con, ed, "confirm", "need", need_id, *_changed(row, after))

    _write(editor, location, work)


def reject_need(editor: Editor, need_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Mark a need as wrong. It stays in the store (hidden from figures) so no later run re-adds it."""

    def work(con, ed: Editor) -> None:
        row = _need(con, need_id)
        if row["status"] == "rejected":
            raise ReviewError(f"need #{need_id} is already rejected (by {row['reviewed_by']})")
        after = {"status": "rejected", "reviewed_by": ed.actor, "note": note or row["note"]}
        con.execute("update needs set status = 'rejected', reviewed_by = ?, reviewed_at = ?, note = ? "
                    "where id = ?", [ed.actor, _now(), after["note"], int(need_id)])
        _audit(con, ed, "reject", "need", need_id, *_changed(row, after))

    _write(editor, location, work)


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
            [new_state, new_category, status, original_state, original_category, ed.actor, _now(),
             after["note"], int(need_id)],
        )
        _audit(con, ed, "correct", "need", need_id, *_changed(row, after))

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
            [int(workshop_id), state, cat, evidence, start, end, ed.actor, _now(), note],
        ).fetchall()[0][0]
        _audit(con, ed, "add", "need", need_id, None,
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
        before, after = _changed(current, wanted)
        start, end = after.get("start_date", current["start_date"]), after.get("end_date", current["end_date"])
        if start and end and end < start:
            raise ReviewError(f"the end date {end} is before the start date {start}")
        if not after:
            raise ReviewError("nothing changed")
        for name, value in after.items():  # names are from WRITABLE_FIELDS, checked above
            con.execute(f"update workshops set {name} = ? where id = ?", [value, int(workshop_id)])
        con.execute("update workshops set edited_fields = ?, updated_at = ? where id = ?",
                    [list(dict.fromkeys(edited + list(after))), _now(), int(workshop_id)])
        _audit(con, ed, "edit", "workshop", workshop_id, before, after)
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
            _audit(con, ed, "add", "participant", f"{workshop_id}:{iso3}", None,
                   {"role": role, "origin": "manual", "status": "confirmed"})
            return
        if row["status"] != "rejected":
            raise ReviewError(f"{iso3} is already listed for workshop #{workshop_id}")
        con.execute("update participation set status = 'confirmed', role = ? where workshop_id = ? "
                    "and state_iso3 = ?", [role, int(workshop_id), iso3])
        _audit(con, ed, "add", "participant", f"{workshop_id}:{iso3}",
               *_changed(row, {"role": role, "status": "confirmed"}))

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
        before, after = _changed(row, after)
        if not after:
            raise ReviewError(f"{iso3} is already {status} for workshop #{workshop_id}")
        con.execute("update participation set status = ?, role = ? where workshop_id = ? and state_iso3 = ?",
                    [status, role or row["role"], int(workshop_id), iso3])
        _audit(con, ed, action, "participant", f"{workshop_id}:{iso3}", before, after)

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


# --- audit log ---------------------------------------------------------------------------
AUDIT_FORMATS = ("csv", "json")


def list_audit(con, *, actors: Iterable[str] = (), actions: Iterable[str] = (), entities: Iterable[str] = (),
               entity_id: str | None = None, since: date | None = None, until: date | None = None,
               text: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The audit log, newest first, filtered; ``text`` searches the before/after values."""
    clauses, params = ["true"], []
    for column, values in (("actor", actors), ("action", actions), ("entity", entities)):
        values = [v for v in values if v]
        if values:
            clauses.append(f"list_contains(?, {column})")  # column from this fixed tuple
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
    cur = con.cursor()
    return {col: [r[0] for r in cur.execute(f"select distinct {col} from audit_log order by 1").fetchall()]
            for col in ("actor", "action", "entity")}


def audit_to_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """The audit rows as csv or json (before/after kept as JSON text in csv, as objects in json)."""
    if fmt == "csv":
        buf = io.StringIO()
        df.to_csv(buf, index=False)
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
                _audit(con, ed, "upload", "document", d.sha256, None,
                       {"file_name": d.file_name, "outcome": r.outcome, "workshop_id": r.workshop_id,
                        "detail": r.detail})
    return reports


# --- reprocess ---------------------------------------------------------------------------
def _extracted_keys(con, workshop_id: int) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in con.execute(
        "select state_iso3, category, evidence from needs where workshop_id = ? and status = 'extracted'",
        [workshop_id]).fetchall()}


def reprocess(location: str | None = None, actor: str = "cli:reprocess", *, editor: Editor | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> str:
    """Re-run the current rules over every stored note and return a one-line summary.

    Decided rows stay exactly as people left them; new extractions arrive unreviewed; undecided
    extractions the rules no longer make are dropped. Notes are extracted outside the store and
    written in short batches (each note in its own transaction), so a dashboard can write in
    between. A command-line run acts as a local editor named ``actor``.
    """
    from .extract import extract  # looked up per run, so the current rules are used

    ed = require_editor(editor) if editor is not None else local_editor(actor)
    with db.connect(location) as con:
        targets = con.execute("select id, document_id from workshops order by id").fetchall()
    totals: Counter[str] = Counter()
    done = 0
    chunk = 20
    for i in range(0, len(targets), chunk):
        batch = targets[i:i + chunk]
        with db.connect(location) as con:
            texts = dict(con.execute("select id, text from documents where list_contains(?, id)",
                                     [[d for _, d in batch]]).fetchall())
        pending: list[tuple[int, str, str, object]] = []
        started = time.monotonic()
        for n, (workshop_id, document_id) in enumerate(batch, 1):
            text = texts.get(document_id)
            if text is None:
                totals["skipped"] += 1
            else:
                try:
                    pending.append((workshop_id, document_id, text, extract(text)))
                except NeedsTrackerError:
                    totals["failed"] += 1
            if pending and (time.monotonic() - started > REPROCESS_BATCH_SECONDS or n == len(batch)):
                _write_reprocessed(location, ed, pending, totals)
                pending.clear()
                started = time.monotonic()
        done += len(batch)
        if on_progress:
            on_progress(done, len(targets))
    with db.connect(location) as con, db.transaction(con):
        _audit(con, ed, "reprocess", "store", None, None, dict(totals, notes=len(targets)))
    parts = [f"reprocessed {totals['notes']} notes",
             f"{totals['added']} new unreviewed needs", f"{totals['dropped']} unreviewed needs dropped",
             f"{totals['kept']} decisions kept as people left them"]
    if totals["skipped"] or totals["failed"]:
        parts.append(f"{totals['skipped']} skipped (changed meanwhile), {totals['failed']} failed")
    return ", ".join(parts)


def _write_reprocessed(location, ed: Editor, pending, totals: Counter) -> None:
    with db.connect(location) as con:
        for workshop_id, document_id, text, ex in pending:
            with db.transaction(con):
                current = con.execute("select document_id from workshops where id = ?", [workshop_id]).fetchall()
                if not current or current[0][0] != document_id:
                    totals["skipped"] += 1  # re-ingested with new content meanwhile: its ingest merged it
                    continue
                before = _extracted_keys(con, workshop_id)
                kept = merge_extraction(con, workshop_id, ex, text=text)
                after = _extracted_keys(con, workshop_id)
                added, dropped = sorted(after - before), sorted(before - after)
                if added or dropped:
                    _audit(con, ed, "reprocess", "workshop", workshop_id,
                           {"dropped_needs": [list(k) for k in dropped]} if dropped else None,
                           {"added_needs": [list(k) for k in added]} if added else None)
            totals["notes"] += 1
            totals["added"] += len(added)
            totals["dropped"] += len(dropped)
            totals["kept"] += kept
