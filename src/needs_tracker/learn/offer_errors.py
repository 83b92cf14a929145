"""Where offer finding loses pairs, by kind: what a learned step could mend and what it could not.

Five rounds of hand-written rules each raised the sets they read and none moved the next unseen
batch. Before building a learned step, this module says where the leave-one-set-out (LOSO) errors
are, pooled over invented and real sets apart, as counts of (provider, category) pairs:

* the category of a found provider is wrong (a false pair and a missed pair of the same provider);
* an extra category of a found provider (a false pair, nothing missed for it);
* a missed category of a found provider (a missed pair, nothing false for it);
* a spurious provider (its pairs, that provider offering nothing per the labels);
* a missed provider whose offer's sentence was a candidate the rules proposed with that provider
  (not taken), a candidate with other providers only (attribution), or never a candidate at all.

``python -m needs_tracker.learn.offer_errors [--as-built]`` prints the table under LOSO, sentence model
alone and with the refiner (``learn/offer_refine.py``); ``--as-built``: only the sets the shipped models
were built on (``offer_model.BUILT_WITHOUT`` left out).
"""

from __future__ import annotations

import sys
from collections import Counter

from ..assistance_eval import provider_key
from .offer_loso import Doc, is_real, offers_of
from .offer_model import _norm, overlaps, provider_of

KINDS = ("category wrong", "category extra", "category missed", "provider spurious",
         "provider missed: proposed, not taken", "provider missed: other provider proposed",
         "provider missed: never a candidate")


def doc_errors(doc: Doc, found: list) -> Counter:
    """The lost pairs of one document by kind (counts of pairs)."""
    gold: dict[str, set[str]] = {}
    for o in doc.gold.get("offers", []):
        gold.setdefault(provider_key(o["provider"]), set()).add(o["category"])
    got: dict[str, set[str]] = {}
    for o in found:
        got.setdefault(provider_of(o), set()).add(o.category)
    out: Counter = Counter()
    for p, cats in got.items():
        if p not in gold:
            out["provider spurious"] += len(cats)
            continue
        extra, missed = len(cats - gold[p]), len(gold[p] - cats)
        out["category wrong"] += min(extra, missed)
        out["category extra"] += extra - min(extra, missed)
        out["category missed"] += missed - min(extra, missed)
    for p, cats in gold.items():
        if p in got:
            continue
        evidence = [_norm(o.get("evidence", "")) for o in doc.gold["offers"]
                    if provider_key(o["provider"]) == p and o.get("evidence")]
        at = [c for c in doc.candidates if any(overlaps(e, _norm(c.sentence.text)) for e in evidence)]
        if any(provider_of(o) == p for c in at for o in c.rule_offers + c.proposals):
            out["provider missed: proposed, not taken"] += len(cats)
        elif at:
            out["provider missed: other provider proposed"] += len(cats)
        else:
            out["provider missed: never a candidate"] += len(cats)
    return out


def breakdown(data: dict[str, list[Doc]], models: dict[str, object]) -> dict[str, Counter]:
    """{"invented"/"real": Counter of kinds}, each set decided by ``models[set]`` (None: rules)."""
    out = {"invented": Counter(), "real": Counter()}
    for name, docs in data.items():
        for doc in docs:
            out["real" if is_real(name) else "invented"] += doc_errors(doc, offers_of(doc, models.get(name)))
    return out


def table(columns: dict[str, dict[str, Counter]]) -> str:
    """One row per kind; for each column (a decision), invented and real counts."""
    lines = [f"{'kind of lost pair':<44}" + "".join(f"{name[:26]:>28}" for name in columns),
             f"{'':<44}" + "".join(f"{'invented':>14}{'real':>14}" for _ in columns)]
    for kind in KINDS:
        lines.append(f"{kind:<44}" + "".join(f"{c['invented'][kind]:>14}{c['real'][kind]:>14}"
                                             for c in columns.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The breakdown for the rules alone, and under LOSO for the sentence model alone and with the refiner."""
    from .offer_loso import gather_all
    from .offer_refine import LearnedOffers
    from .offer_refine_loso import models_by_set

    data, extra = gather_all("--as-built" in (sys.argv[1:] if argv is None else argv))
    sentence, refiner = models_by_set(data, extra)
    with_refiner = {n: LearnedOffers(sentence[n], refiner[n]) for n in data}
    print(table({"rules alone (in-sample)": breakdown(data, {}), "sentence model (LOSO)": breakdown(data, sentence),
                 "+ refiner (LOSO)": breakdown(data, with_refiner)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
