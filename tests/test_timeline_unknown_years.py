"""The state profile's timeline of a state reported only by notes without a year (a register of
requests, as Côte d'Ivoire on the corpus store) shows one "year unknown" column and no year:
before, its axis read "2000", a year no note gave (qa10)."""

from __future__ import annotations

import pandas as pd

from needs_tracker import figures
from needs_tracker.labels import YEAR_UNKNOWN


def test_a_timeline_without_any_known_year_has_no_year_on_its_axis():
    df = pd.DataFrame({"category": ["other"], "first_year": [None], "last_year": [None], "workshops": [1],
                       "years": [None], "last_attended": [None], "still_reported": [None]})
    axis = figures.state_timeline(df).layout.xaxis
    assert list(axis.ticktext) == [YEAR_UNKNOWN]
    assert len(axis.tickvals) == 1


def test_a_timeline_with_known_years_keeps_them_beside_year_unknown():
    df = pd.DataFrame({"category": ["other", "licensing"], "first_year": [None, 2016], "last_year": [None, 2018],
                       "workshops": [1, 2], "years": [None, "2016, 2018"], "last_attended": [2018, 2018],
                       "still_reported": [None, True]})
    assert list(figures.state_timeline(df).layout.xaxis.ticktext) == ["2016", "2017", "2018", YEAR_UNKNOWN]
