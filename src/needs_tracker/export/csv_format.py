"""CSV: one row per need, UTF-8 with a byte-order mark so Excel reads the accents right.

Three lines head the file (filters, time made, count) and a blank line separates them from
the table. Any text a spreadsheet would run as a formula is neutralised with a leading quote.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from .data import NEED_HEADERS, NOTHING_MATCHED, ExportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return neutralise(value)


def render(data: ExportData) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    count = len(data.needs)
    writer.writerow(["Filters", neutralise(data.description)])
    writer.writerow(["Exported", data.created_text])
    writer.writerow(["Needs", f"{count} — {NOTHING_MATCHED}" if count == 0 else str(count)])
    writer.writerow([])
    writer.writerow(NEED_HEADERS)
    for row in data.need_rows():
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
