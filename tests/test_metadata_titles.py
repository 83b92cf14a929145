"""A workshop's title and organisers on documents written by others: what a title line is not (a site's
banner, a cable's header, a date line, a salutation, a cut word, a letterhead), a cable's subject, the
event a page's first sentence names, and where an organiser's name ends."""

from __future__ import annotations

import docx
import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.organisers import organizer_names
from needs_tracker.extract.title_lines import is_letterhead, is_title_line, subject_line
from needs_tracker.readers import read_document


@pytest.mark.parametrize("line", [
    "Welcome to the United Nations. It's your world",
    "Skip to main content",
    "An official website of the United States government",
    "• English",
    "Press Releases",
    "UNCLAS SECTION 01 OF 06 CAIRO 000366",
    "C O N F I D E N T I A L SECTION 01 OF 02 TASHKENT 000785",
    "UNCLAS BAGHDAD 003927",
    "Identifier",
    "Representativ",
    "Mr. President,",
    "Chairperson, Excellencies, Distinguished Delegates, Dear Colleagues,",
    "24 October 2014",
    "Wednesday, Dec 06, 2023 |",
    "Quito, Ecuador, 6–8 May 2008",
    "(Beijing, June 25, 2024)",
    "From: Political Section, British Embassy Tbilisi",
    "that have already submitted reports",
])
def test_not_a_title_line(line):
    assert not is_title_line(line)


@pytest.mark.parametrize("line", [
    "Regional workshop on export control for Central Asian States",
    "Offers of Assistance",
    "1540 Committee visit to Ghana, 2-4 November 2026",
    "Malawi Hosts Visit By Security Council’s 1540 Committee, 5-8 August 2014",
    "Peer review between Jordan and Tunisia",
])
def test_a_title_line(line):
    assert is_title_line(line)


@pytest.mark.parametrize("line, expected", [
    ("INTERNATIONAL ATOMIC ENERGY AGENCY", True),
    ("Ministry of Foreign Affairs of the Republic of Armenia", True),
    ("Department of Public Information • News and Media Division • New York", True),
    ("Regional workshop on nuclear security", False),
    ("United Nations Security Council Resolution 1540", False),
])
def test_letterhead(line, expected):
    assert is_letterhead(line) is expected


CABLE = """UNCLAS SECTION 01 OF 03 NAIROBI 000123
SIPDIS
E.O. 12958: N/A
TAGS: PREL KNNP KE
SUBJECT: KENYA HOSTS REGIONAL SEMINAR ON BORDER CONTROL AND THE
IMPLEMENTATION OF UNSCR 1540

1. (U) Summary: On 4-5 May 2010 the Kenya Revenue Authority hosted a seminar for border officials.
"""


def test_cable_subject_is_the_title_with_its_wrapped_line():
    assert subject_line(CABLE) == ("KENYA HOSTS REGIONAL SEMINAR ON BORDER CONTROL AND THE "
                                   "IMPLEMENTATION OF UNSCR 1540")
    ex = extract(CABLE, model="rules")
    assert ex.title == subject_line(CABLE)
    assert ex.organizers == ["Kenya Revenue Authority"]  # "(U) Summary: On 4-5 May 2010 the" is no organiser


def test_banner_and_date_lines_are_passed_over():
    text = ("Welcome to the United Nations. It's your world\n\n"
            "Tuesday, 02 June 2015\n\n"
            "Subregional Workshop on Strategic Trade Controls for Southern African States\n\n"
            "The workshop was held in Gaborone, Botswana, on 2-3 June 2015 and brought together officials "
            "from Botswana, Namibia and Zambia.\n")
    assert extract(text, model="rules").title == (
        "Subregional Workshop on Strategic Trade Controls for Southern African States")


def test_letterhead_above_the_title():
    text = ("UNITED NATIONS OFFICE FOR DISARMAMENT AFFAIRS\n\n"
            "National Workshop on the Implementation of Resolution 1540 (2004) in Lesotho\n\n"
            "Maseru, 12-13 March 2019\n\n"
            "The workshop gathered officials of Lesotho's ministries.\n")
    assert extract(text, model="rules").title == (
        "National Workshop on the Implementation of Resolution 1540 (2004) in Lesotho")


def test_a_cut_last_line_is_no_title():
    text = ("Officials of Belarus and Tajikistan held a peer review meeting in Dushanbe, Tajikistan, from 2 to 4 "
            "August 2017, on their national measures under resolution 1540 and the gaps that remain.\n\n"
            "Representativ")
    assert extract(text, model="rules").title == "Peer review meeting"


def test_a_quoted_event_name_in_the_first_sentence():
    text = ("From 18-19 November 2019, in collaboration with the Ministry of Foreign Affairs of Peru and with "
            "the financial support of the Government of Canada, the United Nations Regional Centre for Peace, "
            "Disarmament and Development in Latin America and the Caribbean (UNLIREC) organized the “Workshop "
            "on control and security measures of related materials” addressed to Peruvian institutions.\n")
    ex = extract(text, model="rules")
    assert ex.title == "Workshop on control and security measures of related materials"
    assert ex.organizers == [
        "Ministry of Foreign Affairs of Peru",
        "United Nations Regional Centre for Peace, Disarmament and Development in Latin America and the "
        "Caribbean (UNLIREC)"]


def test_an_event_named_in_prose_ends_at_its_place():
    text = ("The Government of Bolivia hosted a regional conference on non-proliferation for the States of "
            "Latin America and the Caribbean, in La Paz from 7 to 8 November 2018. Delegations of twelve "
            "States took part in the conference and its working groups.\n")
    assert extract(text, model="rules").title == (
        "Regional conference on non-proliferation for the States of Latin America and the Caribbean")


@pytest.mark.parametrize("value, expected", [
    ("the African Union in Addis Ababa on 21 November 2014", ["African Union"]),
    ("the Government of Uzbekistan in Tashkent on 3 March 2016", ["Government of Uzbekistan"]),
    ("the OSCE from 28 June to 1 July 2016 in Kaliningrad", ["OSCE"]),
    ("the Nuclear Regulatory Authority at its premises in Accra", ["Nuclear Regulatory Authority"]),
    ("the Government of Tajikistan and organized by the OSCE Programme Office in Dushanbe",
     ["Government of Tajikistan", "OSCE Programme Office in Dushanbe"]),
    ("the United Nations Regional Centre for Peace and Disarmament in Asia and the Pacific (UNRCPD)",
     ["United Nations Regional Centre for Peace and Disarmament in Asia and the Pacific (UNRCPD)"]),
    ("UNLIREC within the framework of its assistance package for Caribbean States", ["UNLIREC"]),
    ("the OSCE with extra-budgetary funding from Germany", ["OSCE"]),
    ("the OSCE Conflict Prevention Centre in co-operation with the Ministry of Foreign Affairs and European "
     "Integration of the Republic of Moldova",
     ["OSCE Conflict Prevention Centre", "Ministry of Foreign Affairs and European Integration of the Republic of "
      "Moldova"]),
    ("the Government of Qatar, through its National Committee for the Prohibition of Weapons",
     ["Government of Qatar"]),
    ("the Ministry of Foreign Affairs, UNODA and the OSCE", ["Ministry of Foreign Affairs", "UNODA", "OSCE"]),
])
def test_an_organiser_ends_where_its_name_does(value, expected):
    assert organizer_names(value) == expected


def test_word_file_with_a_letterhead_and_a_title(tmp_path):
    """The same rules on a Word file as read by the reader: letterhead, title, then the body."""
    document = docx.Document()
    document.add_paragraph("Ministry of Foreign Affairs of the Republic of Armenia")
    document.add_paragraph("Press release")
    document.add_paragraph("National workshop on export control of dual-use goods")
    document.add_paragraph("Yerevan, 4 April 2024. The Ministry of Foreign Affairs of Armenia hosted a national "
                           "workshop on export control for officials of customs and licensing bodies.")
    path = tmp_path / "yerevan.docx"
    document.save(path)
    ex = extract(read_document(path).text, model="rules")
    assert ex.title == "National workshop on export control of dual-use goods"
    assert ex.organizers == ["Ministry of Foreign Affairs of Armenia"]


def test_a_numbered_paragraph_and_a_passive_organiser():
    text = ("1.1 The Ministry of Foreign Affairs, in collaboration with the United Nations Office for Disarmament "
            "Affairs (UNODA), organised a two-day national workshop in Kampala on 15 and 16 September 2008.\n\n"
            "1.2 The Regional Meeting was organised by the IAEA Division of Nuclear Security, which hosted the "
            "meeting at its premises.\n")
    assert extract(text, model="rules").organizers == [
        "Ministry of Foreign Affairs", "United Nations Office for Disarmament Affairs (UNODA)"]
    passive = ("The Regional Meeting was organised by the IAEA Division of Nuclear Security in cooperation with the "
               "Energy and Minerals Regulatory Commission (EMRC) of Jordan, which hosted the meeting at its premises "
               "in Amman.\n")
    assert extract(passive, model="rules").organizers == [
        "IAEA Division of Nuclear Security", "Energy and Minerals Regulatory Commission (EMRC) of Jordan"]
