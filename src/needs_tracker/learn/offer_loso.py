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
which beat the shipped ones under LOSO: see the README's offers section). ``... --sweep [VARIANT,...]
[ADD ...] [wide=ADD ...]`` prints only the pooled figures of each candidate set at each threshold,
decided as shipped (sentence model then refiner) and by the sentence model alone; ``... --wide-alone
[VARIANT] [THRESHOLD ...]`` adds a variant's wide candidates alone to the shipped decision, to tell
what they find from what a model trained beside them changes elsewhere. ``... --weights [VARIANT,...]
W1,W2,... [ADD ...]`` weights the real pages' training sentences W times an invented note's: on 56 sets
(x2, x3, x5; shipped and wide candidates, ADD 0.5-0.6) no weight raised the real pages, and the real
wide candidates that hold an offer got lower probabilities, not higher (median 0.11 at x1, 0.06 at
x10): on the real pages themselves 469 of 526 wide candidates are not offers, so the weight teaches
the model that a wide candidate is rarely one; what is missing is features that tell them apart
(their ranking, ROC AUC 0.64-0.66, does not move with the weight).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..assistance_eval import provider_key
from ..evaluate import Score
from .offer_model import ADD, _norm, batches, fit, in_order, overlaps, provider_of


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
        labels = [int(any(overlaps(e, _norm(c.sentence.text)) for e in evidence))
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
        got = {(provider_of(o), o.category) for o in found}
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


def training_groups(data: dict[str, list[Doc]], leave: str | None, extra: tuple[list, list[int]]) -> list[str]:
    """The labelled set of each candidate ``training`` returns (for the nearest-evidence columns)."""
    from .offer_model import REAL_SENTENCES

    return ([name for name, docs in data.items() if name != leave for d in docs for _ in d.candidates]
            + [REAL_SENTENCES] * len(extra[0]))


def weighted_training(data: dict[str, list[Doc]], leave: str | None, extra: tuple[list, list[int]],
                      real_weight: float) -> tuple[list, list[int], list[float]]:
    """``training`` with a weight per candidate: ``real_weight`` for the real pages' (the real sets' and
    the real documents' labelled sentences, ``extra``), 1 for the invented notes'."""
    names = [name for name in data if name != leave]
    cands = [c for name in names for d in data[name] for c in d.candidates] + extra[0]
    labels = [y for name in names for d in data[name] for y in d.labels] + extra[1]
    weights = [real_weight if is_real(name) else 1.0 for name in names for d in data[name] for _ in d.candidates]
    return cands, labels, weights + [real_weight] * len(extra[0])


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
        model = fit(*training(data, name, extra), groups=training_groups(data, name, extra), **fit_args)
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


def loso_sets(as_built: bool = False, root: Path | None = None) -> list[Path]:
    """The labelled sets LOSO reads: all of them, or (``as_built``) only those the shipped models were built
    on, ``offer_model.BUILT_WITHOUT`` left out, so the README's figures of that build can be re-run exactly."""
    from .offer_model import BATCHES, training_batches

    return training_batches(root or BATCHES) if as_built else batches(root or BATCHES)


def gather_all(as_built: bool = False, root: Path | None = None) -> tuple[dict[str, list[Doc]], tuple[list, list[int]]]:
    """Every labelled set of ``loso_sets`` read once, and the real documents' labelled sentences."""
    from .offer_loo import real_candidates

    return {b.name: gather(b) for b in loso_sets(as_built, root)}, real_candidates()


# the candidate sets compared (offer_wide's switches: wide cue, provider from context, frame tokens)
VARIANTS = {"shipped": (False, False, False), "frame tokens": (False, False, True),
            "wide": (True, False, True), "wide+context": (True, True, True),
            "wide no frame": (True, False, False), "wide+context no frame": (True, True, False)}


def is_wide(candidate) -> bool:
    """Proposed only by a wide cue (``extract/offer_wide.py``): its proposals' rules end with that cue."""
    from ..extract.offer_wide import WIDE_CUE

    return bool(candidate.proposals) and all(o.rule.endswith("/" + WIDE_CUE) for o in candidate.proposals)


class StricterWide:
    """A sentence model whose wide candidates need ``add_wide`` (above its ``add``) to be taken: does a
    stricter bar let the wide candidates add real offers without the invented notes' false ones?"""

    def __init__(self, model, add_wide: float | None):
        self.model, self.add_wide = model, add_wide

    def per_candidate(self, candidates) -> list[list]:
        per = self.model.per_candidate(candidates)
        if self.add_wide is None:
            return per
        wide = [c for c in candidates if not c.rule_offers and is_wide(c)]
        p = dict(zip(map(id, wide), self.model.probabilities(wide), strict=True))
        return [[] if id(c) in p and p[id(c)] < self.add_wide else offers
                for c, offers in zip(candidates, per, strict=True)]

    def decide(self, candidates) -> list:
        return in_order(candidates, self.per_candidate(candidates))


def _variant(name: str, as_built: bool = False):
    """Every set read once with the candidates of one variant (offer_wide's switches restored after)."""
    from ..extract import offer_wide

    saved = (offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME)
    try:
        offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = VARIANTS[name]
        return gather_all(as_built)
    finally:
        offer_wide.WIDE, offer_wide.CONTEXT, offer_wide.FRAME = saved


def compare(variants: list[str], add: float = ADD, as_built: bool = False) -> str:
    """Rules alone and each candidate set under LOSO, per set and pooled."""
    results: dict[str, dict[str, SetScore]] = {}
    for name in variants:
        data, extra = _variant(name, as_built)
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
    return table(results)


def sweep(variants: list[str], adds: list[float], wide_adds: tuple[float, ...] = (), as_built: bool = False) -> str:
    """Pooled LOSO figures of each candidate set at each ADD, decided as shipped (sentence model, then
    the category refiner, both trained without the set left out) and by the sentence model alone:
    (provider, category) F1 (tp fp fn), providers alone, not-offers taken; invented notes and real
    pages apart. Each variant's sets are read once and its models fitted once per set."""
    from .offer_refine import LearnedOffers
    from .offer_refine_loso import models_by_set, summary

    lines = [f"{'candidates / decision / ADD':<34}{'invented: F1 (tp fp fn) providers':>34}{'real':>34}"]
    for name in variants:
        data, extra = _variant(name, as_built)
        sentence, refiner = models_by_set(data, extra)
        ceiling = {n: score(d, Ceiling(d)) for n, d in data.items()}
        lines.append(summary(f"{name}: ceiling", ceiling))
        settings = [(add, None) for add in adds]
        if VARIANTS[name][0]:  # wide candidates: also their own, stricter threshold
            settings += [(add, wide) for add in adds for wide in wide_adds]
        for add, wide in settings:
            for model in sentence.values():
                model.add = add
            label = f"{add}" + (f" wide {wide}" if wide is not None else "")
            alone = {n: score(d, StricterWide(sentence[n], wide)) for n, d in data.items()}
            both = {n: score(d, LearnedOffers(StricterWide(sentence[n], wide), refiner[n])) for n, d in data.items()}
            lines.append(summary(f"{name}: model {label}", alone))
            lines.append(summary(f"{name}: model+refiner {label}", both))
        print("\n".join(lines[-1 - 2 * len(settings):]), flush=True)
    return "\n".join(lines)


def weight_sweep(variants: list[str], real_weights: list[float], adds: list[float], as_built: bool = False) -> str:
    """Pooled LOSO figures with the real pages' training candidates weighted ``real_weight`` times an
    invented note's, for each candidate set and ADD, decided as shipped (sentence model, then the
    category refiner, which the weight does not touch) and by the sentence model alone."""
    from .offer_refine import LearnedOffers
    from .offer_refine import fit as fit_refiner
    from .offer_refine_loso import summary

    lines = [f"{'candidates / weight / decision / ADD':<34}{'invented: F1 (tp fp fn) providers':>34}{'real':>34}"]
    for name in variants:
        data, extra = _variant(name, as_built)
        refiner = {n: fit_refiner([d for other, docs in data.items() if other != n for d in docs]) for n in data}
        for w in real_weights:
            sentence = {}
            for n in sorted(data):
                cands, labels, weights = weighted_training(data, n, extra, w)
                sentence[n] = fit(cands, labels, weights=None if w == 1 else weights,
                                  groups=training_groups(data, n, extra))
            for add in adds:
                for model in sentence.values():
                    model.add = add
                alone = {n: score(d, sentence[n]) for n, d in data.items()}
                both = {n: score(d, LearnedOffers(sentence[n], refiner[n])) for n, d in data.items()}
                lines.append(summary(f"{name} x{w:g}: model {add}", alone))
                lines.append(summary(f"{name} x{w:g}: model+refiner {add}", both))
                print("\n".join(lines[-2:]), flush=True)
    return "\n".join(lines)


class Fixed:
    """A decision made beforehand: ``score`` settles and scores these offers."""

    def __init__(self, offers: list):
        self.offers = offers

    def decide(self, candidates) -> list:
        return self.offers


def wide_alone(variant: str, thresholds: list[float], as_built: bool = False) -> str:
    """What the wide candidates add by themselves: the shipped decision (sentence model and refiner of
    the shipped candidates, trained without the set) on the shipped candidates, plus the wide candidates
    of ``variant`` that its own model (trained without the set) gives ``threshold`` or more, their
    categories refined as shipped. Separates the wide candidates' own offers from the change a model
    trained beside them makes to the ordinary candidates."""
    from .offer_refine import LearnedOffers
    from .offer_refine_loso import models_by_set, summary

    ship, ship_extra = _variant("shipped", as_built)
    wide, wide_extra = _variant(variant, as_built)
    s_sentence, s_refiner = models_by_set(ship, ship_extra)
    w_sentence, _ = models_by_set(wide, wide_extra)
    lines = [summary("shipped", {n: score(d, LearnedOffers(s_sentence[n], s_refiner[n])) for n, d in ship.items()})]
    for t in thresholds:
        out = {}
        for n in sorted(ship):
            out[n] = SetScore()
            for ds, dw in zip(ship[n], wide[n], strict=True):
                base = LearnedOffers(s_sentence[n], s_refiner[n]).decide(ds.candidates) if ds.candidates else []
                cands = [c for c in dw.candidates if not c.rule_offers and is_wide(c)]
                probability = w_sentence[n].probabilities(cands)
                taken = [c for c, p in zip(cands, probability, strict=True) if p >= t]
                per = s_refiner[n].refine(taken, [list(c.proposals) for c in taken]) if taken else []
                score([dw], Fixed(base + [o for offers in per for o in offers]), out[n])
        lines.append(summary(f"shipped + {variant} candidates >= {t}", out))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``offer_loso`` (shipped candidates) or ``offer_loso --wide [ADD]`` (all candidate sets), or
    ``offer_loso --sweep [VARIANT,...] [ADD ...] [wide=ADD_WIDE ...]`` (pooled figures, decided as
    shipped, per threshold; wide=: a wide candidate's own threshold), or ``offer_loso --wide-alone
    [VARIANT] [THRESHOLD ...]`` (the shipped decision plus the variant's wide candidates alone). Each takes
    ``--as-built``: only the sets the shipped models were built on (``offer_model.BUILT_WITHOUT`` left out)."""
    args = list(argv or [])
    as_built = "--as-built" in args
    numbers = [float(a) for a in args if a.replace(".", "", 1).isdigit()]
    if "--wide-alone" in args:
        variant = next((a for a in args if a in VARIANTS), "wide+context")
        print(wide_alone(variant, numbers or [ADD], as_built))
        return 0
    if "--weights" in args:  # --weights [VARIANT,...] W1,W2,... [ADD ...]: real pages weighted
        spec = args[args.index("--weights") + 1:]
        named = [v for a in spec if a.split(",")[0] in VARIANTS for v in a.split(",")] or ["shipped"]
        ws = next((a for a in spec if "," in a and a.split(",")[0] not in VARIANTS), "1,2,3,5")
        adds = [float(a) for a in spec if a.replace(".", "", 1).isdigit()] or [ADD]
        print(weight_sweep(named, [float(w) for w in ws.split(",")], adds, as_built))
        return 0
    if "--sweep" in args:
        named = [a for a in args if not a.startswith(("--", "wide=")) and not a.replace(".", "", 1).isdigit()]
        variants = [v for a in named for v in a.split(",")] or list(VARIANTS)
        wide = tuple(float(a.split("=", 1)[1]) for a in args if a.startswith("wide="))
        print(sweep(variants, numbers or [ADD], wide, as_built))
        return 0
    variants = list(VARIANTS) if "--wide" in args else ["shipped"]
    print(compare(variants, numbers[0] if numbers else ADD, as_built))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
