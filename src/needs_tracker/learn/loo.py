"""Honest measurement of the learned layer: leave one document out.

For every labelled document, a model is trained on every other document of every set and
scores the one left out, so no document is judged by a model that saw its labels. Each set is
reported twice, rules alone and learned, with the calibration error (ECE) of the left-out
probabilities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..evaluate import Report, document_text, score_document
from ..extract import extract
from .dataset import Example, LabelledSet, document_examples, read_gold
from .train import fit

BINS = 10


@dataclass
class Case:
    labelled: LabelledSet
    entry: dict
    extraction: object  # the rules' Extraction, with its candidates
    examples: list[Example]
    text: str

    @property
    def document(self) -> str:
        return f"{self.labelled.name}/{self.entry['file']}"


@dataclass
class SetResult:
    labelled: LabelledSet
    rules: Report = field(default_factory=Report)
    learned: Report = field(default_factory=Report)


@dataclass
class LooResult:
    sets: list[SetResult]
    probabilities: list[float]  # left-out P(need) of every decided candidate
    outcomes: list[int]  # 1 where it was a need

    def pooled(self, kind: str, which: str) -> Report:
        out = Report()
        for s in self.sets:
            if s.labelled.kind == kind:
                rep = getattr(s, which)
                for name in ("participants", "needs"):
                    a, b = getattr(out, name), getattr(rep, name)
                    a.tp, a.fp, a.fn = a.tp + b.tp, a.fp + b.fp, a.fn + b.fn
                out.documents += rep.documents
                out.dates_right += rep.dates_right
                out.venue_right += rep.venue_right
        return out

    @property
    def ece(self) -> float:
        return expected_calibration_error(self.probabilities, self.outcomes)


def expected_calibration_error(probabilities: list[float], outcomes: list[int], bins: int = BINS) -> float:
    """Mean |accuracy - confidence| over equal-width probability bins, weighted by bin size."""
    p, y = np.asarray(probabilities, dtype=float), np.asarray(outcomes, dtype=float)
    if not len(p):
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() / len(p) * abs(y[inside].mean() - p[inside].mean())
    return float(total)


def load_cases(sets: list[LabelledSet]) -> list[Case]:
    cases = []
    for labelled in sets:
        for entry in read_gold(labelled):
            text = document_text(labelled.docs, entry)
            ex = extract(text, model="rules")
            cases.append(Case(labelled, entry, ex, document_examples(labelled, entry, text), text))
    return cases


def leave_one_out(cases: list[Case], extra: list[Example] | None = None, folds: int | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> LooResult:
    """Rules alone and learned (trained without the document) for every case, per set.

    ``folds``: leave out every n-th document at once instead of one (a quicker look while
    developing; the reported figures use one document at a time)."""
    results = {case.labelled.name: SetResult(case.labelled) for case in cases}
    probabilities: list[float] = []
    outcomes: list[int] = []
    groups = [[c] for c in cases] if not folds else [cases[k::folds] for k in range(folds)]
    for i, group in enumerate(groups):
        left_out = {id(c) for c in group}
        training = [ex for other in cases if id(other) not in left_out for ex in other.examples] + list(extra or [])
        model = fit(training)
        for case in group:
            result = results[case.labelled.name]
            score_document(result.rules, case.entry, case.extraction)
            # the production path: the model decides the candidates, then a register's requests are added
            score_document(result.learned, case.entry, extract(case.text, model=model))
            decided = [ex for ex in case.examples if ex.candidate.proposed and ex.candidate.states]
            probabilities += [float(p) for p in model.need_probabilities([ex.candidate for ex in decided])]
            outcomes += [int(ex.need) for ex in decided]
        if on_progress:
            on_progress(i + 1, len(groups))
    return LooResult(list(results.values()), probabilities, outcomes)


def _prf(report: Report, name: str, counts: bool = False) -> str:
    s = getattr(report, name)
    text = f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}"
    return text + f" ({s.tp}/{s.fp}/{s.fn})" if counts else text


def table(result: LooResult) -> str:
    """A Markdown table: per set, rules alone and learned (leave-one-document-out)."""
    lines = ["| set | docs | states P / R / F1 | needs, rules only P / R / F1 (tp/fp/fn) "
             "| needs, learned (LOO) P / R / F1 (tp/fp/fn) | gold needs |",
             "|---|---|---|---|---|---|"]

    def row(name: str, rules: Report, learned: Report) -> str:
        gold = rules.needs.tp + rules.needs.fn
        return (f"| {name} | {rules.documents} | {_prf(rules, 'participants')} | {_prf(rules, 'needs', True)} "
                f"| {_prf(learned, 'needs', True)} | {gold} |")

    for s in result.sets:
        lines.append(row(f"{s.labelled.name} ({s.labelled.kind})", s.rules, s.learned))
    for kind in ("real", "notes"):
        if any(s.labelled.kind == kind for s in result.sets):
            lines.append(row(f"**pooled {kind}**", result.pooled(kind, "rules"), result.pooled(kind, "learned")))
    lines.append("")
    lines.append(f"calibration error (ECE, {BINS} bins) of the left-out probabilities: {result.ece:.3f} "
                 f"over {len(result.probabilities)} decided statements")
    return "\n".join(lines)
