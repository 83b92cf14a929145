"""The index of the evidence's words (``store.matching_base.MatchingBase.index_words``) failing with an error
other than DuckDB's or a lack of memory: one log line names the copy and the error, the index is not tried
again, and the words are answered by their SQL, on the page too (a small store's index is built on the page's
own thread by its first words change, so the error used to reach the page as a traceback).

The failure is a real one: a store whose ``needs`` table was rebuilt without its key holds a need with no id,
and that need's sentence has a Kelvin sign (one of ``word_index.ODD``, the characters the index leaves to the
SQL), so listing those needs' ids raises ``TypeError`` in Python. The SQL skips a need with no id, so the
words still have their answer."""

from __future__ import annotations

import functools
import logging
import re
import threading

import pytest

from apptest_helpers import app
from fixture_store import build_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, matching_base, reads, store_version
from needs_tracker.store.text_hits import text_hits as sql_text_hits

BASE_LOG = "needs_tracker.store.matching_base"
WORDS = NeedFilter(text="border")


def _store_with_a_need_without_id(path) -> str:
    """The fixture store, its ``needs`` rebuilt without the key and need 4 left with no id and a Kelvin sign."""
    location = build_store(path)
    with connect(location) as con:
        con.execute("create table needs_without_key as select * from needs")
        con.execute("drop table needs")
        con.execute("alter table needs_without_key rename to needs")
        con.execute("update needs set id = null, evidence = evidence || ' (20 \u212a)' where id = 4")
    return location


def _sql(location: str, f: NeedFilter):
    """The words' SQL answer on the store, and the counts a page reads with it (``ui.reads``)."""
    with connect(location) as con:
        hits = sql_text_hits(con, f)
        return hits, reads.counts(con, f.with_text_hits(*hits))


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == BASE_LOG]


def test_a_failing_words_index_is_logged_once_and_the_words_are_answered_by_sql(tmp_path, caplog):
    location = _store_with_a_need_without_id(tmp_path / "odd.duckdb")
    version = store_version(location)
    prepared, done = [], threading.Event()

    def then(base) -> None:  # the last warm-up step: the index's step did not end the warm-up
        prepared.append(base)
        done.set()

    bases = matching_base.Bases(then=then)
    with caplog.at_level(logging.WARNING):
        base = bases.prepare(location, version, functools.partial(connect, location)).result(timeout=60)
        assert done.wait(timeout=60), "the warm-up ended before its last step"

    assert prepared == [base]
    (line,) = _lines(caplog)
    assert re.fullmatch(re.escape(f"the copy in memory of {location} (version {version}): building the index of "
                                  "the evidence's words failed (TypeError: int() argument must be ")
                        + r"[^()]*'NoneType'\); its words are read through SQL", line), line
    (bits, size), counts = _sql(location, WORDS)
    assert bits is not None
    assert base.words is None and base.index_words() is None  # not tried again
    assert matching_base.text_hits(base, WORDS) == (bits, size)
    assert matching_base.text_hits(base, NeedFilter(text="lack")) == _sql(location, NeedFilter(text="lack"))[0]
    assert len(_lines(caplog)) == 1


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_overview_page_answers_such_a_stores_words_by_sql(isolated_store, caplog):
    location = _store_with_a_need_without_id(isolated_store)
    with caplog.at_level(logging.WARNING):
        at = app(text="border")  # a small store: its index is built by the page's words, on the page's thread
    shown = {m.label: m.value for m in at.metric}
    assert shown["Needs"] == str(_sql(location, WORDS)[1]["needs"])
    assert len([line for line in _lines(caplog) if "index of the evidence's words" in line]) == 1
