"""The learned offer refiner (a category model read after the sentence model) and the error breakdown
that pointed at it: packaged and used, deterministic, changes the category it should on a sentence
written here, falls back to the sentence model without its file, refuses a damaged file."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.extract import extract
from needs_tracker.learn import offer_model, offer_refine, offer_runtime
from needs_tracker.learn.offer_errors import doc_errors
from needs_tracker.learn.offer_loso import Doc, gather
from needs_tracker.learn.offer_model import OfferModel
from needs_tracker.learn.offer_refine import LearnedOffers, Refiner, fit, load, save

CORPUS = Path(__file__).parent / "corpus" / "assistance"
# a course whose venue is a border post: the rules read "to be held at the ... border post" as a second
# offer of border control; the refiner finds border control very unlikely beside the course
COURSE_AT_THE_BORDER = ("Spain announced a course on radiation detection for frontline officers of Senegal and "
                        "Mauritania, to be held at the Rosso border post next spring.")
JAPAN = "Japan offered to provide radiation portal monitors to Ghana for the port of Tema."


def pairs(text: str) -> set[tuple[str, str]]:
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(text).offers}


def test_the_packaged_refiner_is_loaded_once_beside_the_sentence_model():
    model = offer_runtime._packaged()
    assert isinstance(model, LearnedOffers)
    assert isinstance(model.sentence, OfferModel)
    assert isinstance(model.refiner, Refiner)
    assert offer_runtime._packaged() is model  # (once per process)
    assert "training_capacity_building" in model.refiner.categories


def test_the_refiner_drops_a_category_it_finds_very_unlikely_beside_another():
    sentence_only = LearnedOffers(offer_runtime._packaged().sentence, None)
    with offer_runtime.using(sentence_only):
        assert pairs(COURSE_AT_THE_BORDER) == {("ESP", "training_capacity_building"), ("ESP", "border_customs_control")}
    assert pairs(COURSE_AT_THE_BORDER) == {("ESP", "training_capacity_building")}


def test_a_provider_keeps_its_categories_when_every_one_is_below_drop():
    # (review7) drop 1.0: every category is "very unlikely", so only the guard keeps the provider at all
    shipped = offer_runtime._packaged()
    strict = LearnedOffers(shipped.sentence, replace(shipped.refiner, drop=1.0))
    with offer_runtime.using(strict):
        assert pairs(JAPAN) == {("JPN", "detection_equipment")}
        assert pairs(COURSE_AT_THE_BORDER) == {("ESP", "training_capacity_building"),
                                               ("ESP", "border_customs_control")}


def test_without_the_refiner_file_the_sentence_model_decides(monkeypatch, tmp_path):
    monkeypatch.setattr(offer_runtime, "REFINER", tmp_path / "missing.skops")
    offer_runtime._packaged.cache_clear()
    try:
        model = offer_runtime._packaged()
        assert isinstance(model, OfferModel)
        assert pairs(COURSE_AT_THE_BORDER) == {("ESP", "training_capacity_building"),
                                               ("ESP", "border_customs_control")}
    finally:
        offer_runtime._packaged.cache_clear()


def test_with_the_rules_alone_nothing_learned_decides(monkeypatch):
    monkeypatch.setenv(offer_runtime.ENV, "rules")
    assert all(not o.rule.startswith("learned") for o in extract(COURSE_AT_THE_BORDER).offers)


def test_fitting_is_deterministic_and_a_saved_refiner_decides_the_same(tmp_path):
    docs = gather(CORPUS / "heldout6") + gather(CORPUS / "heldout7") + gather(CORPUS / "heldout18")
    first, second = fit(docs), fit(docs)
    save(first, tmp_path / "a.skops")
    save(second, tmp_path / "b.skops")
    assert (tmp_path / "a.skops").read_bytes() == (tmp_path / "b.skops").read_bytes()
    again = load(tmp_path / "a.skops")
    for doc in docs:
        per = [list(c.rule_offers) for c in doc.candidates]
        assert again.refine(doc.candidates, per) == first.refine(doc.candidates, per)


def test_a_damaged_refiner_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "offer_refine.skops"
    bad.write_bytes(b"PK not a model")
    with pytest.raises(NeedsTrackerError, match="offer_refine.skops"):
        load(bad)


def test_lost_pairs_are_counted_by_kind():
    from needs_tracker.extract.assistance_records import OfferRecord

    def offer(provider, iso3, category):
        return OfferRecord(provider, iso3, category, (), "named", "", 0, 0, 0.8, "offer/subject/x/offered")

    gold = {"offers": [{"provider": "Japan", "category": "training_capacity_building"},
                       {"provider": "Japan", "category": "detection_equipment"},
                       {"provider": "Spain", "category": "licensing"},
                       {"provider": "Norway", "category": "control_lists", "evidence": "Norway will help."}]}
    doc = Doc("x.txt", gold, "", [], [], [], None)
    found = [offer("Japan", "JPN", "training_capacity_building"), offer("Spain", "ESP", "legal_regulatory_framework"),
             offer("Spain", "ESP", "control_lists"), offer("Chile", "CHL", "licensing")]
    counts = doc_errors(doc, found)
    assert counts == {"category missed": 1, "category wrong": 1, "category extra": 1, "provider spurious": 1,
                      "provider missed: never a candidate": 1}


def test_the_sentence_model_file_given_as_the_refiner_is_refused_with_its_name(tmp_path):
    # (review7)
    foreign = tmp_path / "offer_refine.skops"
    shutil.copyfile(offer_runtime.PACKAGED, foreign)
    with pytest.raises(NeedsTrackerError, match="offer_refine.skops"):
        offer_refine.load(foreign)


def test_the_refiner_file_given_as_the_sentence_model_is_refused_with_its_name(tmp_path):
    # (review7)
    foreign = tmp_path / "offer_model.skops"
    shutil.copyfile(offer_runtime.REFINER, foreign)
    with pytest.raises(NeedsTrackerError, match="offer_model.skops"):
        offer_model.load(foreign)
