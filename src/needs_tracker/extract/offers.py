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

import bisect
import re
from dataclasses import dataclass

from ..states import state_index
from . import offer_providers, offer_wide
from .assistance_records import AssistanceRules, OfferRecord, load_assistance_rules
from .offer_categories import BE_DONE, DAY_DATE, _categories, first_quote_end
from .offer_passives import issuer_passives, receives
from .offer_providers import LISTED_WITH, RECIPIENT_BEFORE, _candidates, _providers, _recipients, ends_with
from .offer_speakers import PRONOUN_SUBJECT, doc_context, latter_or_former, previous_subject, quoted_speaker
from .offer_wide import frame_tokens, wide_cues
from .text import Block, Sentence

__all__ = ["CONFIDENCE", "LISTED_WITH", "OFFER_HEADING", "OfferCandidate", "_candidates", "_recipients",
           "find_offers", "offer_candidates"]

# (a relative clause only: "Kazakhstan, recalling its inter-agency commission, offered to share that
# experience": a participle's words may be what is offered)
RELATIVE_ONLY = re.compile(r",\s*(?:which|who|whose)\b[^,]*,", re.I)
OFFER_HEADING = re.compile(
    r"\b(offers?|offered|pledges?|pledged|commitments?|partners?|donors?|providers?|assistance available|"
    r"available assistance)\b",
    re.I)
CONFIDENCE = {"strong": 0.85, "weak": 0.65, "listed": 0.75, "modal": 0.55, "broad": 0.5}

# "is ready, subject to budget approval, to fund", "would, upon request, send": the cue read without its aside
CUE_ASIDE = re.compile(r"\b(ready|prepared|willing|available|able|stands? ready)(\s*,[^,;]{2,80},\s*)(to\s)|"
                       r"\b(will|would|shall|could|can)(\s*,[^,;]{2,40},\s*)([a-z]+\s)", re.I)
# a label that names who speaks, then a colon: "Finland (STUK):", "Japan:" (not "The EU's aim:")
LABEL_END = re.compile(r"(?:\)|\b[A-Z][\w.&-]*)\s*:$")
COMMON_NOUN_RELATIVE = re.compile(r"\b[a-z][a-z-]+\s+(?:who|that)\s+$")  # "the officers who will ..."
# a future passive with its agent: "Scanners will be financed by Sweden", "a course is to be delivered by
# the WCO" (the agent offers; a past one, "was funded by Norway", is the event's own funding)
FUTURE_PASSIVE = re.compile(
    r"\b(?:will|would|shall|is to|are to|is going to|are going to)\s+(?:also\s+|then\s+|now\s+)?be\s+"
    r"(?:\w+ly\s+)?(?:provided|delivered|financed|funded|co-funded|supplied|offered|given|run|organi[sz]ed|"
    r"conducted|hosted|sent|seconded|donated|covered|made available|deployed|carried out|led|paid for|"
    r"sponsored|supported)\b(?=\s+(?:[\w,'’()-]+\s+){0,8}?(?:by|under)\s)", re.I)  # "under the EU P2P Programme"
GIVEN_TO_OTHERS = re.compile(r"\bbe\s+(?:\w+ly\s+)?(?:provided|delivered|financed|funded|co-funded|supplied|"
                             r"offered|given|sent|seconded|donated|made available|deployed|paid for|sponsored)$")
# an agreed action written as "<name> to <verb>" at the head of a clause: "The following was agreed: Sweden to
# provide a licensing adviser to Malawi; Japan to donate detectors", "1. UNODA to organise a workshop"
class _CueGroup:
    """A pattern whose cue is its first group (the words before it only say where it may stand)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def finditer(self, text: str):
        for m in self.pattern.finditer(text):
            yield _GroupMatch(m)


@dataclass(frozen=True)
class _GroupMatch:
    m: re.Match

    def start(self) -> int:
        return self.m.start(self.m.lastindex or 1)  # (the one cue group that took part)

    def end(self) -> int:
        return self.m.end(self.m.lastindex or 1)

    def group(self, _n: int = 0) -> str:
        return self.m.group(self.m.lastindex or 1)


AGREED_ACTION = _CueGroup(re.compile(
    r"(?:^|[:;])\s*(?:\(?\w{1,3}[.)]\s+)?(?:the\s+)?[A-Z][\w&'’-]*(?:\s+[A-Z(][\w&'’()-]*){0,5}\s+"
    r"(to\s+(?:provide|donate|fund|finance|organi[sz]e|deliver|host|send|second|supply|train|run|support|assist|"
    r"help|share|lend|deploy)\b)"))
# an agreement's future action for a named party: "The memorandum paves the way for the Agency's programme to
# install scanners in ...", "The arrangement calls for Norway's institute to train ...": the verb after "to" is
# the cue, so the party named before it offers (read like a modal verb: for another state, naming an area)
WAY_FOR = _CueGroup(re.compile(
    r"\b(?:paves?|paved|paving|opens?|opened|clears?|cleared)\s+the\s+way\s+for\s+[^.;:]{2,140}?\s"
    r"(to\s+(?:work|install|provide|deliver|train|supply|help|assist|support|equip|fund|finance|deploy|conduct|"
    r"donate|upgrade|build|establish)\b)|"
    r"\bcalls?\s+for\s+(?:the\s+)?[A-Z][^.;:]{2,140}?\s"
    r"(to\s+(?:work|install|provide|deliver|train|supply|help|assist|support|equip|fund|finance|deploy|conduct|"
    r"donate|upgrade|build|establish|collaborate|cooperate)\b)"))
# where the party of WAY_FOR starts ("... the way for | Japan's bureau to install")
WAY_LEAD = re.compile(r"\b(?:the\s+way|calls?)\s+for\s+(?=[^.;:]*$)")
# money announced with its amount: "announced more than $28 million in support through ...", "pledged over
# EUR 2 million": an offer as outright as "announced a contribution"
ANNOUNCED_MONEY = _CueGroup(re.compile(
    r"\b(announce[sd]?|pledge[sd]?)\s+(?:a\s+(?:further|new|total\s+of)\s+|(?:more|less)\s+than\s+|over\s+|"
    r"nearly\s+|almost\s+|some\s+|about\s+|up\s+to\s+)?(?=(?:USD|EUR|CAD|GBP|AUD|CHF|JPY|US\$|\$|€|£|¥)\s?\d)"))
# the recipient as subject, the giver named before what it gives: "Zambia and others will receive IAEA assistance
# in ...", "Peru is to receive further OSCE training" (the cue ends where the giver's name starts)
RECEIVE_NAMED = _CueGroup(re.compile(
    r"\b(?:will|would|shall|are\s+to|is\s+to)\s+(?:also\s+)?(receive\s+(?:further\s+|additional\s+|new\s+)?)"
    r"(?=(?:the\s+)?[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,3}\s+(?:assistance|support|training|help|funding|expertise)\b)"))
# money paid into a fund in the present tense: "China contributes to the IAEA Nuclear Security Fund to ...",
# "Norway regularly contributes to the UNODA Trust Fund" (a standing payment, like a modal verb's promise)
INTO_FUND = _CueGroup(re.compile(
    r"\b([Cc]ontribut(?:es|e|ing))\b(?=\s+(?:[\w$€£,.]+\s+){0,4}?to\s+(?:the\s+)?(?:[A-Z(][\w'’()-]*\s+){0,8}?"
    r"(?:[Tt]rust\s+)?[Ff]und\b)"))
# "the readiness of UNLIREC to assist ...": the noun's agent stands ready, like "UNLIREC stands ready to"
READINESS_OF = re.compile(r"\b(?:readiness|willingness|preparedness)\s+of\b"
                          r"(?=\s+(?:the\s+)?(?:[\w'’()-]+\s+){0,8}?to\s+(?!the\b)[a-z]+)", re.I)


def _cues(text: str, rules: AssistanceRules, broad: bool = False) -> list[tuple[int, int, str, str]]:
    """Every offer cue no achievement, funding line or idiom cancels, in order, strong ones
    winning where two overlap: (start, end, strength, words)."""
    cancelled = rules.not_offer_clause(text)
    passives = list(FUTURE_PASSIVE.finditer(text))
    if cancelled and cancelled[0] in ("funding", "given") and any(
            cancelled[1] <= m.start() < cancelled[2] for m in passives):
        cancelled = None  # "will be funded by Canada" promises; "was funded by Norway" reports
    clause, after = (cancelled[1], cancelled[2]) if cancelled else (0, 0)
    hedged = rules.hedged_clauses(text)
    # "is ready, subject to budget approval, to fund ...": the cue read without its aside (blanked, so
    # offsets stay those of the sentence)
    text = CUE_ASIDE.sub(lambda m: "".join(g if i % 3 != 1 else " " * len(g)
                                           for i, g in enumerate(m.groups()) if g is not None), text)
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []  # the cues found, sorted and disjoint: an overlap is found by bisection
    patterns = [("strong", rules.strong_re), ("strong", ANNOUNCED_MONEY), ("modal", INTO_FUND),
                ("modal", RECEIVE_NAMED), ("modal", READINESS_OF), ("weak", rules.weak_re),
                ("modal", FUTURE_PASSIVE), ("modal", AGREED_ACTION), ("modal", WAY_FOR), ("modal", rules.modal_re)]
    for strength, pattern in patterns + ([("broad", rules.broad_re)] if broad else []):
        for m in pattern.finditer(text):
            if strength == "modal" and text[max(0, m.start() - 1):m.start()] == ":" and not LABEL_END.search(
                    text[:m.start()]):
                continue  # "The EU's aim: to strengthen ...": a common noun's colon, not a provider's label
            if strength != "strong" and COMMON_NOUN_RELATIVE.search(text, max(0, m.start() - 40), m.start()):
                continue  # "train the officers who will use them": the officers' verb, not an offer
            if any(s <= m.start() < e for s, e in hedged):
                continue  # "might be in a position to offer", "would decide on any contribution later"
            if (m.start() >= after or m.end() <= clause) and not _overlaps(taken, m.start(), m.end()):
                found.append((m.start(), m.end(), strength, " ".join(m.group(0).lower().split())))
                bisect.insort(taken, (m.start(), m.end()))
    merged: list[tuple[int, int, str, str]] = []
    for cue in sorted(found):  # "prepared to | consider requests", "offered to | receive a delegation": one cue
        if merged and text[merged[-1][1]:cue[0]].strip().lower() in ("", "to"):
            last = merged[-1]
            strength = "strong" if "strong" in (last[2], cue[2]) else cue[2] if last[2] == "broad" else last[2]
            merged[-1] = (last[0], cue[1], strength, f"{last[3]} {cue[3]}")
        else:
            merged.append(cue)
    return merged


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




PURPOSE_BACK = re.compile(r"\b(?:for|to)\s+(?:that|this|the\s+same)\s+(?:purpose|end)\b", re.I)
PRO_FORM = re.compile(r"\s*(?:to\s+)?(?:do\s+so|do\s+the\s+same|(?:this|that|such|its|their)\s+(?:support|"
                      r"assistance|work|cooperation|help))\b", re.I)
AND_THEN = re.compile(r"(?:,\s*)?\band\s+(?:also\s+|then\s+)?$", re.I)  # a second verb of the same subject
HEADLINE = re.compile(r"^\s*(?:SUBJECT|SUBJ|Subject)\s*:")  # a cable's subject line sums up its body


@dataclass
class OfferCandidate:
    """A sentence that may offer help: what the rules make of it, and what a permissive reading
    (broad cues, no filters beyond "someone named offers") would propose, for the learned
    offer model to decide between (see ``needs_tracker.learn.offer_model``)."""
    sentence: Sentence
    masked: str  # the sentence with providers, states and numbers masked, so words generalise
    features: str  # the rules' view as tokens ("cue:strong prov:org recip:named ...")
    rule_offers: list[OfferRecord]
    proposals: list[OfferRecord]


def _sentence_offers(sent: Sentence, cues: list, cands: list, participants: dict[str, str], topics: set[str],
                     strict: bool) -> tuple[list[OfferRecord], list[str]]:
    """The offers one sentence makes, and the tokens that say how they were found. ``strict``:
    the rules' filters apply (a weak promise must name an area, a modal one must come from a
    donor or name another state); otherwise they are left to the learned model."""
    rules = load_assistance_rules()
    text = sent.text
    out: list[OfferRecord] = []
    notes: list[str] = []
    previous: list = []
    previous_to: set[str] = set()
    into_fund = False
    starts = [c[2] for c in cands]  # (in the order they start)
    for i, cue in enumerate(cues):
        # "The EU could support X, and UNODA undertook to share Y": each cue has its own
        # provider (named since the previous cue) and its own object (up to the next cue).
        stop = cues[i + 1][0] if i + 1 < len(cues) else len(text)
        if i + 1 < len(cues) and (semi := text.find(";", cue[1], stop)) >= 0:
            stop = semi  # "Sweden to provide an adviser to Malawi; Japan to donate ...": Japan is no recipient
        lower = cues[i - 1][1] if i else 0
        if cue[2] == "listed":  # "Australia, New Zealand and the United States (jointly): ..."
            # (not a recipient named first: "To Zambia: portal monitors (Japan)")
            named = [c for c in cands if not RECIPIENT_BEFORE.search(text[:c[2]])] or cands
            providers, how = [named[0]], "listed"
            for c in named[1:]:
                if not LISTED_WITH.fullmatch(text[providers[-1][3]:c[2]]):
                    break
                providers.append(c)
        elif previous and ends_with(AND_THEN, text, cue[0]):
            providers, how = previous, "same-subject"  # "the OSCE would support X and offered to ..."
        else:
            providers, how = _providers(text, cue[:2], cands[bisect.bisect_left(starts, lower):],
                                        coordinated=not i and ends_with(AND_THEN, text, cue[0]))
            quote = first_quote_end(text, cue[1])
            if not providers and quote is not None:  # '"We stand ready to help ...," said the UNODA representative'
                speaker = [c for c in cands if c[2] >= quote]
                providers, how = (speaker[:1], "speaker") if speaker else ([], "none")
            if not providers and previous:
                providers, how = previous, "same-subject"  # "Japan offered A and stood ready to B"
        way = WAY_LEAD.search(text, lower, cue[0])
        party = [c for c in cands if way.end() <= c[2] and c[3] <= cue[0]] if way else []
        if party:  # "paves the way for Japan's customs bureau to install ...": the party after "for" acts
            providers, how = party[:1], "agent"
        if previous and providers and all(p[1] and p[1] in previous_to for p in providers):
            # "France offered to accompany Senegal ..., by putting at disposal an expert": still France
            providers, how = previous, "same-subject"
        if into_fund and FUND_USE.search(text[lower:cue[0]]):
            continue  # "gives £4m to the Nuclear Security Fund, which will support ...": what the fund does
        received = RECEIVES_FROM.match(text, providers[-1][3]) if providers else None
        if received and set(re.findall(r"[a-z]+", received.group(0).lower())) & rules.offered_heads.hosted:
            received = None  # "Spain will receive two officials from Honduras": the host offers, the guests come
        giver = [c for c in cands if c[2] == received.end()] if received else []
        if re.fullmatch(r"receive(?: further| additional| new)?", cue[3]):  # "will receive IAEA assistance": the
            # name after the cue gives (not "receive * officials": hosting them is the subject's offer)
            giver = [c for c in cands if 0 <= c[2] - cue[1] <= 6 and re.fullmatch(r"\s*(?:the\s+)?", text[cue[1]:c[2]])]
            if not giver:
                continue  # (an unknown giver: the subject receives, it offers nothing)
        if giver:  # "Peru will receive a course on licensing from Spain": Spain offers it
            providers, how = giver, "agent"
        if not providers or (not giver and receives(cue, text, providers[-1][3], stop, rules.offered_heads.hosted)):
            continue  # "participants were offered a tour": nobody named offers anything; "X will receive ...": X gets
        previous = providers
        recipients, kind = _recipients(text[:stop], cue[1], providers, participants, rules)
        previous_to = set(recipients) if kind == "named" else set()
        # ("portable detectors would be provided to the customs service of Niger": a passive with no agent names
        # what is offered before its cue too)
        passive = (how == "agent" and cue[3] not in ("offer", "offers")) or bool(
            MODAL_BE.fullmatch(cue[3]) and PARTICIPLE.match(text, cue[1])) or bool(BE_DONE.search(cue[3]))
        # "Training on licensing was offered by the IAEA": what is offered comes before the cue
        categories, factor, cat_how = _categories(sent, lower if passive else cue[0], topics, stop=stop)
        if categories == ["other"] and cue[0] > lower and not RELATIVE_ONLY.search(text, lower, cue[0]):
            # "UNICRI to help the laboratories draft biosecurity plans (offered during the session)":
            # nothing after the cue names an area, the words before it may (not those of an aside:
            # "The IAEA, which delivered a course in 2024, will review ...")
            # (from the provider on when it stands before the cue: "They reviewed Togo's action plan and agreed how
            # partners such as UNODC will commit to provide assistance": the plan is not what UNODC offers)
            # (but "..., and EU experts stand ready to travel for that purpose": the purpose is the clause before)
            first = (providers[0][2] if providers[0][2] < cue[0] and how == "subject"
                     and not PURPOSE_BACK.search(text, cue[1], stop) else lower)
            before = _categories(sent, max(lower, first), topics, stop=stop)
            if before[2] in ("offered-strong", "offered-training", "offered-equipment"):  # not "the Co-ordinator"
                # (an event before the cue is the one the note reports, not an offer)
                categories, factor, cat_how = before[0], before[1] * 0.9, before[2]
        if categories == ["other"] and PRO_FORM.match(text, cue[1]):
            # "has supported X through its security plan since 2019 and will continue to do so": what is
            # continued is what the clause before the cue names, means included
            categories, factor, cat_how = _categories(sent, lower, topics, stop=cue[0], means=True)
        if categories == ["other"]:  # "will help X, through a national workshop": the means says it
            categories, factor, cat_how = _categories(sent, lower if passive else cue[0], topics, stop=stop,
                                                      means=True)
        donors = all(p[1] is None or rules.programme_re.fullmatch(text[p[2]:p[3]]) for p in providers)
        own_plan = not (donors or (kind in ("named", "group") and set(recipients) - {p[1] for p in providers})
                        or GIVEN_TO_OTHERS.search(cue[3]) or offer_providers.OTHERS_NAMED.search(text, cue[1], stop))
        notes += [f"how:{how}", f"recip:{kind}", f"cat:{cat_how}",
                  "prov:org" if donors else "prov:state", *(["own_plan"] if own_plan else [])]
        # "CAD 2 million to the Trust Fund", "its annual contribution to the UN Trust Fund"
        money = MONEY.search(text, cue[1], stop)
        if money is None and cue[3].startswith("contribut") and FUND.match(text, cue[1], stop):
            money = CONTRIBUTE.match(text, cue[0])  # "contributes to the Fund": the payment is the cue itself
        if money is None and (given := CONTRIBUTION.search(text, cue[1], stop)) and FUND.match(text, given.end(), stop):
            money = given  # (not "a solid contribution to the implementation of resolution 1540")
        fund = FUND.match(text, money.end(), stop) if money else None
        into_fund = bool(fund)
        if fund:  # money paid into a fund is help for others, never the payer's own plan
            own_plan = False
            # the fund's name ("Nuclear Security Fund") is not what is offered, what it is earmarked for may be
            # ("..., earmarked for national action plans")
            categories, factor, cat_how = _categories(sent, fund.end(), topics, stop=stop)
            cat_how = "money" if categories == ["other"] else cat_how
        money = money if categories == ["other"] else None
        if strict and cue[2] in ("weak", "modal", "listed") and (
                (categories == ["other"] and not money) or (cat_how == "offered-event" and DAY_DATE.search(text))):
            continue  # "Kazakhstan will provide an update": a promise that names no area is no offer
        if strict and cue[2] == "modal" and own_plan:
            continue  # "Kazakhstan will adopt its control list": a state's own plan, not help for another
        confidence = round(CONFIDENCE[cue[2]] * factor, 2)
        for name, iso3, _s, _e in providers:
            for category in categories:
                out.append(OfferRecord(name, iso3, category, recipients, kind, text, sent.start, sent.end,
                                       confidence, f"offer/{how}/{cat_how}/{cue[3]}"))
    return out, notes


def _masked(text: str, cands: list) -> str:
    """Providers become PROVIDER, other states STATE, digits 0: the model learns how an offer is
    phrased, not who made the offers it was shown."""
    out, last = [], 0
    for _name, _iso3, s, e in cands:
        if s >= last:
            out += [text[last:s], " PROVIDER "]
            last = e
    out.append(text[last:])
    masked = "".join(out)
    for m in reversed(state_index().find_mentions(masked)):
        masked = masked[:m.start] + " STATE " + masked[m.end:]
    return re.sub(r"\d", "0", masked)


def _skipped(sent: Sentence, in_table: list, title: str | None) -> bool:
    """A table row read already; what the event aimed to offer; a headline's summary. (A page with no
    headline gets its first sentence as title: "The UK will make a contribution of £4m to ... ." is a
    sentence of the body, full stop and all, and is read.)"""
    if title and sent.text.strip().endswith(".") and sent.text.strip()[:-1].strip() == title.strip():
        return _overlaps(in_table, sent.start, sent.end)
    return (_overlaps(in_table, sent.start, sent.end) or sent.in_objective_list
            or sent.section == "objectives" or bool(HEADLINE.match(sent.text)) or sent.text.strip() == title
            or (sent.start > 0 and _restates_title(sent.text, title)))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the sorted, disjoint ``spans`` (table rows) overlaps [start, end): by bisection,
    so a note of thousands of rows is not read in quadratic time."""
    at = bisect.bisect_left(spans, (end, end)) - 1  # the last row starting before ``end``
    return at >= 0 and spans[at][1] > start


# a title naming an event (the note's own), not a pledge or a programme's news
EVENT_TITLE = re.compile(r"\b(?:workshops?|seminars?|conferences?|courses?|trainings?|meetings?|exercises?|"
                         r"round\s*tables?|dialogues?|forums?|symposi(?:um|a)|visits?|missions?|sessions?)\b", re.I)


def _restates_title(sentence: str, title: str | None) -> bool:
    """The note's own event announced again ("UNRCPD will hold a national workshop on ... in
    Kathmandu" under the title "UNRCPD to hold national workshop on resolution 1540 in Kathmandu"):
    nearly every word of a title of some length is in the sentence."""
    words = {w for w in re.findall(r"[a-z0-9]+", (title or "").lower()) if len(w) > 3}
    if len(words) < 4 or not EVENT_TITLE.search(title or ""):
        return False  # (a headline announcing a pledge is summed up by the sentence that makes it: that one is read)
    have = set(re.findall(r"[a-z0-9]+", sentence.lower()))
    return len(words & have) >= 0.8 * len(words)


def offer_candidates(blocks: list[Block], sentences: list[Sentence], participants: dict[str, str],
                     topics: set[str] | None = None, text: str = "", title: str | None = None
                     ) -> tuple[list[OfferRecord], list[OfferCandidate]]:
    """(the offers the rules alone decide: tables, a report's passives; a candidate per provider beside a cue)."""
    from .offer_tables import all_table_offers, cell_sentences, table_lines  # it reads cells with this module's helpers

    rules = load_assistance_rules()
    topics = topics or set()
    listed = _offer_list_items(blocks)
    doc = doc_context(text, rules)
    tables, settled = all_table_offers(text, participants, topics, doc)
    tables += issuer_passives(sentences, text, participants, topics, rules)  # "... will be supplied to X" (IAEA's)
    in_table = [(s, s + len(line)) for s, line in table_lines(text)] if "|" in text else []
    cells = cell_sentences(text, sentences, settled) if in_table else []
    out: list[OfferCandidate] = []
    carried: dict[int, list] = {}  # sentence index -> the providers its leading pronoun stands for
    context: list = []  # the subject of the last sentence that named a provider (see offer_wide)
    for n, (sent, is_cell) in enumerate([*((x, False) for x in sentences), *((x, True) for x in cells)]):
        if not is_cell and _skipped(sent, in_table, title):
            continue
        cues = _cues(sent.text, rules, broad=True)
        # no offer cue, an assistance word: proposed for the model alone, never by the rules
        wide = offer_wide.WIDE and not cues and not is_cell and sent.block not in listed and wide_cues(sent.text)
        cues = cues or wide or []
        cands = _candidates(sent.text, rules, doc) if cues or sent.block in listed else []
        pronoun = PRONOUN_SUBJECT.match(sent.text) if cues and not is_cell and n else None
        if pronoun and (subjects := previous_subject(sentences, n, carried, lambda t: _candidates(t, rules, doc),
                                                     LISTED_WITH)):
            # "Norway took the floor. It will finance ...": the pronoun is the previous sentence's subject
            carried[n] = subjects
            cands = sorted(cands + [(c[0], c[1], pronoun.start(1), pronoun.end(1)) for c in subjects],
                           key=lambda c: c[2])
        if cues and not is_cell:  # "The latter will be funding ...": the last provider named before
            cands = sorted(cands + latter_or_former(sentences, n, lambda t: _candidates(t, rules, doc)),
                           key=lambda c: c[2])
        if cues and 0 <= sent.block < len(blocks):  # "We will continue ..." inside a quote by NNSA's Baker
            block = blocks[sent.block]
            cands = sorted(cands + quoted_speaker(sent.text, text[block.start:sent.start], block.text,
                                                  lambda t: _candidates(t, rules)), key=lambda c: c[2])
        if cands:
            context = cands[:1]
        elif wide and context and offer_wide.CONTEXT:  # "The project will train ...": the last one named
            cands = [(c[0], c[1], 0, 0) for c in context]
        if not cands:
            continue
        strict_cues = _cues(sent.text, rules) if cues and not wide else []
        if not strict_cues and sent.block in listed and rules.not_offer_kind(sent.text) is None:
            first = cands[0]  # "IAEA: a national training course on physical protection for Mongolia"
            strict_cues = cues = [(first[3], first[3], "listed", "(listed offer)")]
        rule_offers, _ = _sentence_offers(sent, strict_cues, cands, participants, topics, strict=True)
        proposals, notes = _sentence_offers(sent, cues, cands, participants, topics, strict=False)
        if not proposals:
            continue
        cancelled = rules.not_offer_kind(sent.text)
        # Not the rules' verdict nor a cue's strength: the labelled notes were found by rules tuned
        # on them, and a model fed those would only learn to trust the rules.
        notes += [f"sec:{sent.section}", *([f"not_offer:{cancelled[0]}"] if cancelled else [])]
        if offer_wide.FRAME:
            heading = 0 <= sent.block < len(blocks) and blocks[sent.block].kind == "heading"
            notes += [*(["cue:wide"] if wide else []), *(["prov:context"] if cands[0][3] == 0 else []),
                      *frame_tokens(sent.text, n, heading)]
        out.append(OfferCandidate(sent, _masked(sent.text, cands), " ".join(dict.fromkeys(notes)),
                                  _dedupe(rule_offers), _dedupe(proposals)))
    return tables, out


def _dedupe(offers: list[OfferRecord]) -> list[OfferRecord]:
    """One offer per (provider, category); "other" only for a provider that offers nothing named
    in the sentence ("announced that it would deliver portal monitors": detection equipment)."""
    named = {o.provider for o in offers if o.category != "other"}
    return list({(o.provider, o.category, o.start): o for o in offers
                 if o.category != "other" or o.provider not in named}.values())


def find_offers(blocks: list[Block], sentences: list[Sentence], participants: dict[str, str],
                topics: set[str] | None = None, text: str = "", title: str | None = None) -> list[OfferRecord]:
    """The rules' offers, with the learned offer model (when one is shipped) keeping or
    dropping each sentence's rule offers and taking up sentences only broad cues found."""
    from ..learn.offer_runtime import decide

    tables, candidates = offer_candidates(blocks, sentences, participants, topics, text, title)
    return settle_offers(tables + decide(candidates), blocks, sentences, topics)


def settle_offers(offers: list[OfferRecord], blocks: list[Block], sentences: list[Sentence],
                  topics: set[str] | None) -> list[OfferRecord]:
    """The decided offers completed by money lines under a pledge and cleared of area-less repeats
    (apart from ``find_offers`` so the evaluation can re-decide stored candidates without re-reading)."""
    from .offer_lists import listed_items, money_follow_ups, money_items

    # "... announced $42 million. The funds will be allocated as follows:" and a money line per area
    offers += money_items(blocks, sentences, offers, topics or set())
    # "Canada could provide the following types of assistance:" and a bullet per area
    offers += listed_items(blocks, sentences, offers, topics or set())
    # "... announced EUR 5 million. Of the total amount, EUR 900 000 has been set aside for ..."
    offers += money_follow_ups(sentences, offers, topics or set())
    # "The UK offer matches a request Uganda sent": an offer naming no area from a provider whose
    # offer elsewhere in the note names one is that offer recalled, unless it gives money
    named = {o.provider for o in offers if o.category != "other"}
    # the model takes up a sentence only for something named: "will discuss the results with Georgia" is no offer
    return [o for o in offers if o.category != "other" or MONEY.search(o.evidence)
            or (o.provider not in named and not o.rule.startswith("learned"))]


MODAL_BE = re.compile(r"(?:will|would|shall|is to|are to)(?: also)? be")
# (not an adjective of the subject's readiness or feeling: "Canada would be interested to support ...", "the UK
# would be delighted to provide ..." are the subject's offers, read from the cue on; a closed class, since a true
# passive takes "to" as well: "would be provided to the customs service", "will be used to train")
PARTICIPLE = re.compile(r"\s+(?:\w+ly\s+)?(?!(?:interest|delight|pleas|prepar|commit|honou?r|determin|excit|inclin|"
                        r"dispos|oblig|gratifi|thrill|privileg|motivat|encourag|satisfi|content|concern)ed\b)"
                        r"[a-z]+(?:ed|held|given|run|sent|made)\b(?!\s+by\b)")
# a relative clause on a fund just paid into: "..., which will support work to ...", "... that will help ..."
FUND_USE = re.compile(r"(?:,\s*|\s)(?:which|that)\s+(?:\w+ly\s+)?$")
# the subject receives, the agent after "from" gives: "Peru will receive a course ... from Spain"
# ("South Africa offered to receive a delegation from Namibia": the host offers, the visitors receive)
RECEIVES_FROM = re.compile(r"[^.;]{0,40}?(?<!to )\breceiv\w*\b[^.;]*?\bfrom\s+(?:the\s+)?", re.I)
# money paid into a named fund or programme: "to the IAEA Nuclear Security Fund", "to the UNODA programme",
# "to the International Atomic Energy Agency's (IAEA's) Nuclear Security Fund"
FUND = re.compile(r"\s*(?:[\w,]+\s+){0,4}?to\s+(?:the\s+|its\s+|our\s+)?(?:\(?[A-Z0-9][\w'’-]*\)?\s+){0,8}?"
                  r"(?:[Ff]und|[Tt]rust [Ff]und|[Pp]rogramme|[Pp]rogram|[Ff]acility)\b")
# a contribution, with or without its amount, read like money when it goes to a fund ("its annual
# contribution to the UN Trust Fund")
# ("is providing financial support to the programme": money too)
CONTRIBUTION = re.compile(r"\bcontributions?\b|\bfinancial\s+(?:support|assistance)\b", re.I)
CONTRIBUTE = re.compile(r"contribut\w*", re.I)
# money: "CAD 2 million", "EUR 500,000", "two million Canadian dollars"
MONEY = re.compile(r"(?:USD|EUR|CAD|GBP|AUD|NZD|CHF|JPY|SEK|NOK|DKK|KRW|US\$|\$|€|£|¥)\s?\d|"
                   r"\d[\d,.]*\s*(?:million|billion)\b|"
                   r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|half a)\s+(?:million|billion)\b|"
                   r"\b\d[\d,.]*\s+(?:[A-Z][a-z]+\s+)?(?:dollars|euros|pounds|francs|yen|kron[ae]r)\b", re.I)
