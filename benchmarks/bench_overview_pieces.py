"""What an overview filter change costs the server, piece by piece, at 100,000 needs: the five
reads as SQL on the store's copy (what the page ran before ``store.overview_arrays``), the same
reads from the arrays (a words change: the filter's selection kept; a region change: one new
selection), and the three figures the page and the floor both build (CPU ms, median of --repeat).

    .venv/bin/python benchmarks/bench_overview_pieces.py benchmarks/out/store-100k.duckdb

Then a whole change in AppTest (``--apptest``): the dashboard's overview and the floor
(``floor_app.py``, the same figures from frames computed beforehand), each change's wall ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

WORDS = ("lack", "border", "licens", "control", "training", "equipment", "law")
REGIONS = ("Asia", "Africa", "Europe", "Americas")


def _cpu_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def pieces(store: str, repeat: int) -> None:
    import duckdb

    from needs_tracker import figures
    from needs_tracker.filters import NeedFilter
    from needs_tracker.store import matching_base, overview_arrays, reads

    with duckdb.connect(store, read_only=True) as con:
        base = matching_base.build(con)
    base.index_words()
    t = time.process_time()
    facts = overview_arrays.facts(base)
    print(f"arrays read once per copy: {(time.process_time() - t) * 1000:.0f} ms CPU, {facts.rows:,} needs")
    names = tuple(overview_arrays.READS)
    print("| change | SQL reads (ms) | arrays, selection kept (ms) | arrays, new selection (ms) | figures (ms) |")
    print("|---|---|---|---|---|")
    changes = [(f"words {w!r}", NeedFilter(text=w)) for w in WORDS] + [(f"region {r}", NeedFilter(regions=(r,)))
                                                                       for r in REGIONS]
    for label, f in changes:
        if f.text:
            f = f.with_text_hits(*matching_base.text_hits(base, f))
        sql = _cpu_ms(lambda f=f: [getattr(reads, n)(base.reader(), f) for n in names], repeat)
        kept = _cpu_ms(lambda f=f: overview_arrays.overview(base, f), repeat)

        def fresh(f=f) -> None:
            facts._selected.clear()
            overview_arrays.overview(base, f)

        new = _cpu_ms(fresh, repeat)
        _, heat, by_state, by_year, _ = overview_arrays.overview(base, f)
        order = tuple(by_state["state_iso3"].head(25))
        shown = heat[heat["state_iso3"].isin(order)]
        def draw(shown=shown, order=order, by_state=by_state, by_year=by_year) -> None:
            figures.heatmap(shown, title="", clickable=True, row_order=order)
            figures.world_map(by_state, value="needs")
            figures.needs_per_year(by_year)

        drawn = _cpu_ms(draw, repeat)
        print(f"| {label} | {sql:.1f} | {kept:.1f} | {new:.1f} | {drawn:.1f} |", flush=True)


def apptest(store: str) -> None:
    """Each change's wall ms in AppTest: the dashboard's overview, then the floor."""
    os.environ["NEEDS_TRACKER_DB"] = str(Path(store).resolve())
    import bench_ui
    from profile_rerun import _wait_for_the_copy
    from streamlit.testing.v1 import AppTest

    def run(at, label: str, set_words, set_region) -> None:
        for kind, values, setter in (("words", WORDS, set_words), ("region", REGIONS, set_region)):
            walls = []
            for v in values:
                setter(at, v)
                t = time.perf_counter()
                at.run()
                walls.append((time.perf_counter() - t) * 1000)
                assert not at.exception, at.exception
            setter(at, None)
            at.run()
            print(f"{label}, {kind} change: median {statistics.median(walls[1:]):.0f} ms "
                  f"({' '.join(f'{w:.0f}' for w in walls)}; the first left out)", flush=True)

    pages = dict(bench_ui.dashboard_pages())
    at = bench_ui._new_app(bench_ui.DASHBOARD, pages["overview"], {}, 600)
    at.run()
    _wait_for_the_copy()
    at.run()
    run(at, "overview", lambda a, v: a.text_input(key="flt_text").set_value(v or ""),
        lambda a, v: a.multiselect(key="flt_regions").set_value([v] if v else []))
    floor_data = Path(store).parent / f"floor-{Path(store).stem}.pkl"
    if not floor_data.exists():
        print(f"no floor data at {floor_data} (bench_browser.py writes it)")
        return
    os.environ["BENCH_FLOOR_DATA"] = str(floor_data)
    floor = AppTest.from_file(str(BENCH_DIR / "floor_app.py"), default_timeout=60)
    floor.run()
    floor.run()
    run(floor, "floor", lambda a, v: a.text_input(key="words").set_value(v or ""),
        lambda a, v: a.multiselect(key="region").set_value([v] if v else []))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store")
    p.add_argument("--repeat", type=int, default=9)
    p.add_argument("--apptest", action="store_true", help="whole changes in AppTest instead of the pieces")
    args = p.parse_args()
    if args.apptest:
        apptest(args.store)
    else:
        pieces(args.store, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
