"""What the learned need model costs: load, extraction per note with and without it, training.

Prints figures, asserts nothing (`.venv/bin/python benchmarks/bench_learn.py`). It reads the labelled
sets present (../shared and tests/corpus) and never writes outside a temporary folder.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from needs_tracker.evaluate import document_text  # noqa: E402
from needs_tracker.extract import extract  # noqa: E402
from needs_tracker.learn import runtime  # noqa: E402
from needs_tracker.learn.dataset import labelled_examples, labelled_sets, read_gold  # noqa: E402
from needs_tracker.learn.train import fit, manifest, write  # noqa: E402


def main() -> int:
    sets = labelled_sets()
    texts = [document_text(s.docs, e) for s in sets for e in read_gold(s)]
    print(f"{len(texts)} labelled documents in {len(sets)} sets")
    started = time.perf_counter()
    runtime.load_model(runtime.PACKAGED_MODEL)
    print(f"load the shipped model (once per process): {time.perf_counter() - started:.2f} s")
    for choice in ("rules", "auto"):
        extract(texts[0], model=choice)  # warm up
        times = []
        for text in texts:
            t = time.perf_counter()
            extract(text, model=choice)
            times.append(time.perf_counter() - t)
        print(f"extract, {'rules alone' if choice == 'rules' else 'with the model'}: "
              f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms per document")
    t = time.perf_counter()
    examples = labelled_examples(sets)
    print(f"examples from the labelled sets: {len(examples)} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    model = fit(examples)
    print(f"fit: {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.skops"
        t = time.perf_counter()
        write(model, manifest(examples, ["benchmark"], model), path)
        print(f"write: {time.perf_counter() - t:.2f} s, {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
