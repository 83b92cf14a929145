"""Fit the need model and write it with a manifest of what it was trained on.

Deterministic: fixed seeds, examples in a fixed order, single-threaded solvers, so the same
examples give the same model file (the manifest's date aside).
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..errors import NeedsTrackerError
from .dataset import Example, data_hash
from .model import NeedModel, rows, save

SEED = 1540
FOLDS = 5
MIN_EACH = 2  # needs and other statements each: the calibration needs two folds of both


def _features():
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    return ColumnTransformer([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=20000), 0),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                  max_features=30000), 0),
        ("rules", CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True), 1),
    ])


def _need_classifier(n_positive: int, n_negative: int):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    base = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=3000, random_state=SEED)
    folds = max(2, min(FOLDS, n_positive, n_negative))
    # Calibrated on out-of-fold predictions of one model fitted on everything (ensemble=False):
    # one model to ship, and probabilities that mean what they say.
    return CalibratedClassifierCV(base, method="sigmoid", ensemble=False,
                                  cv=StratifiedKFold(folds, shuffle=True, random_state=SEED))


def weighted_counts(examples: list[Example]) -> tuple[int, int]:
    """(needs, other statements) as ``fit`` counts them: an example of weight w counts w times."""
    counts = [0, 0]
    for ex in examples:
        counts[0 if ex.need else 1] += max(1, round(ex.weight))
    return counts[0], counts[1]


def fit(examples: list[Example]) -> NeedModel:
    """Train both classifiers on the examples. An example of weight w counts w times (repeated,
    which keeps the calibration folds simple). One BLAS thread: on a shared machine a thread
    pool per core makes these small fits a hundred times slower."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit(examples)


def _fit(examples: list[Example]) -> NeedModel:
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    examples = [ex for ex in examples for _ in range(max(1, round(ex.weight)))]
    positives = [ex for ex in examples if ex.need]
    n_pos, n_neg = len(positives), len(examples) - len(positives)
    if n_pos < MIN_EACH or n_neg < MIN_EACH:
        raise NeedsTrackerError(f"too little to train on: {n_pos} needs and {n_neg} other statements")
    # One feature space for both classifiers: half the model file and half the work.
    features = _features().fit(rows([ex.candidate for ex in examples]))
    X = features.transform(rows([ex.candidate for ex in examples]))
    y = np.array([int(ex.need) for ex in examples])
    need = _need_classifier(n_pos, n_neg).fit(X, y)
    cat_rows = [(ex.candidate, cat) for ex in positives for cat in ex.categories]
    labels = np.array([cat for _, cat in cat_rows])
    category = (OneVsRestClassifier(LogisticRegression(C=4.0, solver="liblinear", random_state=SEED))
                if len(set(labels)) > 1 else DummyClassifier(strategy="most_frequent"))  # one: nothing to choose
    category.fit(features.transform(rows([c for c, _ in cat_rows])), labels)
    _drop_stop_words(features)
    return NeedModel(features, need, category)


def _drop_stop_words(obj, seen: set[int] | None = None) -> None:
    """TfidfVectorizer keeps every term it dropped (``stop_words_``), only for introspection;
    with character n-grams that is most of a model file's size. Both attributes are optional."""
    from sklearn.base import BaseEstimator

    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, BaseEstimator):
        for name in ("stop_words_", "_stop_words_id"):  # the second is a memory address: not reproducible
            if hasattr(obj, name):
                delattr(obj, name)
        for value in list(vars(obj).values()):
            _drop_stop_words(value, seen)
    elif isinstance(obj, list | tuple):
        for value in obj:
            _drop_stop_words(value, seen)
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("sklearn."):
        for value in list(vars(obj).values()):
            _drop_stop_words(value, seen)


def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("scikit-learn", "skops", "numpy", "scipy", "spacy")} | {
        "python": platform.python_version()}


def manifest(examples: list[Example], sources: list[str], model: NeedModel) -> dict:
    from .. import __version__

    positives = [ex for ex in examples if ex.need]
    categories: dict[str, int] = {}
    for ex in positives:
        for cat in ex.categories:
            categories[cat] = categories.get(cat, 0) + 1
    documents = sorted({ex.document for ex in examples})
    return {
        "model": "needs-tracker need model",
        "format": 1,
        "needs_tracker_version": __version__,
        "trained_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "sources": sources,
        "documents": len(documents),
        "examples": len(examples),
        "needs": len(positives),
        "not_needs": len(examples) - len(positives),
        "review_decisions": sum(1 for ex in examples if ex.document.startswith("store/")),
        "categories": dict(sorted(categories.items())),
        "data_sha256": data_hash(examples),
        "decides": model.decides,
        "veto_below": model.veto,
        "add_from": model.add,
        "libraries": library_versions(),
    }


def write(model: NeedModel, info: dict, path: Path) -> None:
    """The model file and its JSON manifest beside it (same name, .json)."""
    from .runtime import manifest_path

    save(model, path)
    manifest_path(path).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
