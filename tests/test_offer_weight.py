"""Weighting the real pages' training sentences (``offer_loso --weights``): measured, not shipped.

Under leave-one-set-out no weight (x2, x3, x5, with or without the wide candidates) raised the real
pages, so ``fit`` keeps equal weights by default; these tests keep the measurement honest: the real
sets' and real documents' candidates, and only those, carry the weight, and the weight reaches the fit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from needs_tracker.learn.offer_loso import gather, training, weighted_training
from needs_tracker.learn.offer_model import fit, note_candidates

CORPUS = Path("tests/corpus/assistance")


@pytest.fixture(scope="module")
def data():
    docs = {name: gather(CORPUS / name) for name in ("heldout7", "real2")}
    extra = note_candidates("Japan will provide training to Ghana's customs officers on radiation detection. "
                            "Kazakhstan plans to adopt its new control list.")
    return docs, (extra, [1] + [0] * (len(extra) - 1))


def test_only_the_real_pages_candidates_carry_the_weight(data):
    docs, extra = data
    cands, labels, weights = weighted_training(docs, None, extra, 3.0)
    assert (cands, labels) == training(docs, None, extra)
    invented = sum(len(d.candidates) for d in docs["heldout7"])
    real = sum(len(d.candidates) for d in docs["real2"]) + len(extra[0])
    assert invented and real
    assert weights.count(1.0) == invented and weights.count(3.0) == real
    assert weights[:invented] == [1.0] * invented  # sets in order: heldout7 first
    left_out = weighted_training(docs, "real2", extra, 3.0)[2]
    assert left_out.count(3.0) == len(extra[0])


def test_the_weight_reaches_the_fit(data):
    docs, extra = data
    cands, labels, ones = weighted_training(docs, None, extra, 1.0)
    plain = fit(cands, labels)
    assert np.array_equal(fit(cands, labels, weights=ones).classifier.coef_, plain.classifier.coef_)
    heavy = fit(cands, labels, weights=weighted_training(docs, None, extra, 5.0)[2])
    assert not np.array_equal(heavy.classifier.coef_, plain.classifier.coef_)
    # a heavier subset is fitted at least as closely: its log-loss cannot rise
    n_invented = sum(len(d.candidates) for d in docs["heldout7"])
    real, y = cands[n_invented:], np.array(labels[n_invented:])

    def loss(model):
        p = np.clip(model.probabilities(real), 1e-9, 1 - 1e-9)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    assert loss(heavy) < loss(plain)
