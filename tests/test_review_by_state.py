"""The review queue lists one state's needs, whatever workshop reported them (qa10): staff preparing
a meeting on one state could only pick a workshop, or page through every state's needs."""

from __future__ import annotations

import re

import pytest

from apptest_helpers import app
from needs_tracker import review
from needs_tracker.store import connect
from needs_tracker.store.vocab import ReviewChoice

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def _cards(at) -> list[str]:
    """The state named at the head of each listed need."""
    return [m.group(1) for m in (re.match(r"\*\*(.+?)\*\* · ", md.value) for md in at.markdown) if m]


def test_the_queue_lists_one_state_s_needs(dashboard_store):
    at = app("review")
    everyone = _cards(at)
    assert "Kazakhstan" in everyone and "Uzbekistan" in everyone
    at.selectbox(key="queue_state").set_value("KAZ").run()
    assert not at.exception
    assert _cards(at) == ["Kazakhstan"] * 5  # its five undecided needs, from four workshops
    assert "showing 1–5 of 5" in " ".join(c.value for c in at.caption)


def test_the_core_queue_counts_and_lists_by_state(dashboard_store):
    with connect(str(dashboard_store)) as con:
        assert review.queue_size(con, state_iso3="KAZ") == 5
        assert review.queue_size(con, state_iso3="TJK") == 0  # its one need is confirmed
        assert review.queue_size(con, state_iso3="TJK", choice=ReviewChoice.CONFIRMED) == 1
        listed = review.review_queue(con, state_iso3="UZB", choice=ReviewChoice.ALL)
        assert sorted(listed["state_iso3"]) == ["UZB", "UZB"]  # one undecided, one rejected
        assert review.queue_size(con) == len(review.review_queue(con, limit=None))
