"""State names that a list's layout broke: at a line end or written index-style.

Real lists wrap a name over two lines ("Equatorial\nGuinea", "Republic of the\nCongo") and
copy names from index-style tables ("Congo, Democratic Republic of the"). Read as written, the
first is two items ("Equatorial" unresolved, "Guinea" the wrong state) and the second names the
other Congo. The participant readers (``fields``, ``participants``) read a list through
``written_state_names``, which gives the same text with such names made whole, of the same
length, so a character offset into it is one into the note.
"""

from __future__ import annotations

import re

from ..states import state_index

NAME_CHARS = 80


def name_runs_on(value: str, following: str) -> bool:
    """A state's name broken at a line end: "Equatorial" + "Guinea", "Republic of the" + "Congo".
    A line that ends a whole name ("Chad" + "Niger") does not run on."""
    idx = state_index()
    # a name is short: look only near the break, so a 20,000-line list stays linear
    last = re.split(r"[,;:\n]", value[-NAME_CHARS:].rstrip())[-1].strip()
    first = re.split(r"[,;\n]", following[:NAME_CHARS].lstrip())[0].strip().rstrip(".")
    if not last or not first or idx.resolve(last):
        return False
    return is_whole_name(f"{last} {first}")


def is_whole_name(name: str) -> bool:
    """Whether ``name`` is one state's name from end to end: "Equatorial Guinea", not "Federated
    States of Chad" (which the lenient ``resolve`` reads as Chad)."""
    mentions = state_index().find_mentions(name)
    return len(mentions) == 1 and " ".join(mentions[0].text.split()) == " ".join(name.split())


def _join_broken_names(value: str) -> str:
    """A line break inside a state's name is a space."""
    return re.sub("\n", lambda m: " " if name_runs_on(value[:m.start()], value[m.end():]) else "\n", value)


# A name written index-style, its head first: "Congo, Democratic Republic of the", "Micronesia,
# Federated States of", "Korea, Republic of".
INVERTED_NAME = re.compile(
    r"(?P<head>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}),\s+"
    r"(?P<tail>(?:[A-Z][\w'’-]*\s+){1,4}of(?:\s+the)?)(?=\s*(?:[,;.)\n]|and\b|$))")


def _uninvert_names(value: str) -> str:
    """Index-style names in their natural order, padded to their written length."""

    def natural(m: re.Match) -> str:
        name = f"{m.group('tail')} {m.group('head')}"
        return name.ljust(len(m.group(0))) if is_whole_name(name) else m.group(0)

    return INVERTED_NAME.sub(natural, value)


def written_state_names(value: str) -> str:
    """``value`` with broken and index-style state names made whole (same length)."""
    if "\n" in value:
        value = _join_broken_names(value)
    if ", " in value:
        value = _uninvert_names(value)
    return value
