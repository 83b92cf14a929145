"""Who offers and to whom: the providers and recipients of one offer cue in a sentence.

A sentence names states and organisations in many roles; the one offering is found by where it
stands to the cue: the maker of an offer named as a noun ("France's offer", "a commitment by Spain",
"the offer of a review from UNREC"), the agent of a passive ("will be delivered by the WCO", "was
announced by Sweden"), else the subject before the cue and those listed with it (not an object of
"to"/"for"/"assist", not a name inside an aside), else an agent after "by"/"from". Recipients are
the states named after the cue, a group's participants, or every participant. Split from
``offers`` (which finds cues and builds the records) so each module keeps one responsibility.
"""

from __future__ import annotations

import bisect
import functools
import re

from ..states import state_index
from .assistance_records import AssistanceRules
from .offer_publisher import OFFICE
from .offer_speakers import PROGRAMME_AFTER, SPEAKER_WORDS, THE_AGENCY, THE_BODY, DocContext, stands_for_body

# "to Moldova", "for the OSCE": an object; "according to the UNLIREC Director, the Centre will ..." is a source
# "with the support of UNDP": a helper of the subject, not the subject
RECIPIENT_BEFORE = re.compile(r"\b((?<!according )to|(?<!speaking )for|with|in|at|into|towards|by|from|"
                              r"(?:support|help|assistance|funding|financing) of|"
                              # a verb's direct object: "continues to accompany Uganda ..., and this will run"
                              r"accompan(?:y|ies|ied|ying)|assist(?:s|ed|ing)?|help(?:s|ed|ing)?|"
                              r"equip(?:s|ped|ping)?|advis(?:e|es|ed|ing)|mentor(?:s|ed|ing)?|"
                              r"thank(?:s|ed|ing)?|welcom(?:e|es|ed|ing)|invit(?:e|es|ed|ing)|urg(?:e|es|ed|ing)|"
                              r"encourag(?:e|es|ed|ing)|congratulat(?:e|es|ed|ing))\s+(the\s+)?$", re.I)
# "together with the OSCE", and an aside "UNODA, with the OSCE, will hold ...": a partner in the offer
JOINTLY_WITH = re.compile(r"(?:\b(?:together|jointly|along)\s+|,\s*)with\s+(?:the\s+)?$", re.I)
PASSIVE_AGENT = re.compile(r"\s*(?:[\w'’-]+\s+){0,5}?(?:by|from)\s+(?:the\s+)?", re.I)
PASSIVE_UNDER = re.compile(r"\s*(?:[\w'’-]+\s+){0,3}?under\s+(?:the\s+|its\s+)?", re.I)
NOMINAL_AGENT = re.compile(r"\s+(?:(?:of\s+(?:[\w-]+\s+){0,2}?)?(?:of|from|by)|"
                           r"(?:(?:of|to|for)\s+(?:[\w,'’-]+\s+){0,7}?)?(?:from|by))\s+(?:the\s+)?", re.I)
# an offer, a pledge or a commitment named as a noun, with its maker before ("France's offer") or after it
OFFER_NOUN = re.compile(r"(?:offers?|pledges?|commitments?|undertakings?)\b", re.I)
POSSESSIVE = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}?", re.I)  # "France's offer", "the IAEA's generous pledge"
# a phrase fronted before the subject: "For Malawi, Sweden will ...", "To Zambia: ..."
FRONTED = re.compile(r"\W*(?:for|to|in|with|as for)\s+(?:the\s+)?$", re.I)
# a passive announcement: "was announced by Sweden", "were confirmed by the EU"
ANNOUNCED_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.I)
BY_NEXT = re.compile(r"\s+by\s")
ANNOUNCING = re.compile(r"(?:announced|confirmed|pledged|offered|promised|proposed|committed)", re.I)
LISTED_WITH = re.compile(
    r"[\s,()/]*(?:(?:and|as well as|together with|along with|jointly with|including)\s+)?(?:the\s+)?", re.I)
# an aside on the subject: "the EU, which has supported X, ...", "Norway, speaking after the EU, confirmed ..."
# (and a condition: "Canada indicated that, should Suriname submit a request, its Program would fund ...")
RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose|speaking|recalling|noting|referring|should|if|once|unless)\b"
                             r"[^,]*,", re.I)
# an organisation's members, those helped: "a course for customs officers of all CARICOM Member States will be held"
MEMBERS_AFTER = re.compile(r"\s+(?:[Mm]ember\s+[Ss]tates|[Pp]articipating\s+[Ss]tates|[Ss]tates\s+[Pp]arties|"
                           r"[Mm]ember\s+[Cc]ountries)\b")
# (only after "of", or as the subject of "receive": "CARICOM Member States that are interested ... could receive
# targeted assistance"; "OSCE participating States will fund ..." and "EU Member States will provide ..." are
# the subject that gives; "to"/"for" are objects already by RECIPIENT_BEFORE)
MEMBERS_OF = re.compile(r"\b(?:of|among|across)\s+(?:(?:all|the|its|their|\d+)\s+){0,3}$", re.I)
RECEIVING = re.compile(r"\breceiv", re.I)
# a person from a state or body speaks for it: "The observer from the United States Department of Energy indicated"
# ("from" is otherwise a giver's or a place's preposition, never the subject's)
SPEAKER_FROM = re.compile(r"\b(?:representatives?|observers?|delegates?|delegations?|experts?|officials?|speakers?|"
                          r"participants?|panellists?|panelists?)\s+from\s+(?:the\s+)?$", re.I)
RELATIVE_START = re.compile(r"\s*,\s*(?:which|who)\b[^,.;]*$", re.I)
# ("Danish funds will go toward ...": whose money it is)
AGENT_NOUN = re.compile(r"^\s*(delegation|government|experts?|authorities|side|representatives?|ministry|ambassador|"
                        r"minister|envoy|officials?|embassy|spokes(?:man|woman|person)|funds|funding|contributions?|"
                        r"grants?)\b", re.I)
# "the Australian Safeguards and Non-Proliferation Office", "the Australian Border Force": a state's agency
OWN_AGENCY = re.compile(r"^\s+(?:[A-Z][\w-]*\s+(?:and\s+|of\s+)?){0,5}(?:Office|Agency|Force|Service|Institute|"
                        r"Authority|Commission|Ministry|Department|Centre|Center|Administration|Board|Council|Embassy|"
                        r"Programme|Program)\b")
QUOTE_MARK = re.compile(r"[\"“”]")
NATIONAL_WORDS = re.compile(r"\b(?:[Oo]ur|[Mm]y)\s+(?:[Gg]overnment|country)\b")
# "The Secretariat remains committed ...", "The programme is committed to ..." on an organisation's own page
# (a body the note names in full is read first: see DocContext.body)
PUBLISHER_BODY = re.compile(r"\b[Tt]he\s+(?:(?:Technical\s+)?Secretariat|[Pp]rogramme|[Pp]rogram|Organi[sz]ation|"
                            r"Agency|Centre|Center)\b(?!\s+(?:of|for|on|in)\b)(?![\w-])")


def ends_with(pattern: re.Pattern, text: str, end: int, window: int = 120) -> bool:
    """Whether ``pattern`` (anchored at its end by ``$``) matches text[:end], read in the last
    ``window`` characters only: a sentence of many cues asks this once per cue, and reading it
    from its start each time was quadratic. (``search`` with pos/endpos sees the characters
    before ``pos`` for ``\\b`` and look-behinds, so a match inside the window is one in the
    prefix. The patterns read so span at most four words ("financing of the", ", and also"), so
    one starting before the window leaves at most four words in it: only then is the whole
    prefix read.)"""
    start = max(0, end - window)
    if pattern.search(text, start, end):
        return True
    return start > 0 and len(text[start:end].split()) <= 4 and bool(pattern.search(text, 0, end))


@functools.lru_cache(maxsize=8)
def _asides(text: str) -> tuple[tuple[int, int], ...]:
    """The sentence's asides ("the EU, which has supported X, ..."), found once. A match holds
    exactly two commas, its first and last characters, so those of text[:n] are those of the
    whole text ending by n."""
    return tuple(m.span() for m in RELATIVE_CLAUSE.finditer(text))


def _in_aside(asides: tuple[tuple[int, int], ...], at: int, before: int) -> bool:
    """Whether ``at`` lies inside an aside that ends by ``before``."""
    k = bisect.bisect_right(asides, (at, float("inf"))) - 1  # the last aside starting at or before ``at``
    return k >= 0 and asides[k][0] <= at < asides[k][1] <= before



def _candidates(text: str, rules: AssistanceRules, doc: DocContext | None = None
                ) -> list[tuple[str, str | None, int, int]]:
    """Every state or organisation named in the sentence: (provider, iso3, start, end)."""
    idx = state_index()
    orgs = [(p.id, None, s, e) for p, s, e in rules.find_providers(text)]
    agency = [m.span() for m in THE_AGENCY.finditer(text)] if doc is not None else []
    if agency and doc.agency:  # "The Agency indicated its readiness ..." in a note naming the IAEA
        orgs += [(doc.agency, None, s, e) for s, e in agency]
    if doc is not None:  # "the Regional Centre said it would help ..." in a note naming UNRCPD
        orgs += [(body, None, m.start(), m.end()) for m in THE_BODY.finditer(text)
                 if stands_for_body(text, m) and (body := doc.body(m.group(1)))
                 and not any(o[2] <= m.start() < o[3] for o in orgs)]
    states = [(m.text, m.iso3, m.start, m.end) for m in idx.find_mentions(text)]
    states += [(m.text, m.iso3, m.start, m.end) for m in idx.find_adjective_mentions(text)
               if AGENT_NOUN.match(text[m.end:]) or OWN_AGENCY.match(text[m.end:])]
    if doc is not None and (doc.speaker_iso3 or doc.speaker_org) and not QUOTE_MARK.search(text):
        # a statement: "my Government pledges ...", "We will fund ..."
        speaker = [(m.start(), m.end()) for m in SPEAKER_WORDS.finditer(text)]
        if doc.speaker_iso3:
            states += [(text[s:e], doc.speaker_iso3, s, e) for s, e in speaker]
        else:
            orgs += [(doc.speaker_org, None, s, e) for s, e in speaker]
    states += [(m.group(0), rules.programme_iso3[m.group(0).casefold()], m.start(), m.end())
               for m in rules.programme_re.finditer(text)]  # "EXBS offered ..." is the United States
    # "The representative of the EXBS Program stated that the Program was prepared to ...": "the Program" is the
    # state's programme the sentence named before it, when no organisation's programme stands for it
    own = [x for x in states if x[0].casefold() in rules.programme_iso3]
    states += [(m.group(0), before[-1][1], m.start(), m.end()) for m in THE_PROGRAMME.finditer(text)
               if (before := [x for x in own if x[3] <= m.start()]) and not any(o[2] <= m.start() < o[3] for o in orgs)]
    if doc is not None and doc.acronyms[0] is not None:  # "KINAC" after "Korea Institute ... (KINAC)"
        states += [(m.group(0), doc.acronyms[1][m.group(0)], m.start(), m.end())
                   for m in doc.acronyms[0].finditer(text)]
    states = [s for s in states if not any(o[2] <= s[2] < o[3] for o in orgs)]  # "... in Europe"
    if doc is not None and any(doc.publisher) and not (doc.speaker_iso3 or doc.speaker_org):
        # on a publisher's own page, "we", "our team", "the Secretariat", "the Programme" that no
        # organisation named in the note claims are the publisher ("We are the lead organisation on ...")
        named = orgs + states
        iso3, org = doc.publisher
        # (not inside a quotation: '"... we aim to benefit from the Programme"' may be a guest's words)
        own = [] if QUOTE_MARK.search(text) else [(m.start(), m.end()) for m in SPEAKER_WORDS.finditer(text)]
        if iso3 and QUOTE_MARK.search(text):  # a minister quoted on the government's page: "our government is ..."
            own += [m.span() for m in NATIONAL_WORDS.finditer(text)]
        if org:
            own += [m.span() for m in PUBLISHER_BODY.finditer(text)]
        for s_, e_ in own:
            if not any(c[2] <= s_ < c[3] for c in named):
                (states if iso3 else orgs).append((text[s_:e_], iso3, s_, e_) if iso3 else (org, None, s_, e_))
    if doc is not None and any(doc.publisher):  # "the Prime Minister announced ..." on a government's page
        named = orgs + states
        for m in OFFICE.finditer(text):
            if not any(c[2] < m.start() <= c[3] + 3 or m.end() <= c[2] <= m.end() + 9 for c in named):
                # (not "the U.S. Embassy", "the President of Ukraine": the office of the state named with it)
                iso3, org = doc.publisher
                (states if iso3 else orgs).append((m.group(0), iso3, m.start(), m.end()) if iso3
                                                  else (org, None, m.start(), m.end()))
    out: list[tuple[str, str | None, int, int]] = []
    for name, iso3, s, e in sorted(orgs + states, key=lambda c: c[2]):
        state = idx.get(iso3) if iso3 else None
        name = state.name if state else name
        if out and out[-1][0] == name and re.fullmatch(r"\s*\(\s*", text[out[-1][3]:s]):
            out[-1] = (name, iso3, out[-1][2], e)  # "International Atomic Energy Agency (IAEA)": one
            continue
        out.append((name, iso3, s, e))
    return out


def _providers(text: str, cue: tuple[int, int], cands: list, coordinated: bool = False) -> tuple[list, str]:
    """The providers of an offer whose cue spans ``cue``, and how they were found: the agent of
    a noun ("the offer of Japan", "offers of assistance from the EU"), else the subject before
    the cue with those listed with it, else the agent of a passive ("was offered by the IAEA")."""
    cue_start, cue_end = cue
    # (``cands`` come in the order they start: the slices are those a filter of every one would keep)
    starts = [c[2] for c in cands]
    after = cands[bisect.bisect_left(starts, cue_end):]
    if PASSIVE_CUE.search(text[cue_start:cue_end]):  # "will be delivered by the WCO": the agent, whatever precedes
        agent = next((c for c in after if PASSIVE_AGENT.fullmatch(text[cue_end:c[2]])), None)
        # "will be provided under the EU P2P Export Control Programme": the programme's owner gives it
        agent = agent or next((c for c in after if PASSIVE_UNDER.fullmatch(text[cue_end:c[2]])
                               and PROGRAMME_AFTER.match(text, c[3])), None)
        if agent:
            chosen = [agent]
            for c in after:
                if c[2] >= chosen[-1][3] and c is not agent and LISTED_WITH.fullmatch(text[chosen[-1][3]:c[2]]):
                    chosen.append(c)  # "by VERTIC and the UNODC"
            return chosen, "agent"
    if OFFER_NOUN.match(text, cue_start):
        # an offer named as a noun has its maker beside it: "France's offer", "the IAEA's pledge of",
        # "the offer of Japan", "an offer of a legislative review from UNREC", "a commitment by Spain"
        owner = next((c for c in cands if c[3] <= cue_start and POSSESSIVE.fullmatch(text, c[3], cue_start)), None)
        if owner:
            return [owner], "agent"
        by = re.search(r"\b(?:by|from)$", text[cue_start:cue_end], re.I)  # the cue "commitment by"
        for c in after:
            if NOMINAL_AGENT.fullmatch(text[cue_end:c[2]]) or (by and re.fullmatch(r"\s+(?:the\s+)?",
                                                                                   text[cue_end:c[2]])):
                return [c], "agent"
    if ANNOUNCING.fullmatch(text, cue_start, cue_end) and (
            ends_with(ANNOUNCED_PASSIVE, text, cue_start) or BY_NEXT.match(text, cue_end)):
        # (or a participle: "a mentoring programme offered by Sweden")
        # "The provision of two detectors to X was announced by Sweden": the agent, whatever precedes
        agent = next((c for c in after if PASSIVE_AGENT.fullmatch(text[cue_end:c[2]])), None)
        if agent:
            return [agent], "agent"
    # "welcomed the readiness of the OSCE to assist ...": the noun's agent
    if re.fullmatch(r"(?:readiness|willingness|preparedness)\s+of", text[cue_start:cue_end], re.I):
        agent = next((c for c in after if re.fullmatch(r"\s+(?:the\s+)?", text[cue_end:c[2]])), None)
        if agent:
            return [agent], "agent"
    asides = _asides(text)
    before: list = []
    objects: list = []  # "to Moldova and Ukraine": both are objects of "to"
    for c in (c for c in cands[:bisect.bisect_left(starts, cue_start)] if c[3] <= cue_start):
        listed_object = bool(objects) and LISTED_WITH.fullmatch(text[objects[-1][3]:c[2]]) and not (
            # "For Malawi, Sweden will fund ...": a fronted phrase ends at its comma, the subject follows
            FRONTED.match(text, 0, objects[0][2]) and re.fullmatch(r"\s*,\s*(?:the\s+)?", text[objects[-1][3]:c[2]]))
        if (ends_with(RECIPIENT_BEFORE, text, c[2]) and not ends_with(SPEAKER_FROM, text, c[2])) or listed_object \
                or TO_WHICH.search(text, c[3], cue_start) or (
                MEMBERS_AFTER.match(text, c[3]) and (
                    ends_with(MEMBERS_OF, text, c[2]) or RECEIVING.search(text, cue_start, cue_end))):
            # ("... are among the countries to which the agency will provide": those named before receive)
            objects.append(c)
        elif not _in_aside(asides, c[2], cue_start) and ";" not in text[c[3]:cue_start]:
            # not "the EU, which has supported X, ...", nor "Iraq described gaps; partners made offers"
            before.append(c)
    if not before:
        for c in objects:
            clause = RELATIVE_START.match(text[c[3]:cue_start])
            if clause:  # "Participants heard from Australia, which together with Thailand will hold ..."
                inside = [o for o in objects if c[3] < o[2] < cue_start and ends_with(JOINTLY_WITH, text, o[2])]
                return [c] + inside, "subject"
    if before and coordinated:
        # "Sweden is continuing its programme with the Agency of Georgia and will support ...": the
        # second verb's subject is the first verb's, not the last name before it
        chosen = [before[0]]
        for c in before[1:]:
            if not LISTED_WITH.fullmatch(text[chosen[-1][3]:c[2]]):
                break
            chosen.append(c)
        return chosen, "subject"
    if before:
        chosen = [before[-1]]
        for c in reversed(before[:-1]):
            if LISTED_WITH.fullmatch(text[c[3]:chosen[0][2]]):
                chosen.insert(0, c)
            else:
                break
        # "The EU, jointly with the OSCE, offered ...": the partner is a provider too
        chosen += [o for o in objects if chosen[-1][3] < o[2] and ends_with(JOINTLY_WITH, text, o[2])]
        return _without_beneficiary(text, cue_end, chosen), "subject"
    for c in after:
        if PASSIVE_AGENT.fullmatch(text[cue_end:c[2]]):
            return [c], "agent"
    return [], "none"


# a relative whose antecedent receives: "the countries to which the agency will provide support"
TO_WHICH = re.compile(r"\b(?:to|for)\s+(?:which|whom)\b", re.I)


BENEFICIARY_WINDOW = 400  # characters after the cue in which a co-subject's own place or body is named


def _without_beneficiary(text: str, cue_end: int, chosen: list) -> list:
    """Two subjects of one offer, one of them a state whose own place or body the offer names ("The U.S. and
    Tajikistan will establish a training area at the Tajik Customs facility"): that state receives, the other
    gives. Kept when every subject is so named."""
    if len(chosen) < 2:
        return chosen
    idx = state_index()
    # (the offer's own words, bounded: a sentence of hundreds of cues is not re-read to its end for each one)
    tail = text[cue_end:cue_end + BENEFICIARY_WINDOW]
    # (named as the owner of a place or a body, "the Tajik Customs facility", "Tajikistan's customs", not as a
    # giver again: "..., Japan through a grant of up to USD 200,000")
    named = {m.iso3 for m in idx.find_adjective_mentions(tail)}
    named |= {m.iso3 for m in idx.find_mentions(tail) if re.match(r"['’]s\b", tail[m.end:])}
    givers = [c for c in chosen if not (c[1] and c[1] in named)]
    return givers if givers else chosen


def _recipients(text: str, cue_end: int, providers: list, participants: dict[str, str],
                rules: AssistanceRules) -> tuple[tuple[str, ...], str]:
    idx = state_index()
    tail = text[cue_end:]
    taken = {(p[2], p[3]) for p in providers}
    orgs = [(s, e) for _, s, e in rules.find_providers(tail)]
    named = [m.iso3 for m in idx.find_mentions(tail) + idx.find_adjective_mentions(tail)
             if (m.start + cue_end, m.end + cue_end) not in taken]
    provider_isos = {p[1] for p in providers}
    named = [s for s in dict.fromkeys(named) if s not in provider_isos]
    if named:
        return tuple(named), "named"
    grouped: list[str] = []
    for key, s, e in idx.find_group_mentions(tail):
        if any(os <= s < oe and oe - os > e - s for os, oe in orgs):
            continue  # "the African Union Commission": the organisation, not its members
        members = idx.group_members(key) or frozenset()
        grouped += [m for m in (participants or members) if m in members]
    if grouped:
        return tuple(dict.fromkeys(grouped)), "group"
    return tuple(sorted(participants)), "all_participants"


# the other participants named as those helped ("will invite officials of the five participating States",
# "to which all ARF participants would be invited"): help for others, never the giver's own plan ("will be
# financed by Sweden" is the other such sign, in offers.GIVEN_TO_OTHERS)
OTHERS_NAMED = re.compile(r"\b(?:participating\s+(?:States|countries|Governments)|(?:all|other)\s+(?:[A-Z]\w*\s+)?"
                          r"(?:participants|partner\s+countries|States\s+(?:represented|participating)))\b")


THE_PROGRAMME = re.compile(r"\b[Tt]he [Pp]rogram(?:me)?\b(?!\s+(?:of|for|on|in)\b)")


PASSIVE_CUE = re.compile(r"\bbe\s+(?:\w+ly\s+)?[\w-]+(?:\s+(?:available|out|for))?$", re.I)
