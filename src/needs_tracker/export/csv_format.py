"""CSV: a plain table that every tool reads as it is (``pandas.read_csv``, R, DuckDB, Excel).

The header is line 1 and each further line is one need; the filters and the time made go in
the file name (and in the Excel and JSON exports), never above the table. The file is UTF-8
with a byte-order mark: Excel needs it to show "Côte d’Ivoire" rather than mojibake, and
pandas, R's readr and DuckDB skip it. Any text a spreadsheet would run as a formula gets a
leading apostrophe (OWASP's advice for CSV injection), because a CSV is opened by double-click.
"""

from __future__ import annotations

import pandas as pd

from .data import ExportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_column(col: pd.Series) -> pd.Series:
    """``neutralise`` over a text column, vectorised (a Python call per cell costs 1 s at 100k rows)."""
    risky = col.str.startswith(FORMULA_STARTS, na=False)
    if not risky.any():
        return col
    return col.where(~risky, "'" + col)


def render(data: ExportData) -> bytes:
    table = data.need_table()
    for name in table.columns:
        if table[name].dtype == "str":
            table[name] = neutralise_column(table[name])
    text = table.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d", float_format="%.2f")
    return ("\ufeff" + text).encode("utf-8")
