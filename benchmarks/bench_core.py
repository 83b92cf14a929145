"""Measurements of the core: ingest, extraction, the store build, named queries, exports.

Each ``measure_*`` function returns a list of ``Row``; ``run.py`` runs each in its own
process so its peak memory is its own. Times are wall-clock medians (``time.perf_counter``).
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads
from needs_tracker.store.reads import HUMAN_STATUSES


@dataclass
class Row:
    measure: str
    size: str
    ours: float | None       # None: not measured (see note)
    floor: float | None = None
    unit: str = "s"
    target: str = ""
    met: bool | None = None  # None: no target
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def median_time(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def paired_medians(ours: Callable[[], object], floor: Callable[[], object], runs: int) -> tuple[float, float]:
    """Medians of ours and its floor, sampled alternately so both see the same load."""
    ours()
    floor()
    a, b = [], []
    for _ in range(runs):
        t = time.perf_counter()
        ours()
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        floor()
        b.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


# --- ingest -------------------------------------------------------------------------------

def measure_ingest(notes_dir: Path, work: Path) -> list[Row]:
    """Per format: ``ingest_paths`` into a fresh store (notes/s), and txt's pure ``extract()``."""
    from needs_tracker.extract import extract
    from needs_tracker.ingest import ingest_paths
    from needs_tracker.readers import read_document

    rows: list[Row] = []
    extract("Event: warm-up\n\nParticipants: States: Kenya.\n\nKenya noted the lack of training.")
    for fmt in ("txt", "pdf", "docx"):
        files = sorted((notes_dir / fmt).glob(f"*.{fmt}"))
        if not files:
            rows.append(Row(f"ingest {fmt}", "0 notes", None, unit="notes/s", note="no notes generated"))
            continue
        store = work / f"ingest-{fmt}.duckdb"
        store.unlink(missing_ok=True)
        t = time.perf_counter()
        reports = ingest_paths(files, location=str(store))
        seconds = time.perf_counter() - t
        stored = sum(r.outcome == "ingested" for r in reports)
        rejected = [r for r in reports if r.outcome == "rejected"]
        target, met = ("≥ 200 notes/s", len(files) / seconds >= 200) if fmt == "txt" else ("", None)
        rows.append(Row(
            f"ingest {fmt} (read+extract+store)", f"{len(files)} notes", len(files) / seconds,
            unit="notes/s", target=target, met=met,
            note=f"{stored} stored" + (f", {len(rejected)} rejected: {rejected[0].line()}" if rejected else ""),
        ))
        store.unlink(missing_ok=True)
    files = sorted((notes_dir / "txt").glob("*.txt"))
    if files:
        docs = [read_document(p) for p in files]
        t = time.perf_counter()
        for d in docs:
            extract(d.text)
        seconds = time.perf_counter() - t
        rows.append(Row("extract() only, txt, one core", f"{len(files)} notes", len(files) / seconds,
                        unit="notes/s", target="≥ 200 notes/s", met=len(files) / seconds >= 200))
    return rows


def measure_replace(txt_dir: Path, work: Path) -> list[Row]:
    """Re-ingest every txt note changed, as new versions (``replace=True``: one transaction a note,
    old text kept, audited), and the longest a reader waited for the store meanwhile."""
    import threading

    from needs_tracker.ingest import ingest_paths

    files = sorted(txt_dir.glob("*.txt"))
    if not files:
        return []
    notes, store = work / "replace-notes", work / "replace.duckdb"
    shutil.rmtree(notes, ignore_errors=True)
    shutil.copytree(txt_dir, notes)
    store.unlink(missing_ok=True)
    ingest_paths([notes], location=str(store))
    for path in notes.glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\nA revised closing line.\n", encoding="utf-8")
    stop, waits = threading.Event(), []

    def reader() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            with connect(str(store), wait=120):
                pass
            waits.append(time.perf_counter() - t)
            time.sleep(0.02)

    probe = threading.Thread(target=reader)
    probe.start()
    t = time.perf_counter()
    reports = ingest_paths([notes], location=str(store), replace=True)
    seconds = time.perf_counter() - t
    stop.set()
    probe.join()
    replaced = sum(r.outcome == "replaced" for r in reports)
    shutil.rmtree(notes, ignore_errors=True)
    store.unlink(missing_ok=True)
    return [Row("re-ingest changed txt notes (--replace)", f"{len(files)} notes", len(files) / seconds,
                unit="notes/s", note=f"{replaced} replaced"),
            Row("longest wait of a reader during that re-ingest", f"{len(files)} notes", max(waits, default=0.0),
                note="the store is released at least every second")]


def profile_extract(notes_dir: Path, limit: int = 200, top: int = 18) -> str:
    """cProfile of ``extract()`` over txt notes: the hot spots, for the report."""
    import cProfile
    import io
    import pstats

    from needs_tracker.extract import extract
    from needs_tracker.readers import read_document

    docs = [read_document(p) for p in sorted((notes_dir / "txt").glob("*.txt"))[:limit]]
    for d in docs[:10]:
        extract(d.text)
    prof = cProfile.Profile()
    prof.enable()
    for d in docs:
        extract(d.text)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats("needs_tracker", top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- the store ----------------------------------------------------------------------------

def measure_store_build(path: Path, workshops: int, needs: int, label: str) -> list[Row]:
    from generate import build_store

    result = build_store(path, workshops, needs)
    c = result["counts"]
    return [Row("build the store (SQL generator)", label, result["seconds"],
                note=f"{c['workshops']:,} workshops, {c['needs']:,} needs, {c['participation']:,} "
                     f"participations, {c['states_with_needs']} states, {result['bytes'] / 2**20:.0f} MB")]


# The filter a person changes in the benchmark, and its plain-SQL twin for the floor.
BENCH_FILTER = NeedFilter(regions=("Africa",), year_from=2010, year_to=2020)
FLOOR_WHERE = ("n.status <> 'rejected' and s.region = 'Africa' and w.year between 2010 and 2020")
FLOOR_FROM = ("from needs n join workshops w on w.id = n.workshop_id "
              "left join states s on s.iso3 = n.state_iso3")
# Plain SQL doing each named query's work, with the filter as plain SQL in {where}: no
# need_facts view, only the joins the output needs. The floor for queries and pages.
FLOOR_QUERIES = {
    "counts": f"""select count(distinct n.workshop_id), count(distinct n.state_iso3), count(*),
                   count(*) filter (where n.status in {HUMAN_STATUSES}) {FLOOR_FROM} where {{where}}""",
    "heatmap": f"""select n.state_iso3, any_value(s.name), n.category, count(distinct n.workshop_id),
                   string_agg(distinct cast(w.year as varchar), ', '), arg_max(w.title, w.start_date), max(w.year)
                   {FLOOR_FROM} where {{where}} group by n.state_iso3, n.category""",
    "by_state": f"""select n.state_iso3, any_value(s.name), any_value(s.region), count(*),
                   count(distinct n.category), count(distinct n.workshop_id)
                   {FLOOR_FROM} where {{where}} group by n.state_iso3""",
    "by_category": f"""select n.category, count(*), count(distinct n.state_iso3), count(distinct n.workshop_id)
                   {FLOOR_FROM} where {{where}} group by n.category""",
    "by_year": f"""select w.year, n.category, count(*), count(distinct n.state_iso3)
                   {FLOOR_FROM} where {{where}} and w.year is not null group by w.year, n.category""",
    "needs(limit=1000)": f"""select n.id, s.name, n.category, w.title, w.start_date, n.evidence, d.file_name
                   {FLOOR_FROM} join documents d on d.id = w.document_id where {{where}}
                   order by w.start_date desc nulls last, s.name, n.category, n.id limit 1000""",
    "workshops": f"""with m as (select n.workshop_id, count(*) as needs {FLOOR_FROM} where {{where}} group by 1),
                     o as (select workshop_id, string_agg(name, '; ') as organizers from workshop_organisations
                           where relation = 'organizer' group by 1),
                     p as (select workshop_id, count(*) as participants from participation
                           where status <> 'rejected' group by 1)
                   select w.id, w.title, w.start_date, o.organizers, p.participants, m.needs, d.file_name
                   from m join workshops w on w.id = m.workshop_id join documents d on d.id = w.document_id
                   left join o on o.workshop_id = w.id left join p on p.workshop_id = w.id
                   order by w.start_date desc nulls last, w.id""",
    "gap_finder": f"""with pairs as (
                       select n.state_iso3, n.category, count(distinct n.workshop_id) as workshops,
                              min(w.year) as first_year, max(w.year) as last_year, max(w.start_date) as last_date,
                              arg_max(w.title, w.start_date) as latest_workshop
                       {FLOOR_FROM} where {{where}} group by 1, 2),
                     later as (
                       select pr.state_iso3, pr.category, min(w.year) as addressed_year
                       from pairs pr join participation p on p.state_iso3 = pr.state_iso3 and p.status <> 'rejected'
                       join workshops w on w.id = p.workshop_id
                       join topics t on t.workshop_id = w.id and t.category = pr.category
                       where w.start_date > pr.last_date group by 1, 2)
                   select * from pairs left join later using (state_iso3, category)""",
    "state_timeline": f"""select n.category, min(w.year), max(w.year), count(distinct n.workshop_id),
                   string_agg(distinct cast(w.year as varchar), ', ')
                   {FLOOR_FROM} where {{where}} and n.state_iso3 = 'KEN' group by n.category""",
}
FLOOR_SQL = {name: sql.format(where=FLOOR_WHERE) for name, sql in FLOOR_QUERIES.items()}
OURS = {
    "counts": lambda con: reads.counts(con, BENCH_FILTER),
    "heatmap": lambda con: reads.heatmap(con, BENCH_FILTER),
    "by_state": lambda con: reads.by_state(con, BENCH_FILTER),
    "by_category": lambda con: reads.by_category(con, BENCH_FILTER),
    "by_year": lambda con: reads.by_year(con, BENCH_FILTER),
    "needs(limit=1000)": lambda con: reads.needs(con, BENCH_FILTER, limit=1000),
    "workshops": lambda con: reads.workshops(con, BENCH_FILTER),
    "gap_finder": lambda con: reads.gap_finder(con, BENCH_FILTER),
    "state_timeline": lambda con: reads.state_timeline(con, BENCH_FILTER, "KEN"),
}


def measure_queries(store: Path, label: str, runs: int = 5) -> list[Row]:
    """Each named query under ``BENCH_FILTER`` on one open connection, against its plain SQL
    twin (the floor); plus what a short-lived ``connect`` per call adds."""
    import duckdb

    rows: list[Row] = []
    with connect(str(store)) as con:
        plain = con  # the floor: the same already-open connection, plain SQL
        for name, fn in OURS.items():
            ours, floor = paired_medians(lambda fn=fn: fn(con),
                                         lambda name=name: plain.cursor().execute(FLOOR_SQL[name]).df(), runs)
            rows.append(Row(f"query {name} (filtered)", label, ours, floor,
                            target="≤ 2× floor", met=ours <= 2 * floor))
        empty = NeedFilter()
        ours, floor = paired_medians(lambda: reads.counts(con, empty), lambda: con.cursor().execute(
            FLOOR_QUERIES["counts"].format(where="n.status <> 'rejected'")).fetchall(), runs)
        rows.append(Row("query counts (no filter)", label, ours, floor, target="≤ 2× floor",
                        met=ours <= 2 * floor))
        options = median_time(lambda: reads.filter_options(con), runs)
        rows.append(Row("query filter_options", label, options))

    def open_close() -> None:
        with connect(str(store)):
            pass

    open_close_time = median_time(open_close, runs)

    def raw_open_close() -> None:
        duckdb.connect(str(store)).close()

    rows.append(Row("store.connect() open+migrate+close", label, open_close_time, median_time(raw_open_close, runs),
                    note="paid once per uncached dashboard query (short-lived connections by design)"))

    # What a dashboard cache miss really pays: a fresh connection also starts with a cold
    # buffer pool. Floor: the same query on a connection that stays open.
    for name in ("heatmap", "gap_finder", "needs(limit=1000)"):
        fn = OURS[name]

        def fresh(fn=fn) -> None:
            with connect(str(store)) as c:
                fn(c)

        cold = median_time(fresh, runs)
        with connect(str(store)) as con:
            warm = median_time(lambda fn=fn: fn(con), runs)
        rows.append(Row(f"query {name} via a fresh store.connect", label, cold, warm,
                        note="floor: the same query on a connection kept open"))
    return rows


# --- exports ------------------------------------------------------------------------------

def export_available() -> bool:
    return importlib.util.find_spec("needs_tracker.export") is not None


def _filter_for_rows(store: Path, target: int) -> tuple[NeedFilter, int]:
    """States in order until about ``target`` needs are selected."""
    with connect(str(store)) as con:
        per_state = con.execute(
            "select state_iso3, count(*) from needs where status <> 'rejected' group by 1 order by 1"
        ).fetchall()
    total = sum(n for _, n in per_state)
    if target >= total:
        return NeedFilter(), total
    chosen, selected = [], 0
    for iso3, n in per_state:
        if selected >= target:
            break
        chosen.append(iso3)
        selected += n
    return NeedFilter(states=tuple(chosen)), selected


def measure_exports(store: Path, label: str, row_targets: tuple[int, ...] = (10_000, 100_000),
                    pdf_limit_seconds: float = 60.0, skip: tuple[str, ...] = ()) -> list[Row]:
    if not export_available():
        return [Row("export (all formats)", label, None, note="not available: needs_tracker.export is missing")]
    from needs_tracker import export

    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="nt-export-"))
    try:
        pdf_too_slow = False
        for target in row_targets:
            f, selected = _filter_for_rows(store, target)
            for fmt in export.FORMATS:
                size = f"{selected:,} rows"
                if fmt in skip:
                    rows.append(Row(f"export {fmt}", size, None, note="skipped in --quick"))
                    continue
                if fmt == "pdf" and pdf_too_slow:
                    rows.append(Row(f"export {fmt}", size, None, note=f"skipped: took > {pdf_limit_seconds:.0f} s "
                                                                     "at the smaller size"))
                    continue
                t = time.perf_counter()
                try:
                    n = export.write_file(fmt, f, work / f"out.{fmt}", location=str(store), charts=False)
                except Exception as exc:  # report, keep measuring the other formats
                    rows.append(Row(f"export {fmt}", size, None, note=f"failed: {type(exc).__name__}: {exc}"[:160]))
                    continue
                seconds = time.perf_counter() - t
                target_text, met = "", None
                if fmt == "xlsx" and target >= 100_000:
                    target_text, met = "≤ 10 s", seconds <= 10
                mb = (work / f"out.{fmt}").stat().st_size / 2**20
                rows.append(Row(f"export {fmt}", f"{n:,} rows", seconds, target=target_text, met=met,
                                note=f"{mb:.1f} MB"))
                if fmt == "pdf" and seconds > pdf_limit_seconds:
                    pdf_too_slow = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows
