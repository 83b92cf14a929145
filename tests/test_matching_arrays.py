"""The matching aggregate computed with numpy (``store.matching_arrays``, the dashboard's path on
the store's copy) against the same aggregate in SQL (``matching_base.aggregate_rows_sql``): the
same rows, value for value, under every filter of ``test_matching_base`` on real stores, one of
them with the nulls the SQL handles by its joins (a workshop without a year, a request without
a date, an offer without a year, the same offer twice). ``test_matching_base`` compares the
finished table with the direct query on the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, matching_base
from test_matching_base import FILTERS, _event_store


def _with_nulls(path: Path) -> str:
    """The assisted fixture plus rows with NULL years and dates, and a duplicated offer."""
    location = build_store(path)
    add_assistance(location)
    with connect(location) as con:
        con.execute("insert into documents (id, file_name, format, size_bytes, text) values "
                    "('undated', 'undated.txt', 'txt', 10, 'Undated.')")
        wid = con.execute("insert into workshops (document_id, title, kind) values ('undated', 'Undated meeting', "
                          "'workshop') returning id").fetchall()[0][0]
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (?, 'TJK', 'licensing', 'Tajikistan lacks licensing staff.', 0, 10, 'f', 0.9)",
                    [wid])
        con.execute("insert into participation (workshop_id, state_iso3, role) values (?, 'KAZ', 'participant')",
                    [wid])
        con.execute("insert into topics values (?, 'legal_regulatory_framework', 'law', 0, 3)", [wid])
        for _ in range(2):  # the same offer twice: one offer
            con.execute("insert into offers (workshop_id, provider, category, recipients_iso3, recipients_kind, "
                        "evidence, span_start, span_end, rule, confidence) values "
                        "(?, 'Canada', 'licensing', ['TJK', 'KAZ'], 'named', 'Canada offers help.', 0, 5, 'f', 0.9)",
                        [wid])
        con.execute("insert into requests (workshop_id, state_iso3, category, requested_on, evidence, span_start, "
                    "span_end, rule, confidence) values (?, 'TJK', 'border_customs_control', null, 'A request.', "
                    "0, 5, 'f', 0.9)", [wid])
    return location


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("matching-arrays")
    assisted = build_store(folder / "assisted.duckdb")
    add_assistance(assisted)
    return {"assisted": assisted, "events": _event_store(folder / "events.duckdb"),
            "nulls": _with_nulls(folder / "nulls.duckdb")}


def _by_pair(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: (row[0], row[1]))


@pytest.mark.parametrize("name", ["assisted", "events", "nulls"])
def test_numpy_and_sql_give_the_same_aggregate_under_every_filter(stores, name):
    with connect(stores[name]) as con:
        base = matching_base.build(con)
    for f in [*FILTERS, *FILTERS]:  # twice: the second round reads the requests and offers kept per filter
        if f.text:
            f = f.with_text_hits(*matching_base.text_hits(base, f))
        columns, rows = matching_base.aggregate_rows(base, f)
        sql_columns, sql_rows = matching_base.aggregate_rows_sql(base, f)
        assert columns == sql_columns
        assert _by_pair(rows) == _by_pair(sql_rows), repr(f)


def test_the_null_rows_reach_the_aggregate(stores):
    """The nulls store's own rows are in the aggregate as the SQL puts them."""
    with connect(stores["nulls"]) as con:
        base = matching_base.build(con)
    columns, rows = matching_base.aggregate_rows(base, NeedFilter())
    at = {name: i for i, name in enumerate(columns)}
    by_pair = {(row[0], row[1]): row for row in rows}
    licensing = by_pair["TJK", "licensing"]
    assert licensing[at["first_raised"]] is None and licensing[at["need_years"]] == []
    assert licensing[at["offers"]] == [{"provider": "Canada", "year": None, "workshop_id": licensing[
        at["need_workshops"]][0], "given_to": "named"}]
    request = by_pair["TJK", "border_customs_control"]
    assert request[at["request_dates"]] == ["date unknown"]  # an undated request is listed (qa10)


def test_a_result_shares_no_list_with_the_next(stores):
    """The finished table keeps the aggregate's lists as cells: a page changing one must not change
    the next filter's answer."""
    with connect(stores["assisted"]) as con:
        base = matching_base.build(con)
    f = NeedFilter()
    first = matching_base.matching_table(base, f)
    for column in ("need_years", "need_workshops", "request_dates", "offers", "later_events"):
        for cell in first[column]:
            cell.append("changed")
    second = matching_base.matching_table(base, f)
    for column in ("need_years", "need_workshops", "request_dates", "offers", "later_events"):
        assert all("changed" not in cell for cell in second[column]), column


def _random_rows(location: str, seed: int) -> None:
    """Random workshops over a few states and gaps: years and dates missing or not, needs, the states
    present, topics, offers to named states or all participants (duplicates included) and requests."""
    import random
    from datetime import date

    rnd = random.Random(seed)
    states, gaps = ["KAZ", "KGZ", "TJK", "UZB", "ALB"], ["licensing", "border_customs_control", "control_lists"]
    with connect(location) as con:
        for n in range(rnd.randint(2, 7)):
            doc = f"r{seed}_{n}"
            year = rnd.choice([None, 2012, 2015, 2016, 2019, 2022])
            con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', 1, 'x')",
                        [doc, f"{doc}.txt"])
            wid = con.execute("insert into workshops (document_id, title, kind, year, start_date) values "
                              "(?, ?, 'workshop', ?, ?) returning id",
                              [doc, f"Random {doc}", year,
                               date(year, rnd.randint(1, 12), 1) if year and rnd.random() < 0.5 else None]
                              ).fetchall()[0][0]
            present = rnd.sample(states, rnd.randint(0, 3))
            for state in present:
                con.execute("insert into participation (workshop_id, state_iso3, role) values (?, ?, 'participant')",
                            [wid, state])
            for gap in rnd.sample(gaps, rnd.randint(0, 2)):
                con.execute("insert into topics values (?, ?, 'topic', 0, 3)", [wid, gap])
            for _ in range(rnd.randint(0, 3)):
                state, gap = rnd.choice(states), rnd.choice(gaps)
                con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, "
                            "rule, confidence) values (?, ?, ?, ?, 0, 5, 'r', 0.9)",
                            [wid, state, gap, f"{state} lacks {gap} {rnd.choice(['border', 'licence', 'staff'])}."])
            for _ in range(rnd.randint(0, 2)):
                to_all = rnd.random() < 0.4
                recipients = present if to_all else rnd.sample(states, rnd.randint(1, 2))
                for _copy in range(rnd.choice([1, 1, 2])):  # the same offer twice now and then
                    con.execute("insert into offers (workshop_id, provider, category, recipients_iso3, "
                                "recipients_kind, evidence, span_start, span_end, rule, confidence) values "
                                "(?, ?, ?, ?, ?, 'An offer.', 0, 5, 'r', 0.9)",
                                [wid, rnd.choice(["Japan", "OSCE", None]) or "Canada", rnd.choice(gaps), recipients,
                                 "all_participants" if to_all else "named"])
            if rnd.random() < 0.5:
                con.execute("insert into requests (workshop_id, state_iso3, category, requested_on, evidence, "
                            "span_start, span_end, rule, confidence) values (?, ?, ?, ?, 'A request.', 0, 5, 'r', 0.9)",
                            [wid, rnd.choice(states), rnd.choice(gaps),
                             date(2016, rnd.randint(1, 12), 1) if rnd.random() < 0.6 else None])


@pytest.mark.parametrize("seed", range(12))
def test_numpy_and_sql_agree_on_random_stores(tmp_path, seed):
    location = build_store(tmp_path / "random.duckdb")
    _random_rows(location, seed)
    with connect(location) as con:
        base = matching_base.build(con)
    for f in (NeedFilter(), NeedFilter(text="border"), NeedFilter(year_from=2015),
              NeedFilter(states=("KAZ", "TJK")), NeedFilter(categories=("licensing",), year_to=2016)):
        if f.text:
            f = f.with_text_hits(*matching_base.text_hits(base, f))
        columns, rows = matching_base.aggregate_rows(base, f)
        sql_columns, sql_rows = matching_base.aggregate_rows_sql(base, f)
        assert columns == sql_columns
        assert _by_pair(rows) == _by_pair(sql_rows), (seed, repr(f))
