"""Benchmark of the matching table (offers, requests, later events per state and gap).

Builds the benchmark's synthetic store (``generate.build_store``: 2,000 workshops and 100,000
needs, with 5,000 synthetic offers and 1,000 requests and its same-event links), then prints the median time of
``store.assistance.matching_table`` (the direct query: exports, briefs, CLI) and of the same table
from the precomputed inputs the dashboard reads (``store.matching_base``: its build once per store
version, then each filter), unfiltered, with the benchmark's filter and with a words filter, beside
the gap finder's query on the same store, the nearest existing page. Run from the worktree:

    .venv/bin/python benchmarks/matching.py [--workshops 2000] [--needs 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_core import BENCH_FILTER  # noqa: E402
from generate import build_store  # noqa: E402

from needs_tracker import store as db  # noqa: E402
from needs_tracker.filters import NeedFilter  # noqa: E402
from needs_tracker.store import matching_base, reads  # noqa: E402
from needs_tracker.store.assistance import matching_table  # noqa: E402
from needs_tracker.store.text_hits import text_hits  # noqa: E402


def median(fn, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (the CPU figure holds up on a busy shared machine)."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=2000)
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "bench.duckdb"
        built = build_store(path, args.workshops, args.needs)
        with db.connect(str(path)) as con:
            words = NeedFilter(text="border")
            words = words.with_text_hits(*text_hits(con, words))  # answered once, as the dashboard does
        filters = (("unfiltered", NeedFilter()), ("benchmark filter", BENCH_FILTER), ("words 'border'", words))
        rows = {}

        def fresh(f) -> int:  # a dashboard cache miss without the base: the store opened anew (cold)
            with db.connect(str(path)) as own:
                return len(matching_table(own, f))

        for label, f in filters:  # before any connection is kept open, which would keep the store warm
            rows[f"{label}, on a fresh connection"] = (*median(lambda f=f: fresh(f), args.runs), fresh(f))
        with db.connect(str(path)) as con:
            for label, f in filters:
                rows[f"{label}, kept connection"] = (*median(lambda f=f: matching_table(con, f), args.runs),
                                                     len(matching_table(con, f)))
            build = median(lambda: matching_base.build(con), max(1, args.runs // 2))
            base = matching_base.build(con)
            floor = median(lambda: reads.gap_finder(con, BENCH_FILTER), args.runs)
        for label, f in filters:
            from_base = median(lambda f=f: matching_base.matching_table(base, f), args.runs)
            rows[f"{label}, from the base"] = (*from_base, len(matching_base.matching_table(base, f)))
        c = built["counts"]
        print(f"store: {c['workshops']:,} workshops, {c['needs']:,} needs, {c['offers']:,} offers, "
              f"{c['requests']:,} requests, {c['workshops_linked']:,} workshops in same-event groups "
              f"(built in {built['seconds']:.1f} s)")
        print(f"store.matching_base.build (once per store version): {build[0] * 1000:.0f} ms wall, "
              f"{build[1] * 1000:.0f} ms CPU")
        for label, (seconds, cpu, n) in rows.items():
            print(f"matching_table, {label}: {seconds * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, median of "
                  f"{args.runs} ({n:,} rows)")
        print(f"gap_finder, benchmark filter (nearest existing page's query): {floor[0] * 1000:.0f} ms wall, "
              f"{floor[1] * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
