"""Formal requests for assistance: registers, request letters and lists of requesting states.

A register such as the 1540 Committee's "Summary Requests for Assistance" is not a
workshop: it is a run of dated blocks ("(Date of Request: 28 October 2004)"), each with a
lead-in ("Related to border controls:") and numbered items. Each item (and each lead-in
that names an area) becomes a request dated by its block. The state of a block is, in
order: a state heading right above its date; the one state its own text names
("... exported by Albania", "the Armenian nuclear power plant"); a state line right below its
items ("Requesting State: Guatemala"); a heading further up; or
else a neighbouring block with the same date and the same lead-in, which the register
splits in two (the corpus README's doubts column explains this for Angola). A request
letter ("has the honour to request ...") gives its sender's items, dated by the letter;
a summary naming the states that "submitted formal requests" gives one request each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..states import state_index
from .assistance_records import AssistanceRules, RequestRecord, load_assistance_rules
from .dates import parse_date_range
from .needs import categorize
from .rules import Match, load_rules
from .text import BULLET, CHUNK_CHARS, MARKUP, nlp

STATE_LINE_WORDS = 6
ASKS = re.compile(r"\b(assist\w*|support|help|aid|need\w*|require\w*)\b", re.I)  # a prose line that asks
SENDER = re.compile(
    r"\b(?:Permanent Mission|Embassy|Government|Ministry of Foreign Affairs)\s+of\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’ -]+?)(?=\s+(?:to|in|at|presents|has|hereby|wishes|would)\b|[,.;]|$)", re.M)

REPORTED_REQUEST = re.compile(r"\b(?:would|will|shall|could|may|might|to|planned|plans|intends|intended)\s+$", re.I)
REPORTED_WINDOW = 200  # characters before a letter's cue where REPORTED_REQUEST is sought

DESCRIBES_STATES = re.compile(r"\b(?:that|which|who|whose)\s+(?:(?:had|have|has|already|all|each)\s+)*$", re.I)


@dataclass
class _Segment:
    requested_on: date | None
    heading_state: str | None = None  # a state line right above the date
    carried_state: str | None = None  # the last state line further up
    trailing_state: str | None = None  # a state line right below the items
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text) of items
    named: list[str] = field(default_factory=list)
    lead: str = ""


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _state_line(line: str) -> str | None:
    """A line that is only a state's name ("ALBANIA", "## Armenia", "Angola:")."""
    cleaned = MARKUP.sub("", line.strip()).strip(" :–-*#")
    if not cleaned or len(cleaned.split()) > STATE_LINE_WORDS:
        return None
    state = state_index().resolve(cleaned.title() if cleaned.isupper() else cleaned)
    return state.iso3 if state else None


def _request_date(line: str) -> date | None:
    found = parse_date_range(line)
    return found.start if found and found.precision in ("day", "month") else None


def _trimmed(start: int, raw: str) -> tuple[int, int, str]:
    """An item's span without its bullet number, spaces or final full stop."""
    bullet = BULLET.match(raw)
    lead = bullet.end() if bullet else len(raw) - len(raw.lstrip())
    body = raw[lead:].rstrip()
    body = body[:-1] if body.endswith(".") else body
    return start + lead, start + lead + len(body), body


def _categories(text: str) -> tuple[list[str], float]:
    # an item is a line of a register; one of a million characters (a note that is one long line) is
    # classified by its opening, under spaCy's max_length, not refused with spaCy's own error (review10)
    doc = nlp()(text[:CHUNK_CHARS])
    if not len(doc):
        return ["other"], 0.7
    cue = Match("cue:strong:(requested item)", 0, 1, 0, len(doc[0].text))
    categories, factor, _how = categorize(doc, load_rules(), [cue], set())
    if categories == ["other"]:  # "Review of the draft ... Bill": words the taxonomy lacks
        words = {t.lower_ for t in doc}
        extra = sorted(c for c, terms in load_assistance_rules().offered_terms.items() if words & terms)
        if extra:
            return extra, 0.8
    return categories, factor


# "... with the drafting of a law, and with the establishment of a control list": each part of an
# enumeration is classified alone, so a strong term in one part does not hide the other's area.
ENUMERATION = re.compile(r";\s+|,\s+(?:and\s+|as well as\s+)?(?=(?:with|in|for|on|to)\b|in particular\b)", re.I)


def _item_categories(body: str) -> tuple[list[str], float]:
    parts = [p for p in ENUMERATION.split(body) if p.strip()]
    if len(parts) < 2:
        return _categories(body)
    found: list[str] = []
    factors = []
    for part in parts:
        categories, factor = _categories(part)
        if categories != ["other"]:
            found += categories
            factors.append(factor)
    if not found:
        return _categories(body)
    return list(dict.fromkeys(found)), min(factors)


def _segments(text: str, rules: AssistanceRules) -> list[_Segment]:
    idx = state_index()
    segments: list[_Segment] = []
    heading: str | None = None
    heading_fresh = False
    for start, _end, raw in _lines(text):
        if not raw.strip():
            continue
        state = _state_line(raw)
        if state:
            if segments and segments[-1].lines and not segments[-1].named and not segments[-1].heading_state:
                segments[-1].trailing_state = state  # "Requesting State: Guatemala" below its items
            heading, heading_fresh = state, True
            continue
        marker = rules.date_marker_re.search(raw)
        if marker:
            segments.append(_Segment(_request_date(raw), heading if heading_fresh else None, heading))
            heading_fresh = False
            rest = re.sub(r"^[\s:)\]–—-]*(?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},\s+\d{4})?[\s:)\]–—-]*", "",
                          raw[marker.end():])
            if len(rest.split()) >= 3:  # "Kenya, requested on 12 May 2016: drafting of ..."
                offset = start + len(raw) - len(rest)
                segments[-1].lines.append((offset, offset + len(rest), rest))
                segments[-1].named += [m.iso3 for m in idx.find_mentions(raw[:marker.start()])]
            continue
        if not segments:
            continue  # the register's title and introduction
        seg = segments[-1]
        seg.named += [m.iso3 for m in idx.find_mentions(raw)]
        seg.named += [m.iso3 for m in idx.find_adjective_mentions(raw)]
        if rules.field_line_re.match(raw):
            continue  # "Status: partially matched" says what became of the request, not what it asks
        if not BULLET.match(raw) and not raw.rstrip().endswith(":") and not ASKS.search(raw) \
                and _categories(raw.strip())[0] == ["other"]:
            continue  # "Mongolia submitted this request after the workshop": a remark, no item
        seg.lines.append((start, start + len(raw), raw))
        if raw.rstrip().endswith(":") and not seg.lead:
            seg.lead = raw.strip()
    return segments


def _segment_state(i: int, segments: list[_Segment]) -> tuple[str | None, float, str]:
    seg = segments[i]
    own = list(dict.fromkeys(seg.named))
    if seg.heading_state:
        return seg.heading_state, 0.9, "heading"
    if len(own) == 1:
        return own[0], 0.9, "named-in-item"
    if own:  # several states: the one named most often
        return max(own, key=seg.named.count), 0.7, "named-most"
    if seg.trailing_state:
        return seg.trailing_state, 0.8, "state-below"
    if seg.carried_state:
        return seg.carried_state, 0.8, "heading-above"
    for j in (i + 1, i - 1):  # the same date and lead-in, split in two by the register
        if 0 <= j < len(segments):
            other = segments[j]
            same = other.requested_on == seg.requested_on and other.lead == seg.lead
            named = list(dict.fromkeys(other.named))
            if same and len(named) == 1:
                return named[0], 0.6, "same-date-neighbour"
    return None, 0.0, "none"


def _items(segment: _Segment, state: str, confidence: float, how: str) -> list[RequestRecord]:
    out: list[RequestRecord] = []
    lead: list[str] = []  # the area a lead-in names ("Related to legislation:")
    for start, _end, raw in segment.lines:
        s, e, body = _trimmed(start, raw)
        if not body:
            continue
        lead_in = body.endswith(":")
        categories, factor = _item_categories(body)
        if lead_in:
            lead = [] if categories == ["other"] else categories
            if not lead:
                continue  # "Technical and practical assistance as follows:" names no area
        elif categories == ["other"] and lead and BULLET.match(raw):
            categories, factor = lead, 0.8  # an item that names no area is in its lead-in's
        for category in categories:
            out.append(RequestRecord(state, category, segment.requested_on, body, s, e,
                                     round(confidence * factor, 2), f"request/register/{how}"))
    return out


def _register(text: str, rules: AssistanceRules) -> list[RequestRecord]:
    segments = _segments(text, rules)
    out: list[RequestRecord] = []
    for i, seg in enumerate(segments):
        state, confidence, how = _segment_state(i, segments)
        if state:
            out += _items(seg, state, confidence, how)
    return out


def _letter(text: str, rules: AssistanceRules) -> list[RequestRecord]:
    # A letter asks in its own present voice; "X indicated that it would formally request ..." or
    # "intends to request" reports a future request inside some other document.
    # the words just before each cue (a window: the whole text before each of 10,000 cues was quadratic)
    cue = next((m for m in rules.letter_re.finditer(text)
                if not REPORTED_REQUEST.search(text, max(0, m.start() - REPORTED_WINDOW), m.start())), None)
    sender = SENDER.search(text, 0, cue.start()) if cue else None
    state = state_index().resolve(sender.group("name")) if sender else None
    if cue is None or state is None:
        return []
    # The letter's own date stands on a line of its own ("New York, 21 March 2017"), wherever it
    # is; a date inside the text ("with reference to the note of 12 January") is another's.
    dated_lines: list = []
    for _s, _e, ln in _lines(text):
        found = parse_date_range(ln)
        if found and found.start:
            dated_lines.append((len(ln.split()), found))
    own = [d for words, d in dated_lines if words <= 6]
    requested_on = (own or [d for _w, d in dated_lines] or [None])[0]
    requested_on = requested_on.start if requested_on else None
    segment = _Segment(requested_on)
    for start, end, raw in _lines(text):
        if start >= cue.start() and BULLET.match(raw):
            segment.lines.append((start, end, raw))
    if not segment.lines:  # one sentence asks for it all
        stop = min([text.find(p, cue.end()) for p in (".\n", ". ") if text.find(p, cue.end()) > 0] or [len(text)])
        begin = text.rfind("\n", 0, cue.start()) + 1
        segment.lines.append((begin, stop, text[begin:stop]))
    return _items(segment, state.iso3, 0.85, "letter")


def _submitted_by(text: str, rules: AssistanceRules) -> list[RequestRecord]:
    out: list[RequestRecord] = []
    read: set[tuple[int, int, int]] = set()  # (sentence start, end, list end) already read
    bounds = _SentenceBounds(text)
    for m in rules.submitted_by_re.finditer(text):
        if DESCRIBES_STATES.search(text, max(0, m.start() - 40), m.start()):
            continue  # "the five States that had submitted requests" describes who came, lists no register
        begin, stop = bounds.around(m.start(), m.end())
        sentence = text[begin:stop]
        listed = sentence
        # "... States that had submitted requests (A, B and C) and partners able to respond: D, E":
        # a parenthesis of states right after the cue is the whole list; the rest are others.
        opened = sentence.find("(", m.end() - begin)
        closed = sentence.find(")", opened)
        if opened >= 0 and closed > opened and state_index().find_mentions(sentence[opened:closed]):
            listed = sentence[:closed]
        if (begin, stop, len(listed)) in read:
            continue  # a second cue in the same sentence lists the same states again (10,000 cues: 10,000² records)
        read.add((begin, stop, len(listed)))
        for iso3 in dict.fromkeys(mention.iso3 for mention in state_index().find_mentions(listed)):
            out.append(RequestRecord(iso3, "other", None, sentence, begin, stop, 0.6,
                                     "request/submitted-by"))
    return out


class _SentenceBounds:
    """The sentence (or line) around each of a series of matches met in text order: each search
    starts where the previous one left off, so 10,000 matches on one line read it once, not
    10,000 times. ``around`` gives what ``max(rfind(". ") + 2, rfind("\\n") + 1)`` and ``min(find(". "),
    find("\\n"), len)`` give from the match."""

    def __init__(self, text: str):
        self.text = text
        self.searched_back = 0  # every ". " and "\\n" ending before this is known
        self.last_stop, self.last_newline = -1, -1  # the last of each found so far (-1: none)
        self.ahead_from = len(text) + 1  # the forward ends below were found from this position (none yet)
        self.next_stop = self.next_newline = -1

    def around(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        if start >= self.searched_back:
            found = text.rfind(". ", max(0, self.searched_back - 1), start)
            self.last_stop = found if found >= 0 else self.last_stop
            found = text.rfind("\n", self.searched_back, start)
            self.last_newline = found if found >= 0 else self.last_newline
            self.searched_back = start
        else:  # matches out of order: search back from scratch
            self.last_stop, self.last_newline = text.rfind(". ", 0, start), text.rfind("\n", 0, start)
            self.searched_back = start
        begin = max(self.last_stop + 2, self.last_newline + 1)
        if not (self.ahead_from <= end and (self.next_stop < 0 or self.next_stop >= end)):
            self.next_stop = text.find(". ", end)
        if not (self.ahead_from <= end and (self.next_newline < 0 or self.next_newline >= end)):
            self.next_newline = text.find("\n", end)
        self.ahead_from = end
        stop = min(p for p in (self.next_stop, self.next_newline, len(text)) if p >= 0)
        return begin, stop


def _register_table(text: str, rules: AssistanceRules) -> list[RequestRecord]:
    """A register laid out as a table ("State | Date of request | Assistance requested", or a
    Word table read as such): one request per row, its state, date and items in their columns."""
    out: list[RequestRecord] = []
    columns: dict[str, int] | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.count("|") < 2:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if columns is None:
            date_col = next((i for i, c in enumerate(cells) if rules.date_marker_re.search(c)), None)
            state_col = next((i for i, c in enumerate(cells) if re.search(r"\b(state|country)\b", c, re.I)), None)
            if date_col is not None and state_col is not None:
                columns = {"date": date_col, "state": state_col}
            continue
        if len(cells) <= max(columns.values()) or not cells[columns["state"]].strip(" -:"):
            continue
        state = state_index().resolve(cells[columns["state"]])
        if state is None:
            continue
        requested_on = _request_date(cells[columns["date"]])
        for i, cell in enumerate(cells):
            if i in columns.values() or not cell:
                continue
            s = start + line.index(cell)
            for category in _item_categories(cell)[0]:
                out.append(RequestRecord(state.iso3, category, requested_on, cell, s, s + len(cell), 0.8,
                                         "request/register-table"))
    return out


def find_requests(text: str, is_event: bool, participants: frozenset[str] = frozenset()) -> list[RequestRecord]:
    """The formal requests a register, a request letter or a list of requesting states holds;
    empty for anything else (a workshop note that mentions a request yields needs instead).
    A note whose only "participants" are the states it lists as having submitted requests is
    such a list, not an event."""
    rules = load_assistance_rules()
    markers = len(rules.date_marker_re.findall(text))
    table = _register_table(text, rules) if markers and "|" in text else []
    if table:  # a table with a "date of request" column is a register whatever else it names
        return table
    if markers:
        found = _register(text, rules)
        if found and (markers >= 2 or not is_event):
            return found
    letter = _letter(text, rules)  # "has the honour to request" is a letter, whatever else it names
    if letter:
        return letter
    listed = _submitted_by(text, rules)
    if is_event and not (listed and participants <= {r.state_iso3 for r in listed}):
        return []
    return listed
