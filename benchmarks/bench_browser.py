"""What a person waits for, measured in a real browser: each page's first load and each
filter change, from the action until Streamlit's running indicator has ended and every chart
has drawn, against a floor (``floor_app.py``: the overview's elements drawn from precomputed
data by a bare Streamlit script, in the same browser).

    .venv/bin/python benchmarks/bench_browser.py --sizes 100k [--runs 5] [--profile]
    .venv/bin/python benchmarks/bench_browser.py --pages none --no-changes --tables matching,gaps

The table pages (Matching, Gap finder: ``table_pages.py``) are timed on first load, a words
filter change and opening a row's evidence, each against its own floor.

Debian's chromium (/usr/bin/chromium) through Playwright; never ``playwright install``.
Stores are generated under benchmarks/out/ (git-ignored). ``--profile`` writes a Chromium
trace of one filter change (open it in chrome://tracing or Perfetto) and prints how the
time splits into server run, websocket messages and drawing.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import table_pages  # noqa: E402
from browser import CHROMIUM, CHROMIUM_ARGS, first_load, serve, wait_idle  # noqa: E402

SIZES = {"100k": (2_000, 100_000), "1m": (20_000, 1_000_000)}
PAGES = {"overview": "/", "state": "/state?state=KEN", "workshops": "/workshops", "gaps": "/gaps",
         "search": "/search?text=lack"}
WORDS = ("lack", "border", "licens", "control", "training", "equipment", "need", "law")
REGIONS = ("Asia", "Africa", "Europe", "Americas")
TARGETS = {"first": 2.5, "change": 1.0, "ratio": 1.5}
def _overview_frames(con, f) -> dict:
    import pandas as pd

    from needs_tracker.store import reads

    by_state = reads.by_state(con, f)
    heat = reads.heatmap(con, f)
    return {
        "counts": reads.counts(con, f), "by_state": by_state, "by_year": reads.by_year(con, f),
        "heatmap": heat[heat["state_iso3"].isin(by_state["state_iso3"].head(25))],
        "summary": reads.by_year_summary(con, f).astype({"categories": str}),
        "state_links": pd.DataFrame({"state": by_state["state_name"], "needs": by_state["needs"],
                                     "profile": "./state?state=" + by_state["state_iso3"]}),
    }


def prepare_floor_data(store: Path, out: Path) -> Path:
    """What the overview draws, unfiltered and under each words filter the benchmark types,
    computed once with the dashboard's own queries."""
    from needs_tracker.filters import NeedFilter
    from needs_tracker.store import connect, reads

    with connect(str(store)) as con:
        frames = _overview_frames(con, NeedFilter())
        frames["by_words"] = {w: _overview_frames(con, NeedFilter(text=w)) for w in WORDS}
        frames["by_region"] = {r: _overview_frames(con, NeedFilter(regions=(r,))) for r in REGIONS}
        frames["filter_options"] = reads.filter_options(con)  # drawn only with $BENCH_FLOOR_SIDEBAR
    path = out / f"floor-{store.stem}.pkl"
    path.write_bytes(pickle.dumps(frames))
    return path


def filter_changes(browser, url: str, words: tuple[str, ...], trace: Path | None = None) -> list[float]:
    """Type each of ``words`` into the sidebar's words filter: seconds from Enter until the run
    ended and the charts drew again."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    wait_idle(page)
    page.evaluate(table_pages.RECORDER)
    box = page.get_by_role("textbox", name="Words in the evidence")
    took = []
    for i, word in enumerate(words):
        box.fill(word)
        if trace is not None and i == len(words) - 1:
            browser.start_tracing(page=page, path=str(trace), screenshots=False)
        t0 = page.evaluate("performance.now()")
        t = time.perf_counter()
        box.press("Enter")
        took.append(table_pages.until_run_ended(page, t0, t, f"typing {word!r}"))
        if trace is not None and i == len(words) - 1:
            browser.stop_tracing()
    context.close()
    return took


def region_changes(browser, url: str, regions: tuple[str, ...]) -> list[float]:
    """Choose each region in the sidebar, then remove it again: seconds from the key press until
    the run ended and the charts drew again (two changes per region)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    wait_idle(page)
    page.evaluate(table_pages.RECORDER)
    box = page.get_by_role("combobox", name="Region").first
    took = []
    for region in regions:
        for action in ("add", "remove"):
            box.click()
            if action == "add":
                box.fill(region)
            t0 = page.evaluate("performance.now()")
            t = time.perf_counter()
            page.keyboard.press("Enter" if action == "add" else "Backspace")
            took.append(table_pages.until_run_ended(page, t0, t, f"{action} {region}"))
            page.keyboard.press("Escape")
    context.close()
    return took


def measure(store: Path, runs: int, profile: bool, pages: tuple[str, ...] = tuple(PAGES),
            changes: bool = True, tables: tuple[str, ...] = tuple(table_pages.TABLE_PAGES)) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    med = statistics.median
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if tables:
            with serve(store) as base:
                for name in tables:
                    rows += table_pages.measure(browser, store, base, name, WORDS[: runs + 1], runs)
        if not pages and not changes:
            browser.close()
            return rows
        floor_data = prepare_floor_data(store, store.parent)
        with serve(store, BENCH_DIR / "floor_app.py", env={"BENCH_FLOOR_DATA": str(floor_data)}) as floor:
            # the floor is the overview's: measured whenever the overview or a filter change is
            floor_first = [first_load(browser, floor + "/") for _ in range(runs + 1)]
            floor_change = table_pages.kept(filter_changes(browser, floor + "/", WORDS[: runs + 1])[1:])
            floor_region = table_pages.kept(region_changes(browser, floor + "/", REGIONS[:2]))
        with serve(store) as base:
            for name, path in ((n, PAGES[n]) for n in pages):
                cold = first_load(browser, base + path)
                warm = [first_load(browser, base + path) for _ in range(runs)]
                floor_cold = med(floor_first) if name == "overview" else None
                rows.append((f"{name}: first load (cold cache)", cold, floor_cold))
                rows.append((f"{name}: first load (warm cache, median)", med(warm),
                             med(floor_first[1:]) if name == "overview" else None))
            if not changes:
                browser.close()
                return rows
            trace = store.parent / f"trace-{store.stem}.json" if profile else None
            changes = table_pages.kept(filter_changes(browser, base + "/", WORDS[: runs + 1], trace)[1:])
            if trace is not None and trace.exists():
                spent = summarize_trace(trace)
                print(f"trace of one filter change ({store.stem}): " + ", ".join(
                    f"{k} {v:.2f} s" for k, v in spent.items()), file=sys.stderr, flush=True)
            rows.append(("overview: words filter change (median)", med(changes), med(floor_change)))
            rows.append(("overview: words filter change (max)", max(changes), max(floor_change)))
            regions = table_pages.kept(region_changes(browser, base + "/", REGIONS[:2]))
            rows.append(("overview: region change (median)", med(regions), med(floor_region)))
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(BENCH_DIR / "out"))
    parser.add_argument("--profile", action="store_true", help="write a Chromium trace of one filter change")
    parser.add_argument("--pages", default=",".join(PAGES), help="pages whose first load is timed")
    parser.add_argument("--no-changes", action="store_true", help="time first loads only")
    parser.add_argument("--tables", default=",".join(table_pages.TABLE_PAGES),
                        help="table pages timed on first load, words change and opening a row ('none': skip)")
    args = parser.parse_args()
    import generate

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print("| measure | size | ours (s) | floor (s) | ours/floor | target | met? |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        store = out / f"store-{size}.duckdb"
        if not store.exists():
            generate.build_store(store, *SIZES[size])
        pages = tuple(p for p in args.pages.split(",") if p and p != "none")
        tables = tuple(p for p in args.tables.split(",") if p and p != "none")
        for what, ours, floor in measure(store, args.runs, args.profile, pages, not args.no_changes, tables):
            kind = "change" if ("change" in what or "open a row" in what) else "first"
            target = TARGETS[kind]
            ratio = ours / floor if floor else None
            met = ours <= target and (kind != "change" or ratio is None or ratio <= TARGETS["ratio"])
            target_text = f"≤ {target} s" + (f" and ≤ {TARGETS['ratio']}× floor" if kind == "change" else "")
            print(f"| {what} | {size} | {ours:.2f} | {'' if floor is None else f'{floor:.2f}'} | "
                  f"{'' if ratio is None else f'{ratio:.2f}'} | {target_text} | {'yes' if met else 'no'} |",
                  flush=True)
    return 0



def summarize_trace(path: Path) -> dict[str, float]:
    """Seconds the page's main thread spent scripting, on style/layout and on painting during a
    traced filter change, and the wall time the trace covers: what is left is waiting for the
    server (the run itself and the websocket messages)."""
    import json

    events = json.loads(path.read_text(encoding="utf-8"))
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    kinds = {"scripting": ("FunctionCall", "EvaluateScript", "v8.compile", "TimerFire", "EventDispatch",
                           "RunMicrotasks", "FireAnimationFrame"),
             "style and layout": ("UpdateLayoutTree", "Layout", "RecalculateStyles"),
             "painting": ("Paint", "PrePaint", "Layerize", "CompositeLayers", "RasterTask")}
    busy = dict.fromkeys(kinds, 0.0)
    stamps = [e["ts"] for e in events if "ts" in e and e.get("ph") in ("X", "B", "E", "I", "i")]
    for e in events:
        if e.get("ph") != "X" or (e["pid"], e["tid"]) not in main:
            continue
        for kind, names in kinds.items():
            if e["name"] in names:
                busy[kind] += e.get("dur", 0) / 1e6
    busy["wall"] = (max(stamps) - min(stamps)) / 1e6 if stamps else 0.0
    return busy


if __name__ == "__main__":
    sys.exit(main())
