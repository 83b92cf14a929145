"""The overview's five reads (``store.reads``: ``counts``, ``heatmap``, ``by_state``, ``by_year``,
``by_year_summary``) answered with numpy over the store's copy in memory, for the dashboard's
filter changes.

At 100,000 needs the five SQL reads took about 31 ms of a words change and 37 ms of a region
change (each groups every filtered need again, with ``count(distinct ...)`` and ``string_agg``),
on top of the figures, which the floor draws too. Here every need of ``need_facts`` is read once
per copy as integer codes (state, gap, year, event, source, date), and each grouping the reads
need is sorted once (``Facts``); a filter then only selects its needs (one SQL scan of the
filter's own clauses, kept per filter but its words), its words mask them by need id (the same
bit the SQL tests), and a masked sorted array is still sorted: every distinct count, list and
"latest" is read off neighbours, with no sort and no query per change.

The frames are the SQL's, value for value, dtype for dtype and row for row
(``tests/test_overview_arrays.py`` compares them on random stores). One choice is made where the
SQL leaves it open: a heatmap cell's latest workshop is ``arg_max(event_id, start_date)``, and
when two events of a cell share the latest date DuckDB keeps the first row it scans; here it is
the first row in ``need_facts``' order (its ``rowid``), which is what DuckDB's single-threaded scan
of a copy this size meets first (5 such cells of 2,156 in the 100,000-need benchmark store).

Only a copy that holds ``need_facts`` as a table (below ``matching_base.FACTS_KEPT_BELOW`` needs)
is answered here; a larger one keeps the SQL reads (``facts`` says None). The copy's background
thread reads the ``Facts`` right after the words' index (``matching_base.Bases``: 0.1 s at
100,000 needs), so a first change does not pay it.
"""

from __future__ import annotations

import logging
import threading

import duckdb
import numpy as np
import pandas as pd

from .reads import HUMAN_STATUSES

log = logging.getLogger(__name__)

KEEP_SELECTIONS = 16  # filters (but their words) whose needs are kept: a boolean per need each
_EPOCH = "date '1900-01-01'"  # the SQL's coalesce(start_date, date '1900-01-01')

FACTS_SQL = f"""
select f.rowid as row_no, f.need_id, dense_rank() over (order by f.state_iso3) - 1 as s,
       dense_rank() over (order by f.category) - 1 as c,
       f.year is null as no_year, coalesce(f.year, 0) as year,
       dense_rank() over (order by f.event_id) - 1 as e,
       dense_rank() over (order by f.workshop_id) - 1 as w,
       coalesce(f.start_date, {_EPOCH}) - {_EPOCH} as day, list_contains(?, f.status) as human
from need_facts f order by f.rowid"""


class _Grouping:
    """The rows sorted once by a packed key (stable: ties keep ``need_facts``' order). A selection
    (a boolean per row) keeps its rows' keys, still sorted."""

    def __init__(self, key: np.ndarray) -> None:
        self.order = np.argsort(key, kind="stable")
        self.key = key[self.order]

    def kept(self, selected: np.ndarray) -> np.ndarray:
        return self.key[selected[self.order]]

    def rows_kept(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        held = selected[self.order]
        return self.key[held], self.order[held]


def _distinct(sorted_keys: np.ndarray) -> np.ndarray:
    return sorted_keys[np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]] if len(sorted_keys) else sorted_keys


def _firsts(groups: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in ``groups`` (sorted)."""
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups


class Facts:
    """Every need of the copy's ``need_facts`` as codes, in the table's order, with the names the
    codes stand for and the groupings the overview's reads need, sorted once."""

    def __init__(self, cursor) -> None:
        got = cursor.execute(FACTS_SQL, [list(HUMAN_STATUSES)]).fetchnumpy()
        self.need_id = got["need_id"].astype(np.int64)
        self.rows = len(self.need_id)
        # a row's place here is its rowid (a copy's table is written once, in one go); if it ever
        # is not, selections are placed by looking their rowids up
        row_no = got["row_no"].astype(np.int64)
        self._row_no = None if np.array_equal(row_no, np.arange(self.rows)) else row_no
        s, c, e, w = (got[k].astype(np.int64) for k in ("s", "c", "e", "w"))
        states = cursor.execute("""select state_iso3, any_value(state_name), any_value(region), any_value(subregion)
                                   from need_facts group by state_iso3 order by state_iso3""").fetchall()
        self.iso3, self.names, self.regions, self.subregions = ([r[i] for r in states] for i in range(4))
        self.categories = [r[0] for r in cursor.execute(
            "select distinct category from need_facts order by category").fetchall()]
        events = cursor.execute("""select e.event_id, w.title from (select distinct event_id from need_facts) e
                                   left join workshops w on w.id = e.event_id order by e.event_id""").fetchall()
        self.event_ids, self.titles = [r[0] for r in events], [r[1] for r in events]
        self.S, self.C, self.E = len(self.iso3), len(self.categories), len(self.event_ids)
        self.W = int(w.max()) + 1 if self.rows else 0
        # years as codes in numeric order, NULL the last code (Y): "nulls last" as the reads order them
        years = got["year"].astype(np.int64)
        no_year = got["no_year"].astype(bool)
        self.years = sorted(set(years[~no_year].tolist()))
        self.Y = len(self.years)
        y = np.searchsorted(np.asarray(self.years, dtype=np.int64), years) if self.rows else years
        y[no_year] = self.Y
        self.year_text = [str(v) for v in self.years]  # cast(year as varchar), ordered as text by the SQL
        self.years_sort_as_text = self.year_text == sorted(self.year_text)
        # a state's place by name (the reads order by state_name; equal names by code, i.e. iso3)
        self.name_rank = np.empty(self.S, dtype=np.int64)
        self.name_rank[sorted(range(self.S), key=lambda i: (self.names[i], i))] = np.arange(self.S)
        self.distinct_names = sorted(set(self.names))  # string_agg(distinct state_name): equal names once
        place = {name: i for i, name in enumerate(self.distinct_names)}
        self.name_code = np.asarray([place[name] for name in self.names], dtype=np.int64)
        self.s, self.c, self.e, self.w, self.y = s, c, e, w, y
        self.human = got["human"].astype(bool)
        self.pair = s * self.C + c
        day = got["day"].astype(np.int64)
        span = int(day.max() - day.min()) + 1 if self.rows else 1
        latest_first = (day.max() if self.rows else 0) - day  # the latest date first
        self.by_pair_event = _Grouping(self.pair * max(self.E, 1) + e)
        self.by_pair_year = _Grouping(self.pair * (self.Y + 1) + y)
        self.by_pair_latest = _Grouping(self.pair * span + latest_first)
        self.by_state_event = _Grouping(s * max(self.E, 1) + e)
        self.by_event_year = _Grouping(e * (self.Y + 1) + y)
        self._selected: dict[tuple, np.ndarray] = {}
        self._lock = threading.Lock()

    def selected(self, cursor, where: str, params: list) -> np.ndarray:
        """A boolean per row: the needs ``where`` (a filter's clauses over ``need_facts f``) selects,
        kept per (where, params) for the next words change."""
        key = (where, repr(params))
        with self._lock:
            held = self._selected.pop(key, None)
            if held is not None:
                self._selected[key] = held  # most recently used last
                return held
        rows = cursor.execute(f"select f.rowid from need_facts f where {where}", params).fetchnumpy()["rowid"]
        rows = rows.astype(np.int64)
        held = np.zeros(self.rows, dtype=bool)
        held[rows if self._row_no is None else np.searchsorted(self._row_no, rows)] = True
        with self._lock:
            self._selected[key] = held
            while len(self._selected) > KEEP_SELECTIONS:
                del self._selected[next(iter(self._selected))]
        return held


_LOCK = threading.Lock()


def facts(base) -> Facts | None:
    """The copy's ``Facts``, read at its first use (under a lock: sessions share a copy); None for a
    copy without ``need_facts`` as a table, or when reading them failed (the SQL reads then answer).

    A failure is not tried again for this copy. DuckDB's errors and a lack of memory are expected
    (a large or damaged store) and quiet; any other error (a column of a type the codes cannot
    hold, say) is logged in one line naming the copy, and never reaches the page: whether the
    copy's background thread or a page's first read meets it, the overview is then read by SQL."""
    if not getattr(base, "has_need_facts", False):
        return None
    with _LOCK:
        held = base.__dict__.get("_overview_facts")
        if held is None:
            try:
                held = Facts(base.cursor())
            except (duckdb.Error, MemoryError):
                held = False
            except Exception as exc:  # noqa: BLE001 - the SQL reads answer instead; one line says why
                held = False
                log.warning("%s: building the overview's arrays failed (%s: %s); its overview is read "
                            "through SQL", getattr(base, "name", "a copy of the store"), type(exc).__name__,
                            " ".join(str(exc).split()))
            base.__dict__["_overview_facts"] = held
        return held or None


def _selection(base, fx: Facts, f) -> np.ndarray:
    """The rows ``f`` selects: its clauses but the words by SQL (kept), its words as a mask by need
    id from their answer (``NeedFilter.with_text_hits``), exactly the SQL's bit test."""
    where, params = f.with_(text=None).where("f")
    selected = fx.selected(base.cursor(), where, params)
    if not f.text:
        return selected
    from .word_index import mask_of

    _, bits, size = f.__dict__["_text_hits"]
    if bits is None:
        return np.zeros(fx.rows, dtype=bool)
    mask = mask_of(bits, size)
    inside = (fx.need_id >= 0) & (fx.need_id < size)  # a need newer than the answer holds no words
    held = np.zeros(fx.rows, dtype=bool)
    held[inside] = mask[fx.need_id[inside]]
    return selected & held


def _text(values: list) -> pd.Series:
    """A VARCHAR column as DuckDB hands it to pandas: pandas' string dtype, objects (None) when it
    holds no value at all (no rows, or only NULLs)."""
    return pd.Series(values, dtype="str" if any(v is not None for v in values) else object)


def _year_column(values: list) -> pd.Series | np.ndarray:
    """An INTEGER column as DuckDB hands it to pandas: int32, or Int32 when it holds a NULL."""
    if any(v is None for v in values):
        return pd.array(values, dtype="Int32")
    return np.asarray(values, dtype=np.int32)


def _count_per(keys: np.ndarray, groups: int) -> np.ndarray:
    return np.bincount(keys, minlength=groups) if groups else np.zeros(0, dtype=np.int64)


def counts(fx: Facts, sel: np.ndarray) -> dict[str, int]:
    def distinct(codes: np.ndarray, size: int) -> int:
        return int(np.count_nonzero(_count_per(codes[sel], size)))

    return {"workshops": distinct(fx.e, fx.E), "states": distinct(fx.s, fx.S), "needs": int(np.count_nonzero(sel)),
            "confirmed": int(np.count_nonzero(fx.human & sel)), "documents": distinct(fx.w, fx.W)}


def heatmap(fx: Facts, sel: np.ndarray) -> pd.DataFrame:
    E, Y1 = max(fx.E, 1), fx.Y + 1
    pairs_events = _distinct(fx.by_pair_event.kept(sel))
    workshops = _count_per(pairs_events // E, fx.S * fx.C)
    present = np.flatnonzero(workshops)
    pair_years = _distinct(fx.by_pair_year.kept(sel))
    pair_years = pair_years[pair_years % Y1 != fx.Y]  # string_agg and max leave NULL years out
    years_of: dict[int, tuple[str, int]] = {}  # pair -> (its years as the SQL's string_agg, the latest)
    if len(pair_years):
        pairs, codes = pair_years // Y1, pair_years % Y1
        starts = _firsts(pairs).tolist()
        texts = [fx.year_text[k] for k in codes.tolist()]
        for i, p in enumerate(pairs[starts].tolist()):
            a, b = starts[i], starts[i + 1] if i + 1 < len(starts) else len(texts)
            group = texts[a:b]
            years_of[p] = (", ".join(group if fx.years_sort_as_text else sorted(group)), fx.years[int(codes[b - 1])])
    _, rows = fx.by_pair_latest.rows_kept(sel)
    latest_row = rows[_firsts(fx.pair[rows])]  # per pair, the first row of its latest date
    latest_event = dict(zip(fx.pair[latest_row].tolist(), fx.e[latest_row].tolist(), strict=True))
    order = present[np.lexsort((present % fx.C, fx.name_rank[present // fx.C]))]
    iso3, names, cats, counts_, years, titles, latest = [], [], [], [], [], [], []
    for p in order.tolist():
        st, ca = divmod(p, fx.C)
        iso3.append(fx.iso3[st])
        names.append(fx.names[st])
        cats.append(fx.categories[ca])
        counts_.append(int(workshops[p]))
        years_text, latest_year = years_of.get(p, (None, None))
        years.append(years_text)
        titles.append(fx.titles[latest_event[p]])
        latest.append(latest_year)
    return pd.DataFrame({"state_iso3": _text(iso3), "state_name": _text(names), "category": _text(cats),
                         "workshops": np.asarray(counts_, dtype=np.int64), "years": _text(years),
                         "latest_workshop": _text(titles), "latest_year": _year_column(latest)})


def by_state(fx: Facts, sel: np.ndarray) -> pd.DataFrame:
    E = max(fx.E, 1)
    needs = _count_per(fx.s[sel], fx.S)
    categories = (_count_per(fx.pair[sel], fx.S * fx.C) > 0).reshape(fx.S, fx.C).sum(axis=1) if fx.S else needs
    workshops = _count_per(_distinct(fx.by_state_event.kept(sel)) // E, fx.S)
    present = np.flatnonzero(needs)
    order = present[np.lexsort((fx.name_rank[present], -needs[present]))].tolist()
    return pd.DataFrame({"state_iso3": _text([fx.iso3[i] for i in order]),
                         "state_name": _text([fx.names[i] for i in order]),
                         "region": _text([fx.regions[i] for i in order]),
                         "subregion": _text([fx.subregions[i] for i in order]),
                         "needs": needs[order].astype(np.int64), "categories": categories[order].astype(np.int64),
                         "workshops": workshops[order].astype(np.int64)})


def by_year(fx: Facts, sel: np.ndarray) -> pd.DataFrame:
    Y1, C, S = fx.Y + 1, fx.C, fx.S
    year_gap = fx.y * C + fx.c
    needs = _count_per(year_gap[sel], Y1 * C)
    states = (_count_per((year_gap * S + fx.s)[sel], Y1 * C * S) > 0).reshape(Y1 * C, S).sum(axis=1) \
        if S else needs
    present = np.flatnonzero(needs).tolist()  # in order of year (NULL last), then gap
    return pd.DataFrame({"year": _year_column([fx.years[k // C] if k // C < fx.Y else None for k in present]),
                         "category": _text([fx.categories[k % C] for k in present]),
                         "needs": needs[present].astype(np.int64), "states": states[present].astype(np.int64)})


def by_year_summary(fx: Facts, sel: np.ndarray) -> pd.DataFrame:
    Y1 = fx.Y + 1
    events_years = fx.by_event_year.kept(sel)
    firsts = events_years[_firsts(events_years // Y1)]  # per event its least year code: NULL only if all are
    event_year = np.full(max(fx.E, 1), fx.Y, dtype=np.int64)
    event_year[firsts // Y1] = firsts % Y1
    year_of_row = event_year[fx.e[sel]]
    workshops = _count_per(event_year[firsts // Y1], Y1)

    def present(codes: np.ndarray, size: int) -> np.ndarray:
        return (_count_per(year_of_row * size + codes[sel], Y1 * size) > 0).reshape(Y1, size) if size else \
            np.zeros((Y1, 0), dtype=bool)

    states = present(fx.s, fx.S).sum(axis=1)
    names = present(fx.name_code[fx.s], len(fx.distinct_names))
    cats = present(fx.c, fx.C)
    shown = np.flatnonzero(workshops).tolist()
    return pd.DataFrame({
        "year": _year_column([fx.years[k] if k < fx.Y else None for k in shown]),
        "workshops": workshops[shown].astype(np.int64), "states": states[shown].astype(np.int64),
        "state_names": _text([", ".join(fx.distinct_names[i] for i in np.flatnonzero(names[k])) for k in shown]),
        "categories": pd.Series([np.asarray([fx.categories[i] for i in np.flatnonzero(cats[k])], dtype=object)
                                 for k in shown], dtype=object)})


READS = {"counts": counts, "heatmap": heatmap, "by_state": by_state, "by_year": by_year,
         "by_year_summary": by_year_summary}


def overview(base, f, names: tuple[str, ...] = tuple(READS)) -> tuple | None:
    """The reads ``names`` (``store.reads``' functions of those names) under ``f`` over the copy
    ``base`` (``f``'s words answered already: ``with_text_hits``); None when the copy cannot answer
    them here (``facts``): the caller runs the SQL reads."""
    fx = facts(base)
    if fx is None:
        return None
    sel = _selection(base, fx, f)
    return tuple(READS[name](fx, sel) for name in names)
