"""Event dates as notes write them, with the precision the note gives and nothing invented.

Handled: ``24 - 25 April 2018``, ``4, 5 and 6 April 2016``, ``30-31 March and 1 April 2016``,
``13-15 March 2012``, ``30 November - 2 December 2015``,
``March 8-11, 2009``, ``November 17-19, 2015``, ``from 2 to 4 August 2017``, ``26 June 2017``,
``From 8 to 10 November`` (no year: the year comes only from a dateline, a publication line
or a cable's header, in the year nearest to when the page was written; else null and a
warning), and month-and-year only (``August and September 2019``, precision 'month').
Publication lines ("Posted:", "Date of Request:") are never event dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DASH = r"\s*(?:-|–|—|to|until|and)\s*(?:the\s+)?"
# "Tuesday 19", "the 23rd": words that may stand before a day number
_PRE = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+|the\s+)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"


def _m(name: str) -> str:
    return _MONTH.format(n=name)


def _y(name: str) -> str:
    return _YEAR.format(n=name)


# Ordered: the most specific pattern first. Day numbers must not be glued to other digits.
PATTERNS = [
    # 30-31 March and 1 April 2016 (a range that runs into the next month)
    re.compile(rf"(?<![\d.])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_m('m1')}"
               rf"\s+(?:and|to|-|–)\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_m('m2')},?(?:\s+{_y('y1')})?", re.I),
    # 4, 5 and 6 April 2016 (days listed one by one; at most eight, so a long run of numbers costs linear time)
    re.compile(rf"(?<![\d.])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*\d{{1,2}}(?:st|nd|rd|th)?){{1,6}},?\s+and\s+"
               rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('m1')},?(?:\s+{_y('y1')})?", re.I),
    # 30 November - 2 December 2015
    re.compile(rf"(?<!\d)(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('m1')}(?:,|\s+of)?(?:\s+{_y('y1')})?"
               rf"{_DASH}{_PRE}"
               rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('m2')}(?:,|\s+of)?(?:\s+{_y('y2')})?", re.I),
    # 24 - 25 April 2018 / from 2 to 4 August 2017 / 22–24 November 2016
    re.compile(rf"(?<![\d.])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_DASH}{_PRE}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+"
               rf"(?:of\s+)?{_m('m1')}(?:,|\s+of)?(?:\s+{_y('y1')})?", re.I),
    # March 8-11, 2009 / November 17-19, 2015
    re.compile(rf"{_m('m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_DASH}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
               rf"(?!\d)(?:,?\s+{_y('y1')})?", re.I),
    # March 30 - April 2, 2009
    re.compile(rf"{_m('m1')}\s+(?P<d1>\d{{1,2}}){_DASH}{_m('m2')}\s+(?P<d2>\d{{1,2}})(?!\d)(?:,?\s+{_y('y1')})?",
               re.I),
    # 26 June 2017 (single day)
    re.compile(rf"(?<![\d.])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('m1')}(?:,|\s+of)?"
               rf"(?:\s+{_y('y1')})?", re.I),
    # June 26, 2017 / Aug 2 2016 (an event page's "Start Date:")
    re.compile(rf"{_m('m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_y('y1')})?", re.I),
    # 02.12.2014 – 04.12.2014 (day.month.year)
    re.compile(r"(?<![\d.])(?P<ed1>\d{1,2})\.(?P<em1>\d{1,2})\.(?P<ey1>(?:19|20)\d\d)(?![\d.]\d)"
               r"(?:\s*(?:-|–|—|to|until)\s*(?P<ed2>\d{1,2})\.(?P<em2>\d{1,2})\.(?P<ey2>(?:19|20)\d\d))?"),
    # 2016-04-06 / 2016-04-06 to 2016-04-07 (ISO)
    re.compile(r"(?<![\d-])(?P<iy1>(?:19|20)\d\d)-(?P<im1>[01]\d)-(?P<id1>[0-3]\d)(?!\d|:|\s\d\d:)"
               r"(?:\s*(?:-|–|to|until)\s*(?P<iy2>(?:19|20)\d\d)-(?P<im2>[01]\d)-(?P<id2>[0-3]\d))?"),
    # August and September 2019 / April 2018 (month precision)
    re.compile(rf"(?<![\d\w]){_m('m1')}(?:{_DASH}{_m('m2')})?,?\s+{_y('y1')}", re.I),
]


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None
    precision: str | None  # day, month, year
    year: int | None
    text: str
    pos: int
    needs_year: bool = False  # day and month found, year missing

    def with_year(self, year: int) -> DateRange:
        return parse_date_range(self.text, default_year=year) or self


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(match: re.Match, default_year: int | None, pos: int) -> DateRange | None:
    g = match.groupdict()
    for p in ("e", "i"):  # all-numeric forms: e = 02.12.2014, i = 2014-12-02
        if g.get(f"{p}y1"):
            start = _safe_date(int(g[f"{p}y1"]), int(g[f"{p}m1"]), int(g[f"{p}d1"]))
            end = _safe_date(int(g[f"{p}y2"]), int(g[f"{p}m2"]), int(g[f"{p}d2"])) if g.get(f"{p}y2") else start
            if start is None or end is None or end < start:
                return None
            return DateRange(start, end, "day", start.year, match.group(0), pos)
    if any(g.get(k) and g[k].isupper() and len(g[k].rstrip(".")) <= 4 for k in ("m1", "m2")):
        return None  # "211608Z NOV 07": a cable's date-time group, not an event date
    m1 = MONTHS[g["m1"].lower().rstrip(".")]
    m2 = MONTHS[g["m2"].lower().rstrip(".")] if g.get("m2") else m1
    year = g.get("y2") or g.get("y1")
    year_i = int(year) if year else default_year
    text = match.group(0)
    if g.get("d1") is None:  # month precision
        if year_i is None:
            return None
        start = date(year_i, m1, 1)
        return DateRange(start, date(year_i, m2, 1), "month", year_i, text, pos)
    d1 = int(g["d1"])
    d2 = int(g["d2"]) if g.get("d2") else d1
    if year_i is None:
        return DateRange(None, None, None, None, text, pos, needs_year=True)
    y1 = int(g["y1"]) if g.get("y1") and g.get("y2") else year_i
    start = _safe_date(y1, m1, d1)
    end = _safe_date(year_i, m2, d2)
    if start is None or end is None or end < start:
        return None
    return DateRange(start, end, "day", year_i, text, pos)


def find_dates(text: str, default_year: int | None = None) -> list[DateRange]:
    """Every date expression in ``text``, leftmost first; overlapping weaker matches dropped."""
    taken = bytearray(len(text))  # 1 where a stronger match already stands: one lookup per match, not a scan
    found: list[DateRange] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            s, e = match.span()
            if taken.find(1, s, e) != -1:
                continue
            result = _from_match(match, default_year, s)
            if result is None:
                continue
            taken[s:e] = b"\x01" * (e - s)
            found.append(result)
    return sorted(found, key=lambda r: r.pos)


def parse_date_range(text: str, default_year: int | None = None) -> DateRange | None:
    found = find_dates(text, default_year)
    return found[0] if found else None


# A press dateline, "VIENNA, 26 September 2019 —", or the same without the city ("12 March 2019 —")
# when a paragraph of prose follows on the line (an agenda's "12 March 2019 – Opening" is no dateline).
DATELINE = re.compile(
    r"^[^\S\n]*(?P<city>[A-Z][A-Za-z .'’-]{1,40},\s+)?"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+(?:19|20)\d\d|[A-Z][a-z]+\.?\s+\d{1,2},\s+(?:19|20)\d\d)"
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:—|–|-{1,2})(?(city)|(?=[^\n]{40}))",
    re.M,
)
HEADER_YEAR = re.compile(r"(?<![\d(])(?P<y>(?:19|20)\d\d)(?![\d)])\s*$")
CABLE_DATE = re.compile(r"\b\d{6}Z\s+(?P<mon>[A-Z]{3})\s+(?P<yy>\d\d)\b")
CABLE_CREATED = re.compile(r"^(?:Created:\s*)?(?P<y>(?:19|20)\d\d)-\d\d-\d\d[ T]\d\d:\d\d", re.M)


# A publication line: "Posted: February 26, 2009", "Updated: Mar 2, 2009", "Published on 3 May 2017",
# "(Date of Request: 28 October 2004)". Its date says when the page was written, not when the event was.
PUBLICATION = re.compile(
    r"\b(?:posted|updated|last updated|published|publication date|date of publication|released|issued|"
    r"date of issue|date of request|requested on|press release|announced|modified|created|accessed|retrieved)"
    r"(?:\s+(?:on|date))?\s*[:,-]?\s*$", re.I)


def is_publication_date(text: str, pos: int) -> bool:
    """Whether the date at ``pos`` follows a publication label on its own line."""
    window = max(0, pos - 40)  # only the last 40 characters count: never search a long line back to its start
    line_start = text.rfind("\n", window, pos) + 1
    return bool(PUBLICATION.search(text[max(line_start, window):pos].lstrip("(*_ ")))


def publication_date(text: str) -> date | None:
    """When the page was written: a press dateline, else the first publication line."""
    match = DATELINE.search(text)
    if match:
        found = parse_date_range(match.group("date"))
        if found and found.start:
            return found.start
    for found in find_dates(text[:PUBLICATION_SCAN]):
        if found.start and found.precision == "day" and is_publication_date(text, found.pos):
            return found.start
    return None


PUBLICATION_SCAN = 5000  # publication lines stand in a page's header or footer: its first part is enough


def nearest_year(found: DateRange, written: date) -> DateRange:
    """A day and month without a year, put in the year that brings it nearest to when the page
    was written: "12-13 December" in a page of 5 January 2018 is December 2017; "15-16 January"
    announced on 10 December 2017 is January 2018."""
    if found.start is None and not found.needs_year:
        return found
    options = [found.with_year(y) for y in (written.year - 1, written.year, written.year + 1)]
    options = [o for o in options if o.start is not None]
    return min(options, key=lambda o: abs((o.start - written).days), default=found)


def has_year(found: DateRange) -> bool:
    return bool(re.search(r"(?:19|20)\d\d", found.text))


def reference_year(text: str) -> int | None:
    """The year a note was written, for dates that give none: a press dateline
    (``VIENNA, 26 September 2019 —``), a publication line or a cable's header. Never a
    resolution's year."""
    written = publication_date(text)
    if written:
        return written.year
    for line in [ln for ln in text.split("\n") if ln.strip()][:3]:  # "Information Note – 2016"
        match = HEADER_YEAR.search(line)
        if match and len(line.split()) <= 8:
            return int(match.group("y"))
    match = CABLE_DATE.search(text)
    if match:
        return 2000 + int(match.group("yy"))
    match = CABLE_CREATED.search(text[:2000])
    if match:
        return int(match.group("y"))
    return None
