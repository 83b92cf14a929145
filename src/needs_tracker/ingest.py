"""Store notes: a file's identity is its content, and nothing stored is lost.

A file whose bytes are stored is ``unchanged``. A file whose name (for the CLI: whose path)
belongs to a stored note with other bytes is a NEW note, stored beside it, unless the caller
says it replaces that one (``replace``: ``ingest --replace``, or the upload page after the
person confirmed); its report names both notes so a page can ask. A replaced text is kept
(superseded), people's decisions stay, and a decided need whose quote left the note is
flagged for review. Any failure while extracting or storing one file rejects that file with
one line; the rest of the batch is stored; a full disk stops the batch with one message.
Every stored file gets a hash-chained audit row naming who stored it.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import socket
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import store
from .errors import NeedsTrackerError, ReadError, StoreConflictError, StoreError
from .extract.model import Extraction
from .readers import SourceDocument, display_name, iter_note_files, read_document
from .store import audit_chain, lookups, originals, writes
from .store.connection import in_transaction, is_disk_full
from .store.lookups import StoredNote
from .store.rows import WRITABLE_FIELDS, storable_text
from .store.vocab import AuditAction, AuditEntity
from .wording import counted

__all__ = ["WRITABLE_FIELDS", "FileReport", "cli_actor", "ensure_store", "ingest_documents", "ingest_paths",
           "store_status"]

# Files are read and extracted outside the store, then written in batches, so a long CLI
# run lets the dashboard in between batches (DuckDB locks per process).
WRITE_BATCH_SECONDS = 2.0
HOLD_SECONDS = 1.0  # the longest a batch of replacements keeps the file before letting others in
REPORT_DETAIL_CHARS = 2000  # a report line's detail (two titles of 255, the advice, the counts) fits


@dataclass(frozen=True)
class FileReport:
    file_name: str
    outcome: str  # ingested, replaced, unchanged, rejected
    detail: str = ""
    workshop_id: int | None = None
    needs: int = 0
    same_name: StoredNote | None = None  # stored as a new note beside this one: the page may ask to replace

    def __post_init__(self) -> None:  # one printable line, whatever the file was called
        object.__setattr__(self, "file_name", display_name(self.file_name))
        # the detail is not a name: it may name two notes and end with what to do (--replace), so it
        # is cut only past REPORT_DETAIL_CHARS, visibly
        detail = " ".join(display_name(self.detail, REPORT_DETAIL_CHARS + 1).split())
        if len(detail) > REPORT_DETAIL_CHARS:
            detail = detail[:REPORT_DETAIL_CHARS - 1] + "…"
        object.__setattr__(self, "detail", detail)

    def line(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.outcome:<9} {self.file_name}{detail}"


def cli_actor() -> str:
    """Who a command run on this machine is, for the audit log: the OS user at the host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _stored_needs(ex: Extraction) -> int:
    """How many needs are stored: one per (state, category, quote), as ``store.rows`` keeps them."""
    return len({(n.state_iso3, n.category, n.evidence) for n in ex.needs})


def _summary(ex: Extraction, kept: int = 0, flagged: int = 0) -> str:
    detail = f"{counted(len({p.iso3 for p in ex.participants}), 'state')}, {counted(_stored_needs(ex), 'need')}"
    if kept:
        detail += f", {counted(kept, 'reviewed need')} kept"
    if flagged:
        detail += f", {counted(flagged, 'reviewed need')} flagged (their quote is not in the new text)"
    if ex.unresolved_names:
        detail += f"; unresolved names: {', '.join(ex.unresolved_names)}"
    if ex.warnings:
        detail += f"; warnings: {'; '.join(ex.warnings)}"
    return detail


def _label(ex: Extraction, file_name: str) -> str:
    when = ex.start_date.isoformat() if ex.start_date else (str(ex.year) if ex.year else "no date")
    return f"'{ex.title or file_name}' ({when})"


def _is_upload(doc: SourceDocument) -> bool:
    return Path(doc.path).name == doc.path


@dataclass(frozen=True)
class _Context:
    actor: str
    action: AuditAction
    replace: bool | frozenset[str]

    def replaces(self, doc: SourceDocument) -> bool:
        return self.replace is True or (isinstance(self.replace, frozenset) and doc.file_name in self.replace)


def _audit_after(doc: SourceDocument, report: FileReport) -> dict:
    return {"file_name": doc.file_name, "sha256": doc.sha256, "workshop_id": report.workshop_id,
            "outcome": report.outcome, "detail": report.detail}


def _store_one(con, doc: SourceDocument, ex: Extraction, ctx: _Context) -> FileReport:
    """One document in the caller's transaction: unchanged, new (maybe beside a same-named one) or replacing."""
    current = lookups.current_note(con, doc.sha256)
    previous = lookups.same_named_note(con, doc.path, doc.file_name, _is_upload(doc), other_than=doc.sha256)
    if previous is not None and ctx.replaces(doc):
        return _replace(con, doc, ex, ctx, previous, current)
    if current is not None or lookups.is_stored(con, doc.sha256):
        originals.keep(con, [doc])  # a note stored before its original was kept gets it now (else a no-op)
        return FileReport(doc.file_name, "unchanged", "already stored with the same content")
    writes.insert_document(con, doc)
    workshop_id = writes.new_workshop(con, doc.sha256)
    writes.merge_extraction(con, workshop_id, ex, text=doc.text)
    detail = _summary(ex)
    if previous is not None:
        detail = (f"stored as a new note #{workshop_id} {_label(ex, doc.file_name)}, beside the different note "
                  f"stored under this name: {previous.label()}; to make this file its new version instead, "
                  f"ingest it again with --replace (upload: confirm the replacement); {detail}")
    report = FileReport(doc.file_name, "ingested", detail, workshop_id, _stored_needs(ex), same_name=previous)
    writes.record_audit(con, ctx.actor, ctx.action, AuditEntity.DOCUMENT, doc.file_name, None,
                        _audit_after(doc, report))
    return report


def _replace(con, doc, ex, ctx: _Context, previous: StoredNote, current: StoredNote | None) -> FileReport:
    if current is not None:  # stored as a new note before the person confirmed: fold it into the old one
        if current.has_decisions:
            return FileReport(doc.file_name, "rejected",
                              f"not replaced: these bytes are note #{current.workshop_id}, which has review "
                              f"decisions of its own, so it stays a separate note")
        writes.drop_workshop(con, current.workshop_id)
    else:
        writes.insert_document(con, doc)
    old_document = previous.document_id
    writes.supersede(con, previous.workshop_id, old_document, doc)
    merge = writes.merge_extraction(con, previous.workshop_id, ex, text=doc.text, flag_missing_quotes=True)
    detail = (f"new version of {previous.label()}, now {_label(ex, doc.file_name)}; the old text is kept; "
              + _summary(ex, merge.kept, merge.flagged))
    report = FileReport(doc.file_name, "replaced", detail, previous.workshop_id, _stored_needs(ex))
    before, after = merge.audit_values()
    writes.record_audit(con, ctx.actor, AuditAction.REPLACE, AuditEntity.DOCUMENT, doc.file_name,
                        {**(before or {}), "sha256": old_document, "title": previous.title},
                        {**(after or {}), **_audit_after(doc, report)})
    return report


def _store_batch(location, pending: list[tuple[SourceDocument, Extraction]], ctx: _Context,
                 emit: Callable[[FileReport], None]) -> None:
    """New notes in one transaction; the others (and a batch that failed) one at a time."""
    with store.connect(location) as con:
        paths, names = lookups.names_in_store(con, [d.path for d, _ in pending],
                                              sorted({d.file_name for d, _ in pending if _is_upload(d)}))
        known = lookups.known_document_ids(con)
    seen: set[str] = set()
    fresh, others = [], []
    for doc, ex in pending:
        clash = doc.path in paths or (_is_upload(doc) and doc.file_name in names) or doc.sha256 in known
        same_batch = doc.path in seen or (_is_upload(doc) and doc.file_name in seen)
        (others if clash or same_batch else fresh).append((doc, ex))
        seen.update({doc.path, doc.file_name} if _is_upload(doc) else {doc.path})
    if fresh:
        try:
            ids = store.write(location, lambda con: _insert_fresh(con, fresh, ctx), retries=2)
            for (doc, ex), wid in zip(fresh, ids, strict=True):
                emit(FileReport(doc.file_name, "ingested", _summary(ex), wid, _stored_needs(ex)))
        except StoreConflictError:  # another writer kept winning: one at a time, each retried
            others = fresh + others
        except NeedsTrackerError:
            raise
        except Exception as exc:  # noqa: BLE001 - one at a time, so the note at fault is named
            if is_disk_full(exc):
                raise StoreError(_DISK_FULL) from None
            others = fresh + others
    _store_each(location, others, ctx, emit)


def _insert_fresh(con, fresh, ctx: _Context) -> list[int]:
    ids = writes.insert_new_batch(con, fresh)
    entries = [(ctx.actor, ctx.action, AuditEntity.DOCUMENT, doc.file_name, None,
                {"file_name": doc.file_name, "sha256": doc.sha256, "workshop_id": wid, "outcome": "ingested"})
               for wid, (doc, _) in zip(ids, fresh, strict=True)]
    audit_chain.append_many(con, entries)
    return ids


_DISK_FULL = ("the disk holding the store is full: the notes reported above are stored, the rest are not; "
              "free some space and run the ingest again")


def _store_each(location, items, ctx: _Context, emit: Callable[[FileReport], None]) -> None:
    """Each document in its own transaction, letting other processes in every HOLD_SECONDS."""
    i = 0
    while i < len(items):
        started = time.monotonic()
        with store.connect(location) as con:
            while i < len(items) and time.monotonic() - started < HOLD_SECONDS:
                doc, ex = items[i]
                i += 1
                try:
                    report = in_transaction(con, lambda c, doc=doc, ex=ex: _store_one(c, doc, ex, ctx))
                except NeedsTrackerError as exc:
                    report = FileReport(doc.file_name, "rejected", str(exc))
                except Exception as exc:  # noqa: BLE001 - any failure rejects this file only
                    if is_disk_full(exc):
                        raise StoreError(_DISK_FULL) from None
                    report = FileReport(doc.file_name, "rejected", f"could not be stored: {_one_line(exc)}")
                emit(report)


def ingest_documents(
    docs: Iterable[SourceDocument], *, location: str | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    replace: bool | Collection[str] = False, actor: str | None = None, action: AuditAction = AuditAction.INGEST,
) -> list[FileReport]:
    """Extract and store already-read documents (the upload page goes through ``review.ingest_uploads``).

    ``replace``: True, or the file names whose stored same-named note they replace. ``actor``:
    who the audit log names (default: this OS user at this host).
    """
    from .extract import extract  # looked up per run, so the current rules are used
    from .learn.runtime import model_for_store

    model = model_for_store(location)  # a model trained on this store's decisions, if there is one
    ctx = _Context(actor or cli_actor(), action,
                   replace if isinstance(replace, bool) else frozenset(replace))
    reports: list[FileReport] = []
    pending: list[tuple[SourceDocument, Extraction]] = []

    def emit(report: FileReport) -> None:
        reports.append(report)
        if on_report:
            on_report(report)

    with store.connect(location) as con:
        known = lookups.known_document_ids(con)
        missing_originals = lookups.without_original(con)
    started = time.monotonic()
    for doc in docs:
        # A name that is not valid UTF-8 (lone surrogates from the filesystem) is stored with U+FFFD.
        doc = dataclasses.replace(doc, file_name=storable_text(doc.file_name), path=storable_text(doc.path))
        if doc.sha256 in known and not ctx.replaces(doc):
            detail = "already stored with the same content"
            if doc.sha256 in missing_originals and doc.original is not None:
                # a note stored before its original was kept: ingesting the same file again keeps it
                store.write(location, lambda con, kept=doc: originals.keep(con, [kept]), retries=2)
                missing_originals.discard(doc.sha256)
                detail += "; its original file is now kept"
            emit(FileReport(doc.file_name, "unchanged", detail))
            continue
        known.add(doc.sha256)
        try:
            extraction = extract(doc.text, model=model)
        except NeedsTrackerError as exc:
            emit(FileReport(doc.file_name, "rejected", str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a hostile file must not stop the batch
            emit(FileReport(doc.file_name, "rejected", f"could not be extracted: {_one_line(exc)}"))
            continue
        pending.append((doc, extraction))
        if time.monotonic() - started > WRITE_BATCH_SECONDS:
            _store_batch(location, pending, ctx, emit)
            pending.clear()
            started = time.monotonic()
    if pending:
        _store_batch(location, pending, ctx, emit)
    return reports


def ingest_paths(
    paths: Iterable[str | Path], *, location: str | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    replace: bool = False, actor: str | None = None, action: AuditAction = AuditAction.INGEST,
) -> list[FileReport]:
    """Read every note under ``paths`` and store it. Bad files are reported, good ones stored."""
    # absolute, not resolved: resolving would follow a link inside a folder to its target,
    # which read_document must see as a link (and refuse) instead
    files = [Path(os.path.abspath(p)) for p in iter_note_files(paths)]
    rejected: list[FileReport] = []

    def readable():
        for path in files:
            if on_file:
                on_file(path)
            try:
                yield read_document(path)
            except ReadError as exc:
                report = FileReport(exc.file_name, "rejected", exc.reason)
                rejected.append(report)
                if on_report:
                    on_report(report)
            except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the batch
                report = FileReport(display_name(path.name), "rejected", f"could not be read: {_one_line(exc)}")
                rejected.append(report)
                if on_report:
                    on_report(report)

    stored = ingest_documents(readable(), location=location, on_report=on_report, replace=replace, actor=actor,
                              action=action)
    order = {display_name(p.name): i for i, p in enumerate(files)}
    return sorted(rejected + stored, key=lambda r: order.get(r.file_name, 0))


def store_status(location: str | None = None) -> str:
    """``missing``, ``empty`` or ``ready``, without creating or writing anything (safe on a viewer's visit)."""
    if not store.store_exists(location):
        return "missing"
    with store.connect(location) as con:
        return "ready" if lookups.document_count(con) else "empty"


def ensure_store(location: str | None = None, notes_dir: Path | None = None,
                 on_report: Callable[[FileReport], None] | None = None, actor: str | None = None
                 ) -> list[FileReport]:
    """Write the bundled sample notes into a missing or empty store, audited as a bootstrap.

    Call it from an explicit command or the dashboard script's first start, never on a
    viewer's visit (use ``store_status`` there).
    """
    from . import config

    if store.store_exists(location):
        with store.connect(location) as con:
            if lookups.document_count(con):
                return []
    return ingest_paths([notes_dir or config.bundled_notes_dir()], location=location, on_report=on_report,
                        actor=actor, action=AuditAction.BOOTSTRAP)

