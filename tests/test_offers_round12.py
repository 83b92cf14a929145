"""Round 12 of the offer rules: the habits behind the misses of heldout32 and heldout33 (peer exchanges,
vague readiness, the Committee's published offers, a control list under another name, identification
devices, the training of an equipment's users, an organisation's research centre, invitations to all
participants, the funding behind an offer, "the Program" of a state, a second report in its own clause).

Every sentence here is written for its test (none is copied from a labelled set), so each rule is
checked on a writer's habit, not on the file it was found in.
"""

from __future__ import annotations

import pytest

from offer_helpers import offer_pairs


@pytest.mark.parametrize("sentence", [
    # peers exchanging, however the verb runs
    "India said it was ready to strengthen exchanges with other participants on export control.",
    "Russia was willing to continue exchanges with West African States on licensing practices.",
    # readiness with nothing behind it
    "ECOWAS expressed its readiness to cooperate with UNODA in the follow-up, without announcing specific activities.",
    # the meeting's housekeeping
    "UNODA and ECOWAS will circulate the presentations and the exercise materials to all participants.",
    # the Committee's list of offers described
    "The expert recalled that the 1540 Committee publishes offers of assistance by States on its website.",
])
def test_what_offers_no_help_is_no_offer(sentence):
    assert offer_pairs(sentence) == set()


def test_a_strategic_goods_list_is_a_control_list():
    assert offer_pairs("Canada offered to share with Ghana its experience in drafting a national strategic goods "
                   "list.") == {("CAN", "control_lists")}


def test_identification_devices_are_equipment_and_their_users_training_is_part_of_them():
    assert offer_pairs("Spain announced that three radioisotope identification devices would be donated to the customs "
                   "of Togo in 2027, with training for the officers who will use them.") == {
        ("ESP", "detection_equipment")}
    assert offer_pairs("The IAEA said that it was prepared to provide Benin with hand-held detectors for its land "
                   "borders and to train the officers who would use them.") == {("IAEA", "detection_equipment")}
    # a training of its own is still one
    assert offer_pairs("Japan will train Togo's customs officers who inspect cargo at Lomé port.") == {
        ("JPN", "training_capacity_building")}


def test_an_organisations_research_centre_and_a_states_detection_office_offer_for_them():
    assert offer_pairs("The Joint Research Centre proposed to hold a table-top exercise on chemical incidents for "
                   "Ghana in 2027.") == {("EU", "training_capacity_building")}
    assert offer_pairs("NSDD will deliver a mobile radiation detection system to Benin next year.") == {
        ("USA", "detection_equipment")}


def test_officials_of_the_participating_states_invited_are_helped_not_the_givers_own_plan():
    assert offer_pairs("Korea would invite officials of the participating States to a seminar on export control in "
                   "Seoul.") == {("KOR", "training_capacity_building")}
    assert offer_pairs("Australia said it would continue to hold its annual export control seminar in Sydney, to which "
                   "all participants would be invited.") == {("AUS", "training_capacity_building")}
    # a state's own plan is still none
    assert offer_pairs("Ghana will adopt its control list in 2027.") == set()


def test_a_course_open_to_the_meetings_states_is_offered():
    assert offer_pairs("The OPCW said that a regional course on chemical security is planned for 2027 and will be "
                   "open to all States represented at the meeting.") == {("OPCW", "training_capacity_building")}


def test_the_funding_behind_an_offer_does_not_make_it_help_given():
    assert offer_pairs("UNODA said it would support the review of Togo's national action plan in 2027, with the "
                   "funding provided by Norway.") == {("UNODA", "national_action_plan")}
    # help handed over is still no offer
    assert offer_pairs("The detectors, provided by Norway, will help Togo control its borders.") == set()


def test_the_program_is_the_states_programme_the_sentence_named():
    assert offer_pairs("The representative of the EXBS Program stated that the Program was prepared to provide "
                   "commodity identification training to customs officers of Togo in 2027.") == {
        ("USA", "training_capacity_building")}


def test_a_second_report_of_past_help_keeps_the_offer_before_it():
    found = offer_pairs("Japan said that it could provide licensing training to officials of Benin in 2027, and "
                        "recalled that it had trained officials of Togo in 2024.")
    assert found == {("JPN", "training_capacity_building")}
    # the recollection alone is no offer
    assert offer_pairs("Japan recalled that it had trained officials of Togo in 2024.") == set()


def test_a_table_row_to_be_discussed_is_no_offer():
    table = ("Area | Support | Partner\n"
             "Detection | Portal monitors for Aflao to be discussed by Ghana with Japan; no commitment made | Japan\n"
             "Licensing | Licensing course for Ghana in 2027 | Spain\n")
    assert offer_pairs(table) == {("ESP", "training_capacity_building")}


def test_help_provided_under_a_named_programme_is_its_owners():
    assert offer_pairs("Support for the update of Togo's control list will be provided under the EU P2P Export Control "
                   "Programme in 2027.") == {("EU", "control_lists")}
    # a budget is nobody's programme
    assert offer_pairs("Training for Togo's customs will be funded under the national budget next year.") == set()
