"""The matching aggregate (``matching_aggregate.AGGREGATE_CTES``/``AGGREGATE_SELECT``) computed
with numpy over the store's copy, for the dashboard's filter changes.

At 100,000 needs the SQL aggregate took 25-60 ms a filter change (a words change on Matching
or the Gap finder): a dozen groupings, joins and ``list(distinct ...)`` over every filtered need,
then DuckDB's conversion of about 2,000 rows of lists and structs to Python. Here SQL only
selects the filtered rows (the filter's own clauses, so a row is in exactly when it is in the
SQL aggregate), as integer columns; the groupings are sorts over integer codes (pair, year),
(pair, event), and the few thousand offers and later events are grouped in Python. Each selection
is kept per filter (``Fixed.selected``); the needs' without the filter's words, which then only mask
them (``Needs``), so a words change runs no query and no sort.
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

from ..labels import DATE_UNKNOWN

NULL = -(2**62)  # a year or event number that is NULL in the store
# Selections kept per copy: the needs of a few filters (each 50 bytes a need: 5 MB at 100,000
# needs, 50 at 1,000,000), and the requests and offers of more (thousands of rows each).
KEEP_NEEDS, KEEP_OTHERS = 4, 32
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
        self._selected: dict[tuple, object] = {}  # (sql, params) -> its rows shaped, oldest first
        self._needs: set[tuple] = set()  # the keys of needs selections (``numpy``), the large ones
        self._lock = threading.Lock()

    def selected(self, cursor, sql: str, params: list, shape: Callable, numpy: bool = False):
        """``shape(self, rows)`` of the rows ``sql`` selects (``fetchnumpy``'s columns when
        ``numpy``), kept per (sql, params): the needs a filter selects change with its words only
        through a mask, and the requests and offers not at all."""
        key = (sql, repr(params))
        with self._lock:
            held = self._selected.get(key)
        if held is None:
            result = cursor.execute(sql, params)
            held = shape(self, result.fetchnumpy() if numpy else result.fetchall())
            with self._lock:
                self._selected[key] = held
                if numpy:
                    self._needs.add(key)
                kept = [k for k in self._selected if (k in self._needs) == numpy]  # of this kind, oldest first
                for old in kept[:max(len(kept) - (KEEP_NEEDS if numpy else KEEP_OTHERS), 0)]:
                    del self._selected[old]
                    self._needs.discard(old)
        return held


def _requests(fix: Fixed, rows: list[tuple]) -> dict[int, tuple[int | None, list[str]]]:
    """pair -> (its requests' first year or None, their distinct days in order, an undated request as
    ``DATE_UNKNOWN`` after them, as the SQL aggregate lists it)."""
    years: dict[int, int | None] = {}
    days: dict[int, set[str]] = {}
    for s, c, year, day in rows:
        k = s * fix.width + c
        if year is not None and (years.get(k) is None or year < years[k]):
            years[k] = year
        years.setdefault(k, None)
        days.setdefault(k, set())
        days[k].add(DATE_UNKNOWN if day is None else day)
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


class Needs:
    """The needs a filter selects but for its words, arranged so that its words only mask them:
    each need's pair code, and its (pair, year) and (pair, event) packed into one integer each,
    sorted once. A words change keeps the rows its words hold (``grouped``): a masked sorted array
    is still sorted, so no sort is left to do per words change."""

    def __init__(self, fix: Fixed, got: dict[str, np.ndarray]) -> None:
        self.ids = got["need_id"].astype(np.int64)
        self.codes = got["s_no"].astype(np.int64) * fix.width + got["c_no"].astype(np.int64)
        self.pairs = (int(self.codes.max()) + 1) if len(self.codes) else 0
        self.years = _Sorted(self.codes, got["year"].astype(np.int64))
        self.events = _Sorted(self.codes, got["event"].astype(np.int64))

    def rows_held(self, mask: np.ndarray | None) -> np.ndarray | None:
        """Which rows hold the words (``mask``: a boolean per need id; None: no words, every row)."""
        if mask is None:
            return None
        inside = (self.ids >= 0) & (self.ids < len(mask))  # a need newer than the words' answer holds none
        held = np.zeros(len(self.ids), dtype=bool)
        held[inside] = mask[self.ids[inside]]
        return held

    def pairs_held(self, held: np.ndarray | None) -> list[int]:
        """The sorted distinct pair codes of the rows held."""
        codes = self.codes if held is None else self.codes[held]
        return np.flatnonzero(np.bincount(codes, minlength=self.pairs)).tolist() if len(codes) else []


class _Sorted:
    """(pair, value) of the rows whose value is not NULL, packed and sorted, with each one's row."""

    def __init__(self, codes: np.ndarray, values: np.ndarray) -> None:
        rows = np.flatnonzero(values != NULL)
        self.low = int(values[rows].min()) if len(rows) else 0
        self.span = (int(values[rows].max()) - self.low + 1) if len(rows) else 1
        packed = codes[rows] * self.span + (values[rows] - self.low)
        order = np.argsort(packed, kind="stable")
        self.packed, self.rows = packed[order], rows[order]

    def grouped(self, held: np.ndarray | None) -> dict[int, list[int]]:
        """pair -> the sorted distinct values of its rows held (all rows when ``held`` is None)."""
        packed = self.packed if held is None else self.packed[held[self.rows]]
        if not len(packed):
            return {}
        packed = packed[np.r_[True, packed[1:] != packed[:-1]]]  # distinct: neighbours, as it is sorted
        pairs, found = packed // self.span, packed % self.span + self.low
        starts = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
        keys, found, bounds = pairs[starts].tolist(), found.tolist(), [*starts.tolist(), len(packed)]
        return {k: found[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}


def _offer_order(offer: tuple) -> tuple:
    """The SQL's ``order by o.year nulls last, o.provider, o.workshop_id nulls last, o.given_to``
    (DuckDB's default is nulls last too)."""
    provider, given_to, year, workshop_id = offer
    return (year is None, year or 0, provider is None, provider or "", workshop_id is None, workshop_id or 0,
            given_to is None, given_to or "")


def _needs(fix: Fixed, rows: dict[str, np.ndarray]) -> Needs:
    return Needs(fix, rows)


def aggregate(base, needs_sql: str, needs_params: list, words: np.ndarray | None, requests_sql: str,
              requests_params: list, offers_sql: str, offers_params: list) -> tuple[list[str], list[tuple]]:
    """The aggregate's columns and rows, from three selections of the copy: ``needs_sql`` gives
    (need_id, s_no, c_no, year, event) of the needs the filter selects but for its words (nulls as
    ``NULL`` for year and event), and ``words`` says which needs hold the words (a boolean per need
    id; None: no words); ``requests_sql`` gives (s_no, c_no, year, day) and ``offers_sql``
    (s_no, c_no, provider, given_to, year, workshop_id) of the filtered requests and offers; rows
    without a state or gap left out. Each selection is kept per (sql, params): a words change
    reads none of them again."""
    fix = fixed(base)
    width = fix.width
    cur = base.cursor()
    needs = fix.selected(cur, needs_sql, needs_params, _needs, numpy=True)
    held = needs.rows_held(words)
    need_years, need_events = needs.years.grouped(held), needs.events.grouped(held)

    first: dict[int, int | None] = dict.fromkeys(needs.pairs_held(held))  # pair -> its first year
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
