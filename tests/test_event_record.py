"""A reviewer chooses which source of a merged event is its record (whose title, dates and
venue stand for the event): store.assistance_review.choose_event_record on a store written row by row
(tests/event_store.py: workshops 1 and 2 are one event, 1 its record), audited, kept by the
automatic relinking a reprocess runs, refused in one line when there is nothing to choose, and
the "Make it the event's record" button on a workshop's page (AppTest, the real dashboard)."""

# ruff: noqa: F811  (the fixture ``store`` is imported from test_workshop_sources_page)
from __future__ import annotations

import json

import pytest

from event_store import PRESS_TITLE
from needs_tracker.auth import local_editor
from needs_tracker.errors import NeedsTrackerError, ReviewError
from needs_tracker.filters import NeedFilter
from needs_tracker.store import assistance, connect, reads
from needs_tracker.store.assistance import event_sources
from needs_tracker.store.assistance_review import choose_event_record
from needs_tracker.store.connection import write
from test_workshop_sources_page import (  # noqa: F401 (fixtures: store, template, password_hash)
    events,
    ok,
    password_hash,
    signed_in_editor,
    store,
    template,
    text,
    workshops_page,
)

EDITOR = local_editor("test:reviewer")


def _sources(location: str, workshop_id: int = 1) -> list[list]:
    with connect(location) as con:
        return event_sources(con, workshop_id)[["workshop_id", "linked_by", "is_record"]].values.tolist()


def test_the_chosen_source_stands_for_the_event_everywhere(store):
    assert _sources(store) == [[1, "extracted", True], [2, "extracted", False]]
    assert choose_event_record(EDITOR, 2, location=store) == 2
    assert _sources(store) == [[2, "manual", True], [1, "manual", False]]
    with connect(store) as con:
        table = reads.workshops(con, NeedFilter()).set_index("workshop_id")
        assert 1 not in table.index
        assert (table.loc[2, "title"], table.loc[2, "sources"], table.loc[2, "needs"]) == (PRESS_TITLE, 2, 3)
        assert reads.counts(con, NeedFilter())["workshops"] == 2  # still two events
        reasons = dict(con.execute("select workshop_id, reasons from workshop_sources").fetchall())
        actor, action, entity_id, before, after = con.execute(
            "select actor, action, entity_id, before_json, after_json from audit_log order by id desc limit 1"
        ).fetchall()[0]
    assert reasons == {2: "record chosen by test:reviewer (local)",
                       1: "the event's record until test:reviewer (local) chose #2"}
    assert (actor, action, entity_id) == ("test:reviewer (local)", "edit", "2")
    assert json.loads(before) == {"event_id": 1, "record": 1}
    assert json.loads(after) == {"event_id": 2, "record": 2, "sources": [1, 2]}


def test_relinking_as_a_reprocess_does_keeps_the_choice(store):
    choose_event_record(EDITOR, 2, location=store)
    write(store, lambda con: assistance.link_events(con))  # every year regrouped, lowest id first
    assert _sources(store, 2) == [[2, "manual", True], [1, "manual", False]]


def test_merging_one_more_source_keeps_the_chosen_record(store):
    from needs_tracker.store.assistance_review import merge_sources

    choose_event_record(EDITOR, 2, location=store)
    assert merge_sources(EDITOR, [3, 2], location=store) == 2  # not the lowest id, 1
    assert _sources(store, 2) == [[2, "manual", True], [1, "manual", False], [3, "manual", False]]


@pytest.mark.parametrize("workshop_id, message", [
    (3, "workshop #3 is the only source of its event: there is no record to choose"),
    (1, "workshop #1 is already its event's record"),
    (99, "workshop #99 does not exist"),
])
def test_nothing_to_choose_is_one_line_and_changes_nothing(store, workshop_id, message):
    with pytest.raises(ReviewError) as refused:
        choose_event_record(EDITOR, workshop_id, location=store)
    assert str(refused.value) == message
    assert _sources(store) == [[1, "extracted", True], [2, "extracted", False]]


def test_a_viewer_cannot_choose(store):
    with pytest.raises(NeedsTrackerError):
        choose_event_record(None, 2, location=store)
    assert _sources(store) == [[1, "extracted", True], [2, "extracted", False]]


def test_an_editor_makes_the_press_release_the_events_record_on_the_page(store):
    at = workshops_page(signed_in_editor(), workshop="1")
    assert [b.key for b in at.button if (b.key or "").startswith("ws_record_")] == ["ws_record_2"]
    at.button(key="ws_record_2").click().run()
    ok(at)
    assert at.success[0].value == "Source #2 is now the event's record."
    assert "the event's record; record chosen by Ana (password)" in text(at)
    assert [b.key for b in at.button if (b.key or "").startswith("ws_record_")] == ["ws_record_1"]
    assert events(store) == 2
