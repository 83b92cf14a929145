"""The one filter object: SQL with bound values, a sentence, and a URL round trip."""

from __future__ import annotations

import pytest

from needs_tracker.errors import FilterError
from needs_tracker.filters import NeedFilter, build_filter


@pytest.mark.parametrize(
    ("f", "fragment", "params", "words"),
    [
        (NeedFilter(), "f.status <> 'rejected'", [], "All reported needs"),
        (NeedFilter(states=("KAZ",)), "list_contains(?, f.state_iso3)", [["KAZ"]], "state is Kazakhstan"),
        (NeedFilter(categories=("licensing",)), "list_contains(?, f.category)", [["licensing"]], "gap is Licensing"),
        (NeedFilter(year_from=2012, year_to=2018), "f.year <= ?", [2012, 2018], "year is 2012–2018"),
        (NeedFilter(text="50%'; drop table needs; --"), "contains(lower(f.evidence), lower(?))",
         ["50%'; drop table needs; --"], "evidence contains"),
        (NeedFilter(status="confirmed"), "list_contains(?, f.status)", [["confirmed", "corrected", "manual"]],
         "a person confirmed it"),
        (NeedFilter(organizer="OSCE"), "workshop_organisations", ["OSCE"], "organiser"),
    ],
)
def test_where_and_describe(f, fragment, params, words):
    where, bound = f.where()
    assert fragment in where
    assert bound == params
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
    assert NeedFilter.from_query_params(f.to_query_params()) == f


def test_query_params_tolerate_what_browsers_send():
    f = NeedFilter.from_query_params({"states": "kaz", "year_from": "abc", "year_to": "2018", "status": "bogus"})
    assert f == NeedFilter(states=("KAZ",), year_to=2018)
    swapped = NeedFilter.from_query_params({"year_from": "2020", "year_to": "2010"})
    assert (swapped.year_from, swapped.year_to) == (2010, 2020)


def test_build_filter_resolves_names_and_names_the_valid_values():
    f = build_filter(states=["Kazakhstan", "kgz", "Kyrgyz Republic"], regions=["central asia"])
    assert f.states == ("KAZ", "KGZ") and f.subregions == ("Central Asia",)
    with pytest.raises(FilterError, match="unknown state 'Atlantis'"):
        build_filter(states=["Atlantis"])
    with pytest.raises(FilterError, match="valid: licensing"):
        build_filter(categories=["bogus"])
    with pytest.raises(FilterError, match="unknown region"):
        build_filter(regions=["Middle Earth"])
    with pytest.raises(FilterError, match="empty"):
        NeedFilter(year_from=2020, year_to=2010)
