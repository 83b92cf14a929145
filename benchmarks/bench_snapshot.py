"""Page reruns on the live store next to the same pages on a published snapshot.

The live store is opened and closed around every cache miss (so a CLI writer can get in);
a snapshot is opened read-only once per process and each query takes a cursor. This script
builds a synthetic store (``generate.build_store``), publishes it, and prints, for each
dashboard page, the median first run and rerun after a filter change (AppTest, as in
``bench_ui``) on both, plus the cost of one store access (open + a small query) on both.

    .venv/bin/python benchmarks/bench_snapshot.py [--needs 100000] [--runs 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ui import DASHBOARD, PAGE_PARAMS, REGION_KEY, _first_and_reruns, dashboard_pages  # noqa: E402
from generate import build_store  # noqa: E402

from needs_tracker.publish import publish  # noqa: E402
from needs_tracker.store import (
    connect,  # noqa: E402
    reads,
)


def access_time(samples: int = 30) -> float:
    """Median seconds for one store access as the dashboard makes it on a cache miss."""
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        with connect() as con:
            reads.stats(con)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def use(live: Path, snapshot: Path | None) -> None:
    os.environ["NEEDS_TRACKER_DB"] = str(live)
    if snapshot is None:
        os.environ.pop("NEEDS_TRACKER_SNAPSHOT", None)
    else:
        os.environ["NEEDS_TRACKER_SNAPSHOT"] = str(snapshot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    work.mkdir(parents=True, exist_ok=True)
    live = work / "live.duckdb"
    built = build_store(live, workshops=max(20, args.needs // 50), needs=args.needs)
    t = time.perf_counter()
    manifest = publish(work / "snapshot", location=str(live))
    publish_s = time.perf_counter() - t
    size_mb = sum(p.stat().st_size for p in (work / "snapshot").rglob("*") if p.is_file()) / 1e6
    print(f"store: {built['counts']['needs']:,} needs, {built['counts']['workshops']:,} workshops; "
          f"publish {publish_s:.2f} s ({size_mb:.1f} MB, {len(manifest['tables'])} tables)")

    pages = dashboard_pages()
    if isinstance(pages, str):
        print(f"dashboard pages not available: {pages}")
        return 1
    rows = []
    for label, snap in (("live", None), ("snapshot", work / "snapshot")):
        use(live, snap)
        rows.append(("store access (open + stats)", label, access_time(), None))
        _first_and_reruns(DASHBOARD, None, {}, 1, 180, REGION_KEY)  # warm imports once per mode
    for url_path, script in pages:
        for label, snap in (("live", None), ("snapshot", work / "snapshot")):
            use(live, snap)
            first, rerun, problem = _first_and_reruns(DASHBOARD, script, PAGE_PARAMS.get(url_path, {}), args.runs,
                                                      180, REGION_KEY)
            rows.append((f"page {url_path}", label, first, rerun, problem))
    print("\n| measure | store | first run | rerun after filter change |\n|---|---|---|---|")
    for row in rows:
        name, label, first, rerun = row[:4]
        note = f" ({row[4]})" if len(row) > 4 and row[4] else ""
        rerun_text = "" if rerun is None else f"{rerun * 1000:.0f} ms"
        print(f"| {name} | {label} | {first * 1000:.0f} ms | {rerun_text}{note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
