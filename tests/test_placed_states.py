"""A state named only as the place where another body sits is not a participant: "OSCE
Programme Office in Tajikistan" in a list is the OSCE's office, not Tajikistan; "EU Delegation to
Kazakhstan" is the EU's. A state's own bodies still name it ("Government of Kazakhstan", "Jordan
Customs", "Permanent Mission of Kazakhstan to the United Nations"), and a list goes on past such
a line, so the states after it are still read."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.placed_states import lists_a_state, names_a_state, placed_in


@pytest.mark.parametrize("line, names", [
    ("OSCE Programme Office in Tajikistan", False),
    ("- EU Delegation to Kazakhstan", False),
    ("UNRCPD in Lomé, Togo", False),
    ("Nuclear Security Training Centre at Kazakhstan", False),
    ("Chad", True),
    ("- Central African Republic", True),
    ("the Republic of Korea", True),
    ("Government of Kazakhstan", True),
    ("Jordan Customs", True),
    ("Kenya's National Police Service", True),
    ("Delegation from Chad", True),
    ("Ministry for Foreign Affairs of Chad", True),  # the last preposition is "of": Chad's own ministry
    ("Permanent Mission of Kazakhstan to the United Nations", True),
])
def test_a_line_names_a_state_only_when_the_state_is_what_it_names(line, names):
    assert names_a_state(line) is names
    assert lists_a_state(line)  # either way the line belongs to a list of states


def test_placed_in_reads_only_the_same_item():
    text = "Kazakhstan, OSCE Programme Office in Tajikistan, Kyrgyzstan"
    assert placed_in(text, text.index("Tajikistan"))
    assert not placed_in(text, text.index("Kyrgyzstan"))  # the comma ends the office's item
    assert not placed_in("Permanent Mission of Kazakhstan", len("Permanent Mission of "))


def states(note: str) -> set[str]:
    return {p.iso3 for p in extract(note, model="rules").participants}


@pytest.mark.parametrize("note", [
    "Workshop\n\nDelegations from the following States took part:\n\nKazakhstan\nOSCE Programme Office in Tajikistan\n"
    "Kyrgyzstan\n",
    "Workshop\n\nParticipants:\nKazakhstan\nKyrgyzstan\nOSCE Programme Office in Tajikistan\n",
    "Workshop\n\nParticipants: Kazakhstan\nOSCE Programme Office in Tajikistan\nKyrgyzstan\n",
    "Workshop\n\nParticipants:\n- Kazakhstan\n- OSCE Programme Office in Tajikistan\n- Kyrgyzstan\n",
    "Workshop\n\nParticipants: Kazakhstan, OSCE Programme Office in Tajikistan, Kyrgyzstan.\n",
    "Workshop\n\nThe workshop was attended by officials from Kazakhstan, the OSCE Programme Office in Tajikistan "
    "and Kyrgyzstan.\n",
])
def test_an_office_in_a_state_is_not_that_state_in_any_list_shape(note):
    assert states(note) == {"KAZ", "KGZ"}


def test_a_mission_of_a_state_to_an_organisation_is_that_state():
    note = ("Workshop\n\nDelegations from the following States took part:\n\nChad\n"
            "Permanent Mission of Kazakhstan to the United Nations\nEU Delegation to Niger\nMali\n")
    assert states(note) == {"TCD", "KAZ", "MLI"}


@pytest.mark.parametrize("sentence, state", [
    ("Experts from the OSCE Secretariat trained officials in Kazakhstan and Kyrgyzstan.", "Kazakhstan"),
    ("The workshop drew on embassy staff in Kenya, Uganda and Tanzania.", "Kenya"),
    ("UNODC Regional Office delivered training to Nigeria.", "Nigeria"),
    ("The secretariat visit to Jordan took place in May.", "Jordan"),
])
def test_a_verb_or_a_common_word_ends_an_office_name(sentence, state):
    from needs_tracker.extract.placed_states import placed_in

    assert not placed_in(sentence, sentence.index(state))


def test_an_office_name_of_several_capitalised_words_still_places_its_state():
    from needs_tracker.extract.placed_states import placed_in

    sentence = "the UNODC Regional Office for West and Central Africa in Senegal"
    assert placed_in(sentence, sentence.index("Senegal"))


@pytest.mark.parametrize("text", ["the UNODC Office in\nTajikistan", "the UNODC Office\u00a0in Tajikistan",
                                  "UNODC OFFICE IN TAJIKISTAN"])
def test_an_office_seat_across_a_line_break_or_in_capitals_is_still_a_seat(text):
    from needs_tracker.extract.placed_states import placed_in

    assert placed_in(text, text.lower().index("tajikistan"))
