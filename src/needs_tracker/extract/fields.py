"""Workshop fields: title, organisers, dates, venue, participating states and organisations.

Notes either carry labelled fields (``Event:``, ``**Organizers:**``, ``Place and date:``,
``Participating States:`` followed by a list) or tell the same in prose (cables, press
releases). Labelled fields win; prose fills what they leave out. A field the note does not
give stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..states import state_index
from .dates import (
    PUBLICATION,
    DateRange,
    find_dates,
    has_year,
    nearest_year,
    publication_date,
    reference_year,
)
from .header_fields import (
    HEADER_CHARS,
    first_title,
    header_dates,
    header_lines,
    prose_dates,
    start_end_dates,
    strip_dates,
)
from .organisers import merge_name_pieces, organizer_names, prose_organizers, split_items
from .participants import (
    absent_states,
    listed_after_colon,
    organiser_state,
    prose_participants,
    subject_states,
    table_participants,
)
from .placed_states import lists_a_state, placed_in
from .places import city_country, parse_place, prose_venue, titled_place
from .rules import load_rules
from .state_names import name_runs_on, written_state_names
from .text import LABEL_LINE, Block, clean_value

LABELS = {
    "title": ("event", "title", "activity", "meeting", "name of event", "event title", "workshop"),
    "organizers": ("organizers", "organisers", "organizer", "organiser", "organised by", "organized by",
                   "convened by", "co-organizers", "co-organisers", "hosts", "host"),
    "date_venue": ("date and venue", "venue and date", "place and date", "date and place", "dates and venue"),
    "date": ("dates", "date", "when"),
    "venue": ("venue", "location", "where", "place"),
    "participants": ("participants", "participating states", "participating delegations", "states",
                     "participants – states", "participants - states", "member states", "delegations",
                     "participating countries", "countries"),
    "other_states": ("other states", "resource states", "resource countries", "other participating states"),
    "observers": ("observers", "observer states"),
    "organisations": ("organisations", "organizations", "international organizations", "international organisations",
                      "intergovernmental organizations", "international and regional organizations",
                      "other participants", "also present",
                      "also attending", "also represented", "civil society", "participants – organisations",
                      "participants - organisations", "regional organizations", "ngos and academic institutions"),
    "funding": ("funding", "funded by", "donors", "financial support"),
}
LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}

# A label naming who was missing ("Delegations that did not attend:", "Absent:", "Non-participating
# States:"): its states are absentees (participants.absent_states), never a participants list.
ABSENT_LABEL = re.compile(r"\b(?:not|absent|absentees?|unable|regrets?|apologies|declined|excused)\b|\bnon-")
STRIP_INNER_LABEL = re.compile(r"^\s*\**\s*[A-Z][A-Za-z /&()–-]{1,45}:\**\s*")
@dataclass
class Fields:
    title: str | None = None
    kind: str = "workshop"
    dates: DateRange | None = None
    venue_city: str | None = None
    venue_country: str | None = None
    venue_country_iso3: str | None = None
    organizers: list[str] = field(default_factory=list)
    participants: dict[str, tuple[str, str]] = field(default_factory=dict)  # iso3 -> (role, as written)
    organisations: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    has_list: bool = False


def field_for_label(label: str) -> str | None:
    """Known labels, then the obvious families ('Member States of the League of Arab States')."""
    if label in LABEL_TO_FIELD:
        return LABEL_TO_FIELD[label]
    if PUBLICATION.search(label):
        return None  # "Posted", "Date of Request": when the page was written, not the event
    if re.search(r"\b(?:start|starting|begin\w*|from)\b", label) and "date" in label:
        return "start_date"  # an event page's "Start Date:" and "End Date:"
    if re.search(r"\b(?:end|ending|finish\w*|until|to)\b", label) and "date" in label:
        return "end_date"
    has_date = re.search(r"\b(dates?|when)\b", label)
    has_place = re.search(r"\b(venue|place|location|where)\b", label)
    if has_date and has_place:
        return "date_venue"
    if has_date:
        return "date"
    if has_place:
        return "venue"
    if re.search(r"\b(title|name of|event|activity|meeting)\b", label):
        return "title"
    if re.search(r"\b(organi[sz]|convened|hosted|host)", label) and "organisations" not in label \
            and "organizations" not in label:
        return "organizers"
    if re.search(r"\b(city|country|period)\b", label):
        return "date" if "period" in label else "venue"
    if ABSENT_LABEL.search(label):
        return None  # "Delegations that did not attend", "States not represented": no participants
    if "observer" in label:
        return "observers"
    if "organi" in label or "institution" in label:
        return "organisations"
    if "other states" in label or "resource" in label:
        return "other_states"
    if re.search(r"\b(states|countries|delegations|attendance|attending|present)\b", label):
        return "participants"
    return None




# A second field on the same line, after the first one's sentence ends: "Dates: 12-14 March
# 2018. Venue: Almaty, Kazakhstan." Only a known field's label counts ("Note:" does not).
INLINE_LABEL = re.compile(r"(?<=[.;])\s+(?P<label>[A-Z][A-Za-z /&()–-]{1,45}):\s*")


def _inline_fields(name: str, value: str, pos: int) -> tuple[list[tuple[str, str, int]], str, str, int]:
    """The fields that end inside ``value`` at a later field's label on the same line, and the
    (name, value, position) of the last one, whose value may wrap onto the next blocks."""
    done = []
    search_from = 0
    while match := INLINE_LABEL.search(value, search_from):
        inner = field_for_label(match.group("label").lower())
        if inner is None:
            search_from = match.end()
            continue
        done.append((name, value[:match.start()], pos))
        name, value, pos, search_from = inner, value[match.end():], pos + match.end(), 0
    return done, name, value, pos


def _labelled(text: str, blocks: list[Block], spans: list[tuple[int, int]] | None = None
              ) -> list[tuple[str, str, int]]:
    """(field, value, position) for each recognised label, values joined across wrapped blocks;
    ``spans`` gets where each field runs in the text, label to the end of its value."""
    out = []
    for i, b in enumerate(blocks):
        if b.kind != "label":
            continue
        match = LABEL_LINE.match(b.text)
        label = clean_value(re.sub(r"^\s*[-*•]\s*", "", match.group(0))).lower()
        name = field_for_label(label)
        if name is None:
            continue
        done, name, value, value_pos = _inline_fields(name, b.text[match.end():], b.start + match.end())
        out.extend(done)
        j = i + 1
        # A value wrapped onto following blocks: empty (a list follows), or visibly unfinished.
        # A value ends at the next label of its own ("Observers: ..."), which also keeps this linear:
        # 20,000 lines "Delegations: Chad" each read to the end of the note took minutes.
        while j < len(blocks) and blocks[j].kind != "label":
            nxt = blocks[j]
            stripped = value.rstrip()
            list_continues = not stripped or stripped.endswith(":") or (blocks[j - 1].kind == "bullet" and j > i + 1)
            if nxt.kind == "bullet" and list_continues:
                value += "\n" + nxt.text
            elif name in ("participants", "other_states", "observers") and lists_a_state(nxt.text) and (
                    list_continues or lists_a_state(blocks[j - 1].text)):
                value += "\n" + nxt.text  # one state per line, without bullets
            elif nxt.kind == "footnote":
                pass
            elif name in ("participants", "other_states", "observers") and name_runs_on(value, nxt.text):
                value += " " + nxt.text  # "Equatorial" / "Guinea, Gabon"
            elif nxt.kind in ("paragraph", "heading") and stripped and (
                stripped.endswith(("/", "-", ",", " and", " of", " the", " with", " with the"))
                or nxt.text.strip()[:1].islower()
            ):
                value += " " + nxt.text
            else:
                break
            j += 1
        out.append((name, value, value_pos))
        if spans is not None:
            spans.append((b.start, blocks[j - 1].end))
    return out




def _add_states(fields: Fields, value: str, role: str) -> None:
    """States named in a participants field; names that resolve to nothing are reported."""
    idx = state_index()
    rules = load_rules()
    value = written_state_names(STRIP_INNER_LABEL.sub("", value))
    funding_spans = rules.funding_spans(value)
    mentions = idx.find_mentions(value)
    for m in mentions:
        if any(s <= m.start < e for s, e in funding_spans) or placed_in(value, m.start):  # "Office in X"
            continue
        local_role = role
        after = value[m.end:m.end + 40].lower()
        if "observer" in after:
            local_role = "observer"
        if m.iso3 not in fields.participants or fields.participants[m.iso3][0] == "participant":
            if m.iso3 not in fields.participants:
                fields.participants[m.iso3] = (local_role, m.text)
    # Report list items that name no state (a typo, or an entity that is not a UN state).
    if "," in value and not re.search(r"\b(took part|officials|representatives)\b", value, re.I):
        for item in split_items(value, split_and_before_capital=True):
            words = item.split()
            if not words or len(words) > 5 or not item[0].isupper():
                continue
            if idx.find_mentions(item) or idx.resolve(item):
                continue
            if any(re.search(rf"(?<!\w){re.escape(item)}(?!\w)", " ".join(m.text.split())) for m in mentions):
                continue  # "Principe" of "Sao Tome and Principe": a piece of a name found whole
            if re.search(r"\b(Organi[sz]ation|Union|Committee|Office|Secretariat|Commission|experts?)\b", item):
                continue
            fields.unresolved.append(item)


def extract_fields(text: str, blocks: list[Block], sentences) -> Fields:
    fields = Fields()
    idx = state_index()
    fields.absent = absent_states(text)
    ref_year = reference_year(text)
    field_spans: list[tuple[int, int]] = []
    labelled = _labelled(text, blocks, field_spans)

    start_end: dict[str, DateRange] = {}
    for name, value, _pos in labelled:
        if name in ("start_date", "end_date") and name not in start_end:
            found = find_dates(value, default_year=ref_year)
            if found:
                start_end[name] = found[0]
        elif name == "title" and fields.title is None:
            fields.title = clean_value(value) or None
        elif name == "organizers" and not fields.organizers:
            fields.organizers = organizer_names(value)
        elif name in ("date_venue", "date", "venue"):
            if name in ("date_venue", "date") and fields.dates is None:
                found = find_dates(value, default_year=ref_year)
                if found:
                    fields.dates = found[0]
            if name in ("date_venue", "venue") and fields.venue_city is None and fields.venue_country is None:
                parse_place(strip_dates(value), fields)
        elif name in ("participants", "other_states", "observers"):
            fields.has_list = True
            _add_states(fields, value, "observer" if name == "observers" else "participant")
        elif name == "organisations":
            fields.organisations.extend(
                merge_name_pieces(split_items(STRIP_INNER_LABEL.sub("", value), keep_parentheses=True)))

    if fields.dates is None and start_end:
        fields.dates = start_end_dates(start_end)
    # Prose fills what the labels left out; then a bare header line ("28–30 August 2018").
    if fields.dates is None:
        fields.dates = prose_dates(text, sentences, ref_year)
    # header lines, and the pieces of "Apia, Samoa | 3–5 April 2018"
    header = [piece.strip(" *#\t") for line in text[:HEADER_CHARS].split("\n")[:15] if line.strip()
              for piece in re.split(r"\s[|•·]\s", line) if piece.strip(" *#\t")]
    # a labelled field's lines ("Participants: Kazakhstan, Kyrgyzstan.") are no bare venue line
    bare_header = [piece.strip(" *#\t") for start, line in header_lines(text)
                   if not any(s <= start < e for s, e in field_spans)
                   for piece in re.split(r"\s[|•·]\s", line) if piece.strip(" *#\t")]
    if fields.dates is None:
        fields.dates = header_dates(header, ref_year)
    written = publication_date(text)
    if fields.dates is not None and written is not None and not has_year(fields.dates):
        fields.dates = nearest_year(fields.dates, written)
    if fields.venue_city is None and fields.venue_country is None:
        prose_venue(sentences, fields)
    if fields.venue_city is None and fields.venue_country is None:
        for line in bare_header:  # a bare "Koror, Republic of Palau" line under the title
            parts = [p.strip() for p in line.split(",")]
            if len(parts) == 2 and len(line.split()) <= 8 and idx.resolve(parts[1]) and not find_dates(line):
                parse_place(line, fields)
                break
            if titled_place(line, fields):  # "Workshop on export control, Almaty, Kazakhstan, 12 May 2015"
                break
    if fields.venue_city and fields.venue_country is None:
        found = city_country(fields.venue_city)
        if found:
            fields.venue_country_iso3, fields.venue_country = found
    if fields.venue_city and idx.resolve(fields.venue_city) and fields.venue_country is None:
        state = idx.resolve(fields.venue_city)
        fields.venue_city, fields.venue_country_iso3, fields.venue_country = None, state.iso3, state.name

    if fields.title is None:
        fields.title = first_title(blocks, text, sentences)
    if not fields.organizers:
        fields.organizers = prose_organizers(sentences)

    # Host governments take part.
    for org in fields.organizers:
        found = organiser_state(org)
        if found and found[0] not in fields.absent:
            fields.participants[found[0]] = ("host", found[1])
    table_participants(text, fields)
    listed_after_colon(blocks, fields)
    if not fields.has_list:
        prose_participants(text, sentences, fields)
        rules = load_rules()
        if fields.venue_country_iso3 and fields.venue_city not in rules.seat_cities \
                and _venue_state_hosts(text, fields):
            fields.participants.setdefault(fields.venue_country_iso3, ("host", fields.venue_country))
    if not fields.participants and not fields.has_list:
        subject_states(text, fields)
    for iso3 in fields.absent:
        fields.participants.pop(iso3, None)
    hosts = [iso3 for iso3, (role, _) in fields.participants.items() if role == "host"]
    if fields.venue_country is None and len(hosts) == 1:  # "the government of Botswana hosted a workshop"
        fields.venue_country_iso3, fields.venue_country = hosts[0], idx.get(hosts[0]).name

    if fields.dates and fields.dates.needs_year:
        fields.warnings.append(f"the note gives no year for the dates '{fields.dates.text}': dates left empty")
    if fields.title and re.search(r"\breport\b", fields.title, re.I) and not re.search(
        r"\b(workshop|seminar|meeting|conference|roundtable|round table|course|training)\b", fields.title, re.I
    ):
        fields.kind = "other"
    return fields


def _venue_state_hosts(text: str, fields: Fields) -> bool:
    """The venue's state counts as host, unless the text names the states that took part
    (two or more) and never names the venue's state itself: a regional meeting held in
    Istanbul for six other states is not hosted by Turkey."""
    if len(fields.participants) < 2:
        return True
    idx = state_index()
    named = {m.iso3 for m in idx.find_mentions(text)} | {m.iso3 for m in idx.find_adjective_mentions(text)}
    return fields.venue_country_iso3 in named
