"""The Matching, Gap finder and State profile tables show an unknown "years open" / "first raised"
in the briefs' words ("year unknown", labels.YEAR_UNKNOWN), not Streamlit's grey "None" (qa10).
The cells stay numbers (sorting by years open still sorts numbers); the table's placeholder for a
missing value is the words. Store: the dashboard fixture (Côte d'Ivoire's licensing need was
reported at a workshop without a year) plus offers/requests written by ``merge_assistance``."""

from __future__ import annotations

import pandas as pd
import pytest

from apptest_helpers import app
from matching_fixture import add_assistance
from needs_tracker.labels import YEAR_UNKNOWN

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


@pytest.fixture
def location(dashboard_store) -> str:
    add_assistance(str(dashboard_store))
    return str(dashboard_store)


def _table(at, column: str):
    return next(d for d in at.dataframe if column in d.value.columns)


def _unknown_row(frame: pd.DataFrame, iso3: str, years: str, first: str) -> pd.Series:
    row = frame[frame[iso3[0]] == iso3[1]].iloc[0]
    assert pd.isna(row[years]) and pd.isna(row[first])  # the fixture's year-less need
    return row


def test_matching_says_year_unknown_where_no_year_is_known(location):
    table = _table(app("matching"), "Years open")
    _unknown_row(table.value, ("ISO3", "CIV"), "Years open", "First raised")
    assert table.proto.placeholder == YEAR_UNKNOWN
    assert str(table.value["Years open"].dtype) == "Int64"  # still numbers: the column sorts as numbers


def test_the_gap_finder_says_year_unknown_where_no_year_is_known(location):
    table = _table(app("gaps"), "years open")
    _unknown_row(table.value, ("iso3", "CIV"), "years open", "first raised")
    assert table.proto.placeholder == YEAR_UNKNOWN


def test_the_state_profile_s_gap_table_says_year_unknown(location):
    at = app("state", state="CIV", assist="1")  # the requests-and-offers section open
    table = _table(at, "Years open")
    assert table.value["Years open"].isna().all()
    assert table.proto.placeholder == YEAR_UNKNOWN
