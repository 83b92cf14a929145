"""The multipage dashboard: builds the store on first start, draws the shared filters on the
pages they apply to, then runs the chosen page. ``dashboard.py`` only calls ``main()``."""

from __future__ import annotations

import streamlit as st

from needs_tracker import config
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.store import store_exists
from needs_tracker.ui import registry
from needs_tracker.ui.common import md_escape
from needs_tracker.ui.furniture import show_error
from needs_tracker.ui.reads import read_store_key


def ensure_store_with_progress(location: str) -> None:
    """Build a missing store at ``location`` from the bundled notes, with a progress bar (once per
    session). A store that exists is only read: a viewer's visit never writes the sample notes into it."""
    if st.session_state.get("nt_store_ready") == location and store_exists(location):
        return
    if not store_exists(location):  # first start only: an existing store, even empty, is never written here
        # imported only here: the extractor loads spaCy (about 2 s), which a viewer's first visit never needs
        from needs_tracker.ingest import ensure_store
        from needs_tracker.readers import iter_note_files

        total = max(1, len(iter_note_files([config.bundled_notes_dir()])))
        bar = st.progress(0.0, text="First start: building the store from the bundled notes…")
        done = [0]

        def on_report(report) -> None:
            done[0] += 1
            bar.progress(min(1.0, done[0] / total),
                         text=f"Reading notes: {md_escape(report.file_name)} ({done[0]}/{total})")

        ensure_store(location, on_report=on_report)
        bar.empty()
    st.session_state["nt_store_ready"] = location


def _sign_in_link() -> None:
    """Where editors sign in, at the top of the sidebar of every page, or who is signed in."""
    from needs_tracker.ui import auth as ui_auth

    if ui_auth.auth_mode() is None:
        return
    editor = ui_auth.current_editor()
    if editor is not None:
        st.sidebar.caption(f":material/person: Signed in as {md_escape(editor.name)}")
    elif (page := registry.get_page("review")) is not None:
        st.sidebar.page_link(page, label="Editor sign-in", icon=":material/login:")


def _snapshot_or_none():
    """The published snapshot being served, or None (a bad setting is reported by the store access below)."""
    from needs_tracker import snapshot

    try:
        return snapshot.current()
    except NeedsTrackerError:
        return None


def main() -> None:
    st.set_page_config(page_title="needs-tracker", page_icon=":material/travel_explore:", layout="wide")
    snap = _snapshot_or_none()
    # A published snapshot is read-only: its editing pages are not offered at all.
    page, spec = registry.navigation(editing=snap is None)
    try:
        location = config.db_location()  # once a run: finding it stats the file system
        if snap is None:
            ensure_store_with_progress(location)
        else:
            st.sidebar.info(f"Snapshot of {snap.date_text}: read-only.", icon=":material/photo_camera:")
        read_store_key(location)  # the one look at the store file this run; caches key on it
        if snap is None:
            _sign_in_link()
        if spec.filtered:
            from needs_tracker.ui.filters import sidebar_filter

            sidebar_filter()
    except NeedsTrackerError as exc:
        show_error(exc)
        return
    page.run()
