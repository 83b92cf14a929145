"""The learned decision layer: which candidate statements are needs, and in which categories.

One feature space (TF-IDF of the statement's word and character n-grams, plus the rules'
feature tokens) feeds two classifiers: a calibrated need/no-need classifier whose probability
becomes the need's confidence, and a category classifier. They are saved with skops (no pickle), and loading
accepts only the scikit-learn, NumPy and SciPy types such a model is made of, so a model file
cannot run code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..extract.candidates import Candidate
from ..extract.model import NeedRecord

FORMAT_VERSION = 1
# The model and the rules decide together (measured with `needs-tracker eval --loo`, see the
# README): a statement the rules take for a need stays one unless the model gives it less than
# VETO; a statement the rules pass over becomes one when the model gives it ADD or more, unless an
# exclusion of the rules matched it.
VETO = 0.2
ADD = 0.8
# A model that only gives confidence: the rules' needs exactly, each with its calibrated probability.
CONFIDENCE_ONLY = (0.0, None)
SECOND_CATEGORY = 0.6  # a second category needs this share of the first one's probability


def rows(candidates: list[Candidate]) -> np.ndarray:
    """The (text, features) matrix every pipeline here reads."""
    out = np.empty((len(candidates), 2), dtype=object)
    for i, c in enumerate(candidates):
        out[i] = c.row()
    return out


@dataclass
class NeedModel:
    features: object  # ColumnTransformer: rows -> feature matrix
    need: object  # calibrated classifier: predict_proba(features)[:, 1] is P(need)
    category: object  # classifier over category ids
    manifest: dict = field(default_factory=dict)
    veto: float = VETO
    add: float | None = ADD  # None: the model never adds a need of its own

    @property
    def decides(self) -> bool:
        """False when the model only gives the rules' needs their confidence."""
        return (self.veto, self.add) != CONFIDENCE_ONLY

    def need_probabilities(self, candidates: list[Candidate]) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        if not candidates:
            return np.zeros(0)
        with threadpool_limits(limits=1):  # a few rows: threads only cost time
            return self.need.predict_proba(self.features.transform(rows(candidates)))[:, 1]

    def category_choices(self, candidates: list[Candidate]) -> list[list[str]]:
        """The most likely category, plus a second one when it is nearly as likely."""
        if not candidates:
            return []
        probs = self.category.predict_proba(self.features.transform(rows(candidates)))
        classes = list(self.category.classes_)
        out = []
        for p in probs:
            order = np.argsort(-p, kind="stable")
            chosen = [classes[order[0]]]
            if len(order) > 1 and p[order[1]] >= SECOND_CATEGORY * p[order[0]]:
                chosen.append(classes[order[1]])
            out.append(chosen)
        return out

    def decide(self, candidates: list[Candidate]) -> list[NeedRecord]:
        """Needs for the proposed, attributable candidates, with the calibrated probability as
        their confidence."""
        pool = [c for c in candidates if c.proposed and c.states]
        probs = self.need_probabilities(pool)
        accepted = [(c, p) for c, p in zip(pool, probs, strict=True)
                    if (p >= self.veto if c.rule_needs
                        else self.add is not None and p >= self.add and not c.excluded)]
        categories = self.category_choices([c for c, _ in accepted])
        needs: dict[tuple[str, str, int], NeedRecord] = {}
        for (c, p), cats in zip(accepted, categories, strict=True):
            confidence = round(float(p), 2)
            named = [n for n in c.rule_needs if n.category != "other" or not self.decides]
            if named:  # the rules named the area: their states and categories
                pairs = [(n.state_iso3, n.category, "learned+" + n.rule) for n in named]
            else:
                pairs = [(state, cat, f"learned/{c.attribution}") for state in c.states for cat in cats]
            for state, cat, rule in pairs:
                needs.setdefault((state, cat, c.start),
                                 NeedRecord(state, str(cat), c.text, c.start, c.end, confidence, rule))
        return list(needs.values())


def _vectorizers(features) -> dict[str, object]:
    from sklearn.feature_extraction.text import CountVectorizer  # TfidfVectorizer is one too

    return {name: t for name, t, _ in getattr(features, "transformers_", []) if isinstance(t, CountVectorizer)}


def save(model: NeedModel, path: Path) -> None:
    """Write the model with skops, made byte-for-byte reproducible (see ``_canonical``).

    The vectorizers' vocabularies travel as arrays of terms (in column order) rather than as
    dicts: skops writes a dict entry by entry, which makes loading take seconds."""
    import skops.io as sio

    path.parent.mkdir(parents=True, exist_ok=True)
    vectorizers = _vectorizers(model.features)
    vocabularies = {}
    for name, vec in vectorizers.items():
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        vocabularies[name] = np.array(terms, dtype=str)
    saved = {name: vec.__dict__.pop("vocabulary_") for name, vec in vectorizers.items()}
    try:
        payload = {"format": FORMAT_VERSION, "features": model.features, "vocabularies": vocabularies,
                   "need": model.need, "category": model.category, "veto": model.veto, "add": model.add}
        data = _canonical(sio.dumps(payload))
    finally:
        for name, vec in vectorizers.items():
            vec.vocabulary_ = saved[name]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _canonical(data: bytes) -> bytes:
    """skops names objects and arrays after their memory addresses and stamps the zip with the
    time; renumber them in order of appearance and fix the stamps, so the same model gives the
    same bytes, and compress (the vocabularies are verbose JSON)."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    schema = source.read("schema.json").decode("utf-8")
    numbers: dict[str, str] = {}

    def renumber(m: re.Match) -> str:
        return m.group(1) + numbers.setdefault(m.group(2), str(len(numbers) + 1)) + m.group(3)

    schema = re.sub(r'("__id__": )(\d+)()', renumber, schema)
    schema = re.sub(r'(")(\d+)(\.npy")', renumber, schema)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        entries = [("schema.json", schema.encode("utf-8"))]
        for name in source.namelist():
            if name.endswith(".npy"):
                entries.append((numbers.get(name[:-4], name[:-4]) + ".npy", source.read(name)))
        for name, content in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


# The only types beyond skops's defaults a need model holds; anything else is refused.
TRUSTED_TYPES = [
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
]


def load(path: Path, manifest: dict | None = None) -> NeedModel:
    """Load a model file, refusing any type outside the few a need model is made of, and a file of
    another kind (an offer model) or with a part missing, in one line naming it."""
    from . import skops_file

    path = Path(path)
    payload = skops_file.load(path, "need-model", ("need", "category", "veto", "add"), TRUSTED_TYPES)
    try:
        add = payload["add"]
        return NeedModel(payload["features"], payload["need"], payload["category"], manifest or {},
                         float(payload["veto"]), None if add is None else float(add))
    except (TypeError, ValueError) as exc:
        raise skops_file.damaged(path, "need-model", exc) from exc
