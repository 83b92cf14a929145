"""Where a dashboard page's time goes: inclusive wall time of every query, figure builder,
shared UI helper and Streamlit element call during one AppTest run.

    .venv/bin/python benchmarks/profile_page.py benchmarks/out/store-1m.duckdb overview
    .venv/bin/python benchmarks/profile_page.py benchmarks/out/store-1m.duckdb overview --rerun

AppTest runs the page script in its own thread, which cProfile does not follow, so this
wraps the functions by name instead (nested calls are counted inside their callers too).
"""

from __future__ import annotations

import argparse
import collections
import functools
import inspect
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

TIMES: dict[str, list[float]] = collections.defaultdict(list)


def _wrap(owner, name: str, label: str) -> None:
    fn = getattr(owner, name) if not isinstance(owner, dict) else owner[name]

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[label].append(time.perf_counter() - t)

    if isinstance(owner, dict):
        owner[name] = timed
    else:
        setattr(owner, name, timed)


def instrument() -> None:
    import streamlit as st

    from needs_tracker import figures
    from needs_tracker.store import connection
    from needs_tracker.store import reads as store_reads
    from needs_tracker.ui import common, downloads, furniture, links, reads

    for module in (figures, common, furniture, links, reads, downloads):
        prefix = module.__name__.removeprefix("needs_tracker.")
        for name, fn in list(vars(module).items()):
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("__"):
                _wrap(module, name, f"{prefix}.{name}")
    for name, fn in list(vars(store_reads).items()):
        if inspect.isfunction(fn) and fn.__module__ == store_reads.__name__:
            _wrap(store_reads, name, f"store.reads.{name}")
    _wrap(connection, "open_connection", "store.connection.open_connection")
    for name in ("plotly_chart", "dataframe", "metric", "markdown", "page_link", "download_button"):
        if hasattr(st, name):
            _wrap(st, name, f"st.{name}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store")
    p.add_argument("page", help="url path, e.g. overview")
    p.add_argument("--rerun", action="store_true", help="profile the rerun after a region change instead")
    p.add_argument("--text", help="profile the rerun after typing these words in the sidebar instead")
    args = p.parse_args(argv)
    os.environ["NEEDS_TRACKER_DB"] = str(Path(args.store).resolve())

    import bench_ui

    pages = dict(bench_ui.dashboard_pages())
    at = bench_ui._new_app(bench_ui.DASHBOARD, pages[args.page], bench_ui.PAGE_PARAMS.get(args.page, {}), 600)
    if args.rerun or args.text:
        at.run()
    instrument()
    if args.rerun:
        at.multiselect(key=bench_ui.REGION_KEY).set_value(["Asia"])
    if args.text:
        at.text_input(key="flt_text").set_value(args.text)
    t = time.perf_counter()
    at.run()
    total = time.perf_counter() - t
    if at.exception:
        print("exception:", at.exception[0].message)
    print(f"{args.page} {'rerun' if args.rerun or args.text else 'first run'}: {total:.2f} s in AppTest.run()")
    print(f"{'inclusive s':>11} {'calls':>5}  function")
    for label, samples in sorted(TIMES.items(), key=lambda kv: -sum(kv[1]))[:30]:
        print(f"{sum(samples):11.3f} {len(samples):5d}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
