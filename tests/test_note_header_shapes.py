"""A note's header read as a person reads it: fields that share a line, a date closing the title
line, state names a list's layout broke (at a line end, or written index-style)."""

from __future__ import annotations

from datetime import date

from needs_tracker.extract import extract
from needs_tracker.extract.state_names import written_state_names


def _states(ex) -> dict[str, str]:
    return {p.iso3: p.role for p in ex.participants}


def test_two_fields_on_one_line_end_at_their_sentence_and_are_no_title():
    note = ("Dates: 12-14 March 2018. Venue: Almaty, Kazakhstan.\n\nParticipants: Kazakhstan, Kyrgyzstan.\n\n"
            "Kyrgyzstan lacks training for customs officers.\n")
    ex = extract(note, model=None)
    assert (ex.start_date, ex.end_date) == (date(2018, 3, 12), date(2018, 3, 14))
    assert (ex.venue_city, ex.venue_country_iso3) == ("Almaty", "KAZ")
    assert ex.title is None  # a field line is not a title, nor is the prose after the fields
    assert set(_states(ex)) == {"KAZ", "KGZ"}


def test_a_participants_line_is_no_bare_venue_line():
    note = ("Regional seminar on border controls\n\nParticipants: Kazakhstan, Kyrgyzstan.\n\n"
            "Kyrgyzstan lacks training for customs officers.\n")
    ex = extract(note, model=None)
    assert ex.title == "Regional seminar on border controls"
    assert (ex.venue_city, ex.venue_country) == (None, None)


def test_a_field_that_is_not_one_stays_in_the_value():
    note = ("Venue: Vienna International Centre. Room: C0713, Vienna, Austria.\n\n"
            "Participants: Austria, Hungary.\n")
    ex = extract(note, model=None)
    assert ex.venue_country_iso3 == "AUT"


def test_a_date_closing_the_title_line_is_the_event_date():
    note = ("Workshop on export control, Almaty, 12 May 2015\n\n"
            "Kazakhstan and Kyrgyzstan took part. Kyrgyzstan lacks training for customs officers.\n")
    ex = extract(note, model=None)
    assert (ex.start_date, ex.end_date, ex.date_precision) == (date(2015, 5, 12), date(2015, 5, 12), "day")


def test_state_names_broken_at_a_line_end_are_whole():
    note = ("Subregional workshop on resolution 1540\n\n"
            "Participants: Cameroon, Equatorial\nGuinea, Gabon, Republic of the\nCongo, Federated States of\n"
            "Micronesia, Chad.\n\nGabon lacks training for customs officers.\n")
    ex = extract(note, model=None)
    assert set(_states(ex)) == {"CMR", "GNQ", "GAB", "COG", "FSM", "TCD"}  # no Guinea (GIN)
    assert ex.unresolved_names == []


def test_index_style_names_are_one_state_each():
    note = ("Seminar\n\nParticipants: Chad, Congo, Democratic Republic of the, Micronesia, Federated States of, "
            "Korea, Republic of, Sao Tome and Principe, Mali.\n")
    ex = extract(note, model=None)
    assert set(_states(ex)) == {"TCD", "COD", "FSM", "KOR", "STP", "MLI"}  # not the other Congo (COG)
    assert ex.unresolved_names == []


def test_a_fragment_a_site_left_of_a_name_is_still_reported():
    note = "Seminar\n\nParticipants: Chad, Federated States of , Mali.\n"
    assert extract(note, model=None).unresolved_names == ["Federated States of"]


def test_a_line_that_ends_a_whole_name_keeps_its_break():
    assert written_state_names("Chad\nNiger, Equatorial\nGuinea") == "Chad\nNiger, Equatorial Guinea"
    written = "Congo, Democratic Republic of the, Mali"
    assert written_state_names(written) == "Democratic Republic of the Congo , Mali"
    assert len(written_state_names(written)) == len(written)  # offsets into it are offsets into the note
