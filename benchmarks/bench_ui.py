"""Dashboard pages driven through Streamlit's AppTest, against a floor.

For each page of ``needs_tracker.ui.app`` that is a script file: the first run (caches
cleared, a fresh session) and the rerun after a sidebar filter change (a new region each
time, so every rerun misses the cache), each the median of several runs.

The floor for the same work is the page's queries as plain DuckDB SQL on one open
connection, plus ``floor_app.py``: a bare Streamlit script rendering the same element types
(metrics, plotly charts, a dataframe) from precomputed data.
"""

from __future__ import annotations

import os
import pickle
import statistics
import time
from pathlib import Path

import duckdb
from bench_core import FLOOR_QUERIES, Row

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DASHBOARD = PROJECT_DIR / "dashboard.py"
FLOOR_APP = BENCH_DIR / "floor_app.py"
REGIONS = ("Africa", "Asia", "Europe", "Americas", "Oceania")
REGION_KEY = "flt_regions"
FIRST_TARGET, RERUN_TARGET = 2.0, 0.3

# The page's queries as plain SQL: bench_core's floor queries, with the page's filter.
FLOOR_QUERIES = dict(FLOOR_QUERIES)
FLOOR_QUERIES["needs"] = FLOOR_QUERIES.pop("needs(limit=1000)")
PAGE_QUERIES = {
    "overview": ("counts", "heatmap", "by_state", "by_year", "needs"),
    "state": ("state_timeline", "needs"),
    "workshops": ("workshops",),
    "gaps": ("gap_finder",),
    "search": ("needs",),
}
PAGE_PARAMS = {"state": {"state": "KEN"}, "search": {"text": "lack"}}
# The same choice as plain SQL, added to the page's floor queries.
PAGE_WHERE = {"state": " and n.state_iso3 = 'KEN'", "search": " and contains(lower(n.evidence), 'lack')"}
# What each page draws, as floor_app.py element names.
PAGE_ELEMENTS = {
    "overview": "metrics,heatmap,map,years,table",
    "state": "years,table",
}
DEFAULT_ELEMENTS = "table"


def dashboard_pages() -> list[tuple[str, Path]] | str:
    """(url_path, script) of every page the sidebar filters apply to, or why none can be measured."""
    if not DASHBOARD.exists():
        return "dashboard.py is missing"
    try:
        from needs_tracker.ui import registry
    except ImportError as exc:
        return f"needs_tracker.ui.registry cannot be imported: {exc}"
    return [(spec.url_path, spec.script) for spec in registry.SPECS if spec.filtered and spec.script.exists()] \
        or "no page is a script file yet"


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _new_app(script: Path, page: Path | None, params: dict, timeout: float):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    if page is not None:
        at.switch_page(str(page.relative_to(script.parent)))
    return at


def _first_and_reruns(script: Path, page: Path | None, params: dict, runs: int, timeout: float,
                      widget_key: str) -> tuple[float, float, str]:
    """(median first run, median rerun after a filter change, problems seen)."""
    firsts, reruns, problems = [], [], []
    for i in range(runs):
        _clear_caches()
        at = _new_app(script, page, params, timeout)
        t = time.perf_counter()
        at.run()
        firsts.append(time.perf_counter() - t)
        if at.exception:
            problems.append(str(at.exception[0].message)[:120])
            break
        if i == 0:
            for region in REGIONS[:runs]:
                try:
                    widget = at.multiselect(key=widget_key)
                except KeyError:
                    problems.append(f"no widget with key {widget_key}")
                    break
                widget.set_value([region])
                t = time.perf_counter()
                at.run()
                reruns.append(time.perf_counter() - t)
                if at.exception:
                    problems.append(str(at.exception[0].message)[:120])
                    break
    med = statistics.median
    return med(firsts), (med(reruns) if reruns else float("nan")), "; ".join(dict.fromkeys(problems))


def _sql_floor(con: duckdb.DuckDBPyConnection, names: tuple[str, ...], where: str, runs: int) -> float:
    total = 0.0
    for name in names:
        sql = FLOOR_QUERIES[name].format(where=where)
        con.execute(sql).fetchall()
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            con.execute(sql).df()
            samples.append(time.perf_counter() - t)
        total += statistics.median(samples)
    return total


def prepare_floor_data(store: Path, out: Path) -> Path:
    """Precompute what floor_app.py draws (so its time is rendering only)."""
    with duckdb.connect(str(store), read_only=True) as con:
        where = "n.status <> 'rejected'"
        frames = {
            name: con.execute(FLOOR_QUERIES[name].format(where=where)).df()
            for name in ("counts", "heatmap", "by_state", "by_year", "needs")
        }
    path = out / "floor-data.pkl"
    path.write_bytes(pickle.dumps(frames))
    return path


def measure_dashboard(store: Path, label: str, work: Path, runs: int = 5, timeout: float = 180) -> list[Row]:
    pages = dashboard_pages()
    if isinstance(pages, str):
        return [Row("dashboard pages (AppTest)", label, None, note=f"not available: {pages}")]
    os.environ["NEEDS_TRACKER_DB"] = str(store)
    os.environ["BENCH_FLOOR_DATA"] = str(prepare_floor_data(store, work))
    # Warm up imports and plotly once, so no page pays the process's first-import cost.
    _first_and_reruns(DASHBOARD, None, {}, 1, timeout, REGION_KEY)
    _first_and_reruns(FLOOR_APP, None, {}, 1, timeout, "region")
    rows = []
    # Each page's floor is measured right beside it, so both see the same load on the machine.
    # A plain connection with store.connect's configuration may share the file within the process.
    con = duckdb.connect(str(store))
    try:
        for url_path, script in pages:
            os.environ["BENCH_FLOOR_ELEMENTS"] = PAGE_ELEMENTS.get(url_path, DEFAULT_ELEMENTS)
            floor_first, floor_rerun, floor_problem = _first_and_reruns(FLOOR_APP, None, {}, runs, timeout, "region")
            first, rerun, problem = _first_and_reruns(DASHBOARD, script, PAGE_PARAMS.get(url_path, {}), runs,
                                                      timeout, REGION_KEY)
            problem = "; ".join(p for p in (problem, floor_problem and f"floor: {floor_problem}") if p)
            names = PAGE_QUERIES.get(url_path, ("counts",))
            extra = PAGE_WHERE.get(url_path, "")
            sql_first = _sql_floor(con, names, "n.status <> 'rejected'" + extra, runs)
            sql_rerun = _sql_floor(con, names, "n.status <> 'rejected' and s.region = 'Asia'" + extra, runs)
            rows.append(Row(f"page {url_path}: first run", label, first, floor_first + sql_first,
                            target=f"≤ {FIRST_TARGET:.0f} s", met=first <= FIRST_TARGET,
                            note="; ".join(p for p in (problem, f"floor = {floor_first:.2f} s render + "
                                                       f"{sql_first:.2f} s SQL ({', '.join(names)})") if p)))
            rows.append(Row(f"page {url_path}: rerun after filter change", label, rerun,
                            floor_rerun + sql_rerun, target=f"≤ {RERUN_TARGET * 1000:.0f} ms and ≤ 2× floor",
                            met=rerun <= RERUN_TARGET and rerun <= 2 * (floor_rerun + sql_rerun),
                            note="; ".join(p for p in (problem, f"floor = {floor_rerun * 1000:.0f} ms render + "
                                                       f"{sql_rerun * 1000:.0f} ms SQL") if p)))
    finally:
        con.close()
    return rows
