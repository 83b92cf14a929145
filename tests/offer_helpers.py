"""What the round tests of the offer rules share: a note's head and the (provider, category) pairs of a body."""

from __future__ import annotations

from needs_tracker.extract import extract

HEAD = "Workshop on resolution 1540 for West African States\n\nAccra, 3-4 March 2026\n\n"


def offer_pairs(body: str) -> set[tuple[str, str]]:
    """(provider's ISO3 or name, category) of every offer in a note of HEAD + ``body``."""
    return {(o.provider_iso3 or o.provider, o.category) for o in extract(HEAD + body + "\n").offers}
