"""The words of every evidence sentence as an index in memory, so that a words filter is answered
without running its regular expression over every sentence.

``store.text_hits`` answers a words filter by running each term's expression
(``search.sql_condition``: ``contains(lower(evidence), stem) and regexp_matches(evidence,
'(?i)\\bstem\\w*')``) over every need: 7-40 ms at 100,000 needs, once per new words. A word's
term is "a word that begins with the stem", which an index answers by lookup: the sorted
vocabulary of the sentences' words, and for each word the needs that hold it (its postings, laid
out one word after the other in vocabulary order). The words beginning with a stem are one range
of the sorted vocabulary (two bisections), so their needs are one contiguous slice of the
postings: marking them costs microseconds.

Exactly the needs the SQL finds, by construction of what a "word" is here. DuckDB's regular
expressions are RE2's, whose ``\\b`` is ASCII: a word character is ``[0-9A-Za-z_]`` and nothing
else. So a sentence's words are its maximal runs of those characters, lowercased (``é``, an
apostrophe or a hyphen ends a word, as it makes a ``\\b`` for RE2: "éborder" holds "border").
For a stem made only of those characters, ``(?i)\\bstem`` matches exactly where such a word
begins with the stem, save for two characters that RE2's case-insensitive match equates with an
ASCII letter (the Kelvin sign with k, the long s with s: ``ODD``); the few sentences that hold one
are answered by the SQL condition itself. A term the index cannot answer — a quoted phrase, a
stem with another character (``état``) — leaves the whole words to the SQL (``hits`` says None).
``tests/test_word_index.py`` compares both answers on the bundled notes, a generated store and
random texts.

Built once per store version from the store's copy (``store.matching_base``): at 100,000 needs
(900,000 (word, need) pairs, 100,000 distinct words) about 0.2-0.4 s of DuckDB and numpy, and
5-10 MB of memory.
"""

from __future__ import annotations

import bisect
import re

import numpy as np

# A word as RE2 sees one (``\\b``, ``\\w`` are ASCII there); what separates two words.
WORD_CHARS = re.compile(r"[0-9a-z_]+\Z")
SEPARATORS = "[^0-9A-Za-z_]+"
# The characters other than ASCII that RE2's case-insensitive match equates with an ASCII word
# character: U+017F LATIN SMALL LETTER LONG S (s) and U+212A KELVIN SIGN (k). Checked against
# DuckDB over every code point by tests/test_word_index.py.
ODD = "\u017f\u212a"
# One term's clause as ``search.sql_condition`` writes it over ``n.evidence`` (needle, then pattern).
TERM_SQL = "(contains(lower(n.evidence), ?) and regexp_matches(n.evidence, ?))"


class WordIndex:
    """The needs of each word of the evidence sentences, for one store version."""

    def __init__(self, words: list[str], starts: np.ndarray, ids: np.ndarray, odd: list[int], size: int) -> None:
        self.words = words      # the vocabulary, sorted (lowercased ASCII words)
        self.starts = starts    # word i's needs are ids[starts[i]:starts[i + 1]]
        self.ids = ids          # need ids, grouped by word in vocabulary order
        self.odd = odd          # needs whose sentence holds an ``ODD`` character: answered by the SQL
        self.size = size        # the largest need id + 1, as ``text_hits`` sizes its bits

    def term_mask(self, stem: str) -> np.ndarray:
        """Needs (a boolean per id) holding a word that begins with ``stem``."""
        lo = bisect.bisect_left(self.words, stem)
        hi = bisect.bisect_left(self.words, stem + "\x7f", lo)  # every word's characters are below \x7f
        mask = np.zeros(self.size, dtype=bool)
        mask[self.ids[self.starts[lo]:self.starts[hi]]] = True
        return mask

    def mask(self, stems: list[str]) -> np.ndarray:
        """Needs holding, for every stem, a word that begins with it."""
        out = self.term_mask(stems[0])
        for stem in stems[1:]:
            out &= self.term_mask(stem)
        return out


def stems(f) -> list[str] | None:
    """The stems of filter ``f``'s words when the index can answer every term (each a word's stem
    as a word's beginning, made of ASCII word characters), else None. Read from the terms'
    condition and parameters (``f.text_where``: ``search.sql_condition``'s (needle, pattern) per
    term, the store sitting below the search): any other shape is left to the SQL."""
    if not f.text:
        return None
    condition, params = f.text_where("n")
    found = [str(needle) for needle in params[0::2]]
    if not found or len(params) != 2 * len(found) or condition != " and ".join([TERM_SQL] * len(found)):
        return None
    for needle, pattern in zip(found, params[1::2], strict=True):
        if not (WORD_CHARS.match(needle) and pattern == r"(?i)\b" + re.escape(needle) + r"\w*"):
            return None  # a phrase, or a stem RE2 reads otherwise: the SQL answers the words
    return found


def build(cursor) -> WordIndex:
    """The index of the ``needs`` table that ``cursor`` reads (the store's copy, or the store)."""
    size = int(cursor.execute("select coalesce(max(id), 0) + 1 from needs").fetchall()[0][0])
    cursor.execute(f"""create or replace temp table word_of_need as
        select id, lower(w) as word from (select id, unnest(string_split_regex(evidence, '{SEPARATORS}')) as w
        from needs) where w <> ''""")  # a temp table is this cursor's own
    try:
        cursor.execute("""create or replace temp table vocabulary as
            select word, (row_number() over (order by word))::integer - 1 as no
            from (select distinct word from word_of_need)""")
        words = [w for (w,) in cursor.execute("select word from vocabulary order by no").fetchall()]
        got = cursor.execute("select v.no, t.id from word_of_need t join vocabulary v using (word)").fetchnumpy()
    finally:
        cursor.execute("drop table if exists word_of_need")
        cursor.execute("drop table if exists vocabulary")
    nos = got["no"].astype(np.int64)
    if any(a >= b for a, b in zip(words, words[1:], strict=False)):  # DuckDB orders by bytes, as Python does
        rank = np.empty(len(words), dtype=np.int64)
        rank[sorted(range(len(words)), key=words.__getitem__)] = np.arange(len(words))
        nos, words = rank[nos], sorted(words)
    ids = got["id"].astype(np.int64)
    packed = np.sort(nos * size + ids)  # by word, then need (np.unique hashes: 100 times slower here)
    packed = packed[np.r_[True, packed[1:] != packed[:-1]]] if len(packed) else packed  # a word twice: once
    nos, ids = packed // size, packed % size
    starts = np.searchsorted(nos, np.arange(len(words) + 1), side="left")
    odd = [int(i) for (i,) in cursor.execute(
        "select id from needs where " + " or ".join("contains(evidence, ?)" for _ in ODD), list(ODD)).fetchall()]
    return WordIndex(words, starts, ids.astype(np.int32 if size < 2**31 else np.int64), odd, size)


def bits_of(mask: np.ndarray) -> str | None:
    """``mask`` as ``text_hits`` gives it: '0'/'1' per need id, None when no need matches."""
    if not mask.any():
        return None
    return np.where(mask, ord("1"), ord("0")).astype(np.uint8).tobytes().decode("ascii")


def mask_of(bits: str | None, size: int) -> np.ndarray:
    """The inverse of ``bits_of``: a boolean per need id (all False for None)."""
    if bits is None:
        return np.zeros(size, dtype=bool)
    return np.frombuffer(bits.encode("ascii"), dtype=np.uint8) == ord("1")


def hits(index: WordIndex, cursor, f) -> tuple[str | None, int] | None:
    """``store.text_hits.text_hits(cursor, f)`` answered from ``index``, the same bits; None when
    the index cannot answer ``f``'s words (the caller then asks the SQL). ``cursor`` reads the
    needs the index was built from: only the few sentences with an ``ODD`` character are asked
    there, with the SQL condition itself."""
    found = stems(f)
    if found is None:
        return None
    mask = index.mask(found)
    if index.odd:
        condition, params = f.text_where("n")
        odd = np.asarray(index.odd, dtype=np.int64)
        mask[odd] = False
        matched = [i for (i,) in cursor.execute(
            f"select n.id from needs n where list_contains(?, n.id) and {condition}", [index.odd, *params]).fetchall()]
        mask[np.asarray(matched, dtype=np.int64)] = True
    return bits_of(mask), index.size
