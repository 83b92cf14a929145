"""A words filter answered once (``store.text_hits``) selects exactly what the words' expression
selects, in every filtered read, and the answer never leaks into equality, the URL or a changed
filter's words."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from fixture_store import build_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads
from needs_tracker.store.assistance import matching_table
from needs_tracker.store.text_hits import text_hits

WORDS = ["border control", "licens", '"export control law"', "lack", "Kazakhstan training", "nothingmatches", "!!"]


def _filtered_reads():
    """Every read of store.reads whose arguments are (con, f), and the matching table."""
    found = [fn for name, fn in vars(reads).items()
             if inspect.isfunction(fn) and fn.__module__ == reads.__name__ and not name.startswith("_")
             and list(inspect.signature(fn).parameters)[:2] == ["con", "f"]
             and all(p.default is not inspect.Parameter.empty
                     for p in list(inspect.signature(fn).parameters.values())[2:])]
    return [*found, matching_table, lambda con, f: reads.state_timeline(con, f, "KAZ"),
            lambda con, f: reads.needs_page(con, f, 3), lambda con, f: reads.search_sentences(con, f, 5),
            lambda con, f: reads.brief_pairs(con, f, 2)]


@pytest.fixture(scope="module")
def location(tmp_path_factory) -> str:
    return build_store(tmp_path_factory.mktemp("hits") / "store.duckdb")


def _same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, tuple):
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("words", WORDS)
def test_every_filtered_read_gives_the_same_rows_with_the_answer(location, words):
    assert len(_filtered_reads()) >= 15  # counts, heatmap, by_state, ..., the matching table
    with connect(location) as con:
        for base in (NeedFilter(text=words), NeedFilter(text=words, states=("KAZ",), year_from=2012)):
            answered = base.with_text_hits(*text_hits(con, base))
            assert "regexp_matches" not in answered.where("f")[0]
            for fn in _filtered_reads():
                _same(fn(con, base), fn(con, answered))


def test_the_answer_is_one_bit_per_need(location):
    with connect(location) as con:
        bits, size = text_hits(con, NeedFilter(text="licens"))
        ids = {r[0] for r in con.execute(
            "select id from needs where regexp_matches(evidence, '(?i)\\blicens')").fetchall()}
        none, _ = text_hits(con, NeedFilter(text="nothingmatches"))
    assert {i for i, b in enumerate(bits) if b == "1"} == ids and len(bits) == size and len(ids) == 3
    assert none is None


def test_the_answer_is_not_part_of_the_filter():
    f = NeedFilter(text="licens", states=("KAZ",))
    answered = f.with_text_hits("0101", 4)
    assert answered == f and hash(answered) == hash(f) and answered.to_query_params() == f.to_query_params()
    assert answered.with_(states=("KGZ",)).where("f")[1][-1] == "0101"  # kept while the words stay
    assert "regexp_matches" in answered.with_(text="border").where("f")[0]  # other words: asked again
    assert "regexp_matches" in answered.with_(text=None).with_(text="licens").where("f")[0]
