"""Matching: for every (state, gap), what was reported, requested, offered and taken up.

The 1540 Committee matches requests with offers by hand. This module does the bookkeeping
from four tables, so the Matching page, the exports and the gap finder show the same rows:

- ``needs``: ``state_iso3, category, year, workshop_id`` (optionally ``kind``); needs
  read from an assistance-request register are left to ``requests``, not counted twice;
- ``requests``: ``state_iso3, category, requested_on`` (a date, or None);
- ``offers``: ``provider, category, recipients_iso3`` (a list), ``year`` (optionally
  ``workshop_id`` and ``recipients_kind``: named, group or all_participants);
- ``events``: the events each state attended and the gaps they took up:
  ``state_iso3, workshop_id, year, category`` (one row per topic).

One row per (state, gap) reported or requested, with the years and workshops of the needs,
the dates of the requests, the offers made to that state on that gap since it was first
raised (who, when, to whom), the later events on that gap the state attended, a status and
the years the gap has been open:

- *taken up*: the state attended a later event on that gap;
- *offered*: not taken up, but someone offered help on it to that state since it was raised;
- *open*: reported or requested, nothing offered or taken up since.

``years_open`` counts from the first report or request to the year it was offered or taken up,
or to ``as_of`` while it is open. Everything here is pure: DataFrames in, a DataFrame out, no
store and no Streamlit. The aggregation runs in an in-memory DuckDB over the frames (per-group
pandas work took seconds at 100,000 needs; DuckDB takes milliseconds).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import duckdb
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


# The aggregation, as common table expressions over four inputs named needs, requests, offers
# and events (columns as registered by ``match``); ``store.assistance`` runs the same SQL on the
# store itself, with those four defined over its tables.
AGGREGATE_CTES = """
raised as (
    select state_iso3, category, year from needs union all select state_iso3, category, year from requests
), pairs as (
    select state_iso3, category, min(year) as first_raised from raised
    where state_iso3 is not null and category is not null group by all
), need_agg as (
    select state_iso3, category,
           list(distinct year order by year) filter (where year is not null) as need_years,
           list(distinct workshop_id order by workshop_id) filter (where workshop_id is not null) as need_workshops
    from needs group by all
), request_agg as (
    select state_iso3, category,
           list(distinct day order by day) filter (where day is not null) as request_dates
    from requests group by all
), offer_agg as (
    select o.state_iso3, o.category,
           list({'provider': o.provider, 'year': o.year, 'workshop_id': o.workshop_id, 'given_to': o.given_to}
                order by o.year nulls last, o.provider) as offers,
           min(o.year) as first_offer
    from offers o join pairs p using (state_iso3, category)
    where p.first_raised is null or o.year is null or o.year >= p.first_raised
    group by all
), later as (
    select e.state_iso3, e.category, e.workshop_id, min(e.year) as year
    from events e join pairs p using (state_iso3, category)
    where e.year is not null and (p.first_raised is null or e.year > p.first_raised)
      and not exists (select 1 from needs n where n.state_iso3 = e.state_iso3 and n.category = e.category
                      and n.workshop_id = e.workshop_id)
    group by all
), later_agg as (
    select state_iso3, category, list(workshop_id order by year, workshop_id) as later_events,
           list(distinct year order by year) as later_event_years, min(year) as first_later
    from later group by all
)
"""
AGGREGATE_SELECT = """
select p.state_iso3, p.category, p.first_raised,
       coalesce(n.need_years, []) as need_years, coalesce(n.need_workshops, []) as need_workshops,
       coalesce(r.request_dates, []) as request_dates, o.offers, o.first_offer,
       coalesce(l.later_events, []) as later_events, coalesce(l.later_event_years, []) as later_event_years,
       l.first_later
from pairs p
left join need_agg n using (state_iso3, category)
left join request_agg r using (state_iso3, category)
left join offer_agg o using (state_iso3, category)
left join later_agg l using (state_iso3, category)
"""


TO_WHOM = {"named": "", "group": ", to a group", "all_participants": ", to all participants"}


def _offer_text(offer: dict) -> str:
    """"EU (2017)", "OSCE (2019, to all participants)"."""
    when = "" if offer["year"] is None else str(offer["year"])
    to = TO_WHOM.get(offer["to"], "")
    inside = (when + to).lstrip(", ")
    return f"{offer['provider']} ({inside})" if inside else str(offer["provider"])


def match(needs: pd.DataFrame | None, requests: pd.DataFrame | None, offers: pd.DataFrame | None,
          events: pd.DataFrame | None, as_of: date | None = None) -> pd.DataFrame:
    """The matching table (columns ``COLUMNS``), open gaps first, longest open first."""
    needs = _ensure(needs, {"state_iso3": None, "category": None, "year": None, "workshop_id": None, "kind": None})
    needs = needs[needs["kind"].fillna("workshop") != "assistance_requests"]
    requests = _ensure(requests, {"state_iso3": None, "category": None, "requested_on": None})
    offers = _ensure(offers, {"provider": None, "category": None, "recipients_iso3": None, "year": None,
                              "workshop_id": None, "recipients_kind": "named"})
    events = _ensure(events, {"state_iso3": None, "workshop_id": None, "year": None, "category": None})

    def text(series) -> pd.Series:
        return pd.Series(series, dtype=object).reset_index(drop=True).where(lambda v: v.notna(), None).astype(
            "string")

    frames = {
        "needs": pd.DataFrame({"state_iso3": text(needs["state_iso3"]), "category": text(needs["category"]),
                         "year": _years(needs["year"]),
                         "workshop_id": pd.to_numeric(needs["workshop_id"].reset_index(drop=True),
                                                      errors="coerce").astype("Int64")}),
        "requests": pd.DataFrame({"state_iso3": text(requests["state_iso3"]), "category": text(requests["category"]),
                            "year": _years(requests["requested_on"]),
                            "day": text([_iso_day(d) for d in requests["requested_on"]])}),
    }
    exploded = offers.explode("recipients_iso3").reset_index(drop=True)
    frames["offers"] = pd.DataFrame({
        "state_iso3": text(exploded["recipients_iso3"]), "category": text(exploded["category"]),
        "provider": text(exploded["provider"]), "year": _years(exploded["year"]),
        "given_to": text(exploded["recipients_kind"]),
        "workshop_id": pd.to_numeric(exploded["workshop_id"], errors="coerce").astype("Int64")})
    frames["events"] = pd.DataFrame({
        "state_iso3": text(events["state_iso3"]), "category": text(events["category"]),
        "year": _years(events["year"]),
        "workshop_id": pd.to_numeric(events["workshop_id"].reset_index(drop=True), errors="coerce").astype("Int64")})

    con = duckdb.connect(config={"threads": 1})  # small inputs: one thread beats scheduling several
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        result = con.sql(f"with {AGGREGATE_CTES} {AGGREGATE_SELECT}")  # in memory: no store here
        columns, rows = list(result.columns), result.fetchall()
    finally:
        con.close()
    return finish(columns, rows, as_of)


def finish(columns: list[str], rows: list[tuple], as_of: date | None = None) -> pd.DataFrame:
    """Status, years open and plain Python lists from the aggregate's rows (``AGGREGATE_SELECT``),
    as DuckDB's ``fetchall`` gives them (lists, dicts, ints and None: no per-cell conversion from
    numpy, which cost more than the query itself at 100,000 needs)."""
    as_of_year = (as_of or date.today()).year
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    at = {name: i for i, name in enumerate(columns)}
    out: dict[str, list] = {name: [] for name in COLUMNS}
    for row in rows:
        first, first_later = row[at["first_raised"]], row[at["first_later"]]
        offered = [{"provider": x["provider"], "year": x["year"], "workshop_id": x["workshop_id"],
                    "to": x["given_to"] or "named"} for x in row[at["offers"]] or ()]
        if first_later is not None:
            status, until = Status.TAKEN_UP, first_later
        elif offered:
            first_offer = row[at["first_offer"]]
            status, until = Status.OFFERED, first if first_offer is None else first_offer
        else:
            status, until = Status.OPEN, as_of_year
        out["state_iso3"].append(row[at["state_iso3"]])
        out["category"].append(row[at["category"]])
        out["status"].append(str(status))
        out["years_open"].append(None if first is None or until is None else max(int(until) - int(first), 0))
        out["first_raised"].append(None if first is None else int(first))
        for name in ("need_years", "need_workshops", "later_events", "later_event_years"):
            out[name].append(list(row[at[name]] or ()))  # integer lists: DuckDB gives Python ints
        out["request_dates"].append([str(d) for d in row[at["request_dates"]] or ()])
        out["offers"].append(offered)
        out["offer_summary"].append("; ".join(_offer_text(x) for x in offered))
    table = pd.DataFrame({name: pd.Series(values, dtype=object) if name in ("state_iso3", "category", "status")
                          else values for name, values in out.items()}, columns=COLUMNS)
    table["_order"] = table["status"].map({str(k): v for k, v in STATUS_ORDER.items()})
    table["_years"] = pd.to_numeric(table["years_open"], errors="coerce")
    table = table.sort_values(["_order", "_years", "state_iso3", "category"],
                              ascending=[True, False, True, True], na_position="last")
    return table.drop(columns=["_order", "_years"]).reset_index(drop=True)
