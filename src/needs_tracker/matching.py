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
store and no Streamlit. The aggregation's SQL lives in ``store.matching_aggregate`` (every SQL
statement is in the store package): it runs in an in-memory DuckDB over the frames here, and over
the store's own tables in ``store.assistance.matching_table`` (per-group pandas work took seconds at
100,000 needs; DuckDB takes milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum

import pandas as pd

from .store.matching_aggregate import aggregate_frames


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


TO_WHOM = {"named": "", "group": ", to a group", "all_participants": ", to all participants"}


def offer_summary_text(offer: dict) -> str:
    """The short form of ``offer_summary``: "EU (2017)", "OSCE (2019, to all participants)"."""
    when = "" if offer["year"] is None else str(offer["year"])
    to = TO_WHOM.get(offer["to"], "")
    inside = (when + to).lstrip(", ")
    return f"{offer['provider']} ({inside})" if inside else str(offer["provider"])


def offers_texts(cells: Iterable, write: Callable[[dict], str]) -> list[str]:
    """Each cell of the matching table's ``offers`` column (a list of offers, or None) as one text:
    its offers written by ``write`` and joined by "; " ("" for none).

    Each distinct offer is written once: the same offers recur across a state's gaps and across
    states, and writing each again cost a large table's pages most of their formatting. ``write``
    therefore reads only what makes an offer distinct here: its ``provider``, ``year`` and ``to``.
    Every offers text is written through this function (the short ``offer_summary_text`` here, the
    long ``export.matching_format.offer_text`` that the Matching page, the gap finder and the
    downloads show), so the same offer reads the same everywhere."""
    texts: dict[tuple, str] = {}
    known = texts.get
    out = []
    for offers in cells:
        if type(offers) is not list:  # the matching table's cells are lists: no other check for them
            offers = [] if offers is None or (isinstance(offers, float) and pd.isna(offers)) else list(offers)
        if not offers:
            out.append("")
            continue
        parts = []
        for offer in offers:
            key = (offer["provider"], offer["year"], offer["to"])
            text = known(key)
            if text is None:
                text = texts[key] = write(offer)
            parts.append(text)
        out.append("; ".join(parts))
    return out


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

    columns, rows = aggregate_frames(frames)
    return finish(columns, rows, as_of)


def finish(columns: list[str], rows: list[tuple], as_of: date | None = None) -> pd.DataFrame:
    """Status, years open and plain Python lists from the aggregate's rows (``AGGREGATE_SELECT``),
    as DuckDB's ``fetchall`` gives them (lists, dicts, ints and None: no per-cell conversion from
    numpy, which cost more than the query itself at 100,000 needs). The rows are put in order
    here, in Python, before the frame is built (open first, then offered, then taken up; longest
    open first, unknown last; then state and gap): a pandas sort of the built frame took longer
    than building it."""
    as_of_year = (as_of or date.today()).year
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    at = {name: i for i, name in enumerate(columns)}
    i_first, i_later, i_offers, i_first_offer = at["first_raised"], at["first_later"], at["offers"], at["first_offer"]
    i_state, i_category, i_dates = at["state_iso3"], at["category"], at["request_dates"]
    i_lists = [at[name] for name in ("need_years", "need_workshops", "later_events", "later_event_years")]
    ranked = {status: (STATUS_ORDER[status], str(status)) for status in Status}
    taken_up, offered_rank, open_rank = ranked[Status.TAKEN_UP], ranked[Status.OFFERED], ranked[Status.OPEN]
    i_years, i_workshops, i_later_events, i_later_years = i_lists
    done = []
    for row in rows:
        first, first_later, raw_offers = row[i_first], row[i_later], row[i_offers]
        offered = [{"provider": x["provider"], "year": x["year"], "workshop_id": x["workshop_id"],
                    "to": x["given_to"] or "named"} for x in raw_offers] if raw_offers else []
        if first_later is not None:
            (rank, status), until = taken_up, first_later
        elif offered:
            first_offer = row[i_first_offer]
            (rank, status), until = offered_rank, first if first_offer is None else first_offer
        else:
            (rank, status), until = open_rank, as_of_year
        years_open = None if first is None or until is None else max(int(until) - int(first), 0)
        state, category, dates = row[i_state], row[i_category], row[i_dates]
        # each list cell is the fresh Python list of ints fetchall made (never shared): kept as it is
        done.append(((rank, years_open is None, -(years_open or 0), state, category),
                     (state, category, status, years_open, None if first is None else int(first),
                      row[i_years] or [], row[i_workshops] or [], [str(d) for d in dates] if dates else [],
                      offered, row[i_later_events] or [], row[i_later_years] or [])))
    done.sort(key=lambda pair: pair[0])
    names = ["state_iso3", "category", "status", "years_open", "first_raised", "need_years", "need_workshops",
             "request_dates", "offers", "later_events", "later_event_years"]
    cells = list(zip(*(values for _, values in done), strict=True))
    out = {name: list(values) for name, values in zip(names, cells, strict=True)}
    out["offer_summary"] = offers_texts(out["offers"], offer_summary_text)
    return pd.DataFrame({name: pd.Series(out[name], dtype=object) if name in ("state_iso3", "category", "status")
                         else out[name] for name in COLUMNS}, columns=COLUMNS)
