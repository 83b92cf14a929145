"""The benchmark runs: its generator writes marked synthetic data and a tiny measurement
fills the table with the expected rows. No timing is asserted here; figures belong in
``benchmarks/run.py``'s output, not in tests that fail on a slow machine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import bench_core  # noqa: E402
import generate  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-notes")
    generate.write_notes(out, {"txt": 3, "pdf": 1, "docx": 1})
    return out


def test_every_note_is_marked_synthetic_and_every_layout_is_used(notes):
    txt = sorted((notes / "txt").glob("*.txt"))
    assert [p.name.split("_")[-1] for p in txt] == ["labelled.txt", "markdown.txt", "press.txt"]
    for path in txt:
        assert path.read_text(encoding="utf-8").startswith(generate.SYNTHETIC_MARKER)
    from needs_tracker.readers import read_document

    for fmt in ("pdf", "docx"):
        (path,) = (notes / fmt).glob(f"*.{fmt}")
        assert read_document(path).text.startswith(generate.SYNTHETIC_MARKER)


def test_generated_notes_are_ingested_and_give_needs(notes, tmp_path):
    rows = bench_core.measure_ingest(notes, tmp_path)
    assert [r.measure.split(" (")[0] for r in rows] == [
        "ingest txt", "ingest pdf", "ingest docx", "extract() only, txt, one core"]
    assert all(r.ours and r.ours > 0 for r in rows)
    assert all("rejected" not in r.note for r in rows)


def test_store_and_queries_give_the_table_rows(tmp_path):
    store = tmp_path / "store.duckdb"
    (build,) = bench_core.measure_store_build(store, 20, 500, "tiny")
    assert "20 workshops, 500 needs" in build.note
    rows = bench_core.measure_queries(store, "tiny", runs=1)
    names = [r.measure for r in rows]
    for query in bench_core.OURS:
        assert f"query {query} (filtered)" in names
    assert "store.connect() open+migrate+close" in names
    assert all(r.floor for r in rows if r.target == "≤ 2× floor")

    text = run.table([build, *rows, bench_core.Row("export xlsx", "1 rows", None, note="not available")])
    lines = text.splitlines()
    assert lines[0] == "| " + " | ".join(run.COLUMNS) + " |"
    assert len(lines) == 2 + 1 + len(rows) + 1
    assert "| export xlsx | 1 rows | — |" in text


def test_synthetic_data_never_goes_under_data(tmp_path):
    with pytest.raises(SystemExit, match="data/"):
        run.main(["--quick", "--out", str(BENCH_DIR.parent / "data" / "bench")])


def test_the_generated_store_has_hosts_venues_offers_and_requests(tmp_path):
    """Each workshop is held in one of its participants' cities, so only events that overlap in
    time and place are linked as one event; offers and requests feed the Matching page."""
    built = generate.build_store(tmp_path / "store.duckdb", 200, 4000)
    counts = built["counts"]
    assert (counts["offers"], counts["requests"]) == (200, 40)
    assert counts["venue_countries"] > 40 and counts["workshops_linked"] < 20
    from needs_tracker.store import connect

    with connect(str(tmp_path / "store.duckdb")) as con:
        hosts = con.execute(
            "select count(*), count(distinct w.id) from workshops w join participation p "
            "on p.workshop_id = w.id and p.role = 'host' and p.state_iso3 = w.venue_country_iso3").fetchall()[0]
        cities = con.execute("select count(distinct venue_city), count(*) filter (where venue_city is null) "
                             "from workshops").fetchall()[0]
        offered = con.execute("select count(*) from offers o join needs n on n.workshop_id = o.workshop_id "
                              "and list_contains(o.recipients_iso3, n.state_iso3) and n.category = o.category"
                              ).fetchall()[0][0]
    assert hosts == (200, 200) and cities[0] > 60 and cities[1] == 0
    assert offered >= 200  # every offer answers a need reported at its workshop


def test_the_table_pages_floor_draws_the_dashboards_table(tmp_path):
    import pickle

    import table_pages

    from needs_tracker.filters import NeedFilter
    from needs_tracker.store import connect
    from needs_tracker.store.assistance import matching_table

    store = tmp_path / "store.duckdb"
    generate.build_store(store, 40, 800)
    frames = pickle.loads(table_pages.prepare_floor_data(store, "matching", ("lack", "border"), 2).read_bytes())
    with connect(str(store)) as con:
        table = matching_table(con, NeedFilter())
    assert len(frames["table"]) == len(table) and list(frames["by_words"]) == ["lack", "border"]
    assert [e["heading"].split(" · ")[0] for e in frames["evidence"]] == list(table["state_name"][:2])
    assert frames["evidence"][0]["total"] > 0 and "offers" in frames["evidence"][0]
    gaps = pickle.loads(table_pages.prepare_floor_data(store, "gaps", ("lack",), 1).read_bytes())
    assert len(gaps["table"]) == len(table) and "offers" not in gaps["evidence"][0]
