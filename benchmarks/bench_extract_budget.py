"""Time extraction on the hostile text shapes of issue 13 (items 3 and 12) and print the figures.

The tests in tests/test_extract_budget.py check the results; this script only prints how long each
shape takes, so a regression to quadratic time shows as a number, not as a flaky test.

    .venv/bin/python benchmarks/bench_extract_budget.py
"""

from __future__ import annotations

import time

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


if __name__ == "__main__":
    main()
