"""The learned offer files (learn/skops_file.py): each records its kind, a file of the other kind, with a part
missing or with weights that do not fit its vocabulary is refused in one line naming it, and a refiner file that
cannot be read leaves the sentence model to decide, with one warning, through the CLI as a person runs it."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from needs_tracker.cli import main
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.learn import offer_model, offer_refine, offer_runtime, skops_file

COURSE_AT_THE_BORDER = ("Spain announced a course on radiation detection for frontline officers of Senegal and "
                        "Mauritania, to be held at the Rosso border post next spring.")
NOTE = ("Information note\n\nNational workshop on the implementation of resolution 1540 (2004) in Senegal, "
        "Dakar, 12-13 March 2019.\n\n" + COURSE_AT_THE_BORDER + "\n")


@pytest.fixture
def refiner_at(packaged_offer_file):
    """Point the packaged refiner at another file for one test."""
    return lambda path: packaged_offer_file("REFINER", path)


def shipped_refiner() -> offer_refine.Refiner:
    return offer_refine.load(offer_runtime.REFINER)


def test_the_shipped_files_record_their_kind():
    import skops.io as sio

    assert sio.load(offer_runtime.PACKAGED, trusted=[])["kind"] == "offer-model"
    assert sio.load(offer_runtime.REFINER, trusted=[])["kind"] == "offer-refiner"


def test_a_file_of_the_other_kind_says_which_kind_it_is(tmp_path):
    foreign = tmp_path / "refiner.skops"
    shutil.copyfile(offer_runtime.PACKAGED, foreign)
    with pytest.raises(NeedsTrackerError, match=r"refiner\.skops: a needs-tracker offer model, not the offer refiner"):
        offer_refine.load(foreign)


def test_a_refiner_without_one_of_its_parts_is_refused_with_its_name(tmp_path):
    r = shipped_refiner()
    path = tmp_path / "partial.skops"
    skops_file.save(offer_refine.KIND, {"features": r.features, "categories": np.array(r.categories, dtype=str),
                                        "category_coef": r.category_coef}, path)
    with pytest.raises(NeedsTrackerError, match=r"partial\.skops: not a complete needs-tracker offer refiner "
                                                r"\(no category_intercept, provider_coef"):
        offer_refine.load(path)


def test_weights_that_do_not_fit_the_vocabulary_are_refused_with_their_name(tmp_path):
    path = tmp_path / "narrow.skops"
    r = shipped_refiner()
    offer_refine.save(replace(r, category_coef=r.category_coef[:, :-5]), path)
    with pytest.raises(NeedsTrackerError, match=r"narrow\.skops: a damaged needs-tracker offer refiner "
                                                r"\(category_coef has shape"):
        offer_refine.load(path)
    model = offer_model.load(offer_runtime.PACKAGED)
    model.classifier.coef_ = model.classifier.coef_[:, :-1]
    offer_model.save(model, path)
    with pytest.raises(NeedsTrackerError, match=r"narrow\.skops: a damaged needs-tracker offer model "
                                                r"\(classifier has shape"):
        offer_model.load(path)


def test_ingest_with_a_damaged_refiner_warns_once_and_stores_every_note(tmp_path, refiner_at, capsys):
    bad = tmp_path / "broken_refiner.skops"
    bad.write_bytes(offer_runtime.REFINER.read_bytes()[:5000])  # cut short, as a failed copy would leave it
    refiner_at(bad)
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("dakar.txt", "dakar_again.txt"):
        (notes / name).write_text(NOTE.replace("12-13", "12-13" if name == "dakar.txt" else "14-15"), encoding="utf-8")
    assert main(["ingest", str(notes)]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "broken_refiner.skops" in line]
    assert warnings == [line for line in captured.err.splitlines() if line.startswith("needs-tracker")]
    assert len(warnings) == 1  # once per process, not once per note
    assert warnings[0].startswith(f"needs-tracker: warning: {bad}: not a needs-tracker offer refiner")
    assert warnings[0].endswith("offers are decided without the refiner")
    assert "2 files: 2 ingested" in captured.out


def test_extract_with_a_refiner_of_the_other_kind_gives_the_sentence_models_offers(tmp_path, refiner_at, capsys):
    foreign = tmp_path / "offer_refine.skops"
    shutil.copyfile(offer_runtime.PACKAGED, foreign)
    refiner_at(foreign)
    note = tmp_path / "dakar.txt"
    note.write_text(NOTE, encoding="utf-8")
    assert main(["extract", str(note), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"needs-tracker: warning: {foreign}: a needs-tracker offer model, not the offer refiner it is used as; "
        "offers are decided without the refiner"]
    offers = json.loads(captured.out)["offers"]
    # the sentence model alone keeps the rules' second category (the refiner would drop it)
    assert {(o["provider_iso3"], o["category"]) for o in offers} == {
        ("ESP", "training_capacity_building"), ("ESP", "border_customs_control")}
    assert isinstance(offer_runtime._packaged(), offer_model.OfferModel)


def test_the_provider_model_is_not_read_while_its_veto_is_off():
    # weights of the wrong width: reading them would fail, so a refiner that still works never read them
    r = replace(shipped_refiner(), provider_coef=np.zeros(3, dtype=np.float32))
    candidates = offer_model.note_candidates(COURSE_AT_THE_BORDER)
    per = offer_model.load(offer_runtime.PACKAGED).per_candidate(candidates)
    assert {(o.provider_iso3, o.category) for offers in r.refine(candidates, per) for o in offers} == {
        ("ESP", "training_capacity_building")}
    with pytest.raises(ValueError):
        replace(r, veto=0.5).refine(candidates, per)


def test_both_builds_leave_out_the_sets_the_shipped_models_never_saw():
    names = {b.name for b in offer_model.training_batches()}
    assert names.isdisjoint(offer_model.BUILT_WITHOUT)
    assert {b.name for b in offer_model.batches()} - names == set(offer_model.BUILT_WITHOUT)


def test_the_need_model_and_an_offer_file_are_not_taken_for_each_other(tmp_path):
    from needs_tracker import config
    from needs_tracker.learn import model as need_model

    need_file = config.PACKAGE_DIR / "models" / "need_model.skops"
    assert isinstance(need_model.load(need_file), need_model.NeedModel)
    as_need = tmp_path / "need_model.skops"
    shutil.copyfile(offer_runtime.REFINER, as_need)
    with pytest.raises(NeedsTrackerError, match=r"need_model\.skops: a needs-tracker offer refiner, not the need "
                                                r"model it is used as"):
        need_model.load(as_need)
    as_offer = tmp_path / "offer_model.skops"
    shutil.copyfile(need_file, as_offer)
    # (refused before its kind is read: it holds types an offer file never does)
    with pytest.raises(NeedsTrackerError, match=r"offer_model\.skops: not a needs-tracker offer model \("):
        offer_model.load(as_offer)


def test_an_offer_file_saved_before_kinds_were_recorded_is_refused_with_its_name(tmp_path):
    import skops.io as sio

    old = tmp_path / "offer_refine.skops"
    sio.dump({"format": skops_file.FORMAT_VERSION, "categories": np.array(["licensing"])}, old)
    with pytest.raises(NeedsTrackerError, match=r"offer_refine\.skops: not a needs-tracker offer refiner of this "
                                                r"version \(it records no kind"):
        offer_refine.load(old)
