"""``needs-tracker reprocess`` leaves a stored note whose text is over NEEDS_TRACKER_MAX_TEXT_CHARS
as it is: ingest refuses such a text (readers), and a note stored before the limit was lowered must
not hold the run for minutes either. One line names the note and the limit; its rows are untouched;
the other notes are reprocessed. On the fixture store written row by row (tests/conftest.py)."""

from __future__ import annotations

from conftest import FIXTURE_NOTES
from needs_tracker import cli
from needs_tracker.store import connect

VIENNA, ASHGABAT = "vienna_2018.txt", "ashgabat_2012.txt"


def _rows(location: str, file_name: str) -> dict[str, list]:
    """Everything stored for one note's workshop."""
    with connect(location) as con:
        (wid,) = con.execute("select w.id from workshops w join documents d on d.id = w.document_id "
                             "where d.file_name = ?", [file_name]).fetchall()[0]
        return {
            "workshop": con.execute("select * from workshops where id = ?", [wid]).fetchall(),
            "needs": con.execute("select * from needs where workshop_id = ? order by id", [wid]).fetchall(),
            "participants": con.execute("select * from participation where workshop_id = ? order by all",
                                        [wid]).fetchall(),
            "rules": sorted({r[0] for r in con.execute("select rule from needs where workshop_id = ?",
                                                       [wid]).fetchall()}),
        }


def test_a_note_over_the_text_limit_is_named_left_as_it_is_and_the_others_are_reprocessed(
        built_store, monkeypatch, capsys):
    vienna, ashgabat = len(FIXTURE_NOTES[VIENNA][0]), len(FIXTURE_NOTES[ASHGABAT][0])
    limit = (vienna + ashgabat) // 2
    assert ashgabat <= limit < vienna
    before = {name: _rows(built_store, name) for name in (VIENNA, ASHGABAT)}
    monkeypatch.setenv("NEEDS_TRACKER_MAX_TEXT_CHARS", str(limit))

    assert cli.main(["reprocess", "--db", built_store]) == 1  # as ingest exits when it skipped a file
    out = capsys.readouterr().out.splitlines()

    assert out[0] == (f"skipped {VIENNA} (workshop #1): its text is {vienna:,} characters, over the "
                      f"{limit:,}-character limit for one note; its stored rows are kept as they were "
                      "(set NEEDS_TRACKER_MAX_TEXT_CHARS to raise the limit)")
    assert len(out) == 2 and out[1].startswith("reprocessed 1 note, ")
    assert out[1].endswith(", 1 over the text limit left as they were")
    assert _rows(built_store, VIENNA) == before[VIENNA]
    # the other note was extracted again: the fixture's hand-written rule names gave way to the rules'
    after = _rows(built_store, ASHGABAT)
    assert after["needs"] != before[ASHGABAT]["needs"]
    assert before[ASHGABAT]["rules"] == ["fixture"] and after["rules"] != ["fixture"]
