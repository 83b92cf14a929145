"""Cached reads for the pages: a query function of ``needs_tracker.store.reads`` (or the editor
pages' reads) called on a short-lived connection and cached by the function, its arguments —
the frozen ``NeedFilter`` itself among them — and the store's version.

A words filter is answered once per (words, store version) (``store.text_hits``) and every
read of a change tests that answer instead of running the words' expression again.

The dashboard never keeps a DuckDB connection open (a CLI ingest may need the file). The
store's version is read once per run (one ``stat``, by ``ui.app``), so caches refresh after
an ingest and a rerun that changes nothing repeats no query and opens nothing.

After the first read of a store version, a copy of its tables in memory is built on a background
thread (``store.matching_base``): the overview's reads (``read_many``), the matching table
(``matching``) and a row's evidence (``read_all``) then run on it, so a filter change or a row
opened opens no connection, finds its tables warm and filters ``need_facts`` without its joins.
"""

from __future__ import annotations

import functools
import gc
import types
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from needs_tracker import config
from needs_tracker.filters import NeedFilter
from needs_tracker.store import assistance, connection, matching_base
from needs_tracker.store.text_hits import text_hits

STORE_KEY = "nt_store_key"
FILTER_STATE_KEY = "nt_filter"


def _prepare(base: matching_base.MatchingBase) -> None:
    """Read once, right after a copy is built (on its thread), what a first filter change on Matching or
    the Gap finder would otherwise read then: the aggregate's fixed inputs and the unfiltered needs,
    requests and offers (at 100,000 needs about 45 ms a first words change no longer pays).

    Then, once per process, the objects alive by now (the modules of Streamlit, pandas, plotly, the
    app's own, about 175,000 tracked by the garbage collector) are frozen out of its full
    collections: a filter change makes tens of thousands of small lists and dicts (the matching
    table's cells), which every few changes set off a full collection that walked all of them,
    about 90 ms inside one rerun (6-15 ms once they are frozen, measured in AppTest). Frozen objects
    are still freed when nothing refers to them; only a cycle among them would be kept."""
    matching_base.aggregate_rows(base, NeedFilter())
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.freeze()


_FROZEN = False  # gc.freeze() done (once per process)
# The store's copy in memory of each location's current version (store.matching_base), one per
# process: every session reads the same store.
_BASES = matching_base.Bases(delay=3.0, then=_prepare)  # after the first page has drawn
# A query function is part of a cache key by its name (its code is ours, not user input).
_BY_NAME = {types.FunctionType: lambda fn: f"{fn.__module__}.{fn.__qualname__}"}


def read_store_key(location: str | None = None) -> tuple[str, str]:
    """Look at the store (one stat) and remember its location and version for the rest of this
    run (``ui.app`` calls it first thing in every run; ``location``: the one it already found)."""
    location = location or config.db_location()
    key = (location, connection.store_version(location))
    st.session_state[STORE_KEY] = key
    return key


def store_key() -> tuple[str, str]:
    """The store's (location, version) as read at the start of this run; caches key on it.

    Taken as read, not looked up again: finding the location stats the file system (a snapshot's
    manifest), and a page asks for the key once per read, figure and download row, so checking
    it each time cost a page about ten stats a run (10 ms of a loaded machine's filter change). A
    part of a page rerun on its own (a fragment) keeps the key of the run that drew the page."""
    key = st.session_state.get(STORE_KEY)
    if key:
        return key
    location = config.db_location()
    return location, connection.store_version(location)


def current_filter() -> NeedFilter:
    """The filter the sidebar built on this run (the empty filter on pages without it)."""
    return st.session_state.get(FILTER_STATE_KEY) or NeedFilter()


@st.cache_data(show_spinner=False, max_entries=64)
def _text_hits(store: tuple[str, str], text: str, _answer: Callable) -> tuple[str | None, int]:
    return _answer(NeedFilter(text=text))


def answered_filters(values: tuple, store: tuple[str, str], con,
                     base: matching_base.MatchingBase | None = None) -> tuple:
    """``values`` (a read's arguments) with each ``NeedFilter`` that has words given its words'
    answer (``NeedFilter.with_text_hits``), so the read tests one bit per need instead of running
    the words' expression again; other values are passed through as they are.

    The answer is found once per (words, ``store`` version) and shared by every read and session:
    from the store's copy ``base`` when there is one (its index of words: ``store.word_index``),
    else by one scan of the evidence on the store connection ``con``. Call it with the connection or
    copy the read itself runs on, so the answer and the rows it selects are of the same version."""
    answer = functools.partial(text_hits, con) if base is None else functools.partial(matching_base.text_hits, base)
    return tuple(v.with_text_hits(*_text_hits(store, v.text, answer))
                 if isinstance(v, NeedFilter) and v.text else v for v in values)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_BY_NAME)
def _read(fn: Callable, store: tuple[str, str], args: tuple, kwargs: tuple) -> Any:
    with connection.connect(store[0]) as con:
        return fn(con, *answered_filters(args, store, con), **dict(kwargs))


def read(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(con, *args, **kwargs)``, cached by (fn, arguments, store version)."""
    return _read(fn, store_key(), args, tuple(sorted(kwargs.items())))


def on_copy_or_store(store: tuple[str, str], on_base: Callable, on_store: Callable) -> Any:
    """Answer one cached read from the copy of ``store`` (its (location, version)) in memory when
    there is one, else from the store file: the one place that decides which, for every read that
    can run on the copy (``read_many``, ``read_all``, ``matching``, ``ui.overview_reads``).

    ``on_base(base)`` runs on the copy (``store.matching_base.MatchingBase``) once it is built;
    before that, a small store's copy is built at once (tens of ms) and ``on_base`` runs on it, and
    a large one's read is answered by ``on_store(con)`` on a short-lived store connection while its
    copy is built in the background for the reads that follow. Both must give the same answer."""
    base = _BASES.ready(*store)
    if base is not None:  # the store's tables, already in memory: no connection to open
        return on_base(base)
    with connection.connect(store[0]) as con:
        if matching_base.is_small(con):
            return on_base(_BASES.build_now(*store, con))
        got = on_store(con)
    _BASES.prepare(*store, functools.partial(connection.connect, store[0]))
    return got


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=_BY_NAME)
def _read_many(fns: tuple[Callable, ...], f: NeedFilter, store: tuple[str, str]) -> tuple:
    def on(con, base=None) -> tuple:
        (answered,) = answered_filters((f,), store, con, base)
        return tuple(fn(con, answered) for fn in fns)

    return on_copy_or_store(store, lambda base: on(base.reader(), base), on)


def read_many(f: NeedFilter, *fns: Callable) -> tuple:
    """Several filtered reads of ``store.reads`` on one connection (the overview's draw): after
    the first read of a store version, on its copy in memory (``store.matching_base``), so a
    filter change opens nothing."""
    return _read_many(tuple(fns), f, store_key())


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=_BY_NAME)
def _read_all(calls: tuple, store: tuple[str, str]) -> tuple:
    def on(con, base=None) -> tuple:
        return tuple(fn(con, *answered_filters(tuple(args), store, con, base)) for fn, *args in calls)

    return on_copy_or_store(store, lambda base: on(base.reader(), base), on)


def read_all(*calls: tuple) -> tuple:
    """Several reads, each ``(fn, *args)``, on one connection: after the first read of a store
    version on its copy in memory (``store.matching_base``: a row's evidence then opens nothing;
    opening the store costs tens of ms), before that on the store. Each ``fn`` must read only
    what the copy holds: every table the viewers' pages read, not a document's text."""
    return _read_all(tuple(calls), store_key())


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_BY_NAME)
def _figure(builder: Callable, store: tuple[str, str], key: tuple, kwargs: tuple, _df: pd.DataFrame):
    return builder(_df, **dict(kwargs))


def figure(builder: Callable, df: pd.DataFrame, *key: Any, **kwargs: Any):
    """``builder(df, **kwargs)`` built once per (``key``, store version, kwargs): a figure, or
    any other object made from a frame (the Matching page's shown table).

    ``key`` must say what ``df`` was read for (the filter, the state…): ``df`` itself is not
    hashed. The result is shared, never changed: st.plotly_chart copies a figure to draw it."""
    return _figure(builder, store_key(), tuple(key), tuple(sorted(kwargs.items())), df)


def arrow_table(df: pd.DataFrame):
    """``df`` as the Arrow table ``st.dataframe`` sends, for ``figure``: a table page's rows converted
    once per (filter, choice) instead of on every run that draws them again (a row opened reruns
    the table's fragment, which converted the same 2,000 rows from pandas each time)."""
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _matching(store: tuple[str, str], f: NeedFilter) -> pd.DataFrame:
    def on_base(base: matching_base.MatchingBase) -> pd.DataFrame:
        (g,) = answered_filters((f,), store, None, base)  # the same answer as the store's, shared with the other pages
        return matching_base.matching_table(base, g)

    return on_copy_or_store(store, on_base,
                            lambda con: assistance.matching_table(con, *answered_filters((f,), store, con)))


def matching(f: NeedFilter) -> pd.DataFrame:
    """The matching table under ``f`` (``store.assistance.matching_table``'s rows). After the
    first read of a store version, from its filter-independent inputs read once
    (``store.matching_base``): a filter change then only filters and aggregates, and opens no
    connection. Shared like ``shared``: never change it."""
    return _matching(store_key(), f)
