"""Reprocess: re-run the current extraction rules over every stored note, keeping people's decisions.

Each note goes through ``store.writes.merge_extraction``, which keeps confirmed, rejected,
corrected and manual rows exactly as people left them. Notes are extracted outside the store
and written in short batches (each note in its own transaction), so a dashboard can read and
write in between; every note whose fields, participants or needs changed gets an audit row
with the values before and after. A stored note whose text is longer than the text limit
(``NEEDS_TRACKER_MAX_TEXT_CHARS``, which ingest enforces) is not extracted again: its rows stay
as they are, and the run says so in one line and goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import duckdb

from . import config, store
from .auth import Editor, local_editor, require_editor
from .errors import NeedsTrackerError, StoreConflictError
from .store import lookups, writes
from .store.connection import in_transaction
from .store.vocab import AuditAction, AuditEntity
from .wording import counted

REPROCESS_BATCH_SECONDS = 1.0  # write at least this often so a dashboard can get in between
READ_CHUNK = 20  # notes read from the store per short-lived connection


def reprocess(location: str | None = None, actor: str | None = None, *, editor: Editor | None = None,
              on_progress: Callable[[int, int], None] | None = None,
              on_skipped: Callable[[str], None] | None = None) -> str:
    """Re-run the current rules over every stored note and return a one-line summary.

    Decided rows stay exactly as people left them; new extractions arrive unreviewed; undecided
    extractions the rules no longer make are dropped. A command-line run acts as a local editor
    named ``actor`` (default: this OS user at this host). A note over the text limit is left as
    it is and ``on_skipped`` gets one line naming it and the limit; a note the rules or the store
    could not take gets one line naming it and the reason, its stored rows kept as they were.
    """
    from .extract import extract  # looked up per run, so the current rules are used
    from .ingest import cli_actor
    from .learn.runtime import model_for_store

    model = model_for_store(location)  # a model trained on this store's decisions, if there is one

    ed = require_editor(editor) if editor is not None else local_editor(actor or cli_actor())
    limit = config.max_text_chars()
    with store.connect(location) as con:
        targets = lookups.reprocess_targets(con)
    totals: Counter[str] = Counter()
    done = 0
    for i in range(0, len(targets), READ_CHUNK):
        batch = targets[i:i + READ_CHUNK]
        with store.connect(location) as con:
            texts = lookups.texts_of(con, [d for _, d in batch])
        pending: list[tuple[int, str, str, object]] = []
        started = time.monotonic()
        for n, (workshop_id, document_id) in enumerate(batch, 1):
            text = texts.get(document_id)
            if text is None:
                totals["skipped"] += 1
            elif len(text) > limit:  # ingest refuses such a text; extracting it would hold the run for minutes
                totals["too_long"] += 1
                if on_skipped:
                    on_skipped(_too_long_line(_note_name(location, document_id), workshop_id, len(text), limit))
            else:
                try:
                    pending.append((workshop_id, document_id, text, extract(text, model=model)))
                except Exception as exc:  # noqa: BLE001 - one note the rules cannot read must not stop the run
                    totals["failed"] += 1
                    if on_skipped:
                        on_skipped(_failed_line(_note_name(location, document_id), workshop_id, exc))
            if pending and (time.monotonic() - started > REPROCESS_BATCH_SECONDS or n == len(batch)):
                _write_reprocessed(location, ed, pending, totals, on_skipped)
                pending.clear()
                started = time.monotonic()
        done += len(batch)
        if on_progress:
            on_progress(done, len(targets))
    store.write(location, lambda con: writes.record_audit(
        con, ed.actor, AuditAction.REPROCESS, AuditEntity.STORE, None, None, dict(totals, notes=len(targets))))
    return _summary(totals)


def _summary(totals: Counter) -> str:
    parts = [f"reprocessed {counted(totals['notes'], 'note')}",
             f"{counted(totals['added'], 'new unreviewed need')}",
             f"{counted(totals['dropped'], 'unreviewed need')} dropped",
             f"{counted(totals['kept'], 'decision')} on needs and {totals['assistance_kept']} on offers and "
             "requests kept as people left them"]
    if totals["skipped"] or totals["failed"]:
        parts.append(f"{totals['skipped']} skipped (changed meanwhile), {totals['failed']} failed")
    if totals["too_long"]:
        parts.append(f"{totals['too_long']} over the text limit left as they were")
    return ", ".join(parts)


def _too_long_line(name: str, workshop_id: int, length: int, limit: int) -> str:
    """One line naming a note over the text limit, the limit, and what was done with it."""
    return (f"skipped {name} (workshop #{workshop_id}): its text is {length:,} "
            f"characters, over the {limit:,}-character limit for one note; its stored rows are kept as they "
            "were (set NEEDS_TRACKER_MAX_TEXT_CHARS to raise the limit)")


def _failed_line(name: str, workshop_id: int, exc: BaseException) -> str:
    """One line naming a note that could not be reprocessed, why, and that its rows were kept."""
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return (f"could not reprocess {name} (workshop #{workshop_id}): {reason}; "
            "its stored rows are kept as they were")


def _note_name(location, document_id: str) -> str:
    """The note's file name, read through a connection of its own (none is open where it is called)."""
    with store.connect(location) as con:
        return _name_on(con, document_id)


def _name_on(con, document_id: str) -> str:
    from .readers import display_name

    try:
        note = lookups.current_note(con, document_id)
    except duckdb.Error:  # the connection a failed write left unusable: the note is still named, by its id
        note = None
    return display_name(note.file_name) if note is not None else f"note {document_id[:12]}"


def _write_reprocessed(location, ed: Editor, pending, totals: Counter,
                       on_skipped: Callable[[str], None] | None = None) -> None:
    with store.connect(location) as con:
        for workshop_id, document_id, text, ex in pending:
            def work(con, workshop_id=workshop_id, document_id=document_id, text=text, ex=ex):
                if lookups.current_document_of(con, workshop_id) != document_id:
                    return None  # re-ingested with new content meanwhile: its ingest merged it
                merge = writes.merge_extraction(con, workshop_id, ex, text=text)
                before, after = merge.audit_values()
                if before or after:
                    writes.record_audit(con, ed.actor, AuditAction.REPROCESS, AuditEntity.WORKSHOP, workshop_id,
                                        before, after)
                return merge

            try:
                merge = in_transaction(con, work)
            except StoreConflictError as exc:  # an editor kept changing this note's rows: counted, not fatal
                totals["failed"] += 1
                if on_skipped:  # on the connection already open: a second one would wait for it
                    on_skipped(_failed_line(_name_on(con, document_id), workshop_id, exc))
                continue
            except NeedsTrackerError:
                raise
            except Exception as exc:  # noqa: BLE001 - counted; the other notes are still reprocessed
                totals["failed"] += 1
                if on_skipped:  # on the connection already open: a second one would wait for it
                    on_skipped(_failed_line(_name_on(con, document_id), workshop_id, exc))
                continue
            if merge is None:
                totals["skipped"] += 1
                continue
            totals["notes"] += 1
            totals["added"] += len(merge.needs_added)
            totals["dropped"] += len(merge.needs_dropped)
            totals["kept"] += merge.kept
            totals["assistance_kept"] += merge.assistance_kept
