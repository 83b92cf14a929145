"""A server's first visitor, before and after: each round starts a fresh dashboard server for each
checkout (B, A, B, A …) and times how long it takes to answer its health check, then one first
load of a page in a new browser context, either at once (the visitor was waiting for the server:
a warm-up then competes with the load) or ``--gap`` seconds after start (a visitor who comes
later, as most do), then a second visitor's load.

    git archive main | tar -x -C /tmp/before
    .venv/bin/python benchmarks/bench_cold_start.py --before /tmp/before --rounds 5 --page /matching

Each checkout is served as its own ``browser.serve`` would serve it: through
``needs_tracker.ui.warm_start`` when its ``src`` has it (``needs-tracker dashboard``), else
``streamlit run dashboard.py``. The same 100k store (``bench_browser.py`` makes it) for both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from browser import CHROMIUM, CHROMIUM_ARGS, first_load, launch, stop, wait_until_up  # noqa: E402


def start(checkout: Path, store: Path) -> tuple[subprocess.Popen, str, float]:
    """A server of ``checkout`` on ``store``: the process, its URL, seconds until it answered."""
    proc, base = launch(store, env={"PYTHONPATH": str(checkout / "src")}, checkout=checkout)
    return proc, base, wait_until_up(proc, base, poll=0.02)


def one(browser, checkout: Path, store: Path, page: str, gap: float) -> tuple[float, float, float]:
    """(seconds to answer, the first visitor's load, the second visitor's load)."""
    proc, base, ready = start(checkout, store)
    try:
        if gap:
            time.sleep(gap)  # the visitor comes ``gap`` s after the start: the same wait on both sides
        first = first_load(browser, base + page)
        second = first_load(browser, base + page)
    finally:
        stop(proc)
    return ready, first, second


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True)
    p.add_argument("--after", default=str(BENCH_DIR.parent))
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--page", default="/matching")
    p.add_argument("--gaps", default="0,10", help="comma-separated seconds between start and first visit")
    p.add_argument("--store", default=str(BENCH_DIR / "out" / "store-100k.duckdb"))
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    store = Path(args.store).resolve()
    sides = {"before": Path(args.before).resolve(), "after": Path(args.after).resolve()}
    gaps = [float(g) for g in args.gaps.split(",")]
    got: dict = {(s, g): [] for s in sides for g in gaps}
    loads = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        one(browser, sides["after"], store, args.page, 0)  # the browser's own first start: not counted
        for r in range(args.rounds):
            for gap in gaps:
                for side, checkout in sides.items():
                    got[(side, gap)].append(one(browser, checkout, store, args.page, gap))
                    loads.append(os.getloadavg()[0])
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        browser.close()
    med = statistics.median
    print(f"{args.page}, {args.rounds} alternating rounds, 1-minute load {min(loads):.1f}-{max(loads):.1f}")
    print("| side | visit after start | server answers | first visitor (median, range) | second visitor |")
    print("|---|---|---|---|---|")
    for (side, gap), rows in got.items():
        ready, first, second = zip(*rows, strict=True)
        print(f"| {side} | {'at once' if not gap else f'{gap:g} s'} | {med(ready):.2f} s | {med(first):.2f} s "
              f"({min(first):.2f}-{max(first):.2f}) | {med(second):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
