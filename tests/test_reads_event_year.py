"""``by_year_summary`` counts each event once. The two sources of the 2018 Vienna peer review
(tests/event_store.py) are given different years here, as when a reviewer merged a workshop
with a report of it dated the next year: the event stays one workshop, in its earliest year
under the filter, with the states and gaps of both sources."""

from __future__ import annotations

import pytest

from event_store import build_event_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads


@pytest.fixture
def location(isolated_store) -> str:
    location = build_event_store(isolated_store)
    with connect(location) as con:  # the press release (source 2 of event 1) is dated the next year
        con.execute("update workshops set year = 2019, start_date = date '2019-01-08', end_date = null where id = 2")
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (2, 'KAZ', 'licensing', 'Kazakhstan needs licensing help.', 0, 10, 'f', 0.9)")
    return location


def _summary(location: str, f: NeedFilter) -> dict:
    with connect(location) as con:
        df = reads.by_year_summary(con, f)
        events = reads.counts(con, f)["workshops"]
    assert df["workshops"].sum() == events  # every event in exactly one row
    return {int(r.year): (r.workshops, r.state_names, list(r.categories)) for r in df.itertuples(index=False)}


def test_an_event_with_sources_of_two_years_is_counted_once_in_its_earliest(location):
    assert _summary(location, NeedFilter()) == {
        2012: (1, "Kyrgyzstan", ["detection_equipment"]),
        2018: (1, "Kazakhstan, Uzbekistan", ["dual_use_identification", "legal_regulatory_framework", "licensing"]),
    }


def test_under_a_year_filter_the_event_stays_in_a_year_asked_for(location):
    assert _summary(location, NeedFilter(year_from=2019)) == {
        2019: (1, "Kazakhstan, Uzbekistan", ["dual_use_identification", "licensing"])}
    assert _summary(location, NeedFilter(year_to=2018))[2018][0] == 1
