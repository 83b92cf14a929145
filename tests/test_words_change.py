"""A words change on the store's copy (``store.matching_base``): the words answered from the index
of the evidence's words, the needs a filter selects but for its words kept and masked by that
answer. The matching table must stay the direct query's, change after change (the kept
selections reused with other words), on random stores; a copy built in the background indexes
its words and runs the caller's preparation; a large copy whose index is not there yet is
answered by the SQL, with the same bits."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import pytest

from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, matching_base, store_version
from needs_tracker.store.assistance import matching_table
from needs_tracker.store.text_hits import text_hits
from test_matching_arrays import _random_rows

AS_OF = date(2026, 6, 1)
# Words changes in a row, alone and with other filters, so each selection kept is met again with
# other words (and words the index leaves to the SQL: a phrase).
CHANGES = [NeedFilter(text="border"), NeedFilter(text="lack"), NeedFilter(text="licen"), NeedFilter(),
           NeedFilter(text="staff border"), NeedFilter(text='"lacks border"'), NeedFilter(text="nothingmatches"),
           NeedFilter(text="border", year_from=2015), NeedFilter(text="lack", year_from=2015),
           NeedFilter(text="lack", states=("KAZ", "TJK")), NeedFilter(text="licen", categories=("licensing",))]


@pytest.mark.parametrize("seed", range(6))
def test_words_changes_give_the_direct_querys_table_on_random_stores(tmp_path, seed):
    location = build_store(tmp_path / "random.duckdb")
    _random_rows(location, seed)
    with connect(location) as con:
        base = matching_base.build(con)
        for f in [*CHANGES, *reversed(CHANGES)]:
            got = matching_base.matching_table(base, f, as_of=AS_OF)
            pd.testing.assert_frame_equal(got, matching_table(con, f, as_of=AS_OF), obj=repr(f))
    assert base.words is not None  # a small copy indexes its words at its first words change


def test_an_answer_older_than_a_need_does_not_select_it(tmp_path):
    """Bits sized before a need was added leave it out, as the SQL's bit test does."""
    location = build_store(tmp_path / "store.duckdb")
    add_assistance(location)
    with connect(location) as con:
        base = matching_base.build(con)
    f = NeedFilter(text="lack")
    bits, size = matching_base.text_hits(base, f)
    assert bits is not None and "1" in bits[:-1]
    older = f.with_text_hits(bits[:-1], size - 1)  # the newest need is beyond this answer
    rows = sorted(matching_base.aggregate_rows(base, older)[1], key=lambda r: (r[0], r[1]))
    assert rows == sorted(matching_base.aggregate_rows_sql(base, older)[1], key=lambda r: (r[0], r[1]))


def test_a_copy_built_in_the_background_indexes_its_words_then_runs_the_preparation(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    add_assistance(location)
    prepared = []
    bases = matching_base.Bases(then=lambda base: prepared.append(base.words))
    version = store_version(location)
    base = bases.prepare(location, version, lambda: connect(location)).result(timeout=60)
    for _ in range(600):  # the index and the preparation follow the copy on its thread
        if prepared:
            break
        time.sleep(0.05)
    assert prepared == [base.words] and base.words is not None
    with connect(location) as con:
        for words in ("lack", "border control", "licens"):
            assert matching_base.text_hits(base, NeedFilter(text=words)) == text_hits(con, NeedFilter(text=words))


def test_a_large_copy_without_its_index_yet_is_answered_by_the_sql(tmp_path, monkeypatch):
    location = build_store(tmp_path / "store.duckdb")
    with connect(location) as con:
        base = matching_base.build(con)
        monkeypatch.setattr(matching_base, "BUILD_AT_ONCE_BELOW", 0)  # as if this copy were large
        f = NeedFilter(text="lack")
        assert matching_base.text_hits(base, f) == text_hits(con, f)
        assert base.words is None  # not built by a read: the copy's thread builds it
        base.index_words()
        assert base.words is not None and matching_base.text_hits(base, f) == text_hits(con, f)


def test_a_copy_keeps_the_needs_of_a_few_filters_only(tmp_path):
    """The needs a filter selects are kept per filter (50 bytes a need): only the last few."""
    from needs_tracker.store import matching_arrays

    location = build_store(tmp_path / "store.duckdb")
    add_assistance(location)
    with connect(location) as con:
        base = matching_base.build(con)
        for year in range(2000, 2012):
            f = NeedFilter(text="lack", year_from=year)
            pd.testing.assert_frame_equal(matching_base.matching_table(base, f, as_of=AS_OF),
                                          matching_table(con, f, as_of=AS_OF))
    fix = matching_arrays.fixed(base)
    needs = [k for k in fix._selected if k in fix._needs]
    assert len(needs) == matching_arrays.KEEP_NEEDS and fix._needs == set(needs)
    assert len(fix._selected) - len(needs) <= matching_arrays.KEEP_OTHERS
