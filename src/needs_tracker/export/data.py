"""Everything a table export shows, gathered once from the store for one filter.

CSV, Excel, JSON and Parquet render the same ``ExportData.need_table()``, so they always hold
the same rows and columns for the same filter. (The briefs read less: ``brief_data``.)
Text from notes is cleaned of control characters here (a NUL from a UTF-16 note breaks
CSV readers), once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from ..filters import NeedFilter
from ..labels import YEAR_UNKNOWN
from ..store import connect, reads
from ..taxonomy import category_labels
from ..wording import counted

# The columns of one need, as a person reads them (CSV header, Needs sheet, JSON and Parquet).
NEED_HEADERS = (
    "State", "ISO3", "Region", "Category", "Category ID", "Workshop", "Start date", "Year", "Venue",
    "Evidence", "Status", "Confidence", "Source file", "Need ID",
)

NOTHING_MATCHED = "Nothing matched these filters: no needs are listed."
UNTITLED = "(untitled workshop)"

# C0 controls except tab, newline and carriage return, plus DEL: never meaningful in a quote,
# and NUL ends strings in many CSV readers.
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
TEXT_COLUMNS = ("state_name", "workshop_title", "title", "venue_city", "venue_country", "evidence", "file_name",
                "organizers")


def clean_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with control characters removed from its text columns (vectorised: 100k rows ~ 50 ms)."""
    for col in TEXT_COLUMNS:
        if col in df.columns and len(df):
            df[col] = df[col].astype("str").str.replace(CONTROL_CHARS, "", regex=True)
    return df


class FilterStamp:
    """What every export says of itself: the filter in words and when it was made (the class
    using it has ``filter`` and ``created`` fields)."""

    filter: NeedFilter
    created: datetime

    @property
    def description(self) -> str:
        return self.filter.describe()

    @property
    def created_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class ExportData(FilterStamp):
    filter: NeedFilter
    created: datetime
    needs: pd.DataFrame
    workshops: pd.DataFrame
    states: pd.DataFrame
    categories: pd.DataFrame
    heatmap: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    matching: pd.DataFrame | None = None  # store.assistance.matching_table, read for the workbook only

    @property
    def is_empty(self) -> bool:
        return self.needs.empty

    @property
    def need_count(self) -> int:
        return int(len(self.needs))

    def label(self, category: str | None) -> str:
        if category is None:
            return ""
        return self.labels.get(category, category)

    def need_table(self) -> pd.DataFrame:
        """One row per need, NEED_HEADERS as columns, typed: dates datetime64, Year and Need ID
        integers (nullable), Confidence float; missing text is missing, not ''."""
        n = self.needs
        city, country = n["venue_city"], n["venue_country"]
        both = city.notna() & country.notna()
        venue_text = (city.fillna("").astype("str") + np.where(both, ", ", "")
                      + country.fillna("").astype("str"))
        table = pd.DataFrame({
            "State": n["state_name"],
            "ISO3": n["state_iso3"],
            "Region": n["region"],
            "Category": n["category"].map(lambda c: self.labels.get(c, c)),
            "Category ID": n["category"],
            "Workshop": n["workshop_title"],
            "Start date": pd.to_datetime(n["start_date"]).astype("datetime64[us]"),
            "Year": n["year"].astype("Int64"),
            "Venue": venue_text.where(venue_text != "", None),
            "Evidence": n["evidence"],
            "Status": n["status"],
            "Confidence": n["confidence"].astype("float64"),
            "Source file": n["file_name"],
            "Need ID": n["need_id"].astype("int64"),
        })
        for col in ("State", "ISO3", "Region", "Category", "Category ID", "Workshop", "Venue", "Evidence",
                    "Status", "Source file"):
            table[col] = table[col].astype("str")  # pandas' str dtype keeps missing as NaN
        return table

    def year_counts(self) -> list[tuple[str, int]]:
        """Needs per year, oldest first, with a 'year unknown' row when any need has no year."""
        years = self.needs["year"].astype("Int64")
        counts = years.value_counts(dropna=True).sort_index()
        out = [(str(int(y)), int(c)) for y, c in counts.items()]
        unknown = int(years.isna().sum())
        if unknown:
            out.append((YEAR_UNKNOWN, unknown))
        return out

    def summary_lines(self) -> list[str]:
        n = len(self.needs)
        if n == 0:
            return [NOTHING_MATCHED]
        workshops = self.needs["event_id"].nunique()  # events: two notes of one workshop count once
        return [f"{counted(n, 'need')} reported for {counted(len(self.states), 'state')} at "
                f"{counted(workshops, 'workshop')}."]

    def metadata(self) -> dict:
        """What a JSON export says about itself: the filter (in words and as URL parameters),
        when it was made, how many rows and which columns."""
        return {
            "title": "needs-tracker export",
            "filter": self.description,
            "filter_params": self.filter.to_query_params(),
            "exported_at": self.created.astimezone(UTC).isoformat(timespec="seconds"),
            "needs": int(len(self.needs)),
            "states": int(len(self.states)),
            "workshops": int(self.needs["event_id"].nunique()) if len(self.needs) else 0,
            "columns": list(NEED_HEADERS),
            "note": NOTHING_MATCHED if self.is_empty else
            "One record per need; Evidence is the sentence quoted from the note named in Source file.",
        }


def filter_link(f: NeedFilter) -> str:
    """The filter as dashboard URL parameters ('?states=KAZ&year_from=2012'), which
    ``needs-tracker export --url`` and the dashboard both read back: the selection, reproducible."""
    from urllib.parse import urlencode

    params = f.to_query_params()
    return "?" + urlencode(params, doseq=True) if params else "(none: every need)"


def venue(city: str | None, country: str | None) -> str | None:
    parts = [p for p in (city, country) if p]
    return ", ".join(parts) if parts else None


def _v(value):
    """A plain Python value, with pandas' missing markers as None."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def _date(value):
    value = _v(value)
    if value is None:
        return None
    return pd.Timestamp(value).date()


def gather(f: NeedFilter, *, location: str | None = None, created: datetime | None = None,
           matching: bool = False) -> ExportData:
    """Read every need the filter selects, in one short-lived connection (and, with ``matching``,
    the matching table of the same filter, for the workbook's "Matching" sheet)."""
    from ..store.assistance import matching_table

    with connect(location) as con:
        return ExportData(
            filter=f,
            created=created or datetime.now(UTC),
            needs=clean_text(reads.needs(con, f)),
            # Only workshops that hold a selected need: an export lists what the filter selected.
            workshops=clean_text(_matched_workshops(reads.workshops(con, f))),
            states=clean_text(reads.by_state(con, f)),
            categories=reads.by_category(con, f),
            heatmap=reads.heatmap(con, f),
            labels=category_labels(),
            matching=matching_table(con, f) if matching else None,
        )


@dataclass
class MatchingData(FilterStamp):
    """The matching table of one filter (``store.assistance.matching_table``), for the
    ``matching-*`` formats: one row per (state, gap)."""

    filter: NeedFilter
    created: datetime
    table: pd.DataFrame
    status: str | None = None  # the Matching page's status control ("open"...); None: every status

    @property
    def need_count(self) -> int:  # what ``write_file`` reports: here, the (state, gap) rows
        return int(len(self.table))

    def metadata(self) -> dict:
        from .matching_format import HEADERS

        counts = self.table["status"].astype(str).value_counts() if len(self.table) else {}
        params = self.filter.to_query_params()
        if self.status is not None:  # the page's status control, as its link says it
            params = {**params, "match": self.status}
        return {
            "title": "needs-tracker matching table",
            "filter": self.description + (f"; status: {self.status}" if self.status is not None else ""),
            "filter_params": params,
            "exported_at": self.created.astimezone(UTC).isoformat(timespec="seconds"),
            "pairs": int(len(self.table)),
            "status_counts": {s: int(counts.get(s, 0)) for s in ("open", "offered", "taken up")},
            "columns": list(HEADERS),
            "note": "One record per (state, gap): needs reported, formal requests, offers and later events on it. "
                    "open: reported or requested, nothing offered or taken up since; offered: an offer followed; "
                    "taken up: a later event on the gap that the state attended.",
        }


def gather_matching(f: NeedFilter, *, location: str | None = None, created: datetime | None = None,
                    status: str | None = None) -> MatchingData:
    """The matching table the filter selects, in one short-lived connection; ``status`` ("open",
    "offered", "taken up") keeps that status's rows, as the Matching page's status control does."""
    from ..store.assistance import matching_table
    from .matching_format import with_status

    with connect(location) as con:
        table = matching_table(con, f)
    return MatchingData(filter=f, created=created or datetime.now(UTC), table=with_status(table, status),
                        status=status)


def _matched_workshops(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["needs"] > 0].reset_index(drop=True)
