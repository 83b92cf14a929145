"""Text search in the evidence sentences, hits marked. The words searched are the
shared ``text`` filter, so a search is part of the URL like any other filter."""

from __future__ import annotations

import streamlit as st

from needs_tracker.ui import common
from needs_tracker.ui.filters import W

SHOWN = 200  # sentences listed; the download holds them all


def _set_text() -> None:
    st.session_state[W["text"]] = st.session_state.get("search_box", "")


def render() -> None:
    f = common.current_filter()
    st.title("Text search")
    if st.session_state.get("search_box") != (f.text or ""):
        st.session_state["search_box"] = f.text or ""
    st.text_input("Words in the evidence sentences", key="search_box", on_change=_set_text,
                  placeholder="e.g. control list, licensing, customs")
    common.filter_banner(f)
    if not f.text:
        st.caption("Type a word or phrase: every evidence sentence containing it is listed with the hit marked.")
        return
    counts = common.q("counts", f)
    if not counts["needs"]:
        common.empty_state(f, "evidence sentences")
        return
    st.markdown(f"**{counts['needs']}** sentence(s) in **{counts['workshops']}** workshop(s), "
                f"**{counts['states']}** state(s).")
    common.evidence_for(f, term=f.text, limit=SHOWN)
    common.download_control(f, key="search_download")


if __name__ == "__main__":  # run as a page by st.navigation
    from needs_tracker.ui.app import run_page

    run_page(render, "search")
