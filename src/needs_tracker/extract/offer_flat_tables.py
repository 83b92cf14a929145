"""Offers read from a table a PDF reader has flattened: its cells come out as lines, no "|" between them.

A report made with a PDF writer keeps its table of offers as text: the heading row is one line of column
names ("Provider Assistance Beneficiary", "State Agreed follow-up Lead Target date"), then each row's
cells follow as lines, a long cell wrapped over several, with the running footer and the repeated heading
row of the next page in between. Four batches by four writers (an UNLIREC activity report, an IAEA
meeting report, an UNLIREC summary report, an IAEA chair's report) put their offers only there, and the
sentence rules read such a table as one run-on sentence whose cue, if any, belongs to no row.

Kept apart from ``offer_tables`` (tables whose cells are separated): here the rows have to be found
first. A row starts at a line that opens with the value of the first column (a provider, or the state
helped) once the row before has its description; it ends where prose resumes (a numbered heading, or a
line that reports: "... recalled that ...", "... thanked ..."). The provider is the first column's, or,
in a table led by the state helped, the last provider the row names after it (its "Lead" cell); a row
whose lead is the state itself ("Oman | Request for INSSP mission to be submitted | Government of Oman")
or whose cells say nothing is decided offers nothing.
"""

from __future__ import annotations

import re

from ..states import state_index
from .assistance_records import OfferRecord, load_assistance_rules
from .offer_categories import _categories
from .offer_providers import _candidates, _recipients
from .offer_speakers import DocContext

# the words a heading row of a table of offers is made of (every word of the line must be one)
COLUMN_WORDS = {
    "provider", "providers", "partner", "partners", "donor", "donors", "lead", "responsible", "organization",
    "organisation", "offered", "by", "state", "states", "country", "countries", "beneficiary", "beneficiaries",
    "recipient", "recipients", "area", "assistance", "support", "offer", "offers", "agreed", "follow-up",
    "action", "actions", "activity", "activities", "commitment", "commitments", "indicated", "proposed",
    "description", "timing", "timeframe", "timeline", "target", "date", "dates", "status", "of", "and", "type",
}
PROVIDER_HEADS = {"provider", "providers", "partner", "partners", "donor", "donors", "lead", "responsible",
                  "organization", "organisation"}
STATE_HEADS = {"state", "states", "country", "countries", "beneficiary", "beneficiaries", "recipient",
               "recipients"}
OFFER_HEADS = {"assistance", "support", "offer", "offers", "follow-up", "action", "actions", "activity",
               "activities", "commitment", "commitments"}
# a running footer or header between two pages ("UNLIREC - Andean workshop, Lima 2022 - page 1")
PAGE_LINE = re.compile(r"\bpage\s+\d+(?:\s+of\s+\d+)?\s*$", re.I)
# prose resumes: a numbered heading ("6. Conclusions", "IV. Closing") or a line that reports
SECTION = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+[A-Z]")
PROSE = re.compile(r"\b(?:that|thanked|agreed|informed|indicated|recalled|stated|said|noted|explained|reaffirmed|"
                   r"announced|expressed|presented|recommended|welcomed|reported)\b")
DESCRIBED = re.compile(r"\b[a-z][a-z-]{3,}\b")  # a row has its description once it holds a common word
MAX_ROW_LINES = 12
# a provider followed by a verb in the past (after at most one lowercase word): a sentence that reports, where
# a cell names what is offered with a capital ("UNODC | Course for prosecutors ...", "OPCW | Places in ...")
PAST_SENTENCE = re.compile(r"\s*(?:[a-z]+\s+)?(?:[a-z]+ed|took|gave|made|held|met|led|sent|spoke|saw|began|brought|"
                           r"was|were|had)\b")


def _heading(line: str) -> list[str] | None:
    """The column words of a heading row, or None when the line is not one."""
    words = [w for w in re.split(r"[\s/]+", line.strip().lower()) if w]
    if not 3 <= len(words) <= 10 or any(w not in COLUMN_WORDS for w in words):
        return None
    if not OFFER_HEADS & set(words) or words[0] not in PROVIDER_HEADS | STATE_HEADS:
        return None
    if words[0] in STATE_HEADS and not PROVIDER_HEADS & set(words[1:]):
        return None  # "State | Need | Action" with nobody who helps: not a table of offers
    return words


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def flat_table_offers(text: str, participants: dict[str, str], topics: set[str],
                      doc: DocContext | None = None) -> list[OfferRecord]:
    """The offers of every flattened table of offers in ``text`` (see the module's docstring)."""
    if "\n" not in text:
        return []
    rules = load_assistance_rules()
    lines = list(_lines(text))
    out: list[OfferRecord] = []
    i = 0
    while i < len(lines):
        columns = _heading(lines[i][1]) if len(lines[i][1]) < 120 else None
        if columns is None:
            i += 1
            continue
        heading_text = lines[i][1].strip()
        by_state = columns[0] in STATE_HEADS
        offer_at = min(n for n, w in enumerate(columns) if w in OFFER_HEADS)
        recipients_last = any(w in STATE_HEADS for w in columns[offer_at:])
        rows: list[list[tuple[int, str]]] = []
        i += 1
        while i < len(lines):
            start, line = lines[i]
            body = line.strip()
            if not body or body == heading_text or PAGE_LINE.search(body):
                i += 1
                continue
            if SECTION.match(line) or PROSE.search(body) or body.endswith((".", ":")) and len(body.split()) > 12:
                break
            row_so_far = " ".join(x.strip() for _s, x in rows[-1]) if rows else ""
            # (in "Provider | Assistance | Beneficiary" a line of states alone after the description is its last cell)
            opens = _opens_row(body, by_state, rules, doc) and not (recipients_last and _states_only(body))
            if opens and (not rows or DESCRIBED.search(row_so_far) and not row_so_far.endswith((",", " and"))):
                rows.append([(start, line)])
            elif rows and len(rows[-1]) < MAX_ROW_LINES:
                rows[-1].append((start, line))
            else:
                break
            i += 1
        for row in rows:
            out.extend(_row_offers(text, row, by_state, participants, topics, rules, doc))
    return out


def _opens_row(line: str, by_state: bool, rules, doc) -> bool:
    """Whether the line opens with a value of the first column: the state helped, or a provider."""
    if by_state:
        return any(m.start == 0 for m in state_index().find_mentions(line))
    return any(c[2] == 0 for c in _candidates(line, rules, doc))


def _states_only(line: str) -> bool:
    """A cell of states helped: "Peru and Ecuador", "Lebanon, Yemen", "All participating States"."""
    rest = line
    for m in reversed(state_index().find_mentions(line)):
        rest = rest[:m.start] + rest[m.end:]
    return not re.sub(r"(?i)\b(?:and|all|other|participating|states|the)\b|[,;]", "", rest).strip()


def _row_offers(text: str, row: list[tuple[int, str]], by_state: bool, participants: dict[str, str],
                topics: set[str], rules, doc) -> list[OfferRecord]:
    from .offer_tables import CLOSED_STATUS, NOT_DECIDED

    start = row[0][0] + len(row[0][1]) - len(row[0][1].lstrip())
    end = row[-1][0] + len(row[-1][1].rstrip())
    evidence = text[start:end]
    flat = " ".join(evidence.split())
    if NOT_DECIDED.search(flat) or CLOSED_STATUS.search(flat):
        return []
    found = _candidates(flat, rules, doc)
    if by_state:
        helped = next((m for m in state_index().find_mentions(flat) if m.start == 0), None)
        if helped is None:
            return []
        # the row's "Lead" cell: the last provider named after the state, not the state itself
        leads = [c for c in found if c[2] >= helped.end and c[1] != helped.iso3]
        if not leads:
            return []
        lead = leads[-1]
        offered = flat[helped.end:lead[2]]
        providers, recipients, kind = [lead], (helped.iso3,), "named"
    else:
        first = [c for c in found if c[2] == 0]
        if not first:
            return []
        providers = first[:1]
        offered = flat[providers[0][3]:]
        if PAST_SENTENCE.match(offered):
            return []  # "EU experts visited Peru in 2019 ...", "Spain participated as an observer": prose, not a cell
        recipients, kind = _recipients(offered, 0, providers, participants, rules)
    if not DESCRIBED.search(offered):
        return []
    categories, factor, how = _categories(None, 0, topics, offered)
    confidence = round(0.75 * factor, 2)  # a listed offer's ("listed" in offers.CONFIDENCE)
    return [OfferRecord(name, iso3, category, recipients, kind, evidence, start, end, confidence,
                        f"offer/flat-table/{how}")
            for name, iso3, _s, _e in providers for category in categories]
