"""A register of formal requests (kind ``assistance_requests``) names its requesting states as
participants (the store's word for "states named"), but no state attended it (qa10: Côte d'Ivoire's
profile listed "1540 Committee · participant" under *Workshops attended*). Every attendance read
leaves it out: the state's attended workshops, "attended workshops until", the briefs' "still
reported", the gap finder's "addressed by", and Matching's later events (never "taken up").
Store: the dashboard fixture, plus a 2020 register written row by row (no extractor)."""

from __future__ import annotations

import pandas as pd
import pytest

from apptest_helpers import app
from fixture_store import build_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import assistance, connect, matching_base, reads

REGISTER = "Kazakhstan formally requested assistance with training its law enforcement officers."
GAP = "law_enforcement_capacity"  # KAZ reported it in 2012 (Ashgabat); no later event covered it
KAZ = NeedFilter(states=("KAZ",))


@pytest.fixture
def location(isolated_store) -> str:
    location = build_store(isolated_store)
    with connect(location) as con:
        con.execute("insert into documents (id, file_name, format, size_bytes, text) values "
                    "('register', 'register.txt', 'txt', 90, ?)", [REGISTER])
        wid = con.execute("insert into workshops (document_id, title, kind, year) values ('register', "
                          "'Register of requests', 'assistance_requests', 2020) returning id").fetchall()[0][0]
        # what the extractor stores for a register: its requesting state named, a need and a request
        # read from the same sentence (and, to be sure a topic cannot make it an event, a topic)
        con.execute("insert into participation (workshop_id, state_iso3, role) values (?, 'KAZ', 'participant')",
                    [wid])
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (?, 'KAZ', ?, ?, 0, ?, 'test', 0.9)", [wid, GAP, REGISTER, len(REGISTER)])
        con.execute("insert into requests (workshop_id, state_iso3, category, requested_on, evidence, span_start, "
                    "span_end, rule, confidence) values (?, 'KAZ', ?, date '2020-02-01', ?, 0, ?, 'test', 0.9)",
                    [wid, GAP, REGISTER, len(REGISTER)])
        con.execute("insert into topics values (?, ?, 'training', 0, 8)", [wid, GAP])
    return location


def test_a_register_is_not_a_workshop_the_state_attended(location):
    with connect(location) as con:
        attended = reads.workshops_attended(con, "KAZ")
        timeline = reads.state_timeline(con, KAZ, "KAZ").set_index("category")
        pairs = reads.brief_pairs(con, KAZ, 3).set_index("category")
        finder = reads.gap_finder(con, KAZ).set_index("category")
    assert "Register of requests" not in set(attended["title"].fillna(""))
    assert len(attended) == 4  # Ashgabat 2012, Vienna 2018, the undated note, the 2015 outreach event
    assert int(timeline.loc[GAP, "last_attended"]) == 2018  # not the register's 2020
    assert int(pairs.loc[GAP, "last_attended"]) == 2018
    assert bool(timeline.loc[GAP, "still_reported"]) and bool(pairs.loc[GAP, "still_reported"])  # requested 2020
    assert pd.isna(finder.loc[GAP, "addressed_by"])  # the register "addressed" nothing


def test_a_register_never_makes_a_gap_taken_up(location):
    with connect(location) as con:
        direct = assistance.matching_table(con, KAZ)
        base = matching_base.build(con)
    for table in (direct, matching_base.matching_table(base, KAZ)):  # the SQL path and the dashboard's copy
        row = table.set_index("category").loc[GAP]
        assert str(row["status"]) == "open" and list(row["later_events"]) == []


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_state_profile_does_not_list_the_register_as_attended(location):
    at = app("state", state="KAZ")
    table = next(d.value for d in at.dataframe if "role" in d.value.columns)
    assert "Register of requests" not in set(table["workshop"])
    assert len(table) == 4
