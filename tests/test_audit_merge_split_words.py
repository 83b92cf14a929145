"""A merge or a split of an event's sources is recorded as what it is (qa10: the audit log said a
plain "edit" of a workshop): its values say "merge"/"split", which sources and which event, and
the audit page words it ("merged workshops #1 and #2 into one event (#1)"). Store: the event
fixture (tests/event_store.py: workshops #1 and #2 are two sources of one event), written directly."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import APP, PAGES
from event_store import build_event_store
from needs_tracker import auth
from needs_tracker.audit import change_in_words
from needs_tracker.auth import local_editor
from needs_tracker.store import assistance_review as ar
from needs_tracker.store import connect

EDITOR = local_editor("test:reviewer")
PASSWORD = "audit-words-1540"
MERGE = "merged workshops #1 and #2 into one event (#1)"
SPLIT = "split workshop #2 out of event #1: now an event of its own"


@pytest.fixture
def location(isolated_store) -> str:
    location = build_event_store(isolated_store)
    ar.split_source(EDITOR, 2, location=location)
    ar.merge_sources(EDITOR, [2, 1], location=location)
    return location


def _audit(location) -> list[tuple]:
    with connect(location) as con:
        return con.execute("select action, entity, entity_id, cast(after_json as varchar) from audit_log "
                           "order by id").fetchall()


def test_the_log_records_a_split_and_a_merge_with_their_sources_and_event(location):
    split, merge = _audit(location)[-2:]
    assert split[:3] == ("edit", "workshop", "2")
    assert json.loads(split[3]) == {"change": "split", "split_from_event": 1, "event_id": 2, "sources_left": [1]}
    assert merge[:3] == ("edit", "workshop", "1")
    assert json.loads(merge[3]) == {"change": "merge", "merged_sources": [1, 2], "event_id": 1}
    assert [change_in_words(*row) for row in (split, merge)] == [SPLIT, MERGE]


def test_words_for_other_rows_and_a_three_way_merge():
    assert change_in_words("confirm", "need", "12", '{"status": "confirmed"}') == "confirm need #12"
    assert change_in_words("reprocess", "store", None, None) == "reprocess store"
    assert change_in_words("edit", "workshop", "4", {"merged_sources": [4, 5, 9], "event_id": 4}) == (
        "merged workshops #4, #5 and #9 into one event (#4)")


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_audit_page_says_merge_and_split_in_words(location, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{auth.hash_password(PASSWORD)}")
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"{PAGES}/audit.py").run()
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert list(table.columns[:7]) == ["id", "changed_at", "actor", "action", "entity", "entity_id", "change"]
    assert list(table["change"][:2]) == [MERGE, SPLIT]  # newest first
