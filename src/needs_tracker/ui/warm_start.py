"""Warm the dashboard's server before its first visitor: ``needs-tracker dashboard`` runs
``python -m needs_tracker.ui.warm_start run APP [flags]``, which starts ``warm()`` on a thread
and then hands the command line to Streamlit's own ``streamlit run``.

Streamlit runs the app script only when a first session connects, so the first person after a
start paid, inside their page load, what later visitors find done: importing pandas, pyarrow,
plotly, duckdb and the pages' modules (0.3-0.5 s at a load of 2-3), the state index and one
Streamlit check (about 0.1 s), and the first page's reads on the store file, its copy in memory
(``store.matching_base``) being built only 3 s after that first read. In process, Matching's first
run at 100,000 needs took 0.70 s in a fresh process, 0.25 s after this warm-up, 0.10 s for later
visitors. Here all of it happens at start, on a thread of the server's own process, once the
server has opened its port; the copy is built as the pages build it (``ui.reads``, the same 3 s
delay), so a visitor who comes at once shares the machine with it as before. What fails here is
left to the first visit, which does it as before.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import sys
import threading
import time
from concurrent.futures import Future

# Heavy libraries every viewer page needs, imported first (most of the import time).
LIBRARIES = ("pandas", "pyarrow", "duckdb", "plotly.graph_objects", "plotly.express")
# The viewer pages whose modules are imported at start. Not the editors' pages nor Workshops: they
# import the extractor (spaCy and the rules: about 0.5 s and 100 MB) that most visits never need.
WARM_PAGES = ("overview", "gaps", "matching", "state", "search")
RUNTIME_WAIT_S = 30.0  # the Streamlit runtime normally exists within a second of the start


def page_imports() -> list[str]:
    """The modules the app and its viewer pages import at their top level, read from their source
    (a page is a script Streamlit runs, never imported: running it here would draw it)."""
    from needs_tracker.ui import registry

    scripts = [registry.BY_PATH[path].script for path in WARM_PAGES]
    names = ["needs_tracker.ui.app", "needs_tracker.ui.filters"]
    for script in scripts:
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                # `from needs_tracker.ui import links`: a module named in the list is imported too
                names += [f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")]
    return list(dict.fromkeys(n for n in names if n != "__future__"))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # the parent is a module, not a package: a name inside it
        return False


def _wait_for_runtime(timeout: float) -> bool:
    """True once Streamlit's runtime has started: the server then takes connections (the warm-up
    does not slow its start, measured 0.2-0.3 s later when both ran at once), and the app's caches
    (``st.cache_data``) find the runtime's storage when their modules are imported."""
    from streamlit import runtime
    from streamlit.runtime.runtime import RuntimeState

    deadline = time.monotonic() + timeout
    while not (runtime.exists() and runtime.get_instance().state != RuntimeState.INITIAL):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _first_run_once_costs() -> None:
    """What the first script run of a process pays once, besides imports: the state index and the
    taxonomy a page's filter is checked against (about 60 ms), and Streamlit's check, at its first
    element, of whether it runs in a REPL (it walks the stack and every module's file: 30-80 ms).
    The latter is private to Streamlit: skipped if a later version no longer has it."""
    from streamlit import delta_generator

    from needs_tracker.filters import NeedFilter

    NeedFilter.parse({"states": "KEN"})
    once = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(once):
        once()  # with the runtime running it prints nothing, and never again


def warm(location: str | None = None, runtime_wait: float = RUNTIME_WAIT_S) -> Future | None:
    """Import what the viewer pages import, pay the first run's once-only costs and start building
    the store's copy in memory, as the first page load would; the copy's build (a future). None
    (no copy started) when there is no store yet (the first visit builds it from the bundled
    notes, with its progress bar)."""
    if not _wait_for_runtime(runtime_wait):
        raise RuntimeError(f"Streamlit's runtime did not start within {runtime_wait:g} s")
    for name in (*LIBRARIES, *page_imports()):
        importlib.import_module(name)
    _first_run_once_costs()
    import functools

    from needs_tracker import config
    from needs_tracker.store import connection, store_exists
    from needs_tracker.ui import reads

    location = location or config.db_location()
    if not store_exists(location):
        return None
    return reads._BASES.prepare(location, connection.store_version(location),
                                functools.partial(connection.connect, location))


def _say(line: str) -> None:
    print(f"needs-tracker: {line}", file=sys.stderr, flush=True)


def _warm_quietly() -> None:
    """``warm()``, with one line on the server's log when the pages are warm and one when the copy
    is built; a failure is one line too, and the first visit then does what was not done."""
    started = time.perf_counter()
    try:
        copy = warm()
    except Exception as exc:  # noqa: BLE001 - the first visit does it instead, and shows what is wrong
        _say(f"warm-up skipped ({type(exc).__name__}: {exc})")
        return
    if copy is None:
        _say("no store yet: the first visit builds it from the bundled notes")
        return
    _say(f"pages warm in {time.perf_counter() - started:.1f} s; the store's copy follows")
    try:
        copy.result()
    except Exception as exc:  # noqa: BLE001 - the pages then read the store itself, as ``ui.reads`` says
        _say(f"store's copy not built ({type(exc).__name__}: {exc})")
        return
    _say(f"store's copy built {time.perf_counter() - started:.1f} s after start")


def start() -> threading.Thread:
    """``warm()`` on a daemon thread (the copy's own build thread is not a daemon: see matching_base)."""
    thread = threading.Thread(target=_warm_quietly, name="needs-tracker-warm", daemon=True)
    thread.start()
    return thread


def navigation_only() -> None:
    """Tell Streamlit, before any session, that the app has no legacy ``pages/`` multipage folder.

    The packaged app script sits beside ``ui/pages/``, which holds the pages ``st.navigation`` runs.
    Until a first run calls ``st.navigation``, Streamlit takes a ``pages/`` folder beside the main
    script for its legacy multipage app: on a fresh server whose first visitor opened a shared link
    (``/matching?states=UZB``), that page's file ran bare, without the sidebar's filters, with the
    link's filter ignored and the files' names as the menu, for every visitor until one opened "/".
    ``st.navigation`` itself clears this flag on its first call; here it is cleared at start.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit moved it: the browser test of a fresh server says so
        return
    if not hasattr(PagesManager, "uses_pages_directory"):  # renamed: setting it would silently do nothing
        logging.getLogger(__name__).warning(
            "this Streamlit has no PagesManager.uses_pages_directory: a shared link opened first after a start "
            "may show its page without the sidebar's filters until someone opens /")
        return
    PagesManager.uses_pages_directory = False


def leave_legacy_pages() -> None:
    """In a run Streamlit started in its legacy ``pages/`` mode, clear the flag and run the visit again
    through the app's ``st.navigation``; elsewhere nothing.

    ``navigation_only`` clears the flag before the server starts, but ``streamlit run`` of the packaged
    app script directly (``src/needs_tracker/ui/streamlit_app.py``) runs nothing of ours before the first
    session, whose first run may be a page's file run bare (a shared link opened first). The app script
    and every page (``furniture.run_page``) call this first: the rerun keeps the link's page and query,
    and the flag, once cleared, stays cleared for the server's later sessions."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # (as in navigation_only)
        return
    if getattr(PagesManager, "uses_pages_directory", None):
        import streamlit as st

        PagesManager.uses_pages_directory = False
        st.rerun()


def main(argv: list[str] | None = None) -> None:
    """``streamlit ARGV`` (``run APP [flags]``) with the warm-up started first."""
    from streamlit.web.cli import main as streamlit_main

    navigation_only()
    start()
    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    main()
