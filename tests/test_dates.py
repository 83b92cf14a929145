"""Event dates on event pages, datelines and publication lines (issue 10, item 3).

The event's own dates come before a publication date; a year comes from a dateline or a
publication line when the event line has none (the year that puts the event nearest to when the
page was written); an announcement gives the coming event's dates, not the release date; and a
date is given only where day, month and year are known."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.dates import find_dates, publication_date

CASES = [
    # an event page's header fields
    ("Peer-Review Meeting\n\nStart Date: Aug 2 2016\nEnd Date: Aug 5 2016\nLocation: Minsk, Belarus\n\n"
     "Officials met to share experiences.", ("2016-08-02", "2016-08-05")),
    # the year from a publication line, the event line giving none
    ("CNS Feature Stories\n\nUpdated: Mar 2, 2009\n\nOn February 10-11, CNS held a workshop on resolution 1540.\n\n"
     "Posted: February 26, 2009", ("2009-02-10", "2009-02-11")),
    # across the turn of a year: a past event, and an announced one
    ("News\n\nPosted: 5 January 2018\n\nThe workshop was held on 12-13 December in Lima.",
     ("2017-12-12", "2017-12-13")),
    ("NEW YORK, 10 December 2017 — The Committee will hold a workshop in Cairo on 15-16 January.",
     ("2018-01-15", "2018-01-16")),
    # an announcement: the event's dates, not the release date
    ("NEW YORK, 5 March 2009 — The Security Council Committee will hold a workshop in Cairo from 20 to 22 March.",
     ("2009-03-20", "2009-03-22")),
    ("Press release\n\nAnnounced on 2 May 2016: a regional workshop will take place in Accra on 6-7 June 2016.",
     ("2016-06-06", "2016-06-07")),
    # a dateline without its city
    ("12 March 2019 — UNODA held a one-day workshop on 5 March in Lima for officials from Peru.",
     ("2019-03-05", "2019-03-05")),
    # the event's dates before a publication date, whichever comes first
    ("News\n\nPublished on 10 May 2017. The workshop was held on 3-4 May in Lima.", ("2017-05-03", "2017-05-04")),
    ("The workshop was held on 3-4 May 2017 in Lima. This page was published on 10 May 2017.",
     ("2017-05-03", "2017-05-04")),
    # a page's date line above the event's own
    ("South-East Asian Workshop\n\nOctober 20th, 2017\n\n27-28 September 2017\n\nBangkok, Thailand\n\n"
     "Participants discussed export controls.", ("2017-09-27", "2017-09-28")),
    # no event date: a register's date of request, or no year anywhere
    ("Summary Requests for Assistance\n\n(Date of Request: 28 October 2004)\n\n1. Improvement of licensing systems.",
     (None, None)),
    ("Peer review\n\nFrom 8 to 10 November, 55 representatives took part in the peer-review meeting.", (None, None)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_event_dates(text, expected):
    ex = extract(text + "\n")
    got = (ex.start_date.isoformat() if ex.start_date else None, ex.end_date.isoformat() if ex.end_date else None)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("held on 4, 5 and 6 April 2016 in Lima", ("2016-04-04", "2016-04-06")),
        ("Held on 30-31 March and 1 April 2016, the workshop", ("2016-03-30", "2016-04-01")),
        ("from Monday, 4 April 2016 to Wednesday, 6 April 2016", ("2016-04-04", "2016-04-06")),
        ("on the 4th and 5th of April 2016", ("2016-04-04", "2016-04-05")),
    ],
)
def test_ranges_written_in_other_ways(text, expected):
    found = find_dates(text)[0]
    assert (found.start.isoformat(), found.end.isoformat()) == expected


def test_month_day_year_without_a_comma():
    found = find_dates("Start Date: Aug 2 2016")
    assert [(d.start.isoformat(), d.precision) for d in found] == [("2016-08-02", "day")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("VIENNA, 26 September 2019 — Officials met.", "2019-09-26"),
        ("Title\n\nPosted: February 26, 2009\n\nText.", "2009-02-26"),
        ("Title\n\nThe workshop took place on 3 May 2017.", None),  # an event date is no publication date
    ],
)
def test_publication_date(text, written):
    found = publication_date(text)
    assert (found.isoformat() if found else None) == written
