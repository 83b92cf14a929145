"""The dashboard as ``dashboard.py`` runs it, with each script run's wall and CPU time appended to
``$BENCH_RUN_LOG`` (one line per run: page, wall ms, thread CPU ms) and, with
``$BENCH_PROFILE_DIR`` set, a cProfile of each run written there (``run-N.pstats``). Served by the
benchmarks (``browser.serve(store, BENCH_DIR / "timed_dashboard.py", env=...)``) to split what a
person waits for into the server's run and the rest (websocket, drawing), in the real server."""

import cProfile
import itertools
import os
import time
from pathlib import Path

import streamlit as st

from needs_tracker.ui.app import main

_PROFILES = os.environ.get("BENCH_PROFILE_DIR")
_profile = cProfile.Profile() if _PROFILES else None
_wall, _cpu = time.perf_counter(), time.thread_time()
if _profile is not None:
    _profile.enable()
try:
    main()
finally:  # a rerun request or st.stop ends the run early: it is logged all the same
    if _profile is not None:
        _profile.disable()
        folder = Path(_PROFILES)
        folder.mkdir(parents=True, exist_ok=True)
        number = next(n for n in itertools.count() if not (folder / f"run-{n}.pstats").exists())
        _profile.dump_stats(folder / f"run-{number}.pstats")
    with open(os.environ.get("BENCH_RUN_LOG", os.devnull), "a", encoding="utf-8") as log:
        log.write(f"{st.session_state.get('nt_page', '?')}\t{(time.perf_counter() - _wall) * 1000:.1f}\t"
                  f"{(time.thread_time() - _cpu) * 1000:.1f}\n")
