"""The store copy's background warm-up (``store.matching_base.Bases``) survives a step that fails with
an error other than DuckDB's or a lack of memory: one log line names the copy and the error, the steps
after it still run, and the overview is then read through SQL, on the page too.

The failure is a real one: a store whose ``needs.id`` (``need_facts.need_id``) holds text ("n1") where
the overview's arrays expect integers, so building them raises ``ValueError`` inside numpy. The SQL
reads do not care, so the page still has every count."""

from __future__ import annotations

import functools
import logging
import re
import threading

import pytest

from apptest_helpers import app
from fixture_store import build_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, matching_base, overview_arrays, reads, store_version

ARRAYS_LOG = "needs_tracker.store.overview_arrays"


def _store_with_text_need_ids(path) -> str:
    """The fixture store with its needs' ids rewritten as text ("n1", "n2", ...)."""
    location = build_store(path)
    with connect(location) as con:
        con.execute("create table needs_as_text as select 'n' || id::varchar as id, * exclude (id) from needs")
        con.execute("drop table needs")
        con.execute("alter table needs_as_text rename to needs")
    return location


def _sql_counts(location: str) -> dict[str, int]:
    with connect(location) as con:
        return reads.counts(con, NeedFilter())


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == ARRAYS_LOG]


def test_a_failing_overview_arrays_step_is_logged_once_and_the_warm_up_goes_on(tmp_path, caplog):
    location = _store_with_text_need_ids(tmp_path / "odd.duckdb")
    version = store_version(location)
    prepared, done = [], threading.Event()

    def then(base) -> None:  # the step after the arrays (the dashboard's first reads)
        prepared.append(base)
        done.set()

    bases = matching_base.Bases(then=then)
    with caplog.at_level(logging.WARNING):
        future = bases.prepare(location, version, functools.partial(connect, location))
        base = future.result(timeout=60)
        assert done.wait(timeout=60), "the warm-up ended before its last step"

    assert prepared == [base]
    assert bases.ready(location, version) is base
    (line,) = _lines(caplog)
    assert re.fullmatch(re.escape(f"the copy in memory of {location} (version {version}): building the overview's "
                                  "arrays failed (ValueError: invalid literal for int() with base 10: ")
                        + r"'n[0-9]+'\); its overview is read through SQL", line), line
    # not tried again: the overview is the SQL reads', with no second line
    assert overview_arrays.facts(base) is None
    assert overview_arrays.overview(base, NeedFilter()) is None
    assert reads.counts(base.reader(), NeedFilter()) == _sql_counts(location)
    assert len(_lines(caplog)) == 1


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_overview_page_reads_such_a_store_through_sql(isolated_store, caplog):
    location = _store_with_text_need_ids(isolated_store)
    with caplog.at_level(logging.WARNING):
        at = app("overview")  # a small store: its copy is built by the page's first read, on the page's thread
    shown = {m.label: m.value for m in at.metric}
    assert shown["Needs"] == str(_sql_counts(location)["needs"])
    assert len(_lines(caplog)) == 1
