"""Where a need flagged for another look stands in the review lists.

A decided need whose quote left a replaced note is flagged. It waits first in the undecided queue
(the page says so); in the list of its own decision (Confirmed, Rejected, …) it stands where the
date of that decision puts it, as the caption "most recent decision first" says, and the row is
marked. The stores are written row by row (tests/fixture_store.py), not extracted.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fixture_store import build_store
from needs_tracker import auth, review
from needs_tracker.store import assistance_queue, connect
from needs_tracker.store.vocab import ReviewChoice

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PASSWORD = "order-pass-1540"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return Path(build_store(tmp_path_factory.mktemp("order") / "store.duckdb"))


@pytest.fixture(autouse=True)
def store(template, isolated_store, fresh_streamlit):
    shutil.copy(template, isolated_store)
    return str(isolated_store)


def rows(sql: str, params=None):
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def listed(choice: ReviewChoice) -> list[int]:
    with connect() as con:
        return [int(i) for i in review.review_queue(con, choice=choice, limit=None)["need_id"]]


@pytest.fixture
def older_flagged_newer_plain() -> tuple[int, int]:
    """Two needs confirmed a day apart; the older decision's quote then left its note (flagged)."""
    older, newer = (i for i, in rows("select id from needs where status = 'extracted' order by id limit 2"))
    ana = auth.local_editor("ana")
    for nid, day in ((older, 1), (newer, 2)):
        review.confirm_need(ana, nid)
        rows("update needs set reviewed_at = ? where id = ?", [datetime(2026, 11, day, 9, 0), nid])
    rows("update needs set flagged = 'quote no longer in the note' where id = ?", [older])
    return older, newer


def test_a_decisions_list_is_most_recent_first_even_before_a_flagged_need(older_flagged_newer_plain):
    older, newer = older_flagged_newer_plain
    confirmed = listed(ReviewChoice.CONFIRMED)
    # the fixture's own confirmed need carries no decision date: it comes last
    assert confirmed[:2] == [newer, older]
    # the flagged decision still waits first in the queue, and first among the waiting in All
    assert listed(ReviewChoice.UNDECIDED)[0] == older
    everything = listed(ReviewChoice.ALL)
    assert everything[0] == older and everything.index(newer) > everything.index(older)


def test_a_rejected_list_orders_a_flagged_need_by_its_decision_too():
    ana = auth.local_editor("ana")
    first, second = (i for i, in rows("select id from needs where status = 'extracted' order by id limit 2"))
    for nid, day in ((first, 1), (second, 2)):
        review.reject_need(ana, nid)
        rows("update needs set reviewed_at = ? where id = ?", [datetime(2026, 11, day, 9, 0), nid])
    rows("update needs set flagged = 'quote no longer in the note' where id = ?", [first])
    assert listed(ReviewChoice.REJECTED)[:2] == [second, first]


def test_offers_decided_lists_are_most_recent_first(tmp_path, monkeypatch):
    from assistance_fixture import build_assistance_store
    from needs_tracker.store import assistance_review as decide

    monkeypatch.setenv("NEEDS_TRACKER_DB", str(build_assistance_store(tmp_path / "assist.duckdb")))
    ana = auth.local_editor("ana")
    japan, eu = (rows("select id from offers where provider = ?", [p])[0][0] for p in ("Japan", "EU"))
    for oid, day in ((japan, 2), (eu, 1)):
        decide.confirm_offer(ana, oid)
        rows("update offers set reviewed_at = ? where id = ?", [datetime(2026, 11, day, 9, 0), oid])
    with connect() as con:
        confirmed = assistance_queue.offer_queue(con, choice=ReviewChoice.CONFIRMED, limit=None)
    assert list(confirmed["offer_id"]) == [japan, eu]


def test_the_page_says_the_order_it_shows_and_marks_the_flagged_row(monkeypatch, older_flagged_newer_plain):
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{auth.hash_password(PASSWORD)}")
    older, newer = older_flagged_newer_plain
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("src/needs_tracker/ui/pages/review.py")
    at.query_params["decision"] = "confirmed"
    at.run()
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith("Most recent decision first: showing 1–3 of 3.") for c in at.caption)
    # the rows in the page's order: each need's Reject button, top to bottom
    shown = [int(b.key.split("_")[1]) for b in at.button if (b.key or "").startswith("reject_")]
    assert shown[:2] == [newer, older]
    assert [c.value for c in at.caption if c.value.startswith("⚑")] == [
        "⚑ Flagged for another look: quote no longer in the note"]
    at.radio(key="queue_choice").set_value("undecided").run()
    assert any(c.value.startswith("Flagged for another look first, then the most uncertain (confidence nearest 50%)")
               for c in at.caption)
