"""In-process cost of each piece of a words change on Matching and the Gap finder at the
benchmark's size: the words' answer (``text_hits``: by the SQL expression over every sentence,
and from the index of the evidence's words), the matching aggregate (in SQL, and with numpy),
``finish_table`` (status, order, names), the whole matching table, and the Gap finder's rows
(``pages.gaps._rows``), each the median of ``--runs`` runs (wall clock, and CPU in brackets:
the machine is shared, and CPU time moves less with its load).

    .venv/bin/python benchmarks/bench_matching_pieces.py benchmarks/out/store-100k.duckdb --words border,lack

Each words' pieces are measured as a words change meets them: the filter without words was
read before (its selections are kept), these words were not.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect
from needs_tracker.store import matching_base as mb
from needs_tracker.store.matching_aggregate import finish_table
from needs_tracker.store.text_hits import text_hits as sql_text_hits


def _median_ms(fn, runs: int, before=None) -> tuple[str, object]:
    """'wall (cpu)' medians in ms of ``fn()`` over ``runs`` runs (``before()`` untimed before each)."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return f"{statistics.median(walls):.1f} ({statistics.median(cpus):.1f})", out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store", type=Path)
    p.add_argument("--words", default="border,lack,licens")
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args(argv)
    with connect(args.store, read_only=True) as con:
        base = mb.build(con)
    wall, cpu = time.perf_counter(), time.process_time()
    indexed = hasattr(base, "index_words") and base.index_words() is not None
    if indexed:
        print(f"index of the words built in {(time.perf_counter() - wall) * 1000:.0f} ms "
              f"({(time.process_time() - cpu) * 1000:.0f} ms CPU)")
    try:
        from needs_tracker.ui.pages import gaps
    except ImportError:
        gaps = None
    mb.matching_table(base, NeedFilter())  # the filter without words: read before a words change
    print("ms, median wall (CPU):")
    for words in args.words.split(","):
        f = NeedFilter(text=words)
        sql_ms, hits = _median_ms(lambda f=f: sql_text_hits(base.cursor(), f), args.runs)
        index_ms, got = _median_ms(lambda f=f: mb.text_hits(base, f), args.runs)
        assert got == hits, words
        g = f.with_text_hits(*hits)
        agg_sql_ms, _ = _median_ms(lambda g=g: mb.aggregate_rows_sql(base, g), args.runs)
        agg_ms, (columns, rows) = _median_ms(lambda g=g: mb.aggregate_rows(base, g), args.runs)
        finish_ms, table = _median_ms(lambda c=columns, r=rows, g=g: finish_table(c, r, g), args.runs)
        total_ms, table = _median_ms(lambda f=f: mb.matching_table(base, f), args.runs)
        line = (f"words {words!r} ({len(table)} rows): text_hits by SQL {sql_ms}, "
                f"{'from the index' if indexed else 'on the copy'} {index_ms}; aggregate in SQL {agg_sql_ms}, "
                f"with numpy {agg_ms}; finish {finish_ms}; matching_table with words {total_ms}")
        if gaps is not None:
            rows_ms, _ = _median_ms(lambda t=table, f=f: gaps._rows(t, f), args.runs)
            line += f"; gap finder rows {rows_ms}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
