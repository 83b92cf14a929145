"""Which header line is a workshop's title, on documents written by others.

A page's first line is often not its title: a site's banner or navigation ("Skip to main content",
"Welcome to the United Nations. It's your world"), a cable's classification and section line
("UNCLAS SECTION 01 OF 06 CAIRO 000366"), an e-mail's "From:" line, a date or place line, a letter's
salutation ("Mr. President,"), the last word of a page cut by its copier ("Representativ"), or the
letterhead of the body that wrote it ("UNITED NATIONS OFFICE FOR DISARMAMENT AFFAIRS") above the real
title. These rules say what a title line is not, whatever the site; a cable's or e-mail's "SUBJECT:"
line is its title.
"""

from __future__ import annotations

import re

from ..states import state_index
from .dates import find_dates
from .places import city_country

# A cable's classification, section and routing lines.
CABLE_HEADER = re.compile(
    r"^\s*(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|C O N F I D E N T I A L|S E C R E T|"
    r"VZCZC\w*|SIPDIS|E\.O\.|TAGS:|REF:|FM |INFO )|\bSECTION \d+ OF \d+\b|^\s*[A-Z][A-Z ]+ \d{5,6}\s*$")
# Site furniture: banners, navigation, sharing and language menus, archive notices.
SITE_CHROME = re.compile(
    r"(?i)\b(?:skip to (?:main )?content|welcome to the|official website|you are here|also read|read more|"
    r"print (?:this|e-?mail)|e-?mail this|share (?:this|on)|cookies?|javascript|subscribe|sign in|log in|"
    r"historical material|archived content|back to top|main menu|breadcrumb|site map|click (?:here|for|to))\b|"
    r"^\W*$")
# A header's own fields ("Chair: ...", "Date of request: 17 March 2014", "Venue | Montevideo") and a
# document's numbered paragraphs and sections ("2. The round table was funded", "II. Challenges").
# The label may go on in lower-case words or more field words ("Date of request:", "Date and Venue:",
# "Dates of the Workshop:"), never in another capitalised word: "Time for Action: Regional Workshop on
# ...", "Secretary-General's Workshop: ...", "Contact Group Meeting: ..." are titles.
FIELD_WORDS = (r"chair(?:ed)?|secretary|dates?|venue|place|location|time|drafted|prepared|author|contact|tel|"
               r"phone|fax|e-?mail|ref(?:erence)?|request|posted|published|updated|type\(?s?\)?|scope|"
               r"distribution|classification|address|person|number|no|of|and|by|on|the|"
               r"workshops?|seminars?|conferences?|meetings?|events?|courses?|trainings?")
HEADER_FIELD = re.compile(
    rf"^\W*(?i:chair(?:ed by)?|secretary|dates?|venue|place|location|time|drafted by|prepared by|author|"
    rf"contact|tel|phone|fax|e-?mail|ref(?:erence)?|posted|published|updated|type\(?s?\)?|"
    rf"scope|distribution|classification)\b(?:[\s.,/&()]+(?:(?i:{FIELD_WORDS})\b|[a-z][\w'.]*)){{0,5}}"
    rf"[\s.)]*[:|]")
NUMBERED = re.compile(r"^\s*\(?(?:\d{1,2}|[IVXL]{1,5}|[A-Za-z])[.)]\s+\S")
BREADCRUMB = re.compile(r"\s(?:\\|>>?|»|›)\s")
# Lines that name a section of a site or the kind of document, not the event.
GENRE_WORDS = frozenset({
    "press", "release", "releases", "news", "media", "center", "centre", "home", "archive", "archives", "report",
    "activity", "mission", "summary", "chair's", "chairs", "chair’s", "co-chairs'", "minutes", "statement",
    "statements", "note", "readout", "debrief", "memorandum", "update", "updates", "feature", "features",
    "stories", "story", "latest", "english", "français", "español", "pdf", "print", "e-mail", "email", "|", "-",
    "–", "•", "the", "of", "and", "information", "communiqué", "communique", "speeches", "article", "articles"})
MAIL_HEADER = re.compile(r"^\s*(?:From|To|Cc|Bcc|Sent|Date|Fwd?|Forwarded)\s*:", re.I)
SUBJECT_LINE = re.compile(r"^\s*(?:SUBJECT|Subject|SUBJ|Subj)\s*:\s*(?:\((?:U|SBU|C|S)\)\s*)?(?P<value>\S.*)$")
WEEKDAYS = re.compile(r"(?i)\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b")
NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
FUNCTION_END = re.compile(r"(?i)\b(?:the|of|and|on|for|in|to|at|with|by|a|an)\s*$")
EVENT_WORDS = re.compile(
    r"(?i)\b(?:workshops?|seminars?|conferences?|courses?|training|meetings?|exercises?|round[- ]?tables?|"
    r"dialogues?|forums?|symposi(?:um|a)|visits?|reviews?|sessions?|briefings?|summits?|webinars?|plenary|"
    r"consultations?|talks)\b")
BODY_NOUNS = re.compile(
    r"(?i)\b(?:affairs|agency|secretariat|commission|office|centre|center|organi[sz]ation|ministry|department|"
    r"initiative|programme|program|council|committee|community|union|authority|institute|government|embassy|"
    r"mission|division|bureau|nations|excellence)\b")


def _words(line: str) -> list[str]:
    return [w for w in line.split() if re.search(r"[^\W\d_]", w)]


def _only_dates_and_places(line: str) -> bool:
    """'24 October 2014', 'Wednesday, Dec 06, 2023 |', 'Quito, Ecuador, 6–8 May 2008',
    '(Beijing, June 25, 2024)', 'Seoul, South Korea': a dateline or place line, never a title."""
    found = find_dates(line, default_year=2000)
    rest = line
    for d in found:
        rest = rest.replace(d.text, " ")
    rest = WEEKDAYS.sub(" ", NUMERIC_DATE.sub(" ", rest))
    pieces = [p.strip() for p in re.split(r"[,|()\-–—/:.;]+", rest) if p.strip()]
    idx = state_index()
    def is_place(piece: str) -> bool:  # resolve() alone is lenient: "1540 Committee visit to Ghana" is Ghana
        if EVENT_WORDS.search(piece):
            return False  # "Workshop in Kenya, 2014": resolve() finds Kenya in it, yet it names an event
        return len(piece.split()) <= 3 and bool(idx.resolve(piece) or city_country(piece))

    left = [p for p in pieces if not (is_place(p) or set(p.lower().split()) <= GENRE_WORDS or p.lower() == "date")]
    return sum(len(_words(p)) for p in left) <= 1


def is_title_line(line: str) -> bool:
    """Whether a header line can be a title: not furniture, a header, a date line, a salutation or a
    piece of a word; three words at least."""
    words = _words(line)
    opening = line.lstrip(" \"'“‘([*#•-–")[:1]
    if opening.islower():
        return False  # "that have already submitted reports": a sentence's end, wrapped
    if len(words) < 3:
        return False  # "Identifier", "• English", "Representativ", "Media Center"
    if CABLE_HEADER.search(line) or SITE_CHROME.search(line) or MAIL_HEADER.match(line):
        return False
    if HEADER_FIELD.match(line) or NUMBERED.match(line) or line.count("|") >= 2 or line.lstrip().startswith("|"):
        return False  # a field, a numbered paragraph, a table's row
    if line.rstrip().endswith(",") and not EVENT_WORDS.search(line):
        return False  # "Mr. President,", "Distinguished Delegates,": a letter's or speech's opening
    if {w.lower().strip(":|") for w in words} <= GENRE_WORDS:
        return False  # "Press Releases", "ECOWAS COMMISSION - PRESS RELEASE" is kept: it names a body
    return not _only_dates_and_places(line)


def is_letterhead(line: str) -> bool:
    """The name of the body that wrote the document, above its title: a body's name and nothing
    about an event ("INTERNATIONAL ATOMIC ENERGY AGENCY", "Ministry of Foreign Affairs of Peru",
    "ECOWAS COMMISSION - PRESS RELEASE")."""
    if EVENT_WORDS.search(line) or line.rstrip().endswith((".", ":")) or len(line.split()) > 14:
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    pieces = [p.strip() for p in re.split(r"\s[•|·]\s", line) if p.strip()]
    if len(pieces) > 1:  # "Department of Public Information • News and Media Division • New York"
        return all(_body_name(p) or city_country(p) or state_index().resolve(p) for p in pieces)
    return _body_name(line)


def _body_name(line: str) -> bool:
    """"International Atomic Energy Agency", "Ministry of Foreign Affairs of Belarus": a body's name."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", re.split(r"\s[-–—|]\s", line)[0]).strip()
    of_state = re.match(r"^(?P<body>.+?)\s+of\s+(?:the\s+)?(?P<state>[A-Z][\w' -]+)$", name)
    if of_state and state_index().resolve(of_state.group("state")):
        name = of_state.group("body")  # "Ministry of Foreign Affairs of the Republic of Armenia"
    if re.match(r"^(?:Department|Ministry|Office|Embassy|Permanent Mission|Secretariat) of\b", name):
        return True  # "Department of Public Information"
    return bool(name.split()) and BODY_NOUNS.fullmatch(name.split()[-1]) is not None


def subject_line(text: str, max_lines: int = 60) -> str | None:
    """A cable's or e-mail's subject ("SUBJECT: RESULTS OF DOHA REGIONAL WORKSHOP ON THE" /
    "IMPLEMENTATION OF UNSCR RESOLUTION 1540"), with the line it wraps onto."""
    lines = text[:6000].split("\n")[:max_lines]
    for i, line in enumerate(lines):
        match = SUBJECT_LINE.match(line)
        if not match:
            continue
        value = match.group("value").strip()
        for nxt in lines[i + 1:i + 3]:
            nxt = nxt.strip()
            if not nxt or re.match(r"^(?:[A-Z][A-Za-z .]{0,30}:|\(|\d+\.|REF\b|Classified)", nxt):
                break
            upper_run = value.isupper() and nxt.isupper() and len(nxt.split()) <= 12
            if FUNCTION_END.search(value) or value.endswith(("-", ",", "/")) or upper_run:
                value = f"{value} {nxt}"
            else:
                break
        value = value.strip(" .")
        return value if len(_words(value)) >= 2 else None
    return None


def last_crumb(line: str) -> str:
    """A breadcrumb's last step, the page's own name ("Home \\ Projects \\ Focal Partnerships within
    the German Biosecurity Programme"); any other line as it is."""
    crumbs = BREADCRUMB.split(line)
    return crumbs[-1].strip() if len(crumbs) > 1 else line


def unquoted(line: str) -> str:
    """A title without an opening quotation mark whose closing one the layout left on another line."""
    for opening, closing in (("‘", "’"), ("“", "”"), ('"', '"'), ("'", "'")):
        if line.startswith(opening) and closing not in line[1:]:
            return line[1:].strip()
    return line


def pick_title(lines: list[str]) -> str | None:
    """The first title line, or, when it is a letterhead, the next one that names an event (within
    the header's next three title lines)."""
    if not lines:
        return None
    lines = [unquoted(line) for line in lines]
    first = lines[0]
    if is_letterhead(first):
        for line in lines[1:4]:
            if EVENT_WORDS.search(line) and not line.rstrip().endswith("."):
                return line
    return first


# "hosted a regional conference on non-proliferation for the States of ..., in La Paz", "organized the
# “Workshop on control and security measures ...”": the event a page's first sentences name.
QUOTED_NAME = re.compile(r"[“\"](?P<name>[A-Z][^”\"\n]{8,200})[”\"]")
EVENT_VERB = re.compile(r"(?i)\b(?:held|hosted|organi[sz]ed|convened|conducted|co-organi[sz]ed|co-hosted|"
                        r"launched|opened|concluded|holding|hosting|organi[sz]ing|convening|conducting|"
                        r"delivering|delivered)\s+(?:a|an|the|its)\s+")
NAME_END = re.compile(
    r"[,;.:(]|\s(?:in|at|from|on|between)\s+(?:[A-Z]|\d)|\s(?:with|which|that|to|where|under|within|"
    r"between|during|as|aimed|aiming|bringing|attended|by|through|held|hosted|organi[sz]ed)\b")


def prose_event_name(sentences, max_sentences: int = 3) -> str | None:
    """The event named in the first sentences: a quoted name with an event word, else the noun phrase
    after "held/hosted/organized a" up to its place, date or next clause ("a peer review meeting
    in Dushanbe" gives "Peer review meeting"); two words at least."""
    for sent in sentences[:max_sentences]:
        for match in QUOTED_NAME.finditer(sent.text):
            if EVENT_WORDS.search(match.group("name")) and len(_words(match.group("name"))) >= 3:
                return match.group("name").strip()
    for sent in sentences[:max_sentences]:
        for verb in EVENT_VERB.finditer(sent.text):
            rest = sent.text[verb.end():verb.end() + 250]
            end = NAME_END.search(rest)
            name = rest[:end.start()] if end else rest
            event = EVENT_WORDS.search(name)
            if event is None or len(name[:event.start()].split()) > 5:
                continue  # the event word must come early: "a number of ... on ... workshop" is no name
            name = FUNCTION_END.sub("", name.strip()).strip()
            if len(_words(name)) >= 2:  # "Subregional workshop"; "workshop" alone says nothing
                return name[:1].upper() + name[1:]
    return None

