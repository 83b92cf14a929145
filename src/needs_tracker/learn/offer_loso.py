"""Leave one labelled set out, fast: the offer model's honest figure per set, real pages apart.

``offer_loo.leave_one_batch_out`` re-reads every document for every model it scores. Here each
labelled set is read once: extraction runs with offer finding recorded (the tables the rules
settle, the candidate sentences, what ``settle_offers`` needs), and every model is then scored by
re-deciding the stored candidates, which gives the same offers ``extract`` would give (the
decision is the only step that depends on the model). That makes it cheap to compare candidate
sets, features and thresholds under leave-one-set-out (LOSO): for each set, a model trained on all
the other sets (and the real documents' labelled sentences) decides that set's candidates.

Only the model is retrained; the rules are today's, revised on every set, so "rules alone" is an
in-sample figure and the model's gain over it is what LOSO measures.

``python -m needs_tracker.learn.offer_loso`` prints the table for the shipped candidates (the sentence
model alone, and with the category refiner of ``learn/offer_refine.py`` as shipped);
``... offer_loso --wide [ADD]`` adds the wider candidate sets of ``extract/offer_wide.py`` (none of
which beat the shipped ones under LOSO: see the README's offers section).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..assistance_eval import provider_key
from ..evaluate import Score
from .offer_model import ADD, _norm, batches, fit


@dataclass
class Doc:
    file: str
    gold: dict
    text: str
    tables: list
    candidates: list
    labels: list[int]
    settle: tuple  # (blocks, sentences, topics) for settle_offers
    needs: list = field(default_factory=list)


def gather(batch: Path) -> list[Doc]:
    """Every labelled document of a set, read once, offer finding recorded."""
    from ..extract import extract
    from ..extract.offers import offer_candidates
    from ..readers import read_document

    recorded: list = []

    def recorder(blocks, sents, roles, topics, text, title):
        tables, cands = offer_candidates(blocks, sents, roles, topics, text, title)
        recorded.append((tables, cands, (blocks, sents, topics)))
        return []

    gold = json.loads((batch / "labels.json").read_text(encoding="utf-8"))
    out: list[Doc] = []
    for entry in gold:
        if "offers" not in entry:
            continue
        text = read_document(batch / entry["file"]).text
        recorded.clear()
        ex = extract(text, offer_finder=recorder)  # (recorded through a parameter: no module state swapped)
        tables, cands, settle = recorded[0] if recorded else ([], [], None)
        evidence = [_norm(o.get("evidence", "")) for o in entry["offers"] if o.get("evidence")]
        labels = [int(any(e and (e in _norm(c.sentence.text) or _norm(c.sentence.text) in e) for e in evidence))
                  for c in cands]
        out.append(Doc(entry["file"], entry, text, tables, cands, labels, settle, list(ex.needs)))
    return out


def offers_of(doc: Doc, model) -> list:
    """The offers ``extract`` gives this document with ``model`` (None: the rules alone)."""
    from ..extract.assistance import _answering_needs
    from ..extract.offers import settle_offers

    if doc.settle is None:
        return []
    decided = ([o for c in doc.candidates for o in c.rule_offers] if model is None
               else model.decide(doc.candidates)) if doc.candidates else []
    blocks, sents, topics = doc.settle
    return _answering_needs(settle_offers(doc.tables + decided, blocks, sents, topics), doc.needs)


@dataclass
class SetScore:
    offers: Score = field(default_factory=Score)
    providers: Score = field(default_factory=Score)
    taken: int = 0
    not_offers: int = 0


def score(docs: list[Doc], model, into: SetScore | None = None) -> SetScore:
    """(provider, category) pairs per document, as ``assistance_eval`` scores them."""
    out = into or SetScore()
    for doc in docs:
        found = offers_of(doc, model)
        gold = {(provider_key(o["provider"]), o["category"]) for o in doc.gold.get("offers", [])}
        got = {(o.provider_iso3 or provider_key(o.provider), o.category) for o in found}
        out.offers.add(got, gold)
        out.providers.add({p for p, _ in got}, {p for p, _ in gold})
        for quote in doc.gold.get("not_offers", []):
            out.not_offers += 1
            at = doc.text.find(quote)
            out.taken += at >= 0 and any(o.start < at + len(quote) and at < o.end for o in found)
    return out


def is_real(name: str) -> bool:
    return name.startswith("real")


def training(data: dict[str, list[Doc]], leave: str | None, extra: tuple[list, list[int]]) -> tuple[list, list[int]]:
    cands = [c for name, docs in data.items() if name != leave for d in docs for c in d.candidates]
    labels = [y for name, docs in data.items() if name != leave for d in docs for y in d.labels]
    return cands + extra[0], labels + extra[1]


class Ceiling:
    """A perfect sentence classifier: every candidate whose sentence holds a labelled offer is taken,
    no other (the rules' offers included). What no model deciding these candidates can beat."""

    def __init__(self, docs: list[Doc]):
        self.truth = {id(c): y for d in docs for c, y in zip(d.candidates, d.labels, strict=True)}

    def decide(self, candidates) -> list:
        return [o for c in candidates if self.truth[id(c)] for o in (c.rule_offers or c.proposals)]


def loso(data: dict[str, list[Doc]], extra: tuple[list, list[int]], add: float = ADD,
         **fit_args) -> dict[str, SetScore]:
    """{set: its score with a model trained on every other set}."""
    out = {}
    for name in sorted(data):
        model = fit(*training(data, name, extra), **fit_args)
        model.add = add
        out[name] = score(data[name], model)
    return out


def table(results: dict[str, dict[str, SetScore]]) -> str:
    """Per set and pooled (real pages, invented notes): F1 (tp fp fn) for each column."""
    cols = list(results)
    lines = [f"{'set':<11}" + "".join(f"{c:>26}" for c in cols)]
    names = sorted(next(iter(results.values())))

    def cell(s: SetScore) -> str:
        o = s.offers
        return f"{o.f1:.3f} ({o.tp} {o.fp} {o.fn}) p{s.providers.f1:.2f}"

    for n in names:
        lines.append(f"{n:<11}" + "".join(f"{cell(results[c][n]):>26}" for c in cols))
    for label, pick in (("POOL real", is_real), ("POOL notes", lambda n: not is_real(n)), ("POOL all", lambda n: True)):
        pooled = []
        for c in cols:
            s = SetScore()
            for n in names:
                if pick(n):
                    r = results[c][n]
                    s.offers.tp += r.offers.tp
                    s.offers.fp += r.offers.fp
                    s.offers.fn += r.offers.fn
                    s.providers.tp += r.providers.tp
                    s.providers.fp += r.providers.fp
                    s.providers.fn += r.providers.fn
                    s.taken += r.taken
            pooled.append(s)
        lines.append(f"{label:<11}" + "".join(f"{cell(s):>26}" for s in pooled))
    return "\n".join(lines)


def gather_all() -> tuple[dict[str, list[Doc]], tuple[list, list[int]]]:
    from .offer_loo import real_candidates

    return {b.name: gather(b) for b in batches()}, real_candidates()


# the candidate sets compared (offer_wide's switches: wide cue, provider from context, frame tokens)
VARIANTS = {"shipped": (False, False, False), "frame tokens": (False, False, True),
            "wide": (True, False, True), "wide+context": (True, True, True)}


def compare(variants: list[str], add: float = ADD) -> str:
    """Rules alone and each candidate set under LOSO, per set and pooled."""
    from ..extract import offer_wide

    saved = (offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME)
    results: dict[str, dict[str, SetScore]] = {}
    try:
        for name in variants:
            offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = VARIANTS[name]
            data, extra = gather_all()
            if not results:
                results["rules alone"] = {n: score(d, None) for n, d in data.items()}
            results[f"LOSO {name}"] = loso(data, extra, add=add)
            if name == "shipped":  # and with the category refiner after it (learn/offer_refine.py), as shipped
                from .offer_refine import LearnedOffers
                from .offer_refine_loso import models_by_set

                sentence, refiner = models_by_set(data, extra)
                for model in sentence.values():
                    model.add = add
                results["LOSO + refiner"] = {n: score(d, LearnedOffers(sentence[n], refiner[n]))
                                             for n, d in data.items()}
            if name in ("shipped", "wide+context"):
                results[f"ceiling {name}"] = {n: score(d, Ceiling(d)) for n, d in data.items()}
    finally:
        offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = saved
    return table(results)


def main(argv: list[str] | None = None) -> int:
    """``offer_loso`` (shipped candidates) or ``offer_loso --wide [ADD]`` (all candidate sets)."""
    args = list(argv or [])
    variants = list(VARIANTS) if "--wide" in args else ["shipped"]
    numbers = [a for a in args if a.replace(".", "", 1).isdigit()]
    print(compare(variants, float(numbers[0]) if numbers else ADD))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
