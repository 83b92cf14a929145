"""The needs whose evidence has a filter's words, found once and shared by every read of a change.

A words filter is a regular expression over every evidence sentence (``needs_tracker.search``).
A page draws five or six aggregates of the same filtered needs, and each would run the
expression over every sentence again (30-40 ms a query at 100,000 needs for a word every
sentence has). ``text_hits`` runs it once and returns the answer as a bit string (bit *i* set
when need *i* matches), which a filter then binds as one parameter: testing a bit per row costs
about a quarter of the expression. The dashboard keeps the answer per (words, store version).
"""

from __future__ import annotations

import duckdb


def text_hits(con: duckdb.DuckDBPyConnection, f) -> tuple[str | None, int]:
    """(bits, size) for the words of filter ``f`` (a ``filters.NeedFilter``, taken by its
    ``text_where`` so the store stays below the filters): ``bits`` is a string of '0'/'1' of
    length ``size`` (the largest need id + 1), None when no need matches."""
    condition, params = f.text_where("n")
    size = con.cursor().execute("select coalesce(max(id), 0) + 1 from needs").fetchall()[0][0]
    bits = con.cursor().execute(
        f"select bitstring_agg(n.id, 0, ?)::varchar from needs n where {condition}",
        [int(size) - 1, *params]).fetchall()[0][0]
    return bits, int(size)
