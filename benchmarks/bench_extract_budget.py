"""Time extraction on the hostile text shapes of issue 13 (items 3 and 12), and the cost of long
ordinary prose against the text budget (NEEDS_TRACKER_MAX_TEXT_CHARS), and print the figures.

The tests in tests/test_extract_budget.py and tests/test_text_budget.py check the results; this
script only prints how long each shape takes and how much memory long prose needs, so a regression
shows as a number, not as a flaky test.

    .venv/bin/python benchmarks/bench_extract_budget.py            # both tables
    .venv/bin/python benchmarks/bench_extract_budget.py --prose    # the text budget only
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from needs_tracker.extract import extract

SHAPES = {
    "'Participants: Kazakhstan, ' x 20,000 (240 KB)": "Workshop\n\nParticipants: " + "Kazakhstan, " * 20_000 + "\n",
    "one state a line x 20,000": "Workshop\n\nParticipating States:\n" + "Kazakhstan\n" * 20_000,
    "'Officials from X, ' x 20,000 in prose": "Workshop\n\nOfficials from " + "Kazakhstan, " * 20_000 + "attended.\n",
    "one paragraph of 1.1 MB (over spaCy's 1,000,000)":
        "Workshop\n\nParticipants: Chad\n\n" + "Chad noted a lack of licensing staff. " * 29_000,
    "1.2 MB of blank lines": "Workshop\n\n" + (" " * 1000 + "\n") * 1200,
    "1.2 MB of spaces and tabs on one line": "Workshop\n\n" + " \t " * 400_000,
    "'March 12, 2019; ' x 20,000 (20,000 dates)": "Workshop\n\n" + "March 12, 2019; " * 20_000,
    "'12, 13, ' x 30,000 (numbers)": "Workshop\n\n" + "12, 13, " * 30_000,
}


def main() -> None:
    if "--prose" not in sys.argv:
        hostile_shapes()
    text_budget()


def hostile_shapes() -> None:
    extract("warm-up: Officials from Chad attended.")  # load spaCy and the state index once
    index_and_mentions()
    print(f"| {'text':<52} | seconds |")
    print(f"|{'-' * 54}|---------|")
    for name, text in SHAPES.items():
        start = time.perf_counter()
        extract(text)
        print(f"| {name:<52} | {time.perf_counter() - start:7.2f} |")


def index_and_mentions() -> None:
    """Building the state index (after the first, which pays the imports) and finding the states
    of a 5,000-character note: best of five, in milliseconds."""
    from needs_tracker.states import StateIndex, state_index

    note = ("The workshop brought together Kazakhstan, the Kyrgyz Republic, Tajikistan, Turkmenistan and "
            "Uzbekistan with experts from the United States and the Russian Federation. ") * 40
    note = note[:5000]
    build = min(_timed(StateIndex) for _ in range(3))
    find = min(_timed(lambda: state_index().find_mentions(note)) for _ in range(5))
    print(f"state index built in {build * 1000:.0f} ms; states of a 5,000-character note found in "
          f"{find * 1000:.1f} ms\n")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- the text budget ---------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
PROSE_SETS = [ROOT.parent / "shared" / "corpus" / "more-real" / "docs", ROOT.parent / "shared" / "corpus" / "docs",
              ROOT / "src" / "needs_tracker" / "data" / "notes"]
# Run in a fresh process per size, so each peak of resident memory is that size's alone.
_ONE_SIZE = """
import gc, resource, sys, time
sys.path.insert(0, {bench!r})
from bench_extract_budget import prose
from needs_tracker.extract import extract
text = prose(int({chars}))
extract("warm-up: Officials from Chad attended.")
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
found = extract(text)
seconds = time.perf_counter() - start
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(f"{{seconds:.1f}} {{grown:.0f}} {{len(found.needs)}}")
"""


def prose(chars: int) -> str:
    """``chars`` characters of ordinary notes (the shared labelled documents, else the bundled
    ones), repeated: real sentences, headings and lists, not one sentence copied."""
    from needs_tracker.readers import iter_note_files, read_document

    folders = [str(f) for f in PROSE_SETS if f.is_dir()]
    texts = [read_document(p).text for p in iter_note_files(folders)]
    body = "\n\n".join(texts)
    return (body * (chars // len(body) + 1))[:chars]


def text_budget() -> None:
    from needs_tracker import config
    from needs_tracker.errors import ReadError
    from needs_tracker.readers import read_bytes

    limit = config.max_text_chars()
    print(f"\nOrdinary prose, extracted (limit NEEDS_TRACKER_MAX_TEXT_CHARS = {limit:,} characters)\n")
    print("| characters | seconds | peak memory added | needs found |")
    print("|---|---|---|---|")
    for chars in (250_000, 1_000_000, 3_000_000):
        code = _ONE_SIZE.format(bench=str(Path(__file__).parent), chars=chars)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        seconds, grown, needs = out.stdout.split()
        print(f"| {chars:,} | {seconds} | {grown} MB | {needs} |")
    data = prose(24 * 1024 * 1024).encode()  # under the 25 MB file limit (a few characters are 2 bytes)
    start = time.perf_counter()
    try:
        read_bytes(data, "long.txt")
        verdict = "read (the limit was raised)"
    except ReadError as exc:
        verdict = f"refused: {exc}"
    print(f"\nA {len(data) / 1024 ** 2:.1f} MB text file: {verdict} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
