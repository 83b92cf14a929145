"""The offer refiner judged the only honest way the labelled sets allow: leaving one set out.

For each of the labelled sets under ``tests/corpus/assistance``, the sentence model and the refiner
(``learn/offer_refine.py``) are trained on all the other sets and decide that set's candidates
(read once, as ``offer_loso`` does). Each setting of the refiner's thresholds is scored pooled over
invented notes and over real pages apart, on (provider, category) pairs and on providers alone;
thresholds are chosen on those pooled figures, never on one set.

``python -m needs_tracker.learn.offer_refine_loso`` prints the grid's pooled figures and the per-set
table of the shipped settings beside the shipped sentence model alone (``--as-built``: only the sets the
shipped models were built on, ``offer_model.BUILT_WITHOUT`` left out).
"""

from __future__ import annotations

import itertools
import sys

from .offer_loso import SetScore, gather_all, is_real, score, table, training, training_groups
from .offer_model import fit as fit_sentence
from .offer_refine import C_CATEGORY, DROP, JOIN, VETO, LearnedOffers
from .offer_refine import fit as fit_refiner


def pooled(results: dict[str, SetScore], real: bool) -> SetScore:
    out = SetScore()
    for name, s in results.items():
        if is_real(name) == real:
            for part in ("offers", "providers"):
                mine, theirs = getattr(out, part), getattr(s, part)
                mine.tp, mine.fp, mine.fn = mine.tp + theirs.tp, mine.fp + theirs.fp, mine.fn + theirs.fn
            out.taken += s.taken
    return out


def summary(label: str, results: dict[str, SetScore]) -> str:
    cells = []
    for real in (False, True):
        s = pooled(results, real)
        o = s.offers
        cells.append(f"{o.f1:.3f} ({o.tp} {o.fp} {o.fn}) p{s.providers.f1:.3f} t{s.taken}")
    return f"{label:<34}{cells[0]:>34}{cells[1]:>34}"


def models_by_set(data, extra, **refiner_args) -> tuple[dict, dict]:
    """{set: sentence model trained without it}, {set: refiner trained without it}."""
    sentence, refiner = {}, {}
    for name in sorted(data):
        sentence[name] = fit_sentence(*training(data, name, extra), groups=training_groups(data, name, extra))
        refiner[name] = fit_refiner([d for other, docs in data.items() if other != name for d in docs],
                                    **refiner_args)
    return sentence, refiner


def run(data, sentence: dict, refiner: dict, join: float, drop: float, veto: float) -> dict[str, SetScore]:
    out = {}
    for name, docs in data.items():
        r = refiner[name]
        r.join, r.drop, r.veto = join, drop, veto
        out[name] = score(docs, LearnedOffers(sentence[name], r))
    return out


GRID = {"join": (0.7, 2.0), "drop": (0.0, 0.03, 0.05), "veto": (0.0, 0.2)}


def main(argv: list[str] | None = None) -> int:
    args = list(argv or [])
    data, extra = gather_all("--as-built" in args)
    c_values = [float(a.split("=", 1)[1]) for a in args if a.startswith("C=")] or [C_CATEGORY]
    reads = next((a.split("=", 1)[1] for a in args if a.startswith("reads=")), "words")
    header = f"{'setting':<34}{'invented: F1 (tp fp fn) providers':>34}{'real':>34}"
    for c in c_values:
        sentence, refiner = models_by_set(data, extra, c_category=c, category_reads=reads)
        base = {n: score(d, sentence[n]) for n, d in data.items()}
        print(f"C={c} category reads {reads}\n{header}\n{summary('sentence model alone (shipped)', base)}")
        for join, drop, veto in itertools.product(GRID["join"], GRID["drop"], GRID["veto"]):
            print(summary(f"join {join} drop {drop} veto {veto}", run(data, sentence, refiner, join, drop, veto)),
                  flush=True)
        if "--table" in args:
            shipped = run(data, sentence, refiner, JOIN, DROP, VETO)
            print(table({"LOSO sentence model": base, "LOSO + refiner": shipped}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
