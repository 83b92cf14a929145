"""Participants listed after a colon whose lead names the people who were there.

"partners able to respond to them: Germany, Japan and the United States", "Partners: ...",
"Who came: ...", "Also in the room: ...", a table row "| International partners | ... |", or a
heading "Participants" above the list. Each note is written for the test in one layout; the
negative rows are lists after a colon that name funders, recipients, absentees, gaps or places,
which must not become participants.
"""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.participants import presence_lead

TOOK_PART = [
    # a sentence whose colon list is the partners who came
    ("The meeting brought together the States that had submitted requests for assistance (Malawi and "
     "Mozambique) and partners able to respond to them: Germany, Japan and the United States.",
     {"DEU", "JPN", "USA"}),
    # labels inside one paragraph, after the labelled participants
    ("Port Vila, Vanuatu, 6-8 November 2018. Participating: Vanuatu, Fiji, Tonga. Partners: Australia, "
     "New Zealand, Japan, VERTIC.", {"VUT", "FJI", "TON", "AUS", "NZL", "JPN"}),
    ("Participating States: Panama, Costa Rica. Partners present: Spain, United States, UNLIREC.",
     {"PAN", "CRI", "ESP", "USA"}),
    # a list going on with "plus", up to the verb that ends it
    ("Hi all,\n\nWho came: Cambodia, Indonesia and Viet Nam, plus Australia and the US, UNODC and us.",
     {"KHM", "IDN", "VNM", "AUS", "USA"}),
    ("Delegations: Thailand (host), Cambodia, plus Japan and the US as partners; INTERPOL ran the scenario.",
     {"THA", "KHM", "JPN", "USA"}),
    # labels the labelled fields do not know, items with a note in parentheses, separated by semicolons
    ("Participants: Ghana, Liberia, Sierra Leone\nAlso in the room: ECOWAS Commission, UK, Japan, France.",
     {"GHA", "LBR", "SLE", "GBR", "JPN", "FRA"}),
    ("Participants: Mongolia\nInternational partners: Republic of Korea (KINAC); United States (Embassy in "
     "Ulaanbaatar); OPCW.", {"MNG", "KOR", "USA"}),
    ("Participants: Namibia\nPartners invited to the last session: United States, South Africa, IAEA.",
     {"NAM", "USA", "ZAF"}),
    # a table row whose first cell is the lead
    ("| **Participants** | Moldova |\n| **International partners** | Romania, United States, European Union |",
     {"MDA", "ROU", "USA"}),
    # a heading that is only the lead, above the list
    ("Workshop report\n\nParticipants\nBahrain, Kuwait and Oman; the GCC General Secretariat; the IAEA.\n\n"
     "Summary\nThe workshop discussed licensing.", {"BHR", "KWT", "OMN"}),
]

NOT_PRESENT = [  # each list in a paragraph of its own, after the note's participants
    # funders, recipients, absentees: the lead says the list is not who came
    ("Participants: Kenya, Uganda.\n\nFunding partners: Japan, Norway.", {"KEN", "UGA"}, {"JPN", "NOR"}),
    ("Participants: Kenya, Uganda.\n\nDonors: Japan, Norway.", {"KEN", "UGA"}, {"JPN", "NOR"}),
    ("Participants: Kenya, Uganda.\n\nPartners who sent regrets: Chad, Niger.", {"KEN", "UGA"}, {"TCD", "NER"}),
    ("Participants: Kenya, Uganda.\n\nPartners thanked the donors: Japan, Norway.", {"KEN", "UGA"},
     {"JPN", "NOR"}),
    # the lead says something of the participants: the list is about their gaps
    ("Participants: Armenia, Georgia.\n\nBoth delegations were candid about gaps: Armenia on biosecurity, "
     "Georgia on detection at its crossings with Azerbaijan.", {"ARM", "GEO"}, {"AZE"}),
    # a list with no people in its lead: assistance to recipients
    ("Participants: Kenya.\n\nThe donor pledged assistance to three States: Chad, Mali and Niger.", {"KEN"},
     {"TCD", "MLI", "NER"}),
    # a state named as the place of an office; the list ends at its verb
    ("Officials from Kyrgyzstan took part.\n\nPartners: OSCE Programme Office in Tajikistan, IAEA.", {"KGZ"},
     {"TJK"}),
    ("Participants: Ghana, Togo.\n\nPartners: IAEA; Japan paid for the venue.", {"GHA", "TGO"}, {"JPN"}),
]


def states(note: str) -> set[str]:
    return {p.iso3 for p in extract(note, model="rules").participants}


@pytest.mark.parametrize("note, expected", TOOK_PART)
def test_a_list_after_a_lead_naming_who_came_lists_participants(note, expected):
    assert expected <= states(note)


@pytest.mark.parametrize("note, present, absent", NOT_PRESENT)
def test_a_list_after_a_colon_that_is_not_who_came_adds_no_participant(note, present, absent):
    found = states(note)
    assert present <= found and not (absent & found)


@pytest.mark.parametrize("lead, is_presence", [
    ("Partners", True), ("Who came", True), ("Also in the room", True), ("Member States present", True),
    ("The following States Parties were represented at the Forum", True),
    ("and partners able to respond to them", True), ("Partners invited to the last session", True),
    ("Funding partners", False), ("Regrets", False), ("Recipients", False), ("Venue", False),
    ("Both delegations were candid about gaps", False), ("Participants thanked the donors", False),
    ("States not represented", False),
])
def test_a_lead_names_the_people_who_were_there(lead, is_presence):
    assert presence_lead(lead) is is_presence
