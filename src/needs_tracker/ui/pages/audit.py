"""The audit log page: every change, who made it, when, and its before and after; filterable and exportable."""

from __future__ import annotations

import streamlit as st

from needs_tracker import audit
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui.common import num
from needs_tracker.ui.reads import read

MAX_ROWS = 5000


def render() -> None:
    st.title("Audit log")
    st.caption("Every change to the store: who made it, when (UTC), and the values before and after.")
    if ui_auth.editor_block(what="read the audit log") is None:  # who changed what is for editors only
        return
    facets = read(audit.audit_facets)
    c1, c2, c3 = st.columns(3)
    actors = c1.multiselect("Who", facets["actor"], key="audit_actor")
    actions = c2.multiselect("Action", facets["action"], key="audit_action")
    entities = c3.multiselect("What", facets["entity"], key="audit_entity")
    c1, c2, c3 = st.columns(3)
    since = c1.date_input("From", value=None, key="audit_since")
    until = c2.date_input("To", value=None, key="audit_until")
    text = c3.text_input("Values contain", key="audit_text")
    df = read(audit.list_audit, actors=tuple(actors), actions=tuple(actions), entities=tuple(entities), since=since,
                 until=until, text=text or None, limit=MAX_ROWS)
    st.caption(f"{num(len(df))} changes" + (f" (the newest {num(MAX_ROWS)})" if len(df) == MAX_ROWS else ""))
    if df.empty:
        st.info("No changes recorded" + (" under these filters." if actors or actions or entities or since
                                          or until or text else " yet."))
        return
    st.dataframe(audit.with_change_words(df), hide_index=True, width="stretch")  # a merge/split in words
    d1, d2 = st.columns(2)  # each file is written only when its button is pressed
    d1.download_button("Download CSV", lambda: audit.audit_to_bytes(df, "csv"), "audit_log.csv", "text/csv",
                       key="audit_csv", on_click="ignore", icon=":material/download:")
    d2.download_button("Download JSON", lambda: audit.audit_to_bytes(df, "json"), "audit_log.json",
                       "application/json", key="audit_json", on_click="ignore", icon=":material/download:")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "audit")
