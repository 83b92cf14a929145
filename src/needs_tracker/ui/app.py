"""Placeholder dashboard until the multipage app lands: the stored workshops and their gaps."""

from __future__ import annotations

import streamlit as st

from needs_tracker import db, queries
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.filters import NeedFilter
from needs_tracker.ingest import ensure_store


def main() -> None:
    st.set_page_config(page_title="needs-tracker", page_icon="🗂️", layout="wide")
    st.title("needs-tracker")
    try:
        with st.spinner("Building the store from the bundled notes…"):
            ensure_store()
        with db.connect() as con:
            st.dataframe(queries.workshops(con, NeedFilter()), hide_index=True)
            st.dataframe(queries.needs(con, NeedFilter()), hide_index=True)
    except NeedsTrackerError as exc:
        st.error(str(exc))
