"""Offers, round 7: general shapes read since the shipped rules were scored blind on heldout25-27.

Each case is a fresh sentence (none copied from a labelled batch), one per shape: offers named as
nouns with their maker beside them, a clause-level hedge, asides between a modal and its verb or after
the subject, a second verb's subject, "the Commission", a letter's sender, money to a fund, an area
word that names the body helped, and thanks."""

from __future__ import annotations

import pytest

from needs_tracker.extract import extract
from needs_tracker.extract.assistance_records import load_assistance_rules
from needs_tracker.extract.offer_categories import _categories


def _offers(text: str) -> set[tuple[str, str]]:
    note = ("Information note\nSubregional workshop on resolution 1540, Lusaka, 9-10 June 2026\n"
            "Participants: Zambia, Malawi, Mozambique.\n" + text + "\n")
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(note).offers}


@pytest.mark.parametrize("text, expected", [
    # an offer named as a noun: its maker is the possessive before it, or "by"/"from" after it
    ("The meeting welcomed Portugal's offer, made through its customs academy, to train Mozambican border "
     "officers in 2027.", {("PRT", "training_capacity_building")}),
    ("Participants took note of the OSCE's pledge of a legislative review for Malawi.",
     {("OSCE", "legal_regulatory_framework")}),
    ("Zambia welcomed an offer of portal monitors for the Chirundu crossing from Japan.",
     {("JPN", "detection_equipment")}),
    ("A commitment by Denmark to finance a licensing adviser for Malawi in 2027 was recorded.",
     {("DNK", "licensing")}),
    # a passive announcement: its agent offers, whatever is named before it
    ("The delivery of four radiation pagers to the customs service of Zambia was announced by Finland.",
     {("FIN", "detection_equipment")}),
    # an offer turned down by the one it was made to
    ("Malawi declined, for now, an offer of a legal review from VERTIC.", set()),
])
def test_offers_named_as_nouns(text, expected):
    assert _offers(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a hedge cancels its own clause, even when another not-offer phrase closes the sentence
    ("Ireland noted that its next budget cycle would determine whether southern Africa remains a focus, and "
     "that it was unable to say more.", set()),
    ("Qatar said it would decide on any contribution to a follow-up course for Zambia only after consultations.",
     set()),
    ("Malta said it might be in a position to share its licensing forms with Malawi later.", set()),
    ("Mozambique said it could share its experience with neighbours, but made no specific proposal.", set()),
    # a hedge inside a relative clause leaves the main clause's offer standing
    ("Norway's offer of a licensing adviser for Zambia was welcomed by the Minister, who undertook to forward "
     "the request letter to Oslo.", {("NOR", "licensing")}),
    # an appeal to those who give, whatever it asks of them
    ("The Chair invited partners who had not yet replied to register their offers with the secretariat.", set()),
    # thanks are for help given, also in a list of offers
    ("Offers of assistance:\n- Malawi thanked the EXBS programme for the licensing software it had installed.",
     set()),
])
def test_hedges_appeals_and_thanks(text, expected):
    assert _offers(text) == expected


@pytest.mark.parametrize("text, expected", [
    # an aside between the modal and its verb
    ("The Netherlands said it would, upon request, send a legal drafter to Zambia.",
     {("NLD", "legal_regulatory_framework")}),
    # an aside after the subject names someone else
    ("Austria, speaking after the European Union, said it would fund a licensing adviser for Malawi.",
     {("AUT", "licensing")}),
    # a second verb keeps the first verb's subject, not the last name before it
    ("The Czech State Office for Nuclear Safety is continuing its twinning with the regulator of Zambia and "
     "will support the drafting of regulations on radioactive sources.",
     {("CZE", "legal_regulatory_framework")}),
    # a host offers to receive visitors, who do not offer (officials hosted are a study visit: training)
    ("Botswana offered to receive a delegation from Malawi to share its experience of inter-agency coordination.",
     {("BWA", "training_capacity_building")}),
    # "speaking for X": X is the subject, and "the Commission" is the organisation whose Commission the note names
    ("Speaking for the SADC Commission, its director stated that the Commission stood ready to help Malawi "
     "prepare its national action plan.", {("SADC", "national_action_plan")}),
])
def test_subjects_and_asides(text, expected):
    assert _offers(text) == expected


def test_money_promised_to_a_fund_is_an_offer_with_or_without_an_amount():
    statement = ("Statement by Switzerland\n\nWe intend to contribute two million Swiss francs to the UNODA Trust Fund "
                 "for 1540 projects in southern Africa.\n")
    assert {(o.provider_iso3, o.category) for o in extract(statement).offers} == {("CHE", "other")}
    assert _offers("Ireland said it would maintain its yearly contribution to the UNODA Trust Fund.") == {
        ("IRL", "other")}
    # a contribution that is no money for a fund is no offer
    assert _offers("UNODA said the new guidelines would make a solid contribution to the implementation of "
                   "resolution 1540.") == set()


def test_a_letter_from_an_organisation_offers_in_its_own_voice():
    letter = ("From: Legal Affairs Section, OPCW Technical Secretariat\nTo: Ministry of Foreign Affairs, Lusaka\n"
              "Date: 3 March 2026\n\nDear Director,\n\n"
              "Our Office of the Legal Adviser will review the draft chemical weapons bill and comment in writing.\n")
    assert {(o.provider, o.category) for o in extract(letter).offers} == {("OPCW", "legal_regulatory_framework")}


def test_the_technical_secretariat_of_the_organisation_named_in_full():
    note = ("The meeting was organised by the Technical Secretariat of the Organisation for the Prohibition of "
            "Chemical Weapons (OPCW).\nThe Secretariat stated that it would provide Malawi with a mass "
            "spectrometer for its customs laboratory.\n")
    assert {(o.provider, o.category) for o in extract(note).offers} == {("OPCW", "detection_equipment")}


@pytest.mark.parametrize("offered, expected", [
    # an area word that names the body helped gives way to what it is helped with
    ("will support the inter-agency working group in finalising the national action plan", ["national_action_plan"]),
    ("will supply the customs laboratories with reference spectra of scheduled chemicals",
     ["dual_use_identification"]),
    # with nothing else named, the body's area stays
    ("will support the inter-agency coordination committee", ["interagency_cooperation"]),
    # the area that starts a compound names it
    ("will fund an intrusion detection system for the central store of disused sources", ["physical_protection"]),
    # vocabulary
    ("would second a crime-scene forensics specialist to the police", ["law_enforcement_capacity"]),
    ("would second an adviser to the new inter-ministerial committee", ["interagency_cooperation"]),
    ("will fund a chemical-security assessment of industrial sites", ["physical_protection"]),
])
def test_category_of_what_is_offered(offered, expected):
    load_assistance_rules()
    assert _categories(None, 0, set(), offered)[0] == expected


def test_a_table_with_a_partner_column_but_no_offer_column_reads_its_other_cells():
    note = ("Participants: Zambia, Malawi.\n4. Follow-up actions agreed\n"
            "Area | Partner | Follow-up\n"
            "Legislation | VERTIC | Will draft the implementing regulations of the biological weapons act\n")
    assert {(o.provider, o.category) for o in extract(note).offers} == {("VERTIC", "legal_regulatory_framework")}


@pytest.mark.parametrize("text, expected", [
    # history and possibilities are no offers
    ("Portugal had offered a customs course in 2024, which Malawi attended.", set()),
    ("Austria said that money for a licensing adviser in Zambia might become available next year.", set()),
    ("Belgium indicated that it was reviewing whether it could support a border course in Malawi.", set()),
    ("The meeting rooms were made available by the Ministry of Foreign Affairs of Zambia.", set()),
    # readiness with nothing between, money set apart or intended for others, a further contribution
    ("India expressed readiness to share its experience of drafting a control list with Malawi.",
     {("IND", "control_lists")}),
    ("The European Union has earmarked EUR 4 million for biosecurity projects in Malawi and Zambia.",
     {("EU", "physical_protection")}),
    ("Ireland intends to contribute EUR 300,000 to the UNODA Trust Fund for 1540 projects.", {("IRL", "other")}),
    ("Korea announced a further contribution of USD 200,000 to the UNODA Trust Fund.", {("KOR", "other")}),
    # a summary record's speaker, named with the State in brackets, is who "he" is in the next sentence
    ("Mr. Silva (Brazil) took the floor. He said that his Government would donate two portal monitors to Zambia.",
     {("BRA", "detection_equipment")}),
    # what "will continue to do so" continues is named before it
    ("The IAEA has supported Malawi through its nuclear security support plan since 2020 and will continue to do "
     "so.", {("IAEA", "physical_protection")}),
])
def test_history_possibilities_money_and_speakers(text, expected):
    assert _offers(text) == expected


@pytest.mark.parametrize("text", [
    "Norway hoped to be able to fund a licensing adviser for Zambia in 2027.",
    "Denmark expressed interest in supporting Malawi's customs laboratory, without making a firm commitment.",
    "Japan said that a second tranche of detectors for Zambia could be considered next year.",
])
def test_hopes_and_possibilities_are_no_offers(text):
    assert _offers(text) == set()


@pytest.mark.parametrize("text, expected", [
    # a participle's agent offers, not the one who benefits
    ("Mozambique will benefit from a mentoring programme offered by Denmark.", {("DNK", "training_capacity_building")}),
    # a phrase fronted before the subject names the recipient
    ("For Zambia, Norway will fund a licensing adviser.", {("NOR", "licensing")}),
    # a list item that opens with its recipient names the provider after it
    ("Offers of assistance:\n- To Malawi: two portal monitors (Korea).", {("KOR", "detection_equipment")}),
])
def test_recipients_named_first_do_not_offer(text, expected):
    assert _offers(text) == expected


@pytest.mark.parametrize("text", [
    "Malawi thanked Finland for the mentoring programme offered by its regulator in 2025.",
    "The course offered by Korea in 2024 was attended by twenty Zambian customs officers.",
])
def test_thanks_and_events_attended_are_help_given(text):
    assert _offers(text) == set()


@pytest.mark.parametrize("text, expected", [
    ("The United States has committed USD 3 million to help Malawi secure its radioactive sources.",
     {("USA", "physical_protection")}),
    ("Zambia has committed to adopting its control list by 2027.", set()),  # its own plan
    pytest.param("Zambia has allocated USD 1 million for its national laboratory.", set(), marks=pytest.mark.xfail(
        strict=True, reason="the offer model (rebuilt on 49 sets by offerml, on 60 by offerml2) takes this own budget "
                            "line: a borderline sentence only the model decides; the rules alone never took it")),
])
def test_money_committed_for_others_is_an_offer_and_a_states_own_budget_is_not(text, expected):
    assert _offers(text) == expected


@pytest.mark.parametrize("text, expected", [
    # an agreed action "<name> to <verb>" at the head of a clause; a ";" ends the first offer's recipients
    ("The following was agreed: Denmark to provide a licensing adviser to Malawi; Korea to donate detectors to "
     "Zambia.", {("DNK", "licensing"), ("KOR", "detection_equipment")}),
    ("Agreed action points:\n1. UNODA to organise a national workshop on the action plan of Zambia.",
     {("UNODA", "training_capacity_building")}),
    # a request to another is no offer by it, and a State's own hosting is no offer
    ("Malawi asked Japan to provide detectors for its border posts.", set()),
    ("Zambia to host the next meeting in 2027.", set()),
])
def test_agreed_actions_written_as_infinitives(text, expected):
    assert _offers(text) == expected
