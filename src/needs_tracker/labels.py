"""The words shown where a note gave no date or year, defined once for everything that shows them.

The dashboard (``ui``), the charts (``figures``) and every export (``export``) write "year unknown"
and "date unknown" in the same places: a person who reads the Excel file, the chart and the page
must meet the same words, and a filter or a test that picks the "year unknown" row must find it
under the same name. This module imports nothing of the package, so every layer may import it
(the import-linter contracts in ``pyproject.toml``: the package never imports ``ui``).
"""

from __future__ import annotations

import pandas as pd

DATE_UNKNOWN = "date unknown"
YEAR_UNKNOWN = "year unknown"


def year_text(value) -> str:
    """A year as text ("2018"), or ``YEAR_UNKNOWN`` for None or a missing value (NaN, NA)."""
    if type(value) is int:  # the common case, first: pd.isna per year cost most of a Matching page's table
        return str(value)
    return YEAR_UNKNOWN if value is None or pd.isna(value) else str(int(value))
