"""The need rules and the taxonomy's terms, compiled once into spaCy token matchers.

Both live in data/ as TOML (need_rules.toml, taxonomy.toml) so the wording a rule keys on
can be read and extended without touching code. A phrase matches word by word,
case-insensitively, and a word ending in ``*`` matches any word it starts.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .. import config
from ..errors import NeedsTrackerError
from ..taxonomy import load_taxonomy
from .text import nlp


@dataclass(frozen=True)
class Entry:
    """One phrase of the rule files, as data: what kind of rule it is and what it says."""

    kind: str  # cue, candidate, exclude, term, clause
    group: str  # cue strength, exclusion kind, clause kind, or the term's strength
    phrase: str
    category: str | None = None  # for taxonomy terms

    @property
    def key(self) -> str:
        """A unique id for spaCy's matcher (and a readable name in rule traces)."""
        if self.kind == "term":
            return f"term:{self.category}:{self.group}:{self.phrase}"
        return f"{self.kind}:{self.group}:{self.phrase}"


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # token indices in the sentence doc
    end: int
    start_char: int
    end_char: int

    @property
    def label(self) -> str:
        return self.entry.key

    @property
    def kind(self) -> str:
        """The exclusion or clause kind ("offers", "speech")."""
        return self.entry.group

    @property
    def strength(self) -> str:
        """A cue's or a term's strength ("strong", "weak")."""
        return self.entry.group

    @property
    def category(self) -> str | None:
        return self.entry.category

    @property
    def phrase(self) -> str:
        return self.entry.phrase


def _words(phrase: str) -> list[tuple[str, bool]]:
    """(word, is_wildcard) for each token of a phrase; "lack*" is ("lack", True)."""
    out: list[tuple[str, bool]] = []
    for token in nlp().tokenizer(phrase.strip().lower()):
        if token.text == "*" and out:
            out[-1] = (out[-1][0], True)
        elif token.text.endswith("*") and len(token.text) > 1:
            out.append((token.text[:-1], True))
        else:
            out.append((token.text, False))
    return out


def _any_word(phrases: tuple[str, ...], whole: bool = False) -> re.Pattern:
    """One case-insensitive pattern for a list of phrases (a trailing * means any ending)."""
    parts = [re.escape(p.rstrip("*")) + (r"\b" if whole and not p.endswith("*") else "") for p in phrases]
    return re.compile(r"\b(?:" + "|".join(parts or ["(?!)"]) + ")", re.I)


KINDS = ("cue", "candidate", "exclude", "term", "clause")


def rule_entries(data: dict) -> list[Entry]:
    """Every phrase of need_rules.toml and the taxonomy, as entries."""
    entries: list[Entry] = []
    cues = data.get("cues", {})
    for strength in ("strong", "weak"):
        entries += [Entry("cue", strength, p) for p in cues.get(strength, [])]
    entries += [Entry("candidate", "recall", p) for p in data.get("candidates", {}).get("recall", [])]
    for kind, items in data.get("exclude", {}).items():
        entries += [Entry("exclude", kind, p) for p in items]
    for cat in load_taxonomy():
        for strength, terms in (("strong", cat.terms), ("weak", cat.weak_terms)):
            entries += [Entry("term", strength, t, cat.id) for t in terms]
    for kind, items in data.get("clauses", {}).items():
        entries += [Entry("clause", kind, p) for p in items]
    return entries


class Rules:
    """The compiled rules. Matching runs on a per-token key (``NORM``): the lower-cased word,
    or the wildcard prefix it starts with, so every phrase becomes one hash lookup in a
    spaCy ``PhraseMatcher`` instead of a regular expression tried at every token."""

    def __init__(self, data: dict, entries: list[Entry] | None = None):
        """``entries``: the phrases to match (default: all of ``data`` and the taxonomy); a
        measurement passes a subset to see what one phrase changes."""
        self.data = data
        entries = rule_entries(data) if entries is None else entries
        self.entries = {e.key: e for e in entries}

        # Shortest prefix first, so "licen*" and "licens*" share one key and both match "licence".
        # Phrases without a wildcard match their words exactly (on LOWER); a phrase with one
        # matches on NORM, where each word is reduced to the shortest wildcard prefix it
        # starts with, so "licen*" and "licens*" share one key and both match "licence".
        self._prefixes = sorted({w for e in entries for w, wild in _words(e.phrase) if wild}, key=len)
        self._norm_cache: dict[str, str] = {}
        vocab = nlp().vocab
        self.matchers = {k: PhraseMatcher(vocab, attr="LOWER") for k in KINDS}
        self.wild_matchers = {k: PhraseMatcher(vocab, attr="NORM") for k in KINDS}
        for entry in entries:
            words = _words(entry.phrase)
            if not words:
                continue
            pattern = Doc(vocab, words=[w for w, _ in words])
            if any(wild for _, wild in words):
                for token, (word, _wild) in zip(pattern, words, strict=True):
                    token.norm_ = self.norm(word)
                self.wild_matchers[entry.kind].add(entry.key, [pattern])
            else:
                self.matchers[entry.kind].add(entry.key, [pattern])

        attribution = data.get("attribution", {})
        self.all_participants = tuple(attribution.get("all_participants", []))
        self.hedged = tuple(attribution.get("hedged", []))
        self.continuation = tuple(attribution.get("continuation", []))
        self.absent = tuple(attribution.get("absent", []))
        participants = data.get("participants", {})
        self.participant_context = tuple(participants.get("context", []))
        self.funding = tuple(participants.get("funding", []))
        self.seat_cities = tuple(participants.get("seat_cities", []))
        self.participant_context_re = _any_word(self.participant_context)
        self.all_participants_re = _any_word(self.all_participants, whole=True)
        self._funding_re = re.compile(
            r"(?:" + "|".join(re.escape(f.rstrip("*")) for f in self.funding) + r")[^.;]*?(?=[.;]|,\s+(?:and\s+)?"
            r"(?:in cooperation|in collaboration|hosted|organi[sz]ed|the meeting|it was)|$)",
            re.I,
        ) if self.funding else None

    def norm(self, word: str) -> str:
        found = self._norm_cache.get(word)
        if found is None:
            found = next((p for p in self._prefixes if word.startswith(p)), word)
            self._norm_cache[word] = found
        return found

    def prepare(self, doc: Doc) -> Doc:
        """Set each token's NORM to its match key (once per doc)."""
        if doc.user_data.get("needs_tracker_norm") is not self:
            for token in doc:
                token.norm_ = self.norm(token.lower_)
            doc.user_data["needs_tracker_norm"] = self
        return doc

    def _matches(self, kind: str, doclike: Doc | Span) -> list[Match]:
        """Matches with token offsets relative to ``doclike`` (a sentence span or a doc)."""
        doc = doclike.doc if isinstance(doclike, Span) else doclike
        self.prepare(doc)
        base = doclike.start if isinstance(doclike, Span) else 0
        strings = nlp().vocab.strings
        out = []
        found = self.matchers[kind](doclike) + self.wild_matchers[kind](doclike)
        for match_id, start, end in found:
            span = doc[start:end]
            out.append(Match(self.entries[strings[match_id]], start - base, end - base, span.start_char,
                             span.end_char))
        return out

    def cues(self, doc: Doc) -> list[Match]:
        return self._matches("cue", doc)

    def candidate_cues(self, doc: Doc) -> list[Match]:
        return self._matches("candidate", doc)

    def exclusions(self, doc: Doc) -> list[Match]:
        return self._matches("exclude", doc)

    def terms(self, doc: Doc) -> list[Match]:
        return self._matches("term", doc)

    def clauses(self, doc: Doc) -> list[Match]:
        return self._matches("clause", doc)

    def funding_spans(self, text: str) -> list[tuple[int, int]]:
        if not self._funding_re:
            return []
        return [m.span() for m in self._funding_re.finditer(text)]


@functools.lru_cache(maxsize=2)
def load_rules(path: Path | None = None) -> Rules:
    path = Path(path or config.rule_file("need_rules.toml"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NeedsTrackerError(f"{path}: cannot read the need rules: {exc}") from exc
    return Rules(data)
