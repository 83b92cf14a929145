"""The floor for a dashboard page: a bare Streamlit script that renders the same element
types (metrics, plotly charts, a dataframe) from precomputed data, with no queries, no
caching layer and no filter logic. Its time is what rendering alone costs.

Reads the frames that bench_ui.prepare_floor_data pickled to $BENCH_FLOOR_DATA.
"""

import os
import pickle
from pathlib import Path

import plotly.express as px
import streamlit as st

frames = pickle.loads(Path(os.environ["BENCH_FLOOR_DATA"]).read_bytes())
elements = set(os.environ.get("BENCH_FLOOR_ELEMENTS", "metrics,heatmap,map,years,table").split(","))
region = st.sidebar.multiselect("Region", ["Africa", "Asia", "Europe", "Americas", "Oceania"], key="region")

if "metrics" in elements:
    counts = frames["counts"].iloc[0].tolist()
    for col, label, value in zip(st.columns(3), ("Workshops", "States", "Needs"), counts, strict=False):
        col.metric(label, f"{value:,}")

if "heatmap" in elements:  # columns: iso3, state, category, workshops, ...
    heat = frames["heatmap"]
    c = list(heat.columns)
    st.plotly_chart(px.density_heatmap(heat, x=c[2], y=c[1], z=c[3]), key="heat")

if "map" in elements:  # columns: iso3, state, region, needs, ...
    by_state = frames["by_state"]
    c = list(by_state.columns)
    st.plotly_chart(px.choropleth(by_state, locations=c[0], color=c[3]), key="map")

if "years" in elements:  # columns: year, category, needs, ...
    by_year = frames["by_year"]
    c = list(by_year.columns)
    st.plotly_chart(px.bar(by_year, x=c[0], y=c[2], color=c[1]), key="years")

if "table" in elements:
    st.dataframe(frames["needs"], hide_index=True)
