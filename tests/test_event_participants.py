"""An event's page names the states that took part from all its sources, as the Workshops list
counts them (qa10): the Cairo workshop's page (a cable naming Egypt, merged with a press release
naming fourteen states) said "Participants (1)" while the list said 14 states."""

from __future__ import annotations

import pytest

from apptest_helpers import app
from event_store import build_event_store
from needs_tracker.store import connect, workshop_reads

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


@pytest.fixture
def store(isolated_store):
    """The event store, its press release (source 2 of event 1) also naming Turkmenistan, whose
    participation a reviewer rejected on the note (source 1) for Kyrgyzstan."""
    location = build_event_store(isolated_store)
    with connect(location) as con:
        con.execute("insert into participation (workshop_id, state_iso3, role) values (2, 'TKM', 'participant')")
        con.execute("insert into participation (workshop_id, state_iso3, role, status) "
                    "values (1, 'KGZ', 'participant', 'rejected')")
    return location


def _subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def test_the_event_page_counts_the_states_of_all_its_sources(store):
    with connect(store) as con:
        got = workshop_reads.event_participants(con, 1)
    assert list(got["state_iso3"]) == ["KAZ", "TKM", "UZB"]
    at = app("workshops", workshop="1")
    assert "Participants (3)" in _subheaders(at)
    assert "From all 2 sources of this event." in [c.value for c in at.caption]


def test_a_source_s_own_page_keeps_its_own_participants(store):
    at = app("workshops", workshop="3")  # an event of one source: its note's states, as before
    assert "Participants (2)" in _subheaders(at)
