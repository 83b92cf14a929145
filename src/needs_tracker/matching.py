"""Matching: for every (state, gap), what was reported, requested, offered and taken up.

The 1540 Committee matches requests with offers by hand. This module does the bookkeeping
from four tables, so the Matching page, the exports and the gap finder show the same rows:

- ``needs``: ``state_iso3, category, year, workshop_id`` (optionally ``date``, ``kind``); needs
  read from an assistance-request register are left to ``requests``, not counted twice;
- ``requests``: ``state_iso3, category, requested_on`` (a date, or None);
- ``offers``: ``provider, category, recipients_iso3`` (a list), ``year`` (optionally
  ``workshop_id``);
- ``events``: the events each state attended and the gaps they took up:
  ``state_iso3, workshop_id, year, category`` (one row per topic; optionally ``date``).

One row per (state, gap) reported or requested, with the years and workshops of the needs,
the dates of the requests, the offers made to that state on that gap since it was first
raised (who, when, to whom), the later events on that gap the state attended, a status and
the years the gap has been open:

- *taken up*: the state attended a later event on that gap;
- *offered*: not taken up, but someone offered help on it to that state since it was raised;
- *open*: reported or requested, nothing offered or taken up since.

``years_open`` counts from the first report or request to the year it was offered or taken up,
or to ``as_of`` while it is open. Everything here is pure pandas: no store, no Streamlit.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd


class Status(StrEnum):
    OPEN = "open"
    OFFERED = "offered"
    TAKEN_UP = "taken up"


STATUS_ORDER = {Status.OPEN: 0, Status.OFFERED: 1, Status.TAKEN_UP: 2}
COLUMNS = ["state_iso3", "category", "status", "years_open", "first_raised", "need_years", "need_workshops",
           "request_dates", "offers", "offer_summary", "later_events", "later_event_years"]
KEY = ["state_iso3", "category"]


def _ensure(df: pd.DataFrame | None, columns: dict[str, object]) -> pd.DataFrame:
    df = pd.DataFrame(columns=list(columns)) if df is None else df.copy()
    for name, default in columns.items():
        if name not in df.columns:
            df[name] = default
    return df


def _year(value) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.year
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _iso_day(value) -> str | None:
    """"2019-01-18" from a date, a Timestamp (DuckDB's dates come back as those) or a string."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]


def _years(values: pd.Series) -> pd.Series:
    """Years from ints, floats, dates or date strings (NA where there is none), vectorised."""
    values = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(values):
        return values.round().astype("Int64")
    as_number = pd.to_numeric(values, errors="coerce")
    as_date = pd.to_datetime(values.where(as_number.isna()).astype(object), errors="coerce", format="mixed")
    return as_number.fillna(as_date.dt.year).round().astype("Int64")


def _grouped(df: pd.DataFrame, columns: list[str]) -> dict[tuple, list[list]]:
    """(state, category) -> one list per column, in the frame's order. numpy splits the sorted
    arrays at group boundaries: a per-group Python aggregation takes seconds at 100,000 rows."""
    if df.empty:
        return {}
    codes = df.groupby(KEY, sort=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    starts = np.r_[0, bounds]
    states = df["state_iso3"].to_numpy(object)[order][starts]
    categories = df["category"].to_numpy(object)[order][starts]
    parts = [np.split(df[c].to_numpy(object)[order], bounds) for c in columns]
    return {(s, c): [p[i].tolist() for p in parts] for i, (s, c) in enumerate(zip(states, categories, strict=True))}


def _lists(df: pd.DataFrame, column: str) -> dict[tuple, list]:
    """(state, category) -> the sorted distinct values of ``column`` (nulls left out)."""
    df = df[KEY + [column]].dropna().drop_duplicates()
    if df.empty:
        return {}
    df = df.sort_values(column) if pd.api.types.is_numeric_dtype(df[column]) else df.iloc[
        df[column].map(str).argsort(kind="stable")]
    return {key: lists[0] for key, lists in _grouped(df, [column]).items()}


def match(needs: pd.DataFrame | None, requests: pd.DataFrame | None, offers: pd.DataFrame | None,
          events: pd.DataFrame | None, as_of: date | None = None) -> pd.DataFrame:
    """The matching table (columns ``COLUMNS``), open gaps first, longest open first."""
    as_of_year = (as_of or date.today()).year
    needs = _ensure(needs, {"state_iso3": None, "category": None, "year": None, "workshop_id": None, "kind": None})
    needs = needs[needs["kind"].fillna("workshop") != "assistance_requests"]
    requests = _ensure(requests, {"state_iso3": None, "category": None, "requested_on": None})
    offers = _ensure(offers, {"provider": None, "category": None, "recipients_iso3": None, "year": None,
                              "workshop_id": None})
    events = _ensure(events, {"state_iso3": None, "workshop_id": None, "year": None, "category": None})

    years = _years
    need_rows = pd.DataFrame({"state_iso3": needs["state_iso3"].to_numpy(object),
                              "category": needs["category"].to_numpy(object),
                              "year": years(needs["year"]).to_numpy(),
                              "workshop_id": needs["workshop_id"].to_numpy()})
    request_rows = pd.DataFrame({"state_iso3": requests["state_iso3"].to_numpy(object),
                                 "category": requests["category"].to_numpy(object),
                                 "requested_on": requests["requested_on"].to_numpy(object),
                                 "year": years(requests["requested_on"]).to_numpy()})
    raised = pd.concat([need_rows[KEY + ["year"]], request_rows[KEY + ["year"]]]).dropna(subset=KEY)
    if raised.empty:
        return pd.DataFrame(columns=COLUMNS)
    first = raised.groupby(KEY, sort=False)["year"].min()  # NA where nothing is dated
    pairs = first.reset_index().rename(columns={"year": "first"})

    offer_rows = offers.explode("recipients_iso3").rename(columns={"recipients_iso3": "state_iso3"})
    offer_rows = offer_rows.dropna(subset=["state_iso3"]).assign(year=lambda d: years(d["year"]).to_numpy())
    offer_rows = offer_rows.merge(pairs, on=KEY)
    offer_rows = offer_rows[offer_rows["first"].isna() | offer_rows["year"].isna()
                            | (offer_rows["year"] >= offer_rows["first"])]
    event_rows = events.dropna(subset=["state_iso3", "category"]).assign(year=lambda d: years(d["year"]).to_numpy())
    event_rows = event_rows.merge(pairs, on=KEY)
    reporting = need_rows[KEY + ["workshop_id"]].dropna().drop_duplicates().assign(_reported=True)
    event_rows = event_rows.merge(reporting, on=KEY + ["workshop_id"], how="left")
    event_rows = event_rows[event_rows["_reported"].isna() & event_rows["year"].notna()
                            & (event_rows["first"].isna() | (event_rows["year"] > event_rows["first"]))]

    need_years, need_workshops = _lists(need_rows, "year"), _lists(need_rows, "workshop_id")
    request_dates = _lists(request_rows.assign(requested_on=[_iso_day(d) for d in request_rows["requested_on"]]),
                           "requested_on")
    offer_rows = offer_rows.sort_values("year", na_position="last")
    offered = {key: [{"provider": p, "year": None if pd.isna(y) else int(y), "workshop_id": w}
                     for p, y, w in zip(providers, years_, workshops, strict=True)]
               for key, (providers, years_, workshops)
               in _grouped(offer_rows, ["provider", "year", "workshop_id"]).items()}
    event_rows = event_rows.drop_duplicates(KEY + ["workshop_id"]).sort_values("year")
    later = {key: [(int(y), w) for y, w in zip(ys, ws, strict=True)]
             for key, (ys, ws) in _grouped(event_rows, ["year", "workshop_id"]).items()}

    rows = []
    for state, category, first_year in pairs.itertuples(index=False, name=None):
        key = (state, category)
        first_year = None if pd.isna(first_year) else int(first_year)
        gone_to, offers_here = later.get(key, []), offered.get(key, [])
        if gone_to:
            status, until = Status.TAKEN_UP, gone_to[0][0]
        elif offers_here:
            status = Status.OFFERED
            until = min((x["year"] for x in offers_here if x["year"] is not None), default=first_year)
        else:
            status, until = Status.OPEN, as_of_year
        rows.append({
            "state_iso3": state, "category": category, "status": str(status),
            "years_open": max(0, until - first_year) if first_year is not None and until is not None else None,
            "first_raised": first_year,
            "need_years": [int(y) for y in need_years.get(key, [])],
            "need_workshops": need_workshops.get(key, []),
            "request_dates": request_dates.get(key, []),
            "offers": offers_here,
            "offer_summary": "; ".join(f"{x['provider']} ({x['year']})" if x["year"] is not None
                                       else str(x["provider"]) for x in offers_here),
            "later_events": [w for _y, w in gone_to],
            "later_event_years": sorted({y for y, _w in gone_to}),
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["_order"] = out["status"].map({str(k): v for k, v in STATUS_ORDER.items()})
    out = out.sort_values(["_order", "years_open", "state_iso3", "category"],
                          ascending=[True, False, True, True], na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)
