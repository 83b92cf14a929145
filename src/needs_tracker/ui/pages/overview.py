"""Overview: the counts, the gaps heatmap, the states, the world map and needs per year.

Every number opens its evidence: a heatmap cell or a state on the map opens the state's
profile at that gap through the profile's own parameters (the shared filter is not touched),
a bar lists its sentences below the chart, and the counts expand into the needs behind them.
At 196 states the heatmap shows the states with the most needs (a control says how many) or
the sub-regions, each of which drills down to its states.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker import figures
from needs_tracker.labels import YEAR_UNKNOWN, year_text
from needs_tracker.store import reads
from needs_tracker.ui import furniture, links, registry
from needs_tracker.ui.common import md_escape, num, quoted
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.overview_reads import overview_reads
from needs_tracker.ui.reads import current_filter, figure, read

PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
TOP_CHOICES = (10, 25, 50, 100, 200)
NAMES_LISTED = 12  # a year's states are named up to this many; beyond, a count keeps the row readable
ROWS = {"states": "States with the most needs", "subregions": "Sub-regions (click one to see its states)"}


def _clicked(key: str) -> tuple[dict, list] | None:
    """The first point selected in chart ``key`` and its customdata (a list, maybe empty), or None."""
    event = st.session_state.get(key)
    try:
        points = list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        return None
    if not points or not isinstance(points[0], dict):
        return None
    custom = points[0].get("customdata")
    return points[0], (list(custom) if isinstance(custom, list | tuple) else [])


def _open_state(iso3: str | None, category: str | None = None) -> None:
    """Open the state's profile (at ``category``'s section) keeping the filter as it is."""
    page = registry.get_page("state")
    if not iso3 or page is None or not links.known_state(str(iso3)):
        return
    st.switch_page(page, query_params=links.page_params(current_filter(), state=iso3, gap=category))


def _heatmap_controls() -> tuple[str, int, str | None]:
    ss = st.session_state
    links.url_control("ov_rows", "ov_rows", lambda v: v if v in ROWS else "states", "states")
    links.url_control("ov_top", "ov_top", lambda v: int(v) if int(v) in TOP_CHOICES else 25, 25)
    links.url_control("ov_group", "ov_group", str, None)
    c = st.container(horizontal=True, vertical_alignment="center")  # one block, no empty columns
    rows = c.radio("Rows", tuple(ROWS), key="ov_rows", format_func=ROWS.get, horizontal=True,
                      label_visibility="collapsed")
    top = 25
    if rows == "states":
        top = c.selectbox("How many states", TOP_CHOICES, key="ov_top",
                             format_func=lambda n: f"top {n} states")
    group = ss.get("ov_group")
    if group and rows == "states":
        c.button(f"Sub-region: {md_escape(group)}", key="ov_group_clear", icon=":material/close:",
                    on_click=lambda: ss.update(ov_group=None), help="Show every sub-region's states again")
    links.write_control("ov_rows", rows, "states")
    links.write_control("ov_top", top, 25)
    links.write_control("ov_group", group if rows == "states" else None, None)
    return rows, int(top), group if rows == "states" else None


def _heatmap(f, heat: pd.DataFrame, by_state: pd.DataFrame) -> None:
    st.subheader("Gaps by state")
    rows, top, group = _heatmap_controls()
    if rows == "subregions":
        grouped = read(reads.heatmap_by_group, f, "subregion")
        cells = pd.DataFrame({"state_iso3": grouped["grp"], "state_name": grouped["grp"],
                              "category": grouped["category"], "workshops": grouped["states"],
                              "years": "", "latest_workshop": "", "latest_year": None})
        st.caption("A cell counts the states of the sub-region that reported the gap. Click a cell to see "
                   "that sub-region's states.")
        fig = figure(figures.heatmap, cells, f, "subregions", title="", clickable=True, unit="states")
        st.plotly_chart(fig, key="ov_heat_groups", on_select="rerun", selection_mode="points",
                        config=PLOTLY_CONFIG)
        clicked = _clicked("ov_heat_groups")
        if clicked and clicked[1]:
            # the next run sets the controls from the URL (a widget cannot change once drawn)
            if "ov_rows" in st.query_params:
                del st.query_params["ov_rows"]
            st.query_params["ov_group"] = str(clicked[1][0])
            st.rerun()
        return
    ranked = by_state
    if group and group not in set(by_state["subregion"]):
        st.warning(f"No state of the sub-region {quoted(group)} reported needs under these filters: "
                   "showing every state.")
        group = None
    if group:
        ranked = ranked[ranked["subregion"] == group]
    order = list(ranked["state_iso3"].head(top))
    shown = heat[heat["state_iso3"].isin(order)]
    total = len(ranked)
    st.caption(f"The {num(len(order))} of {num(total)} states with the most needs"
               + (f" in {md_escape(group)}" if group else "")
               + ", most first. A cell counts the workshops that reported the gap; click it to open the "
               "state's evidence for that gap.")
    fig = figure(figures.heatmap, shown, f, "states", top, group, title="", clickable=True, row_order=tuple(order))
    st.plotly_chart(fig, key="ov_heatmap", on_select="rerun", selection_mode="points", config=PLOTLY_CONFIG)
    clicked = _clicked("ov_heatmap")
    if clicked and len(clicked[1]) >= 2:
        _open_state(str(clicked[1][0]), str(clicked[1][1]))


def _year_click(f, by_year: pd.DataFrame) -> None:
    """A clicked bar lists the sentences behind it (a "year unknown" bar too)."""
    clicked = _clicked("ov_years")
    if clicked is None:
        return
    _, custom = clicked
    if len(custom) < 2 or str(custom[0]) not in set(by_year["category"]):
        return
    category, year_label = str(custom[0]), str(custom[1])
    if year_label == YEAR_UNKNOWN:
        needs = read(reads.needs, f.with_(categories=(category,)))
        needs = needs[needs["year"].isna()]
        st.markdown(f"**{links.label(category)}, {YEAR_UNKNOWN}: {num(len(needs))} need(s)**")
        furniture.evidence_list(needs, term=f.text)
        return
    if not year_label.isascii() or not year_label.isdigit():
        return
    year = int(year_label)
    narrowed = f.with_(categories=(category,), year_from=year, year_to=year)
    st.markdown(f"**{links.label(category)} in {year}: {num(read(reads.counts, narrowed)['needs'])} need(s)**")
    furniture.evidence_for(narrowed, term=f.text)


def _by_year_table(summary: pd.DataFrame) -> None:
    """What was reported when: per year, the states and the gaps, in words."""
    rows = [{"year": year_text(r.year), "workshops": int(r.workshops),
             "states": (f"{int(r.states)}: {r.state_names}" if int(r.states) <= NAMES_LISTED
                        else f"{num(r.states)} states (choose a region or sub-region to list them)"),
             "gaps": "; ".join(sorted(links.label(c) for c in r.categories))}
            for r in summary.itertuples(index=False)]
    if rows:
        st.dataframe(rows, hide_index=True, key="ov_by_year_table", column_config={
            "states": st.column_config.TextColumn(width="large"), "gaps": st.column_config.TextColumn(width="large")})


def render() -> None:
    f = current_filter()
    st.title("Overview")
    furniture.filter_banner(f)
    counts, heat, by_state, by_year, summary = overview_reads(f)  # from the store's copy with numpy once built
    if not counts["needs"]:
        furniture.empty_state(f)
        return
    furniture.metrics(counts, {"workshops": "Workshops", "states": "States", "needs": "Needs",
                               "confirmed": "Confirmed needs"})
    # a toggle, not an expander: a closed expander's table is still read and sent to the browser
    links.url_control("needs", "ov_show_needs", lambda v: v == "1", False)
    shown = st.toggle(f"Show the {num(counts['needs'])} needs behind these numbers, with their evidence",
                      key="ov_show_needs")
    links.write_control("needs", "1" if shown else None, None)
    if shown:
        needs = read(reads.needs, f, furniture.ROWS_SHOWN)
        furniture.evidence_table(needs, key="ov_needs", total=counts["needs"])

    st.subheader("What was reported when")
    _by_year_table(summary)
    _heatmap(f, heat, by_state)

    st.subheader("States")
    st.caption("Every state with reported needs, by name; open one for its profile.")
    links.state_links(zip(by_state["state_iso3"], by_state["state_name"], by_state["needs"], strict=True), f,
                      key="ov_states")

    st.subheader("Where")
    st.plotly_chart(figure(figures.world_map, by_state, f, value="needs", title="Needs reported, by state"),
                    key="ov_map", on_select="rerun",
                    selection_mode="points", config=PLOTLY_CONFIG)
    clicked = _clicked("ov_map")
    if clicked is not None:
        _open_state(clicked[0].get("location") or (clicked[1][0] if clicked[1] else None))

    st.subheader("When")
    st.plotly_chart(figure(figures.needs_per_year, by_year, f), key="ov_years", on_select="rerun",
                    selection_mode="points", config=PLOTLY_CONFIG)
    _year_click(f, by_year)
    download_row(f, key="ov_download")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "overview")
