"""Store notes: each file in its own transaction, idempotent by the sha256 of its bytes.

Re-ingesting an unchanged file changes nothing. A changed file with the same name
replaces its extracted rows. Rows a person decided on (confirmed, rejected, corrected,
manual) are never dropped by a later extraction: ``merge_extraction`` is the one place
that rule lives, and both ingest and reprocess go through it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import db
from .assistance_store import link_events, merge_assistance
from .errors import NeedsTrackerError, ReadError
from .extract import extract
from .extract.model import Extraction
from .readers import SourceDocument, iter_note_files, read_document

DECIDED_STATUSES = ("confirmed", "rejected", "corrected", "manual")
WRITABLE_FIELDS = (
    "kind", "title", "start_date", "end_date", "date_precision", "year",
    "venue_city", "venue_country_iso3", "venue_country",
)
# Files are read and extracted outside the store, then written in batches, so a
# long CLI run lets the dashboard in between batches (DuckDB locks per process).
WRITE_BATCH_SECONDS = 2.0


@dataclass(frozen=True)
class FileReport:
    file_name: str
    outcome: str  # ingested, replaced, unchanged, rejected
    detail: str = ""
    workshop_id: int | None = None
    needs: int = 0

    def line(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.outcome:<9} {self.file_name}{detail}"


def _existing(con, doc: SourceDocument) -> tuple[bool, int | None]:
    """(same bytes already stored, workshop of an older version of this file).

    An older version is the document stored from the same path; for an upload, which
    has no folder, the one with the same file name. Two notes that share a name in
    different folders are different notes.
    """
    if con.execute("select 1 from documents where id = ?", [doc.sha256]).fetchall():
        return True, None
    uploaded = Path(doc.path).name == doc.path
    row = con.execute(
        "select w.id from workshops w join documents d on d.id = w.document_id "
        "where (d.path = ? or (? and d.file_name = ?)) order by d.ingested_at desc limit 1",
        [doc.path, uploaded, doc.file_name],
    ).fetchall()
    return False, (row[0][0] if row else None)


def store_document(con: duckdb.DuckDBPyConnection, doc: SourceDocument, extraction: Extraction) -> FileReport:
    """Write one document and its extraction in a single transaction."""
    with db.transaction(con):
        unchanged, previous_workshop = _existing(con, doc)
        if unchanged:
            return FileReport(doc.file_name, "unchanged", "already stored with the same content")
        con.execute(
            "insert into documents (id, file_name, path, format, size_bytes, encoding, text) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [doc.sha256, doc.file_name, doc.path, doc.format, doc.size_bytes, doc.encoding, doc.text],
        )
        if previous_workshop is None:
            workshop_id = con.execute(
                "insert into workshops (document_id) values (?) returning id", [doc.sha256]
            ).fetchall()[0][0]
            outcome = "ingested"
        else:
            workshop_id = previous_workshop
            old_doc = con.execute(
                "select document_id from workshops where id = ?", [workshop_id]
            ).fetchall()[0][0]
            con.execute("update workshops set document_id = ? where id = ?", [doc.sha256, workshop_id])
            con.execute("delete from documents where id = ?", [old_doc])
            outcome = "replaced"
        kept = merge_extraction(con, workshop_id, extraction, text=doc.text)
        merge_assistance(con, workshop_id, extraction, text=doc.text)  # offers, requests
        link_events(con, [workshop_id])  # one event, many sources
    return _report(doc, extraction, outcome, workshop_id, kept)


def _report(doc: SourceDocument, ex: Extraction, outcome: str, workshop_id: int, kept: int = 0) -> FileReport:
    detail = f"{len(ex.participants)} states, {len(ex.needs)} needs"
    if kept:
        detail += f", {kept} reviewed needs kept"
    if ex.unresolved_names:
        detail += f"; unresolved names: {', '.join(ex.unresolved_names)}"
    if ex.warnings:
        detail += f"; warnings: {'; '.join(ex.warnings)}"
    return FileReport(doc.file_name, outcome, detail, workshop_id, len(ex.needs))


def _insert_new(con, items: list[tuple[SourceDocument, Extraction]]) -> list[FileReport]:
    """Store notes seen for the first time in one transaction, one INSERT per table.

    The per-note path (``store_document``) runs some forty statements a note; for a
    folder of new notes this is several times faster. Must run inside a transaction.
    """
    import pyarrow as pa

    ids = [r[0] for r in con.execute("select nextval('workshop_ids') from range(?)", [len(items)]).fetchall()]
    tables: dict[str, dict[str, list]] = {name: {} for name in
                                          ("documents", "workshops", "participation", "workshop_organisations",
                                           "unresolved_names", "topics", "needs")}

    def add(table: str, **values) -> None:
        for column, value in values.items():
            tables[table].setdefault(column, []).append(value)

    for wid, (doc, ex) in zip(ids, items, strict=True):
        add("documents", id=doc.sha256, file_name=doc.file_name, path=doc.path, format=doc.format,
            size_bytes=doc.size_bytes, encoding=doc.encoding, text=doc.text)
        add("workshops", id=wid, document_id=doc.sha256, kind=ex.kind, title=ex.title, start_date=ex.start_date,
            end_date=ex.end_date, date_precision=ex.date_precision, year=ex.year, venue_city=ex.venue_city,
            venue_country_iso3=ex.venue_country_iso3, venue_country=ex.venue_country, warnings=list(ex.warnings))
        for p in {p.iso3: p for p in ex.participants}.values():
            add("participation", workshop_id=wid, state_iso3=p.iso3, role=p.role, name_as_written=p.name_as_written)
        orgs = [(n, "organizer") for n in dict.fromkeys(ex.organizers)]
        orgs += [(n, "participant") for n in dict.fromkeys(ex.participant_organizations)]
        for name, relation in orgs:
            add("workshop_organisations", workshop_id=wid, name=name, relation=relation)
        for name in dict.fromkeys(ex.unresolved_names):
            add("unresolved_names", workshop_id=wid, name=name)
        for t in {t.category: t for t in ex.topics}.values():
            add("topics", workshop_id=wid, category=t.category, evidence=t.evidence, span_start=t.start,
                span_end=t.end)
        for n in {(n.state_iso3, n.category, n.evidence): n for n in ex.needs}.values():
            add("needs", workshop_id=wid, state_iso3=n.state_iso3, category=n.category, evidence=n.evidence,
                span_start=n.start, span_end=n.end, rule=n.rule, confidence=n.confidence)
    types = {"year": pa.int32(), "size_bytes": pa.int64(), "workshop_id": pa.int32(), "id": None,
             "span_start": pa.int32(), "span_end": pa.int32(), "confidence": pa.float64(),
             "start_date": pa.date32(), "end_date": pa.date32(), "warnings": pa.list_(pa.string())}
    for table, columns in tables.items():  # table and column names come from the code above, not input
        if not columns:
            continue
        arrow = pa.table({c: pa.array(v, type=types.get(c) or None) for c, v in columns.items()})
        con.register("incoming", arrow)
        try:
            names = ", ".join(columns)
            con.execute(f"insert into {table} ({names}) select {names} from incoming")
        finally:
            con.unregister("incoming")
    for wid, (doc, ex) in zip(ids, items, strict=True):  # offers, requests; one event, many sources
        merge_assistance(con, wid, ex, text=doc.text)
    link_events(con, ids)
    return [_report(doc, ex, "ingested", wid) for wid, (doc, ex) in zip(ids, items, strict=True)]


def merge_extraction(con, workshop_id: int, ex: Extraction, *, text: str) -> int:
    """Replace a workshop's extracted rows by ``ex`` while keeping every human decision.

    Must run inside a transaction. Returns how many decided needs were kept.
    """
    values = {
        "kind": ex.kind,
        "title": ex.title,
        "start_date": ex.start_date,
        "end_date": ex.end_date,
        "date_precision": ex.date_precision,
        "year": ex.year,
        "venue_city": ex.venue_city,
        "venue_country_iso3": ex.venue_country_iso3,
        "venue_country": ex.venue_country,
    }
    # One statement; a field a person corrected (listed in edited_fields) keeps its value.
    # Column names come from the fixed WRITABLE_FIELDS list, never from input.
    assignments = ", ".join(
        f"{name} = case when list_contains(edited_fields, '{name}') then {name} else ? end"
        for name in WRITABLE_FIELDS
    )
    con.execute(
        f"update workshops set {assignments}, warnings = ?, updated_at = current_timestamp where id = ?",
        [values[name] for name in WRITABLE_FIELDS] + [list(ex.warnings), workshop_id],
    )

    # Participants: extracted rows nobody touched are replaced; manual and reviewed ones stay.
    con.execute(
        "delete from participation where workshop_id = ? and origin = 'extracted' and status = 'extracted'",
        [workshop_id],
    )
    kept_states = {
        r[0] for r in con.execute(
            "select state_iso3 from participation where workshop_id = ?", [workshop_id]
        ).fetchall()
    }
    participants = [(workshop_id, p.iso3, p.role, p.name_as_written)
                    for p in {p.iso3: p for p in ex.participants}.values() if p.iso3 not in kept_states]
    if participants:
        con.executemany(
            "insert into participation (workshop_id, state_iso3, role, name_as_written) values (?, ?, ?, ?)",
            participants,
        )

    con.execute("delete from workshop_organisations where workshop_id = ?", [workshop_id])
    orgs = [(workshop_id, n, "organizer") for n in dict.fromkeys(ex.organizers)]
    orgs += [(workshop_id, n, "participant") for n in dict.fromkeys(ex.participant_organizations)]
    if orgs:
        con.executemany("insert into workshop_organisations values (?, ?, ?)", orgs)

    con.execute("delete from unresolved_names where workshop_id = ?", [workshop_id])
    if ex.unresolved_names:
        con.executemany(
            "insert into unresolved_names values (?, ?, ?)",
            [(workshop_id, n, None) for n in dict.fromkeys(ex.unresolved_names)],
        )

    con.execute("delete from topics where workshop_id = ?", [workshop_id])
    topics = {t.category: t for t in ex.topics}
    if topics:
        con.executemany(
            "insert into topics values (?, ?, ?, ?, ?)",
            [(workshop_id, t.category, t.evidence, t.start, t.end) for t in topics.values()],
        )

    # Needs: a decision stays as people left it (its quote re-anchored if the note's text
    # changed); an undecided extraction the rules make again keeps its row and id; one they
    # no longer make is dropped; a new one is added unless a kept row already covers it.
    rows = con.execute(
        "select id, state_iso3, category, original_state_iso3, original_category, evidence, span_start, span_end, "
        "status from needs where workshop_id = ?",
        [workshop_id],
    ).fetchall()
    fresh = {(n.state_iso3, n.category, n.evidence): n for n in ex.needs}
    covered: set[tuple[str, str, str]] = set()
    decided = 0
    for need_id, state, category, orig_state, orig_category, evidence, start, end, status in rows:
        key = (state, category, evidence)
        if status == "extracted":
            n = fresh.get(key)
            if n is None or key in covered:
                con.execute("delete from needs where id = ?", [need_id])
            else:
                con.execute("update needs set span_start = ?, span_end = ?, rule = ?, confidence = ? where id = ?",
                            [n.start, n.end, n.rule, n.confidence, need_id])
                covered.add(key)
            continue
        decided += 1
        covered.add(key)
        if orig_state or orig_category:  # what the extractor said before a person corrected it
            covered.add((orig_state or state, orig_category or category, evidence))
        if text[start:end] != evidence:
            found = text.find(evidence)
            if found >= 0:
                con.execute("update needs set span_start = ?, span_end = ? where id = ?",
                            [found, found + len(evidence), need_id])
    new_rows = [
        (workshop_id, n.state_iso3, n.category, n.evidence, n.start, n.end, n.rule, n.confidence)
        for key, n in fresh.items() if key not in covered
    ]
    if new_rows:
        con.executemany(
            "insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, confidence) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            new_rows,
        )
    return decided


def ingest_documents(
    docs: Iterable[SourceDocument], *, location: str | None = None,
    on_report: Callable[[FileReport], None] | None = None,
) -> list[FileReport]:
    """Extract and store already-read documents (the dashboard's upload path uses this)."""
    reports: list[FileReport] = []
    pending: list[tuple[SourceDocument, Extraction]] = []

    def emit(report: FileReport) -> None:
        reports.append(report)
        if on_report:
            on_report(report)

    def flush() -> None:
        if not pending:
            return
        with db.connect(location) as con:
            stored_paths = {r[0] for r in con.execute(
                "select path from documents where list_contains(?, path)", [[d.path for d, _ in pending]]
            ).fetchall()}
            uploads = {d.file_name for d, _ in pending if Path(d.path).name == d.path}
            stored_names = {r[0] for r in con.execute(
                "select file_name from documents where list_contains(?, file_name)", [sorted(uploads)]
            ).fetchall()} if uploads else set()
            fresh = [(d, e) for d, e in pending if d.path not in stored_paths and d.file_name not in stored_names]
            fresh_ids = {id(d) for d, _ in fresh}
            others = [(d, e) for d, e in pending if id(d) not in fresh_ids]
            try:
                with db.transaction(con):
                    batch = _insert_new(con, fresh) if fresh else []
            except duckdb.Error:
                batch, others = [], pending[:]  # one at a time, so the note at fault is named
            for report in batch:
                emit(report)
            for doc, ex in others:
                try:
                    emit(store_document(con, doc, ex))
                except duckdb.Error as exc:
                    emit(FileReport(doc.file_name, "rejected", f"could not be stored: {exc}"))
        pending.clear()

    with db.connect(location) as con:
        known = {r[0] for r in con.execute("select id from documents").fetchall()}
    started = time.monotonic()
    for doc in docs:
        if doc.sha256 in known:
            emit(FileReport(doc.file_name, "unchanged", "already stored with the same content"))
            continue
        known.add(doc.sha256)
        try:
            extraction = extract(doc.text)
        except NeedsTrackerError as exc:
            emit(FileReport(doc.file_name, "rejected", str(exc)))
            continue
        pending.append((doc, extraction))
        if time.monotonic() - started > WRITE_BATCH_SECONDS:
            flush()
            started = time.monotonic()
    flush()
    return reports


def ingest_paths(
    paths: Iterable[str | Path], *, location: str | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> list[FileReport]:
    """Read every note under ``paths`` and store it. Bad files are reported, good ones stored."""
    files = [p.resolve() for p in iter_note_files(paths)]
    rejected: list[FileReport] = []

    def readable():
        for path in files:
            if on_file:
                on_file(path)
            try:
                yield read_document(path)
            except ReadError as exc:
                report = FileReport(path.name, "rejected", exc.reason)
                rejected.append(report)
                if on_report:
                    on_report(report)

    stored = ingest_documents(readable(), location=location, on_report=on_report)
    order = {p.name: i for i, p in enumerate(files)}
    return sorted(rejected + stored, key=lambda r: order.get(r.file_name, 0))


def ensure_store(location: str | None = None, notes_dir: Path | None = None,
                 on_report: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    """Build the store from the bundled notes when it does not exist yet."""
    from . import config

    if db.store_exists(location):
        with db.connect(location) as con:
            if con.execute("select count(*) from documents").fetchall()[0][0]:
                return []
    return ingest_paths([notes_dir or config.BUNDLED_NOTES_DIR], location=location, on_report=on_report)
