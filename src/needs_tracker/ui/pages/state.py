"""State profile: each gap across the years, every need with its sentence, and the
workshops the state attended. The state comes from ``?state=ISO3``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker.filters import NeedFilter
from needs_tracker.ui import common


def _status_line(r) -> str:
    if pd.isna(r.last_year):
        return ""
    if bool(r.still_reported):
        return f"still reported ({int(r.last_year)})"
    since = f"not reported since {int(r.last_year)}"
    if not pd.isna(r.last_attended):
        since += f" (attended workshops until {int(r.last_attended)})"
    return since


def _choose_state() -> str | None:
    """The state in ``?state=``; a select box changes it (and the URL). A code that names no
    state says so and offers the choice instead."""
    options = common.q_plain("filter_options")["states"]
    names = {s["iso3"]: s["name"] for s in options}
    raw = st.query_params.get("state")
    iso3 = str(raw).strip().upper() if raw else None
    if iso3 and iso3 not in names:
        if common.known_state(iso3):
            names[iso3] = common.state_name(iso3)
        else:
            st.warning(f"{common.quoted(raw)} in the link is not a state's ISO3 code (e.g. KAZ): "
                       "choose a state below.")
            iso3 = None
    if not iso3:
        st.info("Choose a state, or follow a state's name from any other page.")
    keys = [None, *names]
    choice = st.selectbox("State", keys, index=keys.index(iso3), key=f"state_choice_{iso3}",
                          format_func=lambda i: "—" if i is None else names[i])
    if choice and choice != iso3:
        st.query_params["state"] = choice
        st.rerun()
    return iso3


def _brief_download(iso3: str) -> None:
    common.prepared_download(NeedFilter(states=(iso3,)), "pdf", "state_brief", ask="Prepare the state brief (PDF)",
                             button="⬇️ State brief (PDF)")


def render() -> None:
    f = common.current_filter()
    iso3 = _choose_state()
    if not iso3:
        return
    name = common.state_name(iso3)
    st.title(f"📍 {name}")
    common.filter_banner(f)
    _brief_download(iso3)

    timeline = common.q("state_timeline", f, iso3)
    needs = common.q("needs", f.with_(states=(iso3,)))
    if needs.empty:
        common.empty_state(f.with_(states=(iso3,)))
    else:
        st.subheader("Gaps across the years")
        st.plotly_chart(common.figure("state_timeline", f, timeline, iso3, title=""), key="state_timeline",
                        config=common.PLOTLY_CONFIG)
        table = pd.DataFrame({
            "gap": [common.label(c) for c in timeline["category"]],
            "first reported": timeline["first_year"],
            "last reported": timeline["last_year"],
            "workshops": timeline["workshops"],
            "years": timeline["years"],
            "status": [_status_line(r) for r in timeline.itertuples(index=False)],
        })
        st.dataframe(table, hide_index=True, key="state_timeline_table")

        st.subheader(f"Needs ({len(needs)}), with their evidence")
        for category, group in needs.groupby("category", sort=False):
            with st.expander(f"{common.label(category)} — {len(group)} need(s)", expanded=True):
                common.evidence_list(group, term=f.text)

    st.subheader("Workshops attended")
    attended = common.q_plain("workshops_attended", iso3)
    if attended.empty:
        st.caption("No workshop recorded.")
    else:
        show = pd.DataFrame({
            "workshop": attended["title"],
            "date": common.dates(attended["start_date"]),
            "venue": [", ".join(str(x) for x in (c, k) if isinstance(x, str) and x)
                      for c, k in zip(attended["venue_city"], attended["venue_country"], strict=True)],
            "role": attended["role"],
            "topics": ["; ".join(common.label(t) for t in str(ts).split(", ")) if isinstance(ts, str) else ""
                       for ts in attended["topics"]],
            "open": [common.workshop_url(w, f) for w in attended["workshop_id"]],
        })
        st.dataframe(show, hide_index=True, key="state_attended", column_config={
            "open": st.column_config.LinkColumn("note", display_text="open note")})
    common.download_control(f.with_(states=(iso3,)), key="state_download")


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "state")
