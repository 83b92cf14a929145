"""The store's read tables in a private in-memory DuckDB, read once per store version, with the
filter-independent inputs of the matching table built from them: a filter change then only
filters and aggregates, on tables already in memory, without opening the store.

A dashboard cache miss used to open the store (tens of ms, and a cold buffer pool) and, on the
Matching page and the gap finder, rebuild the matching table's four inputs from the store's
tables: the needs through ``need_facts`` (five joins), each state's later events (every
participation × every topic, with the event of each source), the offers unnested per recipient
with their event. None of that depends on the filter. ``build`` copies the tables the viewers'
pages read (``REPLICA``: the documents without their text) and materialises those inputs once
(``BASE_SQL``: ``m_needs``, ``m_requests``, ``m_offers``, ``m_events``). ``matching_table`` computes
the same aggregation (``matching_aggregate``'s, with numpy: ``matching_arrays``) over them, with the
filter applied exactly where ``store.assistance.matching_table`` applies it, and returns the same
table; the named reads of ``store.reads`` and ``store.assistance`` run unchanged on ``reader()``, the
tables having the store's names and ``need_facts`` built once as a table (``tests/test_matching_base.py`` checks
both against the store, filter by filter).

The copy is in memory, not a connection to the store file: the dashboard never holds the file
(an ingest may need it). It is as old as the store version it was read at; the caller keys it on
``store.store_version()`` (``ui.reads``), so any write to the store makes a new one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date

import duckdb
import pandas as pd

from . import matching_arrays, overview_arrays, word_index
from .matching_aggregate import AGGREGATE_CTES, AGGREGATE_SELECT, finish_table
from .reads import NEED_FACTS
from .text_hits import text_hits as store_text_hits
from .vocab import LinkedBy, NeedStatus, ParticipantStatus, WorkshopKind, sql_value

log = logging.getLogger(__name__)

_REJECTED = sql_value(NeedStatus.REJECTED)
_P_REJECTED = sql_value(ParticipantStatus.REJECTED)
_REGISTER = sql_value(WorkshopKind.ASSISTANCE_REQUESTS)
_SOURCE_JOIN = "left join workshop_sources s on s.workshop_id = {w} and s.linked_by <> " + sql_value(LinkedBy.SPLIT)

# The store's tables as the viewers' reads use them, copied as they are (the documents without
# their text, which only a workshop's page shows, read from the store).
REPLICA = {name: f"select * from {name}" for name in (
    "needs", "workshops", "states", "workshop_sources", "workshop_organisations", "participation", "topics",
    "requests", "offers")} | {"documents": "select * exclude (text) from documents"}

# ``need_facts`` (every need with its workshop, state and event: ``store.reads.NEED_FACTS``, five
# joins) as a table, so that a read on the copy (``MatchingBase.reader``) filters it instead of
# joining the five tables again for each of a page's reads.
# It costs memory (about 40 MB at 100,000 needs, ten times that at 1,000,000), so a large store's
# copy does without it: its reads define ``need_facts`` over the copied tables, as on the store.
FACTS_SQL = f"create table need_facts as with {NEED_FACTS} select * from need_facts"
FACTS_KEPT_BELOW = 300_000  # needs

# Each matching input, built from the copies: the same rows ``store.assistance.matching_table``
# builds in its CTEs before any filter, with the columns its filter clauses test.
BASE_SQL = {
    # Every need (one row each: need_facts' joins are on keys) with the columns a NeedFilter tests
    # but its words (answered by ``text_hits`` first); a register's items are requests, so the
    # matching leaves out ``register`` rows.
    "m_needs": f"""with {NEED_FACTS}
        select f.need_id, f.state_iso3, f.category, f.year, f.status, f.region, f.subregion, f.workshop_id,
               f.event_id, w.kind = {_REGISTER} as register
        from need_facts f join workshops w on w.id = f.workshop_id""",
    "m_requests": f"""
        select r.state_iso3, r.category, year(r.requested_on) as year,
               strftime(r.requested_on, '%Y-%m-%d') as day
        from requests r where r.status <> {_REJECTED}""",
    "m_offers": f"""
        select unnest(o.recipients_iso3) as state_iso3, o.category, o.provider, o.recipients_kind as given_to,
               coalesce(w.year, year(w.start_date)) as year, coalesce(s.event_id, w.id) as workshop_id,
               o.provider_iso3
        from offers o join workshops w on w.id = o.workshop_id {_SOURCE_JOIN.format(w='w.id')}
        where o.status <> {_REJECTED}""",
    "m_events": f"""
        select distinct p.state_iso3, t.category, coalesce(w.year, year(w.start_date)) as year,
               coalesce(s.event_id, w.id) as workshop_id
        from participation p join workshops w on w.id = p.workshop_id join topics t on t.workshop_id = w.id
        {_SOURCE_JOIN.format(w='w.id')} where p.status <> {_P_REJECTED} and w.kind <> {_REGISTER}""",
}


class Bases:
    """The base of each store location's current version, built on a background thread.

    The first read of a version does not wait for its base (about 0.2 s at 100,000 needs, 2 s at
    1,000,000, on top of a first page): it is answered by the direct query, and ``prepare`` then
    builds the base while the page draws, for the filter changes that follow. A newer version
    replaces the older base (it would answer with rows the store no longer has), but an older
    version never replaces the base of the store's current one: a part of a page rerun on its own
    (a fragment) asks with the version its page was drawn at, which another writer may have made
    old since (see ``_outdated``). Only the ``KEEP`` most recently built locations are held: a
    process that reads many stores in turn (a test run, a server pointed at another store) must
    not keep a copy of each."""

    KEEP = 2

    def __init__(self, delay: float = 0.0, current_version: Callable[[str], str] | None = None,
                 then: Callable[[MatchingBase], None] | None = None) -> None:
        """``delay``: seconds to wait before a build starts, so that it does not compete for the
        CPU with the first page it follows while that page is still being drawn.
        ``current_version(location)``: the store's version now (``connection.store_version``).
        ``then(base)``: run on the build's thread once the base is ready and its words indexed, to
        prepare what a first filter change would otherwise build (``ui.reads``)."""
        from .connection import store_version

        self._then = then
        self._lock = threading.Lock()
        self._by_location: dict[str, tuple[str, Future, threading.Timer | None]] = {}
        self._delay = float(delay)
        self._current_version = current_version or store_version

    def _outdated(self, location: str, version: str) -> tuple[str, Future, threading.Timer | None] | None:
        """The held base of ``location`` when ``version`` must not replace it: the held one is of
        the store's version now and ``version`` is another (older: the store no longer has it).
        Versions are ``mtime:size:wal`` tokens, not ordered (a store restored from a backup has an
        older mtime and is still new), so the store is asked which one it is now: one stat, only
        when a read asks for another version than the one held (called with the lock held)."""
        held = self._by_location.get(location)
        if held is None or held[0] == version or _failed(held[1]):
            return None
        return held if held[0] == self._current_version(location) != version else None

    def ready(self, location: str, version: str) -> MatchingBase | None:
        """The base of ``version``, or None while it is not built (or its build failed: the
        direct query then answers, and says what is wrong with the store)."""
        with self._lock:
            held = self._by_location.get(location)
        if held is None or held[0] != version or not held[1].done() or _failed(held[1]):
            return None
        return held[1].result()

    def build_now(self, location: str, version: str, con: duckdb.DuckDBPyConnection) -> MatchingBase:
        """Build the base of ``version`` at once on ``con`` (a small store: tens of ms), keeping it
        unless the base of a newer version is held (then it answers this read only)."""
        base = build(con, name=copy_name(location, version))
        future: Future = Future()
        future.set_result(base)
        with self._lock:
            if self._outdated(location, version) is None:
                self._hold(location, version, future, None)
        return base

    def _hold(self, location: str, version: str, future: Future, timer: threading.Timer | None) -> None:
        """Keep ``future`` as ``location``'s base, dropping the least recently built beyond ``KEEP``;
        a dropped build that has not started is cancelled (called with the lock held)."""
        dropped = [self._by_location.pop(location, None)]
        self._by_location[location] = (version, future, timer)  # dicts keep insertion order: newest last
        while len(self._by_location) > self.KEEP:
            dropped.append(self._by_location.pop(next(iter(self._by_location))))
        for held in dropped:
            if held is not None and held[2] is not None:
                held[2].cancel()  # a version written over while it waited: nobody will ask for it
                held[1].cancel()  # (a running or finished build is left to end)

    def prepare(self, location: str, version: str, open_store: Callable) -> Future:
        """Start building the base of ``version`` (once) with a connection from ``open_store()``
        (a context manager), dropping any older one; the build's future. For a version older
        than the held base of the store's current version, nothing is built: that base's future."""
        future: Future = Future()

        def run() -> None:
            with self._lock:
                current = self._by_location.get(location)
            if current is None or current[1] is not future:  # replaced before it started
                future.cancel()
                return
            try:
                with open_store() as con:
                    base = build(con, name=copy_name(location, version))
            except BaseException as exc:  # kept in the future: ``ready`` then says None
                future.set_exception(exc)
                return
            future.set_result(base)
            self._warm_up(base)

        # Not a daemon: at exit Python waits for a build to end (seconds at most) instead of
        # stopping its thread inside DuckDB, which aborts the process.
        timer = threading.Timer(self._delay, run)
        timer.name, timer.daemon = "matching-base", False
        with self._lock:
            held = self._by_location.get(location)
            if held is not None and held[0] == version and not _failed(held[1]):  # a failed build is tried again
                return held[1]
            newer = self._outdated(location, version)
            if newer is not None:
                return newer[1]
            self._hold(location, version, future, timer)
        timer.start()
        return future

    def _warm_up(self, base: MatchingBase) -> None:
        """On the build's thread, once the base is ready: what the first filter changes would
        otherwise build, each step on its own. A step that fails costs only its own speed-up (its
        reads are then answered by SQL, or it is built by its first use); any error but DuckDB's
        or a lack of memory (expected on a large or odd store, and quiet) is logged in one line
        naming the copy, and the steps after it still run."""
        steps = [("the index of the evidence's words", base.index_words),  # words changes find it built
                 ("the overview's arrays", lambda: overview_arrays.facts(base))]  # codes and orders (or None)
        if self._then is not None:
            steps.append(("the pages' first reads", lambda: self._then(base)))
        for what, step in steps:
            try:
                step()
            except (duckdb.Error, MemoryError):
                pass
            except Exception as exc:  # noqa: BLE001 - a warm-up step must not end the thread before the next
                log.warning("%s: building %s failed (%s: %s); its reads go through SQL", base.name, what,
                            type(exc).__name__, " ".join(str(exc).split()))


def copy_name(location: str, version: str) -> str:
    """How a log line names the copy of one store version."""
    return f"the copy in memory of {location} (version {version})"


def _failed(future: Future) -> bool:
    return future.done() and (future.cancelled() or future.exception() is not None)


# Below this many needs the base is built at once by the first read that wants it (tens of ms, no
# thread); above, that read is answered by the store and the base built in the background.
BUILD_AT_ONCE_BELOW = 20_000


def is_small(con: duckdb.DuckDBPyConnection) -> bool:
    return con.cursor().execute("select count(*) from needs").fetchall()[0][0] < BUILD_AT_ONCE_BELOW


class MatchingBase:
    """The base tables of one store version in a private in-memory DuckDB. Each query takes its
    own cursor, so sessions on several threads may share one base."""

    def __init__(self, mem: duckdb.DuckDBPyConnection, needs: int, has_need_facts: bool = False,
                 name: str = "a copy of the store in memory") -> None:
        self.name = name  # for log lines: which store and version it copies (``copy_name``)
        self._mem = mem
        self._lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._index_failed = False
        self.needs = needs
        self.has_need_facts = has_need_facts  # ``need_facts`` is a table of the copy (``FACTS_KEPT_BELOW``)
        self.words: word_index.WordIndex | None = None  # the evidence's words, once indexed (``index_words``)

    def index_words(self) -> word_index.WordIndex | None:
        """Build the index of the evidence's words (``store.word_index``), once; None if that fails
        (the words are then answered by their SQL, as before: a slower answer, never a wrong one).
        A DuckDB error or a lack of memory is expected on a large or odd store and quiet; any other
        error is logged in one line naming the copy (a small store's index is built on the page's own
        thread, by its first words change: no traceback may reach the page)."""
        with self._index_lock:
            if self.words is None and not self._index_failed:
                try:
                    self.words = word_index.build(self.cursor())
                except (duckdb.Error, MemoryError):
                    self._index_failed = True  # not tried again for this copy
                except Exception as exc:  # noqa: BLE001 - the SQL answers the words instead; one line says why
                    self._index_failed = True
                    log.warning("%s: building the index of the evidence's words failed (%s: %s); its words are "
                                "read through SQL", self.name, type(exc).__name__, " ".join(str(exc).split()))
            return self.words

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # creating cursors is the one use of the shared connection itself
            return self._mem.cursor()

    def reader(self) -> FactsReader:
        """The copy as the named reads of ``store.reads`` and ``store.assistance`` take a store
        connection: the same tables (the documents without their text), ``need_facts`` a table."""
        return FactsReader(self)


class FactsReader:
    """A connection-like view of a base for the store's read functions, which only ever call
    ``con.cursor()``. ``has_need_facts`` tells ``store.reads`` to filter the ``need_facts`` table
    rather than define it as a query over five tables (when the copy has it: ``FACTS_KEPT_BELOW``)."""

    def __init__(self, base: MatchingBase) -> None:
        self._base = base
        self.has_need_facts = base.has_need_facts

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._base.cursor()


# The aggregation groups and joins on (state, gap) a dozen times: as small integers (``s_no``,
# ``c_no``, numbered here once) that costs about half as much as on the strings, which the
# filter's clauses still test. The numbers sort as the codes do, and are turned back at the end.
_CODES = """
create table state_codes as
    select iso3, row_number() over (order by iso3)::integer as no from (
        select state_iso3 as iso3 from m_needs union select state_iso3 from m_requests
        union select state_iso3 from m_offers union select state_iso3 from m_events) where iso3 is not null;
create table category_codes as
    select category, row_number() over (order by category)::integer as no from (
        select category from m_needs union select category from m_requests
        union select category from m_offers union select category from m_events) where category is not null;
"""


def build(con: duckdb.DuckDBPyConnection, name: str = "a copy of the store in memory") -> MatchingBase:
    """Read the base tables from the store connection ``con`` into a new in-memory DuckDB;
    ``name``: how log lines name the copy (``copy_name``)."""
    mem = duckdb.connect(":memory:")
    for table, sql in REPLICA.items():
        mem.register("incoming", con.cursor().sql(sql).to_arrow_table())
        mem.execute(f"create table {table} as select * from incoming")
        mem.unregister("incoming")
    facts = mem.execute("select count(*) from needs").fetchall()[0][0] < FACTS_KEPT_BELOW
    if facts:
        mem.execute(FACTS_SQL)
    for table, sql in BASE_SQL.items():
        mem.execute(f"create table {table} as {sql}")
    mem.execute(_CODES)
    for table in ("m_needs", "m_requests", "m_offers", "m_events"):
        mem.execute(f"""create or replace table {table} as
            select t.*, s.no as s_no, c.no as c_no from {table} t
            left join state_codes s on s.iso3 = t.state_iso3 left join category_codes c on c.category = t.category""")
    needs = mem.execute("select count(*) from m_needs").fetchall()[0][0]
    return MatchingBase(mem, int(needs), facts, name)


def text_hits(base: MatchingBase, f) -> tuple[str | None, int]:
    """``store.text_hits.text_hits`` answered from the copy of the needs: the same bits, without
    opening the store; from the index of the evidence's words (``store.word_index``: well under a
    millisecond instead of 7-40 at 100,000 needs) when it is built and can answer these words.
    A small store's index is built by its first words change (tens of ms); a large one's is built
    on the copy's background thread, and until it is there the SQL answers."""
    index = base.words
    if index is None and base.needs < BUILD_AT_ONCE_BELOW:
        index = base.index_words()
    if index is not None:
        answer = word_index.hits(index, base.cursor(), f)
        if answer is not None:
            return answer
    return store_text_hits(base.cursor(), f)


def matching_table(base: MatchingBase, f, as_of: date | None = None) -> pd.DataFrame:
    """``store.assistance.matching_table(con, f, as_of)`` over the base: the same columns, rows
    and order."""
    hits = f.__dict__.get("_text_hits")  # (words, bits, size): NeedFilter.with_text_hits (the store is below it)
    if f.text and (hits is None or hits[0] != f.text):  # m_needs has no sentences: the words are answered first
        f = f.with_text_hits(*text_hits(base, f))
    columns, rows = aggregate_rows(base, f)
    return finish_table(columns, rows, f, as_of)


def _filters(f) -> tuple[tuple[str, list], tuple[str, list], tuple[str, list]]:
    """The conditions on the needs (``m_needs f``), requests (``m_requests r``) and offers
    (``m_offers o``) of filter ``f``, and their parameters: the needs by the whole filter; requests
    by state, gap and year; offers by gap and year only (their state column is the recipient, and
    the filter's state clauses would test the provider)."""
    return (f.where("f"), f.where_columns(state="r.state_iso3", category="r.category", year="r.year"),
            f.with_(states=(), regions=(), subregions=()).where_columns(
                state="o.provider_iso3", category="o.category", year="o.year"))


def aggregate_rows(base: MatchingBase, f) -> tuple[list[str], list[tuple]]:
    """The aggregate's columns and rows (``AGGREGATE_SELECT``'s, unordered) over the base under
    ``f``: SQL selects each input's filtered rows as ``aggregate_rows_sql`` filters them, but the
    needs without the words' clause, which is applied as a mask of the words' answer (the same
    bit per need the clause tests); ``matching_arrays`` groups them. A words change thus runs no
    SQL: every selection is kept per filter but its words."""
    if f.text and f.__dict__.get("_text_hits", (None,))[0] != f.text:
        f = f.with_text_hits(*text_hits(base, f))
    words = None
    if f.text:
        _, bits, size = f.__dict__["_text_hits"]
        words = word_index.mask_of(bits, size)
    (where, params), (where_r, params_r), (where_o, params_o) = _filters(f.with_(text=None))
    null = matching_arrays.NULL
    return matching_arrays.aggregate(
        base,
        f"""select f.need_id, f.s_no, f.c_no, coalesce(f.year, {null}) as year, coalesce(f.event_id, {null}) as event
            from m_needs f where not f.register and {where} and f.s_no is not null and f.c_no is not null""",
        params, words,
        f"""select r.s_no, r.c_no, r.year, r.day from m_requests r
            where {where_r} and r.s_no is not null and r.c_no is not null""", params_r,
        f"""select o.s_no, o.c_no, o.provider, o.given_to, o.year, o.workshop_id from m_offers o
            where {where_o} and o.s_no is not null and o.c_no is not null""", params_o)


def aggregate_rows_sql(base: MatchingBase, f) -> tuple[list[str], list[tuple]]:
    """The aggregate's columns and rows as ``AGGREGATE_SELECT`` gives them, over the base under
    ``f`` (its words answered already: ``with_text_hits``), in SQL: what ``aggregate_rows``
    computes faster, kept as the reference the tests compare it with. Each input is filtered as
    the direct path filters it (``_filters``)."""
    (where, params), (where_r, params_r), (where_o, params_o) = _filters(f)
    sql = f"""with
    needs as (select f.s_no as state_iso3, f.c_no as category, f.year, f.event_id as workshop_id from m_needs f
              where not f.register and {where}),
    requests as (select r.s_no as state_iso3, r.c_no as category, r.year, r.day from m_requests r where {where_r}),
    offers as (select o.s_no as state_iso3, o.c_no as category, o.provider, o.given_to, o.year, o.workshop_id
               from m_offers o where {where_o}),
    events as (select s_no as state_iso3, c_no as category, year, workshop_id from m_events),
    {AGGREGATE_CTES}, coded as ({AGGREGATE_SELECT})
    select s.iso3 as state_iso3, c.category, x.* exclude (state_iso3, category)
    from coded x join state_codes s on s.no = x.state_iso3 join category_codes c on c.no = x.category"""
    result = base.cursor().execute(sql, params + params_r + params_o)
    return [d[0] for d in result.description], result.fetchall()
