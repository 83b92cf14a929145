"""Workshops: a sortable, searchable table, and one workshop's page (``?workshop=ID``) with
its fields, participants, organisers, topics, gaps state by state and the note's text,
escaped, with every evidence sentence marked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker.ui import common


def _fmt_date(value) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


def _detail(workshop_id: int) -> None:
    f = common.current_filter()
    info = common.q_plain("workshop", int(workshop_id))
    if st.button("← All workshops", key="ws_back"):
        del st.query_params["workshop"]
        st.rerun()
    if info is None:
        st.warning(f"There is no workshop {common.quoted(f'#{workshop_id}')} in the store.")
        return
    md = common.md_escape
    st.title(md(info["title"]) or f"Workshop #{workshop_id}")
    dates = _fmt_date(info["start_date"])
    if info["end_date"] is not None and not pd.isna(info["end_date"]) and info["end_date"] != info["start_date"]:
        dates += " – " + _fmt_date(info["end_date"])
    venue = ", ".join(x for x in (info["venue_city"], info["venue_country"]) if x)
    c = st.columns(4)
    c[0].markdown(f"**Date**  \n{dates or 'unknown'}")
    c[1].markdown(f"**Venue**  \n{md(venue) or 'unknown'}")
    c[2].markdown(f"**Kind**  \n{md(info['kind'])}")
    c[3].markdown(f"**Note**  \n{md(info['file_name'])}")
    if info["organizers"]:
        st.markdown("**Organisers:** " + md("; ".join(info["organizers"])))
    if info["organizations"]:
        st.markdown("**Participating organisations:** " + md("; ".join(info["organizations"])))
    if info["warnings"]:
        st.caption("Extraction warnings: " + md("; ".join(info["warnings"])))

    parts = info["participants"]
    st.subheader(f"Participants ({len(parts)})")
    common.state_links(zip(parts["state_iso3"], parts["state_name"], strict=True), f)
    if info["unresolved_names"]:
        st.caption("Names not resolved to a state: " + md("; ".join(info["unresolved_names"])))

    topics = info["topics"]
    st.subheader("Topics")
    st.markdown(", ".join(common.label(t) for t in topics["category"]) or "none recorded")

    needs = info["needs"]
    st.subheader(f"Gaps reported ({len(needs)})")
    for iso3, group in needs.groupby("state_iso3", sort=False):
        common.state_link(iso3, str(group["state_name"].iloc[0]), f)
        common.evidence_list(group, term=f.text)

    st.subheader("The note")
    spans = list(zip(needs["span_start"], needs["span_end"], strict=True))
    common.show_html(common.note_html(info["text"] or "", spans))


def render() -> None:
    workshop = st.query_params.get("workshop")
    if workshop and str(workshop).strip().isdigit():
        _detail(int(str(workshop).strip()))
        return
    f = common.current_filter()
    st.title("Workshops")
    if workshop:
        st.warning(f"{common.quoted(workshop)} in the link is not a workshop number: showing all workshops.")
    common.filter_banner(f)
    df = common.q("workshops", f)
    if df.empty:
        common.empty_state(f, "workshops")
        return
    search = st.text_input("Search the workshops (title, venue, organiser)", key="ws_search")
    if search:
        hay = (df["title"].fillna("") + " " + df["venue_city"].fillna("") + " " + df["venue_country"].fillna("")
               + " " + df["organizers"].fillna("")).str.lower()
        df = df[hay.str.contains(search.lower(), regex=False)]
        if df.empty:
            st.info(f"No workshop matches {common.quoted(search)}.")
            return
    show = pd.DataFrame({
        "date": common.dates(df["start_date"]),
        "workshop": df["title"],
        "venue": [", ".join(x for x in (a, b) if isinstance(x, str) and x)
                  for a, b in zip(df["venue_city"], df["venue_country"], strict=True)],
        "organisers": df["organizers"],
        "states": df["participants"],
        "needs": df["needs"],
        "open": common.workshop_urls(df["workshop_id"], f),
    })
    event = st.dataframe(show, hide_index=True, key="ws_table", on_select="rerun", selection_mode="single-row",
                         column_config={"open": st.column_config.LinkColumn("page", display_text="open")})
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        st.query_params["workshop"] = str(int(df["workshop_id"].iloc[rows[0]]))
        st.rerun()
    st.caption(f"{len(df)} workshop(s). Select a row, or follow “open”, to see its page.")
    common.download_control(f, key="ws_download")


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "workshops")
