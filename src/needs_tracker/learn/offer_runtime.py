"""Which offer model extraction uses, and how it decides: loaded once per process.

The offer rules propose; the packaged offer model (``models/offer_model.skops``, built by
``python -m needs_tracker.learn.offer_model build``) keeps or drops them sentence by sentence and
takes up sentences that only a broad cue found; the packaged refiner (``models/offer_refine.skops``,
``python -m needs_tracker.learn.offer_refine build``) then re-reads each decided offer's category.
Without a model file the step it holds is skipped (with NEEDS_TRACKER_OFFER_MODEL=rules, or neither
file, the rules decide alone). A file that cannot be read (damaged, of another kind) is skipped the same
way, with ONE warning on stderr per process naming the file and the problem (the result is cached like a
good model, so a batch of N notes prints one line, not N): a refiner that cannot be read leaves the
sentence model to decide (it is an optional second look); a sentence model that cannot be read leaves the
RULES alone to decide, refiner included (the refiner was trained on what the sentence model keeps, and
"the rules alone" is the one fallback a person can reproduce: NEEDS_TRACKER_OFFER_MODEL=rules). Refusing
every note instead would lose the needs, requests and rule offers of a whole batch for one file's fault;
the warning says the offers are the rules' lower-figure ones.
The evaluation swaps models with ``using`` to measure leaving each labelled batch out.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys

from .. import config
from ..errors import NeedsTrackerError
from ..extract.assistance_records import OfferRecord

PACKAGED = config.PACKAGE_DIR / "models" / "offer_model.skops"
REFINER = config.PACKAGE_DIR / "models" / "offer_refine.skops"
ENV = "NEEDS_TRACKER_OFFER_MODEL"
_override: list = []  # a model set by ``using`` (the evaluation), innermost last


@functools.lru_cache(maxsize=1)
def _packaged():
    """The sentence model and the refiner, each when its file exists (loaded once per process; a file that
    cannot be read is warned about once and left out, and that result is cached too: see the module's
    docstring)."""
    sentence = None
    if PACKAGED.exists():
        from .offer_model import load  # scikit-learn is imported only when there is a model

        try:
            sentence = load(PACKAGED)
        except NeedsTrackerError as exc:
            _warn(f"{exc}; offers are found by the rules alone")
            return None
    if REFINER.exists():
        from .offer_refine import LearnedOffers
        from .offer_refine import load as load_refiner

        try:
            return LearnedOffers(sentence, load_refiner(REFINER))
        except NeedsTrackerError as exc:
            _warn(f"{exc}; offers are decided without the refiner")
    return sentence


def _warn(message: str) -> None:
    from tqdm import tqdm  # (written above an ingest's progress bar, not into it)

    tqdm.write(f"needs-tracker: warning: {message}", file=sys.stderr)


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
