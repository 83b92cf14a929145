"""The dashboard's server warms itself at start (``ui.warm_start``): a real ``streamlit run`` through
it on a fixture store imports the viewer pages' modules and builds the store's copy before any
visit, and still serves the pages; without a store it starts nothing and writes nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fixture_store import build_store
from needs_tracker import serve
from needs_tracker.ui import registry, warm_start

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from browser import stop  # noqa: E402  (how the benchmarks stop a server)


def test_the_served_command_starts_through_the_warm_up():
    args = serve.command()
    assert args[1:4] == ["-m", "needs_tracker.ui.warm_start", "run"]
    assert args[4] == str(serve.app_script())


def test_page_imports_are_the_viewer_pages_modules_not_the_extractor():
    names = warm_start.page_imports()
    # top-level imports of the pages, and a module named in a from-import list (`from ..ui import links`)
    assert {"pandas", "streamlit", "needs_tracker.ui.reads", "needs_tracker.ui.links", "needs_tracker.figures",
            "needs_tracker.export.matching_format", "needs_tracker.ui.app"} <= set(names)
    assert not [n for n in names if n.startswith("needs_tracker.ui.pages")]  # a page is run, never imported
    assert set(warm_start.WARM_PAGES) <= set(registry.BY_PATH)
    # importing them all keeps the extractor (spaCy) out of a viewer's server, in a fresh process
    code = ("import importlib, sys\nfrom needs_tracker.ui import warm_start\n"
            "for n in warm_start.LIBRARIES + tuple(warm_start.page_imports()): importlib.import_module(n)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('spacy', 'needs_tracker.extract'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    args, env = serve.prepare(db=str(db), host="127.0.0.1", port=port)
    with log.open("w") as err:
        proc = subprocess.Popen(args, env=env, cwd=db.parent, stdout=subprocess.DEVNULL, stderr=err)
    return proc, f"http://127.0.0.1:{port}"


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.skipif(os.name != "posix", reason="the served app's process is replaced by Streamlit's on posix")
def test_a_served_store_is_warmed_before_any_visit(tmp_path):
    db = tmp_path / "store.duckdb"
    build_store(db)
    log = tmp_path / "server.log"
    proc, base = _serve(db, log)
    try:
        assert _wait_for(lambda: _healthy(base))
        # no browser has connected: both lines come from the server's own warm-up
        assert _wait_for(lambda: "store's copy built" in log.read_text(encoding="utf-8")), log.read_text()
        text = log.read_text(encoding="utf-8")
        assert "needs-tracker: pages warm in" in text
        assert "Traceback" not in text and "skipped" not in text
        with urllib.request.urlopen(base + "/matching", timeout=10) as r:  # the app is still served
            assert r.status == 200
    finally:
        stop(proc)


@pytest.mark.skipif(os.name != "posix", reason="the served app's process is replaced by Streamlit's on posix")
def test_without_a_store_the_warm_up_starts_nothing_and_writes_nothing(tmp_path):
    db = tmp_path / "absent.duckdb"
    log = tmp_path / "server.log"
    proc, base = _serve(db, log)
    try:
        assert _wait_for(lambda: _healthy(base))
        assert _wait_for(lambda: "no store yet" in log.read_text(encoding="utf-8")), log.read_text()
        assert not db.exists()  # the first visit builds it, with its progress bar; never the warm-up
        text = log.read_text(encoding="utf-8")
        assert "pages warm" not in text and "Traceback" not in text
    finally:
        stop(proc)
