"""A brief quotes a sentence of a merged event's second source under the event's title and the
event's date (qa10): before, it wrote the event's title with the source's own date ("Peer review,
Vienna, 2018-04-02" for a review held on 19 March), a day the "Workshops quoted" table contradicts."""

from __future__ import annotations

import pytest

from event_store import UZB_NEED, build_event_store
from export_readers import html_parse
from needs_tracker.export import to_bytes
from needs_tracker.export.brief import gather_brief
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect


@pytest.fixture
def store(isolated_store, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")
    location = build_event_store(isolated_store)
    with connect(location) as con:  # the press release came out two weeks after the review
        con.execute("update workshops set start_date = date '2018-04-02', end_date = null where id = 2")
    return location


def test_a_quote_from_a_merged_source_cites_the_event_s_date(store):
    data = gather_brief(NeedFilter(states=("UZB",)), location=store)
    quotes = [q for _, q in data.quotes_for("UZB")]
    assert [(q["workshop_title"], str(q["start_date"]), q["file_name"]) for q in quotes] == [
        ("Peer review, Vienna", "2018-03-19", "vienna_information_note.txt"),
        ("Peer review, Vienna", "2018-03-19", "vienna_press_release.txt")]


def test_the_html_brief_never_cites_the_source_s_own_date(store):
    text = " ".join(" ".join(html_parse(to_bytes("html", NeedFilter(states=("UZB",)))[0]).text).split())
    assert text.count(UZB_NEED) == 2
    assert "2018-04-02" not in text
    assert "Peer review, Vienna, 2018-03-19 (file: vienna_press_release.txt)" in text
