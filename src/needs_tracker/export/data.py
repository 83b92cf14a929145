"""Everything an export shows, gathered once from the store for one filter.

Each format renders the same ``ExportData``, so the CSV, the workbook and the briefs
always hold the same rows for the same filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from .. import db, queries
from ..filters import NeedFilter
from ..taxonomy import category_labels

# The columns of one need, as a person reads them (CSV header, Needs sheet, briefs).
NEED_HEADERS = (
    "State", "ISO3", "Region", "Category", "Category ID", "Workshop", "Start date", "Venue",
    "Evidence", "Status", "Confidence", "Source file", "Need ID",
)

NOTHING_MATCHED = "Nothing matched these filters: no needs are listed."


@dataclass
class ExportData:
    filter: NeedFilter
    created: datetime
    needs: pd.DataFrame
    workshops: pd.DataFrame
    states: pd.DataFrame
    categories: pd.DataFrame
    heatmap: pd.DataFrame
    timelines: dict[str, pd.DataFrame] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return self.filter.describe()

    @property
    def created_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M UTC")

    @property
    def is_empty(self) -> bool:
        return self.needs.empty

    def label(self, category: str | None) -> str:
        if category is None:
            return ""
        return self.labels.get(category, category)

    def need_rows(self) -> list[tuple]:
        """One tuple per need in NEED_HEADERS order; missing values are None, dates are ``date``."""
        rows = []
        for r in self.needs.itertuples(index=False):
            rows.append((
                _v(r.state_name), _v(r.state_iso3), _v(r.region), self.label(_v(r.category)),
                _v(r.category), _v(r.workshop_title), _date(r.start_date),
                venue(_v(r.venue_city), _v(r.venue_country)), _v(r.evidence), _v(r.status),
                _v(r.confidence), _v(r.file_name), _v(r.need_id),
            ))
        return rows

    def summary_lines(self) -> list[str]:
        n = len(self.needs)
        if n == 0:
            return [NOTHING_MATCHED]
        return [f"{n} need{'s' if n != 1 else ''} reported for {len(self.states)} "
                f"state{'s' if len(self.states) != 1 else ''} at {self.needs['workshop_id'].nunique()} "
                f"workshop{'s' if self.needs['workshop_id'].nunique() != 1 else ''}."]


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


def gather(f: NeedFilter, *, location: str | None = None, created: datetime | None = None) -> ExportData:
    """Read what the filter selects, in one short-lived connection."""
    with db.connect(location) as con:
        needs = queries.needs(con, f)
        data = ExportData(
            filter=f,
            created=created or datetime.now(UTC),
            needs=needs,
            # Only workshops that hold a selected need: an export lists what the filter selected.
            workshops=_matched_workshops(queries.workshops(con, f)),
            states=queries.by_state(con, f),
            categories=queries.by_category(con, f),
            heatmap=queries.heatmap(con, f),
            labels=category_labels(),
        )
        for iso3 in data.states["state_iso3"]:
            data.timelines[iso3] = queries.state_timeline(con, f, iso3)
    return data


def _matched_workshops(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["needs"] > 0].reset_index(drop=True)
