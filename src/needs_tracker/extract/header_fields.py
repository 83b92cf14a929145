"""Where a note's header says when the event was and what it was called, outside its fields.

Labelled fields ("Dates:", "Event:") are read in ``fields``; here are the fallbacks it takes in
order when they are missing: an event page's start and end dates, a dated sentence about the
event, a bare date line under the title or a date closing the title line ("Workshop on export
control, Almaty, 12 May 2015"), and the first line that is a title (not a field, not a dateline).
"""

from __future__ import annotations

import re

from .dates import DATELINE, PUBLICATION, DateRange, find_dates, is_publication_date
from .text import Block, clean_value
from .title_lines import FUNCTION_END, is_title_line, last_crumb, pick_title, prose_event_name, subject_line

EVENT_CONTEXT = re.compile(
    r"\b(held|took place|take place|convened|organi[sz]ed|hosted|met|meeting|workshop|seminar|conference|"
    r"roundtable|round table|course|event|session|exercise|consultations?|date)\b", re.I)
HEADER_CHARS = 3000  # a header is the first lines of a note: never read a megabyte-long first paragraph as one


def strip_dates(value: str) -> str:
    """``value`` without its dates: what is left says whether a line is only a date."""
    for d in find_dates(value, default_year=2000):
        value = value.replace(d.text, " ")
    return value


def header_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the first 15 non-empty lines of the note's header."""
    out, offset = [], 0
    for line in text[:HEADER_CHARS].split("\n"):
        if line.strip():
            out.append((offset, line))
            if len(out) == 15:
                break
        offset += len(line) + 1
    return out


def start_end_dates(start_end: dict[str, DateRange]) -> DateRange | None:
    """One range from an event page's "Start Date: Aug 2 2016" and "End Date: Aug 5 2016"."""
    start, end = start_end.get("start_date"), start_end.get("end_date")
    if start is None or start.start is None:
        return start
    if end is None or end.end is None or end.end < start.start or start.precision != "day":
        return start
    return DateRange(start.start, end.end, "day", end.end.year, f"{start.text} – {end.text}", start.pos)


def header_dates(header: list[str], ref_year: int | None) -> DateRange | None:
    """A bare date line under the title: the event's range before a single day, which is more
    often the day the page was published ("October 20th, 2017" above "27-28 September 2017")."""
    dates = []
    for line in header:
        found = find_dates(line, default_year=ref_year)
        if found and len(strip_dates(line).split()) <= 2 and not PUBLICATION.search(strip_dates(line)):
            dates.append(found[0])
    ranged = [d for d in dates if d.start is not None and d.start != d.end]
    return (ranged or dates or [title_line_date(header[:3], ref_year)])[0]


def title_line_date(lines: list[str], ref_year: int | None) -> DateRange | None:
    """The date that closes the title line after a comma or dash: "Workshop on export control,
    Almaty, 12 May 2015". Only when no bare date line gave one."""
    for line in lines:
        found = find_dates(line, default_year=ref_year)
        if not found:
            continue
        last = found[-1]
        before, after = line[:last.pos].rstrip(), line[last.pos + len(last.text):].strip(" .)*")
        if not after and before.endswith((",", "–", "—", "-", "|", "(")):
            return last
    return None


def prose_dates(text: str, sentences, ref_year: int | None) -> DateRange | None:
    dateline = DATELINE.search(text)
    dateline_span = dateline.span() if dateline else (-1, -1)
    for sent in sentences:
        body, body_start = sent.text, sent.start
        if dateline_span[0] <= sent.start < dateline_span[1]:
            body_start = max(sent.start, dateline_span[1])
            body = text[body_start:sent.end]  # what follows "CITY, date —"
        found = [d for d in find_dates(body, default_year=ref_year)
                 if not is_publication_date(text, body_start + d.pos)]  # not "Posted: 26 Feb 2009"
        if not found:
            continue
        if EVENT_CONTEXT.search(sent.text):
            ranged = [d for d in found if d.precision == "day" and d.start != d.end] or found
            return ranged[0]
    return None


MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def first_title(blocks: list[Block], text: str = "", sentences=()) -> str | None:
    """A cable's or e-mail's subject line; else the first header line that can be a title (see
    ``title_lines``), passing over a letterhead above it; a line of prose only when the first
    sentences name no event."""
    subject = subject_line(text) if text else None
    if subject:
        return subject
    lines: list[str] = []
    prose: str | None = None
    header = _header_block_lines(blocks, len(text.rstrip()) if text else None)
    for i, (b, first, last, raw) in enumerate(header):
        if not first or len(lines) == 4:
            continue  # a block's title is its first title line; the rest of a paragraph is its prose
        # a markdown heading's "#" marks are layout, not part of the title
        line = last_crumb(clean_value(MARKDOWN_HEADING.sub("", raw)))
        low = line.lower()
        if not line or low.startswith(("# source", "source:")) or "information note" in low:
            continue
        j = i
        while FUNCTION_END.search(line) and j + 1 < len(header) and len(line.split()) < 20 \
                and is_title_line(clean_value(header[j + 1][3])):
            j += 1  # "Summary Requests for" / "Assistance from Member States": one title
            line = f"{line} {clean_value(header[j][3])}"
        if DATELINE.match(raw) or len(line.split()) > 30 or not is_title_line(line):
            continue
        for k in range(i, j + 1):
            header[k] = (*header[k][:1], False, *header[k][2:])
        # prose: a sentence's line, ended or running on in lower case ("... the States of the\nregion")
        runs_on = i + 1 < len(header) and header[i + 1][0] is b and header[i + 1][3].lstrip()[:1].islower()
        sentence_like = len(line.split()) >= 12 and (raw.rstrip().endswith(".") or runs_on)
        if b.kind == "paragraph" and (sentence_like or last):
            prose = prose or line  # the first line of the body's prose: a title of last resort
        elif not last:
            lines.append(line)
        for k in range(j + 1, len(header)):  # the rest of this block is not its title
            if header[k][0] is b:
                header[k] = (b, False, *header[k][2:])
    return pick_title(lines) or prose_event_name(sentences) or prose


def _header_block_lines(blocks: list[Block], body_end: int | None) -> list[tuple[Block, bool, bool, str]]:
    """(block, still open, the document's last block, line) for the first three lines of the header's
    blocks, up to the note's prose after its fields ("Dates: ... Venue: ..." is a field, not a title;
    the document's last line comes after its title, never is it: "Representativ")."""
    out = []
    after_fields = False
    for b in blocks[:8]:
        if b.kind == "label":
            after_fields = True
            continue
        if after_fields and b.kind == "paragraph":
            break
        last = body_end is not None and b.end >= body_end and b.start > 0
        out.extend((b, True, last, raw) for raw in b.text.split("\n")[:3])
    return out
