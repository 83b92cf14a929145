"""A title whose first word is also a header field's name ("Time for Action: ...", "Secretary-General's
Workshop: ...", "Contact Group Meeting: ...") or that names its place and year ("Workshop in Kenya, 2014")
is a title; the header's own fields and date/place lines stay out (review10)."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.title_lines import is_title_line


@pytest.mark.parametrize("line", [
    "Time for Action: Regional Workshop on Resolution 1540 in Africa",
    "Secretary-General's Workshop: Biosecurity in Practice",
    "Contact Group Meeting: Implementation of 1540 in Central Asia",
    "Workshop in Kenya, 2014",
    "Seminar in Ghana, 3-4 May 2016",
])
def test_a_title_that_opens_like_a_field_or_names_its_place(line):
    assert is_title_line(line)


@pytest.mark.parametrize("line", [
    "Date: 12 March 2015",
    "Date of request: 17 March 2014",
    "Date and Venue: 12 May, Nairobi",
    "Dates of the Workshop: 12-14 May 2015 Nairobi",
    "Chaired by: Mr X Y Z",
    "Type(s): Workshop, training course",
    "Tel.: +254 20 123 4567",
    "E-mail address: a@b.org",
    "Reference No.: 1540/2014",
    "Posted on: 12 May 2014 by admin",
    "Venue | Montevideo",
    "Nairobi, Kenya, 12 May 2014",
])
def test_header_fields_and_date_lines_are_still_no_title(line):
    assert not is_title_line(line)


@pytest.mark.parametrize("title", [
    "Time for Action: Regional Workshop on Resolution 1540 in Africa",
    "Secretary-General's Workshop: Biosecurity in Practice",
    "Workshop in Kenya, 2014",
])
def test_the_note_keeps_its_title(title):
    text = (f"{title}\n\nDate: 12 March 2015\nVenue: Nairobi, Kenya\n\n"
            "The workshop was organized by the Ministry of Foreign Affairs of Kenya. Kenya reported it needs "
            "assistance with export control legislation.\n")
    assert extract(text, model="rules").title == title


def test_a_standing_conference_is_an_organiser_not_an_event():
    from needs_tracker.extract.organisers import organizer_names

    assert organizer_names("the Conference on Interaction and Confidence Building Measures in Asia (CICA)") == [
        "Conference on Interaction and Confidence Building Measures in Asia (CICA)"]
    assert organizer_names("the Conference on Disarmament (CD) and UNODA") == [
        "Conference on Disarmament (CD)", "UNODA"]
    assert organizer_names("Regional Workshop on Export Controls (RWEC) in Nairobi") == []
