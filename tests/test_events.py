"""Same-event linking: two documents of one workshop are one event; different days, different
years or a register never are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from needs_tracker.events import EventFacts, group_events, organiser_keys, same_event
from needs_tracker.extract import extract
from needs_tracker.readers import read_document

CORPUS = Path(__file__).parent / "corpus" / "assistance"
SHARED_DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _facts(path: Path) -> EventFacts:
    return EventFacts.from_extraction(extract(read_document(path).text))


@pytest.mark.parametrize("a, b", [
    ("tuning/A6_kathmandu_announcement.txt", "tuning/A7_kathmandu_report.txt"),  # announcement and report
    ("heldout/B6a_cable_dushanbe_workshop.txt", "heldout/B6b_news_dushanbe_workshop.md"),  # cable and news story
])
def test_two_documents_of_one_event(a, b):
    match = same_event(_facts(CORPUS / a), _facts(CORPUS / b))
    assert match.same, match
    assert "dates overlap" in match.reasons and "same city" in match.reasons


def test_the_real_cairo_cable_and_press_release_are_one_event():
    cable = SHARED_DOCS / "docs" / "007_cable-10CAIRO366-cairo-africa-workshop-2009.txt"
    press = SHARED_DOCS / "more-real" / "docs" / "008_un-press-sc9803-cairo-workshop-announcement-2009.txt"
    if not cable.exists() or not press.exists():
        pytest.skip("../shared is not beside this checkout")
    assert same_event(_facts(cable), _facts(press)).same


def test_the_labelled_notes_group_into_their_events():
    files = sorted(p for d in ("tuning", "heldout", "heldout2") for p in (CORPUS / d).iterdir()
                   if p.suffix in (".txt", ".md", ".docx"))
    groups = group_events([_facts(p) for p in files])
    linked = sorted(sorted(files[i].name for i in g) for g in groups if len(g) > 1)
    assert linked == [["A6_kathmandu_announcement.txt", "A7_kathmandu_report.txt"],
                      ["B6a_cable_dushanbe_workshop.txt", "B6b_news_dushanbe_workshop.md"]]


BASE = EventFacts("National workshop on resolution 1540", date(2019, 12, 10), date(2019, 12, 11), 2019,
                  "Kathmandu", "NPL", ("UNRCPD",), frozenset({"NPL", "JPN"}))


@pytest.mark.parametrize("other, same", [
    (BASE, True),
    (EventFacts("Workshop", date(2019, 12, 11), date(2019, 12, 11), 2019, "Kathmandu", "NPL"), True),  # one day of it
    (EventFacts("National workshop on resolution 1540", date(2019, 12, 16), date(2019, 12, 17), 2019, "Kathmandu",
                "NPL", ("UNRCPD",), frozenset({"NPL", "JPN"})), False),  # a week later: another event
    (EventFacts("National workshop on resolution 1540", None, None, 2018, "Kathmandu", "NPL", ("UNRCPD",),
                frozenset({"NPL", "JPN"})), False),  # another year
    (EventFacts("National workshop", date(2019, 12, 10), date(2019, 12, 11), 2019, "Colombo", "LKA",
                (), frozenset({"LKA"})), False),  # same days, elsewhere
    (EventFacts(None, None, None, 2019, "Kathmandu", "NPL", ("United Nations Regional Centre for Peace and "
                "Disarmament in Asia and the Pacific",), frozenset({"NPL", "JPN"})), True),  # undated report
    (EventFacts("Summary requests", None, None, None, kind="assistance_requests"), False),
])
def test_same_event_table(other, same):
    assert same_event(BASE, other).same is same
    assert same_event(other, BASE).same is same  # symmetric


def test_organisers_are_compared_by_normalised_name():
    assert organiser_keys(["UNODA", "Ministry of Foreign Affairs of Tajikistan"]) == \
        organiser_keys(["United Nations Office for Disarmament Affairs", "Tajik Ministry of Foreign Affairs"])


def test_grouping_is_transitive():
    a = EventFacts("Workshop", date(2020, 3, 1), date(2020, 3, 3), 2020, "Lima", "PER")
    b = EventFacts("Workshop", date(2020, 3, 3), date(2020, 3, 3), 2020, "Lima", "PER")
    c = EventFacts("Workshop", date(2020, 3, 4), date(2020, 3, 4), 2020, "Lima", "PER")
    other = EventFacts("Workshop", date(2021, 3, 1), date(2021, 3, 3), 2021, "Lima", "PER")
    assert group_events([a, other, b, c]) == [[0, 2, 3], [1]]
