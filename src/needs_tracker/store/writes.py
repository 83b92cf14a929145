"""The write side of ingest, replace and reprocess: documents, workshops and their extracted rows.

Every function here runs inside the caller's transaction (``connection.transaction``) and
takes its rows from ``rows.workshop_rows``, so the batch insert of new notes and the merge
into a stored workshop can never disagree on what an extraction means. Table and column
names are interpolated only from the fixed tuples in ``rows``; values are always parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.model import Extraction
from . import audit_chain, originals
from .assistance import link_events, merge_assistance
from .rows import (
    NEED_COLUMNS,
    ORGANISATION_COLUMNS,
    PARTICIPATION_COLUMNS,
    TOPIC_COLUMNS,
    UNRESOLVED_COLUMNS,
    WRITABLE_FIELDS,
    WorkshopRows,
    storable_text,
    workshop_rows,
)
from .vocab import NeedStatus, Origin, ParticipantStatus

DOCUMENT_COLUMNS = ("id", "file_name", "path", "format", "size_bytes", "encoding", "text")


@dataclass
class MergeResult:
    """What a merge changed, for the report and the audit row."""

    kept: int = 0                          # decided needs kept as people left them
    assistance_kept: int = 0               # decided offers and requests kept as people left them
    flagged: int = 0                       # decided needs whose quote is not in the new text
    fields_before: dict = field(default_factory=dict)
    fields_after: dict = field(default_factory=dict)
    participants_added: list[str] = field(default_factory=list)
    participants_dropped: list[str] = field(default_factory=list)
    needs_added: list[tuple] = field(default_factory=list)    # (state, category, evidence)
    needs_dropped: list[tuple] = field(default_factory=list)

    def audit_values(self) -> tuple[dict | None, dict | None]:
        """(before, after) of everything that changed; (None, None) when nothing did."""
        before, after = dict(self.fields_before), dict(self.fields_after)
        if self.participants_dropped:
            before["participants"] = self.participants_dropped
        if self.participants_added:
            after["participants"] = self.participants_added
        if self.needs_dropped:
            before["needs"] = [list(k) for k in self.needs_dropped]
        if self.needs_added:
            after["needs"] = [list(k) for k in self.needs_added]
        if self.flagged:
            after["flagged_needs"] = self.flagged
        return (before or None), (after or None)


def insert_rows(con, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """One INSERT for many rows (``unnest`` of one list per column), not one statement a row."""
    if not rows:
        return
    cols = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"insert into {table} ({', '.join(columns)}) select {select}", cols)  # names from rows.py


def document_values(doc) -> list:
    return [doc.sha256, storable_text(doc.file_name), storable_text(doc.path), doc.format, doc.size_bytes,
            doc.encoding, doc.text]


def insert_document(con, doc) -> None:
    """The document's row and its original bytes (``store.originals``), in the caller's transaction."""
    con.execute(f"insert into documents ({', '.join(DOCUMENT_COLUMNS)}) values (?, ?, ?, ?, ?, ?, ?)",
                document_values(doc))
    originals.keep(con, [doc])


def new_workshop(con, document_id: str) -> int:
    return con.execute("insert into workshops (document_id) values (?) returning id", [document_id]).fetchall()[0][0]


def insert_new_batch(con, items: list[tuple[object, Extraction]]) -> list[int]:
    """Store notes seen for the first time, one INSERT per table; returns their workshop ids.

    The per-note path (``merge_extraction``) runs a dozen statements a note; for a folder of
    new notes this is several times faster.
    """
    import pyarrow as pa

    ids = [r[0] for r in con.execute("select nextval('workshop_ids') from range(?)", [len(items)]).fetchall()]
    docs = [document_values(doc) for doc, _ in items]
    built = [workshop_rows(wid, ex) for wid, (_, ex) in zip(ids, items, strict=True)]
    workshops = [(r.workshop_id, doc[0], *r.fields.values(), r.warnings) for r, doc in zip(built, docs, strict=True)]
    tables = [
        ("documents", DOCUMENT_COLUMNS, docs),
        ("workshops", ("id", "document_id", *WRITABLE_FIELDS, "warnings"), workshops),
        ("participation", PARTICIPATION_COLUMNS, [row for r in built for row in r.participation]),
        ("workshop_organisations", ORGANISATION_COLUMNS, [row for r in built for row in r.organisations]),
        ("unresolved_names", UNRESOLVED_COLUMNS, [row for r in built for row in r.unresolved]),
        ("topics", TOPIC_COLUMNS, [row for r in built for row in r.topics]),
        ("needs", NEED_COLUMNS, [row for r in built for row in r.needs.values()]),
    ]
    types = {"year": pa.int32(), "size_bytes": pa.int64(), "workshop_id": pa.int32(), "span_start": pa.int32(),
             "span_end": pa.int32(), "confidence": pa.float64(), "start_date": pa.date32(),
             "end_date": pa.date32(), "warnings": pa.list_(pa.string())}
    for table, columns, rows in tables:  # names from the fixed tuples above, never from input
        if not rows:
            continue
        values = list(zip(*rows, strict=True))
        arrow = pa.table({c: pa.array(v, type=types.get(c)) for c, v in zip(columns, values, strict=True)})
        con.register("incoming", arrow)
        try:
            names = ", ".join(columns)
            con.execute(f"insert into {table} ({names}) select {names} from incoming")
        finally:
            con.unregister("incoming")
    originals.keep(con, [doc for doc, _ in items])  # the files' bytes, in the same transaction
    for wid, (doc, ex) in zip(ids, items, strict=True):  # offers, requests; one event, many sources
        merge_assistance(con, wid, ex, text=getattr(doc, "text", None))
    link_events(con, ids)
    return ids


def supersede(con, workshop_id: int, old: str, doc) -> None:
    """Make ``doc`` the note of workshop ``workshop_id`` instead of document ``old``, which stays,
    marked superseded (recoverable)."""
    con.execute("update documents set superseded_by = ?, superseded_at = now() where id = ?", [doc.sha256, old])
    con.execute("update workshops set document_id = ? where id = ?", [doc.sha256, workshop_id])


def drop_workshop(con, workshop_id: int) -> None:
    """Remove a workshop nobody decided on (it was stored as a new note moments before a replace)."""
    for table in ("needs", "topics", "unresolved_names", "workshop_organisations", "participation", "offers",
                  "requests", "workshop_sources"):
        con.execute(f"delete from {table} where workshop_id = ?", [workshop_id])  # names from this tuple
    con.execute("delete from workshops where id = ?", [workshop_id])


def merge_extraction(con, workshop_id: int, ex: Extraction, *, text: str, flag_missing_quotes: bool = False
                     ) -> MergeResult:
    """Replace a workshop's extracted rows by ``ex`` while keeping every human decision.

    A field a person corrected keeps its value; a decided need stays as people left it (its
    quote re-anchored when the text moved, flagged for review when the text no longer holds it
    and ``flag_missing_quotes``); an undecided extraction the rules make again keeps its row and
    id; one they no longer make is dropped; a new one is added unless a kept row covers it.
    """
    rows = workshop_rows(workshop_id, ex)
    result = MergeResult()
    _merge_fields(con, rows, result)
    _merge_participants(con, rows, result)
    for table, columns, new in (("workshop_organisations", ORGANISATION_COLUMNS, rows.organisations),
                                ("unresolved_names", UNRESOLVED_COLUMNS, rows.unresolved),
                                ("topics", TOPIC_COLUMNS, rows.topics)):
        con.execute(f"delete from {table} where workshop_id = ?", [workshop_id])  # names from this tuple
        insert_rows(con, table, columns, new)
    _merge_needs(con, rows, text, flag_missing_quotes, result)
    assistance = merge_assistance(con, workshop_id, ex, text=text)  # offers and requests, decided ones kept
    result.assistance_kept = sum(counts["kept"] for counts in assistance.values())
    link_events(con, [workshop_id])  # one event, many sources
    return result


def _merge_fields(con, rows: WorkshopRows, result: MergeResult) -> None:
    current = con.execute(f"select {', '.join(WRITABLE_FIELDS)}, edited_fields from workshops where id = ?",
                          [rows.workshop_id]).fetchall()[0]
    edited = set(current[-1] or [])
    names = [n for n in WRITABLE_FIELDS if n not in edited]  # a field a person corrected keeps its value
    sets = "".join(f"{n} = ?, " for n in names)
    con.execute(f"update workshops set {sets}warnings = ?, updated_at = now() where id = ?",
                [rows.fields[n] for n in names] + [rows.warnings, rows.workshop_id])
    old = dict(zip(WRITABLE_FIELDS, current[:-1], strict=True))
    for n in names:
        if old[n] != rows.fields[n]:
            result.fields_before[n], result.fields_after[n] = old[n], rows.fields[n]


def _merge_participants(con, rows: WorkshopRows, result: MergeResult) -> None:
    """Extracted rows nobody touched are replaced; manual and reviewed ones stay as people left them."""
    wid = rows.workshop_id
    stored = con.execute("select state_iso3, origin, status from participation where workshop_id = ?",
                         [wid]).fetchall()
    before = {iso3 for iso3, _, status in stored if status != ParticipantStatus.REJECTED}
    untouched = {iso3 for iso3, origin, status in stored
                 if origin == Origin.EXTRACTED and status == ParticipantStatus.EXTRACTED}
    kept = {iso3 for iso3, _, _ in stored} - untouched
    con.execute("delete from participation where workshop_id = ? and origin = ? and status = ?",
                [wid, Origin.EXTRACTED, ParticipantStatus.EXTRACTED])
    new = [r for r in rows.participation if r[1] not in kept]
    insert_rows(con, "participation", PARTICIPATION_COLUMNS, new)
    after = (before - untouched) | {r[1] for r in new}
    result.participants_added, result.participants_dropped = sorted(after - before), sorted(before - after)


def _merge_needs(con, rows: WorkshopRows, text: str, flag_missing_quotes: bool, result: MergeResult) -> None:
    stored = con.execute(
        "select id, state_iso3, category, original_state_iso3, original_category, evidence, span_start, span_end, "
        "status from needs where workshop_id = ?", [rows.workshop_id]).fetchall()
    covered: set[tuple[str, str, str]] = set()
    for need_id, state, category, orig_state, orig_category, evidence, start, end, status in stored:
        key = (state, category, evidence)
        if status == NeedStatus.EXTRACTED:
            fresh = rows.needs.get(key)
            if fresh is None or key in covered:
                con.execute("delete from needs where id = ?", [need_id])
                if fresh is None:
                    result.needs_dropped.append(key)
            else:
                con.execute("update needs set span_start = ?, span_end = ?, rule = ?, confidence = ? where id = ?",
                            [fresh[4], fresh[5], fresh[6], fresh[7], need_id])
                covered.add(key)
            continue
        result.kept += 1
        covered.add(key)
        if orig_state or orig_category:  # what the extractor said before a person corrected it
            covered.add((orig_state or state, orig_category or category, evidence))
        if text[start:end] == evidence:
            continue
        found = text.find(evidence)
        if found >= 0:
            con.execute("update needs set span_start = ?, span_end = ? where id = ?",
                        [found, found + len(evidence), need_id])
        elif flag_missing_quotes:
            con.execute("update needs set flagged = ? where id = ?",
                        ["its quote is not in the new version of the note: check it", need_id])
            result.flagged += 1
    new = [row for key, row in rows.needs.items() if key not in covered]
    insert_rows(con, "needs", NEED_COLUMNS, new)
    result.needs_added = [(r[1], r[2], r[3]) for r in new]


def record_audit(con, actor: str, action: str, entity: str, entity_id, before, after) -> int:
    """One hash-chained audit row in the caller's transaction."""
    return audit_chain.append(con, actor, action, entity, entity_id, before, after)

