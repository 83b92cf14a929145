"""``NeedFilter.where_columns``: the filter's geography, gap and years over any table's columns,
the one builder behind ``where`` (needs) and the matching table (requests, offers)."""

from __future__ import annotations

import duckdb
import pytest

from needs_tracker.filters import NeedFilter

STATES = [("KEN", "Africa", "Eastern Africa"), ("NGA", "Africa", "Western Africa"),
          ("PER", "Americas", "South America")]
ROWS = [(1, "KEN", "licensing", 2012), (2, "NGA", "licensing", 2018), (3, "PER", "control_lists", 2015),
        (4, "KEN", "control_lists", None), (5, "XXX", "licensing", 2016)]


@pytest.fixture()
def con():
    c = duckdb.connect()
    c.execute("create table states (iso3 varchar, region varchar, subregion varchar)")
    c.executemany("insert into states values (?, ?, ?)", STATES)
    c.execute("create table asks (id integer, who varchar, gap varchar, day date)")
    c.executemany("insert into asks values (?, ?, ?, make_date(?, 3, 1))", ROWS)
    return c


def _ids(con, f: NeedFilter) -> list[int]:
    where, params = f.where_columns(state="a.who", category="a.gap", year="year(a.day)")
    return [r[0] for r in con.execute(f"select id from asks a where {where} order by id", params).fetchall()]


@pytest.mark.parametrize(("f", "expected"), [
    (NeedFilter(), [1, 2, 3, 4, 5]),
    (NeedFilter(regions=("Africa",)), [1, 2, 4]),
    (NeedFilter(subregions=("Western Africa", "South America")), [2, 3]),
    (NeedFilter(states=("KEN", "PER")), [1, 3, 4]),
    (NeedFilter(categories=("licensing",)), [1, 2, 5]),
    (NeedFilter(year_from=2015), [2, 3, 5]),          # an undated row is out once a year is asked for
    (NeedFilter(year_to=2015, regions=("Africa",)), [1]),
    (NeedFilter(organizer="OSCE", status="confirmed", text="border"), [1, 2, 3, 4, 5]),  # not this builder's
])
def test_where_columns_filters_any_table(con, f, expected):
    assert _ids(con, f) == expected


def test_where_columns_binds_values_and_takes_given_region_columns():
    f = NeedFilter(regions=("Africa",), states=("KEN",), categories=("licensing",), year_from=2010)
    where, params = f.where_columns(state="x.s", category="x.c", year="x.y", region="x.r", subregion="x.sr")
    assert where == "list_contains(?, x.r) and list_contains(?, x.s) and list_contains(?, x.c) and x.y >= ?"
    assert params == [["Africa"], ["KEN"], ["licensing"], 2010]
    assert NeedFilter().where_columns(state="x.s", category="x.c", year="x.y") == ("true", [])


def test_where_builds_the_needs_clauses_with_the_same_builder():
    f = NeedFilter(subregions=("Western Africa",), categories=("licensing",), year_to=2020)
    shape, shape_params = f.where_columns(state="f.state_iso3", category="f.category", year="f.year",
                                          region="f.region", subregion="f.subregion")
    where, params = f.where("f")
    assert where == "f.status <> ? and " + shape
    assert params == ["rejected", *shape_params]
