"""The overview's five reads under one filter, cached like ``ui.reads.read_many`` (by filter and store
version, shared by every session), answered from the store's copy in memory with numpy
(``store.overview_arrays``) once the copy is built: a words or region change then runs at most one
SQL scan (the needs a filter selects but for its words, kept per filter) instead of five grouped
reads. Before the copy exists, and for a copy too large to hold ``need_facts`` as a table, the SQL
reads answer, exactly as ``read_many`` did; both give the same frames (``tests/test_overview_arrays.py``).
"""

from __future__ import annotations

import streamlit as st

from needs_tracker.filters import NeedFilter
from needs_tracker.store import overview_arrays, reads
from needs_tracker.ui.reads import answered_filters, on_copy_or_store, store_key

READS = (reads.counts, reads.heatmap, reads.by_state, reads.by_year, reads.by_year_summary)


@st.cache_data(show_spinner=False, max_entries=128)
def _overview(f: NeedFilter, store: tuple[str, str]) -> tuple:
    def on_store(con, base=None) -> tuple:
        (answered,) = answered_filters((f,), store, con, base)
        return tuple(fn(con, answered) for fn in READS)

    def on_base(base) -> tuple:
        (answered,) = answered_filters((f,), store, None, base)
        got = overview_arrays.overview(base, answered, tuple(fn.__name__ for fn in READS))
        return on_store(base.reader(), base) if got is None else got

    return on_copy_or_store(store, on_base, on_store)


def overview_reads(f: NeedFilter) -> tuple:
    """(counts, heatmap, by_state, by_year, by_year_summary) of ``store.reads`` under ``f``."""
    return _overview(f, store_key())
