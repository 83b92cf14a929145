"""Charts a person misread (qa10). The state profile's timeline of a state reported only by notes
without a year (a register of requests, as Côte d'Ivoire on the corpus store) shows one "year
unknown" column and no year: its axis read "2000", a year no note gave. The overview's heatmap
ticked its colour bar in halves of a workshop."""

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


def test_the_dashboard_s_clickable_heatmap_counts_whole_workshops_on_its_colour_bar():
    """The overview's heatmap (cells drawn as markers to be clickable) ticked its colour bar 0, 0.5,
    1, 1.5, 2 beside cells of whole workshops, unlike the plain heatmap (qa10)."""
    df = pd.DataFrame({"state_iso3": ["KAZ", "TJK"], "state_name": ["Kazakhstan", "Tajikistan"],
                       "category": ["licensing", "licensing"], "workshops": [1, 1], "years": ["2012", "2018"],
                       "latest_workshop": ["A", "B"], "latest_year": [2012, 2018]})
    marker = figures.heatmap(df, clickable=True).data[0].marker
    assert (marker.cmin, marker.cmax, marker.colorbar.tick0, marker.colorbar.dtick) == (0, 2, 0, 1)
    df["workshops"] = [1, 12]
    marker = figures.heatmap(df, clickable=True).data[0].marker
    assert (marker.cmax, marker.colorbar.dtick) == (12, 3)
