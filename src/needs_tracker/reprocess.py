"""Reprocess: re-run the current extraction rules over every stored note, keeping people's decisions.

Each note goes through ``ingest.merge_extraction``, which keeps confirmed, rejected, corrected
and manual rows exactly as people left them. Notes are extracted outside the store and written
in short batches (each note in its own transaction), so a dashboard can read and write in
between; what changed is recorded in the audit log.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from . import audit, db
from .assistance_store import link_events, merge_assistance
from .auth import Editor, local_editor, require_editor
from .errors import NeedsTrackerError
from .ingest import merge_extraction

REPROCESS_BATCH_SECONDS = 1.0  # write at least this often so a dashboard can get in between
READ_CHUNK = 20  # notes read from the store per short-lived connection


def reprocess(location: str | None = None, actor: str = "cli:reprocess", *, editor: Editor | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> str:
    """Re-run the current rules over every stored note and return a one-line summary.

    Decided rows stay exactly as people left them; new extractions arrive unreviewed; undecided
    extractions the rules no longer make are dropped. A command-line run acts as a local editor
    named ``actor``.
    """
    from .extract import extract  # looked up per run, so the current rules are used

    ed = require_editor(editor) if editor is not None else local_editor(actor)
    with db.connect(location) as con:
        targets = con.execute("select id, document_id from workshops order by id").fetchall()
    totals: Counter[str] = Counter()
    done = 0
    for i in range(0, len(targets), READ_CHUNK):
        batch = targets[i:i + READ_CHUNK]
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
        link_events(con)  # the same-event links follow the rules too; a reviewer's links stay
        audit.record(con, ed, "reprocess", "store", None, None, dict(totals, notes=len(targets)))
    return _summary(totals)


def _summary(totals: Counter) -> str:
    parts = [f"reprocessed {totals['notes']} notes",
             f"{totals['added']} new unreviewed needs", f"{totals['dropped']} unreviewed needs dropped",
             f"{totals['kept']} decisions kept as people left them"]
    if totals["skipped"] or totals["failed"]:
        parts.append(f"{totals['skipped']} skipped (changed meanwhile), {totals['failed']} failed")
    return ", ".join(parts)


def _extracted_keys(con, workshop_id: int) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in con.execute(
        "select state_iso3, category, evidence from needs where workshop_id = ? and status = 'extracted'",
        [workshop_id]).fetchall()}


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
                merge_assistance(con, workshop_id, ex, text=text)  # keeps decided offers and requests
                after = _extracted_keys(con, workshop_id)
                added, dropped = sorted(after - before), sorted(before - after)
                if added or dropped:
                    audit.record(con, ed, "reprocess", "workshop", workshop_id,
                                 {"dropped_needs": [list(k) for k in dropped]} if dropped else None,
                                 {"added_needs": [list(k) for k in added]} if added else None)
            totals["notes"] += 1
            totals["added"] += len(added)
            totals["dropped"] += len(dropped)
            totals["kept"] += kept
