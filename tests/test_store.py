"""The store: migrations, idempotent and transactional ingest, decisions kept, clear lock errors."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from needs_tracker.errors import StoreLockedError
from needs_tracker.extract import extract
from needs_tracker.ingest import ensure_store, ingest_paths
from needs_tracker.store import connect, open_connection, reads, transaction
from needs_tracker.store.migrations import migrate
from needs_tracker.store.vocab import (
    LinkedBy,
    NeedStatus,
    OrgRelation,
    Origin,
    ParticipantStatus,
    RecipientsKind,
    Role,
    WorkshopKind,
    sql_value,
)
from needs_tracker.store.writes import merge_extraction

NOTE = """Event: Workshop on Licensing
Date and Venue: 3 - 5 May 2021, Accra, Ghana
Participants: States: Ghana and Togo.

Discussions

Togo reported that it does not yet have a national control list.
Ghana noted that its licensing office lacks an electronic system for tracking applications.
"""


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_blank_store_is_migrated_with_every_table(isolated_store):
    with connect() as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        need_columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'needs'").fetchall()}
        assert migrate(con) == []  # applying again does nothing
        states = con.execute("select count(*) from states").fetchall()[0][0]
    assert {"documents", "workshops", "states", "participation", "workshop_organisations", "topics",
            "needs", "audit_log", "schema_migrations", "unresolved_names"} <= tables
    assert {"evidence", "span_start", "span_end", "rule", "confidence", "status"} <= need_columns
    assert states >= 193


def test_ingest_is_idempotent_and_spans_point_into_the_stored_text(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    _write(notes, "a.txt", NOTE)
    first = ingest_paths([notes])
    again = ingest_paths([notes])
    assert [r.outcome for r in first] == ["ingested"]
    assert [r.outcome for r in again] == ["unchanged"]
    with connect() as con:
        assert reads.stats(con)["documents"] == 1
        rows = con.execute(
            "select n.evidence, n.span_start, n.span_end, d.text from needs n "
            "join workshops w on w.id = n.workshop_id join documents d on d.id = w.document_id").fetchall()
    assert rows and all(text[s:e] == ev for ev, s, e, text in rows)


def test_changed_file_replaces_extracted_rows_but_keeps_decisions(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    path = _write(notes, "a.txt", NOTE)
    ingest_paths([notes])
    with connect() as con:
        con.execute("update needs set status = 'confirmed', reviewed_by = 'staff' "
                    "where state_iso3 = 'TGO'")
    path.write_text(NOTE.replace("Ghana noted that its licensing office lacks an electronic system for "
                                 "tracking applications.\n", "A new paragraph without needs.\n"), encoding="utf-8")
    report = ingest_paths([notes], replace=True)
    assert report[0].outcome == "replaced"
    with connect() as con:
        rows = con.execute("select state_iso3, category, status from needs order by state_iso3").fetchall()
        docs = con.execute("select count(*), count(superseded_by) from documents").fetchall()[0]
    assert rows == [("TGO", "control_lists", "confirmed")]
    assert docs == (2, 1)  # the replaced text is kept, marked superseded


def test_bad_files_are_reported_and_good_ones_stored(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    _write(notes, "good.txt", NOTE)
    (notes / "empty.txt").write_bytes(b"")
    (notes / "binary.pdf").write_bytes(b"%PDF-1.4\x00\x01garbage")
    reports = {r.file_name: r for r in ingest_paths([notes])}
    assert reports["good.txt"].outcome == "ingested"
    assert reports["empty.txt"].outcome == "rejected" and "empty" in reports["empty.txt"].detail
    assert reports["binary.pdf"].outcome == "rejected"
    with connect() as con:
        assert reads.stats(con)["documents"] == 1


def _ingest_one_note(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    _write(notes, "a.txt", NOTE)
    return ingest_paths([notes])


def test_a_failed_write_leaves_nothing_half_written(tmp_path):
    _ingest_one_note(tmp_path)
    with connect() as con:
        before = reads.stats(con)
        workshop_id = con.execute("select id from workshops").fetchall()[0][0]
        ex = extract(NOTE)
        ex.needs.append(ex.needs[0].__class__("TGO", "licensing", None, 0, 1, 0.5, "broken"))  # evidence null
        with pytest.raises(duckdb.Error):
            with transaction(con):
                merge_extraction(con, workshop_id, ex, text=NOTE)
        assert reads.stats(con) == before


def test_ensure_store_builds_from_bundled_notes_once():
    reports = ensure_store()
    assert sorted(r.outcome for r in reports) == ["ingested", "ingested"]
    assert ensure_store() == []


def test_locked_store_gives_a_clear_message(isolated_store):
    with connect():
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(isolated_store)!r})
            print("locked", flush=True)
            time.sleep(20)
        """)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLockedError) as info:
            open_connection(wait=0.3)
        message = str(info.value)
        assert f"in use by process {holder.pid} (python" in message
        assert "import duckdb" not in message  # the holder's program, not its command line
    finally:
        holder.kill()
        holder.wait()


def test_same_name_in_two_folders_are_two_notes(tmp_path):
    for year in ("2018", "2019"):
        folder = tmp_path / year
        folder.mkdir()
        _write(folder, "note.txt", NOTE.replace("2021", year))
    reports = ingest_paths([tmp_path])
    assert [r.outcome for r in reports] == ["ingested", "ingested"]
    with connect() as con:
        assert reads.stats(con)["events"] == 2


def test_merging_again_keeps_ids_and_does_not_duplicate_a_correction(tmp_path):
    _ingest_one_note(tmp_path)
    with connect() as con:
        workshop_id = con.execute("select id from workshops").fetchall()[0][0]
        before = con.execute("select id, state_iso3, category from needs order by id").fetchall()
        # a person moves Togo's need to another category; the extractor still says control_lists
        con.execute("update needs set status = 'corrected', original_category = category, "
                    "category = 'legal_regulatory_framework' where state_iso3 = 'TGO'")
        with transaction(con):
            merge_extraction(con, workshop_id, extract(NOTE), text=NOTE)
        after = con.execute("select id, state_iso3, category from needs order by id").fetchall()
    assert [r[0] for r in after] == [r[0] for r in before]  # same rows, same ids
    assert ("TGO", "control_lists") not in {(s, c) for _, s, c in after}


def test_a_folder_of_new_notes_is_stored_in_one_batch_with_the_same_rows_as_one_by_one(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for i, country in enumerate(["Ghana", "Togo", "Benin"]):
        _write(notes, f"{i}.txt", NOTE.replace("Accra, Ghana", f"Lomé, {country}"))
    batch = ingest_paths([notes])
    assert [r.outcome for r in batch] == ["ingested"] * 3
    with connect() as con:
        rows = con.execute(
            "select w.venue_country, n.state_iso3, n.category, n.evidence, d.text[n.span_start + 1:n.span_end] "
            "from needs n join workshops w on w.id = n.workshop_id join documents d on d.id = w.document_id "
            "order by 1, 2, 3").fetchall()
        participants = con.execute("select count(*) from participation").fetchall()[0][0]
    assert len(rows) == 3 * len(extract(NOTE).needs) and participants == 3 * len(extract(NOTE).participants)
    assert all(evidence == quoted for *_, evidence, quoted in rows)  # spans index the stored text


def test_a_note_that_names_no_state_is_stored_and_can_be_replaced(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    path = _write(notes, "plain.txt", "Minutes of a meeting on export controls.\n\nNothing else was said.\n")
    assert [r.outcome for r in ingest_paths([notes])] == ["ingested"]
    path.write_text("Minutes of a meeting on export controls, revised.\n", encoding="utf-8")
    assert [r.outcome for r in ingest_paths([notes], replace=True)] == ["replaced"]


def test_sql_runs_only_in_the_store_package():
    """Every SQL statement lives in needs_tracker.store (issue 11): no other module runs SQL,
    whichever call it would use (execute, executemany, sql, query)."""
    package = Path(__file__).resolve().parents[1] / "src" / "needs_tracker"
    runs_sql = re.compile(r"\.(execute|executemany|sql|query)\(")
    outside = [str(p.relative_to(package)) for p in package.rglob("*.py")
               if "store" not in p.relative_to(package).parts[:1] and runs_sql.search(p.read_text())]
    assert outside == []


# The vocabularies a query filters on. DatePrecision and the audit's words are left out: their
# values ('day', 'year', 'need', ...) are also SQL words and struct keys, and no query filters on them.
_FILTERED_VOCABULARIES = (NeedStatus, ParticipantStatus, Origin, Role, OrgRelation, LinkedBy, WorkshopKind,
                          RecipientsKind)
_QUOTED_VALUE = re.compile("'(" + "|".join(sorted({re.escape(m.value) for v in _FILTERED_VOCABULARIES for m in v}))
                           + ")'")


def _quoted_vocabulary(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if _QUOTED_VALUE.search(line)]


def test_store_sql_spells_no_vocabulary_value():
    """A status, role, relation or link value in the store's SQL comes from its enum (bound, or
    through vocab.sql_value), so renaming or mistyping one fails at import or in a test instead of
    silently matching nothing. Migrations 001/002 keep their DDL text as written (history)."""
    store = Path(__file__).resolve().parents[1] / "src" / "needs_tracker" / "store"
    found = {p.name: hits for p in sorted(store.glob("*.py"))
             if p.name not in ("migrations.py", "vocab.py") and (hits := _quoted_vocabulary(p.read_text()))}
    assert found == {}
    # the check itself sees a literal when one is written, whichever vocabulary it is from
    assert _quoted_vocabulary("where status <> 'rejected' and linked_by = 'split'") != []
    assert _quoted_vocabulary("where relation = ? and datediff('day', a, b) > 0") == []
    assert _quoted_vocabulary("where w.kind <> 'assistance_requests'") != []
    assert _quoted_vocabulary("recipients_kind varchar not null default 'all_participants'") != []


def test_workshop_and_recipient_kinds_are_the_extractors_words():
    """The store's kinds are the words the extractor writes: a register of requests and the three
    ways an offer names its recipients."""
    from needs_tracker.extract.assistance import REQUESTS_KIND
    from needs_tracker.extract.fields import Fields

    assert WorkshopKind.ASSISTANCE_REQUESTS == REQUESTS_KIND
    assert Fields().kind == WorkshopKind.WORKSHOP
    note = ("Participants: Fiji, Samoa, Tonga, Kenya\n\n"
            "Australia offered a legislative drafting mentor to Pacific Island States. "
            "Japan offered detection equipment to Kenya. "
            "The OSCE stands ready to support participating States with national action plans.")
    assert sorted(RecipientsKind(o.recipients_kind) for o in extract(note).offers) == sorted(RecipientsKind)


def test_sql_value_takes_only_a_vocabulary_member():
    assert sql_value(NeedStatus.REJECTED) == "'rejected'"
    assert sql_value(LinkedBy.SPLIT) == "'split'"
    with pytest.raises(TypeError):
        sql_value("rejected' or 1=1 --")  # plain text, never interpolated
