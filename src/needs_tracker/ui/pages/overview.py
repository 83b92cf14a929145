"""Overview: the counts, the states × gaps heatmap, the world map and needs per year.

Every number opens its evidence: a heatmap cell or a state on the map opens the state's
profile (the cell's gap as filter), a bar lists its sentences below the chart, and the
counts expand into the table of needs behind them.
"""

from __future__ import annotations

import streamlit as st

from needs_tracker.ui import common


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


def _open_state(f, iso3: str | None, category: str | None = None) -> None:
    page = common.get_page("state")
    if not iso3 or page is None:
        return
    target = f.with_(categories=(category,)) if category else f
    st.switch_page(page, query_params=common.page_params(target, state=iso3))


def _heatmap_click(f, df) -> None:
    """A clicked cell opens that state's profile filtered to that category."""
    clicked = _clicked("ov_heatmap")
    if clicked is None:
        return
    p, custom = clicked
    if len(custom) >= 2 and custom[0]:
        iso3, category = str(custom[0]), str(custom[1])
    else:
        names = dict(zip(df["state_name"], df["state_iso3"], strict=False))
        labels = {common.label(c): c for c in df["category"].unique()}
        iso3, category = names.get(p.get("y")), labels.get(p.get("x"))
    if category:
        _open_state(f, iso3, category)


def _map_click(f) -> None:
    clicked = _clicked("ov_map")
    if clicked is not None:
        p, custom = clicked
        _open_state(f, p.get("location") or (custom[0] if custom else None))


def _year_click(f, by_year) -> None:
    """A clicked bar lists the sentences behind it."""
    clicked = _clicked("ov_years")
    if clicked is None:
        return
    p, custom = clicked
    if len(custom) >= 2 and str(custom[1]).isdigit():
        category, year = str(custom[0]), int(custom[1])
    else:
        labels = {common.label(c): c for c in by_year["category"].unique()}
        names = [common.label(c) for c in sorted(by_year["category"].unique(), key=common.label)]
        curve = p.get("curve_number")
        category = labels.get(names[curve]) if isinstance(curve, int) and 0 <= curve < len(names) else None
        year = int(p["x"]) if str(p.get("x", "")).isdigit() else None
    if not category or year is None:
        return
    narrowed = f.with_(categories=(category,), year_from=year, year_to=year)
    st.markdown(f"**{common.label(category)} in {year}: {common.q('counts', narrowed)['needs']} need(s)**")
    common.evidence_for(narrowed, term=f.text)


def _by_year_table(summary) -> None:
    """What was reported when: per year, the states and the gaps, in words."""
    rows = [{"year": int(r.year), "workshops": int(r.workshops), "states": f"{int(r.states)}: {r.state_names}",
             "gaps": "; ".join(sorted(common.label(c) for c in r.categories))}
            for r in summary.itertuples(index=False)]
    if rows:
        st.dataframe(rows, hide_index=True, key="ov_by_year_table")


def render() -> None:
    f = common.current_filter()
    st.title("Overview")
    common.filter_banner(f)
    counts, heat, by_state, by_year, summary = common.q_many(f, "counts", "heatmap", "by_state", "by_year",
                                                             "by_year_summary")
    if not counts["needs"]:
        common.empty_state(f)
        return
    c = st.columns(4)
    c[0].metric("Workshops", counts["workshops"])
    c[1].metric("States", counts["states"])
    c[2].metric("Needs", counts["needs"])
    c[3].metric("Confirmed needs", counts["confirmed"])
    with st.expander(f"The {counts['needs']} needs behind these numbers, with their evidence"):
        needs = common.q("needs", f, common.ROWS_SHOWN)
        common.evidence_table(needs, key="ov_needs", total=counts["needs"])

    st.subheader("What was reported when")
    _by_year_table(summary)

    st.subheader("Gaps by state")
    st.caption("A cell counts the workshops that reported the gap. Click a cell to open the state's "
               "evidence for that gap.")
    st.plotly_chart(common.figure("heatmap", f, heat, title="", clickable=True), key="ov_heatmap", on_select="rerun",
                    selection_mode="points", config=common.PLOTLY_CONFIG)
    _heatmap_click(f, heat)

    st.markdown("**States** (open a profile):")
    common.state_links(zip(by_state["state_iso3"], by_state["state_name"], strict=True), f)

    left, right = st.columns(2)
    with left:
        st.plotly_chart(common.figure("world_map", f, by_state), key="ov_map", on_select="rerun",
                        selection_mode="points", config=common.PLOTLY_CONFIG)
        _map_click(f)
    with right:
        st.plotly_chart(common.figure("needs_per_year", f, by_year), key="ov_years", on_select="rerun",
                        selection_mode="points", config=common.PLOTLY_CONFIG)
        _year_click(f, by_year)

    common.download_control(f, key="ov_download")


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "overview")
