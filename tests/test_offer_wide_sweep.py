"""The measurement of the wider offer candidates under leave-one-set-out (``offer_loso --sweep`` and
``--wide-alone``): a wide candidate is told apart from a cue's, a stricter bar for wide candidates
drops only them, and a decision made beforehand is scored as ``extract`` would settle it.

The switches stay off in the product (re-measured on 53 sets: no setting raised real pages by 0.02
without costing invented notes many pairs; see ``extract/offer_wide.py``).
"""

from __future__ import annotations

import copy

import pytest

from needs_tracker.extract import offer_wide
from needs_tracker.learn.offer_loso import VARIANTS, Fixed, StricterWide, is_wide
from needs_tracker.learn.offer_runtime import _packaged
from test_offer_loso import _candidates  # a note's candidate sentences, as extract sees them

NOTE = ("Workshop on export controls\n\nJapan announced a new programme for Ghana's customs.\n\n"
        "The project trains forty customs officers in the detection of radioactive material.\n"
        "Norway will provide training on licensing to Chad.\n")


@pytest.fixture
def wide_on():
    saved = (offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME)
    offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = VARIANTS["wide+context"]
    yield
    offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = saved


def _by_start(candidates) -> dict[str, object]:
    return {c.sentence.text.split()[0]: c for c in candidates}


def test_only_a_sentence_without_an_offer_cue_is_a_wide_candidate(wide_on):
    cands = _by_start(_candidates(NOTE))
    assert set(cands) == {"Japan", "The", "Norway"}
    assert is_wide(cands["The"])
    assert not is_wide(cands["Japan"])  # a broad cue ("announced"), not a wide one
    assert not is_wide(cands["Norway"])


def test_a_stricter_bar_for_wide_candidates_drops_only_them(wide_on):
    model = copy.copy(_packaged().sentence)  # (the packaged model is shared: not changed in place)
    model.add = 0.3
    cands = _candidates(NOTE)
    probability = dict(zip((c.sentence.text.split()[0] for c in cands), model.probabilities(cands), strict=True))
    assert model.add <= probability["The"] < 0.9  # taken at the model's own bar, not at 0.9

    def providers(decider) -> list[set[str]]:
        return [{o.provider_iso3 for o in offers} for offers in decider.per_candidate(cands)]

    assert providers(StricterWide(model, None)) == providers(model) == [{"JPN"}, {"JPN"}, {"NOR"}]
    assert providers(StricterWide(model, 0.9)) == [{"JPN"}, set(), {"NOR"}]
    assert [o.provider_iso3 for o in StricterWide(model, 0.9).decide(cands)] == ["NOR", "JPN"]  # rules' first


def test_a_decision_made_beforehand_is_returned_as_it_is():
    records = [o for c in _candidates(NOTE) for o in c.rule_offers]
    assert [o.provider_iso3 for o in records] == ["NOR"]
    assert Fixed(records).decide([]) is records
