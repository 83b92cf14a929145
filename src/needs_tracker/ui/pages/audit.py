"""The audit log page: every change, who made it, when, and its before and after; filterable and exportable."""

from __future__ import annotations

import streamlit as st

from needs_tracker import db, review
from needs_tracker.errors import NeedsTrackerError

MAX_ROWS = 5000


def render() -> None:
    st.title("Audit log")
    st.caption("Every change to the store: who made it, when (UTC), and the values before and after.")
    try:
        with db.connect() as con:
            facets = review.audit_facets(con)
    except NeedsTrackerError as exc:
        st.error(str(exc))
        return
    c1, c2, c3 = st.columns(3)
    actors = c1.multiselect("Who", facets["actor"], key="audit_actor")
    actions = c2.multiselect("Action", facets["action"], key="audit_action")
    entities = c3.multiselect("What", facets["entity"], key="audit_entity")
    c1, c2, c3 = st.columns(3)
    since = c1.date_input("From", value=None, key="audit_since")
    until = c2.date_input("To", value=None, key="audit_until")
    text = c3.text_input("Values contain", key="audit_text")
    try:
        with db.connect() as con:
            df = review.list_audit(con, actors=actors, actions=actions, entities=entities, since=since,
                                   until=until, text=text or None, limit=MAX_ROWS)
    except NeedsTrackerError as exc:
        st.error(str(exc))
        return
    st.caption(f"{len(df)} changes" + (f" (the newest {MAX_ROWS})" if len(df) == MAX_ROWS else ""))
    if df.empty:
        st.info("No changes recorded" + (" under these filters." if actors or actions or entities or since
                                          or until or text else " yet."))
        return
    st.dataframe(df, hide_index=True, width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button("Download CSV", review.audit_to_bytes(df, "csv"), "audit_log.csv", "text/csv",
                       key="audit_csv")
    d2.download_button("Download JSON", review.audit_to_bytes(df, "json"), "audit_log.json", "application/json",
                       key="audit_json")


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "audit")
