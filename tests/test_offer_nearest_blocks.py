"""The training columns of the nearest-evidence model (learn/offer_nearest.py) are computed in blocks of rows,
so memory stays bounded as the labelled sentences grow: blocks must give exactly the columns of one whole
n x n comparison (the shipped model files are rebuilt byte for byte)."""

from __future__ import annotations

import numpy as np

from needs_tracker.learn import offer_nearest
from needs_tracker.learn.offer_nearest import NearestEvidence

SENTENCES = [
    "The  PROVIDER  stands ready to train customs officers of  STATE  in the detection of nuclear material.",
    "The  PROVIDER  stands ready to train the border guards of  STATE  in the detection of radioactive material.",
    "The  PROVIDER  funded a workshop for licensing officers of  STATE  in 0000.",
    "Participants thanked the  PROVIDER  for hosting the workshop and for its warm hospitality.",
    "The  PROVIDER  could provide legislative assistance to  STATE  on its export control law.",
    "The  PROVIDER  presented its programme of assistance to the participants.",
    "The  PROVIDER  will organise a national workshop on licensing for  STATE  next year.",
]
LABELS = [1, 1, 0, 0, 1, 0, 1]
GROUPS = ["a", "a", "b", "b", "c", "c", "d"]


def whole_comparison(nearest: NearestEvidence, groups: list[str]) -> np.ndarray:
    """The columns as one n x n comparison (the former computation), to hold the blocks to."""
    similarity = (nearest.matrix @ nearest.matrix.T).toarray()
    g = np.asarray(groups)
    similarity[g[:, None] == g[None, :]] = 0.0
    return nearest._columns(similarity)


def test_training_columns_in_blocks_equal_the_whole_comparison(monkeypatch):
    nearest = NearestEvidence(SENTENCES, LABELS)
    whole = whole_comparison(nearest, GROUPS)
    for chunk in (1, 2, 3, 7, 512):  # (blocks that divide the rows, that do not, and one block)
        monkeypatch.setattr(offer_nearest, "CHUNK", chunk)
        np.testing.assert_array_equal(nearest.training_features(GROUPS), whole)
    assert whole.shape == (7, 3) and (whole[:, 0] > 0).all()


def test_a_block_never_holds_more_than_chunk_rows(monkeypatch):
    """The dense similarity built at once is CHUNK x n, not n x n."""
    nearest = NearestEvidence(SENTENCES, LABELS)
    seen: list[tuple[int, int]] = []
    columns = nearest._columns

    def record(similarity):
        seen.append(similarity.shape)
        return columns(similarity)

    monkeypatch.setattr(nearest, "_columns", record)
    monkeypatch.setattr(offer_nearest, "CHUNK", 3)
    nearest.training_features(GROUPS)
    assert seen == [(3, 7), (3, 7), (1, 7)]
