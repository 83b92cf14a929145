"""Training examples for the need model: labelled documents and people's review decisions.

A labelled document gives one example per candidate statement (see
``extract.candidates``): a statement overlapping a gold evidence quote is a need with that
quote's categories; any other proposed statement is not. A store gives the same from its review
decisions: confirmed, corrected and manual rows are needs with their category, rejected rows
are not; statements nobody decided on are left out. Decisions weigh more than one labelled
example, so a few of them visibly move the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import NeedsTrackerError, ReadError
from ..evaluate import find_quote
from ..extract import extract
from ..extract.candidates import Candidate
from ..readers import read_document
from ..states import state_index

DECISION_WEIGHT = 3.0


@dataclass(frozen=True)
class LabelledSet:
    name: str
    gold: Path
    docs: Path
    kind: str  # "notes" (information-note style) or "real" (documents written by others)


@dataclass(frozen=True)
class Example:
    document: str  # "set/file" or "store/<sha256>": the unit left out in leave-one-document-out
    candidate: Candidate
    need: bool
    categories: tuple[str, ...]
    weight: float = 1.0


def labelled_sets(shared: Path | None = None, repo_corpus: Path | None = None) -> list[LabelledSet]:
    """Every labelled set present: ../shared's and the checkout's tests/corpus/** (an installed
    package has neither, and trains on a store's decisions alone)."""
    checkout = config.checkout_dir()
    if checkout is None and (shared is None or repo_corpus is None):
        return []
    shared = checkout.parent / "shared" if shared is None else shared
    repo_corpus = checkout / "tests" / "corpus" if repo_corpus is None else repo_corpus
    found = []
    for name, gold, docs, kind in (
            ("seeds", shared / "seeds" / "gold.json", shared / "seeds", "notes"),
            ("corpus/docs", shared / "corpus" / "gold.json", shared / "corpus" / "docs", "real"),
            ("more-real", shared / "corpus" / "more-real" / "gold.json", shared / "corpus" / "more-real" / "docs",
             "real"),
            ("synthetic", shared / "corpus" / "synthetic" / "gold.json", shared / "corpus" / "synthetic" / "notes",
             "notes")):
        if gold.exists() and docs.is_dir():
            found.append(LabelledSet(name, gold, docs, kind))
    for gold in sorted(repo_corpus.glob("**/gold.json")) if repo_corpus.is_dir() else []:
        docs = gold.parent / "docs" if (gold.parent / "docs").is_dir() else gold.parent
        rel = gold.parent.relative_to(repo_corpus).as_posix()
        found.append(LabelledSet(f"tests/corpus/{rel}", gold, docs, "real" if rel.startswith("real") else "notes"))
    return found


def read_gold(labelled: LabelledSet) -> list[dict]:
    from ..gold_file import read_gold_json

    return read_gold_json(labelled.gold)


def _overlaps(c: Candidate, span: tuple[int, int]) -> bool:
    inter = min(c.end, span[1]) - max(c.start, span[0])
    return inter > 0 and inter >= 0.5 * min(c.end - c.start, span[1] - span[0])


def _iso3(name: str) -> str:
    idx = state_index()
    state = idx.resolve(name) or idx.get(name.upper())
    return state.iso3 if state else name


def label_candidates(document: str, candidates: list[Candidate], quotes: list[tuple[tuple[int, int], str, str]],
                     rejected: list[tuple[int, int]] = (), weight: float = 1.0,
                     decided_only: bool = False) -> list[Example]:
    """Examples from one document. ``quotes``: (span, state iso3 or ALL_PARTICIPANTS, category) of
    every need; ``rejected``: spans people said are not needs. With ``decided_only``, statements
    neither list touches are left out (a store's undecided rows say nothing)."""
    out = []
    for c in candidates:
        hits = [(state, cat) for span, state, cat in quotes if _overlaps(c, span)]
        if hits:
            mine = [cat for state, cat in hits if state == "ALL_PARTICIPANTS" or state in c.states]
            cats = tuple(sorted(set(mine or [cat for _, cat in hits])))
            out.append(Example(document, c, True, cats, weight))
        elif any(_overlaps(c, span) for span in rejected):
            out.append(Example(document, c, False, (), weight))
        elif not decided_only and c.proposed and c.states:
            out.append(Example(document, c, False, (), weight))
    return out


def document_examples(labelled: LabelledSet, entry: dict, text: str | None = None) -> list[Example]:
    """Examples from one labelled document (extracted with the rules alone)."""
    if text is None:
        try:
            text = read_document(labelled.docs / entry["file"]).text
        except ReadError as exc:
            raise NeedsTrackerError(str(exc)) from exc
    candidates = extract(text, model="rules").candidates
    quotes = []
    for need in entry.get("needs", []):
        span = find_quote(text, need.get("evidence", ""))
        if span is not None:
            state = need["state"] if need["state"] == "ALL_PARTICIPANTS" else _iso3(need["state"])
            quotes.append((span, state, need["category"]))
    return label_candidates(f"{labelled.name}/{entry['file']}", candidates, quotes)


def labelled_examples(sets: Iterable[LabelledSet]) -> list[Example]:
    return [ex for s in sets for entry in read_gold(s) for ex in document_examples(s, entry)]


def store_examples(location: str | None) -> list[Example]:
    """Examples from the review decisions in a store."""
    from ..store import connect
    from ..store.training import POSITIVE, review_decisions

    with connect(location) as con:
        rows = review_decisions(con)
    by_doc: dict[str, tuple[str, list, list]] = {}
    for doc_id, text, state, category, _evidence, start, end, status in rows:
        _, quotes, rejected = by_doc.setdefault(doc_id, (text, [], []))
        if status in POSITIVE:
            quotes.append(((start, end), state, category))
        else:
            rejected.append((start, end))
    out = []
    for doc_id, (text, quotes, rejected) in by_doc.items():
        candidates = extract(text, model="rules").candidates
        out += label_candidates(f"store/{doc_id}", candidates, quotes, rejected, DECISION_WEIGHT, decided_only=True)
    return out


def data_hash(examples: list[Example]) -> str:
    """A fingerprint of what a model was trained on (same examples, same hash)."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps([ex.document, ex.candidate.start, ex.candidate.end, ex.candidate.text,
                             list(ex.candidate.features), ex.need, list(ex.categories), ex.weight]).encode())
    return h.hexdigest()
