"""A heatmap whose cells are all one workshop gets a colour range from 0 with whole-number ticks,
on the dashboard's figure and the brief's (plotly scaled such a matrix to 0.6 – 1.4)."""

from __future__ import annotations

import pandas as pd

from needs_tracker import figures
from needs_tracker.export.brief import gather_brief
from needs_tracker.export.charts import heatmap_figure
from needs_tracker.filters import NeedFilter

HEAT_OF_ONES = pd.DataFrame({
    "state_iso3": ["KAZ", "UZB"], "state_name": ["Kazakhstan", "Uzbekistan"],
    "category": ["licensing", "licensing"], "workshops": [1, 1], "years": ["2018", "2018"],
    "latest_workshop": ["W 2018", "W 2018"], "latest_year": [2018, 2018]})


def test_a_heatmap_of_ones_has_a_colour_range_from_zero(built_store):
    trace = heatmap_figure(gather_brief(NeedFilter())).data[0]
    cells = {v for row in trace.z for v in row if v is not None}
    assert cells == {1}  # the fixture: every state reported each of its gaps at one workshop
    assert (trace.zmin, trace.zmax) == (0, 2)
    assert (trace.colorbar.tick0, trace.colorbar.dtick) == (0, 1)  # whole workshops on the colour bar
    ones = figures.heatmap(HEAT_OF_ONES).data[0]
    assert (ones.zmin, ones.zmax, ones.colorbar.dtick) == (0, 2, 1)
    many = figures.heatmap(HEAT_OF_ONES.assign(workshops=[1, 12])).data[0]
    assert (many.zmin, many.zmax, many.colorbar.dtick) == (0, 12, 3)
