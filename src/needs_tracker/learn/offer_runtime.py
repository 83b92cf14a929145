"""Which offer model extraction uses, and how it decides: loaded once per process.

The offer rules propose; the packaged offer model (``models/offer_model.skops``, built by
``python -m needs_tracker.learn.offer_model build``) keeps or drops them sentence by sentence and
takes up sentences that only a broad cue found; the packaged refiner (``models/offer_refine.skops``,
``python -m needs_tracker.learn.offer_refine build``) then re-reads each decided offer's category.
Without a model file the step it holds is skipped (with NEEDS_TRACKER_OFFER_MODEL=rules, or neither
file, the rules decide alone). The evaluation swaps models with ``using`` to measure leaving each
labelled batch out.
"""

from __future__ import annotations

import contextlib
import functools
import os

from .. import config
from ..extract.assistance_records import OfferRecord

PACKAGED = config.PACKAGE_DIR / "models" / "offer_model.skops"
REFINER = config.PACKAGE_DIR / "models" / "offer_refine.skops"
ENV = "NEEDS_TRACKER_OFFER_MODEL"
_override: list = []  # a model set by ``using`` (the evaluation), innermost last


@functools.lru_cache(maxsize=1)
def _packaged():
    """The sentence model and the refiner, each when its file exists (loaded once per process)."""
    sentence = None
    if PACKAGED.exists():
        from .offer_model import load  # scikit-learn is imported only when there is a model

        sentence = load(PACKAGED)
    if REFINER.exists():
        from .offer_refine import LearnedOffers
        from .offer_refine import load as load_refiner

        return LearnedOffers(sentence, load_refiner(REFINER))
    return sentence


def current():
    """The model in force: one set by ``using``, else none when NEEDS_TRACKER_OFFER_MODEL=rules,
    else the packaged one (None when there is none)."""
    if _override:
        return _override[-1]
    if os.environ.get(ENV, "").strip().lower() == "rules":
        return None
    return _packaged()


@contextlib.contextmanager
def using(model):
    """Extract with ``model`` (None: the rules alone) inside the block."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()


def decide(candidates) -> list[OfferRecord]:
    """The offers of the candidate sentences: the rules' when there is no model, else the
    model's choice (see ``OfferModel.decide``)."""
    if not candidates:
        return []
    model = current()
    if model is None:
        return [o for c in candidates for o in c.rule_offers]
    return model.decide(candidates)
