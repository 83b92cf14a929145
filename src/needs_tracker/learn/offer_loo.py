"""How well offer finding generalises, measured the only honest ways a few labelled batches allow.

* ``leave_one_batch_out``: for each labelled batch, the offer model is trained on the other
  batches (and the real documents' candidate sentences, nearly all no offers) and scored on it,
  beside the rules alone. The rules were revised on every batch, so their own figure here is not
  a first-sight one; the model's contribution is.
* ``first_sight_replay``: for each batch, the offer rules as they stood when that batch was first
  run (from git history), alone and with the broad cues plus a model trained only on the batches
  written before it. That replays "a new batch arrives" with today's code.

``python -m needs_tracker.learn.offer_model loo`` prints both.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from ..assistance_eval import REAL_DOCS, evaluate_assistance
from ..evaluate import Score
from ..extract.assistance_records import load_assistance_rules, rules_file
from .offer_model import _norm, batches, fit, labelled_candidates, note_candidates
from .offer_runtime import using

REAL_LABELS = Path("tests/corpus/assistance/real_offer_sentences.json")
# The commit at which each batch was first run, and where the offer rules lived then.
FIRST_SIGHT = {
    "heldout": ("76017ad", "data/assistance_rules.toml"),
    "heldout2": ("f182f53", "data/assistance_rules.toml"),
    "heldout3": ("6c9b60b", "data/assistance_rules.toml"),
    "heldout4": ("581b2fb", "data/assistance_rules.toml"),
    "heldout5": ("187080d", "data/assistance_rules.toml"),
    "heldout6": ("f772785", "src/needs_tracker/data/assistance_rules.toml"),
    "heldout7": ("5d546f7", "src/needs_tracker/data/assistance_rules.toml"),
}
ORDER = ["tuning", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7"]


def real_candidates() -> tuple[list, list[int]]:
    """The real documents' candidate sentences, labelled by REAL_LABELS (unsure ones left out)."""
    from ..errors import ReadError
    from ..readers import read_document

    labels = json.loads(REAL_LABELS.read_text(encoding="utf-8")) if REAL_LABELS.exists() else {}
    offers = [_norm(s) for s in labels.get("offers", [])]
    unsure = [_norm(s) for s in labels.get("unsure", [])]
    cands, ys = [], []
    for folder in REAL_DOCS:
        if not Path(folder).is_dir():
            continue
        for path in sorted(p for p in Path(folder).iterdir() if p.is_file()):
            try:
                text = read_document(path).text
            except ReadError:
                continue
            for c in note_candidates(text):
                sentence = _norm(c.sentence.text)
                if any(u in sentence for u in unsure):
                    continue
                cands.append(c)
                ys.append(int(any(o in sentence for o in offers)))
    return cands, ys


def _score(batch: Path, model) -> tuple[Score, int]:
    with using(model):
        report = evaluate_assistance(batch / "labels.json", batch)
    return report.offers, report.not_offers_taken


def _row(name: str, s: Score, taken: int) -> str:
    return f"{name:<12}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}{taken:>6}"


def _pool(scores: list[Score]) -> Score:
    out = Score()
    for s in scores:
        out.tp, out.fp, out.fn = out.tp + s.tp, out.fp + s.fp, out.fn + s.fn
    return out


def leave_one_batch_out() -> str:
    data = {b.name: labelled_candidates(b) for b in batches()}
    real, real_y = real_candidates()
    lines = ["leave one batch out (rules as now; P R F1 tp fp fn not-offers-taken)",
             f"{'batch':<12}{'rules alone':>40}   {'rules + model trained without the batch':>40}"]
    alone, learned = [], []
    for name in sorted(data):
        train = [(c, y) for other, notes in data.items() if other != name
                 for _, cs, ys in notes for c, y in zip(cs, ys, strict=True)]
        train += list(zip(real, real_y, strict=True))
        model = fit([c for c, _ in train], [y for _, y in train])
        batch = Path("tests/corpus/assistance") / name
        a, b = _score(batch, None), _score(batch, model)
        alone.append(a[0])
        learned.append(b[0])
        lines.append(_row(name, *a) + "   " + _row("", *b).strip())
    lines.append(_row("pooled", _pool(alone), 0) + "   " + _row("", _pool(learned), 0).strip())
    return "\n".join(lines)


@contextlib.contextmanager
def _rules_as_of(commit: str, path: str, broad: bool):
    """Extract with the offer rules of an earlier commit (plus today's broad cues)."""
    old = subprocess.run(["git", "show", f"{commit}:{path}"], capture_output=True, text=True, check=True).stdout
    if broad:
        now = rules_file().read_text(encoding="utf-8")
        entries = re.findall(r'\[\[offer_cue\]\]\nphrase = "[^"]*"\nstrength = "broad"\nexample = "[^"]*"\n', now)
        acronyms = re.search(r"\[acronyms\]\n(?:.*\n)*?example = .*\n", now)
        old += "\n" + "\n".join(entries) + ("\n" + acronyms.group(0) if acronyms and "[acronyms]" not in old else "")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "assistance_rules.toml").write_text(old, encoding="utf-8")
        before = os.environ.get("NEEDS_TRACKER_RULES_DIR")
        os.environ["NEEDS_TRACKER_RULES_DIR"] = folder
        load_assistance_rules.cache_clear()
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("NEEDS_TRACKER_RULES_DIR", None)
            else:
                os.environ["NEEDS_TRACKER_RULES_DIR"] = before
            load_assistance_rules.cache_clear()


def first_sight_replay() -> str:
    root = Path("tests/corpus/assistance")
    lines = ["first-sight replay (the rules when the batch was new; P R F1 tp fp fn not-offers-taken)",
             f"{'batch':<12}{'rules then':>40}   {'rules then + broad cues + model of earlier batches':>40}"]
    alone, learned = [], []
    for name, (commit, path) in FIRST_SIGHT.items():
        with _rules_as_of(commit, path, broad=False):
            a = _score(root / name, None)
        with _rules_as_of(commit, path, broad=True):
            earlier = ORDER[:ORDER.index(name)]
            train = [(c, y) for e in earlier for _, cs, ys in labelled_candidates(root / e)
                     for c, y in zip(cs, ys, strict=True)]
            real, real_y = real_candidates()
            train += list(zip(real, real_y, strict=True))
            model = fit([c for c, _ in train], [y for _, y in train])
            b = _score(root / name, model)
        alone.append(a[0])
        learned.append(b[0])
        lines.append(_row(name, *a) + "   " + _row("", *b).strip())
    lines.append(_row("pooled", _pool(alone), 0) + "   " + _row("", _pool(learned), 0).strip())
    return "\n".join(lines)
