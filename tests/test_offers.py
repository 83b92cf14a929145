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
        ("JPN", "detection_equipment"), ("KOR", "training_capacity_building"), ("UNRCPD", "national_action_plan")}
    assert all(o.rule.startswith("offer/table") for o in offers)


# Regression guards on the labelled notes (first-sight figures are in the reports; these sets
# have since been used to revise the rules and train the offer model, so they now guard what was
# learned; heldout8, heldout9 and real were first scored at 0.49, 0.57 and 0.35).
@pytest.mark.parametrize("batch, min_f1", [("tuning", 1.0), ("heldout", 0.95), ("heldout2", 0.95), ("heldout3", 0.9),
                                           ("heldout4", 0.8), ("heldout5", 0.75), ("heldout6", 0.95),
                                           ("heldout7", 0.65), ("heldout8", 0.7), ("heldout9", 0.7),
                                           ("real", 0.35)])
def test_labelled_batches(batch, min_f1):
    report = evaluate_assistance(CORPUS / batch / "labels.json", CORPUS / batch)
    assert report.offers.f1 >= min_f1, report.details
    assert report.not_offers > 0
    assert report.not_offers_taken == 0, [d["not_offers_taken"] for d in report.details]
