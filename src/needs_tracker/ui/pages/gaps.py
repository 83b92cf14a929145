"""Gap finder, for donors: (state, gap) pairs ranked by how persistently they are reported,
and whether a later event the state attended took the gap up. A row opens its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker.store import reads
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import YEAR_UNKNOWN, num
from needs_tracker.ui.downloads import csv_download, download_row
from needs_tracker.ui.reads import current_filter, read


def verdict(r) -> str:
    """'reported 3 times 2012–2018, no later event on it'."""
    times = "once" if int(r.workshops) == 1 else f"{int(r.workshops)} times"
    first, last = r.first_year, r.last_year
    if pd.isna(first):
        years = f"({YEAR_UNKNOWN})"
    elif int(first) == int(last):
        years = f"in {int(first)}"
    else:
        years = f"{int(first)}–{int(last)}"
    if bool(r.unaddressed):
        later = "no later event on it"
    else:
        later = ("taken up by a later event" + ("" if pd.isna(r.addressed_year) else f" in {int(r.addressed_year)}"))
    return f"reported {times} {years}, {later}"


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The ranked pairs as shown and exported."""
    return pd.DataFrame({
        "state": df["state_name"],
        "iso3": df["state_iso3"],
        "gap": [links.label(c) for c in df["category"]],
        "summary": [verdict(r) for r in df.itertuples(index=False)],
        "workshops": df["workshops"],
        "first year": df["first_year"],
        "last year": df["last_year"],
        "span (years)": df["span_years"],
        "later event on it": [("" if bool(u) else f"{YEAR_UNKNOWN if pd.isna(y) else int(y)}: {t}")
                              for u, y, t in zip(df["unaddressed"], df["addressed_year"], df["addressed_by"],
                                                 strict=True)],
    })


def render() -> None:
    f = current_filter()
    st.title("Gap finder")
    st.caption("Each state's gaps, the most persistent first: how many workshops reported them, over how many "
               "years, and whether any later event the state attended had the gap among its topics.")
    furniture.filter_banner(f)
    df = read(reads.gap_finder, f)
    if df.empty:
        furniture.empty_state(f, "gaps")
        return
    links.url_control("open", "gaps_open", lambda v: v == "1", False)
    links.url_control("min", "gaps_min", lambda v: max(1, min(int(v), 10_000)), 1)
    c = st.columns([2, 2, 3])
    only_open = c[0].toggle("Only gaps no later event took up", key="gaps_open")
    min_workshops = c[1].number_input("Reported by at least … workshops", min_value=1, max_value=10_000, step=1,
                                      key="gaps_min")
    links.write_control("open", "1" if only_open else None, None)
    links.write_control("min", int(min_workshops), 1)
    if only_open:
        df = df[df["unaddressed"]]
    df = df[df["workshops"] >= min_workshops].reset_index(drop=True)
    if df.empty:
        st.info("No gap is left with these settings.")
        return
    shown = table(df)
    c[2].metric("Gaps listed", num(len(shown)), help="(state, gap) pairs")
    event = st.dataframe(shown, hide_index=True, key="gaps_table", on_select="rerun",
                         selection_mode="single-row", column_config={"iso3": None})
    csv_download("This table (CSV)", shown, "gap_finder.csv", key="gaps_csv")
    download_row(f, key="gaps_download")
    pair = links.selected_pair(df, event)
    if pair is None:
        st.caption("Select a row to read its evidence.")
        return
    iso3, category = pair
    r = df[(df["state_iso3"] == iso3) & (df["category"] == category)].iloc[0]
    st.subheader(f"{r['state_name']} · {links.label(category)}")
    st.markdown(verdict(next(df[(df["state_iso3"] == iso3) & (df["category"] == category)]
                             .itertuples(index=False))))
    links.state_link(iso3, f"{r['state_name']}: full profile", f, gap=category)
    furniture.evidence_for(f.with_(states=(iso3,), categories=(category,)), term=f.text)


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "gaps")
