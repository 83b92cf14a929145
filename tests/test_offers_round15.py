"""Round 15 of the offer rules: the habits behind the misses of heldout36-heldout43 (tables a PDF reader
flattened to lines, follow-up tables whose provider column is "State / organization" or "Responsible",
regional nuclear bodies and national agencies as providers, programmes presented, invitations to get in
touch, "the Agency" across a line break, a passive cue's subject, categories of reviews, missions and
channels).

Every sentence and table here is written for its test (none is copied from a labelled set), so each rule
is checked on a writer's habit, not on the file it was found in.
"""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from offer_helpers import HEAD, offer_pairs
from test_hostile_extract import _best_seconds


def _offers(body: str) -> list:
    return extract(HEAD + body + "\n").offers


# --- providers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "pair"), [
    ("AFCONE offered to help Niger and Mali draft the law establishing their nuclear regulators.",
     ("AFCONE", "legal_regulatory_framework")),
    ("The African Commission on Nuclear Energy stood ready to help Chad set up a national register of "
     "radioactive sources.", ("AFCONE", "physical_protection")),
    ("The AAEA announced a regional course on border radiation detection for the participating States in 2027.",
     ("AAEA", "training_capacity_building")),
    ("ANSTO offered two places on its 2027 regional course on source security to regulators from Ghana.",
     ("AUS", "training_capacity_building")),
    ("DEVCO informed participants that a new regional project will support Ghana and Togo in updating their "
     "national CBRN action plans.", ("EU", "national_action_plan")),
])
def test_regional_bodies_and_national_agencies_offer(sentence, pair):
    assert pair in offer_pairs(sentence)


def test_the_agency_across_a_line_break_is_the_iaea():
    body = ("The IAEA convened the meeting.\n\nSubject to the arrangements with the regulatory authority, the\n"
            "Agency intends to provide Ghana with hand-held radiation detectors for its northern crossings.")
    assert ("IAEA", "detection_equipment") in offer_pairs(body)


# --- tables a PDF reader flattened -------------------------------------------------------------------------

PROVIDER_FIRST = """Offers of support
The following offers were made at the close of the meeting:
Provider Assistance Beneficiary
VERTIC Legislative assistance in drafting a chemical weapons act, on request Ghana
Accra workshop report - page 1
Provider Assistance Beneficiary
UNODC
Mentoring for customs officers on container profiling at the port of
Tema, during 2027
Togo and Benin
Japan Places on its 2027 export control seminar in Tokyo All participating States
UNODC also recalled that its e-learning platform, opened in 2020, has been used by many
officers of the region.
"""


def test_a_flattened_table_led_by_the_provider_is_read_row_by_row():
    found = {(o.provider_iso3 or o.provider, o.category, o.recipients_iso3) for o in _offers(PROVIDER_FIRST)}
    assert ("VERTIC", "legal_regulatory_framework", ("GHA",)) in found
    assert ("UNODC", "training_capacity_building", ("TGO", "BEN")) in found
    assert any(p == "JPN" and c == "training_capacity_building" for p, c, _r in found)
    # the cell of states helped is not a row of its own, and the prose after the table is not a row
    assert not any(p in ("TGO", "BEN") for p, _c, _r in found)
    assert ("UNODC", "training_capacity_building") in {(p, c) for p, c, _r in found}


STATE_FIRST = """5. Follow-up
The follow-up actions agreed for each State are summarized below.
State Agreed follow-up Lead Target date
Niger
Review of the draft regulations on
the transport of radioactive sources
IAEA Office of Legal Affairs 2027
Chad Advisory mission on physical protection IAEA 2027
Mali Request for a national support plan to be submitted Government of Mali 2026
6. Conclusions
Participants agreed to meet again in 2028.
"""


def test_a_flattened_table_led_by_the_state_helped_names_its_provider_in_the_lead_cell():
    found = {(o.provider_iso3 or o.provider, o.category, o.recipients_iso3) for o in _offers(STATE_FIRST)}
    assert ("IAEA", "legal_regulatory_framework", ("NER",)) in found
    assert ("IAEA", "physical_protection", ("TCD",)) in found
    assert not any(p == "MLI" for p, _c, _r in found)  # Mali's own request, led by its own Government


def test_a_flattened_table_whose_beneficiary_comes_before_the_support():
    body = ("The commitments recorded are set out below.\nProvider Beneficiary Support Timing\n"
            "Spain Morocco\nStudy visit to the licensing office\nof the Ministry of Industry\nFirst half of 2027\n"
            "OSCE Tajikistan\nTabletop exercise on illicit shipments 2027\n"
            "The expert indicated that further support could be considered later.\n")
    assert offer_pairs(body) >= {("ESP", "training_capacity_building"), ("OSCE", "training_capacity_building")}
    assert not {p for p, _c in offer_pairs(body)} & {"MAR", "TJK"}


def test_a_heading_of_column_words_in_prose_is_no_table():
    body = "Provider support and assistance were discussed at length by Ghana and Togo during the workshop."
    assert offer_pairs(body) == set()


def test_a_long_flattened_table_is_read_in_linear_time():
    def offers(n):
        return extract(HEAD + "Provider Assistance Beneficiary\n" + "Japan Course on licensing Chad\n" * n,
                       model="rules").offers

    assert ("JPN", "training_capacity_building") in {(o.provider_iso3, o.category) for o in offers(40)}
    small = _best_seconds(lambda: offers(40))
    large = _best_seconds(lambda: offers(320))
    assert large / max(small, 1e-4) < 24  # 8 when linear, 64 when quadratic


# --- follow-up tables whose cells are separated -------------------------------------------------------------

def test_a_follow_up_table_with_a_state_or_organization_column_offers_its_actions():
    body = ("The follow-up actions identified are summarized in the table below.\n"
            "State / organization | Follow-up action | Timeframe\n"
            "France (Expertise France) | A legal expert to review the draft export control law of Togo. | 2027\n"
            "Benin | Intends to submit a request to UNODA for support with its control list. | 2027\n"
            "UNODC | Informed participants of its regional activities; no new commitment. | -\n")
    assert offer_pairs(body) == {("FRA", "legal_regulatory_framework")}


def test_a_responsible_column_names_who_offers_and_the_helped_state_beside_it_receives():
    body = ("Action | Responsible | Timeline\n"
            "Circulate the revised draft plan to all agencies | Ministry of Foreign Affairs | May 2027\n"
            "Study visit of a Ghanaian delegation to Madrid | Spain / Ghana | to be agreed\n"
            "Licensing workshop for the Ministry of Trade to be offered under the EU P2P Programme | EU P2P | 2027\n")
    assert offer_pairs(body) == {("ESP", "training_capacity_building"), ("EU", "training_capacity_building")}


def test_a_state_beside_an_action_is_who_is_helped_not_who_offers():
    body = ("State | Action | Timeframe\n"
            "Ghana | The IAEA will provide an expert to review the draft nuclear security regulations. | 2027\n")
    assert offer_pairs(body) == {("IAEA", "legal_regulatory_framework")}


def test_a_cell_that_opens_with_its_condition_offers_what_follows_it():
    body = ("Partner | Support offered | Year\n"
            "UNODA | Subject to the availability of funds, a national table-top exercise for customs and police | "
            "2027\n")
    assert offer_pairs(body) == {("UNODA", "training_capacity_building")}


# --- what is offered ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "pair"), [
    ("The IAEA stood ready to conduct an IPPAS mission in Ghana in 2027.", ("IAEA", "physical_protection")),
    ("The EU will support a review of Togo's biosafety and biosecurity legislation in 2027.",
     ("EU", "legal_regulatory_framework")),
    ("UNODA will help the inter-ministerial working group of Ghana draft its national action plan.",
     ("UNODA", "national_action_plan")),
    ("ECOWAS offered to serve as a channel for the exchange of information among the national points of contact.",
     ("ECOWAS", "interagency_cooperation")),
    ("The Japanese delegation said that hand-held chemical identification kits were to be provided to the Ghana "
     "Revenue Authority at Tema port in 2027.", ("JPN", "detection_equipment")),
])
def test_the_category_is_what_is_offered(sentence, pair):
    assert offer_pairs(sentence) == {pair}


# --- no offers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "UNODC presented its Global Programme on Container Control, under which it continues to train port officers "
    "across the region.",
    "INTERPOL described its radiological security programme, which offers training to national police services.",
    "The WCO presented its enforcement project and the training materials available to customs administrations.",
    "The OPCW described its programmes of implementation support, including courses for customs officers, and "
    "invited States to contact the Technical Secretariat.",
    "VERTIC invited participants to consult its online database of national implementing legislation.",
])
def test_a_programme_presented_or_an_invitation_to_get_in_touch_is_no_offer(sentence):
    assert offer_pairs(sentence) == set()


@pytest.mark.parametrize(("sentence", "pair"), [
    ("Japan presented its new project, which will provide Ghana with radiation detectors in 2027.",
     ("JPN", "detection_equipment")),
    ("The IAEA stood ready to field advisory missions on physical protection to Ghana, and encouraged interested "
     "States to contact its Division of Nuclear Security.", ("IAEA", "physical_protection")),
])
def test_a_promise_beside_a_presentation_or_an_invitation_still_offers(sentence, pair):
    assert pair in offer_pairs(sentence)


# --- help to come in the passive, in an organisation's own report -----------------------------------------

REPORT = ("International Atomic Energy Agency\nDivision of Nuclear Security\nRegional Meeting on Nuclear Security\n\n"
          "The meeting was attended by Ghana, Togo, Benin and Niger.\n\n")


@pytest.mark.parametrize(("sentence", "pair"), [
    ("Portable radiation detectors will be supplied to Ghana and Togo under the Nuclear Security Fund.",
     ("IAEA", "detection_equipment")),
    ("An expert mission to assist Niger in revising its regulations on radioactive sources will be fielded in "
     "2027.", ("IAEA", "legal_regulatory_framework")),
])
def test_help_to_come_in_the_passive_is_the_reports_organisation(sentence, pair):
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(REPORT + sentence + "\n").offers} == {pair}


@pytest.mark.parametrize("sentence", [
    "The next regional meeting will be held in Accra in 2027.",  # the report's next meeting
    "Portable radiation detectors will be supplied to Ghana by Japan in 2027.",  # a giver named: Japan's
    "Portable radiation detectors could be supplied to Ghana if funds were found.",  # a hedge
    "Ghana will be provided with a national support plan once it asks.",  # a state as the subject
])
def test_a_passive_with_a_giver_a_hedge_or_an_event_is_not_the_reports_organisations(sentence):
    assert "IAEA" not in {o.provider for o in extract(REPORT + sentence + "\n").offers}


def test_a_passive_in_a_note_whose_heading_names_no_organisation_offers_nothing():
    body = "Portable radiation detectors will be supplied to Ghana and Togo in 2027."
    assert offer_pairs(body) == set()


def test_a_condition_put_first_names_who_is_helped_not_who_offers():
    sentence = ("Should Chad confirm its interest, the United States EXBS Program would extend its regional course "
                "on risk management to officials of the customs of Chad.")
    assert offer_pairs(sentence) == {("USA", "training_capacity_building")}
