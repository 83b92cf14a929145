"""The semantic evidence columns measured for the sentence offer model (learn/offer_semantic_loso.py): built
inside a fold like the character columns (a training sentence compared with other sets only, a sentence read
again not its own neighbour), and ``offer_model.fit(evidence=)`` trains with them. The transformer itself
(torch) is not a dependency, so these tests give the columns a deterministic numpy embedder of their own: what
is tested is how the columns are made and used, not the model's meaning."""

from __future__ import annotations

import numpy as np
import pytest

from needs_tracker.learn import offer_semantic_loso as sem
from needs_tracker.learn.offer_nearest import NearestEvidence

OFFER = "The  PROVIDER  stands ready to train customs officers of  STATE  in the detection of nuclear material."
OFFER_AGAIN = ("The  PROVIDER  stands ready to train the border guards of  STATE  in the detection of radioactive "
               "material.")
PAST = "The  PROVIDER  funded a workshop for licensing officers of  STATE  in 0000."
THANKS = "Participants thanked the  PROVIDER  for hosting the workshop and for its warm hospitality."
TEXTS, LABELS = [OFFER, OFFER_AGAIN, PAST, THANKS], [1, 1, 0, 0]


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A unit-length hashed bag of words: similar sentences get similar vectors, the same text the same one."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i, sum(map(ord, word)) % 64] += 1.0
        out[i] /= max(float(np.linalg.norm(out[i])), 1e-9)
    return out


@pytest.fixture(autouse=True)
def embedder(monkeypatch):
    monkeypatch.setattr(sem, "EMBED", bag_of_words)


def test_the_char_variant_gives_the_shipped_columns():
    shipped = NearestEvidence(TEXTS, LABELS)
    char = sem.variant_class("char")(TEXTS, LABELS)
    groups = ["a", "b", "c", "d"]
    assert np.array_equal(char.training_features(groups), shipped.training_features(groups))
    assert np.array_equal(char.features([OFFER, PAST]), shipped.features([OFFER, PAST]))


def test_semantic_nearest_columns_see_other_sets_only_and_skip_the_sentence_itself():
    evidence = sem.variant_class("semonly")(TEXTS, LABELS)
    same_writer = evidence.training_features(["a", "a", "b", "b"])
    other_writer = evidence.training_features(["a", "b", "c", "d"])
    assert same_writer.shape == (4, 3)
    assert same_writer[0, 0] == 0.0  # OFFER_AGAIN, its only other offer, is of its own set
    assert 0.3 < other_writer[0, 0] < 0.99
    again = evidence.features([PAST])[0]
    assert again[1] < 0.99  # PAST itself (cosine 1) is skipped


def test_the_embedding_columns_are_appended_scaled():
    evidence = sem.variant_class("semnear+emb3")(TEXTS, LABELS)
    columns = evidence.features([OFFER])
    assert columns.shape == (1, 3 + 3 + 64)  # character, semantic nearest, the embedding
    assert np.allclose(columns[0, 6:], 3 * bag_of_words([OFFER])[0])
    assert sem.variant_class("pca2x2")(TEXTS, LABELS).features([OFFER]).shape == (1, 3 + 2)
    with pytest.raises(ValueError, match="unknown variant part"):
        sem.variant_class("semnear+glove")


def test_the_sentence_model_trains_and_decides_with_semantic_columns():
    from types import SimpleNamespace

    from needs_tracker.learn import offer_model

    rows = [SimpleNamespace(masked=t, features=f) for t, f in
            zip(TEXTS * 3, ["cue:broad"] * 12, strict=True)]
    model = offer_model.fit(rows, LABELS * 3, groups=[f"set{i % 4}" for i in range(12)],
                            evidence=sem.variant_class("semnear+emb1"))
    assert model.classifier.coef_.shape[1] == len(model.features.get_feature_names_out()) + 3 + 3 + 64
    p = model.probabilities([SimpleNamespace(masked=OFFER.replace("customs", "police"), features="cue:broad")])
    assert p.shape == (1,) and 0.0 < p[0] < 1.0
