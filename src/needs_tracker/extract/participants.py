"""Which states took part: a participants list (labelled, one state a line, or a Word table),
else the words around a state's name in prose ("officials from X", "X's delegation"); never a
funder, a state named in passing, or one the note says did not attend."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..states import state_index
from .placed_states import line_state, placed_in
from .places import capital_pattern, capital_states
from .rules import load_rules
from .state_names import written_state_names
from .text import Block, clean_value

if TYPE_CHECKING:
    from .fields import Fields

ABSENT_WINDOW = 120
SUBJECT_MENTIONS = 3  # a page that names no participant is about the states it names this often
BEFORE_WINDOW = 200  # how far before a state's name its cue may stand
LIST_GAP_MAX = 40  # ", and the " at most: a longer gap is no list (and never costs a long regex scan)

# Read right after a name, at its end (``match(text, end)``, no "^"): a copy of the rest of the text for each of
# 50,000 names in one sentence was quadratic.
PARTICIPANT_NOUN = re.compile(  # "Peruvian officials", "Saudi and Qatari representatives"
    r"\s+(?:and\s+[A-Z]\w+\s+)?(?:\w+\s+)?(government|delegation|delegations|officials|institutions|ministry|ministries|authorities|"
    r"representatives|experts|agencies|participants|officers|customs|police|directorate|counterparts|diplomats|"
    r"department|departments|"
    r"parliamentarians|legislators|national authority|armed forces|coast guard)\b", re.I)


def list_runs(text: str, mentions: list) -> list[list]:
    """Mentions grouped into lists ("X, Y and Z"): consecutive mentions joined only by a
    comma or "and" on one line. One pass, so a list of 20,000 names costs 20,000 steps."""
    runs: list[list] = []
    for m in mentions:
        if runs:
            gap = text[runs[-1][-1].end:m.start]
            if len(gap) <= LIST_GAP_MAX and "\n" not in gap and LIST_JOINER.match(gap):
                runs[-1].append(m)
                continue
        runs.append([m])
    return runs


def absent_states(text: str) -> set[str]:
    """States the note says did not attend ('Libya, which was not represented, ...';
    'Myanmar and Brunei Darussalam, which did not attend'). The words must follow the state
    (or the list it ends) before another state is named or the sentence ends, and must not lead a
    list of their own: in "Participants: Mali\nDelegations that did not attend: Chad, Niger" they
    name Chad and Niger (the list after their colon, ``ABSENT_LEAD``), not Mali."""
    rules = load_rules()
    mentions = sorted(state_index().find_mentions(text), key=lambda m: m.start)
    runs = list_runs(text, mentions)
    absent: set[str] = set()
    words = "(?:" + "|".join(re.escape(p) for p in rules.absent) + ")"
    described = re.compile(words + ABSENT_NOT_LEAD)
    lead = re.compile(words + ABSENT_LEAD)
    in_absent_list = False
    for i, run in enumerate(runs):
        last = run[-1]
        stop = runs[i + 1][0].start if i + 1 < len(runs) else len(text)
        window = re.sub(r"\s+", " ", text[last.end:min(stop, last.end + ABSENT_WINDOW)]).lower()
        clause = re.split(r"[.;]|\n\n", window)[0]
        previous_end = runs[i - 1][-1].end if i else 0
        before = text[max(previous_end, run[0].start - ABSENT_WINDOW):run[0].start]
        if lead.search(re.sub(r"\s+", " ", before).lower()):
            in_absent_list = True  # "States not represented: Chad, Niger" (and "; Mali" or one a line)
        elif in_absent_list:
            gap = text[previous_end:run[0].start]
            in_absent_list = bool(LIST_SEPARATORS.fullmatch(gap)) and not BLANK_LINE.search(gap)
        if in_absent_list or described.search(clause):
            absent.update(m.iso3 for m in run)
    return absent


# The absent words lead a list when a colon follows them in the same clause ("Delegations that did
# not attend: Chad, Niger"); between two items of one list stand separators only ("; ", ",\n", "\n- ").
ABSENT_LEAD = r"[^.;:,\n]{0,60}:[\s*]*(?:the\s+)?$"
ABSENT_NOT_LEAD = r"(?![^.;:,]{0,60}:)"
LIST_SEPARATORS = re.compile(r"[\s,;*•·–-]*(?:and\s+)?(?:the\s+)?", re.I)
BLANK_LINE = re.compile(r"\n[ \t]*\n")


# "officials from", "the Governments of", "hosted by the Government of", "Member States:" right
# before a state's name, or "'s delegation" right after it, say that the state took part. The
# state may stand further on in a list whose other items are not states ("participants from
# Southeast Asian States and Timor-Leste", "including the European Union, France and ...").
# A list item is a name: capitalised words, with "of", "the", "for"... between them ("the Ministry
# of Foreign Affairs", "South-East Asian States", "the International Atomic Energy Agency (IAEA)").
# "and" only ever separates items (never joins words inside one): with both readings, a run of
# "A and B and C ..." could be split in 2^n ways and the pattern would take exponential time.
NAME_ITEM = (r"(?-i:(?:the\s+)?[A-Z][\w'’.&/-]*(?:\s+(?:(?:of|for|the|on|de|du|la|des|in)\s+)*"
             r"(?:[A-Z0-9][\w'’.&/-]*|\([\w .&/-]{1,30}\)))*)")  # case-sensitive inside re.I patterns
LIST_ITEMS = rf"(?:{NAME_ITEM}(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+))*"
PEOPLE = r"representatives?|officials?|officers?|delegations?|delegates|experts?|specialists?|participants?"
PRESENCE_WORD = re.compile(rf"\b(?:{PEOPLE})\b", re.I)
PRESENCE_BEFORE = re.compile(  # people of a state: they attended, even in a sentence about an offer
    rf"\b(?:{PEOPLE})\b[^.;]{{0,120}}?\b(?:of|from|including)\s*(?:the\s+)?{LIST_ITEMS}(?:the\s+)?$", re.I)
TOOK_PART_BEFORE = re.compile(
    rf"(?:\b(?:{PEOPLE}|ministr(?:y|ies)|ministers?|governments?|agencies|institutions|authorities|missions?|police|"
    r"focal points?|member states)\b[^.;]{0,120}?\b(?:of|from|in|namely|including)\s*(?:the\s+)?" + LIST_ITEMS +
    r"|\b(?:points?\s+of\s+contact|PoCs?)\s+(?:of|from)\s*(?:the\s+)?" + LIST_ITEMS +  # not "PoC training in X"
    r"|\b(?:hosted|organi[sz]ed|convened|co-organi[sz]ed|co-hosted|attended)\s+by"
    r"|\b(?:briefings?|presentations?|statements?)\s+(?:from|by)"  # "a briefing from Mozambique"
    r"|\b(?:participants|participating (?:states|countries|delegations)|attendees|delegations|states|countries)"
    r"\b[^.;]{0,60}?\b(?:included|include|were|comprised)\s*:?"  # "Countries represented were X and Y"
    r"|\b(?:participated|took part|attended|spoke)\s+(?:for|on behalf of)"
    r"|\brequests?\s+(?:were\s+|was\s+|had been\s+)?(?:also\s+)?(?:submitted|made|received)\s+(?:to the Committee\s+)?"
    r"(?:by|from)"
    r"|(?:states|participants|delegations|governments|countries|took part|participated|attended|represented|"
    r"following)\s*:"
    r"|\b(?:took part|participated|attended|were represented|represented)\b[^.;:]{0,60}:)\s*(?:the\s+)?$",
    re.I,
)
# A counted or named group that announces its members: "representatives from 22 States Parties:
# Algeria, ...", "participants from 18 States Parties (Benin, ...)", "the following 10 Member
# States —Antigua and Barbuda, ...—", "neighbouring countries, particularly Afghanistan, ...".
# It only counts where the sentence also says people came or took part (GROUP_PRESENCE).
GROUP_LIST_BEFORE = re.compile(
    r"\b(?:states?(?:\s+(?:not\s+)?part(?:y|ies))?|parties|countries|nations|economies|member states|region)"
    r"(?:\s+(?:in|of|from)\s+(?:the\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}))?\s*\*?\s*"  # "States in Africa:"
    r"(?::|\(|[—–]|--|,?\s+(?:particularly|namely|notably|in particular|specifically|such as|including)\s*:?"
    r"|\b[^.;:()]{0,80}?\s[—–-]+\s*(?:including|particularly|namely|such as)\s*:?)"  # "States that ... - including"
    r"\s*(?:the\s+)?$", re.I)
GROUP_WORD = re.compile(r"\b(?:states|parties|countries|nations|economies)\b", re.I)
GROUP_PRESENCE = re.compile(
    rf"\b(?:{PEOPLE}|attended|attend|participated|participating|took part|represented|gathered|came|"
    r"presented|shared|reported|provided updates|briefed)\b", re.I)
# "Carlos López (Spain) on behalf of the Chair": a person's name, then their state in parentheses.
# Not a place ("in Lima (Peru)"): the two capitalised words must not follow "in" or "at".
PERSON_BEFORE = re.compile(r"(?<!\bin )(?<!\bat )(?-i:\b[A-Z][\w'’.-]+\s+[A-Z][\w'’-]+)\s+\($")
HOSTED = re.compile(r"^\s*(?:['’]s\s+government\s+)?(?:hosted|co-hosted|,?\s*as\s+(?:co-)?host|"
                    r"(?:will|would|agreed to|offered to|is to)\s+(?:co-)?host)\b")
HOSTED_BY = re.compile(r"\b(?:co-)?hosted\s+by\s*(?:the\s+)?(?:government\s+of\s+(?:the\s+)?)?$", re.I)
# Sentences the cues above can fire in beside need_rules.toml's participant context words.
MORE_CONTEXT = re.compile(r"\b(?:requests?|briefings?|participated|participating|represented|attendees|took part|"
                          r"attended|spoke|co-hosted|co-organi[sz]ed|"
                          r"(?:organi[sz]ed|hosted|convened) by)\b|\b(?:states|countries|participants|delegations)\s*:",
                          re.I)
# A state named in passing: its support, its experience, its laws, the one who chaired.
PASSING_BEFORE = re.compile(
    r"(?:\b(?:support|assistance|funding|contributions?|generosity|grants?|experiences?|examples?|cases?|models?|"
    r"practices?|laws?|legislation|systems?|embassy|ambassador)\s+(?:from|of|by|in)\s+(?:the\s+)?"
    r"(?:governments?\s+of\s+(?:the\s+)?)?$"
    r"|\b(?:situation|developments?|events|crisis|conflict|war|attacks?|incidents?)\s+in\s+(?:the\s+)?$"
    r"|\bchair(?:ed|s|man|woman|person)?\b[^,;.()]{0,80}$)",
    re.I,
)
TOOK_PART_AFTER = re.compile(  # matched at a name's end, as PARTICIPANT_NOUN
    r"\s*(?:['’]s\s+)?(?:delegations?|government|officials|representatives|authorities|ministry|mission|"
    r"hosted|took part|attended|participated|sent|(?:will|would|also)\s+send|was represented|were represented|"
    r",?\s*as\s+(?:co-)?host|(?:will|would|agreed to|offered to|is to)\s+(?:co-)?host|"
    r"(?:all|each|both)\s+(?:had|sent)\s+(?:representatives|delegates|delegations|officials|participants|experts)|"
    r"(?:were|was)\s+(?:all\s+|each\s+)?represented)\b", re.I)
TOOK_PART_WORDS = re.compile(r"\b(took part|participated|attended|were represented|participants|participating|"
                             r"delegations|following states|following countries)\b", re.I)
# A short note in parentheses may follow an item: "Chad, Congo (DR), Ghana", "Jamaica (host) and Peru".
LIST_JOINER = re.compile(r"^(?:\s*\([^()\n]{1,20}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$", re.I)


def listed_after_colon(blocks: list[Block], fields: Fields) -> None:
    """"Delegations from the following States took part:" and then one state a line."""
    listed_up_to = 0  # blocks already read as a list are not read again (linear time)
    for i, b in enumerate(blocks[:-1]):
        if i < listed_up_to or not b.text.rstrip().endswith(":") or not TOOK_PART_WORDS.search(b.text):
            continue
        names = []
        j = i + 1
        while j < len(blocks) and (found := line_state(blocks[j].text))[0]:  # an office in a state goes on
            if found[1]:  # the list, but names nobody who took part
                names.append(clean_value(re.sub(r"^\s*[-*•·]\s*", "", blocks[j].text)))
            j += 1
        listed_up_to = j
        if len(names) >= 2:
            fields.has_list = True
            for name in names:
                state = state_index().resolve(name)
                if state.iso3 not in fields.absent:
                    fields.participants.setdefault(state.iso3, ("participant", name))
    for i, b in enumerate(blocks):
        present_after_colon(b.text, fields)
        # a heading that is only such a lead ("Participants", "Attendance") stands for its colon
        if b.kind == "heading" and i + 1 < len(blocks) and len(b.text.split()) <= HEADING_LEAD_WORDS \
                and ":" not in b.text and presence_lead(b.text.strip(" #*")):
            listed_present(blocks[i + 1].text, fields)


# A list after a colon, or after a table row's first cell, whose lead names the people who were
# there: "Partners: Germany, United States, IAEA", "Who came: Cambodia, ...", "Also in the room: UK,
# Japan", "... and partners able to respond to them: Germany, Japan", "| International partners |
# Romania, United States". The lead must end on those people, at most with a short modifier
# ("present", "invited to the last session", "able to respond to them"). A lead that goes on to say
# something of them ("Both delegations were candid about gaps:") introduces no attendees, nor one
# naming funders, recipients or absentees ("Funding partners:", "Regrets:", "non-participating").
PRESENT_HEAD = re.compile(
    r"\b(?:participants?|participating|partners?|delegations?|delegates|attendees|attendance|attending|"
    r"observers?|resource persons|who came|who was there|who were there|who attended|in the room|present|"
    r"represented|took part|attended)\b", re.I)
LEAD_PREDICATE = re.compile(
    r"\b(?:was|were|is|are|had|has|have|will|would|said|says|told|noted|agreed|thanked|discussed|described|"
    r"explained|raised|asked|requested|reported|presented|expressed|identified|highlighted|welcomed|called|"
    r"candid)\b", re.I)
NOT_PRESENT = re.compile(
    r"\b(?:not|no|non|absent|regrets?|apologies|unable|declined|excused|fund\w*|donors?|sponsor\w*|financ\w*|"
    r"recipients?|beneficiar\w*)\b|\bnon-", re.I)
LEAD_CHARS, TAIL_CHARS, SEGMENT_CHARS, HEADING_LEAD_WORDS = 100, 60, 4000, 4
SENTENCE_END = re.compile(r"\.(?:\s+(?=[A-Z(\[])|\s*$)|\n\s*\n|:")
# A verb ends the list: "...; INTERPOL and UNODA ran the scenario", "; Japan funded the venue".
LIST_PREDICATE = re.compile(
    r"\b(?:was|were|is|are|has|had|have|will|would|said|told|thanked|funded|financed|paid|sponsored|offered|"
    r"requested|ran|made|did|could|noted|agreed|sent|declined)\b", re.I)
PLACE_BEFORE = re.compile(r"\b(?:in|at|to)\s+(?:the\s+)?$", re.I)  # "Office in Dushanbe": a place
COLON = re.compile(":")
TABLE_LABEL = re.compile(r"^[ \t]*\|?[ \t]*\**(?P<lead>[A-Za-z][^|:\n]{1,58}?)\**[ \t]*\|[ \t]*(?=\S)", re.M)


def presence_lead(lead: str) -> bool:
    """Whether the words before a colon (or a row's first cell) name the people who were there."""
    lead = re.split(r"[.;!?](?=\s)", lead[-LEAD_CHARS:])[-1]
    heads = list(PRESENT_HEAD.finditer(lead))
    if not heads:
        return False
    tail = lead[heads[-1].end():]
    return len(tail) <= TAIL_CHARS and not LEAD_PREDICATE.search(tail) and not NOT_PRESENT.search(
        lead[max(0, heads[-1].start() - 30):])


def present_after_colon(text: str, fields: Fields) -> None:
    """The states listed after a colon (or in a table row) whose lead is ``presence_lead``."""
    starts: list[tuple[int, str | None]] = [(m.end(), m.group("lead")) for m in TABLE_LABEL.finditer(text)]
    starts += [(m.end(), None) for m in COLON.finditer(text)]  # a colon's lead is cut when it is read
    read_up_to = 0  # a colon inside a list already read starts nothing new (linear time)
    for start, lead in sorted(starts, key=lambda s: s[0]):
        if lead is None:
            lead = text[max(0, start - 1 - LEAD_CHARS):start - 1]
        if start >= read_up_to and presence_lead(lead):
            read_up_to = start + listed_present(text[start:start + SEGMENT_CHARS], fields)


def listed_present(text: str, fields: Fields) -> int:
    """The states of the list ``text`` opens with, up to the end of its sentence, a table cell or
    a verb ("...; INTERPOL and UNODA ran the scenario"); not a funder, an absentee, a place ("the
    Office in Dushanbe") or a state named in passing. Returns how many characters the list took."""
    end = SENTENCE_END.search(text)
    segment = text[:end.start()] if end else text
    if "|" in segment:  # a table row: its next cell is no longer the list
        segment = segment.split("|", 1)[0]
    verb = LIST_PREDICATE.search(re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), segment))
    if verb:  # the item the verb belongs to is its subject, not a list item ("; Japan paid for the venue")
        cut = max(segment.rfind(";", 0, verb.start()), segment.rfind(",", 0, verb.start()))
        segment = segment[:cut if cut > 0 else verb.start()]
    funding = funder_spans(segment)
    for m in state_index().find_mentions(written_state_names(segment)):  # "Congo, Democratic Republic of the"
        before = segment[max(0, m.start - BEFORE_WINDOW):m.start]
        if m.iso3 in fields.absent or any(s <= m.start < e for s, e in funding) or PLACE_BEFORE.search(before) \
                or PASSING_BEFORE.search(before):
            continue
        after = segment[m.end:m.end + 40].lower()
        role = "observer" if "observer" in after else "host" if "(host)" in after else "participant"
        fields.participants.setdefault(m.iso3, (role, m.text))
    return len(segment)


def table_participants(text: str, fields: Fields) -> None:
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


def prose_participants(text: str, sentences, fields: Fields) -> None:
    """No participants list: a state takes part when the words around its name say so
    ("officials from X", "the Governments of X, Y and Z", "X's delegation"), and not when
    it is named as a funder or in passing."""
    idx = state_index()
    rules = load_rules()
    footnotes_read = False
    for sent in sentences:
        for m in idx.find_mentions(sent.text):  # "Carlos López (Spain)": a person and their state
            if sent.text[m.end:m.end + 1] == ")" and PERSON_BEFORE.search(sent.text[max(0, m.start - 60):m.start]) \
                    and m.iso3 not in fields.absent:
                fields.participants.setdefault(m.iso3, ("participant", m.text))
        if not rules.participant_context_re.search(sent.text) and not MORE_CONTEXT.search(sent.text) and not (
                GROUP_WORD.search(sent.text) and GROUP_PRESENCE.search(sent.text)):
            continue
        # A donor's offer names a state that need not have taken part: there only the people
        # of a state ("representatives from Japan ... presented the programmes on offer") count.
        offer = sent.span is not None and any(m.label.startswith("exclude:offers") for m in rules.exclusions(sent.span))
        funding = funder_spans(sent.text)
        mentions = sorted(idx.find_mentions(sent.text), key=lambda m: m.start)
        adjectives = demonym_participants(sent.text, mentions)
        # "Kenya, Uganda and Tanzania participated": the words after a list's last name cover it all
        list_of = {id(m): run for run in list_runs(sent.text, mentions) for m in run}
        accepted_end = None
        for m in mentions:
            before = sent.text[max(0, m.start - BEFORE_WINDOW):m.start]
            if any(s <= m.start < e for s, e in funding) or m.iso3 in fields.absent or PASSING_BEFORE.search(before) \
                    or placed_in(sent.text, m.start):
                accepted_end = None
                continue
            chained = accepted_end is not None and LIST_JOINER.match(sent.text[accepted_end:m.start])
            if offer:
                took_part = chained or PRESENCE_BEFORE.search(before)
            else:
                last = list_of[id(m)][-1]
                took_part = chained or TOOK_PART_BEFORE.search(before) or TOOK_PART_AFTER.match(
                    sent.text, last.end) or (GROUP_LIST_BEFORE.search(before) and GROUP_PRESENCE.search(sent.text))
            if took_part:
                after = sent.text[m.end:m.end + 40].lower()
                role = "observer" if "observer" in after else "host" if HOSTED.match(after) or \
                    HOSTED_BY.search(before) else "participant"
                fields.participants.setdefault(m.iso3, (role, m.text))
                accepted_end = m.end
            else:
                accepted_end = None
        for iso3, written in capital_participants(sent.text, rules.seat_cities):
            if iso3 not in fields.absent:
                fields.participants.setdefault(iso3, ("participant", written))
        if offer:
            continue
        if not footnotes_read and FOOTNOTED_GROUP.search(sent.text) and GROUP_PRESENCE.search(sent.text):
            footnote_participants(text, fields)  # the whole text's footnotes: once, not once per such sentence
            footnotes_read = True
        for m in adjectives:
            if m.iso3 not in fields.absent:
                fields.participants.setdefault(m.iso3, ("participant", m.text))


# "33 participants from 26 States Parties*" and, further on, the footnote "* Argentina, Bahamas, ...".
FOOTNOTED_GROUP = re.compile(r"\b(?:states(?:\s+parties)?|parties|countries|member states)\s*\*", re.I)
FOOTNOTE_LINE = re.compile(r"^[ \t]*\*[ \t]*(?P<body>\S.*)$", re.M)


def footnote_participants(text: str, fields: Fields) -> None:
    """The states of an asterisked footnote that is a list of states: at least two items and four in
    five of them states (a misspelt item, "Columbia", does not make it something else)."""
    idx = state_index()
    for line in FOOTNOTE_LINE.finditer(text):
        items = []
        for item in re.split(r",\s*(?:and\s+)?", line.group("body").rstrip(" .;")):
            # "Trinidad and Tobago" is one name, "Peru and Chile" two
            both = item.split(" and ", 1)
            items.extend([item.strip()] if idx.resolve(item.strip()) or len(both) == 1 else [b.strip() for b in both])
        states = [(idx.resolve(i), i) for i in items]
        known = [(st, i) for st, i in states if st is not None]
        if len(known) >= 2 and len(known) * 5 >= len(items) * 4:
            for st, written in known:
                if st.iso3 not in fields.absent:
                    fields.participants.setdefault(st.iso3, ("participant", written))


def demonym_participants(text: str, mentions: list) -> list:
    """Demonyms before a people noun ("Peruvian institutions", not "Spanish"). In a run of them the
    noun after the last covers the whole run ("Cambodian, Laotian, Myanmar, Thai, and Vietnamese
    experts"), and a state's name may stand in the run in place of its demonym ("Myanmar")."""
    adjectives = sorted(state_index().find_adjective_mentions(text), key=lambda m: m.start)
    if not adjectives:
        return []
    spans = {(a.start, a.end) for a in adjectives}
    mixed = adjectives + [m for m in mentions if not any(s <= m.start < e for s, e in spans)]
    found = []
    for run in list_runs(text, sorted(mixed, key=lambda m: m.start)):
        if PARTICIPANT_NOUN.match(text, run[-1].end) and (len(run) > 1 or run[0] in adjectives):
            found.extend(run)
    return found


def subject_states(text: str, fields: Fields) -> None:
    """A page that shows no state taking part (an article, a report, a cable about a state's own
    programme) is about the states it keeps naming: each one named at least SUBJECT_MENTIONS times
    (by name or demonym) counts, so the needs stated for "the country" have someone to belong to.
    A funder's or a passing mention is not counted."""
    idx = state_index()
    counts: dict[str, int] = {}
    funding = funder_spans(text)
    for m in list(idx.find_mentions(text)) + list(idx.find_adjective_mentions(text)):
        before = text[max(0, m.start - BEFORE_WINDOW):m.start]
        if any(s <= m.start < e for s, e in funding) or PASSING_BEFORE.search(before):
            continue
        counts[m.iso3] = counts.get(m.iso3, 0) + 1
    for iso3, n in counts.items():
        if n >= SUBJECT_MENTIONS and iso3 not in fields.absent and idx.get(iso3):
            fields.participants.setdefault(iso3, ("participant", idx.get(iso3).name))


# The end of a funder's clause set off by commas: "This package, currently funded by the United
# States Department of State, targets five countries: ..." funds nothing after "targets".
FUNDER_CLAUSE_END = re.compile(r",\s+(?!and\b|as well as\b|with\b|through\b|the\s+[A-Z]|[A-Z])[a-z]+\b")


def funder_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names funders (rules.funding_spans), each cut at the end of its clause."""
    spans = []
    for start, end in load_rules().funding_spans(text):
        cut = FUNDER_CLAUSE_END.search(text, start, end)
        spans.append((start, cut.start() if cut else end))
    return spans


# A co-organiser that is a state's own body: "the Government of Thailand", "the Ministry of Foreign
# Affairs of Belarus", "Kenya's National Police Service", "the Kyrgyz Ministry of Economy".
# "The OSCE Programme Office in Bishkek" or "UNRCPD in Lomé, Togo" are not: the state there is a place.
GOVERNMENT_OF = re.compile(r"\bGovernment of (?:the )?(?P<name>[A-Z][\w'’ -]+?)(?=[,.;)]|\s+(?:as|and|with|in)\b|$)",
                           re.I)
STATE_BODY = re.compile(
    r"\b(?:government|ministry|ministries|department|agency|authority|service|committee|commission|council|"
    r"customs|police|directorate|embassy|national|federal|state)\b", re.I)
STATE_OF_BODY = re.compile(r"(?:^|\b(?:of|the)\s+)$", re.I)  # "... of X", "the X ...", or X first


def organiser_state(organiser: str) -> tuple[str, str] | None:
    """(ISO3, as written) of the state an organiser belongs to, or None (an organisation, or a
    state only named as the place of an organisation's office)."""
    idx = state_index()
    g = GOVERNMENT_OF.search(organiser)
    if g and (state := idx.resolve(g.group("name"))):
        return state.iso3, g.group("name")
    bare = re.sub(r"^the\s+", "", organiser.strip(), flags=re.I)
    whole = idx.find_mentions(bare)
    if len(whole) == 1 and whole[0].text == bare:
        return whole[0].iso3, bare  # "Organizers: UNODA, Kazakhstan"
    named = [m for m in idx.find_mentions(organiser) if STATE_OF_BODY.search(organiser[:m.start])] + [
        m for m in idx.find_adjective_mentions(organiser) if STATE_BODY.match(organiser[m.end:].lstrip())]
    if len({m.iso3 for m in named}) == 1 and STATE_BODY.search(organiser):
        return named[0].iso3, named[0].text
    return None


def capital_participants(text: str, seat_cities: tuple[str, ...]) -> list[tuple[str, str]]:
    """States named through their capital as where people came from ("officials from Tashkent and
    Bishkek"); not a city that seats international organisations ("experts from Vienna")."""
    if not PRESENCE_WORD.search(text):
        return []
    found = []
    for match in capital_pattern().finditer(text):
        if match.group() not in seat_cities and PRESENCE_BEFORE.search(text[max(0, match.start() - BEFORE_WINDOW):
                                                                           match.start()]):
            found.append((capital_states()[match.group()], match.group()))
    return found
