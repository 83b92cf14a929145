"""Offers, round 8: shapes of real public pages (press releases, backgrounders, news items).

Each case is a fresh sentence written for this test (none copied from a page): a page's publisher, read
from its source address, speaks for a speaker named by office; money as the subject of its future use;
money paid into a fund whose relative clause says what the fund does; a page whose first sentence became
its title; an agreement that paves the way for (or calls for) a named party to act."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.assistance_records import load_assistance_rules
from needs_tracker.extract.offer_publisher import page_publisher


def _page(text: str, source: str = "https://www.example-news.com/item/1") -> set[tuple[str, str]]:
    page = f"# source: {source}\n\nSecurity news\n\n{text}\n"
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(page).offers}


@pytest.mark.parametrize("source, expected", [
    ("https://www.pm.gc.ca/en/news/2027/05/01/x", ("CAN", None)),
    ("https://dushanbe.usembassy.gov/news", ("USA", None)),
    ("https://www.dfat.gov.au/news/media-release", ("AUS", None)),
    ("https://www.mofa.go.jp/press/release", ("JPN", None)),
    ("https://www.diplomatie.gouv.fr/en/news", ("FRA", None)),
    ("https://www.iaea.org/newscenter/news/x", (None, "IAEA")),
    ("https://fpi.ec.europa.eu/news/x", (None, "EU")),
    ("https://www.example-news.com/world/x", (None, None)),  # a newspaper publishes for nobody
])
def test_a_page_publisher_comes_from_its_source_address(source, expected):
    assert page_publisher(f"# source: {source}\n\nText.\n", load_assistance_rules()) == expected
    assert page_publisher("No address here.\n", load_assistance_rules()) == (None, None)


def test_a_speaker_named_by_office_is_the_publishing_government():
    text = ("In Vienna, the Prime Minister, Jane Doe, announced funding of $7 million to train customs "
            "officers in Ghana and Togo to detect smuggled radioactive material.")
    assert ("CAN", "training_capacity_building") in _page(text, "https://www.pm.gc.ca/en/news/x")
    # the same sentence on a newspaper's page names no provider
    assert not any(p == "CAN" for p, _c in _page(text))
    # the office of a state the page names with it is that state's
    named = ("The President of Ghana announced that Ghana will fund a customs training centre for Togo "
             "in 2028.")
    assert {p for p, _c in _page(named, "https://www.pm.gc.ca/en/news/x")} == {"GHA"}


def test_money_as_the_subject_of_its_future_use_is_an_offer():
    assert ("DNK", "physical_protection") in _page(
        "Danish funds will go toward securing disused radioactive sources at hospitals in Moldova.")
    assert ("IRL", "training_capacity_building") in _page(
        "Ireland's contribution will also go to training customs officers in Kenya on strategic trade.")
    # money going back to its own budget is no offer
    assert _page("Kenyan funds will go toward Kenya's own laboratory budget next year.") == set()


def test_money_paid_into_a_fund_is_one_offer_whatever_the_fund_then_does():
    offers = _page("Sweden will give SEK 20 million to the International Atomic Energy Agency's (IAEA's) "
                   "Nuclear Security Fund, which will support work to secure radioactive sources worldwide.")
    assert offers == {("SWE", "other")}


def test_a_first_sentence_taken_as_title_is_still_read():
    page = ("# source: https://www.example-news.com/x\n\nFinland will donate four radiation portal monitors "
            "to the customs service of Namibia in 2028.\n\nOther news followed.\n")
    assert {(o.provider_iso3, o.category) for o in extract(page).offers} == {("FIN", "detection_equipment")}


def test_an_agreement_that_paves_the_way_for_a_named_party_to_act_is_an_offer():
    assert ("JPN", "detection_equipment") in _page(
        "The memorandum signed in Accra paves the way for Japan's customs bureau to install radiation "
        "detectors at two seaports in Ghana.")
    assert ("NOR", "training_capacity_building") in _page(
        "The arrangement calls for the Norwegian Radiation Authority to train Kenyan inspectors in 2028.")
    # what a resolution asks of every state is nobody's offer
    assert _page("The resolution calls for all States to establish effective border controls.") == set()


def test_money_lines_under_a_pledge_are_offers_of_its_provider():
    page = ("# source: https://www.dfat.gov.au/news/x\n\nNew funding\n\n"
            "Australia will provide $12 million to strengthen chemical security in South-East Asia. "
            "The money will be spent as follows:\n\n"
            "Securing radioactive sources in hospitals: $4M to help Viet Nam and Laos recover disused sources.\n\n"
            "Supporting the OPCW Trust Fund: $2M for its regional programme.\n\n"
            "Other items were discussed at the summit.\n")
    offers = {(o.provider_iso3, o.category, o.rule.split("/")[1]) for o in extract(page).offers}
    assert ("AUS", "physical_protection", "money-item") in offers
    assert ("AUS", "other", "money-item") in offers
    # a money line after a lead-in that follows no offer is nobody's
    plain = ("# source: https://www.example-news.com/x\n\nBudget\n\nThe ministry listed its own costs as follows:\n\n"
             "Securing radioactive sources in hospitals: $4M for the national regulator.\n")
    assert extract(plain).offers == []


def test_a_money_line_whose_first_sentence_ends_before_its_colon_is_read_without_failing():
    page = ("# source: https://www.dfat.gov.au/news/x\n\nNew funding\n\n"
            "Australia will provide $12 million to strengthen chemical security in South-East Asia. "
            "The money will be spent as follows:\n\n"
            "Support to the U.S. Dept. of Energy. Detectors: $4M to help Viet Nam buy detectors.\n")
    result = extract(page)  # raised ValueError (no colon in the line's first sentence): the note was lost
    assert "AUS" in {o.provider_iso3 for o in result.offers}


def test_a_uk_government_page_names_the_united_kingdom():
    page = "# source: https://www.gov.uk/government/news/x\n\nThe Prime Minister announced £10 million.\n"
    assert page_publisher(page, load_assistance_rules()) == ("GBR", None)
