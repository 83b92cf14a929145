"""Round 11 of the offer rules: the habits behind the misses of heldout28-heldout31 and the providers
real pages name outside an offer's own sentence (a list's lead, "the latter", "In addition, it").

Every sentence here is written for its test (none is copied from a labelled set), so each rule is
checked on a writer's habit, not on the file it was found in.
"""

from __future__ import annotations

import shutil
import threading

import pytest

from needs_tracker.extract import assistance, extract
from needs_tracker.extract import offers as offers_module
from needs_tracker.extract.assistance_records import load_assistance_rules, rules_file
from needs_tracker.extract.offer_publisher import page_publisher
from offer_helpers import HEAD, offer_pairs


@pytest.mark.parametrize("sentence", [
    # the clearinghouse described
    "UNODA explained that the Office helps the Committee match requests for assistance with offers made by States.",
    "The Government will keep working with UNODA to match offers of help to the needs identified by Ghana.",
    # put off, refused, withdrawn
    "Nigeria said it would look at the requests but was not in a position to make any offer at this stage.",
    "Brazil said that help for Ghana's export control law would have to be discussed within Mercosur.",
    "The WCO would include Ghana's customs in its project, depending on the outcome of talks with its donors.",
    "Australia would be willing to provide assistance to Togo but had no specific programme to announce.",
    "Spain informed the Chair that the proposed licensing course for Ghana cannot be offered in 2027.",
    # the speaker's own request, a question to a donor
    "Togo said it would send the OSCE a formal written request for help with its control list.",
    "Benin would seek assistance from the 1540 Committee for its licensing system.",
    "The delegation of Togo asked whether Japan could help equip its customs laboratory.",
    # peers exchanging views, encouragement, a forum's merit
    "China expressed its willingness to continue to exchange views with Ghana on export control practices.",
    "The Commission would continue to encourage the harmonization of national legislation in Ghana.",
    "The IAEA encouraged participating States to make use of its advisory missions on physical protection.",
    "The Co-Chair said the ARF offered a useful platform for sharing experiences with Togo.",
])
def test_what_offers_no_help_is_no_offer(sentence):
    assert offer_pairs(sentence) == set()


def test_a_speaker_from_a_state_speaks_for_it():
    assert offer_pairs("The observer from Japan indicated that its programme was ready to support Ghana in "
                   "drafting its national control list.") == {("JPN", "control_lists")}


def test_the_state_of_a_condition_is_not_the_provider():
    found = offer_pairs("Canada indicated that, should Ghana submit a request, its programme would be prepared to "
                    "fund a course for customs officers.")
    assert found == {("CAN", "training_capacity_building")}


def test_help_still_to_be_delivered_by_a_partner_is_an_offer():
    found = offer_pairs("Norway announced that it would fund a course on licensing for Ghana, to be delivered by "
                    "UNODA in 2027.")
    assert ("NOR", "training_capacity_building") in found


def test_a_past_deed_in_a_relative_clause_does_not_cancel_the_offer():
    found = offer_pairs("Japan said that it was prepared to provide spare parts for the radiation portal monitors it "
                    "had installed in Ghana.")
    assert found == {("JPN", "detection_equipment")}
    assert offer_pairs("Japan said that it had installed radiation portal monitors in Ghana.") == set()


def test_the_programme_is_the_organisation_whose_programme_the_note_names():
    found = offer_pairs("The meeting was organised by the EU P2P Export Control Programme for Dual-Use Goods.\n\n"
                    "The programme is also ready to help Ghana draft its national control list.")
    assert found == {("EU", "control_lists")}


def test_a_providers_own_programme_name_is_no_area_but_a_programme_offered_is():
    assert offer_pairs("The United States said that its Export Control and Related Border Security (EXBS) Program "
                   "would continue to work with Ghana.") == set()
    assert offer_pairs("The OPCW has launched a new Online Training Programme for first responders in Ghana.") == {
        ("OPCW", "training_capacity_building")}


def test_linking_two_agencies_systems_is_inter_agency_cooperation():
    assert offer_pairs("Japan would support Ghana in connecting the licensing database of its trade ministry to the "
                   "customs risk-management system.") == {("JPN", "interagency_cooperation")}


def test_the_bullets_under_a_providers_offering_lead_are_itsoffer_pairs():
    found = offer_pairs("Norway could provide the following types of assistance to Ghana:\n\n"
                    "- legislative drafting assistance for the chemical weapons law;\n"
                    "- radiation detection equipment for border posts;\n"
                    "- awareness raising for industry.")
    assert ("NOR", "legal_regulatory_framework") in found
    assert ("NOR", "detection_equipment") in found


def test_the_bullets_under_a_course_offered_are_its_programme():
    found = offer_pairs("Spain offered a licensing course for Ghana's officials covering:\n\n"
                    "- the drafting of national control lists;\n"
                    "- radiation detection equipment at the border.")
    assert found == {("ESP", "training_capacity_building")}


def test_the_latter_is_the_last_provider_named_before():
    found = offer_pairs("The grant agreement was signed by the WCO with Japan. The latter will fund a course on risk "
                    "management for Ghana's customs officers.")
    assert ("JPN", "training_capacity_building") in found
    assert ("WCO", "training_capacity_building") not in found


def test_it_after_a_connective_is_the_subject_of_the_sentence_before():
    found = offer_pairs("The IAEA is facilitating the transfer of a detection van to Ghana. In addition, it will "
                    "provide training on how to operate the vehicle.")
    assert ("IAEA", "training_capacity_building") in found


def test_a_passive_with_no_agent_names_what_is_offered_before_its_cue():
    assert offer_pairs("The IAEA representative indicated that portable radiation detectors would be provided to the "
                   "customs service of Ghana.") == {("IAEA", "detection_equipment")}


def test_an_organisations_member_states_receive():
    found = offer_pairs("The United States EXBS Program advised that a commodity identification training course for "
                    "customs officers of all ECOWAS Member States will be held in Accra.")
    assert found == {("USA", "training_capacity_building")}


def test_a_table_row_installed_or_paying_for_the_workshop_is_no_offer():
    table = ("Partner | Support | Status\n"
             "Japan | Radiation portal monitors at Aflao | Installed in 2019 and handed over to Customs\n"
             "European Union | Workshop costs | Covered under the Council Decision\n"
             "Spain | Licensing course for Ghana | Planned for 2027\n")
    assert offer_pairs(table) == {("ESP", "training_capacity_building")}


def test_a_publisher_domain_added_to_the_rules_file_is_used(tmp_path):
    copy = tmp_path / "assistance_rules.toml"
    shutil.copy(rules_file(), copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace('organisation = { "europa.eu" = "EU",',
                                 'organisation = { "osce-news.example" = "OSCE", "europa.eu" = "EU",'),
                    encoding="utf-8")
    page = "# source: https://www.osce-news.example/item/1\n\nText.\n"
    assert page_publisher(page, load_assistance_rules()) == (None, None)
    assert page_publisher(page, load_assistance_rules(copy)) == (None, "OSCE")
    assert page_publisher("# source: https://www.gc.ca/x\n\nText.\n", load_assistance_rules(copy)) == ("CAN", None)


def test_the_loso_harness_records_without_touching_extraction(tmp_path):
    """Extraction running at the same time as ``offer_loso.gather`` (another thread) still finds offers:
    the harness records through ``extract``'s parameter, it swaps no module attribute."""
    from needs_tracker.learn.offer_loso import gather

    (tmp_path / "n1.txt").write_text(HEAD + "Japan offered to train the customs officers of Ghana.\n",
                                     encoding="utf-8")
    (tmp_path / "labels.json").write_text(
        '[{"file": "n1.txt", "offers": [{"provider": "Japan", "category": "training_capacity_building", '
        '"evidence": "Japan offered to train the customs officers of Ghana."}]}]', encoding="utf-8")
    finder = assistance.find_offers
    seen: list = []
    started, release = threading.Event(), threading.Event()

    def other_process():
        started.wait(5)
        seen.append((assistance.find_offers is finder, offer_pairs("Spain offered a licensing course to Ghana.")))
        release.set()

    real_candidates = offers_module.offer_candidates
    harness = threading.current_thread()

    def slow_candidates(*args, **kwargs):  # (holds gather inside its recording while the other thread extracts)
        if threading.current_thread() is harness:
            started.set()
            release.wait(30)
        return real_candidates(*args, **kwargs)

    thread = threading.Thread(target=other_process)
    thread.start()
    offers_module.offer_candidates = slow_candidates
    try:
        docs = gather(tmp_path)
    finally:
        offers_module.offer_candidates = real_candidates
        thread.join(30)
    assert seen == [(True, {("ESP", "training_capacity_building")})]
    assert docs[0].labels == [1]


@pytest.mark.parametrize("unit", [
    "- radiation detection equipment for the border post of Aflao;\n",  # one lead, many bullets
    "Japan will provide the following to Ghana:\n- radiation detection equipment for Aflao;\n",  # many lists
])
def test_lists_under_offering_leads_are_read_in_linear_time(unit):
    from test_hostile_extract import _best_seconds

    def offers(n):
        # ("will provide": a lead the rules take, so the time measured is the lists', not the offer model's choice)
        return extract(HEAD + "Norway will provide the following to Ghana:\n" + unit * n, model="rules").offers

    assert any(o.rule.startswith("offer/list-item") for o in offers(40))  # (the lists are read at all)
    small = _best_seconds(lambda: offers(40))
    large = _best_seconds(lambda: offers(320))
    assert large / max(small, 1e-4) < 24  # 8 when linear, 64 when quadratic


def test_help_at_the_disposal_of_the_one_helped_is_an_offer_and_a_message_passed_on_is_the_offer_itself():
    found = offer_pairs("UNLIREC has asked me to convey that its legal team is at Ghana's disposal to revise the draft "
                    "law on chemical substances.")
    assert found == {("UNLIREC", "legal_regulatory_framework")}
    assert offer_pairs("The delegate of Togo said he would convey the request for detectors to his capital.") == set()


def test_money_named_again_for_a_use_is_an_offer_of_the_one_who_gave_it():
    found = offer_pairs("Norway will make a contribution of EUR 5 million to nuclear security in West Africa. Of the "
                    "total amount, about EUR 900 000 has been set aside to train inspectors of Ghana's regulator. A "
                    "central store for disused sealed sources in Togo will also be financed from the package.")
    assert ("NOR", "training_capacity_building") in found
    assert ("NOR", "physical_protection") in found


@pytest.mark.parametrize("sentence", [
    # the list lead and the gift cue need help or an amount after them (review8)
    "Japan will provide the following information to the Committee by June.",
    "Norway will make a contribution of its national report to the Committee.",
])
def test_a_list_of_information_and_a_report_contributed_are_no_offers(sentence):
    assert offer_pairs(sentence) == set()


def test_money_paid_into_a_fund_is_not_followed_into_what_the_fund_does():
    found = offer_pairs("The United States will contribute USD 2 million to the UN Trust Fund for Global and Regional "
                    "Disarmament Activities. These funds will also be used to train customs officers of Ghana.")
    assert found == {("USA", "other")}


def test_money_named_again_is_read_in_linear_time():
    from test_hostile_extract import _best_seconds

    unit = "Japan will give EUR 2 million to Ghana. The funds will be used to train customs officers.\n\n"

    def offers(n):
        return extract(HEAD + unit * n, model="rules").offers

    assert any(o.rule.startswith("offer/money-again") for o in offers(40))
    small = _best_seconds(lambda: offers(40))
    large = _best_seconds(lambda: offers(320))
    assert large / max(small, 1e-4) < 24  # 8 when linear, 64 when quadratic


def test_money_lines_under_a_pledge_are_read_in_linear_time():
    from test_hostile_extract import _best_seconds

    lead = "Canada announced $50 million to nuclear security in Ghana. The funds will be allocated as follows:\n\n"

    def offers(n):
        return extract(HEAD + lead + "Securing radioactive sources: $3M to remove sources in Ghana.\n\n" * n,
                       model="rules").offers

    assert any(o.rule.startswith("offer/money-item") for o in offers(40))
    small = _best_seconds(lambda: offers(40))
    large = _best_seconds(lambda: offers(320))
    assert large / max(small, 1e-4) < 24  # 8 when linear, 64 when quadratic
