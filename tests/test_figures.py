"""Figures are pure: DataFrames in, plotly figures out, data readable from the spec."""

from __future__ import annotations

import json

import pandas as pd

from needs_tracker import figures

HEAT = pd.DataFrame({
    "state_iso3": ["KAZ", "KAZ", "UZB"],
    "state_name": ["Kazakhstan", "Kazakhstan", "Uzbekistan"],
    "category": ["border_customs_control", "licensing", "licensing"],
    "workshops": [2, 1, 1],
    "years": ["2012, 2018", "2018", "2018"],
    "latest_workshop": ["W 2018", "W 2018", "W 2018"],
    "latest_year": [2018, 2018, 2018],
})


def test_heatmap_cells_count_workshops_and_carry_ids():
    fig = figures.heatmap(HEAT)
    trace = fig.data[0]
    assert list(trace.y) == ["Kazakhstan", "Uzbekistan"]
    assert list(trace.x) == ["Border and customs control", "Licensing"]
    assert [list(r) for r in trace.z] == [[2, 1], [None, 1]]
    assert list(trace.customdata[0][0][:3]) == ["KAZ", "border_customs_control", "2012, 2018"]
    assert "latest" in trace.hovertemplate
    json.loads(fig.to_json())


def test_a_cell_whose_workshops_have_no_year_says_so_on_hover():
    undated = HEAT.assign(years=[None, float("nan"), "2018"], latest_year=[None, float("nan"), 2018])
    for fig in (figures.heatmap(undated), figures.heatmap(undated, clickable=True)):
        decoded = json.dumps(json.loads(fig.to_json()))
        assert "nan" not in decoded.replace("NaN", "")
        assert decoded.count("year unknown") == 2


def test_note_text_in_hover_labels_is_escaped():
    """plotly.js reads <a>, <b> ... in hover text: a workshop title from a note must stay words."""
    hostile = HEAT.assign(latest_workshop=["<a href='http://x'>W</a> & <b>co</b>"] * 3)
    for fig in (figures.heatmap(hostile), figures.heatmap(hostile, clickable=True)):
        decoded = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
        assert "<a href" not in decoded and "<b>co" not in decoded
        assert "&lt;a href='http://x'&gt;W&lt;/a&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in decoded


def test_world_map_is_an_iso3_choropleth():
    df = pd.DataFrame({"state_iso3": ["KAZ", "UZB"], "state_name": ["Kazakhstan", "Uzbekistan"],
                       "needs": [4, 2], "categories": [3, 2], "workshops": [2, 1]})
    trace = figures.world_map(df).data[0]
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["KAZ", "UZB"] and list(trace.z) == [3, 2]
    assert list(figures.world_map(df, value="needs").data[0].z) == [4, 2]


def test_needs_per_year_stacks_categories_over_every_year():
    df = pd.DataFrame({"year": [2012, 2018, 2018], "category": ["licensing", "licensing", "other"],
                       "needs": [1, 2, 5], "states": [1, 1, 1]})
    fig = figures.needs_per_year(df)
    traces = {t.name: list(t.y) for t in fig.data}
    assert traces == {"Licensing": [1, 2], "Other": [0, 5]}
    assert fig.layout.barmode == "stack"


def test_state_timeline_bar_from_first_to_last_year_with_markers():
    df = pd.DataFrame({"category": ["licensing"], "first_year": [2012], "last_year": [2018],
                       "workshops": [3], "years": ["2012, 2015, 2018"], "last_attended": [2018],
                       "still_reported": [True]})
    fig = figures.state_timeline(df)
    bar, markers = fig.data
    assert bar.x[0] < 2012 and bar.x[1] > 2018
    assert list(markers.x) == [2012, 2015, 2018]


def test_empty_frames_give_a_figure_that_says_so():
    empty = pd.DataFrame()
    for make in (figures.heatmap, figures.world_map, figures.needs_per_year, figures.state_timeline):
        fig = make(empty)
        assert len(fig.data) == 0
        assert fig.layout.annotations[0].text == figures.EMPTY_NOTE


def test_year_unknown_is_a_bar_and_a_timeline_column_never_an_error():
    by_year = pd.DataFrame({"year": pd.array([2012, None], dtype="Int64"), "category": ["licensing", "licensing"],
                            "needs": [1, 3], "states": [1, 1]})
    fig = figures.needs_per_year(by_year)
    assert list(fig.data[0].x) == ["2012", "year unknown"] and list(fig.data[0].y) == [1, 3]
    unknown_only = pd.DataFrame({"category": ["licensing"], "first_year": [None], "last_year": [None],
                                 "workshops": [1], "years": [None], "last_attended": [None],
                                 "still_reported": [None]})
    fig = figures.state_timeline(unknown_only)
    assert list(fig.layout.xaxis.ticktext) == ["year unknown"]  # no made-up "2000" (qa10)
    assert [t.name for t in fig.data if t.showlegend] == ["year unknown"]


def test_every_timeline_has_a_legend_and_the_per_year_legend_sits_beside_the_bars():
    df = pd.DataFrame({"category": ["licensing", "other"], "first_year": [2012, 2012], "last_year": [2018, 2012],
                       "workshops": [3, 1], "years": ["2012, 2018", "2012"], "last_attended": [2018, 2018],
                       "still_reported": [True, False]})
    names = {t.name for t in figures.state_timeline(df).data if t.showlegend}
    assert names == {"still reported", "not reported at the last workshop attended", "reported that year"}
    many = pd.DataFrame({"year": [2012] * 12, "category": [f"c{i}" for i in range(12)], "needs": [1] * 12,
                         "states": [1] * 12})
    layout = figures.needs_per_year(many).layout
    assert layout.legend.orientation == "v" and layout.legend.x > 1 and layout.height >= 140 + 22 * 12


def test_heatmap_rows_follow_the_given_order_and_the_map_fits_few_states():
    fig = figures.heatmap(HEAT, clickable=True, row_order=("UZB", "KAZ"))
    assert list(fig.layout.yaxis.categoryarray) == ["Kazakhstan", "Uzbekistan"]  # bottom to top: UZB on top
    df = pd.DataFrame({"state_iso3": ["KAZ"], "state_name": ["Kazakhstan"], "needs": [4], "categories": [3],
                       "workshops": [2]})
    fig = figures.world_map(df)
    assert fig.layout.geo.fitbounds == "locations" and fig.data[0].colorbar.len < 1
