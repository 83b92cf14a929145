"""The two table pages (Matching, Gap finder) in the browser: first load, a words filter
change and opening a row's evidence, each against a floor (``floor_app.py`` with
``BENCH_FLOOR_PAGE`` set: the same table and the same evidence drawn from data computed
beforehand, no queries). Used by ``bench_browser.py``.

A row is opened as a person does it: a click on the row's selection box in the grid (the grid
is a canvas, so the click goes to the row's position), timed until the run that it starts has
ended and the evidence heading is on the page.
"""

from __future__ import annotations

import html
import pickle
import sys
import time
from pathlib import Path

from browser import IDLE_JS, first_load, wait_idle

TABLE_PAGES = {"matching": "/matching", "gaps": "/gaps"}
# st.dataframe's default geometry: a 35 px header, 35 px rows, the selection boxes in the first ~30 px
HEADER_PX, ROW_PX, MARKER_X = 35, 35, 14
RUN_ENDED = """(t0) => {
  const runs = window.__runs.filter(r => r[1] >= t0);
  const started = runs.findIndex(r => r[0] === 'running');
  return started >= 0 && runs.slice(started).some(r => r[0] !== 'running' && r[0] !== 'rerunRequested');
}"""
# Records every change of Streamlit's script state with its time, so a run is seen even when
# it is shorter than one polling interval.
RECORDER = """() => {
  window.__runs = [];
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__runs.push([app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
EVIDENCE_SHOWN = """(n) => {
  const h = document.querySelectorAll('[data-testid="stMain"] h3');
  return h.length > 0 && h[h.length - 1].textContent.includes(n);
}"""


def _table(page: str, con, f):
    """The table the page shows and its rows (state, category, state name, label)."""
    if page == "matching":
        from needs_tracker.export.matching_format import flat_table
        from needs_tracker.store.assistance import matching_table

        rows = matching_table(con, f)
        return flat_table(rows), rows
    from needs_tracker.store.assistance import matching_table
    from needs_tracker.ui.pages.gaps import _rows  # the gap finder's rows: the matching table, ranked

    rows, shown = _rows(matching_table(con, f), f)
    return shown, rows


def _evidence(page: str, con, f, r) -> dict:
    """What a selected row draws below the table: the need sentences (as the page's HTML, escaped)
    and, on the Matching page, the requests, offers and later events."""
    from needs_tracker.store import assistance, reads

    pair = f.with_(states=(r["state_iso3"],), categories=(r["category"],))
    needs, total = reads.needs_page(con, pair, 200)
    quotes = "".join(
        f"<div><b>{html.escape(str(n.state_name))}</b> · {html.escape(str(n.category))}<blockquote>"
        f"{html.escape(str(n.evidence))}</blockquote><small>{html.escape(str(n.workshop_title))}, "
        f"{html.escape(str(n.start_date))}</small></div>" for n in needs.itertuples(index=False))
    out = {"heading": f"{r['state_name']} · {r['category']}", "quotes": quotes, "total": total}
    if page == "matching":
        out["requests"] = assistance.requests_for(con, r["state_iso3"], r["category"])
        out["offers"] = assistance.offers_for(con, r["state_iso3"], r["category"])
        later = tuple(int(i) for i in r["later_events"])
        out["events"] = assistance.events_by_id(con, later) if later else None
    return out


def prepare_floor_data(store: Path, page: str, words: tuple[str, ...], rows_opened: int) -> Path:
    """The page's table unfiltered and under each words filter typed, and the evidence of the first
    ``rows_opened`` rows, computed once with the dashboard's own queries."""
    from needs_tracker.filters import NeedFilter
    from needs_tracker.store import connect, reads

    frames: dict = {"page": page, "by_words": {}}
    with connect(str(store)) as con:
        frames["table"], rows = _table(page, con, NeedFilter())
        frames["filter_options"] = reads.filter_options(con)  # drawn only with $BENCH_FLOOR_SIDEBAR
        frames["evidence"] = [_evidence(page, con, NeedFilter(), rows.iloc[i]) for i in range(rows_opened)]
        for w in words:
            frames["by_words"][w] = _table(page, con, NeedFilter(text=w))[0]
    path = store.parent / f"floor-{store.stem}-{page}.pkl"
    path.write_bytes(pickle.dumps(frames))
    return path


def _open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    wait_idle(page)
    page.evaluate(RECORDER)
    return context, page


def until_run_ended(page, t0: float, t: float, what: str) -> float | None:
    """Seconds since ``t`` once the run started after ``t0`` (page time) has ended and the page is
    idle; None, with a line on stderr, when no run was seen within 30 s (on a loaded machine a
    key press is now and then lost): the sample is dropped rather than the whole benchmark."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(RUN_ENDED, arg=t0, timeout=30_000, polling="raf")
    except PlaywrightTimeout:
        print(f"no run seen after {what} within 30 s: sample dropped", file=sys.stderr, flush=True)
        return None
    page.wait_for_function(IDLE_JS, timeout=120_000, polling="raf")
    return time.perf_counter() - t


def kept(samples: list[float | None]) -> list[float]:
    """The samples taken (see ``until_run_ended``), or [nan] when none was."""
    return [s for s in samples if s is not None] or [float("nan")]


def open_rows(browser, url: str, count: int) -> list[float]:
    """Select rows 1..count of the page's table in turn: seconds from the click until the run
    ended and that row's evidence heading is shown."""
    context, page = _open_page(browser, url)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    took = []
    for i in range(count):
        box = grid.bounding_box()
        t0 = page.evaluate("performance.now()")
        t = time.perf_counter()
        page.mouse.click(box["x"] + MARKER_X, box["y"] + HEADER_PX + ROW_PX * i + ROW_PX / 2)
        took.append(until_run_ended(page, t0, t, f"selecting row {i + 1}"))
        page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMain\"] h3').length > 0",
                               timeout=120_000, polling="raf")
    context.close()
    return took


def word_changes(browser, url: str, words: tuple[str, ...]) -> list[float]:
    """Type each of ``words`` into the sidebar's words filter: seconds from Enter until the run
    ended and the page was drawn again."""
    context, page = _open_page(browser, url)
    box = page.get_by_role("textbox", name="Words in the evidence")
    took = []
    for word in words:
        box.fill(word)
        t0 = page.evaluate("performance.now()")
        t = time.perf_counter()
        box.press("Enter")
        took.append(until_run_ended(page, t0, t, f"typing {word!r}"))
    context.close()
    return took


def first_loads(browser, url: str, runs: int) -> tuple[float, float]:
    """A new visitor opens ``url``: the first time (cold cache) and the median of ``runs`` more."""
    import statistics

    cold = first_load(browser, url)
    return cold, statistics.median([first_load(browser, url) for _ in range(runs)])


def measure(browser, store: Path, base: str, page: str, words: tuple[str, ...], runs: int) -> list[tuple]:
    """Rows (what, ours, floor) for one table page on the dashboard served at ``base``."""
    import statistics

    from browser import serve

    med = statistics.median
    data = prepare_floor_data(store, page, words, runs + 1)
    env = {"BENCH_FLOOR_DATA": str(data), "BENCH_FLOOR_PAGE": page}
    with serve(store, Path(__file__).parent / "floor_app.py", env=env) as floor:
        f_cold, f_warm = first_loads(browser, floor + "/", runs)
        f_change = kept(word_changes(browser, floor + "/", words)[1:])
        f_open = kept(open_rows(browser, floor + "/", runs + 1)[1:])
    url = base + TABLE_PAGES[page]
    cold, warm = first_loads(browser, url, runs)
    change = kept(word_changes(browser, url, words)[1:])
    opened = kept(open_rows(browser, url, runs + 1)[1:])
    return [(f"{page}: first load (cold cache)", cold, f_cold),
            (f"{page}: first load (warm cache, median)", warm, f_warm),
            (f"{page}: words filter change (median)", med(change), med(f_change)),
            (f"{page}: words filter change (max)", max(change), max(f_change)),
            (f"{page}: open a row's evidence (median)", med(opened), med(f_open))]
