"""``needs-tracker reprocess`` run as a command ends a batch that left a note over the text limit out
with the exit status ``needs-tracker ingest`` gives when it left a file out (1), after reprocessing
the other notes; a batch that left nothing out exits 0. The batch that left a note out is run
through the installed command (the console script: the process's own exit status, its stderr); the
others call the same ``main`` in this process. All on the fixture store written row by row
(tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_NOTES
from needs_tracker.cli import main
from needs_tracker.store import connect

VIENNA, ASHGABAT = "vienna_2018.txt", "ashgabat_2012.txt"
COMMAND = Path(sys.executable).with_name("needs-tracker")


def _run(*args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("NEEDS_TRACKER_MAX_TEXT_CHARS", None)
    if limit is not None:
        env["NEEDS_TRACKER_MAX_TEXT_CHARS"] = str(limit)
    return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, env=env, timeout=300)


def _rules(location: str, file_name: str) -> list[str]:
    with connect(location) as con:
        return sorted(r[0] for r in con.execute(
            "select distinct n.rule from needs n join workshops w on w.id = n.workshop_id "
            "join documents d on d.id = w.document_id where d.file_name = ?", [file_name]).fetchall())


def test_a_reprocess_that_skipped_a_note_exits_as_an_ingest_that_skipped_a_file(built_store, tmp_path):
    vienna, ashgabat = len(FIXTURE_NOTES[VIENNA][0]), len(FIXTURE_NOTES[ASHGABAT][0])
    limit = (vienna + ashgabat) // 2
    too_long = tmp_path / "too_long.txt"
    too_long.write_text(FIXTURE_NOTES[VIENNA][0], encoding="utf-8")
    ingest = _run("ingest", str(too_long), "--db", str(tmp_path / "other.duckdb"), limit=limit)
    assert ingest.stdout.startswith("rejected  too_long.txt: ")  # the file it left out, named

    reprocess = _run("reprocess", "--db", built_store, limit=limit)

    assert reprocess.returncode == ingest.returncode == 1, reprocess.stderr
    assert reprocess.stderr == ""  # no traceback: the skip is a line of the report, as ingest's
    lines = reprocess.stdout.splitlines()
    assert lines[0].startswith(f"skipped {VIENNA} (workshop #1): its text is {vienna:,} characters")
    assert lines[-1].startswith("reprocessed 1 note, ")
    assert _rules(built_store, VIENNA) == ["fixture"]  # left as it was
    assert "fixture" not in _rules(built_store, ASHGABAT)  # the other note was reprocessed


@pytest.fixture
def no_text_limit(monkeypatch):
    monkeypatch.delenv("NEEDS_TRACKER_MAX_TEXT_CHARS", raising=False)


def test_a_reprocess_that_skipped_nothing_exits_0(built_store, no_text_limit, capsys):
    assert main(["reprocess", "--db", built_store]) == 0
    done = capsys.readouterr()
    assert done.err == ""
    assert done.out.splitlines()[-1].startswith("reprocessed 2 notes, ")


def test_a_note_the_rules_could_not_take_is_named_and_the_batch_exits_1(built_store, no_text_limit, capsys):
    # a damaged model beside the store (as `train --db` leaves one) makes every note's extraction fail:
    # each note gets one line naming it and the reason, its rows stay, and the exit says something was left out
    Path(built_store).with_name(Path(built_store).stem + ".need_model.skops").write_bytes(b"not a model")

    assert main(["reprocess", "--db", built_store]) == 1
    done = capsys.readouterr()

    assert done.err == ""
    lines = done.out.splitlines()
    failed = [line for line in lines if line.startswith("could not reprocess ")]
    assert len(failed) == 2
    assert failed[0].startswith(f"could not reprocess {VIENNA} (workshop #1): ")
    assert failed[0].endswith("; its stored rows are kept as they were")
    assert "\n" not in failed[0] and len(failed[0]) < 400
    assert _rules(built_store, VIENNA) == ["fixture"] and _rules(built_store, ASHGABAT) == ["fixture"]
