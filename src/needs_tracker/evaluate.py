"""Score extraction against hand-made labels (the format of ../shared/corpus/gold.json).

Participant states and (state, category) needs are compared as sets of ISO3-keyed pairs
per document, micro-averaged; ``ALL_PARTICIPANTS`` expands to the gold participants.
Dates and venue country are compared exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import NeedsTrackerError, ReadError
from .extract import extract
from .gold_file import read_gold_json
from .readers import read_document
from .states import state_index


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: set, gold: set) -> tuple[set, set]:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        return gold - predicted, predicted - gold


@dataclass
class Report:
    participants: Score = field(default_factory=Score)
    needs: Score = field(default_factory=Score)
    dates_right: int = 0
    venue_right: int = 0
    documents: int = 0
    details: list[dict] = field(default_factory=list)

    def table(self) -> str:
        rows = [
            ("participant states", self.participants),
            ("needs (state, category)", self.needs),
        ]
        lines = [f"{'measure':<26}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, s in rows:
            lines.append(f"{name:<26}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
        n = max(self.documents, 1)
        lines.append(f"{'dates exact':<26}{self.dates_right}/{self.documents} ({self.dates_right / n:.0%})")
        lines.append(f"{'venue country exact':<26}{self.venue_right}/{self.documents} ({self.venue_right / n:.0%})")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        def s(score: Score) -> dict:
            return {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
                    "f1": round(score.f1, 4), "tp": score.tp, "fp": score.fp, "fn": score.fn}

        return {"documents": self.documents, "participants": s(self.participants), "needs": s(self.needs),
                "dates_exact": self.dates_right, "venue_country_exact": self.venue_right, "details": self.details}


def gold_iso3(name: str) -> str:
    """A labelled state name as ISO3, or ``?name`` when no state has that name (then it matches nothing)."""
    idx = state_index()
    state = idx.resolve(name) or idx.get(name.upper())
    return state.iso3 if state else f"?{name}"


def read_gold(gold_file: str | Path, docs_dir: str | Path) -> list[dict]:
    gold_path, docs = Path(gold_file), Path(docs_dir)
    gold = read_gold_json(gold_path)
    if not docs.is_dir():
        raise NeedsTrackerError(f"{docs}: no such folder")
    return gold


def document_text(docs_dir: str | Path, entry: dict) -> str:
    try:
        return read_document(Path(docs_dir) / entry["file"]).text
    except ReadError as exc:
        raise NeedsTrackerError(f"{exc}") from exc


def evaluate(gold_file: str | Path, docs_dir: str | Path, model="auto") -> Report:
    """Score extraction (``model``: as for ``extract``; "rules" for the rules alone)."""
    report = Report()
    for entry in read_gold(gold_file, docs_dir):
        score_document(report, entry, extract(document_text(docs_dir, entry), model=model))
    return report


def score_document(report: Report, entry: dict, ex) -> None:
    """Add one document's extraction to the report."""
    report.documents += 1
    gold_parts = {gold_iso3(s) for s in entry.get("participant_states", [])}
    pred_parts = {p.iso3 for p in ex.participants}
    missed_p, extra_p = report.participants.add(pred_parts, gold_parts)

    gold_needs = set()
    for n in entry.get("needs", []):
        states = gold_parts if n["state"] == "ALL_PARTICIPANTS" else {gold_iso3(n["state"])}
        gold_needs |= {(s, n["category"]) for s in states}
    pred_needs = {(n.state_iso3, n.category) for n in ex.needs}
    missed_n, extra_n = report.needs.add(pred_needs, gold_needs)

    start = ex.start_date.isoformat() if ex.start_date else None
    end = ex.end_date.isoformat() if ex.end_date else None
    dates_ok = start == entry.get("start_date") and end == entry.get("end_date")
    gold_venue = gold_iso3(entry["venue_country"]) if entry.get("venue_country") else None
    venue_ok = ex.venue_country_iso3 == gold_venue
    report.dates_right += dates_ok
    report.venue_right += venue_ok
    report.details.append({
        "file": entry["file"],
        "participants_missed": sorted(missed_p), "participants_extra": sorted(extra_p),
        "needs_missed": sorted(missed_n), "needs_extra": sorted(extra_n),
        "dates": None if dates_ok else {
            "got": [start, end], "gold": [entry.get("start_date"), entry.get("end_date")]},
        "venue_country": None if venue_ok else {"got": ex.venue_country_iso3, "gold": gold_venue},
    })


def show(report: Report) -> str:
    """What was missed and what was extra, per document."""
    lines = []
    for d in report.details:
        problems = {k: v for k, v in d.items() if k != "file" and v}
        if not problems:
            continue
        lines.append(d["file"])
        for key, value in problems.items():
            lines.append(f"  {key}: {value}")
    return "\n".join(lines) if lines else "everything matched"


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a gold quote stands in the text (PDF text matches after collapsing whitespace)."""
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return m.span() if m else None
