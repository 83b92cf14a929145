"""Who speaks in a note, for the offer rules: a national statement's state or organisation.

A statement ("Statement by Canada", "Remarks of the Republic of Korea") or an embassy's e-mail
or cable ("From: British Embassy Tbilisi") offers in the first person ("my Government pledges ...",
"We will fund ..."); news prose names the IAEA once and then says "the Agency"; a sentence that
opens with "It" or "The delegation" means whoever opened the sentence before ("Norway took the
floor."). Kept apart from ``offers`` so the sentence rules stay short.
"""

from __future__ import annotations

import functools
import re

from ..states import state_index
from .assistance_records import AssistanceRules
from .offer_publisher import page_publisher


class DocContext:
    """What the whole note says about who speaks: a national statement's state (its heading,
    "Statement by Canada"), which "we" and "my Government" stand for; and whether the IAEA is
    named, so that "the Agency" is the IAEA (looked up only when a sentence says "the Agency"), and
    which organisation "the Centre", "the Office" or "the Organization" stands for."""

    def __init__(self, speaker_iso3: str | None, text: str = "", rules: AssistanceRules | None = None,
                 speaker_org: str | None = None):
        self.speaker_iso3, self.speaker_org = speaker_iso3, speaker_org
        self.publisher: tuple[str | None, str | None] = (None, None)  # see offer_publisher
        self._text, self._rules = text, rules

    @functools.cached_property
    def _named(self) -> list:
        return [p for p, _s, _e in self._rules.find_providers(self._text)] if self._rules is not None else []

    @functools.cached_property
    def acronyms(self) -> tuple[re.Pattern | None, dict[str, str]]:
        """Acronyms the note defines for a state's own body: "the Korea Institute of Nuclear
        Nonproliferation and Control (KINAC)", "the Australian Safeguards and Non-Proliferation Office
        (ASNO)": later "KINAC is prepared to ..." is that state. (A pattern of them, {acronym: iso3}.)"""
        idx, found = state_index(), {}
        known = self._rules.programme_iso3 if self._rules is not None else {}
        for m in DEFINED_ACRONYM.finditer(self._text):
            name, acronym = m.group(1), m.group(2)
            if acronym.casefold() in known or (self._rules is not None and self._rules.find_providers(acronym)):
                continue  # already a programme or an organisation
            head = idx.find_mentions(name) + idx.find_adjective_mentions(name)
            first = min(head, key=lambda x: x.start, default=None)
            if first is not None and first.start <= 4:  # the name starts with the state: its own body
                found.setdefault(acronym, first.iso3)
            elif owner := (OWNER_HEAD.match(name)
                           or OWNER_BEFORE.search(self._text, max(0, m.start() - 40), m.start())):
                # "DOE/NNSA's Office of Nuclear Smuggling Detection and Deterrence (NSDD)": the owner's office
                whose = owner.group(1).split("/")[-1]
                iso3 = known.get(whose.casefold())
                mention = idx.find_mentions(whose) + idx.find_adjective_mentions(whose)
                iso3 = iso3 or (mention[0].iso3 if mention and mention[0].start == 0 else None)
                if iso3:
                    found.setdefault(acronym, iso3)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(found, key=len, reverse=True))) + r")\b")
        return (pattern if found else None), found

    @functools.cached_property
    def agency(self) -> str | None:
        return "IAEA" if any(p.id == "IAEA" for p in self._named) else None

    @functools.cached_property
    def secretariat(self) -> dict[str, str | None]:
        """The organisation whose secretariat (or commission) the note names ("the OPCW Technical
        Secretariat", "the Secretariat of the Organisation for the Prohibition of Chemical Weapons",
        "the ECOWAS Commission"): "the Secretariat will supply ..." is that organisation. None when
        none or several are named so. Keyed by "secretariat" and "commission"."""
        found: dict[str, set[str]] = {"secretariat": set(), "commission": set()}
        for named, by_name in zip(SECRETARIAT_OF, (False, True), strict=True):
            for m in named.finditer(self._text) if self._rules is not None else ():
                seat, name = (m.group(1), m.group(2)) if by_name else (m.group(2), m.group(1))
                found[seat.casefold()] |= {p.id for p, _s, _e in self._rules.find_providers(name)}
        return {seat: ids.pop() if len(ids) == 1 else None for seat, ids in found.items()}

    @functools.cached_property
    def programme(self) -> str | None:
        """The organisation whose programme the note names ("the EU P2P Export Control Programme for Dual-Use
        Goods", "EU CBRN Risk Mitigation Centres of Excellence Initiative"): "the programme will ..." and "the
        Initiative will support ..." are that organisation. None when none or several are named so."""
        if self._rules is None:
            return None
        ids = {p.id for p, _s, e in self._rules.find_providers(self._text) if PROGRAMME_AFTER.match(self._text, e)}
        return ids.pop() if len(ids) == 1 else None

    def body(self, head: str) -> str | None:
        """The organisation "the Centre", "the Office" or "the Organization" stands for: the one
        organisation named in the note whose full name has that word ("the Regional Centre" after
        "UN Regional Centre for Peace and Disarmament in Asia and the Pacific (UNRCPD)"); None when
        none or several do."""
        for seat in ("secretariat", "commission"):
            if head.casefold().endswith(seat):
                return self.secretariat[seat]
        if head.casefold() in PROGRAMME_WORDS:
            return self.programme
        word = re.compile(r"\b" + r"\s+".join(BODY_SPELLINGS[w] for w in head.casefold().split()) + r"\b")
        ids = {p.id for p in self._named if word.search(p.name)}
        return ids.pop() if len(ids) == 1 else None


STATEMENT_HEADING = re.compile(r"\b(?:statement|remarks|address|intervention|speech)\s+(?:delivered\s+)?(?:by|of)\b",
                               re.I)
# an e-mail or a cable from an embassy: "From: Political Section, British Embassy Tbilisi", "FM AMEMBASSY AMMAN"
FROM_LINE = re.compile(r"^\s*(?:From|FM)\b\s*:?\s*(.+)$")
# ("Our Office of the Legal Adviser will review ...": a named part of the speaker)
SPEAKER_WORDS = re.compile(r"\b(?:[Mm]y|[Oo]ur)\s+(?:Government|government|country|delegation|[A-Z][a-z]+)\b|\b[Ww]e\b")
# (news prose writes "the agency" too)
# (a PDF's line may break between the two words: "... authority, the\nAgency intends to provide ...")
THE_AGENCY = re.compile(r"\b[Tt]he\s+[Aa]gency\b(?!'s Division)")
# "the Centre said it would help ...": a body named in full earlier in the note (not "the Office of the
# Attorney-General", whose name goes on)
THE_BODY = re.compile(r"\b[Tt]he\s+((?:Regional\s+)?(?:Centre|Center|Office|Organi[sz]ation)|[Pp]rogramme|[Pp]rogram|"
                      r"Initiative|"
                      r"(?:Technical\s+|General\s+)?Secretariat|Commission)\b"
                      r"(?!\s+(?:of|for|on|in)\b)")
# "OPCW Technical Secretariat", "Secretariat of the Organisation for the Prohibition of Chemical Weapons"
# ("the ECOWAS Commission", "the African Union Commission": "the Commission" is that organisation too)
# (two patterns, so that "the Technical Secretariat of the Organisation for ..." is read by the second)
SECRETARIAT_OF = (re.compile(r"\b((?:[A-Z][\w-]+\s+){0,2}[A-Z][\w-]+)\s+(?:Technical\s+|General\s+)?"
                             r"(Secretariat|Commission)\b"),
                  re.compile(r"\b(Secretariat|Commission)\s+of\s+the\s+([A-Z][^,.;()\n|]{2,120})"))
PROGRAMME_WORDS = ("programme", "program", "initiative")
# a meeting's own programme (its agenda): "The programme will cover licensing ... over two days"
AGENDA_WORDS = re.compile(r"\b(?:over|during|for|in)\s+(?:the\s+)?(?:two|three|four|five|several|\d+)\s+days\b|"
                          r"\b(?:two|three|four|five|\d+)-day\b|\bagenda\b|\bsessions?\b", re.I)


def stands_for_body(text: str, m: re.Match) -> bool:
    """Whether a THE_BODY match may stand for a named organisation. A lower-case "programme" is
    usually the meeting's agenda or a state's own programme ("Ghana explained that the programme
    would run national courses"): it stands for the note's Programme only as the sentence's opening
    subject ("The programme is also ready to help ...") and not when the sentence describes the
    meeting. "the Programme", "the Program", "the Initiative" with a capital always may."""
    head = m.group(1)
    if head.casefold() not in PROGRAMME_WORDS or head[0].isupper():
        return True
    return not text[:m.start()].strip() and not AGENDA_WORDS.search(text)
# an organisation's name, then its programme's ("EU P2P Export Control Programme", "EU P2P programme")
PROGRAMME_AFTER = re.compile(r"(?:\s+(?:[A-Z][\w/&'’-]*|of|for|and|on|the)){0,9}?\s+(?:[Pp]rogramme|[Pp]rogram|"
                             r"Initiative)\b")
BODY_SPELLINGS = {"centre": r"Cent(?:re|er)", "center": r"Cent(?:re|er)", "office": "Office",
                  "organization": r"Organi[sz]ation", "organisation": r"Organi[sz]ation", "regional": "Regional"}


def doc_context(text: str, rules: AssistanceRules) -> DocContext:
    idx = state_index()
    speaker = None
    for line in text[:1500].split("\n")[:12]:
        if STATEMENT_HEADING.search(line):
            tail = line[STATEMENT_HEADING.search(line).end():]
            found = idx.find_mentions(tail) or idx.find_adjective_mentions(tail)
            orgs = rules.find_providers(tail)
            if orgs and (not found or orgs[0][1] < found[0].start):  # "Statement by the European Union"
                return DocContext(None, text, rules, orgs[0][0].id)
            if found:
                speaker = found[0].iso3
                break
        sender = FROM_LINE.match(line)
        if sender:  # the sender's state speaks as "we" in a readout
            tail = sender.group(1)
            found = idx.find_mentions(tail) or idx.find_adjective_mentions(tail)
            programme = rules.programme_re.search(tail)
            if found or programme:
                speaker = found[0].iso3 if found else rules.programme_iso3[programme.group(0).casefold()]
                break
            orgs = rules.find_providers(tail)
            if orgs:  # "From: Africa Programme, ..., OPCW Technical Secretariat": the organisation writes
                return DocContext(None, text, rules, orgs[0][0].id)
    ctx = DocContext(speaker, text, rules)
    ctx.publisher = page_publisher(text, rules)
    return ctx


# "NNSA's Office of ... (NSDD)", "Canada's Global Partnership Program (GPP)": the owner just before the name
OWNER_BEFORE = re.compile(r"\b([A-Z][\w./-]*)['’]s\s+$")
OWNER_HEAD = re.compile(r"([A-Z][\w./-]*)['’]s\s+(?=[A-Z])")
# "Korea Institute of Nuclear Nonproliferation and Control (KINAC)": a capitalised name, then its acronym
DEFINED_ACRONYM = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the|de|du)\s+)*){1,9})\(([A-Z][A-Z0-9]{1,7})\)")

# '..., said NNSA's Deputy Administrator.' or '..., the Japanese ambassador said': who a quotation is by
# (an initial's full stop does not end the attribution: "the deputy chief of the U.S. mission, ..., said")
QUOTE_ATTRIBUTION = re.compile(r"[\"”],?\s+(?:(?:said|says|added|stated|noted)\s+([^\"“”]{0,150})|"
                               r"((?:[^\"“”.]|(?<=\b[A-Z])\.){0,80}?)\s+(?:said|says|added|stated|noted)\b)")


def quoted_speaker(sentence: str, before: str, paragraph: str, find) -> list:
    """Provider candidates for "we"/"our" in a sentence inside a quotation that runs over several
    sentences ('"... ," said NNSA's Kenneth Baker. "... We will continue to ..."'): the one the
    paragraph attributes the quotation to. ``before`` is the paragraph up to the sentence;
    ``find`` names the providers of a text."""
    if not SPEAKER_WORDS.search(sentence):
        return []
    inside = before.count("“") > before.count("”") or before.count('"') % 2 == 1
    attribution = QUOTE_ATTRIBUTION.search(paragraph) if inside else None
    if attribution is None:
        return []
    speakers = find(attribution.group(1) or attribution.group(2) or "")
    if not speakers:
        return []
    name, iso3 = speakers[0][0], speakers[0][1]
    return [(name, iso3, m.start(), m.end()) for m in SPEAKER_WORDS.finditer(sentence)]


# a sentence whose subject is a pronoun or "the delegation": who it is, the previous sentence says
NUMBERING = r"\W*(?:(?:\d+(?:\.\d+)+\.?|\(?(?:\d+|[a-z]|[ivx]+)[.)])\s+)?\W*"  # "3.2 ", "(b) ", "5. "
PRONOUN_SUBJECT = re.compile(r"^" + NUMBERING + r"(?:(?:In addition|Moreover|Furthermore|Finally|Also|Separately),\s*)?"
                             # ("In addition, it will ...": after a connective, in lower case)
                             r"((?:It|He|She|They)\b|(?<=, )(?:it|he|she|they)\b|"
                             r"(?:The|This|That|His|Her|Its|Their) (?:same )?"
                             r"(?:delegation|representative|speaker|delegate|Government)\b(?!\s+of\b))")

# (a mission report's "A meeting was held with the Embassy of X." names who speaks next, too)
# (a summary record's speaker: "Mr. Tanaka (Japan) took the floor.")
SUBJECT_OPENER = re.compile(NUMBERING + r"(?:[A-Z][\w ]{0,40},\s*)?"
                            r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Madam|Ambassador)\.?\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*"
                            r"\(\s*)?(?:(?:An?\s+|The\s+)?(?:[Mm]eeting|[Cc]all|"
                            r"[Dd]iscussion|[Cc]onsultation)s?\s+(?:was\s+held\s+|took\s+place\s+)?with\s+)?"
                            r"(?:[Tt]he\s+)?(?:(?:[\w-]+\s+){1,3}?(?:of|for)\s+(?:the\s+)?)?")


def previous_subject(sentences: list, n: int, carried: dict[int, list], find, listed_with: re.Pattern,
                     depth: int = 3) -> list:
    """The providers that open the sentence before ``n`` in the same section ("Norway took the floor",
    "The representative of Japan described ...", "Japan and Korea presented ..."), or those its own
    leading pronoun stood for ("Norway took the floor. It described X. It will fund Y."). ``find``
    names the providers of a text, ``listed_with`` joins names listed together."""
    if n - 1 in carried:
        return carried[n - 1]
    prev, sent = sentences[n - 1], sentences[n]
    if prev.section != sent.section or sent.block - prev.block > 1 or depth == 0:
        return []
    if PRONOUN_SUBJECT.match(prev.text) and n > 1:
        return previous_subject(sentences, n - 1, carried, find, listed_with, depth - 1)
    cands = find(prev.text[:160])
    # only a sentence that opens with its provider: "Facilitating exchange among IGAD States" has none
    if not cands or not SUBJECT_OPENER.fullmatch(prev.text[:cands[0][2]]):
        return []
    chosen = [cands[0]]
    for c in cands[1:]:  # "Japan and the Republic of Korea presented ...": both
        if not listed_with.fullmatch(prev.text[chosen[-1][3]:c[2]]):
            break
        chosen.append(c)
    return chosen


# "... signed by the WCO with the US DTRA. The latter will be funding ...": the last (or first) one named before
LATTER = re.compile(r"^" + NUMBERING + r"[Tt]he (latter|former)\b")


def latter_or_former(sentences: list, n: int, find) -> list:
    """The provider "the latter" / "the former" opening sentence ``n`` stands for: the last / first provider
    the sentence before names (in the same section, the same or the previous paragraph), at its own place."""
    m = LATTER.match(sentences[n].text)
    if m is None or n == 0:
        return []
    prev, sent = sentences[n - 1], sentences[n]
    if prev.section != sent.section or sent.block - prev.block > 1:
        return []
    named = find(prev.text)
    if not named:
        return []
    name, iso3 = (named[-1] if m.group(1) == "latter" else named[0])[:2]
    return [(name, iso3, m.start(), m.end())]
