"""Checks shared by every review write (needs, participants, offers, requests): a state or
category a person typed, a quote that must stand in the note, and the before/after of a change.

They live below both ``review`` and the store's assistance review, so neither copies them.
"""

from __future__ import annotations

import re

from .errors import ReviewError


def valid_state(iso3: str) -> str:
    """``iso3`` upper-cased if it is a state we know; ReviewError naming it otherwise."""
    from .states import state_index

    iso3 = (iso3 or "").strip().upper()
    if state_index().get(iso3) is None:
        raise ReviewError(f"unknown state {iso3!r}: give a UN member state's ISO3 code")
    return iso3


def valid_category(category: str) -> str:
    """``category`` if it is in the gap taxonomy; ReviewError listing the valid ones otherwise."""
    from .taxonomy import category_ids

    valid = category_ids()
    if category not in valid:
        raise ReviewError(f"unknown category {category!r}; valid: {', '.join(valid)}")
    return category


def find_quote(text: str, quote: str, *, what: str = "need") -> tuple[int, int]:
    """The span of ``quote`` in ``text``: exactly, else allowing any run of whitespace (a quote
    copied from a browser loses line breaks). ReviewError when the note does not contain it."""
    quote = (quote or "").strip()
    if len(quote) < 3:
        raise ReviewError(f"give the quote from the note that reports the {what}")
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    match = re.search(r"\s+".join(re.escape(word) for word in quote.split()), text)
    if match:
        return match.start(), match.end()
    raise ReviewError("the quote is not in the note: copy it exactly from the note's text")


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys of ``after`` whose value differs from ``before``: (old values, new values)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
