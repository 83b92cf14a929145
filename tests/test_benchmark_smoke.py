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
