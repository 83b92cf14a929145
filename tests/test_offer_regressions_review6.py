"""Offers that rounds 11 and 12 of the offer rules lost or misread (review6): each sentence below is
written for its test, none copied from a labelled set, and each was read right (or at least not
wrongly) by the rules before round 11 (commit 73924cd); fixed by the fixrules round, each rule kept
to the shape its round meant."""

from __future__ import annotations

from needs_tracker.extract import extract

HEAD = "Workshop on resolution 1540 for West African States\n\nAccra, 3-4 March 2026\n\n"


def _offers(body: str) -> set[tuple[str, str]]:
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(HEAD + body + "\n", model="rules").offers}


def test_would_be_interested_to_is_no_passive():
    assert _offers("In the session on border control, Canada said it would be interested to support Ghana's export "
                   "licensing system.") == {("CAN", "licensing")}


def test_an_organisations_member_states_as_subject_still_offer():
    assert _offers("OSCE participating States will fund a border control course for Ghana.") == {
        ("OSCE", "training_capacity_building")}


def test_a_training_opportunity_offered_is_an_offer():
    assert _offers("The United States offered a training opportunity on export licensing to Ghana.") == {
        ("USA", "training_capacity_building")}


def test_answering_a_request_is_an_offer():
    assert _offers("The UK said that it would address Ghana's specific request by funding a legal adviser for the "
                   "draft law.") == {("GBR", "legal_regulatory_framework")}


def test_a_condition_depending_on_an_outcome_keeps_the_offer():
    assert _offers("Japan will fund a border control course for Ghana in 2027, depending on the outcome of the needs "
                   "assessment.") == {("JPN", "training_capacity_building")}


def test_the_workshops_programme_is_no_provider():
    note = ("The workshop was organised by UNODA with the support of the EU P2P Export Control Programme.\n\n"
            "The programme will cover licensing, enforcement and outreach over two days.")
    assert _offers(note) == set()


def test_a_row_still_to_be_installed_is_a_standing_offer():
    table = ("Offers of assistance\n\n| Need | Offered by | Status |\n|---|---|---|\n"
             "| Radiation portal monitors for Ghana's border posts | Offered by the United States (NSDD) | "
             "Pledged; to be handed over in Q3 2027 |\n")
    assert _offers(table) == {("USA", "detection_equipment")}


# --- the review's other sentences, and what each narrowed rule still does -------------------------------------

def test_an_adjective_of_readiness_is_no_passive_but_a_true_passive_still_is():
    assert _offers("Having heard Ghana's presentation on detection equipment, the UK would be delighted to provide "
                   "legislative drafting assistance to Ghana.") == {("GBR", "legal_regulatory_framework")}
    assert _offers("The IAEA representative indicated that portable radiation detectors would be provided to the "
                   "customs service of Ghana.") == {("IAEA", "detection_equipment")}


def test_member_states_after_of_are_still_recipients():
    assert _offers("EU Member States will provide experts to help Ghana draft its control list.") == {
        ("EU", "control_lists")}
    assert _offers("A course for customs officers of all ECOWAS Member States will be held in Accra by the WCO.") == {
        ("WCO", "training_capacity_building")}


def test_a_donor_answering_a_request_offers_and_the_speakers_own_request_does_not():
    assert _offers("Canada will send an expert in response to the request of Ghana to review its draft export "
                   "control law.") == {("CAN", "legal_regulatory_framework")}
    assert _offers("Lebanon said it would send the EU a written request for further support with its draft law.") \
        == set()
    assert _offers("Ghana announced its intention to direct to the 1540 Committee a request for help with its control "
                   "list.") == set()


def test_a_forums_merit_and_a_hedge_still_offer_nothing():
    assert _offers("The Co-Chair said the ARF offered a useful platform for sharing experiences with Ghana.") == set()
    assert _offers("The WCO representative said that the Organization would consider including Ghana's customs "
                   "administration in its STCE project, depending on the outcome of discussions with its donors.") \
        == set()


def test_only_the_programme_as_opening_subject_or_with_a_capital_is_the_notes_programme():
    lead = "The workshop was organised by UNODA with the support of the EU P2P Export Control Programme.\n\n"
    assert "EU" not in {p for p, _ in _offers(lead + "Ghana explained that the programme would run national "
                                                     "courses.")}
    assert _offers(lead + "The Programme will also help Ghana draft its national control list.") == {
        ("EU", "control_lists")}


def test_a_row_installed_and_handed_over_is_still_closed():
    table = ("Offers of assistance\n\n| Need | Offered by | Status |\n|---|---|---|\n"
             "| Radiation portal monitors for Ghana's border posts | Offered by the United States (NSDD) | {} |\n")
    assert _offers(table.format("Installed and handed over in March 2026")) == set()
    assert _offers(table.format("To be installed in 2027")) == {("USA", "detection_equipment")}


def test_connecting_is_interagency_cooperation_only_for_systems_linked():
    assert ("EU", "interagency_cooperation") not in _offers(
        "The EU will help Togo connect its public health laboratories to improve biosafety.")
    assert _offers("The EXBS program would support Ghana in connecting the licensing database of its trade ministry "
                   "to the customs risk-management system during 2027.") == {("USA", "interagency_cooperation")}


def test_an_older_rules_copy_without_publisher_domains_keeps_the_packaged_ones(tmp_path):
    import tomllib

    from needs_tracker import config
    from needs_tracker.extract.assistance_records import load_assistance_rules

    packaged = config.packaged_rule_file("assistance_rules.toml")
    text = packaged.read_text(encoding="utf-8")
    start = text.index("[publisher_domains")
    following = text.find("\n[", text.index("\n", text.rindex("[publisher_domains")))
    older = text[:start] + (text[following + 1:] if following >= 0 else "")
    assert "publisher_domains" not in tomllib.loads(older)
    (tmp_path / "assistance_rules.toml").write_text(older, encoding="utf-8")
    rules, shipped = load_assistance_rules(tmp_path / "assistance_rules.toml"), load_assistance_rules(packaged)
    assert shipped.government_domains and rules.government_domains == shipped.government_domains
    assert shipped.organisation_domains and rules.organisation_domains == shipped.organisation_domains
