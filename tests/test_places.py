"""Where an event took place when the text names it only in passing: a capital GeoNames lists
only as a capital, a hard-wrapped cable sentence, a host government and no city."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.places import capital_states, city_country


@pytest.mark.parametrize(("city", "iso3"), [("Port Vila", "VUT"), ("Port-Vila", "VUT"), ("Tashkent", "UZB"),
                                            ("Lomé", "TGO"), ("Lome", "TGO")])
def test_city_country(city, iso3):
    assert city_country(city)[0] == iso3


def test_a_capital_that_names_a_larger_city_elsewhere_is_left_out():
    capitals = capital_states()
    assert capitals["Tashkent"] == "UZB"
    assert "Victoria" not in capitals  # Seychelles' capital; Victoria, Canada is larger


def test_a_venue_in_a_hard_wrapped_cable_sentence():
    text = ("SUBJECT: UZBEKISTAN: 1540 WORKSHOP\n\n1. (U) Summary: On February 10-11 a workshop on\n"
            "implementation of the United Nations Security Council\nResolution (UNSCR) 1540 was jointly "
            "sponsored in Tashkent\nby the EXBS program and the Uzbek Ministry of Foreign Affairs.\n")
    ex = extract(text)
    assert (ex.venue_city, ex.venue_country_iso3) == ("Tashkent", "UZB")


def test_a_host_government_and_no_city_gives_the_venue_country():
    ex = extract("Botswana workshop\n\nOn 8 and 9 February, the government of Botswana hosted a workshop with the "
                 "aim of making progress on its national action plan.\n")
    assert ex.organizers == ["Government of Botswana"]
    assert [(p.iso3, p.role) for p in ex.participants] == [("BWA", "host")]
    assert (ex.venue_city, ex.venue_country_iso3) == (None, "BWA")
