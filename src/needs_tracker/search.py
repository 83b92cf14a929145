"""Search by words in the evidence sentences: what a person types becomes terms that match
the way people mean them.

Each word is stemmed (snowballstemmer, English) and matched as the start of a word, so
"licens" finds "licensing" and "licence", and "border control" finds "border and
export/import controls" (every term must occur, in any order). A "quoted phrase" must occur
as written (case and runs of spaces aside). The same patterns run in DuckDB (RE2, as a
bound parameter) to select rows and in Python to mark the hits, so what is found is what is
marked. DuckDB's full-text extension cannot be installed offline for the DuckDB we pin.
"""

from __future__ import annotations

import functools
import re

_PHRASE = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


@functools.cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=256)
def terms(query: str | None) -> tuple[tuple[str, str], ...]:
    """(needle, pattern) per term: a case-insensitive regular expression (valid in RE2 and
    Python) that a sentence must match — a word's stem as a word's beginning, a quoted phrase
    as written — and a lowercase substring every match contains (a cheap test run first)."""
    if not query:
        return ()
    out: dict[str, str] = {}
    for phrase, word in _PHRASE.findall(query):
        if phrase.strip():
            parts = phrase.split()
            # \b only beside a word character, so a phrase may end in punctuation ("U.S.")
            head = r"\b" if parts[0][:1].isalnum() else ""
            tail = r"\b" if parts[-1][-1:].isalnum() else ""
            out[r"(?i)" + head + r"\s+".join(re.escape(w) for w in parts) + tail] = parts[0].lower()
        elif word:
            stem = _stemmer().stemWord(word.lower()) or word.lower()
            out[r"(?i)\b" + re.escape(stem) + r"\w*"] = stem
    return tuple((needle, pattern) for pattern, needle in out.items())


def patterns(query: str | None) -> tuple[str, ...]:
    return tuple(pattern for _, pattern in terms(query))


def matches(text: str, query: str | None) -> bool:
    return all(re.search(p, text) for p in patterns(query))


def hit_spans(text: str, query: str | None) -> list[tuple[int, int]]:
    """(start, end) of every hit of every term in ``text``."""
    spans: list[tuple[int, int]] = []
    for p in patterns(query):
        spans.extend((m.start(), m.end()) for m in re.finditer(p, text))
    return spans


def sql_condition(column: str, query: str | None) -> tuple[list[str], list[str]]:
    """SQL clauses over ``column`` (a fixed column name, never user text) and their bound values:
    per term a substring test (fast) and then the regular expression."""
    clauses, params = [], []
    for needle, pattern in terms(query):
        clauses.append(f"(contains(lower({column}), ?) and regexp_matches({column}, ?))")
        params.extend([needle, pattern])
    return clauses, params
