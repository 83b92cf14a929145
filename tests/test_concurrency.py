"""Two writers on one store: a CLI run in another process while this one records decisions.

DuckDB locks the file per process, so each side opens short-lived connections and the other
retries for a bounded time. Nothing may be lost and both sides must end cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from needs_tracker import auth, review
from needs_tracker.config import BUNDLED_NOTES_DIR
from needs_tracker.errors import ReviewError
from needs_tracker.ingest import ingest_paths
from needs_tracker.store import connect

NOTES = 24


@pytest.fixture
def store(built_store) -> str:
    """This module's store: the hand-written fixture notes, stored without the extractor."""
    return built_store




def generated_notes(folder, count: int):
    folder.mkdir()
    sources = [p.read_text(encoding="utf-8") for p in sorted(BUNDLED_NOTES_DIR.iterdir())]
    for i in range(count):
        text = sources[i % len(sources)] + f"\nReference: generated note {i}.\n"
        (folder / f"generated_{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def cli(*args: str) -> subprocess.Popen:
    env = dict(os.environ, NEEDS_TRACKER_LOCK_WAIT="30")
    return subprocess.Popen([sys.executable, "-m", "needs_tracker.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def confirm_while_running(proc: subprocess.Popen, editor, min_confirms: int = 5) -> tuple[list[int], int]:
    """Confirm the head of the review queue again and again until ``proc`` ends.
    Returns the needs confirmed and how many confirmations were made while it ran."""
    confirmed, during, refused = [], 0, 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = proc.poll() is None
        if not running and len(confirmed) >= min_confirms:
            break
        with connect() as con:
            queue = review.review_queue(con, limit=1)
        if queue.empty:
            time.sleep(0.02)
            continue
        nid = int(queue["need_id"][0])
        try:
            review.confirm_need(editor, nid)
        except ReviewError:  # reprocess replaced this undecided row meanwhile: a clear refusal
            refused += 1
            continue
        confirmed.append(nid)
        during += running
        time.sleep(0.05)  # a person's pace; the other process gets the file in between
    return confirmed, during


def check_decisions_kept(confirmed: list[int]) -> None:
    with connect() as con:
        statuses = dict(con.execute("select id, status from needs where list_contains(?, id)",
                                    [confirmed]).fetchall())
        audited = con.execute("select count(*) from audit_log where action = 'confirm'").fetchall()[0][0]
    assert statuses == {nid: "confirmed" for nid in confirmed}
    assert audited == len(confirmed)


def test_cli_ingest_and_dashboard_reviews_at_the_same_time(store, tmp_path):
    notes = generated_notes(tmp_path / "notes", NOTES)
    editor = auth.sign_in_with_identity("reviewer@example.org", email_verified=True, allowed=["reviewer@example.org"])
    proc = cli("ingest", "-q", str(notes), "--db", store)
    confirmed, during = confirm_while_running(proc, editor)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.count("ingested ") == NOTES and f"{NOTES} files: {NOTES} ingested" in out
    assert during > 0, "the two writers never overlapped"
    with connect() as con:
        assert con.execute("select count(*) from documents").fetchall() == [(NOTES + 2,)]
        assert con.execute("select count(*) from workshops").fetchall() == [(NOTES + 2,)]
    check_decisions_kept(confirmed)


def test_cli_reprocess_and_dashboard_reviews_at_the_same_time(store, tmp_path):
    ingest_paths([generated_notes(tmp_path / "notes", NOTES // 2)])
    editor = auth.sign_in_with_identity("reviewer@example.org", email_verified=True, allowed=["reviewer@example.org"])
    proc = cli("reprocess", "--db", store)
    confirmed, during = confirm_while_running(proc, editor)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.startswith(f"reprocessed {NOTES // 2 + 2} notes")
    assert during > 0, "the two writers never overlapped"
    check_decisions_kept(confirmed)


def test_a_writer_that_waits_too_long_gets_one_clear_message(store, monkeypatch):
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
            "time.sleep(20)")
    holder = subprocess.Popen([sys.executable, "-c", code, store], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "0.5")
        from needs_tracker.errors import StoreLockedError

        with pytest.raises(StoreLockedError, match=rf"in use by process {holder.pid} \(python"):
            review.confirm_need(auth.local_editor("t"), 1)
    finally:
        holder.kill()
        holder.wait()
