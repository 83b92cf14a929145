"""The matching table from its precomputed inputs (``store.matching_base``, what the Matching page
and the gap finder read after a store version's first read) is the direct query's table
(``store.assistance.matching_table``, what the exports, briefs and CLI read), filter by filter, on
three stores: the dashboard fixture with offers and requests, the two-source event store (with a
register's need, a reviewer's split and an offer to a linked source), and a small generated
benchmark store (open, offered and taken-up pairs, same-event links, offers to all participants).
The overview's reads give the same frames on the base's copy of the store's tables. A write to
the store gives a new version, whose base is built afresh and holds the write."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from event_store import build_event_store
from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker import store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import assistance, connect, matching_base, reads, store_version
from needs_tracker.store.assistance import matching_table
from needs_tracker.store.text_hits import text_hits

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate  # noqa: E402

AS_OF = date(2026, 6, 1)
FILTERS = [
    NeedFilter(),
    NeedFilter(states=("KAZ",)),
    NeedFilter(states=("UZB", "KEN", "ALB")),
    NeedFilter(regions=("Asia",)),
    NeedFilter(subregions=("Central Asia",)),
    NeedFilter(categories=("licensing", "border_customs_control")),
    NeedFilter(year_from=2015),
    NeedFilter(year_to=2016),
    NeedFilter(year_from=2012, year_to=2018, regions=("Asia", "Europe")),
    NeedFilter(status="confirmed"),
    NeedFilter(organizer="unoda"),
    NeedFilter(organizer="Synthetic Organiser 3"),
    NeedFilter(text="lack"),
    NeedFilter(text="licensing"),
    NeedFilter(text='"export control"'),
    NeedFilter(text="nothing-matches-this"),
    NeedFilter(workshops=(1,)),
    NeedFilter(workshops=(2, 3)),
]


def _event_store(path: Path) -> str:
    """The event store, plus a need read from its register (a request, never a matching need)
    and a third 2018 Vienna source that a reviewer split off the event."""
    location = build_event_store(path)
    with connect(location) as con:
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (5, 'KEN', 'licensing', 'Kenya asks for licensing help.', 0, 10, 'f', 0.9)")
        con.execute("insert into documents (id, file_name, format, size_bytes, text) values "
                    "('doc06', 'vienna_cable.txt', 'txt', 10, 'Vienna cable.')")
        con.execute("insert into workshops (document_id, title, kind, start_date, year) values "
                    "('doc06', 'Cable, Vienna', 'workshop', date '2019-03-20', 2019)")
        con.execute("insert into participation (workshop_id, state_iso3, role) values (6, 'UZB', 'participant')")
        con.execute("insert into topics values (6, 'dual_use_identification', 'dual-use items', 0, 5)")
        con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, score, reasons) values "
                    "(6, 1, 'split', null, 'split by a reviewer')")
    return location


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("matching-base")
    assisted = build_store(folder / "assisted.duckdb")
    add_assistance(assisted)
    generated = folder / "generated.duckdb"
    generate.build_store(generated, 120, 2400)
    return {"assisted": assisted, "events": _event_store(folder / "events.duckdb"), "generated": str(generated)}


@pytest.mark.parametrize("name", ["assisted", "events", "generated"])
def test_the_base_gives_the_direct_querys_table_under_every_filter(stores, name):
    with connect(stores[name]) as con:
        base = matching_base.build(con)
        for f in FILTERS:
            direct = matching_table(con, f, as_of=AS_OF)
            pd.testing.assert_frame_equal(matching_base.matching_table(base, f, as_of=AS_OF), direct, obj=repr(f))
            if f.text:  # a words filter answered once (as the dashboard does), by the store or by the base
                hits = text_hits(con, f)
                assert matching_base.text_hits(base, f) == hits
                answered = matching_base.matching_table(base, f.with_text_hits(*hits), as_of=AS_OF)
                pd.testing.assert_frame_equal(answered, direct, obj=repr(f))


# The store's own answers, computed once per store and read expression: the two copies (with and
# without ``need_facts``) are compared with the same answers, and a filter the pairs below turn
# into one met before (a states or gaps filter becomes each pair's own) is compared once.
_ON_STORE: dict[tuple[str, str], object] = {}


def _on_store(name: str, what: str, read):
    if (name, what) not in _ON_STORE:
        _ON_STORE[(name, what)] = read()
    return _ON_STORE[(name, what)]


def _same(on_copy, on_store, what: str) -> None:
    if isinstance(on_store, tuple):  # (rows, total)
        assert on_copy[1] == on_store[1], what
        on_copy, on_store = on_copy[0], on_store[0]
    if isinstance(on_store, dict):
        assert on_copy == on_store, what
    else:
        pd.testing.assert_frame_equal(on_copy, on_store, obj=what)


@pytest.mark.parametrize("facts", [True, False])
@pytest.mark.parametrize("name", ["assisted", "events", "generated"])
def test_the_pages_reads_give_the_same_frames_on_the_copy(stores, name, facts, monkeypatch):
    """The overview's reads (``ui.reads.read_many``) and a row's evidence on the Matching page and
    the gap finder (``ui.reads.read_all``) read the copy once it is built, where ``need_facts`` is a
    table (``reader()``; a large store's copy does without it: ``FACTS_KEPT_BELOW``): the same frames
    as on the store."""
    monkeypatch.setattr(matching_base, "FACTS_KEPT_BELOW", 10**9 if facts else 0)
    with connect(stores[name]) as con:
        base = matching_base.build(con)
        copy = base.reader()
        assert copy.has_need_facts is facts
        compared: set[str] = set()

        def check(what: str, read, *args) -> None:
            if what not in compared:
                compared.add(what)
                _same(read(copy, *args), _on_store(name, what, lambda: read(con, *args)), what)

        for f in FILTERS:
            if f.text:
                f = f.with_text_hits(*_on_store(name, f"text_hits {f!r}", lambda f=f: text_hits(con, f)))
            for read in (reads.counts, reads.heatmap, reads.by_state, reads.by_year, reads.by_year_summary):
                check(f"{read.__name__} {f!r}", read, f)
            # every row (on the store, DuckDB 2.0 drops a LIMIT under the workshops filter's `or`)
            check(f"needs_page 5000 {f!r}", reads.needs_page, f, 5000)
            for iso3, category in (("KAZ", "licensing"), ("UZB", "dual_use_identification"), ("ALB", "licensing")):
                pair = f.with_(states=(iso3,), categories=(category,))
                check(f"needs_page 200 {pair!r}", reads.needs_page, pair, 200)
                check(f"requests_for {iso3} {category} {f!r}", assistance.requests_for, iso3, category, f)
                check(f"offers_for {iso3} {category} {f!r}", assistance.offers_for, iso3, category, f, 2010)
            # the state profile's reads (``ui.reads.read_all`` too)
            check(f"state_timeline {f!r}", reads.state_timeline, f, "KAZ")
            check(f"matching_table {f.with_(states=('UZB',))!r}", assistance.matching_table, f.with_(states=("UZB",)),
                  AS_OF)
        check("workshops_attended", reads.workshops_attended, "KAZ")
        check("events_by_id", assistance.events_by_id, (1, 2, 3))


def test_the_stores_exercise_every_status_and_rule(stores):
    """What the comparison above covers: all three statuses, a pair only requested, an offer to all
    participants, a register's need left out, a split source kept apart."""
    with connect(stores["generated"]) as con:
        generated = matching_table(con, NeedFilter(), as_of=AS_OF)
    with connect(stores["events"]) as con:
        events = matching_table(con, NeedFilter(), as_of=AS_OF).set_index(["state_iso3", "category"])
    with connect(stores["assisted"]) as con:
        assisted = matching_table(con, NeedFilter(), as_of=AS_OF).set_index(["state_iso3", "category"])
    assert set(generated["status"]) == {"open", "offered", "taken up"}
    assert any(o["to"] == "all_participants" for offers in generated["offers"] for o in offers)
    assert ("KEN", "licensing") not in events.index  # the register's need is not a workshop's
    uzb = events.loc[("UZB", "dual_use_identification")]
    assert (uzb["status"], uzb["later_events"]) == ("taken up", [6])  # the split source is its own event
    albania = assisted.loc[("ALB", "licensing")]
    assert (albania["need_workshops"], albania["request_dates"]) == ([], ["2016-05-04"])


def test_a_write_to_the_store_gives_a_new_base_that_holds_it(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    add_assistance(location)
    bases = matching_base.Bases()
    version = store_version(location)
    assert bases.ready(location, version) is None  # nothing built before the first read
    bases.prepare(location, version, lambda: connect(location)).result(timeout=60)
    first = bases.ready(location, version)
    assert first is not None and bases.prepare(location, version, lambda: connect(location)).done()
    pair = ("TJK", "licensing")
    assert pair not in set(zip(*matching_base.matching_table(first, NeedFilter()).pipe(
        lambda t: (t["state_iso3"], t["category"])), strict=True))

    def add_need(con):
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (2, 'TJK', 'licensing', 'Tajikistan lacks a licensing system.', 0, 10, "
                    "'f', 0.9)")

    store.write(location, add_need)
    newer = store_version(location)
    assert newer != version
    assert bases.ready(location, newer) is None  # the old base never answers for the new version
    bases.prepare(location, newer, lambda: connect(location)).result(timeout=60)
    assert bases.ready(location, version) is None  # replaced
    rebuilt = matching_base.matching_table(bases.ready(location, newer), NeedFilter(), as_of=AS_OF)
    row = rebuilt.set_index(["state_iso3", "category"]).loc[pair]
    assert (row["status"], row["need_years"]) == ("open", [2018])
    with connect(location) as con:
        pd.testing.assert_frame_equal(rebuilt, matching_table(con, NeedFilter(), as_of=AS_OF))


def test_a_failed_build_leaves_the_direct_query_to_answer(tmp_path):
    bases = matching_base.Bases()
    missing = str(tmp_path / "no-such-folder" / "x" / "store.duckdb")

    def refuse():
        raise store.connection.StoreError(f"cannot open the store {missing}")

    future = bases.prepare(missing, "v1", refuse)
    with pytest.raises(store.connection.StoreError):
        future.result(timeout=60)
    assert bases.ready(missing, "v1") is None


def test_only_the_most_recently_built_stores_keep_a_base(tmp_path):
    # A process that reads many stores in turn (a test run, a server moved to another store) keeps
    # a copy of the last ``KEEP`` only; each copy is the store's read tables in memory.
    locations = [build_store(tmp_path / f"store{i}.duckdb") for i in range(matching_base.Bases.KEEP + 1)]
    bases = matching_base.Bases()
    for location in locations:
        with connect(location) as con:
            bases.build_now(location, store_version(location), con)
    assert bases.ready(locations[0], store_version(locations[0])) is None
    assert all(bases.ready(loc, store_version(loc)) is not None for loc in locations[1:])


def test_a_failed_build_is_tried_again_by_the_next_read(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    version = store_version(location)
    bases, opened = matching_base.Bases(), []

    def open_once_locked():
        opened.append(1)
        if len(opened) == 1:  # an ingest held the store past the lock wait
            raise store.connection.StoreError("the store is busy")
        return connect(location)

    with pytest.raises(store.connection.StoreError):
        bases.prepare(location, version, open_once_locked).result(timeout=60)
    bases.prepare(location, version, open_once_locked).result(timeout=60)
    assert len(opened) == 2 and bases.ready(location, version) is not None


def test_a_build_still_waiting_when_the_store_is_written_again_never_runs(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    bases, opened = matching_base.Bases(delay=0.5), []

    def open_store():
        opened.append(1)
        return connect(location)

    stale = bases.prepare(location, "v1", open_store)
    current = bases.prepare(location, "v2", open_store)  # a write came before v1's build started
    current.result(timeout=60)
    assert stale.cancelled() and len(opened) == 1
    assert bases.ready(location, "v2") is not None and bases.ready(location, "v1") is None


def test_an_older_version_never_replaces_the_base_of_the_stores_current_one(tmp_path):
    # A fragment rerun reads with the version its page was drawn at; another writer may have made it
    # old since. Asking for it must not throw away the copy of the store as it is now.
    location = build_store(tmp_path / "store.duckdb")
    bases = matching_base.Bases()
    old = store_version(location)
    with connect(location) as con:
        bases.build_now(location, old, con)
    store.write(location, lambda con: con.execute("update needs set status = 'confirmed' where id = 1"))
    current = store_version(location)
    assert current != old
    bases.prepare(location, current, lambda: connect(location)).result(timeout=60)
    held = bases.ready(location, current)
    assert held is not None

    with connect(location) as con:  # a small store: the stale read builds its own copy, not kept
        stale_copy = bases.build_now(location, old, con)
    assert stale_copy is not held and bases.ready(location, current) is held
    assert bases.prepare(location, old, lambda: connect(location)).result(timeout=60) is held
    assert bases.ready(location, current) is held and bases.ready(location, old) is None

    # a newer write still replaces it
    store.write(location, lambda con: con.execute("update needs set status = 'extracted' where id = 1"))
    restored = store_version(location)
    bases.prepare(location, restored, lambda: connect(location)).result(timeout=60)
    assert bases.ready(location, restored) is not None and bases.ready(location, current) is None
