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


def requested_words(dates) -> str:
    """'requested 2019-02-01', 'requested on an unknown date', 'requested 2015-03-25 and on an unknown date':
    an undated formal request is listed as ``DATE_UNKNOWN``, which joined to the dated ones read "requested
    2014-02-01, date unknown" (one wording for the gap finder and both briefs)."""
    dates = [str(d) for d in dates]
    dated = [d for d in dates if d != DATE_UNKNOWN]
    undated = "on an unknown date" if len(dated) < len(dates) else ""
    return "requested " + " and ".join(x for x in (", ".join(dated), undated) if x)
