"""Statements of need: which sentences state one, for which states, in which categories.

A sentence is a need when it carries a cue (need, lack, gap, challenge, request, ...) and
none of the exclusions (objectives, topics, offers, recommendations, region-wide remarks,
background). It is attributed to the participating states it names, to the participants
of a group it names ("the CAS countries"), to the previous sentence's states when it
continues it ("In this regard, ..."), or to all participants ("participants agreed").
Its categories come first from taxonomy terms right beside a cue ("enforcement
challenges", "lack a mechanism for exchanging"), then from the clause that carries the need.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..states import StateMention, state_index
from .candidates import Candidate, is_proposed, sentence_features
from .model import NeedRecord, TopicRecord
from .participants import PARTICIPANT_NOUN
from .rules import Entry, Match, Rules, load_rules
from .text import Sentence, nlp, subject_label

ADJACENT_BEFORE = 3  # tokens before a cue that modify it ("enforcement challenges")
ADJACENT_AFTER = 4  # tokens after a cue that complete it ("lack of detection equipment")
# "this draft", "such a plan"; "The plan, which ..." opening a sentence refers back to the same plan
ANAPHORA = re.compile(r"\b(this|that|the said|such)\s+(?:\w+\s+)?(document|plan|draft|bill|law|list|instrument)\b"
                      r"|^\W*the\s+(document|plan|draft|bill|law|list|instrument)\b", re.I)
SKIP_SECTIONS = ("background", "closing", "objectives")
# "ECOWAS Commission", "SADC Secretariat": an institution, not its member states.
# ... and "the EU dual-use list", "SADC regulations": a thing named after the group.
INSTITUTION_AFTER = re.compile(  # matched at a position (``match(text, pos)``): no "^"
    r"\W{0,3}(Commission|Secretariat|Council|Committee|Programme|Program|Centre|Center|Office|Summit|"
    r"Parliament|Court|Bank|Agency|Organi[sz]ation|Secretary|Chair|experts?|dual-use|lists?|regulations?|"
    r"directives?|decisions?|standards?|rules|regimes?|acquis|funding|support|projects?|initiatives?|"
    r"guidelines|model|approach|framework|instruments?|protocol|treaty|convention|mechanism)\b", re.I)
# "other" is a request for help that names no area: it must say so.
# A request submitted to the Committee is a request for help ("Formal requests were submitted by X").
ASSISTANCE = re.compile(r"\b(assist\w*|support|help|aid|cooperation)\b|\brequests?\s+(?:were|was|had been|have been|"
                        r"has been)\s+(?:also\s+)?submitted\b|\bsubmitted\s+(?:a\s+|formal\s+)*requests?\b", re.I)
# A cue inside "when ..." / "if ..." describes a condition, not a need.
CONDITIONAL = {"when", "if", "whenever", "unless", "where"}
TOPIC_EXCLUSIONS = ("objectives", "topics")
NO_GAP = Entry("cue", "strong", "no (gap)")  # "no" right before a gap's name
LISTED_NEED = Entry("cue", "strong", "(listed need)")  # an item under a list's lead-in


@dataclass(frozen=True)
class Attribution:
    states: tuple[str, ...]
    confidence: float
    how: str


def _kinds(matches: list[Match]) -> set[str]:
    return {m.kind for m in matches}


def _term_category(m: Match) -> tuple[str, str]:
    return m.category or "other", m.strength


def _clause_range(doc, rules: Rules, cues: list[Match]) -> tuple[int, int]:
    """Token range of the clause that carries the need: after 'X noted that' and any
    concession ('even if ..., '), up to a remedy or purpose ('that could be resolved by')."""
    first_cue = min(c.start for c in cues)
    start, end = 0, len(doc)
    commas: list[int] | None = None
    for c in rules.clauses(doc):
        kind = c.kind
        if kind == "speech" and c.end <= first_cue:
            start = max(start, c.end)
        elif kind == "concession" and start <= c.start < first_cue:
            if commas is None:  # found once: a sentence of many concessions is read once, not once each
                commas = [i for i, t in enumerate(doc[:first_cue]) if t.text == ","]
            k = bisect.bisect_left(commas, c.end)
            if k < len(commas):
                start = max(start, commas[k] + 1)
        elif kind == "remedy" and c.start > first_cue:
            end = min(end, c.end)
    return start, end


def _absence_cues(doc, rules: Rules, cues: list[Match]) -> list[Match]:
    """"no" right before a gap's name ("no national control list", "no legal basis") states
    the gap as plainly as "lacks" does."""
    starts = {m.start for m in rules.terms(doc) if m.strength == "strong"}
    covered = {i for c in cues for i in range(c.start, c.end)}  # sets: linear in a sentence of 10,000 cues
    found = []
    for i, token in enumerate(doc):
        if token.lower_ == "no" and i not in covered and any(i + k in starts for k in (1, 2, 3)):
            found.append(Match(NO_GAP, i, i + 1, token.idx, token.idx + 2))
    return found


def _conditional(doc, cue: Match) -> bool:
    for token in reversed(doc[max(0, cue.start - 6):cue.start]):
        if token.is_punct:
            return False
        if token.lower_ in CONDITIONAL:
            return True
    return False


def _joined(doc, start: int, end: int) -> bool:
    """No clause break between two words ("authorities, and that there is no" is broken)."""
    return not any(t.text in {",", ";", ":", "that", "which", "while"} for t in doc[start:end])


TRAINING = "training_capacity_building"


def _training_topic(doc, terms, categories: set[str]) -> list[str]:
    """In "training in commodity identification" the gap is training; what follows "in"/"on" is
    its subject, not a second gap."""
    if TRAINING not in categories or len(categories) == 1:
        return sorted(categories)
    training_ends = {m.end for m, c, _ in terms if c == TRAINING}
    topics = {c for m, c, _ in terms if c != TRAINING and any(
        m.start - gap in training_ends and any(t.lower_ in {"in", "on"} for t in doc[m.start - gap:m.start])
        for gap in range(7))}
    kept = categories - topics
    return sorted(kept)


def categorize(doc, rules: Rules, cues: list[Match], topics: set[str]) -> tuple[list[str], float, str]:
    """(categories, confidence factor, how) for a need sentence."""
    terms = [(m, *_term_category(m)) for m in rules.terms(doc)]
    # Terms by their first token, so each cue looks only at the few terms that can stand beside it
    # (a sentence of thousands of cues and terms would otherwise compare every pair).
    by_start: dict[int, list] = {}
    for term in terms:
        by_start.setdefault(term[0].start, []).append(term)
    longest = max((m.end - m.start for m, _, _ in terms), default=0)

    def adjacent(strength: str) -> set[str]:
        found = set()
        for cue in cues:
            near = (t for i in range(cue.start - ADJACENT_BEFORE - longest, cue.end + ADJACENT_AFTER)
                    for t in by_start.get(i, ()))
            for m, category, term_strength in near:
                if term_strength != strength:
                    continue
                overlaps = m.start < cue.end and cue.start < m.end
                before = 0 <= cue.start - m.end <= ADJACENT_BEFORE and _joined(doc, m.end, cue.start)
                after = 0 <= m.start - cue.end < ADJACENT_AFTER and _joined(doc, cue.end, m.start)
                if overlaps or before or after:
                    found.add(category)
        return found

    start, end = _clause_range(doc, rules, cues)
    predicate = [c for c in cues if c.end < len(doc) and doc[c.end].lower_ == "be"
                 and doc[c.start].lower_ in {"needs", "need", "must", "has", "have"}]
    if predicate:  # "coordination between A and B in handling licences needs to be improved"
        subject = sorted((m.start, c) for m, c, st in terms
                         if st == "strong" and start <= m.start < predicate[0].start)
        if subject:
            return [subject[0][1]], 0.9, "subject"
    in_clause = [(c, s) for m, c, s in terms if m.start >= start and m.end <= end]
    # Most specific first: a strong term beside a cue, a strong term in the need's clause,
    # then the same for weak terms (which name the area only in passing).
    for strength, factor in (("strong", 1.0), ("weak", 0.8)):
        beside = adjacent(strength)
        if beside:
            return _training_topic(doc, terms, beside), factor, f"adjacent-{strength}"
        clause = {c for c, s in in_clause if s == strength}
        if clause:
            return _training_topic(doc, terms, clause), factor * 0.95, f"clause-{strength}"
    if ANAPHORA.search(doc.text) and len(topics) == 1:
        return sorted(topics), 0.7, "anaphora-topic"
    return ["other"], 0.7, "other"


GOVERNMENT_ABBREVIATION = re.compile(r"\bGO([A-Z])\b")
# Patterns read right after a name are matched at its end (``match(text, end)``), never on a copy of
# the rest of the sentence: a sentence naming a state 50,000 times copied it 50,000 times.
PROVIDER_AFTER = re.compile(r"\W{0,2}\s*(assistance|support|funding|aid|offer|programme|program)\b", re.I)
OBJECT_BEFORE = re.compile(r"\b(with|between|along|bordering|towards|into)\s+(the\s+)?$", re.I)
SEGMENT_AFTER_COMMA = {"while", "whereas"}


def _segments(sent: Sentence) -> list[Sentence]:
    """Split "A lacks X, while B needs Y" and "...; ..." into statements of their own."""
    span = sent.span
    if span is None:
        return [sent]
    cuts = [i for i, t in enumerate(span) if t.text == ";"
            or (t.lower_ in SEGMENT_AFTER_COMMA and i > 0 and span[i - 1].text == ",")
            or (t.lower_ == "and" and i + 1 < len(span) and span[i + 1].lower_ == "that")]
    if not cuts:
        return [sent]
    pieces, first = [], 0
    for cut in cuts + [len(span)]:
        part = span[first:cut]
        if part.text.strip(" ,;"):
            while len(part) and part[-1].text in {",", ";"}:
                part = part[:-1]
            start = sent.start + (part.start_char - span.start_char)
            pieces.append(Sentence(start, start + len(part.text), part.text, sent.block, sent.section,
                                   sent.in_objective_list, part, part=len(pieces), whole=span,
                                   in_need_list=sent.in_need_list))
        first = cut + 1 if cut < len(span) and span[cut].text == ";" else cut
    return pieces or [sent]


def _subjects(sent: Sentence, rules: Rules, mentions: list) -> list:
    """The states a statement is about: those named before 'X noted that' when some are,
    and never a state named as a place ('the land crossings with Brazil')."""
    doc = sent.span if sent.span is not None else nlp()(sent.text)
    speech = [c for c in rules.clauses(doc) if c.kind == "speech"]
    if speech:
        cut = speech[0].start_char - (doc.start_char if hasattr(doc, "start_char") else 0)
        before = [m for m in mentions if m.start < cut]
        if before:
            mentions = before
    subjects = [m for m in mentions if not OBJECT_BEFORE.search(sent.text[max(0, m.start - 20):m.start])
                and not PROVIDER_AFTER.match(sent.text, m.end)]  # not "USG assistance"
    return subjects or mentions


# An organisation speaking of itself; and "participants" as the object of a verb.
ORGANISATION_SUBJECT = re.compile(
    r"\b(Organi[sz]ation|Secretariat|Commission|Office|Centre|Center|Agency|Bureau|Programme|Committee|"
    r"UNODA|UNODC|UNREC|UNLIREC|UNRCPD|OPCW|IAEA|WCO|INTERPOL|OSCE|VERTIC|UNICRI|EU|ASEAN|CARICOM)\b")
PARTICIPANTS_AS_OBJECT = re.compile(
    r"\b(told|informed|reminded|urged|invited|encouraged|briefed|asked|thanked|assured|to|for|with|among)\s+"
    r"(?:the\s+|all\s+)?$", re.I)
OBJECT_WINDOW = 200  # characters before "participants" where the verb taking it as object is sought


def _reported_clause_start(sent: Sentence, rules: Rules) -> int:
    """Where what was reported begins ("X noted that |..."), as a character offset; 0 if nothing
    marks it."""
    doc = sent.span if sent.span is not None else nlp()(sent.text)
    base = doc.start_char if hasattr(doc, "start_char") else 0
    speech = [c for c in rules.clauses(doc) if c.kind == "speech"]
    return speech[0].end_char - base if speech else 0


def _attribute(sent: Sentence, rules: Rules, participants: dict[str, str], absent: set[str],
               previous: tuple[str, ...], mentions: list, groups: list) -> Attribution | None:
    idx = state_index()
    text = sent.text
    lower = text.lower()
    label = subject_label(text)
    if label:  # "Paraguay: no national control list ..." speaks of Paraguay alone
        cut = text.index(label) + len(label)
        mentions = [m for m in mentions if m.start < cut]
        groups = [g for g in groups if g[1] < cut]
        lower = lower[:cut]
    else:
        reported = _reported_clause_start(sent, rules)
        if any(m.start >= reported and m.iso3 in absent for m in mentions):
            return None  # "Egypt observed that Sudan, which was not represented, lacked ..."
        mentions = _subjects(sent, rules, mentions)
    named = [m.iso3 for m in mentions]
    # "the Peruvian delegation", "Lao officials"; a bare adjective counts only when no state is named
    adjectives = [m for m in idx.find_adjective_mentions(text) if m.iso3 in participants]
    named += [m.iso3 for m in adjectives if not named or PARTICIPANT_NOUN.match(text, m.end)]
    in_it = [s for s in dict.fromkeys(named) if s in participants and s not in absent]
    grouped: list[str] = []
    for key, _s, _e in groups:
        members = idx.group_members(key) or frozenset()
        grouped += [s for s in participants if s in members and s not in absent]
    hedged = any(h in lower for h in rules.hedged)
    if named and not in_it:
        return None  # a need of states that did not take part
    if in_it or grouped:
        states = tuple(dict.fromkeys(in_it + grouped))
        return Attribution(states, 0.9 if in_it and not grouped else 0.8 - 0.1 * hedged, "named" if in_it else "group")
    opening = lower.lstrip(" -–—•*0123456789.()")
    if previous and opening.startswith(rules.continuation):
        return Attribution(previous, 0.7, "continuation")
    if previous and sent.part > 0:  # "... and that it needs assistance": same speaker
        return Attribution(previous, 0.8, "same-sentence")
    if previous and sent.in_need_list:  # an item of "Mongolia requested assistance with:"
        return Attribution(previous, 0.8, "need-list")
    everyone = tuple(s for s, role in participants.items() if s not in absent)
    if ORGANISATION_SUBJECT.search(text[:_reported_clause_start(sent, rules) or len(text)][:120]) \
            and not rules.all_participants_re.match(opening):
        return None  # "The Oceania Customs Organisation told participants that its secretariat needs ..."
    # the verb just before each "participants" (a window, not the whole sentence before it each time)
    if any(not PARTICIPANTS_AS_OBJECT.search(lower, max(0, m.start() - OBJECT_WINDOW), m.start())
           for m in rules.all_participants_re.finditer(lower)):
        return Attribution(everyone, 0.55 if hedged else 0.65, "all-participants")
    if len(everyone) == 1:
        return Attribution(everyone, 0.6, "single-participant")
    return None


def find_topics(title: str | None, sentences: list[Sentence], docs, rules: Rules) -> list[TopicRecord]:
    """Categories the event itself addressed: its title, objectives and listed topics."""
    found: dict[str, TopicRecord] = {}
    if title:
        for m in rules.terms(nlp()(title)):
            category, _ = _term_category(m)
            found.setdefault(category, TopicRecord(category, title, -1, -1))
    for sent, doc in zip(sentences, docs, strict=True):
        objective = sent.section == "objectives" or sent.in_objective_list or bool(
            _kinds(rules.exclusions(doc)) & set(TOPIC_EXCLUSIONS))
        if not objective:
            continue
        for m in rules.terms(doc):
            category, strength = _term_category(m)
            if strength == "strong":
                found.setdefault(category, TopicRecord(category, sent.text, sent.start, sent.end))
    return list(found.values())


def _host_abbreviations(text: str, hosts: list[str]) -> list[StateMention]:
    """Cables write the host government as "GO" + its initial ("GOP" for Panama's)."""
    idx = state_index()
    initials = {idx.get(h).name[0]: h for h in hosts if idx.get(h)}
    return [StateMention(initials[m.group(1)], m.start(), m.end(), m.group(0))
            for m in GOVERNMENT_ABBREVIATION.finditer(text) if m.group(1) in initials]


def find_needs(sentences: list[Sentence], participants: dict[str, str], absent: set[str],
               title: str | None, hosts: list[str] | None = None, block_kinds: list[str] | None = None,
               ) -> tuple[list[NeedRecord], list[TopicRecord], list[Candidate]]:
    """The rules' needs, the event's topics, and every statement as a candidate for the learned layer."""
    rules = load_rules()
    idx = state_index()
    docs = [s.span if s.span is not None else nlp()(s.text) for s in sentences]
    topics = find_topics(title, sentences, docs, rules)
    sentences = [piece for s in sentences for piece in _segments(s)]
    docs = [s.span if s.span is not None else nlp()(s.text) for s in sentences]
    topic_ids = {t.category for t in topics}
    needs: list[NeedRecord] = []
    candidates: list[Candidate] = []
    previous: tuple[str, ...] = ()
    # What a whole sentence says, read once for all its parts: a sentence of 20,000 parts ("Who
    # came: Chad; Who came: Chad; ...") read whole for each part took time quadratic in its length.
    whole_resolved: dict[int, bool] = {}
    whole_categories: dict[int, tuple[list[str], float, str] | None] = {}
    for sent, doc in zip(sentences, docs, strict=True):
        skipped = sent.section in SKIP_SECTIONS or sent.in_objective_list
        all_cues = rules.cues(doc)
        cues = [c for c in all_cues if not _conditional(doc, c)]
        cues += _absence_cues(doc, rules, cues)
        if sent.in_need_list and not cues:  # the list's lead-in states the need for every item
            first = doc[0]
            cues = [Match(LISTED_NEED, 0, 1, first.idx, first.idx + len(first.text))]
        mentions = idx.find_mentions(sent.text) + _host_abbreviations(sent.text, hosts or [])
        groups = [g for g in idx.find_group_mentions(sent.text) if not INSTITUTION_AFTER.match(sent.text, g[2])]
        attribution = None
        resolved_later = sent.whole is not None and _resolved_later(sent.whole, rules, whole_resolved)
        excluded = bool(rules.exclusions(doc)) or resolved_later
        if cues and not excluded and not skipped:
            attribution = _attribute(sent, rules, participants, absent, previous, mentions, groups)
        sentence_needs: list[NeedRecord] = []
        how = None
        if attribution and attribution.states:
            strong_cue = any(c.strength == "strong" for c in cues)
            categories, factor, how = categorize(doc, rules, cues, topic_ids)
            if categories == ["other"] and sent.whole is not None:  # "..., and that it needs assistance"
                whole = _whole_categories(sent.whole, rules, topic_ids, whole_categories)
                if whole is not None:  # the piece's cue may be one the whole sentence does not carry ("nobody")
                    categories, factor, how = whole
            asks = ASSISTANCE.search(sent.text) is not None
            lead_in = sent.text.rstrip().endswith(":")  # "Delegations identified the following gaps:"
            if not lead_in and (categories != ["other"] or (strong_cue and asks)):
                confidence = round(attribution.confidence * factor * (1.0 if strong_cue else 0.8), 2)
                rule = f"{attribution.how}/{how}/" + sorted(c.phrase for c in cues)[0]
                for state in attribution.states:
                    for category in categories:
                        sentence_needs.append(
                            NeedRecord(state, category, sent.text, sent.start, sent.end, confidence, rule))
        needs += sentence_needs
        candidates.append(_candidate(sent, doc, rules, cues, all_cues, mentions, groups, participants, absent,
                                     previous, attribution, sentence_needs, how, block_kinds, excluded or skipped))
        if skipped:  # background and objectives say nothing about who speaks next
            continue
        own = [m.iso3 for m in mentions if m.iso3 in participants]
        own += [m.iso3 for m in idx.find_adjective_mentions(sent.text)
                if m.iso3 in participants and PARTICIPANT_NOUN.match(sent.text, m.end)]
        own += [s for key, _a, _b in groups
                for s in participants if s in (idx.group_members(key) or ())]
        if own:
            previous = tuple(dict.fromkeys(own))
        elif attribution:
            previous = attribution.states
    return needs, topics, candidates


def _resolved_later(whole, rules: Rules, cache: dict[int, bool]) -> bool:
    """"it had no X ..., and that gap no longer exists": the whole sentence says a gap is closed
    (``cache`` by the whole span's id; its parts keep the span alive while the cache is used)."""
    if id(whole) not in cache:
        cache[id(whole)] = any(m.kind == "resolved" for m in rules.exclusions(whole))
    return cache[id(whole)]


def _whole_categories(whole, rules: Rules, topic_ids: set[str],
                      cache: dict[int, tuple[list[str], float, str] | None]):
    """The categories of the whole sentence's cues, or None when it has no cue (see ``_resolved_later``)."""
    if id(whole) not in cache:
        whole_cues = [c for c in rules.cues(whole) if not _conditional(whole, c)]
        whole_cues += _absence_cues(whole, rules, whole_cues)
        cache[id(whole)] = categorize(whole, rules, whole_cues, topic_ids) if whole_cues else None
    return cache[id(whole)]


def _candidate(sent: Sentence, doc, rules: Rules, cues, all_cues, mentions, groups, participants, absent,
               previous, attribution: Attribution | None, sentence_needs, how, block_kinds,
               excluded: bool) -> Candidate:
    """The statement with its features; attributed here even where the rules found no cue, so the
    model can propose it (without changing which states later sentences continue)."""
    if attribution is None:
        attribution = _attribute(sent, rules, participants, absent, previous, mentions, groups)
    states = attribution.states if attribution else ()
    named = [m for m in mentions if m.iso3 in participants]
    recall = rules.candidate_cues(doc)
    terms = rules.terms(doc)
    kept = set(cues)  # a set: thousands of cues in one sentence compared pairwise took seconds
    kind = block_kinds[sent.block] if block_kinds and 0 <= sent.block < len(block_kinds) else "paragraph"
    section = "objective_list" if sent.in_objective_list else sent.section
    features = sentence_features(
        doc=doc, rules=rules, cues=cues, conditional_cues=[c for c in all_cues if c not in kept and
                                                           c.entry.kind == "cue"],
        block_kind=kind, section=section, in_need_list=sent.in_need_list, part=sent.part,
        mentions=len(named), other_states=len(mentions) - len(named), groups=len(groups),
        attribution=attribution.how if attribution else "none", n_states=len(states),
        rule_needs=sentence_needs, rule_how=how)
    proposed = is_proposed(cues=cues, recall_cues=recall, terms=terms, mentions=len(named), groups=len(groups),
                           names_participants=bool(rules.all_participants_re.search(sent.text)),
                           in_need_list=sent.in_need_list)
    return Candidate(sent.start, sent.end, sent.text, features, states,
                     attribution.how if attribution else "none", attribution.confidence if attribution else 0.0,
                     proposed, tuple(sentence_needs), excluded)
