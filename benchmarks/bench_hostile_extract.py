"""Time and peak memory of the whole extraction (``extract``: fields, participants, dates, places,
needs, offers, requests) on hostile-but-allowed text shapes, each at a few sizes, so the growth
shows: a linear path takes about 4x the time at 4x the size, a quadratic one 16x.

Each measurement runs in a process forked from a warmed-up one (spaCy, the state index, the
rules and the learned model already loaded), so its figures are its own: wall time, and the peak
resident memory it added (the kernel's high-water mark is reset before it starts). A shape whose
run passes ``--budget`` seconds is not tried at larger sizes (marked "skipped"); a run passing
``--timeout`` is stopped and marked "timeout".

    .venv/bin/python benchmarks/bench_hostile_extract.py                  # 20, 80, 320 KB
    .venv/bin/python benchmarks/bench_hostile_extract.py --sizes 20000,80000,320000,1280000
    .venv/bin/python benchmarks/bench_hostile_extract.py --only who_came,cue_run --profile
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import sys
import time
from collections.abc import Callable

from needs_tracker.extract import extract


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    body = max(size - len(head) - len(tail), len(unit))
    return head + unit * (body // len(unit)) + tail


def _cycle(words: list[str], sep: str, size: int, head: str = "", tail: str = "") -> str:
    out, total, i = [], len(head) + len(tail), 0
    while total < size:
        word = words[i % len(words)]
        out.append(word)
        total += len(word) + len(sep)
        i += 1
    return head + sep.join(out) + tail


def _random_marks(size: int) -> str:
    import random

    pick = random.Random(1540)
    return "".join(pick.choice(";:()'\".,!?-[]/*&%$#@") for _ in range(size))


def _state_names() -> list[str]:
    from needs_tracker.states import state_index

    return [s.name for s in state_index().all_states()]


HEAD = "Workshop on export controls\n\nParticipants: Chad, Mali, Niger\n\n"

# name -> (what it is, text of about ``size`` characters)
SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "ordinary_prose": ("for comparison: ordinary sentences, paragraphs of three",
                       lambda n: _repeat("Officials from Chad attended the session. Chad noted a lack of licensing "
                                         "staff. The workshop discussed border controls with Mali.\n\n", n, HEAD)),
    "who_came": ("'Who came: Chad; ' repeated", lambda n: _repeat("Who came: Chad; ", n)),
    "state_list": ("Participants: every state name, comma-separated",
                   lambda n: _cycle(_state_names(), ", ", n, "Workshop\n\nParticipants: ", ".\n")),
    "state_words": ("only state names, spaces, no punctuation", lambda n: _cycle(_state_names(), " ", n)),
    "state_lines": ("one state name a line", lambda n: _cycle(_state_names(), "\n", n, "Workshop\n\n")),
    "one_sentence": ("one sentence, no full stop: 'Chad noted a lack of licensing staff and '",
                     lambda n: _repeat("Chad noted a lack of licensing staff and ", n, HEAD)),
    "semicolons_needs": ("one sentence of needs joined by ';': 'Chad lacks licensing staff; '",
                         lambda n: _repeat("Chad lacks licensing staff; ", n, HEAD)),
    "while_clauses": ("', while Mali needs detection equipment' repeated (one sentence)",
                      lambda n: _repeat(", while Mali needs detection equipment", n, HEAD + "Chad lacks staff")),
    "and_that": ("'and that Chad needs training ' repeated (one sentence)",
                 lambda n: _repeat("and that Chad needs training ", n, HEAD + "Mali noted ")),
    "short_lines": ("'Chad lacks staff' a line", lambda n: _repeat("Chad lacks staff\n", n, HEAD)),
    "tiny_lines": ("'x' a line", lambda n: _repeat("x\n", n, HEAD)),
    "bullets": ("'- Chad: lack of detection equipment' a line",
                lambda n: _repeat("- Chad: lack of detection equipment\n", n, HEAD)),
    "table_rows": ("table rows '| Chad | lack of licensing staff | 2019 |'",
                   lambda n: _repeat("| Chad | lack of licensing staff | 2019 |\n", n,
                                     HEAD + "| State | Gap | Year |\n|---|---|---|\n")),
    "table_cells": ("one table row of many cells '| Chad '", lambda n: _repeat("| Chad ", n, HEAD, "|\n")),
    "cue_run": ("'Chad lacks lacks lacks ...'", lambda n: _repeat("lacks ", n, HEAD + "Chad ")),
    "need_run": ("'Chad needs needs ...'", lambda n: _repeat("needs ", n, HEAD + "Chad ")),
    "no_run": ("'no no no ... control list'", lambda n: _repeat("no ", n, HEAD + "Chad has ", "control list.")),
    "semicolon_run": ("';' repeated", lambda n: _repeat(";", n, HEAD)),
    "colon_run": ("':' repeated", lambda n: _repeat(":", n, HEAD)),
    "semicolon_space_run": ("'; ' repeated", lambda n: _repeat("; ", n, HEAD)),
    "state_colons": ("'Chad: ' repeated", lambda n: _repeat("Chad: ", n, HEAD)),
    "label_lines": ("'Delegations: Chad' a line", lambda n: _repeat("Delegations: Chad\n", n, "Workshop\n\n")),
    "absent_clauses": ("'Chad, which did not attend, ' repeated",
                       lambda n: _repeat("Chad, which did not attend, ", n, HEAD)),
    "dates": ("'from 1 to 3 March 2019, ' repeated", lambda n: _repeat("from 1 to 3 March 2019, ", n, HEAD)),
    "places": ("'held in Vienna, Austria, ' repeated", lambda n: _repeat("held in Vienna, Austria, ", n, HEAD)),
    "offers": ("'Japan offered training to Chad; ' repeated",
               lambda n: _repeat("Japan offered training to Chad; ", n, HEAD)),
    "offers_ready": ("'Japan stands ready to support Chad, ' repeated (one sentence of offer cues)",
                     lambda n: _repeat("Japan stands ready to support Chad, ", n, HEAD)),
    "requests": ("'Chad requested assistance with licensing on 3 March 2019. ' repeated",
                 lambda n: _repeat("Chad requested assistance with licensing on 3 March 2019. ", n,
                                   "Register of assistance requests\n\n")),
    "groups": ("'the CAS countries ' repeated", lambda n: _repeat("the CAS countries ", n, HEAD)),
    "paren_run": ("'(' repeated", lambda n: _repeat("(", n, HEAD)),
    "punct_mix": ("punctuation marks in a random order, no space", lambda n: HEAD + _random_marks(n)),
    "cue_terms": ("'lack of licensing staff and ' repeated after 'Chad noted a' (cues beside terms)",
                  lambda n: _repeat("lack of licensing staff and ", n, HEAD + "Chad noted a ")),
    "mentions_one_sentence": ("'Chad, ' repeated, then a need (one sentence naming a state 50,000 times)",
                              lambda n: _repeat("Chad, ", n, HEAD, "lack licensing staff.")),
    "concessions": ("'even if it had laws, ' repeated before a need",
                    lambda n: _repeat("even if it had laws, ", n, HEAD + "Chad noted that ", "it lacks staff.")),
    "demonyms": ("'Chadian officials, ' repeated", lambda n: _repeat("Chadian officials, ", n, HEAD)),
    "capitals": ("'officials from Bamako, ' repeated", lambda n: _repeat("officials from Bamako, ", n, HEAD)),
    "bullet_states": ("Participants: then '- Chad' a line",
                      lambda n: _repeat("- Chad\n", n, "Workshop\n\nParticipants:\n")),
    "participants_objects": ("'told participants ' repeated, then a need nobody is named for",
                             lambda n: _repeat("told participants ", n, HEAD + "The chair ", "that they lack staff.")),
    "footnoted_groups": ("'Officials from 26 States Parties* attended. ' repeated, then the footnote '* Chad, Mali'",
                         lambda n: _repeat("Officials from 26 States Parties* attended. ", n, "Workshop\n\n",
                                           "\n\n* Chad, Mali, Niger\n")),
    "reported_requests": ("'Chad would formally request assistance. ' repeated (letter cues, each reported)",
                          lambda n: _repeat("Chad would formally request assistance. ", n, "Letter\n\n")),
    "headings": ("'Objectives' then a blank line, repeated", lambda n: _repeat("Objectives\n\n", n, HEAD)),
}

DEFAULT_SIZES = (20_000, 80_000, 320_000)


def _peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _measure_in_child(text: str, profile: bool) -> dict:
    """Extract ``text`` in this (forked) process: seconds and the memory it added, in MB."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset the high-water mark to the current resident size
    except OSError:
        pass
    base = _peak_rss_kb()
    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(extract, text)
        seconds = time.perf_counter() - start
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        extract(text)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": (_peak_rss_kb() - base) / 1024}


def measure(text: str, timeout: float, profile: bool = False) -> dict:
    """One extraction in a forked child; {"timeout": True} when it runs past ``timeout``."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            result = _measure_in_child(text, profile)
        except Exception as exc:  # noqa: BLE001 - reported as a figure, the benchmark goes on
            result = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], timeout)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return {"timeout": True}
    data = b""
    while chunk := os.read(read_end, 65536):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(data or b'{"error": "no result"}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="characters, comma-separated")
    parser.add_argument("--only", default="", help="shape names, comma-separated (default: all)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds past which larger sizes are skipped")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds after which a run is stopped")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of each run to stderr")
    parser.add_argument("--list", action="store_true", help="list the shapes and stop")
    args = parser.parse_args(argv)
    if args.list:
        for name, (what, _) in SHAPES.items():
            print(f"{name:<22} {what}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    names = [n for n in args.only.split(",") if n] or list(SHAPES)
    unknown = [n for n in names if n not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)} (see --list)")

    extract(HEAD + "Chad noted a lack of licensing staff.")  # load spaCy, states, rules, model once
    from needs_tracker.extract.places import capital_pattern

    capital_pattern()  # and the gazetteer of capitals, loaded the first time a note has no list
    header = " | ".join(f"{s // 1000:>5} KB s / MB" for s in sizes)
    print(f"| {'shape':<20} | {header} | growth per 4x |")
    print("|" + "---|" * (len(sizes) + 2))
    for name in names:
        cells, times = [], []
        over = False
        for size in sizes:
            if over:
                cells.append(f"{'skipped':>16}")
                continue
            text = SHAPES[name][1](size)
            result = measure(text, args.timeout, args.profile)
            if result.get("timeout"):
                cells.append(f"{'timeout':>16}")
                over = True
            elif "error" in result:
                cells.append(f"{'error':>16}")
                print(f"  {name} at {size}: {result['error']}", file=sys.stderr)
                over = True
            else:
                times.append((len(text), result["seconds"]))
                cells.append(f"{result['seconds']:7.2f} / {result['peak_mb']:6.0f}")
                over = result["seconds"] > args.budget
        print(f"| {name:<20} | {' | '.join(cells)} | {_growth(times):>13} |", flush=True)
    return 0


def _growth(times: list[tuple[int, float]]) -> str:
    """Time ratio scaled to a 4x larger input, between the two largest sizes measured (4 = linear,
    16 = quadratic); blank when the runs are too short to tell."""
    if len(times) < 2 or times[-2][1] < 0.05:
        return ""
    (n1, t1), (n2, t2) = times[-2], times[-1]
    import math

    exponent = math.log(t2 / t1) / math.log(n2 / n1)
    return f"{4 ** exponent:.1f}x"


if __name__ == "__main__":
    sys.exit(main())
