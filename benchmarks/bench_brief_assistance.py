"""Brief timings at 100,000 needs with offers and requests: the PDF and HTML briefs (charts off)
and the matching-table CSV export, unfiltered and for one region.

    .venv/bin/python benchmarks/bench_brief_assistance.py [--store FILE] [--runs 3]

Builds the benchmark's synthetic store once (``generate.build_store``: 2,000 workshops, 100,000
needs, with its 5,000 offers and 1,000 requests). Prints one markdown table of median wall-clock
seconds; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from needs_tracker.export import FORMATS, write_file  # noqa: E402
from needs_tracker.filters import NeedFilter  # noqa: E402

FILTERS = {"all (100k)": NeedFilter(), "region Africa": NeedFilter(regions=("Africa",))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / "out" / "bench-100k-assistance.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["NEEDS_TRACKER_CHARTS"] = "off"
    if not args.store.exists():
        args.store.parent.mkdir(parents=True, exist_ok=True)
        built = generate.build_store(args.store, 2000, 100_000)
        print(f"built {args.store}: {built['counts']}", file=sys.stderr)
    formats = [f for f in ("pdf", "html", "matching-csv") if f in FORMATS]
    lines = [f"| format | selection | seconds (median of {args.runs}) | size |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            for name, f in FILTERS.items():
                path = Path(tmp) / f"out.{FORMATS[fmt].extension}"
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    write_file(fmt, f, path, location=str(args.store))
                    times.append(time.perf_counter() - started)
                line = f"| {fmt} | {name} | {statistics.median(times):.2f} | {path.stat().st_size / 1e6:.2f} MB |"
                lines.append(line)
                print(line, file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
