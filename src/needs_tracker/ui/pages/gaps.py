"""Gap finder, for donors: (state, gap) pairs ranked by how persistently they are reported,
and whether a later event the state attended took the gap up. A row opens its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker.ui import common


def verdict(r) -> str:
    """'reported 3 times 2012–2018, no later event on it'."""
    times = "once" if int(r.workshops) == 1 else f"{int(r.workshops)} times"
    first, last = r.first_year, r.last_year
    if pd.isna(first):
        years = "(year unknown)"
    elif int(first) == int(last):
        years = f"in {int(first)}"
    else:
        years = f"{int(first)}–{int(last)}"
    if bool(r.unaddressed):
        later = "no later event on it"
    else:
        later = f"taken up by a later event in {int(r.addressed_year)}"
    return f"reported {times} {years}, {later}"


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The ranked pairs as shown and exported."""
    return pd.DataFrame({
        "state": df["state_name"],
        "iso3": df["state_iso3"],
        "gap": [common.label(c) for c in df["category"]],
        "summary": [verdict(r) for r in df.itertuples(index=False)],
        "workshops": df["workshops"],
        "first year": df["first_year"],
        "last year": df["last_year"],
        "span (years)": df["span_years"],
        "later event on it": [("" if bool(u) else f"{int(y)}: {t}")
                              for u, y, t in zip(df["unaddressed"], df["addressed_year"], df["addressed_by"],
                                                 strict=True)],
    })


def render() -> None:
    f = common.current_filter()
    st.title("Gap finder")
    st.caption("Each state's gaps, the most persistent first: how many workshops reported them, over how many "
               "years, and whether any later event the state attended had the gap among its topics.")
    common.filter_banner(f)
    df = common.q("gap_finder", f)
    if df.empty:
        common.empty_state(f, "gaps")
        return
    c = st.columns([2, 2, 3])
    only_open = c[0].toggle("Only gaps no later event took up", key="gaps_open")
    min_workshops = c[1].number_input("Reported by at least … workshops", min_value=1, value=1, step=1,
                                      key="gaps_min")
    if only_open:
        df = df[df["unaddressed"]]
    df = df[df["workshops"] >= min_workshops].reset_index(drop=True)
    if df.empty:
        st.info("No gap is left with these settings.")
        return
    shown = table(df)
    c[2].metric("Gaps listed", len(shown), help="(state, gap) pairs")
    event = st.dataframe(shown, hide_index=True, key="gaps_table", on_select="rerun",
                         selection_mode="single-row", column_config={"iso3": None})
    common.csv_download("⬇️ This table (CSV)", shown, "gap_finder.csv", key="gaps_csv")
    common.download_control(f, key="gaps_download")
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if not rows:
        st.caption("Select a row to read its evidence.")
        return
    r = df.iloc[rows[0]]
    iso3, category = str(r["state_iso3"]), str(r["category"])
    st.subheader(f"{r['state_name']} · {common.label(category)}")
    st.markdown(verdict(next(df.iloc[[rows[0]]].itertuples(index=False))))
    common.state_link(iso3, f"{r['state_name']}: full profile", f.with_(categories=(category,)))
    common.evidence_for(f.with_(states=(iso3,), categories=(category,)), term=f.text)


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "gaps")
