"""JSON: ``{"metadata": {...}, "records": [...]}``, one record per need.

The metadata carries what a plain table cannot: the filter in words and as the dashboard's
URL parameters, the time made, the counts and the column order. Records hold the same rows
and columns as the CSV, with typed values (numbers as numbers, missing as null, dates as
``YYYY-MM-DD``) and the text exactly as stored (no spreadsheet apostrophes).
"""

from __future__ import annotations

import json
import re

from .data import ExportData

# pandas writes "/" as "\/" (legal JSON, but "Legal \/ Regulatory" is no pleasure to read): undo it
# wherever the backslash is itself unescaped, i.e. preceded by an even number of backslashes.
_ESCAPED_SLASH = re.compile(r"(?<!\\)((?:\\\\)*)\\/")


def render(data: ExportData) -> bytes:
    table = data.need_table()
    table["Start date"] = table["Start date"].dt.strftime("%Y-%m-%d")
    records = _ESCAPED_SLASH.sub(r"\1/", table.to_json(orient="records", force_ascii=False, double_precision=15))
    meta = json.dumps(data.metadata(), ensure_ascii=False, indent=1)
    return ('{"metadata": ' + meta + ',\n"records": ' + records + "}\n").encode("utf-8")
