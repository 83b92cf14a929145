"""Workshops: a sortable, searchable table, and one workshop's page (``?workshop=ID``) with
its fields, participants, organisers, topics, gaps state by state and the note's text,
escaped, with every evidence sentence marked. The table's search is in the URL (``?q=``)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from needs_tracker.store import reads
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import DATE_UNKNOWN, dates, long_date, md_escape, note_html, num, quoted, show_html
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.reads import current_filter, read

_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)


def _detail(workshop_id: int) -> None:
    f = current_filter()
    info = read(reads.workshop, workshop_id)
    if st.button("All workshops", key="ws_back", icon=":material/arrow_back:"):
        del st.query_params["workshop"]
        st.rerun()
    if info is None:
        st.warning(f"There is no workshop {quoted(f'#{workshop_id}')} in the store.")
        return
    st.title(md_escape(info["title"]) or f"Workshop #{workshop_id}")
    when = long_date(info["start_date"]) if info["start_date"] is not None else (
        str(info["year"]) if info["year"] is not None else DATE_UNKNOWN)
    if info["end_date"] is not None and not pd.isna(info["end_date"]) and info["end_date"] != info["start_date"]:
        when += " – " + long_date(info["end_date"])
    venue = ", ".join(x for x in (info["venue_city"], info["venue_country"]) if x)
    c = st.columns(4)
    c[0].markdown(f"**Date**  \n{when}")
    c[1].markdown(f"**Venue**  \n{md_escape(venue) or 'venue unknown'}")
    c[2].markdown(f"**Kind**  \n{md_escape(info['kind'])}")
    c[3].markdown(f"**Note**  \n{md_escape(info['file_name'])}")
    if info["organizers"]:
        st.markdown("**Organisers:** " + md_escape("; ".join(info["organizers"])))
    if info["organizations"]:
        st.markdown("**Participating organisations:** " + md_escape("; ".join(info["organizations"])))
    if info["warnings"]:
        st.caption("Extraction warnings: " + md_escape("; ".join(info["warnings"])))

    parts = info["participants"]
    st.subheader(f"Participants ({num(len(parts))})")
    if parts.empty:
        st.caption("The note names no participating state.")
    links.state_links(zip(parts["state_iso3"], parts["state_name"], strict=True), f, key="ws_states")
    if info["unresolved_names"]:
        st.caption("Names not resolved to a state: " + md_escape("; ".join(info["unresolved_names"])))

    st.subheader("Topics")
    st.markdown(", ".join(links.label(t) for t in info["topics"]["category"]) or "none recorded")

    needs = info["needs"]
    st.subheader(f"Gaps reported ({num(len(needs))})")
    for iso3, group in needs.groupby("state_iso3", sort=False):
        links.state_link(iso3, str(group["state_name"].iloc[0]), f)
        furniture.evidence_list(group, term=f.text)

    st.subheader("The note")
    spans = list(zip(needs["span_start"], needs["span_end"], strict=True))
    show_html(note_html(info["text"] or "", spans))


def render() -> None:
    workshop = st.query_params.get("workshop")
    if workshop is not None and _NUMBER.fullmatch(str(workshop).strip()):
        _detail(int(str(workshop).strip()))
        return
    f = current_filter()
    st.title("Workshops")
    if workshop is not None:
        st.warning(f"{quoted(workshop)} in the link is not a workshop number: showing all workshops.")
    furniture.filter_banner(f)
    df = read(reads.workshops, f)
    if df.empty:
        furniture.empty_state(f, "workshops")
        return
    links.url_control("q", "ws_search", lambda v: " ".join(v.split()), "")
    search = st.text_input("Search the workshops (title, venue, organiser)", key="ws_search")
    links.write_control("q", " ".join(search.split()), "")
    if search.strip():
        hay = (df["title"].fillna("") + " " + df["venue_city"].fillna("") + " " + df["venue_country"].fillna("")
               + " " + df["organizers"].fillna("")).str.lower()
        df = df[hay.str.contains(" ".join(search.lower().split()), regex=False)]
        if df.empty:
            st.info(f"No workshop matches {quoted(search)}.")
            return
    show = pd.DataFrame({
        "date": dates(df["start_date"]),
        "workshop": df["title"].fillna("untitled workshop"),
        "venue": [", ".join(x for x in (a, b) if isinstance(x, str) and x) or "venue unknown"
                  for a, b in zip(df["venue_city"], df["venue_country"], strict=True)],
        "organisers": df["organizers"],
        "states": df["participants"],
        "needs": df["needs"],
        "open": links.workshop_urls(df["workshop_id"], f),
    })
    event = st.dataframe(show, hide_index=True, key="ws_table", on_select="rerun", selection_mode="single-row",
                         column_config={"open": st.column_config.LinkColumn("page", display_text="open")})
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        st.query_params["workshop"] = str(int(df["workshop_id"].iloc[rows[0]]))
        st.rerun()
    st.caption(f"{num(len(df))} workshop(s). Select a row, or follow “open”, to see its page.")
    download_row(f, key="ws_download")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "workshops")
