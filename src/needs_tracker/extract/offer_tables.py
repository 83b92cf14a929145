"""Offers read from tables: a table of partner offers, pledges or responses, row by row.

Kept apart from ``offers`` (the sentence rules): a table says who offers, what and to whom by its
columns, not by its grammar. The heading row names the columns (provider, offer or response,
beneficiary, status); without one, the provider is in the first cell. A row whose status says the
help was given, dropped or refused is no standing offer.
"""

from __future__ import annotations

import bisect
import re

from ..states import state_index
from .assistance_records import OfferRecord, load_assistance_rules
from .offer_categories import _categories
from .offer_speakers import DocContext
from .offers import CONFIDENCE, LISTED_WITH, OFFER_HEADING, _candidates, _recipients
from .text import Sentence

TABLE_ROW = re.compile(r"^\s*\|?[^|\n]+(?:\|[^|\n]*)+\|?\s*$")
TABLE_RULE = re.compile(r"^[\s|:\-–]+$")


# Column headings of a table of offers: who offers, what, to whom, and how it stands.
PROVIDER_COLUMN = re.compile(r"^\W*(?:(?:possible|potential|proposed|prospective)\s+)?"
                             r"(providers?|partners?|donors?|offered by|offering|organi[sz]ation|country|state|by|"
                             # who takes a follow-up action on: "State / organization", "Responsible", "Lead"
                             r"state\s*/\s*organi[sz]ation|responsible|lead(?:\s+partner)?)\W*$",
                             re.I)
OFFER_COLUMN = re.compile(r"\b(assistance|offers?|support|what|commitments?|pledges?|activit(y|ies)|description|"
                          r"proposed|project|respon[sd]\w*|reply|replies|answers?)\b", re.I)
# "Follow-up action", "Action": what is to be done, an offer when a column says who by ("Action | Responsible",
# "State / organization | Follow-up action"), not beside the state that is helped alone ("State | Action")
ACTION_COLUMN = re.compile(r"\b(follow-up|actions?)\b", re.I)
# "Beneficiary", "Requesting State": who the offer is for
RECIPIENT_COLUMN = re.compile(r"^\W*(?:(?:requesting|beneficiary|recipient|receiving)\s+)?"
                              r"(beneficiar(y|ies)|recipients?|for|to|for whom|to whom|states?|countr(y|ies))\W*$",
                              re.I)
# a column of needs or requests: the table lists what states asked for, so its "State" column is who asks
NEED_COLUMN = re.compile(r"\b(needs?|gaps?|requirements?|requests?|challenges?)\b", re.I)
# ("Participating State", "Member State": how OSCE and UN follow-up tables head the column of who asked)
STATE_COLUMN = re.compile(r"^\W*(?:(?:requesting|participating|member)\s+)?(?:state|country)\W*$", re.I)
STATUS_COLUMN = re.compile(r"^\W*status\b", re.I)  # "Status", "Status / timing"
# A row whose status says the help was given, dropped or refused is no standing offer.
# (not what is still to come: "Pledged; to be handed over in Q3 2027", "to be installed in 2027", "not yet delivered")
CLOSED_STATUS = re.compile(r"\b(?<!\bto be )(?<!\bwill be )(?<!\bshall be )(?<!\bnot yet )(?<!\bbe fully )"
                           r"(delivered|completed|done|withdrawn|cancell?ed|declined|closed|implemented|"
                           r"finished|concluded|no (?:firm )?commitment|not pursued|no offer|under consideration|"
                           r"being considered|installed|handed over|"
                           r"no decision|deferred|postponed|on hold|"
                           # (the event's own bill: a row "Workshop costs | European Union | Covered under ...")
                           r"(?:workshop|seminar|meeting|event)\s+(?:costs?|expenses))\b", re.I)


# a cell that names who offers the row's activity: "Offered by the United States (EXBS)", "Pledged by Japan"
OFFERED_BY = re.compile(
    r"^\W*(?:offered|pledged|proposed|committed|to be (?:provided|funded|delivered|offered))\s+by\b", re.I)
DATE_ONLY = re.compile(r"^\W*(?:(?:\d{1,2}\s+)?[A-Z][a-z]+\s+)?\d{4}\W*$|^\W*Q[1-4]\s+\d{4}\W*$")
# a row nobody has committed to, wherever its cell says so ("Idea raised in writing; no decision taken")
# ("to be discussed by Moldova with EUBAM; no commitment was made": a row that records no offer)
# ("EU P2P | Informed participants of its regional activities; no new commitment"; "Armenia | Intends to submit a
# request to the OSCE for support ...": the row's own request, not an offer)
NOT_DECIDED = re.compile(r"\b(?:no decision|under consideration|being considered|not yet decided|to be sought|"
                         r"to be discussed|no (?:new |firm |specific )?commitments?|"
                         r"(?:intends?|plans?|will|would) (?:to )?(?:submit|send|present) "
                         r"(?:a |an )?(?:formal |official )?request|"
                         r"request[^.;|]{0,60}\bto be (?:submitted|sent))\b", re.I)
LABELLED = re.compile(r"^[^:;.]{2,60}:\s+\S")  # "UNODC Container Control Programme: a mentor for ..."
# a column of partners' answers ("Partner response", "Donor support"): its cells name who offers, if anyone
# (a bare "Response" next to "Country" may be the answer of the country itself, who then offers)
PARTNER_RESPONSE = re.compile(r"\b(partners?|donors?|providers?)\b", re.I)
# a row of a follow-up table that no partner took up ("-", "No partner identified", "through its own budget")
NO_PARTNER = re.compile(r"^\W*$|\bno (?:partner|provider|donor)s?\b|\bnone identified\b|\bits own\b|"
                        r"\bno assistance (?:sought|requested|needed)\b", re.I)
# a response that points to an offer read elsewhere in the note ("See the course announced above"): no new offer
REFERS_BACK = re.compile(r"^\W*(?:see|cf\b|as (?:announced|stated|noted|described))\b.{0,80}?"
                         r"\b(?:above|below|earlier|paragraph)\b", re.I)
GIVEN_HEADING = re.compile(r"\b(delivered|provided|completed|given|past|previous|earlier|implemented)\b", re.I)


def table_lines(text: str):
    """(start offset, line) of every line of a table (markdown, or a Word row joined by "|")."""
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.strip() and TABLE_ROW.match(line):
            yield start, line


def _columns(cells: list[str]) -> dict[str, list[int]] | None:
    """The roles of a heading row's columns, or None when it is no heading row of an offer table."""
    roles: dict[str, list[int]] = {"provider": [], "offer": [], "recipient": [], "status": []}
    for i, cell in enumerate(cells):
        for role, pattern in (("provider", PROVIDER_COLUMN), ("status", STATUS_COLUMN),
                              ("recipient", RECIPIENT_COLUMN), ("offer", OFFER_COLUMN)):
            if pattern.search(cell):
                roles[role].append(i)
                break
    if any(not STATE_COLUMN.match(cells[i]) for i in roles["provider"]):
        roles["offer"] += [i for i, c in enumerate(cells) if ACTION_COLUMN.search(c) and not any(
            i in r for r in roles.values())]
    roles["need"] = [i for i, c in enumerate(cells) if NEED_COLUMN.search(c) and i not in roles["offer"]]
    if roles["need"]:  # "State | Need identified | Partner response": the state asks
        roles["provider"] = [i for i in roles["provider"] if not STATE_COLUMN.match(cells[i])]
    # "State | Area | Partner | Follow-up", "State | Gap | Partner response": a follow-up table whose first
    # "State" column holds the state that needs help; who offers is in the partner column or response cell
    partner = [i for i in roles["provider"] if not STATE_COLUMN.match(cells[i])]
    # ("State | Need identified | Support offered": an offer column after a need column is the partners' answer,
    # unless a beneficiary column says whom the offers are for: "Country | Assistance offered | Gap addressed |
    # Beneficiary" lists what the first column's state offers)
    answers = roles["need"] and not roles["recipient"]
    response = [i for i in roles["offer"] if PARTNER_RESPONSE.search(cells[i]) or (answers and i > roles["need"][0])]
    states = [i for i, c in enumerate(cells) if STATE_COLUMN.match(c)]
    roles["needing"] = states[:1] if states and states[0] == 0 and (partner or response or roles["need"]) else []
    if roles["needing"]:
        roles["provider"] = partner
        roles["recipient"] = roles["needing"] + [i for i in roles["recipient"] if i not in roles["needing"]]
        if not partner and not response:
            return None
    # a "State" column is who offers only when the offer cells do not open with a provider of their own
    roles["weak"] = [i for i in roles["provider"] if STATE_COLUMN.match(cells[i])]
    return roles if roles["provider"] or roles["needing"] else None


def table_offers(text: str, participants: dict[str, str], topics: set[str],
                  doc: DocContext | None = None) -> tuple[list[OfferRecord], list[tuple[int, int]]]:
    """Rows of a table of offers ("| IAEA | National workshop on legislation | Zimbabwe |", or a
    Word table read as "Japan | Detection equipment | Namibia"): the table sits under a heading
    about offers or has an "Offer" or "Provider" column. With a heading row, its columns say
    where the provider, the offer, the recipients and the status are (a row "Delivered in 2022"
    or "Withdrawn" is no offer); without one, the provider is in the first cell, what is offered
    in the middle ones, the recipients in the last. A cell "Offered by the United States (EXBS)"
    names the provider of its row in any table. Returns the offers and the rows settled here (read,
    closed, or under a heading of help given), whose cells are not read again as sentences."""
    rules = load_assistance_rules()
    out: list[OfferRecord] = []
    settled: list[tuple[int, int]] = []
    context, given, columns, last_end = False, False, None, -2
    for start, line in table_lines(text):
        if start > last_end + 1:  # a new table: its heading row comes first
            lead = [b for b in text[max(0, start - 600):start].split("\n")
                    if b.strip() and not TABLE_ROW.match(b)][-2:]  # its heading (not the rows of a table above)
            context = any(OFFER_HEADING.search(b) and (len(b.split()) <= 12 or b.rstrip().endswith(":"))
                          for b in lead)
            # "Assistance delivered since 2024" (a heading; not "the responses given are summarised below")
            given = any(GIVEN_HEADING.search(b) and (len(b.split()) <= 12 or b.rstrip().endswith(":")) for b in lead)
            columns = None
        last_end = start + len(line)
        if given:
            settled.append((start, last_end))
        if TABLE_RULE.match(line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        heading = _columns(cells)
        key = (heading["provider"] or heading["needing"])[0] if heading is not None else 0
        if heading is not None and not _candidates(cells[key], rules):
            columns = heading
            context = context or bool(heading["offer"]) or any(OFFER_HEADING.search(c) for c in cells)
            continue
        if columns and columns["needing"]:  # the first cell is the state that needs help, never the provider
            answer = _partner_answer(cells, columns, rules, doc)
            if answer is None:
                if any(NO_PARTNER.search(cells[i]) for i in columns["provider"] + columns["offer"] if i < len(cells)):
                    settled.append((start, last_end))  # "- | No partner identified": no offer
                continue
            provider_cell, response = answer
            # "Completed in 2024: ...", "Norway: under consideration; no decision taken": help given or undecided
            heads = [" ".join(c.split()[:3]) for c in cells[1:] + [response.strip()]]
            if any(CLOSED_STATUS.search(h) for h in heads) or any(NOT_DECIDED.search(c) for c in cells):
                settled.append((start, last_end))
                continue
            if not context or given or any(REFERS_BACK.match(cells[i]) for i in columns["offer"] + [
                    j for j in range(len(cells)) if j not in columns["needing"] + columns["provider"]]
                    if i < len(cells)) or (columns["status"] and any(
                    i < len(cells) and CLOSED_STATUS.search(cells[i]) for i in columns["status"])):
                settled.append((start, last_end))
                continue
            out.extend(_row_offers(provider_cell, response, cells, columns, start, line, participants, topics, rules))
            settled.append((start, last_end))
            continue
        by = next((i for i, c in enumerate(cells) if OFFERED_BY.match(c)), None)
        if by is None and columns and columns["weak"] and columns["provider"][0] in columns["weak"]:
            # "State | Action | Support" with "EU P2P Programme: expert mission ...": the support cell's label offers
            by = next((i for i in columns["offer"] if i < len(cells) and LABELLED.match(cells[i])
                       and (c := _candidates(cells[i], rules, doc)) and c[0][2] <= 4), None)
        if by is not None:  # "Offered by the United States (EXBS)" in a column "Lead / support"
            provider_cell = cells[by]
        elif columns and columns["provider"][0] < len(cells):
            provider_cell = cells[columns["provider"][0]]
        else:
            provider_cell = cells[0]
        first = _candidates(provider_cell, rules, doc)
        if not first:
            context = context or any(OFFER_HEADING.search(c) for c in cells)  # a heading row
            continue
        if (not context and by is None) or given:
            continue
        joint = [first[0]]  # "Japan and Republic of Korea": each of them
        for c in first[1:]:
            if not LISTED_WITH.fullmatch(provider_cell[joint[-1][3]:c[2]]):
                break
            joint.append(c)
        # "United Kingdom: offered to fund a legislative drafting expert": the cell says what
        rest = provider_cell[joint[-1][3]:]
        remark = rest.strip(" :;,-–()") if re.match(r"\s*[:–-]", rest) else ""
        if columns and any(i < len(cells) and CLOSED_STATUS.search(cells[i]) for i in columns["status"]):
            settled.append((start, last_end))
            continue
        if CLOSED_STATUS.search(rest):  # "... Program: assistance delivered 2019-2022 (completed)"
            continue
        if any(CLOSED_STATUS.search(" ".join(c.split()[:3])) or NOT_DECIDED.search(c)
               for c in cells if c != provider_cell):
            settled.append((start, last_end))
            continue  # a cell "Completed in 2024: ..." or "Delivered": help given, not offered
        settled.append((start, last_end))
        if by is not None:  # what is offered: the other cells (not a status, nor a date alone)
            offered = " ".join(c for i, c in enumerate(cells) if i != by and not (columns and i in columns["status"])
                               and not DATE_ONLY.match(c))
        elif len(remark.split()) >= 3:
            offered = remark
        elif columns and columns["offer"]:
            offered = " ".join(cells[i] for i in columns["offer"] if i < len(cells))
        elif columns and columns["need"]:  # what was asked is not what is offered: the other cells say it
            # ("Partner | Status" with "Offer confirmed: Expertise France will provide a legal expert")
            offered = " ".join(c for i, c in enumerate(cells) if i not in columns["need"] and c != provider_cell
                               and not (columns["recipient"] and i in columns["recipient"]))
        elif columns:  # "Area | Partner | Follow-up": every cell but the partner's, a status, a recipient or a date
            offered = " ".join(c for i, c in enumerate(cells) if c != provider_cell and i not in columns["status"]
                               and i not in columns["recipient"] and not DATE_ONLY.match(c))
        else:
            offered = " ".join(cells[1:-1] if len(cells) >= 3 else cells[1:])
        to_cell = (cells[columns["recipient"][0]] if columns and columns["recipient"]
                   and columns["recipient"][0] < len(cells) else None if by is not None
                   else cells[-1] if len(cells) >= 3 and not columns else None)
        if len(joint) > 1:  # "Study visit of an Ecuadorian delegation to Madrid | Spain / Ecuador": the helped one
            helped = {m.iso3 for m in state_index().find_adjective_mentions(offered)
                      if re.match(r"\s+(?:delegation|officials|officers|experts|team)", offered[m.end:])}
            joint = [j for j in joint if j[1] not in helped] or joint
        categories, factor, how = _categories(None, 0, topics, offered)
        # no recipient column: the states the offer names ("... sources in Uzbekistan"), else all participants
        recipients, kind = _recipients(to_cell or offered, 0, [(n, iso, -1, -1) for n, iso, _s, _e in joint],
                                       participants, rules)
        s = start + len(line) - len(line.lstrip())
        evidence = line.strip()
        for name, iso3, _a, _b in joint:
            for category in categories:
                out.append(OfferRecord(name, iso3, category, recipients, kind, evidence, s, s + len(evidence),
                                       round(CONFIDENCE["listed"] * factor, 2), f"offer/table/{how}"))
    return out, settled


def all_table_offers(text: str, participants: dict[str, str], topics: set[str],
                     doc: DocContext | None = None) -> tuple[list[OfferRecord], list[tuple[int, int]]]:
    """The offers of every table: those whose cells are separated by "|" (``table_offers``, with the
    rows settled there) and those a PDF reader flattened to lines (``offer_flat_tables``)."""
    from .offer_flat_tables import flat_table_offers

    tables, settled = table_offers(text, participants, topics, doc) if "|" in text else ([], [])
    return tables + flat_table_offers(text, participants, topics, doc), settled


def _partner_answer(cells: list[str], columns: dict, rules, doc) -> tuple[str, str] | None:
    """Who offers in a row of a follow-up table, and what: the name in its partner column
    ("United States (EXBS)") with the response cells, or the label of a response cell ("IAEA: will
    lend ..."). None when the row names no partner ("-", "No partner identified", "its own budget")."""
    for i in columns["provider"]:
        if i < len(cells) and not NO_PARTNER.search(cells[i]) and _candidates(cells[i], rules, doc):
            response = " ".join(c for j, c in enumerate(cells) if j not in (i, *columns["needing"],
                                                                         *columns["status"]))
            return cells[i], response
    if columns["provider"]:  # a partner column left empty or "-": nobody offers, whatever the other cells say
        return None
    for i in columns["offer"]:
        if i < len(cells) and LABELLED.match(cells[i]) and not NO_PARTNER.search(cells[i].split(":")[0]):
            found = _candidates(cells[i], rules, doc)
            if found and found[0][2] <= 4:
                return cells[i], cells[i].split(":", 1)[1]
        # a response cell that opens with who answers: "Germany (BAFA) will provide the EU list ...", or says
        # who by: "To be provided by Norway through a course in 2027", "Offered by Japan: ..."
        found = _candidates(cells[i], rules, doc) if i < len(cells) and not NO_PARTNER.search(cells[i]) else []
        by = OFFERED_BY.match(cells[i]) if found else None
        if found and (found[0][2] <= 4 or by and found[0][2] <= by.end() + 5) and len(cells[i].split()) >= 5:
            return cells[i], cells[i]
    return None


def _row_offers(provider_cell: str, response: str, cells: list[str], columns: dict, start: int, line: str,
                participants: dict[str, str], topics: set[str], rules) -> list[OfferRecord]:
    """The offers of one follow-up row: its partner(s) offer what the response says, to the row's state."""
    found = _candidates(provider_cell, rules)
    joint = [found[0]]  # "Japan and Republic of Korea": each of them
    for c in found[1:]:
        if not LISTED_WITH.fullmatch(provider_cell[joint[-1][3]:c[2]]):
            break
        joint.append(c)
    # "Ghana | Draft a national control list | Ministry of Trade of Ghana": a partner (responsible, lead) column
    # naming the row's own state is its own action, no offer ("Serbia | - | Serbia offered to make its licensing
    # software available to the others": a response cell's own offer stays one)
    if any(i < len(cells) and cells[i] == provider_cell for i in columns["provider"]):
        needing = {m.iso3 for m in state_index().find_mentions(cells[columns["needing"][0]])}
        joint = [j for j in joint if j[1] is None or j[1] not in needing]
        if not joint:
            return []
    categories, factor, how = _categories(None, 0, topics, response)
    if categories == ["other"]:  # "See the course announced above": the area the row is about says what
        area = " ".join(cells[i] for i in range(len(cells)) if i not in columns["needing"] + columns["status"]
                        and cells[i] != provider_cell)
        categories, factor, how = _categories(None, 0, topics, area)
    to_cell = cells[columns["needing"][0]]
    recipients, kind = _recipients(to_cell, 0, [(n, iso, -1, -1) for n, iso, _s, _e in joint], participants, rules)
    s = start + len(line) - len(line.lstrip())
    evidence = line.strip()
    return [OfferRecord(name, iso3, category, recipients, kind, evidence, s, s + len(evidence),
                        round(CONFIDENCE["listed"] * factor, 2), f"offer/table/{how}")
            for name, iso3, _a, _b in joint for category in categories]


def cell_sentences(text: str, sentences: list[Sentence], settled: list[tuple[int, int]]) -> list[Sentence]:
    """The cells of table rows not settled by ``table_offers`` that read as sentences of their own
    ("Area | Priority | Partner response" with "The United States ... will provide a control list
    expert" in the last cell): each becomes a sentence for the sentence rules, so the provider and
    the cue of one cell are never paired with the words of another."""
    out: list[Sentence] = []
    starts = [x.start for x in sentences]  # sorted: a cell's sentence is found by bisection, not a scan
    settled_rows = {a for a, _b in settled}
    for start, line in table_lines(text):
        if start in settled_rows or TABLE_RULE.match(line):
            continue
        cells = line.split("|")
        if any(CLOSED_STATUS.search(" ".join(c.split()[:3])) for c in cells):
            continue  # "Completed in 2024"
        at = start
        for cell in cells:
            body = cell.strip()
            begin = at + len(cell) - len(cell.lstrip())
            at += len(cell) + 1
            at_home = bisect.bisect_right(starts, begin) - 1
            home = sentences[at_home] if at_home >= 0 and begin < sentences[at_home].end else None
            if len(body.split()) >= 5 and home is not None:  # a sentence, not a name or a date
                # the cell's own tokens from the parsed note, so the rules need not tokenize it again
                span = home.span.doc.char_span(begin, begin + len(body), alignment_mode="expand") if (
                    home.span is not None) else None
                out.append(Sentence(begin, begin + len(body), body, home.block, home.section, False,
                                    span if span is not None and span.text == body else None))
    return out


