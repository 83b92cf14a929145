"""Score a workshop's metadata (what a person sees first) against hand-made labels.

``evaluate`` scores participants and needs; this scores the fields above them: title, start and
end date, venue city and country, organisers. Titles are compared by token F1 (case and
punctuation ignored, a few function words dropped: "Workshop on X" against "workshop on x." is
1.0, a title cut to "Representativ" is near 0). Organisers by token F1 of the whole list ("org
words"), where a name the other side writes otherwise counts as one shared key (an acronym
"UNODA" for the name spelt out, "Togo" for "Government of Togo"), and as names ("org names": F1
over names matched by a key or half their words, so one name glued from two bodies finds one at
most). Dates and places exactly after normalising case, accents and spaces (countries by ISO3).
A field both sides leave empty counts as right. Every labelled set that gives these fields is
read: the needs sets (gold.json) and the offer batches (tests/corpus/assistance/*/labels.json).

    python -m needs_tracker.metadata_eval GOLD DOCS [--show]
    python -m needs_tracker.metadata_eval --all [--each] [--show] [--errors FILE.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .assistance_eval import ASSISTANCE_SETS, labelled_batches
from .errors import NeedsTrackerError
from .evaluate import document_text, gold_iso3, read_gold
from .extract import extract
from .states import state_index

FIELDS = ("title", "start_date", "end_date", "venue_city", "venue_country", "organizers", "organiser_names")
TOKEN_FIELDS = ("title", "organizers")
STOP_WORDS = frozenset({"the", "of", "and", "for", "on", "in", "a", "an", "to", "with", "at", "by"})


def tokens(value) -> list[str]:
    """The words of a title or of an organisers list, lower case, without function words."""
    if value is None:
        return []
    text = " ".join(value) if isinstance(value, list) else str(value)
    return [w for w in re.findall(r"\w+", _fold(text)) if w not in STOP_WORDS]


ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9/&-]*[A-Z])\)$|^([A-Z][A-Z0-9/&-]+)$")  # "... (OSCE)", "UNODA"


def _acronyms(names: list[str]) -> set[str]:
    """The acronyms a list of names uses: "UNODA", or "(OSCE)" closing a name."""
    return {m.group(1) or m.group(2) for n in names for m in ACRONYM.finditer(n.strip())}


def _initials(name: str) -> str:
    words = re.sub(r"\([^)]*\)", " ", name).replace("-", " ").split()
    return "".join(w[0] for w in words if w[:1].isupper() and w.lower() not in STOP_WORDS)


def _keys(name: str) -> set[str]:
    """What else a name may be written as: its acronym ("(OSCE)", "UNODA"), its initials, and the
    state a short name stands for ("Government of Togo", "Ministry of Foreign Affairs of the Lao PDR")."""
    keys = _acronyms([name])
    initials = _initials(name)
    if len(initials) >= 2:
        keys.add(initials)
    if len(name.split()) <= 8:
        states = {m.iso3 for m in state_index().find_mentions(name)}
        if len(states) == 1:
            keys.add(states.pop())
    return keys


def organiser_tokens(names: list[str], other: list[str]) -> list[str]:
    """The words of an organisers list; a name that the other list writes otherwise (an acronym for
    the name spelt out, a state for its government) counts as that one key."""
    shared = set().union(*map(_keys, names), set()) & set().union(*map(_keys, other), set())
    out: list[str] = []
    for name in names:
        mine = _keys(name) & shared
        if mine:
            out.append(min(mine).lower())
        else:
            out.extend(tokens(name))
    return out


def organisers_f1(got, gold) -> float:
    """Token F1 of two organisers lists, acronyms matched to the names they stand for."""
    got, gold = list(got or []), list(gold or [])
    return _bag_f1(organiser_tokens(got, gold), organiser_tokens(gold, got))


def organiser_names_f1(got, gold) -> float:
    """F1 over organisers as names: a name found is one that shares a key with a labelled name (see
    ``_keys``) or half its words; one name glued from two bodies finds one of them at most."""
    got, gold = list(got or []), list(gold or [])
    if not got and not gold:
        return 1.0
    pairs = sorted(((1.0 if _keys(a) & _keys(b) else token_f1(a, b), i, j)
                    for i, a in enumerate(got) for j, b in enumerate(gold)), reverse=True)
    used_got, used_gold, found = set(), set(), 0
    for score, i, j in pairs:
        if score >= 0.5 and i not in used_got and j not in used_gold:
            used_got.add(i)
            used_gold.add(j)
            found += 1
    return 2 * found / (len(got) + len(gold))


def token_f1(got, gold) -> float:
    """Bag-of-words F1 of two titles or lists of names; two empty values agree."""
    return _bag_f1(tokens(got), tokens(gold))


def _bag_f1(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def _country(name: str | None) -> str | None:
    if not name:
        return None
    iso3 = gold_iso3(name)
    return _fold(name) if iso3.startswith("?") else iso3  # two spellings of one unknown place still agree


def normalised(name: str, value):
    """A date or place as compared: empty is None, case/accents/spaces folded, countries as ISO3."""
    if value in (None, "", []):
        return None
    if name == "venue_country":
        return _country(value)
    return _fold(str(value)).strip(" .,")


def agreement(name: str, got, gold) -> float:
    """1.0 for agreement, 0.0 for none; token F1 in between for titles and organisers."""
    if name == "organizers":
        return organisers_f1(got, gold)
    if name == "organiser_names":
        return organiser_names_f1(got, gold)
    if name in TOKEN_FIELDS:
        return token_f1(got, gold)
    return 1.0 if normalised(name, got) == normalised(name, gold) else 0.0


@dataclass
class MetadataReport:
    name: str
    documents: int = 0
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0.0))
    errors: list[dict] = field(default_factory=list)

    def add(self, file: str, got: dict, gold: dict) -> None:
        self.documents += 1
        for name in FIELDS:
            key = "organizers" if name == "organiser_names" else name
            score = agreement(name, got.get(key), gold.get(key))
            self.sums[name] += score
            if score < 1.0:
                self.errors.append({"set": self.name, "file": file, "field": name, "score": round(score, 3),
                                    "got": got.get(key), "gold": gold.get(key)})

    def mean(self, name: str) -> float:
        return self.sums[name] / self.documents if self.documents else 1.0


def extracted_metadata(text: str) -> dict:
    ex = extract(text, model="rules")  # the metadata does not depend on the need model
    return {"title": ex.title, "start_date": ex.start_date.isoformat() if ex.start_date else None,
            "end_date": ex.end_date.isoformat() if ex.end_date else None, "venue_city": ex.venue_city,
            "venue_country": ex.venue_country, "organizers": list(ex.organizers)}


def score_set(name: str, gold_file: str | Path, docs_dir: str | Path) -> MetadataReport:
    report = MetadataReport(name)
    for entry in read_gold(gold_file, docs_dir):
        report.add(entry["file"], extracted_metadata(document_text(docs_dir, entry)), entry)
    return report


def metadata_sets(checkout: Path | None = None) -> list[tuple[str, Path, Path]]:
    """(name, labels file, documents folder) of every labelled set that gives the metadata."""
    from .learn.dataset import labelled_sets

    found = [(s.name, s.gold, s.docs) for s in labelled_sets()]
    from . import config

    root = checkout or config.checkout_dir()
    if root is not None:
        for batch in labelled_batches(root / ASSISTANCE_SETS):
            found.append((f"assistance/{batch.name}", batch / "labels.json", batch))
    return found


def pooled(reports: list[MetadataReport], name: str) -> MetadataReport:
    out = MetadataReport(name)
    for r in reports:
        out.documents += r.documents
        for f in FIELDS:
            out.sums[f] += r.sums[f]
    return out


def table(reports: list[MetadataReport]) -> str:
    short = {"organizers": "org words", "organiser_names": "org names"}
    head = f"{'set':<26}{'docs':>5}" + "".join(
        f"{short.get(f, f.replace('venue_', '').replace('_date', '')):>11}" for f in FIELDS)
    lines = [head]
    for r in reports:
        lines.append(f"{r.name:<26}{r.documents:>5}" + "".join(f"{r.mean(f):>11.3f}" for f in FIELDS))
    return "\n".join(lines)


def grouped(reports: list[MetadataReport]) -> list[MetadataReport]:
    """The needs sets one by one, the offer batches pooled as real and as written batches, then all."""
    needs = [r for r in reports if not r.name.startswith("assistance/")]
    real = [r for r in reports if r.name.startswith("assistance/real")]
    other = [r for r in reports if r.name.startswith("assistance/") and r not in real]
    rows = needs + [pooled(real, f"assistance real* ({len(real)})"),
                    pooled(other, f"assistance others ({len(other)})")]
    return rows + [pooled(needs + real, "pooled real+notes"), pooled(reports, "pooled all")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m needs_tracker.metadata_eval", description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="?")
    parser.add_argument("docs", nargs="?")
    parser.add_argument("--all", action="store_true", help="every labelled set of the checkout and ../shared")
    parser.add_argument("--each", action="store_true", help="with --all: every offer batch on its own row")
    parser.add_argument("--show", action="store_true", help="print each disagreement")
    parser.add_argument("--errors", help="write the disagreements to this JSON file")
    args = parser.parse_args(argv)
    try:
        if args.all:
            reports = [score_set(*s) for s in metadata_sets()]
            rows = reports if args.each else grouped(reports)
        elif args.gold and args.docs:
            reports = rows = [score_set(Path(args.gold).parent.name, args.gold, args.docs)]
        else:
            raise NeedsTrackerError("give GOLD and DOCS, or --all")
    except NeedsTrackerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = [e for r in reports for e in r.errors]
    if args.show:
        for e in errors:
            print(f"{e['set']}/{e['file']} {e['field']} ({e['score']}): got {e['got']!r}, gold {e['gold']!r}")
        print()
    if args.errors:
        Path(args.errors).write_text(json.dumps(errors, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
