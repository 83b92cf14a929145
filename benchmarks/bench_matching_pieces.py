"""In-process cost of each piece of a words change on Matching at the benchmark's size: the
words' answer (``text_hits``), the matching aggregate's SQL over the store's copy, and
``finish_table`` (status, order, names), each the median of ``--runs`` runs.

    .venv/bin/python benchmarks/bench_matching_pieces.py benchmarks/out/store-100k.duckdb --words border,lack
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


def _median_ms(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store", type=Path)
    p.add_argument("--words", default="border,lack,licens")
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args(argv)
    with connect(args.store, read_only=True) as con:
        base = mb.build(con)
    for words in args.words.split(","):
        f = NeedFilter(text=words)
        hits_ms, hits = _median_ms(lambda f=f: mb.text_hits(base, f), args.runs)
        g = f.with_text_hits(*hits)
        sql_ms, (columns, rows) = _median_ms(lambda g=g: mb.aggregate_rows_sql(base, g), args.runs)
        rows_ms, (columns, rows) = _median_ms(lambda g=g: mb.aggregate_rows(base, g), args.runs)
        finish_ms, table = _median_ms(lambda c=columns, r=rows, g=g: finish_table(c, r, g), args.runs)
        total_ms, _ = _median_ms(lambda f=f: mb.matching_table(base, f), args.runs)
        print(f"words {words!r}: text_hits {hits_ms:.1f} ms, aggregate in SQL {sql_ms:.1f} ms, "
              f"with numpy {rows_ms:.1f} ms, "
              f"finish {finish_ms:.1f} ms, matching_table with words {total_ms:.1f} ms ({len(table)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
