"""The upload page: an editor drops notes onto the dashboard and gets the CLI's per-file report.

A file named like a stored note but with other content is stored as a new note; the page then
names both notes (title and date) and asks whether the file is instead the new version of the
stored one, and only on that confirmation calls the ingest again with ``replace``.
"""

from __future__ import annotations

import inspect

import pandas as pd
import streamlit as st

from needs_tracker import config, review
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.readers import SUPPORTED_SUFFIXES
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui.common import error_text, md_escape
from needs_tracker.wording import counted

REPORTS_KEY = "upload_reports"
SAME_NAME_KEY = "upload_same_name"


def _can_replace() -> bool:
    return "replace" in inspect.signature(review.ingest_uploads).parameters


def _remember(reports) -> None:
    st.session_state[REPORTS_KEY] = [(r.outcome, r.file_name, r.detail, r.line()) for r in reports]
    st.session_state[SAME_NAME_KEY] = [
        (r.file_name, r.workshop_id, r.same_name.label()) for r in reports
        if getattr(r, "same_name", None) is not None and r.outcome == "ingested"]
    st.cache_data.clear()


def _confirm_replacements(editor) -> None:
    """For each file stored beside a same-named note: ask whether it replaces that note."""
    pending = st.session_state.get(SAME_NAME_KEY) or []
    if not pending or not _can_replace():
        return
    uploaded = {f.name: f for f in st.session_state.get("upload_files") or []}
    for name, new_id, stored in pending:
        with st.container(border=True):
            st.warning(f"**{md_escape(name)}** was stored as a new note (#{new_id}) because a different note is "
                       f"already stored under this name: {md_escape(stored)}. Is this file the new version of "
                       "that note? Replacing keeps the old text (superseded) and flags decided needs whose quote "
                       "is no longer in the text.", icon=":material/help:")
            if name not in uploaded:
                st.caption("Drop the file again to replace the stored note with it.")
            elif st.button(f"Replace {md_escape(stored)} with {md_escape(name)}", key=f"upload_replace_{name}",
                           icon=":material/published_with_changes:"):
                try:
                    reports = review.ingest_uploads(editor, [(name, uploaded[name].getvalue())], replace=[name])
                except NeedsTrackerError as exc:
                    st.error(error_text(exc))
                    return
                _remember(reports)
                st.rerun()


def render() -> None:
    st.title("Upload notes")
    st.caption("Add workshop information notes (.txt, .md, .pdf or .docx). A file already stored with the "
               "same content is recognised and left as it is, whatever its name.")
    editor = ui_auth.editor_block(what="upload notes")
    if editor is None:
        return
    files = st.file_uploader("Notes", type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
                             accept_multiple_files=True, key="upload_files",
                             max_upload_size=max(1, config.max_file_bytes() // (1024 * 1024)))
    if files and st.button(f"Ingest {counted(len(files), 'file')}", key="upload_go",
                           type="primary"):
        progress = st.progress(0.0, text="Reading and extracting…")
        done: list = []

        def on_report(report) -> None:
            done.append(report)
            progress.progress(min(len(done) / len(files), 1.0), text=f"{len(done)} of {len(files)}: "
                              f"{md_escape(report.file_name)}")

        try:
            reports = review.ingest_uploads(editor, [(f.name, f.getvalue()) for f in files], on_report=on_report)
        except NeedsTrackerError as exc:
            st.error(error_text(exc))
            return
        progress.progress(1.0, text="Done")
        _remember(reports)
    _confirm_replacements(editor)
    reports = st.session_state.get(REPORTS_KEY)
    if reports:
        counts: dict[str, int] = {}
        for outcome, *_ in reports:
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        (st.warning if counts.get("rejected") else st.success)(f"{len(reports)} files: {summary}")
        st.code("\n".join(line for *_, line in reports), language=None)
        st.dataframe(pd.DataFrame([r[:3] for r in reports], columns=["outcome", "file", "detail"]),
                     hide_index=True, width="stretch")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "upload")
