"""The upload page: an editor drops notes onto the dashboard and gets the CLI's per-file report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker import config, review
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.readers import SUPPORTED_SUFFIXES
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui.common import error_text, md_escape

REPORTS_KEY = "upload_reports"


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
    if files and st.button(f"Ingest {len(files)} file{'s' if len(files) != 1 else ''}", key="upload_go",
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
        st.session_state[REPORTS_KEY] = [(r.outcome, r.file_name, r.detail, r.line()) for r in reports]
        st.cache_data.clear()
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
