"""Who organised a workshop: a labelled field ("Organizers: ...") or prose ("organized by X",
"X hosted a workshop"), as a list of bodies' names written as in the note, without funders.

Also the splitting of a comma/"and" list of names that the fields share (participants'
organisations, states lists).
"""

from __future__ import annotations

import re

from .dates import DATELINE
from .rules import load_rules
from .text import clean_value

# "(OPCW) and United Nations ..." and "... and the Government of X" join two bodies;
# "Security and Co-operation", "Asia and the Pacific" are inside one name.
ORG_AND = re.compile(
    r"(?<=\))\s+and\s+|\s+and\s+(?=(?:the\s+)?(?:Government|Ministry|Secretariat|United Nations|UN\b|Office|"
    r"Centre|Center|Organi[sz]ation|Commission|Council|Committee|Agency|EU\b|European|International|World|"
    r"Regional|National|African|League|Department|Bureau|Programme|Institute|INTERPOL|OSCE))")


ORG_HEAD = re.compile(
    r"^(?:the\s+)?(?:Government|Ministry|Secretariat|United Nations|UN\b|Office|Centre|Center|Organi[sz]ation|"
    r"Commission|Council|Committee|Agency|EU\b|European|International|World|Regional|National|African|League|"
    r"Department|Bureau|Programme|Institute|Conflict|Permanent|Federal|State|[A-Z0-9&/-]{2,}\b|\d)")


# Put where the text says another body follows ("in cooperation with", "through"): that piece
# never joins the one before it, whatever its first word.
NEW_BODY = "\u2063"


def merge_name_pieces(items: list[str]) -> list[str]:
    """Commas inside one body's name ("Centre for Peace, Disarmament and Development") do
    not start a new body: a piece that does not open like a body's name joins the last."""
    merged: list[str] = []
    for item in items:
        if item.startswith(NEW_BODY):
            item = re.sub(r"^(?:the)\s+", "", item.lstrip(NEW_BODY).strip(), flags=re.I)
            if item[:1].isupper():
                merged.append(item)
            continue
        if not item[:1].isupper() and not item[:1].isdigit():
            continue  # "with", "was ...": what is left of a funder's clause
        if merged and not ORG_HEAD.match(item) and not merged[-1].endswith(")"):
            merged[-1] = f"{merged[-1]}, {item}"
        else:
            merged.append(item)
    return merged


def split_items(value: str, split_and_before_capital: bool = False, keep_parentheses: bool = False) -> list[str]:
    """Comma / 'and' / bullet separated names, ignoring separators inside parentheses."""
    value = re.sub(r"^\s*[-*•·]\s*", "", value, flags=re.M)
    items, depth, current = [], 0, []
    for ch in value.replace("\n", ","):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    out = []
    for item in items:
        # "Security and Co-operation" stays whole; "(OPCW) and United Nations ..." splits.
        splitter = r"\s+and\s+(?=the\s|[A-Z])" if split_and_before_capital else ORG_AND
        for part in re.split(splitter, item):
            part = clean_value(part if keep_parentheses else re.sub(r"\([^)]*\)", "", part))
            part = re.sub(r"^(and|the)\s+", "", part, flags=re.I).strip()
            if part:
                out.append(part)
    return out



# "organized by X", or "X hosted a workshop" whose subject X runs from the sentence's start (after
# its opening date or place: "On 8 and 9 February, the government of Botswana hosted").
PROSE_BY = re.compile(r"\b(?:organi[sz]ed|convened|hosted|co-organi[sz]ed|co-hosted)\s+by\s+(?P<orgs>[^.;]+)")
PROSE_VERB = re.compile(
    r"\s+(?:jointly\s+)?(?:organi[sz]ed|convened|hosted|co-organi[sz]ed|co-hosted)\s+(?:a|an|the)\b")
SUBJECT_CHARS = 400  # a subject longer than this is no list of bodies
FUNDED_BY_BEFORE = re.compile(r"\b(?:sponsor\w*|fund\w*|support|financ\w*)\s+(?:by|of|from)\s+(?:the\s+)?$", re.I)
LEADING_ADVERBIAL = re.compile(r"^(?:On|In|From|During|Last|This|Earlier|Between)\b[^,]{0,60},\s*")
LEADING_DATE = re.compile(r"^(?:On|In|From|Between)\s+[^,]{0,40}?\b(?:19|20)\d\d\b\s+(?=(?:the\s+)?[A-Z])")
CABLE_MARK = re.compile(r"^\s*(?:\d{1,2}\.\s*)?\(?(?:U|SBU|C|S)\)\s*|^\s*(?:SUMMARY|Summary)\s*:\s*")


def prose_organizers(sentences) -> list[str]:
    for i, sent in enumerate(sentences[:12]):
        by, verb = PROSE_BY.search(sent.text), PROSE_VERB.search(sent.text)
        passive = by is not None and re.search(r"\b(?:was|were|is|are|been|be)\s+(?:jointly\s+)?$",
                                               sent.text[:by.start()])  # "The meeting was organised by X"
        if verb and verb.start() <= SUBJECT_CHARS and not (passive and by.start() < verb.start()):
            # "The CARICOM Programme, hosted by IMPACS, convened a": the subject, "hosted by" within it
            subject = PARAGRAPH_NUMBER.sub("", sent.text[:verb.start()])
            if i and (subject[:1].isdigit() or subject[:1].islower()):
                # "... Republic Act No." / "10697 (...), organized a": a sentence cut after an abbreviation
                subject = f"{sentences[i - 1].text} {subject}"
            names = organizer_names(sentence_subject(subject))
            if names:
                return names
        elif by:
            return organizer_names(by.group("orgs"))
    return []


def sentence_subject(subject: str) -> str:
    """The subject of "... hosted a workshop" without what opens the sentence: a paragraph's number,
    a cable's "(U) Summary:", a dateline ("Lomé, 14 May 2026 (UNREC) -"), a date ("On 8 and 9 February,",
    "In 2023"), a reporting clause ("We will recall that")."""
    previous = None
    while previous != subject:
        previous = subject
        subject = LEADING_DATE.sub("", LEADING_ADVERBIAL.sub("", CABLE_MARK.sub("", subject)))
        subject = PARAGRAPH_NUMBER.sub("", PLACE_DATELINE.sub("", subject))
        dateline = DATELINE.match(subject)
        subject = subject[dateline.end():].lstrip() if dateline else subject
    that = list(re.finditer(r"\bthat\s+(?=(?:the\s+)?[A-Z])", subject))
    return subject[that[-1].end():] if that else subject


PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]?\s+(?=[A-Z])")  # "1.1 The Ministry ..."
PLACE_DATELINE = re.compile(r"^[^,\n]{2,40},\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*(?:\([^)]{1,40}\))?\s*[—–-]+\s*")
REQUEST_OPENING = re.compile(r"(?i)^(?:at|following|upon|on|in response to)\s+(?:the\s+|a\s+)?(?:request|invitation)"
                             r"\s+(?:of|from|by)\s+(?:the\s+)?")


# Where an organiser's name ends: at a date or a place it was held in, or at a clause that says
# something of it ("at its premises", "within the framework of", "to promote", "which ...").
NAME_CLAUSE = re.compile(
    r"\s+(?:at its\b|at the (?:request|invitation|premises|headquarters)|in the (?:framework|context)|"
    r"within the (?:framework|context)|under (?:its|the)\b|through (?:its|the)\b|as part of|on behalf of|"
    r"at (?:its|their) (?:premises|headquarters|offices?)|from \d|on \d|in \d{4}|between \d|"
    r"to (?:discuss|promote|strengthen|support|enhance|help|assist|raise|build|review|share|advance|prepare|"
    r"present|exchange|address|improve)\b|(?:which|who|that|where|while)\b|"
    r"with\s+(?:the\s+)?(?:generous|extra-?budgetary|financial|kind|support|funding|assistance)\b|"
    r"(?:presented|organi[sz]ed|held|hosted|convened|launched|conducted|delivered|announced|said)\b|"
    r"(?:and\s+)?(?:was|were|is|are|has|have|had|will)\b)")  # "... of Jordan and was funded through ..."
PLACE_AFTER = re.compile(r"\s+in\s+(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")
SEATED_BODY = re.compile(r"(?i)\b(?:office|centre|center|institute|embassy|mission|delegation|secretariat|"
                         r"university|academy|branch|bureau)$")
NAME_CHARS = 300
EVENT_NAME = re.compile(r"(?i)^(?:[\w-]+\s+){0,3}?(?:workshops?|seminars?|conferences?|meetings?|courses?|"
                        r"round[- ]?tables?|exercises?)\b")
# a standing conference is a body: "Conference on Disarmament (CD)", "Conference on Interaction and
# Confidence Building Measures in Asia (CICA)", named with its acronym; a workshop so named is an event
STANDING_CONFERENCE = re.compile(r"^Conference\b.*\([A-Z][A-Z0-9&/-]{1,9}\)\s*$")
ENDS_LOOSE = re.compile(r"(?i)\s+(?:and|with|by|the|of|for|in|at|on|to|its)$")
# "and organized by X", "coordinated with X", "UNRCPD with the Royal Government of Bhutan": another organiser
ANOTHER_BODY = re.compile(
    r"\s+and\s+(?:was\s+)?(?:co-)?(?:organi[sz]ed|hosted|convened)\s+by\s+|"
    r"\b(?:coordinated|jointly|working) with\b|\s+with\s+(?:the\s+)?(?:accompaniment\s+of\s+(?:the\s+)?)?(?=[A-Z])")


def trim_name(item: str) -> str:
    """An organiser's name without what the sentence goes on to say of it: "African Union in Addis
    Ababa on 21 November 2014" is "African Union"; "OSCE Programme Office in Bishkek" stays whole."""
    from ..states import state_index
    from .dates import find_dates
    from .places import REGIONS, city_country

    item = REQUEST_OPENING.sub("", item[:NAME_CHARS * 2])  # no name is longer; "At the request of the ..."
    clause = NAME_CLAUSE.search(item)
    if clause:
        item = item[:clause.start()]
    dates = find_dates(item, default_year=2000)
    if dates:
        item = item[:dates[0].pos]
    for place in PLACE_AFTER.finditer(item, 0, NAME_CHARS):
        name = place.group("place")
        if name in REGIONS or re.match(r"\s+and\s+the\b|\s*\(", item[place.end():]) or not (
                state_index().resolve(name) or city_country(name)):
            continue  # "Centre for Peace and Disarmament in Asia and the Pacific (UNRCPD)": a name
        if SEATED_BODY.search(item[:place.start()]) and not item[place.end():].strip(" ,"):
            continue  # the body's own seat, the name's last words
        item = item[:place.start()]
        break
    previous = None
    while previous != item:
        previous, item = item, ENDS_LOOSE.sub("", item.strip(" ,;:-–"))
    return item


def organizer_names(value: str) -> list[str]:
    """Organisers as written, without funders ('with the support of the US', 'with funding from'),
    each ending where its name does."""
    rules = load_rules()
    value = re.sub(r"\s+", " ", value)
    # the funder's clause ends at its comma ("and with the financial support of the Government of Canada,
    # the United Nations Regional Centre ... organized"): cut before the rules' longer funding spans
    value = re.sub(r",?\s*(?:and\s+)?with (?:the )?(?:generous )?(?:financial )?(?:support|sponsorship|funding|"
                   r"assistance|contributions?)\s+(?:of|by|from)\b[^,;]*", "", value, flags=re.I)
    for s, e in sorted(rules.funding_spans(value), reverse=True):
        value = value[:s] + value[e:]
    value = re.sub(r"\b(?:in cooperation|in collaboration|in co-operation|in partnership|together) with\s*",
                   ", " + NEW_BODY, value, flags=re.I)
    value = re.sub(r"\bhosted by\b", ",", value, flags=re.I)
    value = re.sub(r"\bwith (?P<g>the Government of [^,;]+?) as host\b", r", \g<g>", value, flags=re.I)
    value = ANOTHER_BODY.sub(", " + NEW_BODY, value)
    names = []
    # "the government of Botswana": a body's name written in lower case is still a name
    value = re.sub(r"\b(government|ministry) of\b", lambda m: m.group(0).capitalize(), value)
    for item in merge_name_pieces(split_items(value, keep_parentheses=True)):  # "(OSCE)" lets a filter find it
        item = re.sub(r"^(?:with|by)\s+|\s+(?:with|and|by)$", "", item, flags=re.I).strip()
        item = trim_name(item)
        if EVENT_NAME.match(item) and not STANDING_CONFERENCE.match(item):
            continue  # "Regional Workshop on Implementation of ...": the event, not who held it
        if len(item) > 2 and item[0].isupper():
            names.append(item)
    return list(dict.fromkeys(_ministry_portfolios(names)))


PORTFOLIO_HEAD = re.compile(r"^(?:Ministry|Department|Minister) (?:of|for)\b")


def _ministry_portfolios(names: list[str]) -> list[str]:
    """"Ministry of Foreign Affairs and European Integration" is one ministry: a piece split off it
    that names no body ("European Integration", "International Cooperation") is its second portfolio."""
    from ..states import state_index
    from .title_lines import BODY_NOUNS

    out: list[str] = []
    for name in names:
        portfolio = name.split(" of ")[0]  # "European Integration of the Republic of Moldova"
        if out and PORTFOLIO_HEAD.match(out[-1]) and len(portfolio.split()) <= 4 \
                and not BODY_NOUNS.search(portfolio) and not re.match(r"[A-Z0-9/&-]{2,}\b", portfolio) \
                and state_index().resolve(portfolio) is None and "(" not in out[-1] \
                and not state_index().find_mentions(out[-1]):  # "Ministry of Foreign Affairs of Peru" is whole
            out[-1] = f"{out[-1]} and {name}"
        else:
            out.append(name)
    return out
