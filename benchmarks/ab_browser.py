"""Before and after, in the browser, on a loaded machine: ``bench_browser.py`` run in turns on two
checkouts (B, A, B, A …), each run timing its own floor, then each measure's median ratio to its
floor over the runs, the range, and how many runs met the target.

    git archive main | tar -x -C /tmp/before
    .venv/bin/python benchmarks/ab_browser.py --before /tmp/before --rounds 7
    .venv/bin/python benchmarks/ab_browser.py --before /tmp/before --tables none   # the overview only
    .venv/bin/python benchmarks/ab_browser.py --summarise benchmarks/out/ab   # the table again

One run's ratio moves by ±0.5 with the load of a shared machine, so one run says little: the
rounds alternate so that both sides see the same spells of load, and the load average is kept
beside each run. Each checkout runs with its own ``src`` first on ``PYTHONPATH`` and the same
generated store (``--out``). Each run's table is kept in ``OUT/{before,after}-N.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
# (label, row of bench_browser's table)
MEASURES = (
    ("Matching, words change", "matching: words filter change (median)"),
    ("Matching, open a row's evidence", "matching: open a row's evidence (median)"),
    ("Gap finder, words change", "gaps: words filter change (median)"),
    ("Gap finder, open a row's evidence", "gaps: open a row's evidence (median)"),
    ("overview, words change", "overview: words filter change (median)"),
    ("overview, region change", "overview: region change (median)"),
)
FIRST_LOADS = (("Matching", "matching"), ("Gap finder", "gaps"), ("overview", "overview"))
ROW = re.compile(r"^\| (?P<what>[^|]+) \| (?P<size>[^|]+) \| (?P<ours>[\d.]+) \| (?P<floor>[\d.]*) \| "
                 r"(?P<ratio>[\d.]*) \|")


def run_once(checkout: Path, out: Path, store_dir: Path, runs: int, tables: str | None = None) -> None:
    """One ``bench_browser.py`` run of ``checkout``'s code; its table and the load around it to ``out``.
    ``tables``: bench_browser's ``--tables`` (None: its default, Matching and the Gap finder)."""
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    before = os.getloadavg()
    done = subprocess.run(
        [sys.executable, str(checkout / "benchmarks" / "bench_browser.py"), "--sizes", "100k", "--runs", str(runs),
         "--pages", "overview", "--out", str(store_dir), *(["--tables", tables] if tables else [])],
        cwd=checkout, env=env, capture_output=True, text=True, check=False)
    after = os.getloadavg()
    out.write_text(done.stdout + f"\nload {before[0]:.1f} -> {after[0]:.1f}\n", encoding="utf-8")


def parse(path: Path) -> tuple[dict[str, tuple[float, float | None, float | None]], tuple[float, float]]:
    """{measure: (ours, floor, ratio as printed: of the unrounded times)}, and the load before and after."""
    rows = {}
    load = (float("nan"), float("nan"))
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            rows[m["what"].strip()] = (float(m["ours"]), float(m["floor"]) if m["floor"] else None,
                                       float(m["ratio"]) if m["ratio"] else None)
        elif line.startswith("load "):
            a, b = line[5:].split(" -> ")
            load = (float(a), float(b))
    return rows, load


def summarise(folder: Path) -> str:
    lines = []
    sides = {}
    for side in ("before", "after"):
        runs = sorted(folder.glob(f"{side}-*.md"), key=lambda p: int(p.stem.split("-")[1]))
        sides[side] = [parse(p) for p in runs]
    loads = [x for side in sides.values() for _, load in side for x in load if x == x]
    lines.append(f"runs: before {len(sides['before'])}, after {len(sides['after'])}; "
                 f"1-minute load average {min(loads, default=0):.1f}-{max(loads, default=0):.1f}")
    lines.append("")
    lines.append("| measure (100,000 needs) | before: ours / floor, ratio (range), met | "
                 "after: ours / floor, ratio (range), met |")
    lines.append("|---|---|---|")
    med = statistics.median
    for label, key in MEASURES:
        cells = []
        for side in ("before", "after"):
            got = [rows[key] for rows, _ in sides[side] if key in rows and rows[key][2]]
            if not got:
                cells.append("—")
                continue
            ratios = [r for _, _, r in got]
            met = sum(1 for o, _, r in got if o <= 1.0 and r <= 1.5)
            cells.append(f"{med(o for o, _, _ in got):.2f} / {med(f for _, f, _ in got):.2f} s, {med(ratios):.2f} "
                         f"({min(ratios):.2f}–{max(ratios):.2f}), {met} of {len(got)}")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    for label, page in FIRST_LOADS:
        cells = []
        for side in ("before", "after"):
            cold = [rows[f"{page}: first load (cold cache)"] for rows, _ in sides[side]
                    if f"{page}: first load (cold cache)" in rows]
            warm = [rows[f"{page}: first load (warm cache, median)"] for rows, _ in sides[side]
                    if f"{page}: first load (warm cache, median)" in rows]
            if not cold:
                cells.append("—")
                continue
            fc = [f for _, f, _ in cold if f]
            fw = [f for _, f, _ in warm if f]
            cells.append(f"{med(o for o, _, _ in cold):.2f} / {med(o for o, _, _ in warm):.2f} s "
                         f"(floor {med(fc):.2f} / {med(fw):.2f}); warm ≤ 2.5 s in "
                         f"{sum(1 for o, _, _ in warm if o <= 2.5)} of {len(warm)}")
        lines.append(f"| {label}, first load (cold / warm) | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", help="a checkout of the code to compare with (its src/ and benchmarks/)")
    p.add_argument("--after", default=str(PROJECT_DIR), help="this checkout by default")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--runs", type=int, default=3, help="bench_browser's --runs (samples per measure and run)")
    p.add_argument("--out", default=str(BENCH_DIR / "out" / "ab"))
    p.add_argument("--store-dir", default=str(BENCH_DIR / "out"), help="where the 100k store is (made once)")
    p.add_argument("--summarise", help="only print the table of a folder of earlier runs")
    p.add_argument("--tables", help="bench_browser's --tables ('none': the overview only; default: "
                                    "Matching and the Gap finder too)")
    args = p.parse_args()
    if args.summarise:
        print(summarise(Path(args.summarise)))
        return 0
    if not args.before:
        p.error("--before is required")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(args.rounds):
        for side, checkout in (("before", args.before), ("after", args.after)):
            run_once(Path(checkout), out / f"{side}-{i}.md", Path(args.store_dir), args.runs, args.tables)
            print(f"round {i + 1}/{args.rounds}: {side} done", file=sys.stderr, flush=True)
    print(summarise(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
