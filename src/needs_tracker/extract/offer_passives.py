"""Help to come, in the passive, in an organisation's own report: the organisation gives it.

An IAEA meeting report writes "Hand-held radiation detection instruments will be supplied to Lebanon and
Yemen under the Nuclear Security Fund", "An expert mission to assist Lebanon in revising its regulations
... will be fielded in the first half of 2023"; an EU CBRN Centres of Excellence summary "Field detection
kits ... will be delivered to the Ministry of Emergency Situations of Kyrgyzstan under Project 92". No one
is named as the giver because the report's own organisation is: three batches by three writers. The
sentence rules need a named provider, so these are read here.

The report's organisation is the one organisation its heading lines name (the first lines, before the
body: "International Atomic Energy Agency / Division of Nuclear Security / Regional Meeting on ...").
Only a future passive of delivering help counts ("will be supplied|delivered|fielded|conducted|
provided|donated|deployed"; not "will be held", which is how a report announces its next meeting),
with no agent after it ("by Japan", "from the EU": the sentence rules read those), no organisation or
state named before the verb as its subject, a participating state helped, and a thing offered that
names an area. A giver not yet known ("with the support of a donor yet to be identified", "with funding
to be sought from donors") is no giver: the report's organisation only looks for one, so the sentence is no
offer of its own.
"""

from __future__ import annotations

import re

from ..states import state_index
from .assistance_records import AssistanceRules, OfferRecord
from .offer_categories import _categories
from .text import Sentence

DELIVERED = re.compile(r"\b(?:will|shall)\s+(?:also\s+)?be\s+(?:supplied|delivered|fielded|conducted|provided|"
                       r"donated|deployed)\b(?!\s+(?:by|from|through)\b)", re.I)
# a hedge or a condition that keeps it undecided ("will be provided if funds allow" still counts: a condition)
UNDECIDED = re.compile(r"\b(?:could|might|may|would)\b|\bno (?:decision|commitment)\b|\bbeing considered\b", re.I)
HEADING_LINES = 3
# A modal cue on "receive" ("will receive", from the broad cue "will|would|... *"): see ``receives``.
RECEIVER_CUE = re.compile(r"(?:will|would|could|can|shall|might)\s+(?:also\s+)?receiv\w*")
# a state named before the verb that is helped, not the subject ("An expert mission to assist Niger ...")
HELPED_BEFORE = re.compile(r"\b(?:assist|help|to|for|of|in)\s+$")
# a state that gives: "... supplied to Ghana by Japan", "with funds from Norway"
GIVER_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?$")
# a giver named later in the sentence, by someone the rules do not know ("... supplied to Lebanon by the host
# government", "... delivered to Yemen by its national authorities"): not the report's organisation; "by" before
# a time ("by the end of 2025", "by March", "by mid-2024") or a means ("by road") names no giver
AGENT_LATER = re.compile(
    r"\bby\s+(?!(?:the\s+)?(?:end|middle|beginning|start|close|time|latest|first|second|third|fourth|last|next)\b|"
    r"(?:mid-?|early\s+|late\s+)?(?:\d|Q[1-4]\b|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b)|(?:means|way|road|air|sea|rail|then|now)\b)\w", re.I)

# a giver still to be found: "a donor yet to be identified", "funding (is) to be sought from donors", "subject to
# the identification of a donor", "once a donor has been found" (not "if funds allow": a condition on help that
# the report's organisation gives, which still counts)
_FUNDER = r"(?:donors?|funders?|sponsors?|partners?|funding|funds|financing|financial\s+support|resources)"
GIVER_UNKNOWN = re.compile(
    rf"\b{_FUNDER}\s+(?:(?:is|are)\s+)?(?:(?:still|yet)\s+)?to\s+be\s+(?:sought|identified|found|secured|"
    r"mobili[sz]ed|raised|determined|confirmed)\b|"
    rf"\b(?:identification|identifying|search\s+for|mobili[sz]ation)\s+(?:of\s+)?(?:an?\s+|the\s+)?{_FUNDER}|"
    r"\b(?:once|when|until|after|if|pending|as\s+soon\s+as)\s+(?:an?|the)\s+(?:donors?|funders?|sponsors?)\s+"
    r"(?:has|have|is|are)\s+(?:been\s+)?(?:identified|found|secured)\b", re.I)


def receives(cue: tuple, text: str, provider_end: int, stop: int, hosted: frozenset[str] | set[str]) -> bool:
    """Whether the provider read for an offer cue is the subject of "will receive", and so only receives:
    "Ghana will receive radiation detectors with the support of a donor yet to be identified" is no offer of
    Ghana's (a recipient is never the giver; a giver named after "from" is read by the caller, else no one
    offers). Not when another subject stands between ("It confirmed that Belize and Honduras would receive a
    legal review": "it" gives), nor when the subject receives visitors, which is hosting them, its offer
    ("could receive Jordanian licensing officers for a study visit", "will receive ten customs officers")."""
    if not RECEIVER_CUE.fullmatch(cue[3]) or provider_end > cue[0]:
        return False
    between = text[provider_end:cue[0]]
    if re.search(r"\b(?:that|which|who|whom|whose)\b", between, re.I) or state_index().find_mentions(between):
        return False
    return not set(re.findall(r"[a-z]+", text[cue[1]:stop].lower())) & set(hosted)


def report_issuer(text: str, rules: AssistanceRules) -> str | None:
    """The one organisation the report's first lines name, or None (none, several, or a state's report)."""
    head = [line for line in text[:600].split("\n") if line.strip()][:HEADING_LINES]
    found = {p.id for line in head for p, _s, _e in rules.find_providers(line)}
    return found.pop() if len(found) == 1 else None


def issuer_passives(sentences: list[Sentence], text: str, participants: dict[str, str], topics: set[str],
                    rules: AssistanceRules) -> list[OfferRecord]:
    """The report's organisation's offers written in the passive with no giver (see the module)."""
    issuer = report_issuer(text, rules)
    if issuer is None:
        return []
    idx = state_index()
    out: list[OfferRecord] = []
    for sent in sentences:
        m = DELIVERED.search(sent.text)
        if m is None or UNDECIDED.search(sent.text) or rules.not_offer_kind(sent.text) is not None:
            continue
        if AGENT_LATER.search(sent.text, m.end()):
            continue  # "... will be supplied to Lebanon by the host government": someone else gives
        if GIVER_UNKNOWN.search(sent.text):
            continue  # "... with the support of a donor yet to be identified": no giver yet, no offer
        if rules.find_providers(sent.text) or rules.programme_re.search(sent.text):
            continue  # a giver named anywhere: the sentence rules decide
        states = idx.find_mentions(sent.text)
        if any(x.end <= m.start() and not HELPED_BEFORE.search(sent.text, max(0, x.start - 12), x.start)
               or GIVER_BEFORE.search(sent.text, max(0, x.start - 30), x.start) for x in states):
            continue  # "Ghana will be provided ...", "... supplied to Ghana by Japan": a state is subject or giver
        helped = tuple(dict.fromkeys(x.iso3 for x in states if x.iso3 in participants))
        if not helped:
            continue
        categories, factor, how = _categories(sent, 0, topics, stop=m.start())
        if categories == ["other"] or how == "offered-event":
            continue
        out += [OfferRecord(issuer, None, category, helped, "named", sent.text, sent.start, sent.end,
                            round(0.55 * factor, 2), f"offer/issuer-passive/{how}") for category in categories]
    return out
