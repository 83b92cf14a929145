"""Export timings at 100,000 needs: every format of the registry, and the Excel writers compared.

    .venv/bin/python benchmarks/bench_export.py                 # builds benchmarks/out/bench-100k.duckdb once
    .venv/bin/python benchmarks/bench_export.py --runs 3 --options
    .venv/bin/python benchmarks/bench_export.py --charts         # briefs with chart images (needs Chromium)

Prints one markdown table (median wall-clock seconds of ``export.write_file`` for an unfiltered
export and for one region, file size, rows) and, with ``--options``, the Excel writers measured on
the same 100k-row table: xlsxwriter (default and ``constant_memory``), openpyxl ``write_only`` and
``pandas.DataFrame.to_excel``. The store comes from ``benchmarks/generate.py`` (2,000 workshops,
100,000 needs, 196 states). Nothing here is asserted: the figures go in the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from needs_tracker.export import FORMATS, write_file  # noqa: E402
from needs_tracker.export.data import NEED_HEADERS, gather  # noqa: E402
from needs_tracker.filters import NeedFilter  # noqa: E402

FILTERS = {"all (100k)": NeedFilter(), "region Africa": NeedFilter(regions=("Africa",))}


def _median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- Excel writers on one table -----------------------------------------------------------

def _rows(table):
    import pandas as pd

    cols = []
    for h in NEED_HEADERS:
        s = table[h]
        if pd.api.types.is_datetime64_any_dtype(s):
            cols.append([None if pd.isna(v) else v.to_pydatetime() for v in s])
        else:
            cols.append(s.astype(object).where(s.notna(), None).tolist())
    return list(zip(*cols, strict=True))


def xlsxwriter_rows(table, path: str, constant_memory: bool) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                    "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Needs")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, NEED_HEADERS)
    for r, row in enumerate(_rows(table), start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if c == 6:
                ws.write_datetime(r, c, v, date)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()


def openpyxl_write_only(table, path: str) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Needs")
    ws.append(list(NEED_HEADERS))
    for row in _rows(table):
        out = list(row)
        if out[6] is not None:
            cell = WriteOnlyCell(ws, value=out[6])
            cell.number_format = "yyyy-mm-dd"
            out[6] = cell
        ws.append(out)
    wb.save(path)


def pandas_to_excel(table, path: str, engine: str) -> None:
    table.to_excel(path, sheet_name="Needs", index=False, engine=engine)


def rustpy_records(table, path: str) -> None:
    import rustpy_xlsxwriter as rx

    records = [dict(zip(NEED_HEADERS, row, strict=True)) for row in _rows(table)]
    rx.FastExcel(path).format(datetime_format="yyyy-mm-dd").freeze(row=1).sheet("Needs", records).save()


def pyexcelerate_rows(table, path: str) -> None:
    import pyexcelerate  # not a dependency: measured only when installed

    wb = pyexcelerate.Workbook()
    wb.new_sheet("Needs", data=[list(NEED_HEADERS)] + [list(r) for r in _rows(table)])
    wb.save(path)


def compare_xlsx_writers(location: str, runs: int) -> list[tuple[str, float]]:
    table = gather(NeedFilter(), location=location).need_table()
    options = {
        "rustpy-xlsxwriter (rust_xlsxwriter), chosen": lambda p: rustpy_records(table, p),
        "pyexcelerate (turns '=…' text into formulas)": lambda p: pyexcelerate_rows(table, p),
        "xlsxwriter, default (shared strings)": lambda p: xlsxwriter_rows(table, p, False),
        "xlsxwriter, constant_memory": lambda p: xlsxwriter_rows(table, p, True),
        "openpyxl, write_only": lambda p: openpyxl_write_only(table, p),
        "pandas.to_excel (xlsxwriter)": lambda p: pandas_to_excel(table, p, "xlsxwriter"),
        "pandas.to_excel (openpyxl)": lambda p: pandas_to_excel(table, p, "openpyxl"),
    }
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in options.items():
            path = os.path.join(tmp, "x.xlsx")
            try:
                seconds = _median_time(lambda fn=fn, path=path: fn(path), runs)
            except ImportError as exc:
                print(f"  {name}: not installed ({exc})", file=sys.stderr)
                continue
            out.append((f"{name} ({len(table):,} rows, Needs sheet only)", seconds))
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / "out" / "bench-100k.duckdb")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--options", action="store_true", help="also compare the Excel writers")
    parser.add_argument("--charts", action="store_true", help="briefs with chart images (Chromium)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args(argv)
    if not args.charts:
        os.environ["NEEDS_TRACKER_CHARTS"] = "off"
    if not args.store.exists():
        args.store.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.store}: {generate.build_store(args.store, 2000, 100_000)['counts']}", file=sys.stderr)
    location = str(args.store)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"{os.cpu_count()} CPUs, load average at start {load}; charts {'on' if args.charts else 'off'}", "",
             "| format | selection | needs | seconds (median of %d) | size |" % args.runs, "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for name, f in FILTERS.items():
                path = Path(tmp) / f"out.{fmt}"
                count = [0]

                def run(fmt=fmt, f=f, path=path, count=count):
                    count[0] = write_file(fmt, f, path, location=location)

                seconds = _median_time(run, args.runs)
                size = path.stat().st_size
                line = f"| {fmt} | {name} | {count[0]:,} | {seconds:.2f} | {size / 1e6:.1f} MB |"
                lines.append(line)
                print(line, file=sys.stderr)
    if args.options:
        lines += ["", "| Excel writer | seconds |", "|---|---|"]
        lines += [f"| {name} | {s:.2f} |" for name, s in compare_xlsx_writers(location, args.runs)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
