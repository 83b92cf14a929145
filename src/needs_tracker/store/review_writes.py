"""The SQL of people's decisions: needs confirmed, rejected, corrected or added, workshops and
participants corrected. Authorisation, validation and audit wording stay in ``review``; each
function here runs inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from .rows import WRITABLE_FIELDS
from .vocab import MANUAL_RULE, NeedStatus, Origin, ParticipantStatus

NEED_FIELDS = ("id", "workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end",
               "rule", "confidence", "status", "original_state_iso3", "original_category",
               "reviewed_by", "note", "flagged")


def need_row(con, need_id: int) -> dict | None:
    rows = con.execute(f"select {', '.join(NEED_FIELDS)} from needs where id = ?", [int(need_id)]).fetchall()
    return dict(zip(NEED_FIELDS, rows[0], strict=True)) if rows else None


def duplicate_need(con, workshop_id: int, state: str, category: str, evidence: str, exclude: int | None) -> int | None:
    """Another need (not rejected) with the same state, category and quote in this workshop."""
    rows = con.execute(
        "select id from needs where workshop_id = ? and state_iso3 = ? and category = ? and evidence = ? "
        "and status <> ? and id <> ?",
        [workshop_id, state, category, evidence, NeedStatus.REJECTED,
         -1 if exclude is None else int(exclude)]).fetchall()
    return rows[0][0] if rows else None


def decide_need(con, need_id: int, status: str, actor: str, at: datetime, note: str | None) -> None:
    """A person's verdict; it also clears a flag (the person has looked again)."""
    con.execute("update needs set status = ?, reviewed_by = ?, reviewed_at = ?, note = ?, flagged = null "
                "where id = ?", [status, actor, at, note, int(need_id)])


def correct_need(con, need_id: int, values: dict, at: datetime) -> None:
    """``values``: state_iso3, category, status, original_state_iso3, original_category, reviewed_by, note."""
    con.execute(
        "update needs set state_iso3 = ?, category = ?, status = ?, original_state_iso3 = ?, original_category = ?, "
        "reviewed_by = ?, reviewed_at = ?, note = ?, flagged = null where id = ?",
        [values["state_iso3"], values["category"], values["status"], values["original_state_iso3"],
         values["original_category"], values["reviewed_by"], at, values["note"], int(need_id)])


def insert_manual_need(con, workshop_id: int, state: str, category: str, evidence: str, start: int, end: int,
                       actor: str, at: datetime, note: str | None) -> int:
    return con.execute(
        "insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, confidence, "
        "status, reviewed_by, reviewed_at, note) values (?, ?, ?, ?, ?, ?, ?, 1.0, ?, ?, ?, ?) "
        "returning id",
        [int(workshop_id), state, category, evidence, start, end, MANUAL_RULE, NeedStatus.MANUAL, actor, at,
         note]).fetchall()[0][0]


def workshop_text(con, workshop_id: int) -> str | None:
    rows = con.execute("select d.text from workshops w join documents d on d.id = w.document_id where w.id = ?",
                       [int(workshop_id)]).fetchall()
    return rows[0][0] if rows else None


def workshop_fields(con, workshop_id: int) -> tuple[dict, list[str]] | None:
    """(the editable fields, the fields people corrected), or None when there is no such workshop."""
    rows = con.execute(f"select {', '.join(WRITABLE_FIELDS)}, edited_fields from workshops where id = ?",
                       [int(workshop_id)]).fetchall()
    if not rows:
        return None
    return dict(zip(WRITABLE_FIELDS, rows[0][:-1], strict=True)), list(rows[0][-1] or [])


def update_workshop_fields(con, workshop_id: int, changes: dict, edited: list[str], at: datetime) -> None:
    """Set the fields in ``changes`` (names checked against WRITABLE_FIELDS) and remember them as corrected."""
    names = [n for n in changes if n in WRITABLE_FIELDS]
    sets = "".join(f"{n} = ?, " for n in names)  # names from WRITABLE_FIELDS only
    con.execute(f"update workshops set {sets}edited_fields = ?, updated_at = ? where id = ?",
                [changes[n] for n in names] + [edited, at, int(workshop_id)])


def workshop_exists(con, workshop_id: int) -> bool:
    return bool(con.execute("select 1 from workshops where id = ?", [int(workshop_id)]).fetchall())


def participant_row(con, workshop_id: int, iso3: str) -> dict | None:
    rows = con.execute("select role, origin, status from participation where workshop_id = ? and state_iso3 = ?",
                       [int(workshop_id), iso3]).fetchall()
    return dict(zip(("role", "origin", "status"), rows[0], strict=True)) if rows else None


def insert_manual_participant(con, workshop_id: int, iso3: str, role: str) -> None:
    con.execute("insert into participation (workshop_id, state_iso3, role, origin, status) "
                "values (?, ?, ?, ?, ?)", [int(workshop_id), iso3, role, Origin.MANUAL, ParticipantStatus.CONFIRMED])


def set_participant(con, workshop_id: int, iso3: str, status: str, role: str) -> None:
    con.execute("update participation set status = ?, role = ? where workshop_id = ? and state_iso3 = ?",
                [status, role, int(workshop_id), iso3])
