"""A state named in a list only as the place where another body sits is not a participant.

"OSCE Programme Office in Tajikistan" in a partners or participants list is the OSCE's office,
not Tajikistan; "EU Delegation to Kazakhstan" is the EU's. A state's own bodies still name it
("Government of Kazakhstan", "Jordan Customs", "Permanent Mission of Kazakhstan to the United
Nations"). The participant readers (``participants``, ``fields``) ask here, so every list shape
(one name a line, a field's list, prose) judges such a name the same way.
"""

from __future__ import annotations

import re

from ..states import state_index
from .text import clean_value

# The last preposition before a state inside a longer name says what the state is to that name:
# "of"/"from" make it the state's own body or people ("Ministry of Interior of Chad", "Delegation
# from Chad"); a place or destination makes it where another body sits or works ("OSCE Programme
# Office in Tajikistan", "EU Delegation to Kazakhstan", "Regional Centre in Lomé, Togo").
PREPOSITION = re.compile(r"\b(of|from|in|at|to|for|near|within|across|throughout)\b", re.I)
PLACE_PREPOSITIONS = {"in", "at", "to", "for", "near", "within", "across", "throughout"}
# An organisation's office, mission or centre "in X", its name running on to the preposition in
# name-like words only (capitalised words, "of", "for", "the", "and", "on"): X is where it sits, not a
# participant. A verb or any other lower-case word ends the name: in "the OSCE Secretariat trained
# officials in Kazakhstan" or "embassy staff in Kenya", Kazakhstan and Kenya are named for themselves.
SEAT_BEFORE = re.compile(
    r"\b(?i:office|mission|centre|center|delegation|branch|bureau|representation|presence|secretariat|"
    r"headquarters|embassy|consulate|liaison|station)s?\b"
    r"(?:\s+(?:[A-Z][\w'’.&-]*|of|for|the|and|on|&)){0,8}?\s+(?i:in|at|to)\s+(?:(?i:the)\s+)?$")
SEAT_WINDOW = 100


def placed_in(text: str, start: int) -> bool:
    """Whether the state named at ``start`` of ``text`` is only where another body sits: "the
    OSCE Programme Office in Tajikistan", "EU Delegation to Kazakhstan"."""
    return SEAT_BEFORE.search(text, max(0, start - SEAT_WINDOW), start) is not None


def line_state(line: str) -> tuple[bool, bool]:
    """(lists, names) for a line of a one-name-a-line list: whether it names a state in some way
    (the state, one of its bodies, or a body placed in it: either way the list goes on), and
    whether that state is what it names. One lookup a line: such lists run to 20,000 lines."""
    line = clean_value(re.sub(r"^\s*[-*•·]\s*", "", line))
    if not line or "\n" in line.strip() or len(line.split()) > 8:
        return False, False
    idx = state_index()
    state = idx.resolve(line)
    if state is None:
        return False, False
    if not PREPOSITION.search(line):  # "Chad", "Jordan Customs"
        return True, True
    mentions = [m for m in idx.find_mentions(line) if m.iso3 == state.iso3]
    if not mentions:  # the line is the state's name as the index knows it ("the Republic of Korea")
        return True, True
    prepositions = PREPOSITION.findall(line, 0, mentions[0].start)
    return True, not prepositions or prepositions[-1].lower() not in PLACE_PREPOSITIONS


def lists_a_state(line: str) -> bool:
    """A line of a one-name-a-line list that names a state in some way (``line_state``)."""
    return line_state(line)[0]


def names_a_state(line: str) -> bool:
    """A line that is just a state's name ('Central African Republic', '- Chad') or one of its own
    bodies ('Jordan Customs', 'Government of Kazakhstan'); not an organisation's office, mission or
    centre placed in a state ('OSCE Programme Office in Tajikistan' is not Tajikistan)."""
    return line_state(line)[1]
