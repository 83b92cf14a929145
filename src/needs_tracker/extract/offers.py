"""Offers of assistance: who offers what to whom, found in a note's sentences.

The need rules drop a sentence that offers help ("the European Union stands ready to
support ..."); here the same sentences are kept as offers. A sentence is an offer when an
offer cue matches and the sentence is not an achievement ("has supported X since 2015") or
the event's own funding ("the workshop was funded by Norway"), unless an offer cue follows
those words. The provider is the state or organisation the offer is made by (the nearest
one before the cue and those listed with it, or the agent after "by"/"from"); the
recipients are the states named after the cue, a group's participants, or every participant.
The category comes from the same taxonomy classifier the needs use, applied to the words
after the cue (what is offered), so the provider's own name ("OSCE Border Management Staff
College") never sets it.
"""

from __future__ import annotations

import re

from ..states import state_index
from .assistance_records import AssistanceRules, OfferRecord, load_assistance_rules
from .needs import categorize
from .rules import Match, load_rules
from .text import Block, Sentence, nlp

RECIPIENT_BEFORE = re.compile(r"\b(to|for|with|in|at|into|towards|by|from|of)\s+(the\s+)?$", re.I)
PASSIVE_AGENT = re.compile(r"\s*(?:[\w'’-]+\s+){0,5}?(?:by|from)\s+(?:the\s+)?", re.I)
NOMINAL_OF = re.compile(r"\s+of\s+(?:the\s+)?", re.I)
LISTED_WITH = re.compile(r"[\s,]*(?:(?:and|as well as|together with|along with|jointly with)\s+)?(?:the\s+)?", re.I)
AGENT_NOUN = re.compile(r"^\s*(delegation|government|experts?|authorities|side|representatives?|ministry)\b", re.I)
OFFER_HEADING = re.compile(r"\b(offers?|offered|pledges?|pledged|assistance available|available assistance)\b", re.I)
CONFIDENCE = {"strong": 0.85, "weak": 0.65, "listed": 0.75}


def _candidates(text: str, rules: AssistanceRules) -> list[tuple[str, str | None, int, int]]:
    """Every state or organisation named in the sentence: (provider, iso3, start, end)."""
    idx = state_index()
    orgs = [(p.id, None, s, e) for p, s, e in rules.find_providers(text)]
    states = [(m.text, m.iso3, m.start, m.end) for m in idx.find_mentions(text)]
    states += [(m.text, m.iso3, m.start, m.end) for m in idx.find_adjective_mentions(text)
               if AGENT_NOUN.match(text[m.end:])]
    states = [s for s in states if not any(o[2] <= s[2] < o[3] for o in orgs)]  # "... in Europe"
    out = []
    for name, iso3, s, e in sorted(orgs + states, key=lambda c: c[2]):
        state = idx.get(iso3) if iso3 else None
        out.append((state.name if state else name, iso3, s, e))
    return out


def _providers(text: str, cue: tuple[int, int], cands: list) -> tuple[list, str]:
    """The providers of an offer whose cue spans ``cue``, and how they were found."""
    cue_start, cue_end = cue
    after = [c for c in cands if c[2] >= cue_end]
    for c in after:
        between = text[cue_end:c[2]]
        if PASSIVE_AGENT.fullmatch(between) or (
                text[cue_start:cue_end].lower().startswith("offer") and NOMINAL_OF.fullmatch(between)):
            return [c], "agent"
    before = [c for c in cands if c[3] <= cue_start and not RECIPIENT_BEFORE.search(text[:c[2]])]
    if not before:
        return [], "none"
    chosen = [before[-1]]
    for c in reversed(before[:-1]):
        if LISTED_WITH.fullmatch(text[c[3]:chosen[0][2]]):
            chosen.insert(0, c)
        else:
            break
    return chosen, "subject"


def _recipients(text: str, cue_end: int, providers: list, participants: dict[str, str],
                rules: AssistanceRules) -> tuple[tuple[str, ...], str]:
    idx = state_index()
    tail = text[cue_end:]
    taken = {(p[2], p[3]) for p in providers}
    orgs = [(s + cue_end, e + cue_end) for _, s, e in rules.find_providers(tail)]
    named = [m.iso3 for m in idx.find_mentions(tail) + idx.find_adjective_mentions(tail)
             if (m.start + cue_end, m.end + cue_end) not in taken
             and not re.search(r"\b(by|from)\s+(the\s+)?$", tail[:m.start], re.I)]
    provider_isos = {p[1] for p in providers}
    named = [s for s in dict.fromkeys(named) if s not in provider_isos]
    if named:
        return tuple(named), "named"
    grouped: list[str] = []
    for key, s, _e in idx.find_group_mentions(tail):
        if any(os <= s + cue_end < oe for os, oe in orgs):
            continue  # "the African Union Commission": the organisation, not its members
        members = idx.group_members(key) or frozenset()
        grouped += [m for m in (participants or members) if m in members]
    if grouped:
        return tuple(dict.fromkeys(grouped)), "group"
    return tuple(sorted(participants)), "all_participants"


def _cue(text: str, rules: AssistanceRules) -> tuple[int, int, str, str] | None:
    """The first offer cue that no achievement, funding line or idiom cancels."""
    cancelled = rules.not_offer_kind(text)
    after = cancelled[1] if cancelled else 0
    for strength, pattern in (("strong", rules.strong_re), ("weak", rules.weak_re)):
        for m in pattern.finditer(text):
            if m.start() >= after:
                return m.start(), m.end(), strength, m.group(0).lower()
    return None


def _offer_list_items(blocks: list[Block]) -> set[int]:
    """Bullets under a heading or lead-in about offers ("Offers of assistance:")."""
    items, lead = set(), False
    for i, b in enumerate(blocks):
        if b.kind == "bullet":
            if lead:
                items.add(i)
        elif b.kind == "heading" or b.text.rstrip().endswith(":"):
            lead = bool(OFFER_HEADING.search(b.text))
        else:
            lead = False
    return items


def _categories(sent: Sentence, cue_start: int, topics: set[str]) -> tuple[list[str], float, str]:
    span = sent.span if sent.span is not None else nlp()(sent.text)[:]
    base = span.start_char
    first = next((t.i for t in span if t.idx - base >= cue_start), None)
    if first is None:
        return ["other"], 0.7, "other"
    offered = span.doc[first:span.end]
    cue = Match("cue:strong:offer", 0, 1, offered[0].idx, offered[0].idx + len(offered[0].text))
    return categorize(offered, load_rules(), [cue], topics)


def find_offers(blocks: list[Block], sentences: list[Sentence], participants: dict[str, str],
                topics: set[str] | None = None) -> list[OfferRecord]:
    rules = load_assistance_rules()
    listed = _offer_list_items(blocks)
    out: list[OfferRecord] = []
    seen: set[tuple[str, str, int]] = set()
    for sent in sentences:
        text = sent.text
        cands = _candidates(text, rules)
        cue = _cue(text, rules)
        if cue is None and sent.block in listed and cands and rules.not_offer_kind(text) is None:
            first = cands[0]  # "IAEA: a national training course on physical protection for Mongolia"
            cue = (first[3], first[3], "listed", "(listed offer)")
            providers, how = [first], "listed"
        elif cue is None:
            continue
        else:
            providers, how = _providers(text, cue[:2], cands)
        if not providers:
            continue  # "participants were offered a tour": nobody named offers anything
        recipients, kind = _recipients(text, cue[1], providers, participants, rules)
        categories, factor, cat_how = _categories(sent, cue[0], topics or set())
        confidence = round(CONFIDENCE[cue[2]] * factor, 2)
        for name, iso3, _s, _e in providers:
            for category in categories:
                key = (name, category, sent.start)
                if key in seen:
                    continue
                seen.add(key)
                out.append(OfferRecord(name, iso3, category, recipients, kind, text, sent.start, sent.end,
                                       confidence, f"offer/{how}/{cat_how}/{cue[3]}"))
    return out
