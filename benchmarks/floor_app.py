"""The floor for the overview page: a bare Streamlit script that renders the same elements
(metrics, the same plotly figures from ``needs_tracker.figures``, the same tables) from data
computed once beforehand, with no queries, no caching layer and no filter logic. Its time in
the browser is what drawing alone costs.

Reads the frames bench_browser.prepare_floor_data (or bench_ui) pickled to $BENCH_FLOOR_DATA.
"""

import os
import pickle
from pathlib import Path

import streamlit as st

from needs_tracker import figures

st.set_page_config(layout="wide")
frames = pickle.loads(Path(os.environ["BENCH_FLOOR_DATA"]).read_bytes())
# bench_browser precomputes the frames of every words filter it types, so a change redraws new data
# the same kind of filter widgets as the dashboard's sidebar, so a change costs the same round trip
regions = st.sidebar.multiselect("Region", ["Africa", "Americas", "Asia", "Europe", "Oceania"], key="region")
words = st.sidebar.text_input("Words in the evidence", key="words")
frames = (frames.get("by_words", {}).get(words.strip())
          or (frames.get("by_region", {}).get(regions[-1]) if regions else None) or frames)
elements = set(os.environ.get("BENCH_FLOOR_ELEMENTS", "metrics,heatmap,map,years,table").split(","))
st.title("Overview")
config = {"topojsonURL": "/app/static/", "displaylogo": False}

if "metrics" in elements:
    counts = frames["counts"]
    counts = counts if isinstance(counts, dict) else dict(zip(("workshops", "states", "needs", "confirmed"),
                                                              counts.iloc[0].tolist(), strict=False))
    for col, (label, value) in zip(st.columns(len(counts)), counts.items(), strict=True):
        col.metric(label, f"{int(value):,}")

if "table" in elements and "summary" in frames:
    st.dataframe(frames["summary"], hide_index=True)

if "heatmap" in elements and "state_iso3" in frames["heatmap"].columns:
    st.plotly_chart(figures.heatmap(frames["heatmap"], title="", clickable=True), key="heat", config=config,
                    on_select="rerun", selection_mode="points")

if "table" in elements and "state_links" in frames:
    st.dataframe(frames["state_links"], hide_index=True, height=320)

if "map" in elements and "state_iso3" in frames["by_state"].columns:
    st.plotly_chart(figures.world_map(frames["by_state"], value="needs"), key="map", config=config,
                    on_select="rerun", selection_mode="points")

if "years" in elements and "year" in frames["by_year"].columns:
    st.plotly_chart(figures.needs_per_year(frames["by_year"]), key="years", config=config,
                    on_select="rerun", selection_mode="points")

if "table" in elements and "needs" in frames and "state_links" not in frames:  # bench_ui's floor
    st.dataframe(frames["needs"], hide_index=True)
