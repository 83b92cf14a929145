"""Offers of assistance: the rules file's own examples, who offers what to whom, and the
labelled notes under tests/corpus/assistance (achievements and funding lines are no offers)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from needs_tracker.assistance_eval import evaluate_assistance, provider_key
from needs_tracker.extract import extract
from needs_tracker.extract.assistance_records import load_assistance_rules, phrase_pattern, rules_file
from needs_tracker.learn.offer_model import note_candidates
from needs_tracker.readers import read_document

CORPUS = Path(__file__).parent / "corpus" / "assistance"
RULES = tomllib.loads(rules_file().read_text(encoding="utf-8"))


CUES = [e for e in RULES["offer_cue"] if e["strength"] != "broad"]
BROAD_CUES = [e for e in RULES["offer_cue"] if e["strength"] == "broad"]


@pytest.mark.parametrize("entry", CUES, ids=lambda e: e["phrase"])
def test_every_offer_cue_finds_the_offer_in_its_example(entry):
    assert re.search(phrase_pattern(entry["phrase"]), entry["example"], re.I)
    offers = extract(entry["example"]).offers
    assert offers, entry["example"]
    assert all(o.evidence == entry["example"] for o in offers)


@pytest.mark.parametrize("entry", BROAD_CUES, ids=lambda e: e["phrase"])
def test_every_broad_cue_makes_its_example_a_candidate_the_rules_alone_do_not_take(entry):
    assert re.search(phrase_pattern(entry["phrase"]), entry["example"], re.I)
    candidates = note_candidates(entry["example"])
    assert [c.sentence.text for c in candidates] == [entry["example"]]
    assert candidates[0].proposals


@pytest.mark.parametrize("entry", RULES["not_offer"], ids=lambda e: e["phrase"])
def test_every_not_offer_example_yields_no_offer(entry):
    assert re.search(phrase_pattern(entry["phrase"]), entry["example"], re.I)
    assert extract(entry["example"]).offers == []


@pytest.mark.parametrize("entry", RULES["provider"], ids=lambda e: e["id"])
def test_every_provider_example_names_its_provider(entry):
    providers = {o.provider for o in extract(entry["example"]).offers}
    assert providers == {entry["id"]}


@pytest.mark.parametrize("name", [
    "OSCE", "Organization for Security and Co-operation in Europe",
    "Organisation for Security and Co-operation in Europe", "Organisation for Security and Cooperation in Europe",
    "the OSCE",
])
def test_osce_spellings_are_one_provider(name):
    assert load_assistance_rules().normalise_provider(name).id == "OSCE"
    assert provider_key(name) == "OSCE"


def test_a_state_provider_is_its_iso3():
    assert provider_key("Republic of Korea") == "KOR"
    assert provider_key("the United Kingdom") == "GBR"


@pytest.mark.parametrize("text, expected", [
    # (provider, provider_iso3, category, recipients, recipients_kind)
    ("Kazakhstan welcomed the offer of Japan to train its customs officers.",
     [("Japan", "JPN", "training_capacity_building")]),
    ("Training on licensing was offered by the IAEA to Mongolia.", [("IAEA", None, "training_capacity_building")]),
    ("Japan and the Republic of Korea offered to provide radiation detection equipment to Mongolia.",
     [("Japan", "JPN", "detection_equipment"), ("South Korea", "KOR", "detection_equipment")]),
    ("The delegation of Germany offered commodity identification training to Ghana.",
     [("Germany", "DEU", "training_capacity_building")]),
    ('"We stand ready to help," said the head of the delegation.', []),
    ("Participants were offered a tour of the port.", []),
    ("The EU, which has supported Kyrgyzstan since 2015, offered to extend its licensing project.",
     [("EU", None, "licensing")]),
])
def test_provider_and_category(text, expected):
    got = [(o.provider, o.provider_iso3, o.category) for o in extract(text).offers]
    assert got == expected


def test_recipients_named_group_or_all_participants():
    note = ("Participants: Fiji, Samoa, Tonga, Kenya\n\n"
            "Australia offered a legislative drafting mentor to Pacific Island States. "
            "Japan offered detection equipment to Kenya. "
            "The OSCE stands ready to support participating States with national action plans.")
    ex = extract(note)
    by_provider = {o.provider: (o.recipients_kind, set(o.recipients_iso3)) for o in ex.offers}
    assert by_provider["Australia"] == ("group", {"FJI", "WSM", "TON"})
    assert by_provider["Japan"] == ("named", {"KEN"})
    assert by_provider["OSCE"] == ("all_participants", {"FJI", "WSM", "TON", "KEN"})


def test_offer_json_shape_and_spans():
    text = (CORPUS / "tuning" / "A1_osce_central_asia_offers.txt").read_text(encoding="utf-8")
    data = extract(text).to_json("A1")
    assert data["requests"] == []
    assert {tuple(sorted(o)) for o in data["offers"]} == {tuple(sorted(
        ["provider", "provider_iso3", "category", "recipients_iso3", "evidence", "start", "end", "confidence"]))}
    for o in data["offers"]:
        assert text[o["start"]:o["end"]] == o["evidence"]
        assert 0 < o["confidence"] <= 1
    assert {(o["provider"], o["category"], tuple(o["recipients_iso3"])) for o in data["offers"]} == {
        ("OSCE", "national_action_plan", ("JPN", "KAZ", "KGZ", "TJK", "UZB")),
        ("Japan", "detection_equipment", ("TJK",)),
        ("OSCE", "control_lists", ("KGZ",)),
    }


def test_offers_do_not_become_needs():
    ex = extract((CORPUS / "tuning" / "A1_osce_central_asia_offers.txt").read_text(encoding="utf-8"))
    offer_spans = {(o.start, o.end) for o in ex.offers}
    assert not any((n.start, n.end) in offer_spans for n in ex.needs)


def test_a_word_table_of_offers_is_read_row_by_row():
    doc = read_document(CORPUS / "heldout2" / "C4_ulaanbaatar_round_table.docx")
    offers = extract(doc.text).offers
    assert {(o.provider_iso3 or o.provider, o.category) for o in offers} == {
        ("JPN", "detection_equipment"), ("KOR", "licensing"), ("KOR", "training_capacity_building"),
        ("UNRCPD", "national_action_plan")}
    assert all(o.rule.startswith("offer/table") for o in offers)


@pytest.mark.parametrize("text, expected", [
    # training of any kind is training, whatever its subject (the coordinator's convention)
    ("Korea is prepared to provide Viet Nam with radionuclide identification devices for its seaports.",
     {("KOR", "detection_equipment")}),
    ("The Spanish Guardia Civil offered Ecuador a course on CBRN crime scene investigation.",
     {("ESP", "training_capacity_building")}),
    ("Norway said it would provide three portal monitors to Moldova in the course of 2027.",
     {("NOR", "detection_equipment")}),
    ("Ireland announced a contribution of EUR 1 million to the UNODA trust fund for 1540 assistance.",
     {("IRL", "other")}),
    ("Norway offered to organise a tabletop exercise on interagency response for Moldova.",
     {("NOR", "training_capacity_building")}),
    ("Poland will fund a regional legislative drafting mentor for the Baltic States.",
     {("POL", "training_capacity_building")}),
    ("Chile offered to host three Peruvian licensing officers for a two-week placement in Santiago.",
     {("CHL", "training_capacity_building")}),
    # a training that comes with equipment is part of the equipment
    ("Sweden will donate ten radiation pagers, with training on their use, to the customs of Georgia.",
     {("SWE", "detection_equipment")}),
    ("Japan offered handheld detectors and related training to the border guards of Mongolia.",
     {("JPN", "detection_equipment")}),
    # equipment with a course of its own is two offers; a course "on their use" is part of the equipment
    ("Japan will donate three X-ray scanners to Ghana's port authority and organise an operator course in Tema.",
     {("JPN", "detection_equipment"), ("JPN", "training_capacity_building")}),
    ("Italy is ready to supply chemical detection kits to Tunisia, together with a three-day course for analysts.",
     {("ITA", "detection_equipment"), ("ITA", "training_capacity_building")}),
    ("Norway offered radiation pagers to Serbia, together with a course on their use.",
     {("NOR", "detection_equipment")}),
    ("Estonia offered licensing software and training to the licensing authority of Moldova.",
     {("EST", "licensing"), ("EST", "training_capacity_building")}),
    ("The OPCW stands ready to help Gabon set up its National Authority and to train its staff.",
     {("OPCW", "legal_regulatory_framework"), ("OPCW", "training_capacity_building")}),
    # a condition, and a means after a comma, are not what is offered
    ("Canada is prepared to fund biosecurity upgrades at two laboratories in Jordan, subject to a scoping visit.",
     {("CAN", "physical_protection")}),
    ("Spain would provide Morocco with a mobile radiation detection vehicle, pending an exchange of letters.",
     {("ESP", "detection_equipment")}),
    ("UNODA said it would help Benin prepare its national action plan, with a national workshop in 2026.",
     {("UNODA", "national_action_plan")}),
    ("Austria stands ready to help Albania revise its lists of controlled dual-use items.",
     {("AUT", "control_lists")}),
    # a partner "jointly with" the provider offers too; a state before ";" is no provider of a later clause
    ("The EU, jointly with UNODC, offered a regional course on export control enforcement for Central Asia.",
     {("EU", "training_capacity_building"), ("UNODC", "training_capacity_building")}),
    ("Chad and Niger described their gaps; several partners made offers.", set()),
    ("According to the UNRCPD Director, the Centre will support Bhutan in drafting its national action plan.",
     {("UNRCPD", "national_action_plan")}),
    # a programme under way for another state; a national agency stands for its state
    ("The OSCE is currently implementing a project to help Armenia draft its national action plan.",
     {("OSCE", "national_action_plan")}),
    ("I confirmed that the FCDO's programme is ready to fund a tabletop exercise for Moldovan border police.",
     {("GBR", "training_capacity_building")}),
    # a means is not what is offered
    ("Mexico stands ready to share its experience of inter-agency coordination with Peru through a study visit.",
     {("MEX", "interagency_cooperation")}),
    # the head of what is offered, not every area named after it
    ("Denmark could fund a legal adviser to help Kenya finish its draft export control law.",
     {("DNK", "legal_regulatory_framework")}),
])
def test_category_is_the_head_of_what_is_offered(text, expected):
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(text).offers} == expected


def test_the_offered_head_example_is_equipment_with_its_course():
    example = RULES["offered_head"]["example"]
    assert {o.category for o in extract(example).offers} == {"detection_equipment"}


def test_a_national_statement_offers_by_we_and_my_government():
    note = ("Statement by the Delegation of Norway\n\nMr. Chair,\n\n"
            "My Government pledges a further contribution of EUR 300,000 to the UNODA Trust Fund, earmarked for "
            "national action plans in Central Asia.\n\nWe thank the Chair for her work.\n")
    assert {(o.provider_iso3, o.category) for o in extract(note).offers} == {("NOR", "national_action_plan")}
    # without a national heading, "we" names nobody
    assert extract(note.replace("Statement by the Delegation of Norway", "Meeting summary")).offers == []


def test_an_embassy_readout_offers_by_we():
    note = ("From: Political Section, Embassy of Canada, Amman\nSubject: Readout of the export control meeting\n\n"
            "I told participants that we are ready to fund a study visit to Ottawa for Iraqi licensing officials.\n\n"
            "I added that we could look into detection equipment for Jordan but made no commitment.\n")
    assert {(o.provider_iso3, o.category) for o in extract(note).offers} == {("CAN", "training_capacity_building")}
    cable = ("FM AMEMBASSY AMMAN\nSUBJECT: EXPORT CONTROL MEETING\n\n"
             "We stand ready to fund a licensing course for Iraq.\n")
    assert {(o.provider_iso3, o.category) for o in extract(cable).offers} == {("USA", "training_capacity_building")}


def test_the_agency_is_the_iaea_when_the_note_names_it():
    note = ("The IAEA presented its services.\n\n"
            "The Agency indicated its readiness to field a physical protection advisory mission to Jordan.\n")
    assert {(o.provider, o.category) for o in extract(note).offers} == {("IAEA", "physical_protection")}
    assert extract("The Agency indicated its readiness to field a physical protection advisory mission.").offers == []


def test_a_relative_clause_names_the_providers():
    text = ("Delegates heard from Italy, which together with Malta will hold a regional course on maritime "
            "interdiction for the coast guards of North Africa next year.")
    assert {(o.provider_iso3, o.category) for o in extract(text).offers} == {
        ("ITA", "training_capacity_building"), ("MLT", "training_capacity_building")}


def test_a_not_offer_cancels_only_its_own_clause():
    text = ("Austria said that it would deploy a customs mentor to Skopje for a year; Hungary said it might "
            "consider joining that effort later.")
    assert {(o.provider_iso3, o.category) for o in extract(text).offers} == {("AUT", "training_capacity_building")}


@pytest.mark.parametrize("sentence", [
    "Japan recalled that its experts trained 40 Cambodian customs officers on risk management in 2022.",
    "UNODA said that its 2023 offer to support Nepal in drafting a national action plan was put on hold.",
    "Canada urged all States in a position to do so to support the IAEA Nuclear Security Fund.",
    "Sweden said that it might consider supporting the licensing project at a later stage.",
    "Denmark said it was not in a position to fund a second laboratory upgrade in Kenya.",
    "Portugal could not commit to further support for the Angolan customs school.",
    "The IAEA's offer of an advisory mission to Zambia was fulfilled in May.",
    "Malawi hopes to receive radiation detection equipment from partners in 2026.",
    "The OSCE thanked Germany for offering to finance the meeting.",
    "The Republic of Korea noted that its e-learning platform had been made available to customs officers in 2024.",
    "The OSCE, which delivered a national training course in 2024, will discuss the results with Georgia.",
    # a careful diplomat's non-commitment
    "Brazil said it would be happy to continue the dialogue on licensing at a later stage.",
    "Norway is exploring whether it could fund a border detection project in Moldova.",
    "Italy said it might support a customs course for Tunisia, but that it was too early to say.",
    "Canada said that Ottawa would look at Jordan's request with interest.",
    "Germany will indicate later which of the requests it can take up.",
    # a state that means to ask for help is requesting, not offering
    "Zambia said it intends to submit a request for assistance on export licensing to the Committee.",
    "Chile noted it had donated two handheld detectors to the Bolivian customs in 2023.",
    "Estonia: nothing new this time, no budget for the region in 2027.",
    "Peru stressed that the new scanners would help customs officers at Callao.",
    "Laos will need detection equipment for the regional games, which Laos will host.",
])
def test_traps_are_no_offers(sentence):
    assert extract(sentence).offers == []


@pytest.mark.parametrize("sentence", [
    "Participants recommended that the European Union consider providing training to Togo's customs officers.",
    "The meeting called on donors to offer detection equipment to the port of Lome.",
    "UNODA invited partners to offer assistance to Benin in drafting its control list.",
])
def test_an_appeal_to_others_is_no_offer(sentence):
    assert extract(sentence).offers == []


@pytest.mark.parametrize("text, expected", [
    ('"We will provide two mobile scanners to the port of Mombasa," the Japanese ambassador said.',
     {("JPN", "detection_equipment")}),
    ("Statement by the European Union\n\nWe stand ready to support partner countries in updating their control "
     "lists.\n", {("EU", "control_lists")}),
    ("Canada will provide CAD 2 million to the OPCW Trust Fund for the Centre for Chemistry and Technology.",
     {("CAN", "other")}),
])
def test_who_speaks_and_money_for_a_programme(text, expected):
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(text).offers} == expected


def test_we_inside_a_quotation_of_several_sentences_is_its_speaker():
    note = ('"We thank Moldova for its commitment," said NNSA Deputy Administrator Jane Roe. "The new monitors are '
            'a step forward. We will complete the installation of radiation detection systems at other sites in '
            'Moldova next year."\n')
    assert {(o.provider_iso3, o.category) for o in extract(note).offers} == {("USA", "detection_equipment")}
    assert extract("We will complete the installation of radiation detection systems in Moldova.").offers == []


def test_the_notes_own_workshop_is_no_offer():
    note = ("UNODA to hold workshop on reporting in Libreville\n\n"
            "Gabon and UNODA will host a workshop on national reporting in Libreville on 3-4 May.\n\n"
            "Experts of the 1540 Committee will make presentations at the workshop.\n")
    assert extract(note).offers == []


def test_a_table_cell_names_joint_providers_and_a_remark_says_what_is_offered():
    note = ("Assistance needs and possible providers\n\n"
            "| Area | Need expressed | Possible provider |\n|---|---|---|\n"
            "| Legislation | A strategic trade law | United Kingdom: offered to fund a legislative drafting expert |\n"
            "| Biosecurity | Laboratory upgrades | Canada: assistance delivered 2019-2022 (completed) |\n"
            "| Detection | Portal monitors at the port | Japan and Republic of Korea |\n")
    assert {(o.provider_iso3, o.category) for o in extract(note).offers} == {
        ("GBR", "legal_regulatory_framework"), ("JPN", "detection_equipment"), ("KOR", "detection_equipment")}


def test_a_request_and_response_table_with_a_status_and_a_table_above():
    note = ("Requests discussed\n\n"
            "| Requesting State | Need presented | Provider | Response at the meeting |\n|---|---|---|---|\n"
            "| Zambia | Control list update | Sweden | Will second an expert to draft the control list |\n"
            "| Malawi | Source security | IAEA | Completed in 2023: sources secured |\n\n"
            "Announced support\n\n"
            "| Provider | Beneficiary | Type of support | Status / timing |\n|---|---|---|---|\n"
            "| Japan | Zambia | Radiation pagers for the border posts | 2026 |\n"
            "| France | Malawi | Possible support on licensing | Under consideration; no commitment made |\n"
            "| WCO | Zambia | National training for customs officers | Delivered in 2024 |\n")
    offers = extract(note).offers
    assert {(o.provider_iso3 or o.provider, o.category) for o in offers} == {
        ("SWE", "control_lists"), ("JPN", "detection_equipment")}
    assert {o.recipients_iso3 for o in offers} == {("ZMB",)}


def test_a_cell_offered_by_names_the_provider_of_its_row_in_any_table():
    note = ("Follow-up\n\n| Activity | Lead / support | Timing |\n|---|---|---|\n"
            "| Regional course on licensing for officers of Ghana and Chad | Offered by Finland (STUK) | May 2027 |\n"
            "| Circulate the model law to focal points | Secretariat | June 2027 |\n")
    offers = extract(note).offers
    assert [(o.provider_iso3, o.category, o.recipients_iso3) for o in offers] == [
        ("FIN", "training_capacity_building", ("GHA", "TCD"))]


def test_a_table_cell_that_is_a_sentence_is_read_as_one():
    note = ("Summary of the visit to Moldova\n\nArea | Moldova's priority | Partner response\n"
            "Detection | The Border Police said it has no detectors at the northern crossings. | Sweden will "
            "provide four handheld radiation detectors to the Border Police in 2027.\n"
            "Legislation | The Ministry asked for help with a dual-use goods law. | The European Union recalled "
            "the support it gave in 2021 and made no new offer.\n"
            "Biosecurity | Laboratory storage | Completed in 2024: Canada will finish the audit of the vault.\n")
    offers = extract(note).offers
    assert [(o.provider_iso3, o.category) for o in offers] == [("SWE", "detection_equipment")]
    assert offers[0].evidence.startswith("Sweden will provide") and "|" not in offers[0].evidence


@pytest.mark.parametrize("text, expected", [
    # a label before a colon is the subject; contracted modals are modals
    ("- Finland (STUK): to lend two radiation detection specialists to Ghana in 2026.",
     {("FIN", "detection_equipment")}),
    ("* OSCE (Programme Office in Chisinau): said it'd help Moldova revise the NAP.",
     {("OSCE", "national_action_plan")}),
    ("- Japan: we'll fund two radiation portal monitors for Ukraine's border crossings.",
     {("JPN", "detection_equipment")}),
    ("The EU's aim: to strengthen export control legislation in Jordan.", set()),
    # reported speech
    ("Canada said it would support Jordan in drafting export control legislation.",
     {("CAN", "legal_regulatory_framework")}),
    ("The Netherlands indicated that it would fund a licensing workshop for Ghana.",
     {("NLD", "training_capacity_building")}),
    ("According to UNODC, it will deliver a legislative assistance mission to Chad in 2026.",
     {("UNODC", "legal_regulatory_framework")}),
    # what is offered: a part named after "including a" is a means; equipment before a workshop is kept
    ("Australia will fund a legislative drafting adviser for Fiji for a year, including a study visit to Canberra.",
     {("AUS", "legal_regulatory_framework")}),
    ("Portugal offered Angola targeted support in setting up a licensing procedure, including a study visit.",
     {("PRT", "licensing")}),
    ("Sweden is ready to provide radiation detection equipment to Moldova's border posts, and separately to run "
     "a regional workshop on maritime interdiction.",
     {("SWE", "detection_equipment"), ("SWE", "training_capacity_building")}),
    # a compound's head noun decides its area
    ("Estonia will help Georgia update its dual-use export control list.", {("EST", "control_lists")}),
    ("Estonian experts remain available to help Armenia draft its export control law.",
     {("EST", "legal_regulatory_framework")}),
    # hedges on the provider's own means or decision
    ("Austria said it may be able to support a workshop on licensing for Peru in a future cycle.", set()),
    ("The Netherlands may offer a licensing course to Ghana, the delegate said, if funds allow.", set()),
    # ... but a condition on the provider's budget leaves an offer (the labels' convention)
    ("The OPCW will deliver a course on chemical security for Chad once its 2026 budget is approved.",
     {("OPCW", "training_capacity_building")}),
    ("Belgium indicated it might consider funding detection equipment for Ghana in the next cycle.", set()),
    ("Canada will fund a legal adviser for Jordan, subject to a formal request.",
     {("CAN", "legal_regulatory_framework")}),
    # who a back-reference, an aside or "receive ... from" names
    ("UNRCPD opened the meeting.\n\nThe Regional Centre said it would help Nepal prepare its national action plan.",
     {("UNRCPD", "national_action_plan")}),
    ("UNRCPD and VERTIC attended.\n\nThe Centre said it would help Nepal draft its export control law.", set()),
    ("UNODA, with the OSCE, will hold a joint course on risk profiling for customs officers of Chad in 2026.",
     {("UNODA", "training_capacity_building"), ("OSCE", "training_capacity_building")}),
    ("Japan, with the support of UNDP, will deliver detection equipment to Ghana.", {("JPN", "detection_equipment")}),
    ("Chad will receive detection equipment from the European Union in 2026.", {("EU", "detection_equipment")}),
    ("Ecuador said it had received two radiation pagers from Canada in 2024.", set()),
    # a development agency or a capital speaks for its state; an aside inside a cue is read through
    ("GIZ will fund a licensing course for Ghana in 2026.", {("DEU", "training_capacity_building")}),
    ("Copenhagen stands ready to support Chad's customs officers with detection equipment.",
     {("DNK", "detection_equipment")}),
    ("Italy is ready, subject to budget approval, to fund a tabletop exercise for Ghana.",
     {("ITA", "training_capacity_building")}),
    # an acronym the note defines for a state's own body is that state; a recipient's own body plans, not offers
    ("The Norwegian Radiation and Nuclear Safety Authority (DSA) presented its work. DSA stands ready to train "
     "Ghana's regulators on source security.", {("NOR", "training_capacity_building")}),
    ("The Ghana Atomic Energy Commission (GAEC) presented. GAEC will adopt new regulations in 2026.", set()),
    # money paid into a fund is "other", unless earmarked for an area
    ("Norway pledged three million euros to the IAEA Nuclear Security Fund.", {("NOR", "other")}),
    ("Korea announced a contribution of USD 300,000 to the UNODA Trust Fund, earmarked for national action plans.",
     {("KOR", "national_action_plan")}),
])
def test_labels_reported_speech_heads_and_hedges(text, expected):
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(text).offers} == expected


# Round 6: writers' habits, each with sentences of our own (never a batch's)
@pytest.mark.parametrize("text, expected", [
    # a future passive with its agent: the agent offers, what precedes the verb is offered
    ("A refresher course for Ugandan port officers will be delivered by the World Customs Organization in 2027.",
     {("WCO", "training_capacity_building")}),
    ("Border scanners for the Malaba crossing would be financed by Sweden once a site survey is done.",
     {("SWE", "detection_equipment")}),
    ("Legal advice on the draft bill is to be provided by VERTIC and the UNODC after a request.",
     {("VERTIC", "legal_regulatory_framework"), ("UNODC", "legal_regulatory_framework")}),
    ("The workshop was funded by Norway.", set()),  # past: the event's own funding
    ("The detectors, provided by the United States, will help Kenya.", set()),
    # a leading pronoun or "the delegation" is the provider that opens the previous sentence
    ("Spain took the floor. It will fund a mentoring programme for Kenyan licensing officers.",
     {("ESP", "training_capacity_building")}),
    ("3.4 The representative of Belgium described its programme. It also indicated that it would send two "
     "legal drafters to Uganda.", {("BEL", "legal_regulatory_framework")}),
    ("The representative of Canada spoke next. The delegation offered to host a study visit on licensing for "
     "Ugandan officials.", {("CAN", "training_capacity_building")}),
    ("Norway and Finland took the floor. They will fund a licensing adviser for Kenya.",
     {("NOR", "licensing"), ("FIN", "licensing")}),
    ("Spain took the floor. It described its national programme. It will also fund a mentoring programme for "
     "Kenyan licensing officers.", {("ESP", "training_capacity_building")}),
    ("A meeting was held with the Embassy of Denmark. It confirmed that its programme would fund a licensing "
     "adviser for Kenya.", {("DNK", "licensing")}),  # a mission report's interlocutor
    ("Participants thanked Denmark. It will send scanners to Kenya.", set()),  # acted upon: not the subject
    ("Building links among IGAD States is key. It would assist Kenya with border control training.", set()),
    ("Norway took the floor. It was agreed that Germany would train Kenyan customs officers.",
     {("DEU", "training_capacity_building")}),
    # conjoined subjects each offer
    ("Japan, the Republic of Korea and Australia each offered training in export control to Kenya.",
     {("JPN", "training_capacity_building"), ("KOR", "training_capacity_building"),
      ("AUS", "training_capacity_building")}),
    # a name right after a helping verb is its object, not the subject of a later cue
    ("The OSCE, for its part, continues to accompany Uganda in the revision of its national action plan and "
     "confirmed that this support will run through 2027.", {("OSCE", "national_action_plan")}),
    # verdicts on the sentence's offer, no money, thanks for a dated course, a State alone
    ("Finland said its support for Kenyan laboratories would depend on next year's budget; no pledge was made.",
     set()),
    ("A legal review was offered to Chad by VERTIC in March; it was declined by the Chadian authorities.", set()),
    ("Austria would fund a licensing adviser for Ghana, but no budget line exists for it at present.", set()),
    ("Ghana will run a national exercise on radiological incidents in 2027 on its own budget.", set()),
    ("The Swiss delegate said he would convey the request for detectors to the competent office in Bern.", set()),
    ("UNICRI outlined the tools available to States under its CBRN Centres of Excellence.", set()),
    # the speaker's own future request is no offer; a request as the offer's condition is one
    ("Benin said that it would soon submit a formal request for help with its control list.", set()),
    ("Spain said that Madrid stood ready to second a legal drafting adviser to Kenya, should the Government "
     "submit a request to that effect.", {("ESP", "legal_regulatory_framework")}),
    # a relative clause on a common noun is that noun's verb ("the officers who will use them")
    ("Japan will donate two scanners to Kenya for the officers who will operate them.",
     {("JPN", "detection_equipment")}),
    # a hyphenated training head the tokenizer splits
    ("Canada said it would put money into a three-day table-top on maritime interdiction for Kenya.",
     {("CAN", "training_capacity_building")}),
    # the agent of "the readiness of X to ...": X stands ready (not for its own plan)
    ("The participants welcomed the readiness of the OSCE to assist any Member State that so requests in "
     "preparing a national action plan.", {("OSCE", "national_action_plan")}),
    ("Participants noted the willingness of Japan to help Kenya draft its control list.", {("JPN", "control_lists")}),
    ("The readiness of Kenya to adopt its control list was noted.", set()),
    # a condition is no achievement; a decision to give; the head before "of"
    ("Mr. Paolo Rossi (Spain) said that Spain would finance a secure storage room for seized sources in Kenya, "
     "once a site survey had been completed.", {("ESP", "physical_protection")}),
    ("Austria has decided to fund a legislative drafting adviser for Zambia in 2027.",
     {("AUT", "legal_regulatory_framework")}),
    ("Japan is ready to send experts to help Kenya review and update its list of dual-use goods.",
     {("JPN", "control_lists")}),
])
def test_round6_writers_habits(text, expected):
    note = ("Information note\nRegional workshop on resolution 1540, Nairobi, 3-4 May 2026\n"
            "Participants: Kenya, Uganda, Tanzania.\n" + text + "\n")
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(note).offers} == expected


def test_a_state_column_beside_needs_is_who_asks():
    note = ("Follow-up matrix, Nairobi workshop, 3-4 May 2026\nParticipants: Kenya, Uganda.\n\n"
            "No. | State | Need identified | Partner response | Status\n"
            "1 | Kenya | No secure store for seized sources. | A secure storage room for seized sources will be "
            "financed by Japan, subject to a site visit. | Open\n"
            "2 | Uganda | The licensing office works on paper. | An electronic licensing system was discussed "
            "with Canada but was deferred to 2029. | Deferred\n")
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(note).offers} == {
        ("JPN", "physical_protection")}


def test_a_need_column_is_not_what_is_offered():
    note = ("Follow-up table, Nairobi workshop, 3-4 May 2026\nParticipants: Kenya, Uganda.\n\n"
            "Offers of assistance\n"
            "Recipient | Need identified | Partner | Status\n"
            "Kenya | Border officers cannot identify dual-use goods | Finland / UNODC | Finland: will fund a "
            "customs course in Mombasa in 2027. UNODC: will deliver it.\n")
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(note).offers} == {
        ("FIN", "training_capacity_building"), ("UNODC", "training_capacity_building")}


def test_a_support_cell_with_its_own_label_names_the_provider():
    note = ("Peer review, Nairobi, 3-4 May 2026\nParticipants: Kenya, Uganda.\n\nFollow-up matrix\n"
            "State | Action | Lead agency | Support\n"
            "Uganda | Drafting of a national control list | Ministry of Trade | UNODC Container Control Programme: "
            "two mentors to help draft the list (offer confirmed)\n")
    assert {(o.provider_iso3 or o.provider, o.category) for o in extract(note).offers} == {
        ("UNODC", "control_lists")}


FOLLOW_UP_NOTE = ("Workshop on export controls, Accra, 3-5 March 2026\n\n"
                  "Participants: Ghana, Togo, Benin, Sierra Leone, Liberia, Japan, France.\n\n"
                  "Follow-up to the assistance requests\n\n"
                  "%s\n")


def _table_offers(rows: str) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(o.provider_iso3 or o.provider, o.category, tuple(o.recipients_iso3)) for o in
            extract(FOLLOW_UP_NOTE % rows).offers}


def test_a_follow_up_tables_first_state_column_is_who_needs_help_not_who_offers():
    # the partner column names the provider, also with its programme in parentheses; "-" is no partner
    rows = ("State | Area | Partner | Follow-up\n"
            "Togo | Customs enforcement of export controls | Japan (JICA) | Will train twenty customs officers "
            "in the identification of dual-use goods in 2027\n"
            "Benin | National control list | - | No partner identified; Benin will write to the Committee\n")
    offers = _table_offers(rows)
    assert {p for p, _c, _r in offers} == {"JPN"}
    assert all(r == ("TGO",) for _p, _c, r in offers)


def test_a_response_cells_label_is_the_provider_and_an_own_budget_row_is_no_offer():
    rows = ("State | Gap | Partner response | Status\n"
            "Liberia | Border detection of radioactive material | OPCW: will hold a national course on "
            "chemical security for inspectors in 2027 | Dates being agreed\n"
            "Sierra Leone | Licensing of dual-use transfers | France: will fund a licensing adviser for one year "
            "| Awaiting request\n"
            "Ghana | Export control law | Ghana will draft the law from its own budget in 2027 | No assistance sought\n"
            "Togo | Control list | France: under consideration; no decision taken | Open\n")
    offers = _table_offers(rows)
    assert {(p, r) for p, _c, r in offers} == {("OPCW", ("LBR",)), ("FRA", ("SLE",))}
    assert ("FRA", "licensing", ("SLE",)) in offers


def test_a_country_column_answering_a_call_still_offers():
    # no partner column, no need column: the country of the row is who answers, and offers
    note = FOLLOW_UP_NOTE.replace("Follow-up to the assistance requests", "Responses to the call for assistance") % (
        "Country | Response\n"
        "Japan | Will fund two training courses on licensing for Togo in 2027\n"
        "France | Will provide a legal adviser to Benin for its export control law\n")
    assert {(o.provider_iso3, o.recipients_iso3) for o in extract(note).offers} == {
        ("JPN", ("TGO",)), ("FRA", ("BEN",))}


def test_a_follow_up_row_pointing_to_an_offer_above_is_no_new_offer():
    rows = ("State | Area | Partner | Follow-up\n"
            "Liberia | Licensing procedure | France (Expertise France) | See the mentoring offer described above\n")
    assert _table_offers(rows) == set()


# Regression guards on the labelled notes, exact: (tp, fp, fn) of (provider, category) pairs. These
# sets have been used to revise the rules and train the offer model (first-sight figures are in the
# reports: heldout8/9 and real 0.49/0.57/0.35, heldout10/11 0.64/0.81, heldout12/13 0.76/0.83,
# heldout14/15 0.78/0.77, heldout16/17 0.84/0.61), so they guard what was learned. Round 5 revised
# the rules on heldout16/17 (general shapes only: table cells, a compound's head, hedges). Round 6 revised
# them on heldout18-21 (first sight 0.81/0.82/0.63/0.56 with round 5's rules; general shapes only: future
# passives, pronoun subjects, need columns, verdicts, "the Secretariat"). heldout22-24 were scored blind with round
# 6's rules (0.75/0.72/0.81); the offer model was retrained with them since, and follow-up tables whose first
# "State" column is who needs help (a general shape: the provider is the partner column or a response's label)
# were read right after them (0.79/0.83/0.91). heldout25-27 were scored blind with the shipped rules and model
# (0.88/0.88/0.77); round 7 revised the rules on the misses of all batches, heldout25-27 included (general
# shapes only: offers named as nouns, a clause-level hedge, asides, a letter's sender, an area word naming
# the body helped), so every guard here is in-sample now.
GUARDS = {"tuning": (9, 0, 0), "heldout": (13, 0, 0), "heldout2": (14, 0, 0), "heldout3": (14, 0, 0),
          "heldout4": (12, 0, 0), "heldout5": (13, 0, 0), "heldout6": (11, 0, 0), "heldout7": (10, 0, 0),
          "heldout8": (29, 0, 0), "heldout9": (26, 0, 0), "heldout10": (29, 0, 0), "heldout11": (27, 0, 0),
          "heldout12": (26, 0, 0), "heldout13": (28, 0, 0), "heldout14": (25, 0, 0), "heldout15": (20, 0, 2),
          "heldout16": (17, 0, 0), "heldout17": (18, 1, 1), "real": (9, 1, 3), "heldout18": (31, 1, 1),
          "heldout19": (29, 1, 0), "heldout20": (30, 4, 2), "heldout21": (31, 3, 1), "heldout22": (29, 4, 2),
          "heldout23": (31, 0, 1), "heldout24": (28, 1, 1), "heldout25": (23, 2, 1), "heldout26": (24, 0, 0),
          "heldout27": (20, 3, 3), "heldout28": (28, 0, 1), "heldout29": (25, 0, 3), "real2": (15, 8, 8),
          "real3": (8, 0, 19), "real4": (6, 6, 15), "real5": (11, 3, 8), "real6": (6, 2, 13), "real7": (5, 1, 11),
          "real8": (6, 2, 12), "heldout30": (30, 1, 1), "real9": (5, 4, 13), "real10": (5, 2, 12),
          "heldout31": (28, 1, 4), "real11": (1, 0, 19), "real12": (7, 4, 13), "heldout32": (28, 1, 3),
          "heldout33": (32, 1, 2), "heldout34": (22, 6, 8), "heldout35": (24, 7, 6), "real13": (1, 2, 13),
          "heldout36": (30, 6, 2), "heldout37": (36, 0, 1), "real14": (2, 3, 15), "real15": (1, 7, 18),
          "heldout38": (25, 4, 2), "heldout39": (28, 5, 6), "real16": (6, 4, 17), "heldout40": (28, 1, 0),
          "heldout41": (28, 4, 3), "heldout42": (27, 0, 1), "heldout43": (27, 3, 4),
          "heldout44": (24, 7, 11), "heldout45": (28, 3, 6), "heldout46": (26, 6, 8), "heldout47": (27, 4, 6),
          "heldout48": (28, 6, 9), "heldout49": (29, 8, 10), "heldout50": (25, 8, 9), "heldout51": (25, 5, 2),
          "real17": (4, 6, 21), "heldout52": (26, 3, 1), "heldout53": (25, 7, 5), "heldout54": (27, 6, 7),
          "heldout55": (24, 5, 3)}
# real6 (6 3 13) -> (6 2 13) in the ninth session: a state that "will receive assistance ... from the US DTRA" is
# no longer its own provider (extract/offer_passives.py, tests/test_offer_receiver_not_provider.py).
# not-offers taken: heldout10's "New Zealand might consider joining" shares its sentence (";") with
# Australia's offer, whose evidence is the whole sentence; heldout26's "the Authority ... intends to recruit"
# shares its sentence with the IAEA's offer (", and the Authority informed ...")
# real2/real3 (real public pages; first sight 0.49/0.26 with round 7's rules, read and revised on in round 8:
# general shapes only, see tests/test_offers_round8.py): their not-offers taken are past deliveries and
# programme descriptions round 8 left alone
# real4/real5 (real public pages): scored blind after round 9's first revision (4 10 17 and 8 7 11, no gain on
# round 8's 4 9 17 and 8 6 11), then read and revised on: in-sample since round 9, a guard against drift.
# Round 9 (tests/test_offers_round9.py) took real2 from (15, 9, 8) to (16, 10, 7): one more offer found, one
# more taken (a US grant for "equipment transfer and training" the label reads as border control); heldout29
# from (20, 7, 8) to (21, 6, 7) ("Spain will receive two officials from Honduras": the host offers). heldout28 and
# heldout29 had no guard before round 9; their not-offers taken are round 7's
# real6-real8 (real news items, meeting reports, statements) and heldout30 (invented notes): scored blind with
# round 8's rules (real6 4 2 15) and round 9's, the figures below; real9, real10 (real news items, meeting
# reports) and heldout31 (invented notes) blind with round 9's rules as shipped, after round 10 (no rule change);
# nothing was revised on any of them until round 11
# Round 11 (tests/test_offers_round11.py) read the misses of heldout28-heldout31 and the real sets' providers named
# outside the sentence: heldout20 (29 4 3) -> (30 4 2), heldout28 (27 5 2) -> (28 0 1), heldout29 (21 6 7) ->
# (25 0 3), heldout30 (25 9 6) -> (30 1 1), heldout31 (23 5 9) -> (27 1 5), real2 (16 10 7) -> (17 10 6), real6
# (5 2 14) -> (6 3 13), real7 (6 5 10) -> (8 2 8), real8 (3 3 15) -> (6 3 12), real9 (5 6 13) -> (6 6 12), real10
# (4 3 13) -> (5 3 12); not-offers taken heldout28 5 -> 0, heldout29 4 -> 0, heldout30 4 -> 0, heldout31 1 -> 0.
# All in-sample now.
# real11, real12 (real meeting reports; news, press releases and project pages) and heldout32, heldout33 (invented
# notes): scored blind with round 9 (1 0 19, 8 4 12, 23 8 8, 24 8 10) and with round 11 (the figures here) before
# anyone read a miss. Round 12 (tests/test_offers_round12.py) read their misses and fixed the habits seen in more
# than one note or batch: heldout32 (24 7 7) -> (27 3 4), heldout33 (25 8 9) -> (32 1 2), heldout19 (29 2 0) ->
# (29 1 0), heldout31 (27 1 5) -> (28 1 4), real5 (12 4 7) -> (12 3 7); not-offers taken heldout32 2 -> 1,
# heldout33 1 -> 0. All four in-sample now; real11 and real12 unchanged (their misses are mostly label doubts,
# programme descriptions and cues no general rule here reaches).
# heldout34, heldout35 (invented notes) and real13 (real meeting reports): scored blind with round 11 and with
# round 12 (identical figures, the ones here) before anyone read a miss; nothing revised on them yet.
# heldout34's not-offers taken were counted 1 at first sight: three of its quotes sit in PDFs whose lines the
# labeller's quote does not break; assistance_eval now finds a quote across white space (4, the same run).
# Offer model rebuilt on all 49 sets and the learned category refiner added (models/offer_model.skops md5
# dcd8f525, models/offer_refine.skops md5 073b3d1e; learn/offer_refine.py; both files later re-saved with their
# kind recorded: offer_model md5 ff220e15, same weights; offer_refine md5 19f87653, rebuilt on the same 49 sets
# after the 'could provide the following' / 'will make a contribution of' cues gave its rows two new rule tokens,
# every guard here unchanged; both rebuilt again on the same 49 sets when review8 narrowed those two cues (help
# or an amount must follow): offer_model md5 ee165848, offer_refine md5 1bd2d97a, every guard here unchanged;
# each `build` leaves out offer_model.BUILT_WITHOUT and gives these bytes again):
# in-sample figures of those two models,
# so they move when a model is rebuilt. Before (the offer model built before heldout25, no refiner): heldout14
# (25 1 0), heldout18 (31 4 1), heldout21 (31 5 1), heldout34 (22 7 8), heldout35 (22 9 8), real2 (17 10 6), real4
# (6 9 15), real5 (12 3 7), real7 (8 2 8), real8 (6 3 12), real9 (6 6 12), real10 (5 3 12), real12 (8 4 12), real13
# (1 3 13); not-offers taken real2 3, real4 2, real7 2, real9 4, real10 1, real12 2, heldout35 1, real13 2. The
# refiner alone made heldout14, heldout18 and heldout21 (one, three and two false categories fewer); the rest is the
# rebuilt sentence model. The honest figure is leave-one-set-out (python -m needs_tracker.learn.offer_refine_loso).
# heldout36, heldout37 (invented notes) and real14, real15 (real meeting reports): written blind this session and
# scored at first sight with round 12's rules and the old offer model (heldout36 29 6 3, heldout37 28 9 9, real14
# 2 3 15, real15 2 6 17), then with the rebuilt model and the refiner (the figures here), before anyone read a miss.
# heldout37 (29 8 8) -> (33 4 4) after the first blind score of heldout38, whose OSCE report had the same table
# ("Participating State | Need identified | Support offered"): the row's state asks, the support cell names who
# offers (tests/test_offer_table_answers.py).
# heldout38, heldout39 (invented notes) and real16 (real news, press releases, project pages): written blind this
# session, scored at first sight with main 4f5acc6 (heldout38 19 10 8, heldout39 23 7 11, real16 7 4 16), before
# anyone read a miss; heldout38's OSCE table then prompted the table change below (its figure here is after it).
# The packaged models stay the 49-set ones measured blind: rebuilt with these four sets they scored real14 and
# real15 lower even in-sample (real15 2 6 17 -> 1 7 18).
# Round 15 (tests/test_offers_round15.py) read every false and missed pair of heldout36-heldout43 and fixed the
# habits seen in more than one note or batch (tables a PDF reader flattened, follow-up tables with a "State /
# organization" or "Responsible" column, AFCONE/AAEA/ANSTO/DEVCO, programmes presented, "the\nAgency", a passive
# cue's subject, IPPAS, a review of a subject's law, a fronted condition, help to come in the passive in an
# organisation's own report):
# heldout36 (29 6 3) -> (30 5 2), heldout37 (33 4 4) -> (36 2 1), heldout38 (23 5 4) -> (25 4 2), heldout39
# (23 7 11) -> (28 4 6), heldout40 (20 5 8) -> (28 4 0), heldout41 (25 5 6) -> (28 4 3), heldout42 (24 1 4) ->
# (27 0 1), heldout43 (22 6 9) -> (27 4 4); unread, heldout32 (27 3 4) -> (28 1 3) and heldout35 (22 8 8) ->
# (24 8 6) ("the\nAgency", an action table, a report's passive), real14 (2 2 15) -> (2 3 15)
# (AFCONE co-organising ISTC's webinar: the set's README names AFCONE as a possible second provider); not-offers
# taken heldout36 1 -> 0, heldout37 2 -> 1, heldout39 2 -> 1, heldout40 5 -> 3. All eight in-sample now.
# offerml2: both models rebuilt on ALL 60 sets with round 15's rules (offer_model.BUILT_WITHOUT empty: heldout36-43
# and real14-16 now in the training), the sentence model with the nearest-labelled-evidence columns
# (learn/offer_nearest.py) and VETO 0.03 (models/offer_model.skops md5 ec83b788, models/offer_refine.skops md5
# 9281f30d; each `build` gives these bytes again). The figures here are those two models' in-sample figures;
# changed from the 49-set models: heldout34 (22 8 8) -> (22 6 8), heldout35 (24 8 6) -> (24 7 6), heldout36
# (30 5 2) -> (30 6 2), heldout37 (36 2 1) -> (36 0 1), heldout39 (28 4 6) -> (28 5 6), heldout40 (28 4 0) ->
# (28 1 0), heldout43 (27 4 4) -> (27 3 4), real4 (6 7 15) -> (6 6 15), real7 (6 1 10) -> (5 1 11), real12
# (7 5 13) -> (7 4 13), real15 (2 6 17) -> (1 7 18), real16 (7 4 16) -> (6 4 17) (real15's drop is the one the
# 49-set models were kept for: a rebuild with real14/15 lowers it even in-sample); not-offers taken heldout34 4 -> 2,
# heldout37 1 -> 0, heldout40 3 -> 1, heldout43 1 -> 0, real2 1 -> 0, real4 1 -> 2, real15 2 -> 1. The honest
# figure is leave-one-set-out (python -m needs_tracker.learn.offer_refine_loso).
# heldout44-heldout51 (invented notes by eight more writers) and real17 (real news, press releases, project
# pages): written blind in the eighth session, scored at first sight with main fd9fb68 (heldout44 24 8 11,
# heldout45 27 4 7, heldout46 25 8 9, heldout47 27 5 6, heldout48 28 6 9, heldout49 27 8 12, heldout50 25 8 9,
# heldout51 25 8 2, real17 4 5 21), then with round 15 and then with offerml2's models (the figures here), before
# anyone read a miss; the shipped models were built without them (offer_model.BUILT_WITHOUT). heldout52-heldout55
# (four more writers) were written after those models were merged and scored once with them (the figures here).
TAKEN = {"heldout10": 1, "heldout22": 1, "heldout26": 1, "real4": 2, "real9": 2, "real12": 1, "heldout32": 1,
         "heldout34": 2, "real13": 1, "real15": 1, "heldout38": 1, "heldout39": 1, "real16": 2, "heldout40": 1,
         "heldout41": 1, "heldout44": 1, "heldout46": 3, "heldout47": 2, "heldout48": 3, "heldout49": 4,
         "heldout50": 1, "heldout51": 2, "real17": 1,
         "heldout52": 2, "heldout53": 3, "heldout54": 3, "heldout55": 1}


@pytest.mark.parametrize("batch", sorted(GUARDS))
def test_labelled_batches(batch):
    report = evaluate_assistance(CORPUS / batch / "labels.json", CORPUS / batch)
    assert (report.offers.tp, report.offers.fp, report.offers.fn) == GUARDS[batch], report.details
    assert report.not_offers > 0
    assert report.not_offers_taken == TAKEN.get(batch, 0), [d["not_offers_taken"] for d in report.details]


def test_the_category_check_counts_right_providers_at_their_sentence():
    from needs_tracker.assistance_eval import _category_check

    found = extract("Japan offered detection equipment to Ghana. Spain will host a course on licensing for "
                    "Chad.").offers
    gold = [{"provider": "Japan", "category": "training_capacity_building",
             "evidence": "Japan offered detection equipment to Ghana."},
            {"provider": "Spain", "category": "training_capacity_building",
             "evidence": "Spain will host a course on licensing for Chad."},
            {"provider": "Italy", "category": "licensing", "evidence": "Italy said nothing new."}]
    assert _category_check(gold, found) == (2, 1)
