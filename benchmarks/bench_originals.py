"""What keeping each note's original file costs the store (``store.originals``).

Reads every note of the labelled sets in the checkout (``tests/corpus``) and, when present, the
shared corpus beside it (``../shared/corpus``: docs, more-real, synthetic), then ingests them twice
into fresh stores: as ingest does now (text + original bytes), and with the bytes left out (as
before schema 5). Prints the files' size by format, both stores' sizes and the difference:

    .venv/bin/python benchmarks/bench_originals.py [--out benchmarks/out/originals]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus" / "docs",
           ROOT.parent / "shared" / "corpus" / "more-real", ROOT.parent / "shared" / "corpus" / "synthetic"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "originals")
    args = parser.parse_args()
    os.environ.setdefault("NEEDS_TRACKER_MODEL", "rules")  # the size is the point, not the model

    from needs_tracker.errors import ReadError
    from needs_tracker.ingest import ingest_documents
    from needs_tracker.readers import iter_note_files, read_document

    docs, seen = [], set()
    for path in iter_note_files([p for p in SOURCES if p.is_dir()]):
        try:
            doc = read_document(path)
        except ReadError:
            continue
        if doc.sha256 not in seen:  # one file in two sets is one note
            seen.add(doc.sha256)
            docs.append(doc)
    by_format, count = Counter(), Counter()
    for doc in docs:
        by_format[doc.format] += doc.size_bytes
        count[doc.format] += 1
    total = sum(by_format.values())
    print(f"{len(docs)} notes, {total / 1e6:.2f} MB of files: " + ", ".join(
        f"{count[f]} {f} ({by_format[f] / 1e6:.2f} MB)" for f in sorted(by_format)))

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    sizes = {}
    for kept, batch in (("with originals", docs),
                        ("text only", [dataclasses.replace(d, original=None) for d in docs])):
        location = str(args.out / f"{kept.replace(' ', '-')}.duckdb")
        reports = ingest_documents(batch, location=location)
        stored = sum(r.outcome == "ingested" for r in reports)
        sizes[kept] = os.path.getsize(location)
        print(f"{kept:<15} {stored} notes stored, store {sizes[kept] / 1e6:.2f} MB")
    growth = sizes["with originals"] - sizes["text only"]
    print(f"the originals add {growth / 1e6:.2f} MB to the store: {growth / total:.2f}× the files' size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
