"""Ingest throughput of the two store paths, and how long a run holds the store's lock.

- new notes: read + extract + ``store.writes.insert_new_batch`` (one INSERT per table);
- changed notes re-ingested as new versions (``replace=True``): one transaction per note through
  ``store.writes.merge_extraction``, the store released at least every ``ingest.HOLD_SECONDS``
  so a dashboard or a ``stats`` call gets in (``bench_core.measure_replace``, which also
  measures the longest wait of a reader opening the store every 20 ms meanwhile);
- the Extraction → rows mapper alone (``store.rows.workshop_rows``), to show it costs nothing.

    .venv/bin/python benchmarks/ingest_prototype.py benchmarks/out/notes/txt
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import measure_replace  # noqa: E402

from needs_tracker.extract import extract  # noqa: E402
from needs_tracker.ingest import ingest_paths  # noqa: E402
from needs_tracker.readers import read_document  # noqa: E402
from needs_tracker.store.rows import workshop_rows  # noqa: E402


def main(notes_dir: str) -> None:
    files = sorted(Path(notes_dir).glob("*.txt"))
    extract("Event: warm-up\n\nParticipants: Kenya.\n\nKenya noted the lack of training.")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ingest_paths([notes_dir], location=str(Path(tmp) / "new.duckdb"))
        print(f"new notes:      {len(files) / (time.perf_counter() - t):6.0f} notes/s ({len(files)} notes)")
        rate, wait = measure_replace(Path(notes_dir), Path(tmp))
        print(f"changed notes:  {rate.ours:6.0f} notes/s ({rate.note})")
        print(f"longest wait of another reader during the re-ingest: {wait.ours * 1000:.0f} ms")
    exs = [extract(read_document(p).text) for p in files[:100]]
    t = time.perf_counter()
    for i, ex in enumerate(exs):
        workshop_rows(i, ex)
    print(f"rows mapper:    {len(exs) / (time.perf_counter() - t):6.0f} notes/s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/notes/txt")
