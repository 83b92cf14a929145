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
}


def main() -> None:
    extract("warm-up: Officials from Chad attended.")  # load spaCy and the state index once
    print(f"| {'text':<52} | seconds |")
    print(f"|{'-' * 54}|---------|")
    for name, text in SHAPES.items():
        start = time.perf_counter()
        extract(text)
        print(f"| {name:<52} | {time.perf_counter() - start:7.2f} |")


if __name__ == "__main__":
    main()
