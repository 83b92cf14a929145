"""Nearest labelled evidence: how like the closest labelled offer, and the closest labelled not-offer, a
candidate sentence reads. Three more columns for the sentence offer model (``learn/offer_model.py``).

The sentence model's word n-grams learn the words of the writers it has seen: under leave-one-set-out
(LOSO) it fits the labelled sets at 0.93 while each new writer's batch scores 0.70-0.87 at first sight.
A new writer's offer rarely repeats a seen writer's word pairs, but it usually shares most of its
character n-grams (word pieces, inflections, "stand ready"/"stands ready", "organise"/"organize") with SOME
labelled offer. So each candidate gets the TF-IDF cosine (``char_wb`` 3-5 grams over the masked sentence)
to its nearest labelled offer sentence, to its nearest labelled not-offer sentence, and the difference.

For the training sentences the nearest is looked for only in the OTHER labelled sets (``groups``): a
sentence's own set, one writer's, would give it a near twin, and the classifier would learn to trust the
columns far more than they deserve on a new writer. Measured under LOSO on 60 sets, with the refiner, at
VETO 0.03 against the words and rule tokens alone (README, offers section): invented notes 0.940 -> 0.942
pooled (providers 0.978 -> 0.981), real pages 0.429 -> 0.431 (providers 0.564 -> 0.570); before round 15's
rules 0.919 -> 0.920 and 0.429 -> 0.433. Small: under LOSO the sentence decision is already within a few
pairs of a perfect choice among its candidates (see ``offer_loso``'s ceiling).

The model file keeps the labelled masked sentences and their labels (about 190 KB), not the TF-IDF
matrix (1.8 MB): the vectorizer is refitted on them when the file is loaded (deterministic, ~0.5 s, once
per process).
"""

from __future__ import annotations

import numpy as np

NGRAMS = (3, 5)
# A labelled sentence at this cosine or above is the very sentence being read (a labelled note extracted
# again), not a neighbour: it is skipped, as a training sentence's own set is (``training_features``).
# Otherwise the model recites its training labels, and those are sentence-level approximations: a list's
# lead "Canada could provide the following types of assistance:" is labelled no offer (its items are the
# offers), and recited it vetoed the items' offers on the labelled real pages.
SAME = 0.99
# Sentences compared at once: a note of 50,000 offer sentences would otherwise need a dense 50,000 x 1,500
# similarity matrix (600 MB); 512 rows take 6 MB. The training columns too: n x n labelled sentences is 19 MB
# now and would be 800 MB at 10,000; 512 rows of 10,000 take 41 MB. (Each row of a sparse product is summed
# alone, in the same order, so blocks give the very same columns, and the shipped model files the same bytes.)
CHUNK = 512


class NearestEvidence:
    """The labelled sentences (masked) and their labels (1: the sentence holds a labelled offer)."""

    def __init__(self, texts: list[str], labels):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.texts = [str(t) for t in texts]
        self.labels = np.asarray(labels, dtype=np.int8)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, min_df=2)
        self.matrix = self.vectorizer.fit_transform(self.texts).tocsr()

    def _columns(self, similarity: np.ndarray) -> np.ndarray:
        """(nearest offer, nearest not-offer, their difference) per row of a rows x labelled similarity."""
        def nearest(mask: np.ndarray) -> np.ndarray:
            part = similarity[:, mask]
            return part.max(axis=1) if part.shape[1] else np.zeros(len(similarity))

        offer, other = nearest(self.labels == 1), nearest(self.labels == 0)
        return np.column_stack([offer, other, offer - other])

    def features(self, texts: list[str]) -> np.ndarray:
        """The three columns for new sentences (at extraction: a note's candidates)."""
        if not texts:
            return np.zeros((0, 3))
        x = self.vectorizer.transform(texts)
        parts = []
        for start in range(0, x.shape[0], CHUNK):  # (a dense block per CHUNK rows: memory stays flat)
            similarity = (x[start:start + CHUNK] @ self.matrix.T).toarray()
            similarity[similarity >= SAME] = 0.0
            parts.append(self._columns(similarity))
        return np.vstack(parts)

    def training_features(self, groups: list[str]) -> np.ndarray:
        """The three columns for the labelled sentences themselves, each compared only with the sentences of
        other groups (labelled sets)."""
        g = np.asarray(groups)
        parts = []
        for start in range(0, self.matrix.shape[0], CHUNK):  # (a dense block per CHUNK rows, as in features)
            rows = slice(start, start + CHUNK)
            similarity = (self.matrix[rows] @ self.matrix.T).toarray()
            similarity[g[rows, None] == g[None, :]] = 0.0
            parts.append(self._columns(similarity))
        return np.vstack(parts)
