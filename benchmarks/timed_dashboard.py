"""The dashboard as ``dashboard.py`` runs it, with each script run's wall and CPU time appended to
``$BENCH_RUN_LOG`` (one line per run: page, wall ms, thread CPU ms). Served by the benchmarks
(``browser.serve(store, BENCH_DIR / "timed_dashboard.py", env={"BENCH_RUN_LOG": ...})``) to split
what a person waits for into the server's run and the rest (websocket, drawing)."""

import os
import time

import streamlit as st

from needs_tracker.ui.app import main

_wall, _cpu = time.perf_counter(), time.thread_time()
try:
    main()
finally:  # a rerun request or st.stop ends the run early: it is logged all the same
    with open(os.environ.get("BENCH_RUN_LOG", os.devnull), "a", encoding="utf-8") as log:
        log.write(f"{st.session_state.get('nt_page', '?')}\t{(time.perf_counter() - _wall) * 1000:.1f}\t"
                  f"{(time.thread_time() - _cpu) * 1000:.1f}\n")
