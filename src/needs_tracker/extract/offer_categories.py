"""The category of an offer: what is offered, from the head of the offered words.

The coordinator's convention: an offer of training of any kind (course, workshop, seminar,
exercise, study visit, placement, mentoring, places on a course, officials hosted) is
``training_capacity_building`` whatever its subject; then equipment; then the first area the gap
taxonomy names in the offered words. A means ("through a study visit", "followed by remote
mentoring") is not what is offered, and a training that comes with equipment is part of it.
"""

from __future__ import annotations

import bisect
import functools
import re

from .assistance_records import OfferedHeads, load_assistance_rules
from .rules import Match, load_rules
from .text import Sentence, nlp

# the end of a quotation and its attribution: '...," said X' or '...," the Japanese ambassador said'
QUOTE_END = re.compile(r"[\"”],?\s+(?:[^\"“”.;]{0,60}?\s)?(?:said|says|added|stated|noted|affirmed|declared|explained|"
                       r"announced|confirmed|stressed|underlined|emphasi[sz]ed|told|recalled|concluded)\b", re.I)
TRAINING = "training_capacity_building"
# a cue that is a passive of its own ("were to be provided", "would be donated"): what is offered is its subject,
# before it ("hand-held chemical identification kits were to be provided to the Gambia Revenue Authority")
BE_DONE = re.compile(r"\bbe\s+(?:\w+ly\s+)?(?:provided|donated|supplied|delivered|given|handed|installed|sent|"
                     r"offered|made available)$", re.I)


def _training_at(lower: list[str], strong: list, heads: OfferedHeads) -> list[int]:
    """Where the offered words name a training of any kind (a course, a workshop, a study visit,
    a mentor, officials hosted): the coordinator's convention makes such an offer training,
    whatever its subject. Not a training that comes with equipment ("detectors, with training",
    "kits, together with a one-week course on their use", "equipment and related training")."""
    found = [i for i, w in enumerate(lower) if w in heads.training
             and not (w == "exchange" and i and lower[i - 1] in ("information", "-", "data"))
             # ("a channel for the exchange of information among the points of contact": agencies' information)
             and not (w in ("exchange", "exchanges") and lower[i + 1:i + 3] in (["of", "information"], ["of", "data"]))]
    found += [m.start for m, c in strong if c == TRAINING]
    # a hyphenated head the tokenizer splits: "table", "-", "top"
    found += [i + 1 for i, w in enumerate(lower[1:-1], 1)
              if w == "-" and f"{lower[i - 1]}-{lower[i + 1]}" in heads.training]
    for i, w in enumerate(lower):  # "host two Jordanian licensing officers", "welcome a delegation"
        if w in heads.host_verbs and any(x in heads.hosted for x in lower[i + 1:i + 7]):
            found.append(i)
    out = []
    for i in sorted(set(found)):
        if lower[i] in heads.events and any(w in ("the", "this", "that") for w in lower[max(0, i - 2):i]):
            continue  # "presentations at the workshop", "on the margins of the seminar": the note's own event
        if lower[i] == "course" and lower[i + 1:i + 2] == ["of"] and i and lower[i - 1] == "the":
            continue  # "in the course of 2026", "over the course of the year": a time, not a training
        window = lower[max(0, i - 7):i]
        equipment_before = any(c == "detection_equipment" and m.end <= i for m, c in strong)
        if equipment_before and any(w in heads.accessory for w in window) and (
                lower[i] not in heads.training or _on_its_use(lower, i)):
            continue  # "detectors, with training by STUK", "kits, together with a course on their use"
        if equipment_before and _for_its_users(lower, i):
            continue  # "detectors ..., and to train the officers who would use them": the equipment's own training
        out.append(i)
    return out


def _for_its_users(lower: list[str], i: int) -> bool:
    """A training "for the officers who will use them" teaches the equipment offered before it."""
    after = lower[i + 1:i + 9]
    return any(after[k:k + 4] in (["who", m, v, o] for m in ("will", "would") for v in ("use", "operate")
                                  for o in ("them", "it")) for k in range(len(after) - 3))


def _on_its_use(lower: list[str], i: int) -> bool:
    """A course "on their use" (or operation, maintenance) teaches the equipment it comes with."""
    after = lower[i + 1:i + 4]
    return len(after) == 3 and after[0] == "on" and after[1] in ("their", "its", "the") and after[2] in (
        "use", "operation", "maintenance")


def _offered_categories(offered, topics: set[str]) -> tuple[list[str], float, str]:
    """The category of what is offered, from the head of the offered words: a training of any
    kind first (the convention), then equipment, then the first area the gap taxonomy (or
    assistance_rules.toml's offered terms: "bill", "decree") names. One offer unless a training
    is listed beside another thing ("licensing software and training")."""
    rules = load_assistance_rules()
    terms = [(m, *m.label.split(":")[1:3]) for m in load_rules().terms(offered)]
    lower = [t.lower_ for t in offered]
    joined = lower
    for category, words in rules.offered_terms.items():
        if category == TRAINING:
            continue
        for i, word in enumerate(lower):
            if word in words:
                terms.append((Match(f"term:{category}:strong:{word}", i, i + 1, 0, 0), category, "strong"))
        for phrase in (w for w in words if " " in w):  # "information-sharing platform"
            parts = phrase.split()
            for i in range(len(joined)):
                got = [(k, w) for k, w in enumerate(joined[i:i + 2 * len(parts)], i) if w != "-"][:len(parts)]
                if [w for _k, w in got] == parts:  # (its end past the hyphens: "inter-ministerial working group")
                    terms.append((Match(f"term:{category}:strong:{phrase}", i, got[-1][0] + 1, 0, 0), category,
                                  "strong"))
    terms = [_headed(t, lower) for t in terms]
    # two areas in one compound: the one that starts it names the thing ("an intrusion detection system" is
    # a site's protection, not detection equipment at a border)
    terms = [t for t in terms if not any(o[1] != t[1] and o[2] == "strong" and o[0].start < t[0].start < o[0].end
                                         for o in terms)]
    # an area word that names the body helped ("the inter-agency working group", "the customs laboratories")
    # is who receives; what they are helped with says the area, when the offer names one
    terms = [t for t in terms if not _in_a_records_name(t[0], offered, lower)]
    named = [t for t in terms if not _names_a_body(t[0], lower)]
    terms = named if named else terms
    strong = [(m, c) for m, c, st in terms if st == "strong"]
    training = _training_at(lower, strong, rules.offered_heads)
    listed: list[str] = []
    if training:
        first = training[0]
        # "licensing software and training"; equipment with a course of its own ("detectors plus a
        # basic operator course", "equipment ..., together with a two-week course"): two things offered
        accessory = rules.offered_heads.accessory
        listed = [c for m, c in sorted(strong, key=lambda x: x[0].start)
                  if c != TRAINING and m.end <= first and (
                      (c == "detection_equipment" and any(w in accessory or w in ("and", ",")
                                                          for w in lower[m.end:first]))
                      or ("and" in lower[m.end:first] and not any(w in accessory for w in lower[m.end:first])))]
        # a weaker area word right before "and training" ("licensing software and training") names one too
        listed += [c for m, c, st in terms if st == "weak" and c != TRAINING and m.end <= first
                   and lower[first - 1] == "and" and first - m.end <= 2]
    if training and all(lower[i] in rules.offered_heads.events for i in training) and not any(
            w in rules.offered_heads.follow_up for w in lower):
        # a workshop that is not "a follow-up workshop": an offer, or the event the note announces
        # ("will host a workshop in Riyadh on 11-12 December"; see _sentence_offers); equipment
        # listed before it ("detection equipment ..., and separately to run a regional workshop") too
        return list(dict.fromkeys(listed[:1] + [TRAINING])), 1.0, "offered-event"
    if training:
        return list(dict.fromkeys(listed[:1] + [TRAINING])), 1.0, "offered-training"
    if any(c == "detection_equipment" for _m, c in strong):
        return ["detection_equipment"], 1.0, "offered-equipment"
    for strength, factor in (("strong", 1.0), ("weak", 0.8)):
        found = sorted(((m, c) for m, c, st in terms if st == strength and c != TRAINING), key=lambda x: x[0].start)
        if found:  # equipment first ("installation of stationary equipment at key ports"), then the first area
            head = next((c for _m, c in found if c == "detection_equipment"), found[0][1])
            return [head], factor, f"offered-{strength}"
    return ["other"], 0.7, "other"


BODY_NOUNS = frozenset({
    "group", "groups", "committee", "committees", "unit", "units", "office", "offices", "department", "departments",
    "service", "services", "administration", "administrations", "authority", "authorities", "agency", "agencies",
    "laboratory", "laboratories", "officers", "officials", "staff", "personnel", "team", "teams", "secretariat",
    "police", "ministry", "directorate"})
# a record's name: "an analysis based on the Incident and Trafficking Database" offers no help with trafficking
RECORD_NOUNS = frozenset({"database", "databases", "register", "registry"})


def _names_a_body(m: Match, lower: list[str]) -> bool:
    """The term names a body ("laboratories") or qualifies its name: a body noun follows it within two words."""
    single_body = m.end - m.start == 1 and lower[m.start] in BODY_NOUNS
    return single_body or any(w in BODY_NOUNS for w in lower[m.end:m.end + 2])


def _in_a_records_name(m: Match, offered, lower: list[str]) -> bool:
    """The term is a word of a record's proper name ("the Incident and Trafficking Database"), not an area
    (a "licensing database" to upgrade, written in lower case, is licensing), or of a programme's
    ("its Export Control and Related Border Security (EXBS) Program", "its Nuclear Smuggling Detection and
    Deterrence programme": the programme's name says nothing of what it offers this time)."""
    if not offered[m.start].text[:1].isupper():
        return False
    after = range(m.end, min(m.end + 2, len(lower)))
    if any(lower[i] in RECORD_NOUNS and offered[i].text[:1].isupper() for i in after):
        return True
    at = m.start  # (only the provider's own programme, "its ... Program": "a new ... Training Programme" is offered)
    while at > max(0, m.start - 8) and (offered[at - 1].text[:1].isupper() or lower[at - 1] in NAME_GLUE):
        at -= 1
    before = offered.doc[offered.start + at - 1].lower_ if offered.start + at > 0 else ""  # (the span may start at it)
    if before not in OWNER_WORDS:
        return False
    at = m.end  # the rest of the capitalised name, an acronym in brackets included, then its head noun
    while at < min(m.end + 10, len(lower)) and (offered[at].text[:1].isupper() or lower[at] in NAME_GLUE):
        if lower[at] in PROGRAMME_NOUNS:
            return True
        at += 1
    return at < len(lower) and lower[at] in PROGRAMME_NOUNS


PROGRAMME_NOUNS = frozenset({"programme", "programmes", "program", "programs", "project", "initiative"})
NAME_GLUE = frozenset({"and", "of", "for", "(", ")", "-", "&"})
OWNER_WORDS = frozenset({"its", "their", "our", "his", "her", "'s", "’s"})


# The head of a compound decides: "export control law" is a law, "national control list" a list.
HEAD_NOUNS = {"law": "legal_regulatory_framework", "laws": "legal_regulatory_framework",
              "legislation": "legal_regulatory_framework", "regulation": "legal_regulatory_framework",
              "regulations": "legal_regulatory_framework", "list": "control_lists", "lists": "control_lists"}


def _headed(term: tuple, lower: list[str]) -> tuple:
    """A term whose compound ends in a head noun of another area takes that area, with the head
    noun's span ("export control law": legal; "dual-use export control list": control lists)."""
    m, category, strength = term
    at = m.end
    while at < len(lower) and lower[at] in ("-", "'s") and at + 1 < len(lower):
        at += 1
    head = HEAD_NOUNS.get(lower[at]) if at < len(lower) else None
    if head is None and at + 2 < len(lower) and lower[at] in ("and", "or") and lower[at + 1].isalpha():
        # two areas before one head noun: "a review of its biosafety and biosecurity legislation" is a law
        at += 2
        head = HEAD_NOUNS.get(lower[at])
        at = at if head else m.end
    if head and head != category and category != TRAINING:
        return Match(f"term:{head}:strong:{lower[at]}", m.start, at + 1, 0, 0), head, "strong"
    # the head before "of"/"on": "its list of dual-use goods" is a list, "a law on nuclear security" a law
    for gap in (1, 2):  # "list of dual-use goods", "list of the dual-use goods"
        at = m.start - gap
        if at >= 1 and lower[at] in ("of", "on") and (head := HEAD_NOUNS.get(lower[at - 1])) and (
                head != category and category != TRAINING):
            return Match(f"term:{head}:strong:{lower[at - 1]}", at - 1, m.end, 0, 0), head, "strong"
        if at < 1 or lower[at] not in ("of", "on", "the", "its", "their", "a", "controlled", "strategic"):
            break
    return term


@functools.lru_cache(maxsize=8)
def quote_ends(text: str) -> tuple[int, ...]:
    """Where every quote-end of the sentence starts. A match holds one quote mark, its first
    character, so the matches found from the sentence's start are exactly those a search from
    any offset would find: ``first_quote_end`` is ``QUOTE_END.search(text, offset)``."""
    return tuple(m.start() for m in QUOTE_END.finditer(text))


def first_quote_end(text: str, offset: int) -> int | None:
    """Where the first quote-end at or after ``offset`` starts (None if there is none)."""
    ends = quote_ends(text)
    k = bisect.bisect_left(ends, offset)
    return ends[k] if k < len(ends) else None


class _SpanLayout:
    """A sentence's text, its tokens' start offsets and where its quotes end, built once: a
    sentence of a thousand cues is read per cue, and rebuilding ``span.text`` or walking the
    tokens from the first one each time made that quadratic."""

    def __init__(self, span):
        self.span = span
        self.text = span.text
        base = span.start_char
        self.starts = [t.idx - base for t in span]
        self.quote_ends = quote_ends(self.text)

    def token_at(self, offset: int) -> int | None:
        """The first token starting at or after ``offset`` (None past the last)."""
        k = bisect.bisect_left(self.starts, offset)
        return self.span.start + k if k < len(self.starts) else None

    def quote_end(self, offset: int) -> int | None:
        return first_quote_end(self.text, offset)


_LAYOUTS: list[_SpanLayout] = []  # the last few sentences read (offers read one sentence at a time)


def _layout(span) -> _SpanLayout:
    for lay in _LAYOUTS:
        if lay.span.doc is span.doc and lay.span.start == span.start and lay.span.end == span.end:
            return lay
    lay = _SpanLayout(span)
    _LAYOUTS.insert(0, lay)
    del _LAYOUTS[4:]
    return lay


def _categories(sent: Sentence | None, cue_start: int, topics: set[str],
                text: str = "", stop: int | None = None, means: bool = False) -> tuple[list[str], float, str]:
    """The categories of what is offered: the words from the cue on (inside a quote, up to its
    end: '"... ready to assist Moldova," said the Co-ordinator of ...'), up to a means ("through
    a study visit", "followed by remote mentoring") when the words before it name an area."""
    span = sent.span if sent is not None and sent.span is not None else nlp()(sent.text if sent else text)[:]
    lay = _layout(span)
    first = lay.token_at(cue_start)
    if first is None:
        return ["other"], 0.7, "other"
    size = len(lay.text)
    quote_end = lay.quote_end(cue_start)
    end_char = min(quote_end if quote_end is not None else size, stop if stop is not None else size)
    cut = None if means else MEANS.search(lay.text, cue_start, end_char)
    if (cut and not lay.text[cue_start:cut.start()].strip() and (comma := lay.text.find(",", cut.end(), end_char)) > 0
            and (after := lay.token_at(comma + 1)) is not None):
        # a cell that opens with its condition ("Subject to the availability of funds, a national table-top
        # exercise ..."): what is offered comes after it
        first, cut = after, MEANS.search(lay.text, comma + 1, end_char)
    end_char = cut.start() if cut else end_char
    last = lay.token_at(end_char)
    last = span.end if last is None else last
    return _offered_categories(span.doc[first:max(last, first + 1)], topics)


# A day's date: a workshop promised "in Riyadh on 11-12 December" is an event announced, not an offer
# (offers say "in 2026", "next year", "in the second half of 2026").
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY_DATE = re.compile(rf"\b\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}\b(?!\d)")

# A means of the offer, not what is offered: "share its experience ... through a study visit",
# "help Togo prepare its national action plan, with a national workshop"; and a condition, not
# what is offered either: "..., subject to a joint assessment visit", "pending an exchange of letters",
# "..., depending on the outcome of the needs assessment".
# "fund a drafting adviser ..., including a study visit": the part named after "including" is a means too.
# (", including by receiving a legal drafter": a means too)
MEANS = re.compile(r"\b(?:including\s+)?(?:through|via|by means of|followed by)\b|"
                   r",\s*(?:with|including)\s+(?:a|an|by)\b|"
                   r"\b(?:subject to|depending on|pending|provided that|on condition|conditional on)\b", re.I)
