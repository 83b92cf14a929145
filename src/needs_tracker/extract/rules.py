"""The need rules and the taxonomy's terms, compiled once into spaCy token matchers.

Both live in data/ as TOML (need_rules.toml, taxonomy.toml) so the wording a rule keys on
can be read and extended without touching code. A phrase becomes a token pattern: each
word matches case-insensitively, and a word ending in ``*`` matches any word it starts.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc

from .. import config
from ..errors import NeedsTrackerError
from ..taxonomy import load_taxonomy
from .text import nlp



@dataclass(frozen=True)
class Match:
    label: str
    start: int  # token indices in the sentence doc
    end: int
    start_char: int
    end_char: int


def _pattern(phrase: str) -> list[dict]:
    tokens = []
    for word in nlp().tokenizer(phrase.strip()):
        text = word.text.lower()
        if text == "*" and tokens:
            prev = tokens[-1]["LOWER"]
            tokens[-1] = {"LOWER": {"REGEX": "^" + re.escape(prev if isinstance(prev, str) else "")}}
        elif text.endswith("*"):
            tokens.append({"LOWER": {"REGEX": "^" + re.escape(text[:-1])}})
        else:
            tokens.append({"LOWER": text})
    return tokens


class Rules:
    def __init__(self, data: dict):
        self.data = data
        self.cue_matcher = Matcher(nlp().vocab)
        self.exclude_matcher = Matcher(nlp().vocab)
        self.term_matcher = Matcher(nlp().vocab)
        self.clause_matcher = Matcher(nlp().vocab)
        cues = data.get("cues", {})
        for strength in ("strong", "weak"):
            for phrase in cues.get(strength, []):
                self.cue_matcher.add(f"cue:{strength}:{phrase}", [_pattern(phrase)])
        for kind, phrases in data.get("exclude", {}).items():
            for phrase in phrases:
                self.exclude_matcher.add(f"exclude:{kind}:{phrase}", [_pattern(phrase)])
        for cat in load_taxonomy():
            for strength, terms in (("strong", cat.terms), ("weak", cat.weak_terms)):
                for term in terms:
                    self.term_matcher.add(f"term:{cat.id}:{strength}:{term}", [_pattern(term)])
        for kind, phrases in data.get("clauses", {}).items():
            for phrase in phrases:
                self.clause_matcher.add(f"clause:{kind}:{phrase}", [_pattern(phrase)])
        attribution = data.get("attribution", {})
        self.all_participants = tuple(attribution.get("all_participants", []))
        self.hedged = tuple(attribution.get("hedged", []))
        self.continuation = tuple(attribution.get("continuation", []))
        self.absent = tuple(attribution.get("absent", []))
        participants = data.get("participants", {})
        self.participant_context = tuple(participants.get("context", []))
        self.funding = tuple(participants.get("funding", []))
        self.seat_cities = tuple(participants.get("seat_cities", []))
        self._funding_re = re.compile(
            r"(?:" + "|".join(re.escape(f.rstrip("*")) for f in self.funding) + r")[^.;]*?(?=[.;]|,\s+(?:and\s+)?"
            r"(?:in cooperation|in collaboration|hosted|organi[sz]ed|the meeting|it was)|$)",
            re.I,
        ) if self.funding else None

    def _matches(self, matcher: Matcher, doc: Doc) -> list[Match]:
        out = []
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            out.append(Match(nlp().vocab.strings[match_id], start, end, span.start_char, span.end_char))
        return out

    def cues(self, doc: Doc) -> list[Match]:
        return self._matches(self.cue_matcher, doc)

    def exclusions(self, doc: Doc) -> list[Match]:
        return self._matches(self.exclude_matcher, doc)

    def terms(self, doc: Doc) -> list[Match]:
        return self._matches(self.term_matcher, doc)

    def clauses(self, doc: Doc) -> list[Match]:
        return self._matches(self.clause_matcher, doc)

    def funding_spans(self, text: str) -> list[tuple[int, int]]:
        if not self._funding_re:
            return []
        return [m.span() for m in self._funding_re.finditer(text)]


@functools.lru_cache(maxsize=2)
def load_rules(path: Path | None = None) -> Rules:
    path = Path(path or config.RULES_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NeedsTrackerError(f"{path}: cannot read the need rules: {exc}") from exc
    return Rules(data)
