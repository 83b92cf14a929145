"""The Matching page through AppTest while its precomputed inputs (``store.matching_base``) come
and go: a small store's first read builds them at once (a large one's is the direct query, the
base then built in the background: ``tests/test_matching_base.py``), filter changes read them, and
a write to the store (a new version) shows at once."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import app
from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker import store
from needs_tracker.export.matching_format import flat_table
from needs_tracker.filters import NeedFilter
from needs_tracker.store.assistance import matching_table
from needs_tracker.ui import reads

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def shown(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Status" in d.value.columns)


def same(at: AppTest, expected: pd.DataFrame) -> None:
    """The page's table has ``expected``'s rows and cells (AppTest hands text back as strings)."""
    pd.testing.assert_frame_equal(shown(at).reset_index(drop=True), expected, check_dtype=False)


def direct(location: str, f: NeedFilter) -> pd.DataFrame:
    with store.connect(location) as con:
        return flat_table(matching_table(con, f))


def open_matching(path) -> tuple[str, str, AppTest]:
    """The Matching page on a fresh fixture store with offers and requests: (location, version, page)."""
    location = build_store(path)
    add_assistance(location)
    version = store.store_version(location)
    return location, version, app("matching")


def test_the_page_reads_the_base_and_a_write_shows_at_once(isolated_store):
    location, version, at = open_matching(isolated_store)
    same(at, direct(location, NeedFilter()))
    assert reads._BASES.ready(location, version) is not None  # a small store: built by the first read

    at.text_input(key="flt_text").set_value("licensing").run()  # answered from the base
    assert not at.exception, [e.value for e in at.exception]
    same(at, direct(location, NeedFilter(text="licensing")))
    assert ("TJK", "licensing") not in set(zip(shown(at)["ISO3"], shown(at)["Gap ID"], strict=True))

    def add_need(con):
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (2, 'TJK', 'licensing', 'Tajikistan lacks a licensing system.', 0, 10, "
                    "'f', 0.9)")

    store.write(location, add_need)
    at.run()  # the same filter, a new store version: the write is on the page
    assert not at.exception, [e.value for e in at.exception]
    rows = shown(at).set_index(["ISO3", "Gap ID"])
    assert rows.loc[("TJK", "licensing"), "Status"] == "open"
    same(at, direct(location, NeedFilter(text="licensing")))


def test_a_large_stores_first_read_is_the_direct_query_and_the_base_follows(isolated_store, monkeypatch):
    """Above ``BUILD_AT_ONCE_BELOW`` needs (lowered here to the fixture's size) the first read
    does not wait for the base: the direct query answers and the base is built in the background."""
    from needs_tracker.store import matching_base

    monkeypatch.setattr(matching_base, "BUILD_AT_ONCE_BELOW", 0)
    location, version, at = open_matching(isolated_store)
    assert reads._BASES.ready(location, version) is None  # answered without waiting (the build starts 3 s later)
    same(at, direct(location, NeedFilter()))
    built = reads._BASES.prepare(location, version, lambda: store.connect(location))  # the build under way
    assert built.result(timeout=60) is reads._BASES.ready(location, version)
    at.text_input(key="flt_text").set_value("border").run()
    assert not at.exception, [e.value for e in at.exception]
    same(at, direct(location, NeedFilter(text="border")))
