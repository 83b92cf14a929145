"""The index of the evidence's words (``store.word_index``) answers a words filter with exactly the
needs DuckDB's SQL condition (``search.sql_condition``, RE2) selects: on the bundled notes, on a
generated store, and on random sentences made of the characters where RE2's ASCII word boundary and
case-insensitive match differ from a naive reading (accents, apostrophes, hyphens, digits,
underscores, the Kelvin sign and the long s, other scripts)."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

from needs_tracker.filters import NeedFilter
from needs_tracker.search import terms
from needs_tracker.store import connect, word_index
from needs_tracker.store import matching_base as mb
from needs_tracker.store.text_hits import text_hits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))


def _both(index: word_index.WordIndex, cursor, query: str) -> tuple:
    """(the SQL's answer, the index's answer or None when it leaves the words to the SQL)."""
    f = NeedFilter(text=query)
    return text_hits(cursor, f), word_index.hits(index, cursor, f)


def _queries(sentences: list[str], rng: random.Random, n: int) -> list[str]:
    """Words of the sentences, their beginnings, pairs of them, in any case, and a few that match nothing."""
    words = sorted({w for s in sentences for w in re.findall(r"\w+", s) + re.findall(r"[0-9A-Za-z_]+", s)})
    out = ["nothingmatchesthis", "zzzz", "s", "k", "a"]
    for _ in range(n):
        w = rng.choice(words)
        w = w[:rng.randint(1, len(w))] if rng.random() < 0.5 else w
        w = w.upper() if rng.random() < 0.2 else w
        out.append(w if rng.random() < 0.7 else f"{w} {rng.choice(words)}")
    return out


def test_only_the_kelvin_sign_and_the_long_s_match_an_ascii_word_character_in_re2():
    """``ODD`` is every character beyond ASCII that ``(?i)`` in RE2 equates with [0-9a-z_]."""
    found = duckdb.connect().execute(r"""select list(i order by i) from range(128, 1114112) t(i)
        where (i < 55296 or i > 57343) and regexp_matches(chr(i::integer), '(?i)[0-9a-z_]')""").fetchall()[0][0]
    assert [chr(i) for i in found] == sorted(word_index.ODD)


def test_the_index_gives_the_sqls_needs_on_the_bundled_notes(template_store):
    """The bundled notes' evidence sentences, and every line of their text as a sentence of its own
    (real prose: accents, apostrophes, hyphens, numbers, headings)."""
    with connect(str(template_store), read_only=True) as con:
        evidence = [s for (s,) in con.execute("select evidence from needs").fetchall()]
        lines = [line for (text,) in con.execute("select text from documents").fetchall()
                 for line in text.splitlines() if line.strip()]
        assert len(evidence) > 10 and len(lines) > 30
        index = word_index.build(con.cursor())
        answered = 0
        for query in _queries(evidence, random.Random(15), 100):
            sql, got = _both(index, con, query)
            if got is not None:
                answered += 1
                assert got == sql, query
        assert answered > 80, answered  # of 105 queries: the index answered, not only the SQL fallback (phrases aside)
    mem = duckdb.connect()
    mem.execute("create table needs (id bigint, evidence varchar)")
    mem.executemany("insert into needs values (?, ?)", [[i, s] for i, s in enumerate(lines, start=1)])
    index = word_index.build(mem.cursor())
    answered = 0
    for query in _queries(lines, random.Random(1540), 300):
        sql, got = _both(index, mem, query)
        if got is not None:
            answered += 1
            assert got == sql, query
    assert answered > 250  # phrases and words beyond ASCII aside, the index answers


def test_the_index_gives_the_sqls_needs_on_a_generated_store(tmp_path):
    from generate import build_store

    path = tmp_path / "gen.duckdb"
    build_store(path, 100, 5_000)
    with connect(str(path), read_only=True) as con:
        base = mb.build(con)
    cur = base.cursor()
    index = word_index.build(cur)
    for query in ["lack", "border", "licens", "synthetic", "capacity 12", "1", "law_enf", "lack licens",
                  "LACK", "nothing", "Synthetic: lack"]:
        sql, got = _both(index, cur, query)
        assert got == sql, query
        assert mb.text_hits(base, NeedFilter(text=query)) == sql  # the copy answers by its index


# Characters where a word's edge or a case-insensitive match is easy to get wrong.
ALPHABET = (list("abcdefklsxyzABKSZ019_") * 3 + [" "] * 12 + list("'’-–.,:;()/\"") +
            list("éÉèàçñøåßüÖİıſKÅµΣσςДд中文🙂\u00a0\t\n") + ["\u0301"])


def _random_sentence(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(4))
def test_the_index_gives_the_sqls_needs_on_random_text(seed):
    rng = random.Random(seed)
    sentences = [_random_sentence(rng) for _ in range(400)] + ["", "Kelvin ſtate", "a\u212ab", "éborder", "xétat"]
    con = duckdb.connect()
    con.execute("create table needs (id bigint, evidence varchar)")
    ids = rng.sample(range(1, 3000), len(sentences)) + [4000]
    con.executemany("insert into needs values (?, ?)", [[i, s] for i, s in zip(ids, [*sentences, None], strict=True)])
    index = word_index.build(con.cursor())
    assert index.odd  # sentences with the Kelvin sign or the long s: answered by the SQL
    answered = 0
    for query in _queries([s for s in sentences if s], rng, 300) + ["kb", "b", "state", "tate", "étatx", "1_"]:
        sql, got = _both(index, con, query)
        if got is not None:
            answered += 1
            assert got == sql, (query, terms(query))
    assert answered > 120


def test_words_the_index_cannot_answer_are_left_to_the_sql():
    def stems(text):
        return word_index.stems(NeedFilter(text=text))

    assert stems('"export control"') is None      # a phrase keeps its expression
    assert stems("border \"export control\"") is None
    assert stems("état") is None                  # a stem beyond ASCII word characters
    assert stems("border licensing") == ["border", "licens"]
    assert stems("") is None


def test_bits_and_masks_round_trip():
    mask = np.array([False, True, False, True, True])
    assert word_index.bits_of(mask) == "01011"
    assert (word_index.mask_of("01011", 5) == mask).all()
    assert word_index.bits_of(np.zeros(3, dtype=bool)) is None
    assert not word_index.mask_of(None, 3).any()


def test_an_empty_store_indexes_nothing():
    con = duckdb.connect()
    con.execute("create table needs (id bigint, evidence varchar)")
    index = word_index.build(con.cursor())
    assert index.words == [] and index.odd == []
    assert _both(index, con, "border") == ((None, 1), (None, 1))
