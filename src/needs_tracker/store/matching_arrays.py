"""The matching aggregate (``matching_aggregate.AGGREGATE_CTES``/``AGGREGATE_SELECT``) computed
with numpy over the store's copy, for the dashboard's filter changes.

At 100,000 needs the SQL aggregate took 25-60 ms a filter change (a words change on Matching
or the Gap finder): a dozen groupings, joins and ``list(distinct ...)`` over every filtered need,
then DuckDB's conversion of about 2,000 rows of lists and structs to Python. Here SQL only
selects the filtered rows (the filter's own clauses, so a row is in exactly when it is in the
SQL aggregate), as integer columns; the groupings are sorts and ``unique`` over integer codes
(pair, year), (pair, event), and the few thousand offers and later events are grouped in Python.
The rows are the SQL aggregate's, value for value (the tests compare both, filter by filter);
their order is left to ``matching.finish``, which sorts them.

Nulls: a need or request without a state or a gap belongs to no (state, gap) pair and is left
out, as the SQL's joins on the pair leave it out; a missing year or event becomes ``NULL``,
which no real year or event number is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

NULL = -(2**62)  # a year or event number that is NULL in the store
COLUMNS = ["state_iso3", "category", "first_raised", "need_years", "need_workshops", "request_dates", "offers",
           "first_offer", "later_events", "later_event_years", "first_later"]


class Fixed:
    """What no filter changes, read once per copy: the code -> name of states and gaps, and every
    later-event candidate (a state's attended event on a gap with its year) grouped by pair."""

    def __init__(self, cursor) -> None:
        self.states = dict(cursor.execute("select no, iso3 from state_codes").fetchall())
        self.categories = dict(cursor.execute("select no, category from category_codes").fetchall())
        self.width = max(self.categories, default=0) + 1  # pair code = state no * width + gap no
        self.events: dict[int, list[tuple[int, bool, int]]] = {}  # pair -> [(year, no event, event)], sorted
        for s, c, year, event in cursor.execute(
                "select distinct s_no, c_no, year, workshop_id from m_events "
                "where s_no is not null and c_no is not null and year is not null").fetchall():
            no_event = event is None
            self.events.setdefault(s * self.width + c, []).append((year, no_event, NULL if no_event else event))
        for attended in self.events.values():  # SQL's order of later events: by year, then event (nulls last)
            attended.sort()
        self._selected: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def selected(self, cursor, sql: str, params: list, shape: Callable):
        """``shape(self, rows)`` of the rows ``sql`` selects: kept per (sql, params), since the
        requests and offers a filter selects change with its gaps and years only, not its words."""
        key = (sql, repr(params))
        with self._lock:
            held = self._selected.get(key)
        if held is None:
            held = shape(self, cursor.execute(sql, params).fetchall())
            with self._lock:
                if len(self._selected) >= 32:  # a few filters' worth; each is small (thousands of rows)
                    self._selected.clear()
                self._selected[key] = held
        return held


def _requests(fix: Fixed, rows: list[tuple]) -> dict[int, tuple[int | None, list[str]]]:
    """pair -> (its requests' first year or None, their distinct days in order)."""
    years: dict[int, int | None] = {}
    days: dict[int, set[str]] = {}
    for s, c, year, day in rows:
        k = s * fix.width + c
        if year is not None and (years.get(k) is None or year < years[k]):
            years[k] = year
        years.setdefault(k, None)
        days.setdefault(k, set())
        if day is not None:
            days[k].add(day)
    return {k: (year, sorted(days[k])) for k, year in years.items()}


def _offers(fix: Fixed, rows: list[tuple]) -> dict[int, list[tuple]]:
    """pair -> its distinct offers (provider, given_to, year, workshop_id), in the SQL's order."""
    out: dict[int, set[tuple]] = {}
    for s, c, provider, given_to, year, workshop_id in rows:
        out.setdefault(s * fix.width + c, set()).add((provider, given_to, year, workshop_id))  # distinct, as the SQL
    return {k: sorted(offers, key=_offer_order) for k, offers in out.items()}


_FIXED_LOCK = threading.Lock()


def fixed(base) -> Fixed:
    """The base's ``Fixed``, read at its first use (under a lock: sessions share a base)."""
    with _FIXED_LOCK:
        held = base.__dict__.get("_fixed")
        if held is None:
            held = Fixed(base.cursor())
            base.__dict__["_fixed"] = held
        return held


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (``np.unique`` hashes first, several times slower here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _groups(codes: np.ndarray, values: np.ndarray) -> dict[int, list[int]]:
    """pair -> the sorted distinct non-null values of that pair, from parallel arrays: one sort of
    (pair, value) packed into one integer."""
    keep = values != NULL
    codes, values = codes[keep], values[keep]
    if not len(values):
        return {}
    low = int(values.min())
    span = int(values.max()) - low + 1
    packed = _distinct(codes * span + (values - low))  # sorted by pair, then value
    pairs, found = packed // span, packed % span + low
    starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
    keys, found, bounds = pairs[starts].tolist(), found.tolist(), [*starts.tolist(), len(packed)]
    return {k: found[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}


def _offer_order(offer: tuple) -> tuple:
    """The SQL's ``order by o.year nulls last, o.provider, o.workshop_id nulls last, o.given_to``
    (DuckDB's default is nulls last too)."""
    provider, given_to, year, workshop_id = offer
    return (year is None, year or 0, provider is None, provider or "", workshop_id is None, workshop_id or 0,
            given_to is None, given_to or "")


def aggregate(base, needs_sql: str, needs_params: list, requests_sql: str, requests_params: list,
              offers_sql: str, offers_params: list) -> tuple[list[str], list[tuple]]:
    """The aggregate's columns and rows, from three selections of the copy: ``needs_sql`` gives
    (s_no, c_no, year, event) of the filtered needs (nulls as ``NULL`` for year and event),
    ``requests_sql`` (s_no, c_no, year, day) and ``offers_sql`` (s_no, c_no, provider, given_to,
    year, workshop_id) of the filtered requests and offers; rows without a state or gap left out."""
    fix = fixed(base)
    width = fix.width
    cur = base.cursor()
    got = cur.execute(needs_sql, needs_params).fetchnumpy()
    codes = got["s_no"].astype(np.int64) * width + got["c_no"].astype(np.int64)
    years, events = got["year"].astype(np.int64), got["event"].astype(np.int64)
    need_years, need_events = _groups(codes, years), _groups(codes, events)

    first: dict[int, int | None] = dict.fromkeys(_distinct(codes).tolist())  # pair -> its first year
    for k, ys in need_years.items():
        first[k] = ys[0]
    requested = fix.selected(cur, requests_sql, requests_params, _requests)
    for k, (year, _) in requested.items():
        if k not in first or (year is not None and (first[k] is None or year < first[k])):
            first[k] = year
    offered = fix.selected(cur, offers_sql, offers_params, _offers)

    rows = []
    for k, first_raised in first.items():
        offers, first_offer = offered.get(k), None
        if offers:
            kept = [o for o in offers if first_raised is None or o[2] is None or o[2] >= first_raised]
            offers = [{"provider": p, "year": y, "workshop_id": w, "given_to": g} for p, g, y, w in kept] or None
            first_offer = kept[0][2] if kept else None  # in order of year, nulls last: the first is the least
        later_events, later_years = [], []
        attended = fix.events.get(k)
        if attended:
            had_need = set(need_events.get(k, ()))  # a later event is one the state had no need at
            seen: set[int] = set()
            for year, _, event in attended:  # by year: an event's first is its earliest
                if (first_raised is None or year > first_raised) and event not in had_need and event not in seen:
                    seen.add(event)
                    later_events.append(None if event == NULL else event)
                    if not later_years or later_years[-1] != year:
                        later_years.append(year)
        request = requested.get(k)
        rows.append((fix.states[k // width], fix.categories[k % width], first_raised,
                     need_years.get(k, []), need_events.get(k, []), list(request[1]) if request else [],
                     offers, first_offer, later_events, later_years, later_years[0] if later_years else None))
    return COLUMNS, rows
