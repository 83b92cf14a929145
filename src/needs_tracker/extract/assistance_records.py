"""Offers of assistance and formal requests, as plain records, and the rules that find them.

The 1540 Committee matches states' requests with offers from states and organisations, so
both are records of their own beside needs. The cue phrases, the sentences that are not
offers (achievements, an event's own funding) and the names of the organisations that
offer help live in ``assistance_rules.toml`` (packaged under ``needs_tracker/data``), where an
officer can read and extend them.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import config
from ..errors import NeedsTrackerError
from .offer_descriptions import programme_described

# Not-offer kinds that rule out the whole sentence, not only the cues before them: a description of
# how assistance is matched, and help described as given ("The detectors, provided by the United
# States, will help Uzbekistan ...": "will help" is what the gift does, not a promise), and a verdict on
# the sentence's offer ("...; no pledge was made", "...; it was declined by Libya").
WHOLE_SENTENCE = ("description", "given", "verdict")
# An appeal to others ("recommended that the EU consider providing ...", "invited partners to offer
# ...") rules out every cue of its clause, before or after it.
APPEAL = "appeal"
# a decision put off ("exploring whether it could fund ...", "will indicate later which ..."): like an
# appeal, it cancels what follows it in its clause, not only what comes before
DEFERRED = "deferred"
# a condition put first ("Should the Dominican Republic confirm its interest, the United States would extend
# ..."): a cue inside it ("confirm") is the condition's, and its state is not the one who offers
FRONTED_CONDITION = re.compile(r"\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:Should|If|Once|In case|Provided that)\b[^,;.]{0,150},")
# a condition on an offer ("once a survey has been completed") is not help already given
CONDITION = re.compile(r"\b(?:once|after|when|until|unless|if|should|as soon as|provided that)\b[^,;.()]{0,60}$",
                       re.I)
# Where a clause with its own subject starts: "...; New Zealand said", "..., and that Guyana has already ..."
# (a relative clause is one too: "X's offer ... was welcomed by the Director-General, who undertook to transmit
# the letter" hedges only the relative's own verb)
# "to be delivered by", "will be provided by": a passive still to come
# "with the funding provided by the Republic of Korea": the money behind the offer, not a gift reported
FUNDS_OF = re.compile(r"\bwith\s+(?:the\s+)?(?:funding|funds|financing|financial\s+support)\s+$", re.I)
FUTURE_BE = re.compile(r"\bbe\s+(?:\w+ly\s+)?$", re.I)
# a relative clause with no "which" on a thing named after the cue: "the radiation portal monitors it had installed"
# (a plural noun, then its own subject; not "indicated that it had installed", the sentence's own report)
CONTACT_RELATIVE = re.compile(r"\b(?!(?:this|thus|whereas|has|was|is|as)\b)[a-z]{3,}s\s+(?:it|they|we)\s+$")
# (", and recalled that EXBS had conducted ...": a second report by the same speaker, its own clause)
CLAUSE_BOUNDARY = re.compile(r";|,\s+and\s+that\b|,\s+(?:who|which)\b|,\s+and\s+(?=(?:recalled|noted|said|added|"
                             r"stressed|indicated|explained|stated|mentioned|underlined)\s+that\b)", re.I)


@dataclass(frozen=True)
class OfferRecord:
    provider: str  # a state's name, or an organisation's normalised id ("OSCE")
    provider_iso3: str | None  # set when the provider is a state
    category: str
    recipients_iso3: tuple[str, ...]  # the states it is offered to
    recipients_kind: str  # named, group, all_participants
    evidence: str  # the sentence, exactly as in the text
    start: int
    end: int
    confidence: float
    rule: str


@dataclass(frozen=True)
class RequestRecord:
    state_iso3: str
    category: str
    requested_on: date | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str


@dataclass(frozen=True)
class OfferedHeads:
    """Words that say what kind of thing is offered (``[offered_head]`` of the rules file)."""
    training: frozenset[str] = frozenset()  # a course, workshop, study visit, mentor ...
    host_verbs: frozenset[str] = frozenset()  # "host", "welcome", "receive" ...
    hosted: frozenset[str] = frozenset()  # ... "officials", "a delegation": a study visit
    accessory: frozenset[str] = frozenset()  # "with", "related": a training that comes with equipment
    events: frozenset[str] = frozenset()  # "workshop", "seminar": the note's own event, unless ...
    follow_up: frozenset[str] = frozenset()  # ... "a follow-up workshop", "a similar seminar"


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    aliases: tuple[str, ...]


def phrase_pattern(phrase: str) -> str:
    """A rule phrase as a regular expression: words on word boundaries, any whitespace between
    them, "word*" for any word it starts, "a|b" for either word, a lone "*" for one to three words,
    and "word?" (or "a|b?") for a word that may be absent ("will also? go": "will go", "will also go")."""
    def one(word: str) -> str:
        if word.endswith("*"):
            return re.escape(word[:-1]) + r"\w*"
        return re.escape(word) + r"\b"

    pattern = ""
    for n, word in enumerate(phrase.split()):
        optional = word.endswith("?") and len(word) > 1 and n > 0  # (a first word is never optional)
        word = word[:-1] if optional else word
        if word == "*":
            part = r"\S+(?:\s+\S+){0,2}?"
        else:  # "send|fund|host": any one of them
            part = "(?:" + "|".join(one(w) for w in word.split("|")) + ")"
        glue = r"\s+" if n else ""
        # (an optional word takes its own leading space with it, so "will go" needs no double space)
        pattern += f"(?:{glue}{part})?" if optional else glue + part
    return r"\b" + pattern


def _alternation(phrases: list[str]) -> re.Pattern:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile("|".join(f"(?:{phrase_pattern(p)})" for p in ordered) or "(?!)", re.I)


class AssistanceRules:
    def __init__(self, data: dict, where: Path):
        try:
            cues = data.get("offer_cue", [])
            self.strong_cues = [c["phrase"] for c in cues if c.get("strength") == "strong"]
            self.weak_cues = [c["phrase"] for c in cues if c.get("strength") not in ("strong", "broad", "modal")]
            # modal: counts as a modal verb does (an organisation's, or help for another state, naming an area)
            self.modal_cues = [c["phrase"] for c in cues if c.get("strength") == "modal"]
            # broad: phrasings that often offer help and often do not; only the learned offer
            # model decides on a sentence that has nothing stronger.
            self.broad_cues = [c["phrase"] for c in cues if c.get("strength") == "broad"]
            self.not_offers = [(n["phrase"], n.get("kind", "other")) for n in data.get("not_offer", [])]
            self.providers = tuple(
                Provider(str(p["id"]), str(p.get("name") or p["id"]), tuple(p.get("aliases", [])) + (str(p["id"]),))
                for p in data.get("provider", []))
        except (KeyError, TypeError) as exc:
            raise NeedsTrackerError(f"{where}: an entry has no {exc}") from exc
        requests = data.get("requests", {})
        self.strong_re = _alternation(self.strong_cues)
        self.weak_re = _alternation(self.weak_cues)
        self.broad_re = _alternation(self.broad_cues)
        self.not_offer_re = {kind: _alternation([p for p, k in self.not_offers if k == kind])
                             for kind in {k for _, k in self.not_offers}}
        # Each phrase on its own too, to find how far the longest one reaches ("withdrew the
        # offer" as well as "withdrew"): an alternation stops at the first that matches.
        self.not_offer_each = [(kind, re.compile(phrase_pattern(p), re.I)) for p, kind in self.not_offers]
        modal = data.get("modal", {})
        words = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in modal.get("words", []))
        skip = "|".join(re.escape(w) for w in modal.get("not_before", []))
        # ("NSDD will also work with ...": an adverb between the modal and its verb is read through)
        modal_verb = (rf"\b(?:{words})\s+(?:(?:also|further|then|now|soon|first)\s+)?(?!(?:{skip})\b)[a-z]+\b"
                      if words else "(?!)")
        # a label and a colon, then what it will do: "Finland (STUK): to lend two specialists ..."
        label_to = rf"(?<=:)\s*to\s+(?!(?:{skip})\b)[a-z]+\b" if skip else "(?!)"
        self.modal_re = re.compile(f"{_alternation(self.modal_cues).pattern}|{modal_verb}|{label_to}", re.I)
        self.offered_terms = {str(k): frozenset(str(w).lower() for w in v)
                              for k, v in data.get("offered_terms", {}).items() if k != "example"}
        heads = data.get("offered_head", {})
        self.offered_heads = OfferedHeads(**{k: frozenset(str(w).lower() for w in heads.get(k, []))
                                             for k in ("training", "host_verbs", "hosted", "accessory", "events",
                                                       "follow_up")})
        self.all_participants_re = _alternation(list(data.get("recipients", {}).get("all_participants", [])))
        self.date_marker_re = _alternation(list(requests.get("date_markers", [])))
        self.field_line_re = re.compile(
            r"^\s*(?:" + "|".join(re.escape(f) for f in requests.get("field_labels", [])) + r")\s*:\s*\S", re.I)
        self.letter_re = _alternation(list(requests.get("letter_cues", [])))
        self.submitted_by_re = _alternation(list(requests.get("submitted_by", [])))
        self._provider_re, self._provider_by_alias = self._compile_providers()
        # (an officer's copy made before [publisher_domains] existed has none: the packaged table then, so
        # ".gov", ".gc.ca" and "europa.eu" pages keep their publisher)
        domains = data.get("publisher_domains") or _packaged_publisher_domains()
        # {domain suffix: iso3} and {domain: organisation id}: see offer_publisher.page_publisher
        self.government_domains = {str(k).lower(): str(v) for k, v in domains.get("government", {}).items()}
        self.organisation_domains = {str(k).lower(): str(v) for k, v in domains.get("organisation", {}).items()}
        programmes = {str(k): str(v) for k, v in data.get("state_programmes", {}).items() if k != "example"}
        self.programme_iso3 = {k.casefold(): v for k, v in programmes.items()}
        self.programme_re = re.compile("|".join(
            rf"(?-i:\b{re.escape(k)}\b)" if k.isupper() else rf"\b{re.escape(k)}\b"
            for k in sorted(programmes, key=len, reverse=True)) or "(?!)", re.I)

    def _compile_providers(self) -> tuple[re.Pattern, dict[str, Provider]]:
        by_alias: dict[str, Provider] = {}
        parts = []
        for p in self.providers:
            for alias in p.aliases:
                by_alias[alias.casefold()] = p
        for alias in sorted({a for p in self.providers for a in p.aliases}, key=len, reverse=True):
            body = r"\s+".join(re.escape(w) for w in alias.split())
            body = body.replace("\\-", "[-‐–\\s]?")  # Co-operation, Cooperation, Co operation
            if alias.isupper() or not any(c.islower() for c in alias):
                parts.append(rf"(?-i:\b{body}\b)")  # "WHO", "EU": only as written
            else:
                parts.append(rf"\b{body}\b")
        return re.compile("|".join(parts) or "(?!)", re.I), by_alias

    def find_providers(self, text: str) -> list[tuple[Provider, int, int]]:
        """Organisations named in ``text``: (provider, start, end), leftmost first."""
        out = []
        for m in self._provider_re.finditer(text):
            key = re.sub(r"[-‐–\s]+", " ", m.group(0)).casefold()
            provider = self._provider_by_alias.get(m.group(0).casefold()) or next(
                (p for p in self.providers for a in p.aliases
                 if re.sub(r"[-‐–\s]+", " ", a).casefold() == key), None)
            if provider is not None:
                out.append((provider, m.start(), m.end()))
        return out

    def normalise_provider(self, name: str) -> Provider | None:
        """The organisation a name stands for ("Organisation for Security and Co-operation in
        Europe" and "OSCE" are one), or None."""
        found = self.find_providers(name.strip())
        return found[0][0] if found else None

    def not_offer_clause(self, text: str) -> tuple[str, int, int] | None:
        """(kind, start of its clause, end) of the last not-offer phrase: it cancels the cues of
        its own clause only ("X would deploy a mentor; New Zealand might consider joining")."""
        found = self.not_offer_kind(text)
        if found is None:
            return None
        kind, end = found
        if kind in WHOLE_SENTENCE:
            return kind, 0, end
        first = min((m.start() for k, each in self.not_offer_each if k == kind for m in each.finditer(text)
                     if m.end() <= end), default=0)
        # (the whole text searched: a boundary's look-ahead reads the phrase itself)
        bounds = [m.end() for m in CLAUSE_BOUNDARY.finditer(text, 0, first + 40) if m.end() <= first]
        if kind in (APPEAL, DEFERRED):
            after = CLAUSE_BOUNDARY.search(text, end)
            end = after.start() if after else len(text)
        return kind, (bounds[-1] if bounds else 0), end

    def hedged_clauses(self, text: str) -> list[tuple[int, int]]:
        """The clauses a hedge or an appeal cancels, each on its own (not only the last not-offer
        phrase: "X noted that its programming exercise would determine whether ..., and that it was
        unable to say more" hedges both clauses)."""
        spans = []
        for kind, each in self.not_offer_each:
            if kind not in (APPEAL, DEFERRED):
                continue
            for m in each.finditer(text):
                bounds = [b.end() for b in CLAUSE_BOUNDARY.finditer(text, 0, m.start())]
                after = CLAUSE_BOUNDARY.search(text, m.end())
                spans.append((bounds[-1] if bounds else 0, after.start() if after else len(text)))
        fronted = FRONTED_CONDITION.match(text)  # "Should the Dominican Republic confirm its interest, ..."
        return spans + [(0, fronted.end())] if fronted else spans

    def not_offer_kind(self, text: str) -> tuple[str, int] | None:
        """(kind, end offset of the last match) when the text reports support that is no offer."""
        last: tuple[str, int] | None = None
        for kind, pattern in self.not_offer_re.items():
            if not pattern.search(text):
                continue
            for each_kind, each in self.not_offer_each:
                if each_kind != kind:
                    continue
                for m in each.finditer(text):
                    if kind in ("achievement", "idiom") and CONDITION.search(text, max(0, m.start() - 80), m.start()):
                        # "..., once a site survey had been completed", "should Chad submit a request":
                        # a condition on the offer, not help given nor the speaker's own request
                        continue
                    if kind == "given" and FUTURE_BE.search(text, max(0, m.start() - 30), m.start()):
                        continue  # "a course ..., to be delivered by UNLIREC": help to come, not help given
                    if kind == "given" and FUNDS_OF.search(text, max(0, m.start() - 30), m.start()):
                        continue  # "will support the review ..., with the funding provided by Korea": who pays for it
                    if kind == "achievement" and CONTACT_RELATIVE.search(text, max(0, m.start() - 40), m.start()):
                        continue  # "maintenance for the monitors it had installed": what the offer is for
                    # the whole sentence describes, or reports help already given
                    end = len(text) if kind in WHOLE_SENTENCE else m.end()
                    if last is None or end > last[1]:
                        last = (kind, end)
        described = programme_described(text)  # "presented its Programme ..., under which it continues to train"
        return ("description", described) if described is not None else last


@functools.lru_cache(maxsize=1)
def _packaged_publisher_domains() -> dict:
    path = config.packaged_rule_file("assistance_rules.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("publisher_domains", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # (a broken package shows its own error where it is loaded; no domains here)


def rules_file() -> Path:
    """The officer's copy in $NEEDS_TRACKER_RULES_DIR when it holds one, else the packaged file."""
    return Path(config.rule_file("assistance_rules.toml"))


@functools.lru_cache(maxsize=2)
def load_assistance_rules(path: Path | None = None) -> AssistanceRules:
    path = Path(path or rules_file())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NeedsTrackerError(f"{path}: cannot read the assistance rules: {exc}") from exc
    return AssistanceRules(data, path)
