"""The multipage dashboard: builds the store on first start, draws the shared filters,
then runs the chosen page. ``dashboard.py`` at the repository root only calls ``main()``."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import streamlit as st

from needs_tracker import config, db
from needs_tracker.errors import NeedsTrackerError, StoreLockedError

# url_path -> (title, icon, module under needs_tracker.ui.pages); the first is the default page.
PAGE_SPECS = (
    ("overview", "Overview", "🗺️", "overview"),
    ("state", "State profile", "📍", "state"),
    ("workshops", "Workshops", "🗓️", "workshops"),
    ("gaps", "Gap finder", "🎯", "gaps"),
    ("search", "Text search", "🔍", "search"),
    ("review", "Review", "✅", "review"),
    ("upload", "Upload notes", "📤", "upload"),
    ("audit", "Audit log", "📜", "audit"),
)
# Pages of this subpackage are files run as scripts (so AppTest can switch to them);
# pages other people own are imported lazily by a callable.
FILE_PAGES = ("overview", "state", "workshops", "gaps", "search")
PAGES_DIR = Path(__file__).resolve().parent / "pages"
PAGES: dict[str, st.Page] = {}


@functools.lru_cache(maxsize=32)
def _is_file_page(module: str) -> bool:
    """Run a page as a file when it renders itself as a script (``if __name__ == "__main__"``)."""
    if module in FILE_PAGES:
        return True
    try:
        return '__name__ == "__main__"' in (PAGES_DIR / f"{module}.py").read_text(encoding="utf-8")
    except OSError:
        return False


def _page_runner(module: str, url_path: str):
    """A callable page that imports its module only when shown, so a missing or broken
    page module cannot break the others."""

    def run() -> None:
        try:
            mod = importlib.import_module(f"needs_tracker.ui.pages.{module}")
        except ImportError as exc:
            st.warning(f"This page is not available yet ({exc}).")
            return
        run_page(mod.render, url_path)

    run.__name__ = f"page_{url_path}"
    return run


def run_page(render, url_path: str) -> None:
    """Run a page's ``render()``; a NeedsTrackerError becomes a message, not a traceback."""
    st.session_state["nt_page"] = url_path
    try:
        render()
    except NeedsTrackerError as exc:
        show_error(exc)


def show_error(exc: NeedsTrackerError) -> None:
    """A page's error as a message; a locked store also gets a button to try again."""
    from needs_tracker.ui.common import error_text

    if isinstance(exc, StoreLockedError):
        message = error_text(exc)
        st.error(f"{message[:1].upper()}{message[1:]}. Press “Try again” once the other process has finished.",
                 icon="🔒")
        st.button("Try again", key="retry_locked")
    else:
        st.error(error_text(exc))


def ensure_store_with_progress() -> None:
    """Build a missing store from the bundled notes, with a progress bar (once per session)."""
    location = config.db_location()
    if st.session_state.get("nt_store_ready") == location and db.store_exists(location):
        return
    from needs_tracker.ingest import ensure_store
    from needs_tracker.readers import iter_note_files

    if not db.store_exists(location):
        total = max(1, len(iter_note_files([config.BUNDLED_NOTES_DIR])))
        bar = st.progress(0.0, text="First start: building the store from the bundled notes…")
        done = [0]

        def on_report(report) -> None:
            done[0] += 1
            bar.progress(min(1.0, done[0] / total), text=f"Reading notes: {report.file_name} ({done[0]}/{total})")

        ensure_store(location, on_report=on_report)
        bar.empty()
    else:
        ensure_store(location)  # an existing but empty store is filled too
    st.session_state["nt_store_ready"] = location


def _snapshot_or_none():
    """The published snapshot being served, or None (a bad setting is reported by the store access below)."""
    from needs_tracker import snapshot

    try:
        return snapshot.current()
    except NeedsTrackerError:
        return None


def main() -> None:
    st.set_page_config(page_title="needs-tracker", page_icon="🗂️", layout="wide")
    pages = []
    for i, (url_path, title, icon, module) in enumerate(PAGE_SPECS):
        target = str(PAGES_DIR / f"{module}.py") if _is_file_page(module) else _page_runner(module, url_path)
        page = st.Page(target, title=title, icon=icon, url_path=url_path, default=i == 0)
        PAGES[url_path] = page
        pages.append(page)
    snap = _snapshot_or_none()
    # A published snapshot is read-only: its editing pages are not offered at all.
    nav = st.navigation({"Explore": pages[:5]} if snap else {"Explore": pages[:5], "Editors": pages[5:]})
    try:
        if snap is None:
            ensure_store_with_progress()
        else:
            st.sidebar.info(f"Snapshot of {snap.date_text}: read-only.", icon="📸")
        from needs_tracker.ui import common
        from needs_tracker.ui.filters import sidebar_filter

        common.read_store_key()  # the one look at the store file this run; caches key on it
        sidebar_filter()
    except NeedsTrackerError as exc:
        show_error(exc)
        return
    nav.run()
