"""Where one rerun of the real dashboard spends its server time, function by function: cProfile
on AppTest's script thread (``threading.setprofile`` starts a profiler in each new thread, which
is how the script thread is reached), plus the size of what the run sends.

    .venv/bin/python benchmarks/profile_rerun.py benchmarks/out/store-100k.duckdb matching --words lack,border
    .venv/bin/python benchmarks/profile_rerun.py STORE matching --select 3     # open rows 0..2 in turn
    .venv/bin/python benchmarks/profile_rerun.py STORE overview --regions Asia,Africa

The page is first run twice (warm caches, and the store's copy in memory built), then each change
is profiled. Prints each change's wall time, the top functions by cumulative time over all changes,
the time per group (app start, navigation, sidebar, page body, Streamlit's serialisation), and the
bytes of every element the last change sent.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

PROFILES: list[cProfile.Profile] = []
ACTIVE = threading.Event()


def _start_in_thread(*_args) -> None:
    """Set as the profile function of every new thread: starts a cProfile there (it replaces this one)."""
    sys.setprofile(None)
    if ACTIVE.is_set() and threading.current_thread().name != "MainThread":
        prof = cProfile.Profile()
        PROFILES.append(prof)
        prof.enable()


def _sizes(at) -> list[tuple[int, str]]:
    """(bytes, element) of every element of the last run's tree (its proto, serialised)."""
    out = []

    def walk(node, where: str) -> None:
        children = getattr(node, "children", None)
        proto = getattr(node, "proto", None)
        if proto is not None and not children:
            out.append((len(proto.SerializeToString()), f"{where}/{node.type}:{getattr(node, 'key', '') or ''}"))
        for key, child in (children or {}).items():
            walk(child, f"{where}.{key}")

    walk(at._tree, "")
    return sorted(out, reverse=True)


def _wait_for_the_copy(timeout: float = 60.0) -> None:
    """Wait until the store's copy in memory (built 3 s after the first page), its index of the
    evidence's words and the overview's arrays (built next, on the same thread) are ready, as a
    person's later changes find them."""
    from needs_tracker.ui import reads

    time.sleep(3)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = list(reads._BASES._by_location.values())
        base = held[0][1].result() if held and held[0][1].done() else None
        # the words' index, then the overview's arrays (store.overview_arrays), where the checkout has them
        if base is not None and getattr(base, "words", True) is not None and (
                "_overview_facts" in base.__dict__ or not _has_overview_arrays()):
            return
        time.sleep(0.1)


def _has_overview_arrays() -> bool:
    try:
        import needs_tracker.store.overview_arrays  # noqa: F401
    except ImportError:  # an older checkout
        return False
    return True


GROUPS = {  # a function's file or name -> what it is part of (first match wins, by cumulative time)
    "app.py:main": "whole run (ui.app.main)",
    "filters.py:sidebar_filter": "sidebar filters",
    "registry.py:navigation": "navigation",
    "app.py:_sign_in_link": "sign-in link",
    "reads.py:read_store_key": "store version (stat)",
    "app.py:_snapshot_or_none": "snapshot check",
    "app.py:ensure_store_with_progress": "store exists check",
    "furniture.py:run_page": "page body (run_page)",
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store")
    p.add_argument("page", help="url path, e.g. matching")
    p.add_argument("--words", default="", help="comma-separated words typed into the words filter, one rerun each")
    p.add_argument("--regions", default="", help="comma-separated regions chosen, one rerun each")
    p.add_argument("--select", type=int, default=0, help="open this many rows of the page's table, one rerun each")
    p.add_argument("--top", type=int, default=45)
    p.add_argument("--out", help="write the merged profile here (pstats)")
    args = p.parse_args(argv)
    os.environ["NEEDS_TRACKER_DB"] = str(Path(args.store).resolve())

    import bench_ui

    pages = dict(bench_ui.dashboard_pages())
    at = bench_ui._new_app(bench_ui.DASHBOARD, pages[args.page], bench_ui.PAGE_PARAMS.get(args.page, {}), 600)
    at.run()
    _wait_for_the_copy()
    at.run()
    changes = []
    for w in (w for w in args.words.split(",") if w):
        changes.append((f"words {w!r}", lambda w=w: at.text_input(key="flt_text").set_value(w)))
    for r in (r for r in args.regions.split(",") if r):
        changes.append((f"region {r!r}", lambda r=r: at.multiselect(key="flt_regions").set_value([r])))
    table_key = {"matching": "matching_table", "gaps": "gaps_table"}.get(args.page)
    for i in range(args.select):
        changes.append((f"open row {i}", lambda i=i: _select(at, table_key, i)))
    if not changes:
        changes.append(("rerun, nothing changed", lambda: None))
    threading.setprofile(_start_in_thread)
    walls = []
    for what, change in changes:
        change()
        ACTIVE.set()
        t = time.perf_counter()
        at.run()
        walls.append(time.perf_counter() - t)
        ACTIVE.clear()
        if at.exception:
            print("exception:", at.exception[0].message)
        print(f"{what}: {walls[-1] * 1000:.0f} ms in AppTest.run()")
    threading.setprofile(None)
    stats = None
    for prof in PROFILES:
        prof.create_stats()
        if prof.stats:
            stats = pstats.Stats(prof) if stats is None else stats.add(prof)
    if stats is None:
        print("no profile was taken")
        return 1
    if args.out:
        stats.dump_stats(args.out)
    n = len(changes)
    print(f"\nper change (mean of {n}), cumulative ms:")
    by_name = {}
    for (file, _line, fn), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        by_name[f"{Path(file).name}:{fn}"] = by_name.get(f"{Path(file).name}:{fn}", 0) + ct
    for name, label in GROUPS.items():
        if name in by_name:
            print(f"{by_name[name] / n * 1000:9.1f}  {label}")
    print(f"\ntop {args.top} functions by cumulative time per change (ms):")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])
    shown = 0
    for (file, line, fn), (_cc, nc, tt, ct, _callers) in rows:
        if "threading.py" in file or fn.startswith("<") and fn != "<module>":
            continue
        print(f"{ct / n * 1000:9.1f} {tt / n * 1000:8.1f} {nc // n:6d}  {Path(file).parent.name}/{Path(file).name}:"
              f"{line}:{fn}")
        shown += 1
        if shown >= args.top:
            break
    sizes = _sizes(at)
    print(f"\nelements of the last run: {len(sizes)}, {sum(s for s, _ in sizes) / 1000:.1f} kB serialised; largest:")
    for size, what in sizes[:12]:
        print(f"{size / 1000:9.1f} kB  {what}")
    return 0


def _select(at, key: str, row: int) -> None:
    """Open ``row`` of the table ``key`` by its ``?pair=`` link (AppTest cannot click a grid's row;
    the run then draws the same evidence as a selection does)."""
    table = next(e for e in at.main if getattr(e, "key", None) == key).value
    iso3 = table["ISO3" if "ISO3" in table.columns else "iso3"].iloc[row]
    gap = table["Gap ID"].iloc[row] if "Gap ID" in table.columns else table["matching"].iloc[row].rsplit("%3A", 1)[1]
    at.query_params["pair"] = f"{iso3}:{gap}"


if __name__ == "__main__":
    sys.exit(main())
