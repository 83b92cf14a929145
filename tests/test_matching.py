"""The matching table, on fixture rows built here (exact equality), plus its size behaviour."""

from __future__ import annotations

from datetime import date

import pandas as pd

from needs_tracker.matching import COLUMNS, Status, match

AS_OF = date(2024, 6, 1)

NEEDS = pd.DataFrame([
    # Kazakhstan's control list: reported 2015 and 2018, then a 2020 event on control lists -> taken up
    {"state_iso3": "KAZ", "category": "control_lists", "year": 2015, "workshop_id": 1},
    {"state_iso3": "KAZ", "category": "control_lists", "year": 2018, "workshop_id": 2},
    # Kyrgyzstan's licensing: reported 2016, offered by the EU in 2017 -> offered
    {"state_iso3": "KGZ", "category": "licensing", "year": 2016, "workshop_id": 3},
    # Tajikistan's training: reported 2019, nothing since -> open for 5 years
    {"state_iso3": "TJK", "category": "training_capacity_building", "year": 2019, "workshop_id": 4},
    # a need read from a register is the request itself: not counted twice
    {"state_iso3": "ALB", "category": "licensing", "year": None, "workshop_id": 9, "kind": "assistance_requests"},
])
REQUESTS = pd.DataFrame([
    {"state_iso3": "ALB", "category": "licensing", "requested_on": date(2004, 10, 28)},
    {"state_iso3": "TJK", "category": "training_capacity_building", "requested_on": date(2021, 3, 1)},
])
OFFERS = pd.DataFrame([
    {"provider": "EU", "category": "licensing", "recipients_iso3": ["KGZ", "KAZ"], "year": 2017, "workshop_id": 5},
    # Albania's request dates from 2004, so Italy's 2010 offer answers it
    {"provider": "Italy", "category": "licensing", "recipients_iso3": ["ALB"], "year": 2010, "workshop_id": 6},
    # an offer on another gap, and one to another state, change nothing
    {"provider": "Japan", "category": "detection_equipment", "recipients_iso3": ["TJK"], "year": 2020,
     "workshop_id": 7},
    {"provider": "OSCE", "category": "training_capacity_building", "recipients_iso3": ["UZB"], "year": 2020,
     "workshop_id": 7},
])
EVENTS = pd.DataFrame([
    {"state_iso3": "KAZ", "workshop_id": 8, "year": 2020, "category": "control_lists"},
    {"state_iso3": "KAZ", "workshop_id": 2, "year": 2018, "category": "control_lists"},  # the reporting event itself
    {"state_iso3": "TJK", "workshop_id": 1, "year": 2015, "category": "training_capacity_building"},  # earlier
])


def test_one_row_per_state_and_gap_with_status_and_years_open():
    table = match(NEEDS, REQUESTS, OFFERS, EVENTS, as_of=AS_OF)
    assert list(table.columns) == COLUMNS
    rows = {(r.state_iso3, r.category): r for r in table.itertuples(index=False)}
    assert set(rows) == {("KAZ", "control_lists"), ("KGZ", "licensing"), ("TJK", "training_capacity_building"),
                         ("ALB", "licensing")}

    kaz = rows[("KAZ", "control_lists")]
    assert (kaz.status, kaz.years_open, kaz.first_raised) == (Status.TAKEN_UP, 5, 2015)
    assert (kaz.need_years, kaz.need_workshops, kaz.later_events, kaz.later_event_years) == (
        [2015, 2018], [1, 2], [8], [2020])
    assert kaz.offers == [] and kaz.request_dates == []

    kgz = rows[("KGZ", "licensing")]
    assert (kgz.status, kgz.years_open) == (Status.OFFERED, 1)
    assert kgz.offers == [{"provider": "EU", "year": 2017, "workshop_id": 5, "to": "named"}]
    assert kgz.offer_summary == "EU (2017)"

    tjk = rows[("TJK", "training_capacity_building")]
    assert (tjk.status, tjk.years_open, tjk.request_dates, tjk.offers, tjk.later_events) == (
        Status.OPEN, 5, ["2021-03-01"], [], [])

    alb = rows[("ALB", "licensing")]
    assert (alb.status, alb.years_open, alb.need_years, alb.request_dates, alb.offer_summary) == (
        Status.OFFERED, 6, [], ["2004-10-28"], "Italy (2010)")


def test_open_gaps_come_first_longest_open_first():
    table = match(NEEDS, REQUESTS, OFFERS, EVENTS, as_of=AS_OF)
    assert list(zip(table.status, table.state_iso3, strict=True)) == [
        ("open", "TJK"), ("offered", "ALB"), ("offered", "KGZ"), ("taken up", "KAZ")]


def test_an_offer_made_before_the_gap_was_raised_does_not_count():
    needs = pd.DataFrame([{"state_iso3": "KGZ", "category": "licensing", "year": 2019, "workshop_id": 1}])
    table = match(needs, None, OFFERS, None, as_of=AS_OF)
    assert (table.status[0], table.years_open[0], table.offers[0]) == ("open", 5, [])


def test_empty_inputs_give_an_empty_table():
    assert list(match(None, None, None, None).columns) == COLUMNS
    assert match(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame()).empty


def test_a_large_store_keeps_one_row_per_pair():
    n = 100_000
    states = ["KAZ", "KGZ", "TJK", "UZB", "MNG"]
    cats = ["licensing", "control_lists", "training_capacity_building"]
    needs = pd.DataFrame({"state_iso3": [states[i % 5] for i in range(n)],
                          "category": [cats[i % 3] for i in range(n)],
                          "year": [2010 + i % 12 for i in range(n)], "workshop_id": [i % 2000 for i in range(n)]})
    table = match(needs, None, OFFERS, EVENTS, as_of=AS_OF)
    assert len(table) == 15
    status = dict(zip(zip(table.state_iso3, table.category, strict=True), table.status, strict=True))
    assert status[("KAZ", "control_lists")] == "taken up"  # the 2020 event
    assert status[("KGZ", "licensing")] == "offered"  # the EU's offer of 2017
    assert status[("MNG", "licensing")] == "open"


def test_the_offer_summary_says_to_whom():
    needs = pd.DataFrame([{"state_iso3": "KGZ", "category": "national_action_plan", "year": 2019, "workshop_id": 1}])
    offers = pd.DataFrame([{"provider": "OSCE", "category": "national_action_plan", "recipients_iso3": ["KGZ", "KAZ"],
                            "year": 2019, "workshop_id": 1, "recipients_kind": "all_participants"}])
    table = match(needs, None, offers, None, as_of=AS_OF)
    assert (table.status[0], table.years_open[0], table.offer_summary[0]) == (
        "offered", 0, "OSCE (2019, to all participants)")
