"""The learned offer model and the generalising offer rules: tables read by their heading row,
help described as given, joint offers, governments named by their capital, and the model that
takes up sentences only broad cues found (packaged, deterministic, refused when damaged)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.extract import extract
from needs_tracker.learn import offer_runtime
from needs_tracker.learn.offer_model import fit, labelled_candidates, load, note_candidates, rows, save

CORPUS = Path(__file__).parent / "corpus" / "assistance"

PLEDGES = """Annex: table of pledges

| # | Provider | Assistance | Beneficiary | Status |
|---|---|---|---|---|
| 1 | Japan | Radiation detection equipment for customs | Cambodia | Pledged |
| 2 | Australia | Translation of the national control list | Viet Nam | Withdrawn |
| 3 | United States (EXBS) | Radiation portal monitors at the port | Malaysia | Delivered in 2022 |
| 4 | UNODC | Container control programme unit at the port | Philippines | Offered |

## Assistance delivered since the last meeting (for information)

| Provider | What | Beneficiary |
|---|---|---|
| Canada | National action plan workshop | Belize |
"""


def pairs(text: str) -> set[tuple[str, str]]:
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(text).offers}


def test_a_table_is_read_by_its_heading_row_and_closed_rows_are_no_offers():
    offers = extract(PLEDGES).offers
    assert {o.provider_iso3 or o.provider for o in offers} == {"JPN", "UNODC"}
    japan = next(o for o in offers if o.provider_iso3 == "JPN")
    assert japan.category == "detection_equipment"
    assert japan.recipients_iso3 == ("KHM",)
    assert all(o.rule.startswith("offer/table") for o in offers)


def test_help_described_as_given_or_withdrawn_is_no_offer():
    for sentence in ("The detectors, provided by the United States, will help Uzbekistan secure its borders.",
                     "Mexico had offered customs training in 2007 but withdrew the offer last year.",
                     "UNREC said that its earlier offer of support to The Gambia had been fully implemented."):
        assert extract(sentence).offers == [], sentence


def test_a_joint_listed_offer_has_every_provider():
    note = ("Offers of assistance:\n\n"
            "- Australia, New Zealand and the United States (jointly): a port security assessment for "
            "Papua New Guinea.\n")
    assert {o.provider_iso3 for o in extract(note).offers} == {"AUS", "NZL", "USA"}


def test_a_capital_offers_for_its_government_but_a_venue_does_not():
    assert pairs("THE SPANISH REPRESENTATIVE SAID MADRID IS READY TO FINANCE LEGAL ADVICE FOR GUATEMALA.") == {
        ("ESP", "legal_regulatory_framework")}
    venue = "Japan offered places on a regional course in Madrid for Peruvian officers."
    assert {p for p, _ in pairs(venue)} == {"JPN"}


BROAD_ONLY = "The OPCW plans to expand its training portfolio on chemical security legislation for African States."


def test_the_packaged_model_takes_up_a_sentence_only_a_broad_cue_found():
    offers = extract(BROAD_ONLY).offers
    assert [(o.provider, o.category) for o in offers] == [("OPCW", "training_capacity_building")]
    assert offers[0].rule.startswith("learned+")
    assert 0 < offers[0].confidence < 1


def test_without_the_model_the_rules_decide_alone(monkeypatch):
    monkeypatch.setenv(offer_runtime.ENV, "rules")
    assert extract(BROAD_ONLY).offers == []
    with offer_runtime.using(offer_runtime._packaged()):
        assert extract(BROAD_ONLY).offers


def test_labelled_sentences_come_from_the_gold_evidence():
    notes = labelled_candidates(CORPUS / "heldout7")
    labels = [y for _, _, ys in notes for y in ys]
    assert sum(labels) >= 8  # the batch's offers, sentence by sentence
    h1 = next(cs for f, cs, _ in notes if f.startswith("H1"))
    assert any("UNREC will accompany Cameroon" in c.sentence.text for c in h1)


def test_training_is_deterministic_and_a_saved_model_loads_the_same(tmp_path):
    notes = labelled_candidates(CORPUS / "heldout6") + labelled_candidates(CORPUS / "heldout7")
    cands = [c for _, cs, _ in notes for c in cs] + note_candidates(
        "Kazakhstan plans to adopt its new control list. Serbia will present its national report.")
    labels = [y for _, _, ys in notes for y in ys] + [0] * (len(cands) - sum(len(cs) for _, cs, _ in notes))
    first, second = fit(cands, labels), fit(cands, labels)
    assert np.array_equal(first.classifier.coef_, second.classifier.coef_)
    save(first, tmp_path / "m.skops")
    save(second, tmp_path / "n.skops")
    assert (tmp_path / "m.skops").read_bytes() == (tmp_path / "n.skops").read_bytes()
    again = load(tmp_path / "m.skops")
    expected = first.classifier.predict_proba(first.features.transform(rows(cands)))[:, 1]
    assert np.allclose(again.probabilities(cands), expected)


def test_a_damaged_model_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "offer_model.skops"
    bad.write_bytes(b"not a model")
    with pytest.raises(NeedsTrackerError, match="offer_model.skops"):
        load(bad)


def test_the_model_sees_a_table_cell_as_a_sentence_of_its_own_but_not_a_settled_row():
    note = ("Visit summary\n\nArea | Priority | Partner response\n"
            "Detection | The Border Police lacks detectors at the crossings. | Norway is prepared to fund "
            "two handheld detectors for the Border Police.\n"
            "Biosecurity | Laboratory storage | Delivered in 2024: Canada will finish the vault audit.\n")
    texts = [c.sentence.text for c in note_candidates(note)]
    assert texts == ["Norway is prepared to fund two handheld detectors for the Border Police."]
