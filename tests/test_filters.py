"""The one filter object: SQL with bound values, a sentence, and a URL round trip."""

from __future__ import annotations

import pytest

from needs_tracker.errors import FilterError
from needs_tracker.filters import NeedFilter


@pytest.mark.parametrize(
    ("f", "fragment", "params", "words"),
    [
        (NeedFilter(), "f.status <> ?", [], "All reported needs"),
        (NeedFilter(states=("KAZ",)), "list_contains(?, f.state_iso3)", [["KAZ"]], "state is Kazakhstan"),
        (NeedFilter(categories=("licensing",)), "list_contains(?, f.category)", [["licensing"]], "gap is Licensing"),
        (NeedFilter(year_from=2012, year_to=2018), "f.year <= ?", [2012, 2018], "year is 2012–2018"),
        (NeedFilter(text="50%'; drop table needs; --"), "regexp_matches(f.evidence, ?)",
         ["50", r"(?i)\b50\w*", "drop", r"(?i)\bdrop\w*", "tabl", r"(?i)\btabl\w*", "need", r"(?i)\bneed\w*"],
         "evidence has the words"),
        (NeedFilter(status="confirmed"), "list_contains(?, f.status)", [["confirmed", "corrected", "manual"]],
         "a person confirmed it"),
        (NeedFilter(organizer="OSCE"), "workshop_organisations", ["organizer", "OSCE"], "organiser"),
    ],
)
def test_where_and_describe(f, fragment, params, words):
    where, bound = f.where()
    assert fragment in where
    assert where.startswith("f.status <> ?") and bound == ["rejected", *params]  # rejected needs never show
    assert words in f.describe()
    assert "drop table" not in where  # values never enter the SQL text


@pytest.mark.parametrize(
    "f",
    [
        NeedFilter(),
        NeedFilter(states=("KAZ", "KGZ"), categories=("licensing",), year_from=2012, year_to=2018),
        NeedFilter(regions=("Asia",), subregions=("Central Asia",), organizer="OSCE", status="confirmed",
                   text="customs"),
    ],
)
def test_query_params_round_trip(f):
    assert NeedFilter.parse(f.to_query_params()) == (f, [])


@pytest.mark.parametrize(
    ("raw", "expected", "problem"),
    [
        ({"states": "kaz", "year_to": "2018"}, NeedFilter(states=("KAZ",), year_to=2018), None),
        ({"states": ["Kazakhstan", "kgz", "Kyrgyz Republic"], "regions": "central asia"},
         NeedFilter(states=("KAZ", "KGZ"), subregions=("Central Asia",)), None),
        ({"year_from": "abc"}, NeedFilter(), "year_from “abc” is not a year"),
        ({"year_from": "²"}, NeedFilter(), "year_from “²” is not a year"),
        ({"year_from": "--5"}, NeedFilter(), "year_from “--5” is not a year"),
        ({"year_from": "٢٠١٢"}, NeedFilter(), "is not a year"),
        ({"workshops": ["²", "3"]}, NeedFilter(workshops=(3,)), "workshop “²” is not a workshop number"),
        ({"status": "bogus"}, NeedFilter(), "status “bogus” is not one of all, confirmed"),
        ({"states": ["XXX", "TJK"]}, NeedFilter(states=("TJK",)), "unknown state “XXX”"),
        ({"categories": ["bogus"]}, NeedFilter(), "valid: licensing"),
        ({"regions": ["Middle Earth"]}, NeedFilter(), "unknown region “Middle Earth”"),
        ({"year_from": "2020", "year_to": "2010"}, NeedFilter(year_from=2010, year_to=2020), "swapped"),
        ({"text": "   ", "organizer": ""}, NeedFilter(), None),
    ],
)
def test_parse_keeps_what_it_can_and_names_the_rest(raw, expected, problem):
    f, problems = NeedFilter.parse(raw)
    assert f == expected
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_strict_parse_refuses_any_problem_with_one_message():
    with pytest.raises(FilterError, match="unknown state “Atlantis”"):
        NeedFilter.parse({"states": ["Atlantis"]}, strict=True)
    with pytest.raises(FilterError, match="since “-5” is not a year"):
        NeedFilter.parse({"year_from": -5}, strict=True)
    with pytest.raises(FilterError, match="empty"):
        NeedFilter.parse({"year_from": 2020, "year_to": 2010}, strict=True)
    with pytest.raises(FilterError, match="empty"):
        NeedFilter(year_from=2020, year_to=2010)


@pytest.mark.parametrize(("query", "sentence", "found"), [
    ("licens", "Uzbekistan requested assistance with licensing procedures.", True),
    ("licens", "a licence is needed", True),
    ("controls", "no control list", True),
    ("border control", "gaps in border and export/import controls", True),
    ("control border", "gaps in border and export/import controls", True),
    ('"border control"', "gaps in border and export/import controls", False),
    ('"border and export"', "gaps in Border  and export controls", True),
    ("customs", "the accustomed way", False),
    ("law enforcement", "law-enforcement agencies", True),
])
def test_search_words_match_by_stem_in_any_order(query, sentence, found):
    from needs_tracker import search

    assert search.matches(sentence, query) is found
    import duckdb

    clauses, params = search.sql_condition("s", query)
    got = duckdb.execute(f"select {' and '.join(clauses)} from (select ? as s)", [*params, sentence]).fetchall()
    assert got[0][0] is found  # DuckDB (RE2) and Python agree
