"""Benchmark needs-tracker on synthetic data and print one table of ours / floor / target.

    .venv/bin/python benchmarks/run.py                  # 100k and 1m stores (about 20-30 min)
    .venv/bin/python benchmarks/run.py --quick          # small sizes, under a minute
    .venv/bin/python benchmarks/run.py --sizes 100k --runs 3

Every phase runs in its own process, so each reports its own peak memory. Generated data
goes to --out (default benchmarks/out/, git-ignored), never to data/.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from bench_core import Row  # noqa: E402

SIZES = {  # label -> (workshops, needs)
    "10k": (200, 10_000),
    "100k": (2_000, 100_000),
    "1m": (20_000, 1_000_000),
}
NOTES = {"quick": {"txt": 40, "pdf": 6, "docx": 6}, "full": {"txt": 400, "pdf": 80, "docx": 80}}
MEMORY_TARGET_MB = 1024
COLUMNS = ("measure", "size", "ours", "floor", "ours/floor", "target", "met?", "note")


# --- phases (each runs in a child process) -----------------------------------------------

def run_phase(name: str, args: argparse.Namespace) -> list[Row]:
    import bench_core
    import generate

    out = Path(args.out)
    kind, _, size = name.partition(":")
    store = out / f"store-{size}.duckdb"
    if kind == "notes":
        t = time.perf_counter()
        written = generate.write_notes(out / "notes", NOTES["quick" if args.quick else "full"])
        return [Row("generate synthetic notes", ", ".join(f"{len(v)} {k}" for k, v in written.items()),
                    time.perf_counter() - t)]
    if kind == "ingest":
        return bench_core.measure_ingest(out / "notes", out)
    if kind == "profile-extract":
        (out / "profile-extract.txt").write_text(bench_core.profile_extract(out / "notes"), encoding="utf-8")
        return []
    if kind == "store":
        w, n = SIZES[size]
        return bench_core.measure_store_build(store, w, n, size)
    if kind == "queries":
        return bench_core.measure_queries(store, size, runs=args.runs)
    if kind == "dashboard":
        import bench_ui

        return bench_ui.measure_dashboard(store.resolve(), size, out.resolve(), runs=args.runs)
    if kind == "exports":
        if args.quick:
            return bench_core.measure_exports(store, size, (1_000,), skip=("pdf",))
        return bench_core.measure_exports(store, size, (10_000, 100_000))
    raise SystemExit(f"unknown phase {name!r}")


def child_main(args: argparse.Namespace) -> int:
    try:
        rows = run_phase(args.phase, args)
        error = ""
    except Exception as exc:  # the parent reports it in the table
        import traceback

        traceback.print_exc()
        rows, error = [], f"{type(exc).__name__}: {exc}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(args.result).write_text(json.dumps({
        "rows": [r.as_dict() for r in rows], "peak_mb": peak_mb, "error": error}), encoding="utf-8")
    return 0


def spawn(phase: str, args: argparse.Namespace, timeout: float = 3600) -> tuple[list[Row], float, str]:
    result = Path(args.out) / f"phase-{phase.replace(':', '-')}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--result", str(result),
           "--out", str(args.out), "--runs", str(args.runs)] + (["--quick"] if args.quick else [])
    log = Path(args.out) / f"phase-{phase.replace(':', '-')}.log"
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    env.pop("NEEDS_TRACKER_DB", None)
    with log.open("w") as fh:
        try:
            subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            return [], 0.0, f"timed out after {timeout:.0f} s"
    if not result.exists():
        return [], 0.0, f"crashed (see {log})"
    data = json.loads(result.read_text(encoding="utf-8"))
    return [Row(**r) for r in data["rows"]], data["peak_mb"], data["error"]


# --- the table ----------------------------------------------------------------------------

def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "notes/s":
        return f"{value:.0f} notes/s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        ratio = "—"
        if r.ours is not None and r.floor and not math.isnan(r.ours):
            ratio = f"{r.ours / r.floor:.2f}×"
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        cells = (r.measure, r.size, _fmt(r.ours, r.unit), _fmt(r.floor, r.unit), ratio, r.target, met,
                 r.note.replace("|", "/"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    import duckdb
    import streamlit

    return (f"{os.cpu_count()} cores, {mem_kb / 2**20:.1f} GiB memory, {platform.machine()} "
            f"{platform.system()}, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
            f"Streamlit {streamlit.__version__}")


def phases_for(args: argparse.Namespace) -> list[str]:
    sizes = ["10k"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {', '.join(unknown)}; valid: {', '.join(SIZES)}")
    phases = ["notes", "ingest"]
    phases += [f"store:{s}" for s in sizes]
    phases += [f"queries:{s}" for s in sizes]
    if not args.skip_dashboard:
        phases += [f"dashboard:{s}" for s in sizes]
    if not args.skip_exports:
        phases.append(f"exports:{sizes[-1]}")
    return phases


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes (10k needs, few notes): under a minute")
    p.add_argument("--sizes", default="100k,1m", help=f"store sizes, from {', '.join(SIZES)}")
    p.add_argument("--runs", type=int, default=5, help="samples per median")
    p.add_argument("--out", default=str(BENCH_DIR / "out"), help="where generated data and results go")
    p.add_argument("--skip-dashboard", action="store_true")
    p.add_argument("--skip-exports", action="store_true")
    p.add_argument("--phase", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick and args.runs == 5:
        args.runs = 1
    out = Path(args.out).resolve()
    if out == (BENCH_DIR.parent / "data").resolve() or (BENCH_DIR.parent / "data").resolve() in out.parents:
        raise SystemExit("refusing to write synthetic data under data/")
    out.mkdir(parents=True, exist_ok=True)
    args.out = str(out)
    if args.phase:
        return child_main(args)

    started = time.perf_counter()
    header = (f"needs-tracker benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}. "
              "Synthetic data only. Wall-clock medians; other work on the machine makes them noisy.")
    print(header, flush=True)
    rows: list[Row] = []
    for phase in phases_for(args):
        t = time.perf_counter()
        print(f"… {phase}", end="", flush=True)
        phase_rows, peak_mb, error = spawn(phase, args)
        print(f" {time.perf_counter() - t:.0f} s", flush=True)
        rows.extend(phase_rows)
        if error:
            rows.append(Row(f"{phase} failed", "", None, note=error[:200]))
        if phase == "ingest" and any(r.met is False for r in phase_rows):
            spawn("profile-extract", args)
        if phase != "notes" and peak_mb:
            size = phase.partition(":")[2] or "notes"
            rows.append(Row(f"peak memory: {phase.partition(':')[0]}", size, peak_mb, unit="MB",
                            target=f"≤ {MEMORY_TARGET_MB} MB", met=peak_mb <= MEMORY_TARGET_MB))
    text = table(rows)
    print()
    print(text)
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s; "
          f"targets met: {sum(r.met is True for r in rows)}, missed: {sum(r.met is False for r in rows)}")
    results = out / "results.md"
    profile = out / "profile-extract.txt"
    extra = f"\n\nExtraction profile: {profile}\n" if profile.exists() else "\n"
    results.write_text(f"{header}\n\n{text}{extra}", encoding="utf-8")
    print(f"written to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
