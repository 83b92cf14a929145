"""Staff review of offers, formal requests and event sources.

The same rules as ``review`` for needs: every write takes a signed-in ``Editor``, runs in one
transaction on a short-lived connection, and records who changed what (before and after) in
the audit log in that same transaction. Offers and requests can be confirmed, rejected or
corrected (a request's date too), and one the extractor missed added by its quote; ``reprocess``
keeps every such decision. Two workshops that are one event can be merged, a source split off again,
and any source made the event's record; the automatic same-event links never undo a reviewer's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from ..auth import Editor, require_editor
from ..errors import ReviewError
from ..review_checks import changed, find_quote, valid_category, valid_state
from . import audit_chain
from .assistance import event_of
from .connection import write
from .vocab import (
    MANUAL_RULE,
    AuditAction,
    AuditEntity,
    LinkedBy,
    NeedStatus,
    ParticipantStatus,
    RecipientsKind,
    WorkshopKind,
)


# The store sits below review and audit in the layers, so the few helpers those offer are here.
def _write(editor: object, location: str | None, work: Callable):
    editor = require_editor(editor)
    return write(location, lambda con: work(con, editor))


def _record(con, ed: Editor, action, entity, entity_id, before, after) -> None:
    audit_chain.append(con, ed.actor, action, entity, entity_id, before, after)


# The audit log's vocabulary (a CHECK constraint) knows workshops, not offers or events: an offer,
# request or source change is recorded against its workshop, with the row's id in the values.

# entity -> (table, subject column); the only tables and columns these functions touch
_TABLES = {"offer": ("offers", "provider"), "request": ("requests", "state_iso3")}
_FIELDS = {"offers": ("id", "workshop_id", "provider", "provider_iso3", "category", "evidence", "status",
                      "original_provider", "original_category", "reviewed_by", "note"),
           "requests": ("id", "workshop_id", "state_iso3", "category", "requested_on", "evidence", "status",
                        "original_state_iso3", "original_category", "reviewed_by", "note")}


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(tzinfo=None)


def _row(con, entity: str, row_id: int) -> dict:
    table, _ = _TABLES[entity]
    fields = _FIELDS[table]
    rows = con.execute(f"select {', '.join(fields)} from {table} where id = ?", [int(row_id)]).fetchall()
    if not rows:
        raise ReviewError(f"{entity} #{row_id} no longer exists (a reprocess may have replaced it); reload the page")
    return dict(zip(fields, rows[0], strict=True))


def _decide(editor: Editor, entity: str, row_id: int, status: NeedStatus, note: str | None,
            location: str | None) -> None:
    table, _ = _TABLES[entity]
    action = {NeedStatus.CONFIRMED: AuditAction.CONFIRM, NeedStatus.REJECTED: AuditAction.REJECT}[status]

    def work(con, ed: Editor) -> None:
        row = _row(con, entity, row_id)
        if row["status"] == status:
            raise ReviewError(f"{entity} #{row_id} is already {status} (by {row['reviewed_by']})")
        after = {"status": status, "reviewed_by": ed.actor, "note": note or row["note"]}
        con.execute(f"update {table} set status = ?, reviewed_by = ?, reviewed_at = ?, note = ? where id = ?",
                    [status, ed.actor, _now(), after["note"], int(row_id)])
        before, new_values = changed(row, after)
        _record(con, ed, action, AuditEntity.WORKSHOP, row["workshop_id"], {f"{entity}_id": row_id, **before},
                     {f"{entity}_id": row_id, **new_values})

    _write(editor, location, work)


def confirm_offer(editor: Editor, offer_id: int, *, note: str | None = None, location: str | None = None) -> None:
    _decide(editor, "offer", offer_id, NeedStatus.CONFIRMED, note, location)


def reject_offer(editor: Editor, offer_id: int, *, note: str | None = None, location: str | None = None) -> None:
    """Not an offer (an achievement, the event's funding, a misread sentence)."""
    _decide(editor, "offer", offer_id, NeedStatus.REJECTED, note, location)


def confirm_request(editor: Editor, request_id: int, *, note: str | None = None, location: str | None = None) -> None:
    _decide(editor, "request", request_id, NeedStatus.CONFIRMED, note, location)


def reject_request(editor: Editor, request_id: int, *, note: str | None = None, location: str | None = None) -> None:
    _decide(editor, "request", request_id, NeedStatus.REJECTED, note, location)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _request_date(value: date | str | None) -> date | None:
    """A date of request as given (a date, or YYYY-MM-DD text; empty for unknown); ReviewError naming it."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ReviewError(f"unknown date of request {text!r}: give it as YYYY-MM-DD (e.g. 2019-01-18)") from None
    if day > _now().date():
        raise ReviewError(f"date of request {text!r} is in the future")
    return day


def _note_text(con, workshop_id: int) -> str:
    """The current text of a workshop's note, where a quote added by hand must stand."""
    rows = con.execute("select d.text from workshops w join documents d on d.id = w.document_id "
                       "where w.id = ?", [int(workshop_id)]).fetchall()
    if not rows:
        raise ReviewError(f"workshop #{workshop_id} does not exist")
    return rows[0][0]


def _write_correction(con, ed: Editor, entity: str, row_id: int, row: dict, values: dict, note: str | None) -> None:
    """Write a person's correction of an offer or a request: the new values, the extractor's first
    ones (its subject and category) kept as the original, who, when and why; audited against its
    workshop. ``entity`` is a key of ``_TABLES``, never input."""
    table, subject = _TABLES[entity]
    after = {**values, "status": NeedStatus.CORRECTED,
             **{f"original_{c}": row[f"original_{c}"] or row[c] for c in (subject, "category")},
             "reviewed_by": ed.actor, "note": note or row["note"]}
    columns = [*after, "reviewed_at"]
    con.execute(f"update {table} set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
                [*after.values(), _now(), int(row_id)])
    before, new_values = changed(row, after)
    key = f"{entity}_id"
    _record(con, ed, AuditAction.CORRECT, AuditEntity.WORKSHOP, row["workshop_id"],
            {key: row_id, **before}, {key: row_id, **new_values})


def correct_request(editor: Editor, request_id: int, *, state_iso3: str | None = None,
                    category: str | None = None, requested_on: date | str | None = None,
                    note: str | None = None, location: str | None = None) -> None:
    """Change a request's state, category or date of request (``requested_on``: None keeps it,
    "" makes it unknown); the extractor's state and category are kept as the original."""

    def work(con, ed: Editor) -> None:
        row = _row(con, "request", request_id)
        state = valid_state(state_iso3) if state_iso3 else row["state_iso3"]
        cat = valid_category(category) if category else row["category"]
        day = row["requested_on"] if requested_on is None else _request_date(requested_on)
        if (state, cat, day) == (row["state_iso3"], row["category"], row["requested_on"]):
            raise ReviewError("nothing to change: give another state, category or date of request")
        _write_correction(con, ed, "request", request_id, row,
                          {"state_iso3": state, "category": cat, "requested_on": day}, note)

    _write(editor, location, work)


def add_manual_request(editor: Editor, workshop_id: int, state_iso3: str, category: str, quote: str, *,
                       requested_on: date | str | None = None, note: str | None = None,
                       location: str | None = None) -> int:
    """Record a request the extractor missed; the quote must be found in the document's text."""

    def work(con, ed: Editor) -> int:
        text = _note_text(con, workshop_id)
        start, end = find_quote(text, quote, what="request")
        state, cat, day = valid_state(state_iso3), valid_category(category), _request_date(requested_on)
        same = con.execute("select id, status from requests where workshop_id = ? and state_iso3 = ? "
                           "and category = ? and span_start = ? and span_end = ?",
                           [int(workshop_id), state, cat, start, end]).fetchall()
        if same:
            raise ReviewError(f"that request is already recorded as request #{same[0][0]} ({same[0][1]})")
        request_id = con.execute(
            "insert into requests (workshop_id, state_iso3, category, requested_on, evidence, span_start, span_end, "
            "rule, confidence, status, reviewed_by, reviewed_at, note) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, 1.0, ?, ?, ?, ?) returning id",
            [int(workshop_id), state, cat, day, text[start:end], start, end, MANUAL_RULE, NeedStatus.MANUAL,
             ed.actor, _now(), note]
        ).fetchall()[0][0]
        _record(con, ed, AuditAction.ADD, AuditEntity.WORKSHOP, int(workshop_id), None,
                {"request_id": request_id, "state_iso3": state, "category": cat, "requested_on": day,
                 "evidence": text[start:end], "status": NeedStatus.MANUAL})
        return request_id

    return _write(editor, location, work)


def _provider(name: str) -> tuple[str, str | None]:
    """A provider as stored: a state (its name and ISO3) or a known organisation's id."""
    from ..states import state_index

    state = state_index().resolve(name or "") or state_index().get(name or "")
    if state:
        return state.name, state.iso3
    # imported here, not at the top: the extract package loads spaCy, and the Workshops page imports this
    # module for every viewer (who never adds an offer)
    from ..extract.assistance_records import load_assistance_rules

    org = load_assistance_rules().normalise_provider(name or "")
    if org is None:
        raise ReviewError(f"unknown provider {name!r}: give a state, or an organisation assistance_rules.toml "
                          "lists (add it there first)")
    return org.id, None


def correct_offer(editor: Editor, offer_id: int, *, provider: str | None = None, category: str | None = None,
                  note: str | None = None, location: str | None = None) -> None:
    """Change an offer's provider or category; the extractor's values are kept as the original."""

    def work(con, ed: Editor) -> None:
        row = _row(con, "offer", offer_id)
        name, iso3 = _provider(provider) if provider else (row["provider"], row["provider_iso3"])
        cat = valid_category(category) if category else row["category"]
        if (name, cat) == (row["provider"], row["category"]):
            raise ReviewError("nothing to change: give another provider or category")
        _write_correction(con, ed, "offer", offer_id, row,
                          {"provider": name, "provider_iso3": iso3, "category": cat}, note)

    _write(editor, location, work)


def _group_recipients(group: str, participants: list[str]) -> list[str]:
    """A group's members who took part, or all its members when none did (the extractor's reading of
    "the Central Asian States" in an offer)."""
    from ..states import state_index

    members = state_index().group_members(group)
    if members is None:
        raise ReviewError(f"unknown group {group!r}: give a group data/state_groups.toml lists or a UN region")
    present = [s for s in participants if s in members]
    return present or sorted(members)


def add_manual_offer(editor: Editor, workshop_id: int, provider: str, category: str, quote: str, *,
                     recipients_iso3: list[str] | None = None, group: str | None = None, note: str | None = None,
                     location: str | None = None) -> int:
    """Record an offer the extractor missed; the quote must be found in the workshop's note. Its
    recipients are the states named, or a group's participants, or (neither given) all participants."""
    if recipients_iso3 and group:
        raise ReviewError("give either the states the offer is for or a group, not both")

    def work(con, ed: Editor) -> int:
        text = _note_text(con, workshop_id)
        start, end = find_quote(text, quote, what="offer")
        name, iso3 = _provider(provider)
        cat = valid_category(category)
        recipients = [valid_state(s) for s in recipients_iso3 or []]
        participants = [r[0] for r in con.execute(
            "select state_iso3 from participation where workshop_id = ? and status <> ? "
            "order by state_iso3", [int(workshop_id), ParticipantStatus.REJECTED]).fetchall()]
        if group:
            recipients, kind = _group_recipients(group, participants), RecipientsKind.GROUP
        elif recipients:
            kind = RecipientsKind.NAMED
        else:
            recipients, kind = participants, RecipientsKind.ALL_PARTICIPANTS
        offer_id = con.execute(
            "insert into offers (workshop_id, provider, provider_iso3, category, recipients_iso3, recipients_kind, "
            "evidence, span_start, span_end, rule, confidence, status, reviewed_by, reviewed_at, note) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, ?, ?, ?, ?) returning id",
            [int(workshop_id), name, iso3, cat, recipients, kind, text[start:end], start, end, MANUAL_RULE,
             NeedStatus.MANUAL, ed.actor, _now(), note]).fetchall()[0][0]
        _record(con, ed, AuditAction.ADD, AuditEntity.WORKSHOP, int(workshop_id), None,
                     {"offer_id": offer_id, "provider": name, "category": cat,
                      "recipients_iso3": recipients, "recipients_kind": kind, "evidence": text[start:end],
                      "status": NeedStatus.MANUAL})
        return offer_id

    return _write(editor, location, work)


# --- one event, many sources -----------------------------------------------------------------
# Merge, split and the choice of an event's record all start from the same question: which
# workshops are this event's sources? ``_sources_of`` answers it once for the three of them.
def _sources_of(con, events) -> dict[int, tuple]:
    """The sources of the given events, each event's record included, as workshop id -> (linked_by,
    score, reasons) of its link; (None, None, None) for a record with no link row of its own. A
    source split off (``LinkedBy.SPLIT``) belongs to no event but its own."""
    ids = sorted({int(e) for e in events})
    links = {r[0]: tuple(r[1:]) for r in con.execute(
        "select workshop_id, linked_by, score, reasons from workshop_sources "
        "where list_contains(?, event_id) and linked_by <> ?", [ids, LinkedBy.SPLIT]).fetchall()}
    for event in ids:
        links.setdefault(event, (None, None, None))
    return links


def merge_sources(editor: Editor, workshop_ids: list[int], *, location: str | None = None) -> int:
    """Make the given workshops one event. Its record (the source whose title, dates and venue stand
    for it) is an existing event's record when one of them already has several sources, else the
    lowest id. Returns the event id."""
    ids = sorted({int(w) for w in workshop_ids})
    if len(ids) < 2:
        raise ReviewError("choose at least two workshops to merge into one event")

    def work(con, ed: Editor) -> int:
        found = {r[0] for r in con.execute("select id from workshops where list_contains(?, id)", [ids]).fetchall()}
        missing = [w for w in ids if w not in found]
        if missing:
            raise ReviewError(f"workshop #{missing[0]} does not exist")
        registers = [r[0] for r in con.execute(
            "select id from workshops where list_contains(?, id) and kind = ? order by id",
            [ids, WorkshopKind.ASSISTANCE_REQUESTS]).fetchall()]
        if registers:
            raise ReviewError(f"workshop #{registers[0]} is a register of assistance requests, not an event: "
                              "it cannot be merged")
        events = {event_of(con, w) for w in ids}
        members = set(_sources_of(con, events)) | set(ids)
        before = {w: event_of(con, w) for w in sorted(members)}
        # An event that already has several sources keeps its record (perhaps one a reviewer chose):
        # merging one more document into it must not move its title, dates and venue.
        standing = sorted(e for e in events if sum(1 for v in before.values() if v == e) > 1)
        event = standing[0] if standing else min(members)
        con.execute("delete from workshop_sources where list_contains(?, workshop_id)", [sorted(members)])
        for w in sorted(members):
            con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, reasons) "
                        "values (?, ?, ?, ?)", [w, event, LinkedBy.MANUAL, f"merged by {ed.actor}"])
        # "change" says what the edit was (the audit page words it: "merged workshops #4, #5 into event #4");
        # the action stays "edit", the schema's word for a changed workshop
        _record(con, ed, AuditAction.EDIT, AuditEntity.WORKSHOP, event, {"events": before},
                {"change": "merge", "merged_sources": sorted(members), "event_id": event})
        return event

    return _write(editor, location, work)


def split_source(editor: Editor, workshop_id: int, *, location: str | None = None) -> None:
    """Take one source out of its event: it becomes an event of its own, and the automatic
    same-event score will not link it again."""
    wid = int(workshop_id)

    def work(con, ed: Editor) -> None:
        event = event_of(con, wid)
        others = sorted(set(_sources_of(con, [event])) - {wid})
        if not others:
            raise ReviewError(f"workshop #{wid} is not linked to another source")
        con.execute("delete from workshop_sources where workshop_id = ?", [wid])
        con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, reasons) "
                    "values (?, ?, ?, ?)", [wid, wid, LinkedBy.SPLIT, f"split by {ed.actor}"])
        if event == wid:  # it stood for the event: the next source does now
            new_event = others[0]
            con.execute("update workshop_sources set event_id = ? where event_id = ? and workshop_id <> ?",
                        [new_event, wid, wid])
        if len(others) == 1:  # one source left: no longer linked to anything
            con.execute("delete from workshop_sources where workshop_id = ? and linked_by <> ?",
                        [others[0], LinkedBy.SPLIT])
        _record(con, ed, AuditAction.EDIT, AuditEntity.WORKSHOP, wid, {"event_id": event},
                {"change": "split", "split_from_event": event, "event_id": wid, "sources_left": others})

    _write(editor, location, work)


def choose_event_record(editor: Editor, workshop_id: int, *, location: str | None = None) -> int:
    """Make workshop ``workshop_id`` the record of the event it is a source of: the source whose
    title, dates and venue are the event's in every count, table and timeline. Automatic linking
    makes the lowest id the record; a reviewer may know better (the final report, not the first
    announcement). Every source of the event is then held by the reviewer (``manual``), so a
    reprocess keeps the choice. Audited; returns the event id (``workshop_id``)."""
    wid = int(workshop_id)

    def work(con, ed: Editor) -> int:
        if not con.execute("select 1 from workshops where id = ?", [wid]).fetchall():
            raise ReviewError(f"workshop #{wid} does not exist")
        event = event_of(con, wid)
        links = _sources_of(con, [event])
        members = sorted(links)
        if len(members) < 2 or wid not in members:
            raise ReviewError(f"workshop #{wid} is the only source of its event: there is no record to choose")
        if event == wid:
            raise ReviewError(f"workshop #{wid} is already its event's record")
        con.execute("delete from workshop_sources where list_contains(?, workshop_id)", [members])
        for member in members:
            linked_by, score, reasons = links[member]
            if member == wid:
                why = f"record chosen by {ed.actor}"
            elif member == event:
                why = f"the event's record until {ed.actor} chose #{wid}"
            elif linked_by == LinkedBy.EXTRACTED:
                scored = f"score {score:.2f}" if score is not None else "no score"
                why = f"linked automatically ({scored}: {reasons or 'no reasons recorded'}); kept by {ed.actor}"
            else:
                why = reasons or f"kept by {ed.actor}"
            con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, reasons) values (?, ?, ?, ?)",
                        [member, wid, LinkedBy.MANUAL, why])
        _record(con, ed, AuditAction.EDIT, AuditEntity.WORKSHOP, wid,
                {"event_id": event, "record": event}, {"event_id": wid, "record": wid, "sources": members})
        return wid

    return _write(editor, location, work)
