"""Two ways a sentence was wrongly read (reviewer's leftovers): a provider's presentation of what it makes
available dropped the whole sentence even when the same sentence promised help (now read in
extract/offer_descriptions.py, where a promise keeps the sentence an offer), and help to come in the passive,
from a giver still to be found, was given to the report's organisation (extract/offer_passives.py)."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.assistance_records import load_assistance_rules
from offer_helpers import offer_pairs

# --- a presentation of what is available ------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "pair"), [
    ("UNODA explained its assistance available and will provide a legislative review to Togo.",
     ("UNODA", "legal_regulatory_framework")),
    ("The IAEA described the services available to Member States and offered to host a course for Ghana on "
     "border detection.", ("IAEA", "training_capacity_building")),
])
def test_a_promise_after_what_is_available_is_still_an_offer(sentence, pair):
    assert offer_pairs(sentence) == {pair}


@pytest.mark.parametrize("sentence", [
    "UNICRI outlined the tools available to States under its CBRN Centres of Excellence.",
    "UNODA explained its assistance available to States in drafting legislation.",
    "The OPCW presented their training courses available on request to all States Parties.",
])
def test_what_is_available_alone_is_a_description_and_no_offer(sentence):
    assert load_assistance_rules().not_offer_kind(sentence) == ("description", len(sentence))
    assert offer_pairs(sentence) == set()


# --- help to come in the passive, from a giver not yet known -------------------------------------------------

REPORT = ("International Atomic Energy Agency\nDivision of Nuclear Security\nRegional Meeting on Nuclear Security\n\n"
          "The meeting was attended by Ghana, Togo, Benin and Niger.\n\n")


def providers(sentence: str) -> set[str]:
    return {o.provider_iso3 or o.provider for o in extract(REPORT + sentence + "\n").offers}


@pytest.mark.parametrize("sentence", [
    "Portable radiation detectors will be supplied to Ghana and Togo with the support of a donor yet to be "
    "identified.",
    "A national training course on border detection will be conducted for Niger, with funding to be sought from "
    "donors.",
    "Portable radiation detectors will be supplied to Togo; funding is to be sought from donors.",
    "Radiation detectors would be supplied to Ghana with the support of donors still to be identified.",
    "Portable radiation detectors will be provided to Ghana, subject to the identification of a donor.",
    "An expert mission to assist Benin in revising its regulations will be fielded in 2027, once a donor has been "
    "identified.",
])
def test_help_from_a_giver_still_to_be_found_is_no_offer_of_the_reports_organisation(sentence):
    assert providers(sentence) == set()


@pytest.mark.parametrize("sentence", [
    "Portable radiation detectors will be supplied to Ghana and Togo under the Nuclear Security Fund.",
    "Portable radiation detectors will be supplied to Ghana if funds allow.",  # a condition: the IAEA still gives
    "Portable radiation detectors will be supplied to Togo with the support of its partners.",  # partners known
])
def test_help_whose_giver_is_the_report_is_still_the_reports_organisation(sentence):
    assert providers(sentence) == {"IAEA"}
