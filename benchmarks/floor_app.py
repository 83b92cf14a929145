"""The floor for the overview page: a bare Streamlit script that renders the same elements
(metrics, the same plotly figures from ``needs_tracker.figures``, the same tables) from data
computed once beforehand, with no queries, no caching layer and no filter logic. Its time in
the browser is what drawing alone costs.

Reads the frames bench_browser.prepare_floor_data (or bench_ui) pickled to $BENCH_FLOOR_DATA.
With $BENCH_FLOOR_PAGE set to a table page (matching, gaps), it draws that page's table and a
selected row's evidence instead (frames from table_pages.prepare_floor_data). With
$BENCH_FLOOR_SIDEBAR set it also draws the dashboard's other sidebar filters (not the default:
it tells what the dashboard's sidebar itself costs a rerun in the browser).
"""

import os
import pickle
from pathlib import Path

import streamlit as st

from needs_tracker import figures

st.set_page_config(layout="wide")
frames = pickle.loads(Path(os.environ["BENCH_FLOOR_DATA"]).read_bytes())


def dashboard_sidebar(options: dict) -> None:
    """With $BENCH_FLOOR_SIDEBAR set: the dashboard's other sidebar filters, drawn (same labels and
    option lists) but read by nothing, to measure what drawing them costs. Not the default floor."""
    from needs_tracker.taxonomy import category_ids, category_labels

    names = {s["iso3"]: s["name"] for s in options["states"]}
    labels = category_labels()
    years = ["any"] + list(range(int(options["year_min"]), int(options["year_max"]) + 1))
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Region", options["regions"], key="f_regions")
        st.multiselect("Sub-region", options["subregions"], key="f_subregions")
        st.multiselect("States", list(names), key="f_states", format_func=names.get)
        st.multiselect("Gap categories", category_ids(), key="f_categories", format_func=labels.get)
        c1, c2 = st.columns(2)
        c1.selectbox("From year", years, key="f_from", format_func=str)
        c2.selectbox("To year", years, key="f_to", format_func=str)
        st.selectbox("Organiser", ["(any)"] + options["organizers"], key="f_org", accept_new_options=True)
        st.radio("Status", ("all", "confirmed"), key="f_status", horizontal=True)


def clear_button() -> None:
    if os.environ.get("BENCH_FLOOR_SIDEBAR"):
        st.sidebar.button("Clear filters", key="f_clear", width="stretch")


if os.environ.get("BENCH_FLOOR_SIDEBAR"):
    dashboard_sidebar(frames["filter_options"])


def table_page(frames: dict) -> None:
    """A table page: title, the table (single-row selection), two downloads, the row's evidence."""
    words = st.sidebar.text_input("Words in the evidence", key="words")
    clear_button()
    table = frames["by_words"].get(words.strip(), frames["table"])
    st.title(frames["page"].title())
    st.metric("Pairs listed", f"{len(table):,}")
    event = st.dataframe(table, hide_index=True, key="table", on_select="rerun", selection_mode="single-row")
    cols = st.columns(2)
    cols[0].download_button("CSV", data=lambda: b"", file_name="t.csv", on_click="ignore", key="csv")
    cols[1].download_button("Excel", data=lambda: b"", file_name="t.xlsx", on_click="ignore", key="xlsx")
    rows = event.selection.rows
    if not rows:
        st.caption("Select a row to read its evidence.")
        return
    shown = frames["evidence"][rows[0] % len(frames["evidence"])]
    st.subheader(shown["heading"])
    st.markdown(shown["quotes"], unsafe_allow_html=True)
    for name in ("requests", "offers", "events"):
        if shown.get(name) is not None:
            st.dataframe(shown[name], hide_index=True, key=name)


if os.environ.get("BENCH_FLOOR_PAGE"):
    table_page(frames)
    st.stop()
# bench_browser precomputes the frames of every words filter it types, so a change redraws new data
# the same kind of filter widgets as the dashboard's sidebar, so a change costs the same round trip
regions = st.sidebar.multiselect("Region", ["Africa", "Americas", "Asia", "Europe", "Oceania"], key="region")
words = st.sidebar.text_input("Words in the evidence", key="words")
clear_button()
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
