"""What counting events (not documents) costs the dashboard's main reads.

Builds (or reuses) the 100,000-need synthetic store, links a share of its workshops to another
workshop of the same year as a second source of one event (as ``link_events`` would), and
times ``counts``, ``heatmap``, ``by_state``, ``by_year_summary`` and ``workshops`` with and
without a filter, optionally against another version of the reads, timed in turn:

    .venv/bin/python benchmarks/bench_events.py [--store benchmarks/out/events-100k.duckdb] [--runs 7]
    git show main:src/needs_tracker/store/reads.py > src/needs_tracker/store/_reads_main.py
    .venv/bin/python benchmarks/bench_events.py --against needs_tracker.store._reads_main
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from needs_tracker.filters import NeedFilter  # noqa: E402
from needs_tracker.store import connect  # noqa: E402

FILTERED = NeedFilter(regions=("Africa",), year_from=2010, year_to=2020)


def _link_pairs(location: str, share: float) -> int:
    """Make every workshop among the first ``share`` of ids (by year) a second source of the
    workshop before it in the same year."""
    with connect(location) as con:
        con.execute("delete from workshop_sources")
        con.execute("""
            insert into workshop_sources (workshop_id, event_id, linked_by, score, reasons)
            with ranked as (select id, year, row_number() over (partition by year order by id) as k,
                                   lag(id) over (partition by year order by id) as prev from workshops)
            select id, prev, 'extracted', 0.8, 'synthetic link' from ranked
            where k % 2 = 0 and prev is not null and hash(id) % 1000 < ?
            union all
            select prev, prev, 'extracted', null, 'the event''s record' from ranked
            where k % 2 = 0 and prev is not null and hash(id) % 1000 < ?""", [int(share * 1000)] * 2)
        return con.execute("select count(*) from workshop_sources where workshop_id <> event_id").fetchall()[0][0]


def _medians(fns, runs: int) -> list[float]:
    """Median time of each function, the functions run in turn each round (a shared, busy
    machine then slows them alike)."""
    for fn in fns:
        fn()  # warm
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="benchmarks/out/events-100k.duckdb")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--share", type=float, default=0.3, help="share of even-ranked workshops made a 2nd source")
    parser.add_argument("--against", help="a module to compare with, timed in turn (e.g. a copy of main's "
                                              "reads.py placed in the store package as _reads_main.py)")
    args = parser.parse_args()
    import importlib

    from needs_tracker.store import reads as timed

    other = importlib.import_module(args.against) if args.against else None
    store = Path(args.store)
    if not store.exists():
        from generate import build_store

        store.parent.mkdir(parents=True, exist_ok=True)
        print("building", store, build_store(store, 2_000, 100_000)["counts"], file=sys.stderr)
    linked = _link_pairs(str(store), args.share)
    print(f"{linked} workshops linked as second sources")
    with connect(str(store)) as con:
        for label, f in (("no filter", NeedFilter()), ("Africa 2010-2020", FILTERED)):
            for name in ("counts", "heatmap", "by_state", "by_year_summary", "workshops"):
                fns = [getattr(m, name) for m in (timed, other) if m is not None]
                ms = [t * 1000 for t in _medians([lambda fn=fn, f=f: fn(con, f) for fn in fns], args.runs)]
                print(f"{name:<16} {label:<17} {ms[0]:7.1f} ms" + (f"   against {ms[1]:7.1f} ms" if other else ""))
        print("counts:", timed.counts(con, NeedFilter()))
        print("stats:", timed.stats(con))


if __name__ == "__main__":
    main()
