"""The nearest-labelled-evidence columns of the sentence offer model (learn/offer_nearest.py): a training
sentence is compared only with other labelled sets, a sentence read again is not its own neighbour, and the
columns travel through the model file (the labelled sentences saved, the vectorizer refitted at load)."""

from __future__ import annotations

import numpy as np
import pytest

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.learn import offer_model, offer_runtime, skops_file
from needs_tracker.learn.offer_nearest import NearestEvidence

OFFER = "The  PROVIDER  stands ready to train customs officers of  STATE  in the detection of nuclear material."
OFFER_AGAIN = ("The  PROVIDER  stands ready to train the border guards of  STATE  in the detection of radioactive "
               "material.")
PAST = "The  PROVIDER  funded a workshop for licensing officers of  STATE  in 0000."
THANKS = "Participants thanked the  PROVIDER  for hosting the workshop and for its warm hospitality."


def test_a_training_sentence_is_compared_with_other_sets_only():
    nearest = NearestEvidence([OFFER, OFFER_AGAIN, PAST, THANKS], [1, 1, 0, 0])
    same_writer = nearest.training_features(["a", "a", "b", "b"])
    other_writer = nearest.training_features(["a", "b", "c", "d"])
    # OFFER's only other offer is OFFER_AGAIN: unseen when both come from one set, its nearest when not
    assert same_writer[0, 0] == 0.0
    assert 0.4 < other_writer[0, 0] < 0.99
    assert other_writer[0, 2] == pytest.approx(other_writer[0, 0] - other_writer[0, 1])


def test_a_sentence_read_again_is_not_its_own_neighbour():
    nearest = NearestEvidence([OFFER, OFFER_AGAIN, PAST, THANKS], [1, 1, 0, 0])
    again, new = nearest.features([PAST, "The  PROVIDER  stands ready to train licensing officers of  STATE ."])
    assert again[1] < 0.99  # (PAST itself, at cosine 1, is skipped: its nearest not-offer is another sentence)
    assert new[0] > new[1]  # a new readiness sentence is nearer the labelled offers than the not-offers
    assert nearest.features([]).shape == (0, 3)


def test_the_shipped_model_reads_the_columns_and_they_survive_save_and_load(tmp_path):
    shipped = offer_model.load(offer_runtime.PACKAGED)
    assert shipped.nearest is not None and len(shipped.nearest.texts) == len(shipped.nearest.labels) > 1000
    assert shipped.classifier.coef_.shape[1] == skops_file.n_features(
        {"features": shipped.features}) + 3
    candidates = offer_model.note_candidates(
        "Workshop on export controls\n\nJapan could consider supporting Ghana's customs with detection equipment.\n\n"
        "Norway offered to train the licensing officers of Ghana.\n")
    path = tmp_path / "again.skops"
    offer_model.save(shipped, path)
    assert path.read_bytes() == offer_runtime.PACKAGED.read_bytes()  # (the same model gives the same bytes)
    np.testing.assert_allclose(offer_model.load(path).probabilities(candidates), shipped.probabilities(candidates))


def test_a_model_file_whose_sentences_and_labels_differ_is_refused_with_its_name(tmp_path):
    model = offer_model.load(offer_runtime.PACKAGED)
    model.nearest.labels = model.nearest.labels[:-1]
    path = tmp_path / "short.skops"
    offer_model.save(model, path)
    with pytest.raises(NeedsTrackerError, match=r"short\.skops: a damaged needs-tracker offer model "
                                                r"\(ValueError: \d+ nearest-evidence sentences for \d+ labels\)"):
        offer_model.load(path)


def test_many_sentences_are_compared_in_blocks_with_the_same_columns(monkeypatch):
    from needs_tracker.learn import offer_nearest

    nearest = NearestEvidence([OFFER, OFFER_AGAIN, PAST, THANKS], [1, 1, 0, 0])
    texts = [OFFER_AGAIN.replace("border guards", f"officers {i}") for i in range(7)] + [PAST]
    whole = nearest.features(texts)
    monkeypatch.setattr(offer_nearest, "CHUNK", 3)
    np.testing.assert_array_equal(nearest.features(texts), whole)
    assert whole.shape == (8, 3)
