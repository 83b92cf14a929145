"""Ingest throughput of the two store paths, and how long a run holds the store's lock.

- new notes: read + extract + ``store.writes.insert_new_batch`` (one INSERT per table);
- changed notes re-ingested as new versions (``replace=True``): one transaction per note through
  ``store.writes.merge_extraction``, the connection released every ``ingest.HOLD_SECONDS`` so
  a dashboard or a ``stats`` call gets in;
- the Extraction → rows mapper alone (``store.rows.workshop_rows``), to show it costs nothing.

    .venv/bin/python benchmarks/ingest_prototype.py benchmarks/out/notes/txt

The longest lock hold is measured from a second thread that opens the store every 20 ms
while the re-ingest runs, as a dashboard would.
"""

from __future__ import annotations

import inspect
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from needs_tracker import db
from needs_tracker.extract import extract
from needs_tracker.ingest import ingest_paths
from needs_tracker.readers import read_document


def _longest_wait(location: str, stop: threading.Event, waits: list[float]) -> None:
    while not stop.is_set():
        t = time.perf_counter()
        try:
            with db.connect(location, wait=60):
                pass
        except Exception:  # noqa: BLE001 - a benchmark probe; the figure is the wait
            pass
        waits.append(time.perf_counter() - t)
        time.sleep(0.02)


def main(notes_dir: str) -> None:
    files = sorted(Path(notes_dir).glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        shutil.copytree(notes_dir, notes)
        location = str(Path(tmp) / "store.duckdb")
        extract("Event: warm-up\n\nParticipants: Kenya.\n\nKenya noted the lack of training.")
        t = time.perf_counter()
        ingest_paths([notes], location=location)
        new_rate = len(files) / (time.perf_counter() - t)
        for path in notes.glob("*.txt"):
            path.write_text(path.read_text(encoding="utf-8") + "\nA revised closing line.\n", encoding="utf-8")
        kwargs = {"replace": True} if "replace" in inspect.signature(ingest_paths).parameters else {}
        stop, waits = threading.Event(), []
        probe = threading.Thread(target=_longest_wait, args=(location, stop, waits))
        probe.start()
        t = time.perf_counter()
        reports = ingest_paths([notes], location=location, **kwargs)
        changed_rate = len(files) / (time.perf_counter() - t)
        stop.set()
        probe.join()
    outcomes = sorted({r.outcome for r in reports})
    print(f"new notes:      {new_rate:6.0f} notes/s ({len(files)} notes)")
    print(f"changed notes:  {changed_rate:6.0f} notes/s ({', '.join(outcomes)})")
    print(f"longest wait of another reader during the re-ingest: {max(waits, default=0) * 1000:.0f} ms")
    try:
        from needs_tracker.store.rows import workshop_rows
    except ImportError:
        return
    exs = [extract(read_document(p).text) for p in files[:100]]
    t = time.perf_counter()
    for i, ex in enumerate(exs):
        workshop_rows(i, ex)
    print(f"rows mapper:    {len(exs) / (time.perf_counter() - t):6.0f} notes/s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/notes/txt")
