"""Saving and loading the learned offer files (``models/offer_model.skops``, ``models/offer_refine.skops``).

Both files are a dict of scikit-learn parts and NumPy arrays written with skops. They were written and
read by two copies of the same code, and neither said what kind of model it held, so one given for the
other passed the format check and failed later, per note, on a missing key (a ``KeyError`` that blamed
the note). Here every file records its ``kind`` beside its format, and loading refuses, in one line
naming the file, a file of the other kind, a missing part or weights that do not match the vocabulary.

The need model (``learn/model.py``) is loaded here too but keeps its own save: its file records no kind
(adding one would change the bytes of a model nobody retrained), so a file without a kind is taken for it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import NeedsTrackerError

FORMAT_VERSION = 1
# what each kind is called in a message
KINDS = {"offer-model": "offer model", "offer-refiner": "offer refiner", "need-model": "need model"}
UNRECORDED = "need-model"  # the kind of a file that records none


def save(kind: str, payload: dict, path: Path) -> None:
    """Write ``payload`` (its ``features`` a fitted ColumnTransformer) as a file of ``kind``, the same
    model always giving the same bytes (``model._canonical``); written to a temporary file and then
    moved, so a crash never leaves half a model."""
    import skops.io as sio

    from .model import _canonical, _vectorizers

    vectorizers = _vectorizers(payload["features"])
    for v in vectorizers.values():
        v.stop_words_ = None  # a set, ordered differently in every process; kept for introspection only
        v.__dict__.pop("_stop_words_id", None)  # a memory address; only saves re-checking stop words
    # (the vocabularies travel as arrays of terms in column order: skops writes a dict entry by entry,
    # which makes loading take seconds)
    vocabularies = {name: np.array(sorted(v.vocabulary_, key=v.vocabulary_.get), dtype=str)
                    for name, v in vectorizers.items()}
    saved = {name: v.__dict__.pop("vocabulary_") for name, v in vectorizers.items()}
    try:
        data = _canonical(sio.dumps({"format": FORMAT_VERSION, "kind": kind, "features": payload["features"],
                                     "vocabularies": vocabularies,
                                     **{k: v for k, v in payload.items() if k != "features"}}))
    finally:
        for name, v in vectorizers.items():
            v.vocabulary_ = saved[name]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load(path: Path, kind: str, required: tuple[str, ...], trusted: list[str] | None = None) -> dict:
    """The payload of a file of ``kind`` holding every key of ``required``, its vectorizers' vocabularies
    re-attached. Anything else is one ``NeedsTrackerError`` naming the file. ``trusted``: the types beyond
    skops's defaults the file may hold (none for the offer files: a file cannot run code)."""
    import skops.io as sio

    from .model import _vectorizers

    path = Path(path)
    name = KINDS[kind]
    try:
        payload = sio.load(path, trusted=list(trusted or []))
    except Exception as exc:  # skops raises many kinds for a damaged, foreign or untrusted file
        raise NeedsTrackerError(f"{path}: not a needs-tracker {name} ({exc.__class__.__name__}: {exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise NeedsTrackerError(f"{path}: not a needs-tracker {name} of format {FORMAT_VERSION}")
    recorded = payload.get("kind", UNRECORDED)
    if recorded != kind:
        if "kind" not in payload:
            raise NeedsTrackerError(f"{path}: not a needs-tracker {name} of this version (it records no kind: "
                                    "a need model, or an offer file saved before kinds were recorded)")
        other = KINDS.get(str(recorded), "model of unknown kind")
        raise NeedsTrackerError(f"{path}: a needs-tracker {other}, not the {name} it is used as")
    missing = [k for k in ("features", *required) if k not in payload]
    if missing:
        raise NeedsTrackerError(f"{path}: not a complete needs-tracker {name} (no {', '.join(missing)})")
    try:
        vectorizers = _vectorizers(payload["features"])
        vocabularies = payload.get("vocabularies", {})
        for vname, v in vectorizers.items():
            v.vocabulary_ = {t: i for i, t in enumerate(vocabularies[vname].tolist())}
    except (KeyError, TypeError, AttributeError) as exc:
        raise NeedsTrackerError(f"{path}: not a complete needs-tracker {name} (its vocabularies do not fit "
                                f"its features: {exc.__class__.__name__}: {exc})") from exc
    return payload


def n_features(payload: dict) -> int:
    """How many columns the file's features give (the width its weights must have)."""
    from .model import _vectorizers

    return sum(len(v.vocabulary_) for v in _vectorizers(payload["features"]).values())


def check_width(path: Path, kind: str, label: str, shape: tuple, expected: tuple) -> None:
    if tuple(shape) != tuple(expected):
        raise NeedsTrackerError(f"{path}: a damaged needs-tracker {KINDS[kind]} ({label} has shape "
                                f"{tuple(shape)}, its vocabulary needs {tuple(expected)})")


def damaged(path: Path, kind: str, exc: Exception) -> NeedsTrackerError:
    """The error for a file whose parts are there but cannot make a model."""
    return NeedsTrackerError(f"{path}: a damaged needs-tracker {KINDS[kind]} ({exc.__class__.__name__}: {exc})")
