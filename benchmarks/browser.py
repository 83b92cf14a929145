"""A real dashboard server and a way to tell when the page a person sees is finished:
shared by the browser benchmark and the screenshot script.

"Finished" means Streamlit's running indicator has gone (the script run ended and every
element arrived over the websocket) and every plotly chart on the page has drawn its SVG.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# True once the page has its title, no script is running and every plotly chart has drawn its SVG.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || !document.querySelector('[data-testid="stMain"] h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (app.getAttribute('data-test-script-state') === 'running') return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
  return document.querySelectorAll('[data-testid="stSkeleton"]').length === 0;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(store: str | Path, script: Path | None = None, env: dict | None = None,
           checkout: Path = PROJECT_DIR) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` of ``checkout``'s ``script`` (its dashboard by default) on ``store``: the
    process and its base URL (not waited for: ``wait_until_up``)."""
    port = free_port()
    environment = dict(os.environ, NEEDS_TRACKER_DB=str(store), **(env or {}))
    # The dashboard starts as ``needs-tracker dashboard`` starts it (serve.py): through ui.warm_start,
    # which warms the server before its first visitor, when the checkout has it; a floor as a bare script.
    start = [sys.executable, "-m", "streamlit", "run"]
    if script is None and (checkout / "src" / "needs_tracker" / "ui" / "warm_start.py").is_file():
        start = [sys.executable, "-m", "needs_tracker.ui.warm_start", "run"]
    proc = subprocess.Popen(
        [*start, str(script or checkout / "dashboard.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         # as the served app runs (serve.STREAMLIT_OPTIONS): watching sources inside a checkout that holds
         # its .venv cost our pages ~0.1 s a rerun and not the floor (an A/A run of one commit showed it)
         "--server.fileWatcherType", "none"],
        cwd=checkout, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def wait_until_up(proc: subprocess.Popen, base: str, poll: float = 0.2, timeout: float = 60.0) -> float:
    """Seconds until the server at ``base`` answers its health check (RuntimeError if it died or never did)."""
    t = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - t
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() - t > timeout:
            raise RuntimeError(f"streamlit did not start ({base})")
        time.sleep(poll)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@contextlib.contextmanager
def serve(store: str | Path, script: Path | None = None, env: dict | None = None):
    """``streamlit run`` ``script`` (the dashboard by default) on ``store``; yields the base URL."""
    proc, base = launch(store, script, env)
    try:
        wait_until_up(proc, base)
        yield base
    finally:
        stop(proc)


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the script run has ended and every chart has drawn (see IDLE_JS). The
    indicator may take a moment to appear after an action, so the page must stay idle
    for two animation frames in a row."""
    page.wait_for_timeout(50)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling="raf")
    page.wait_for_timeout(30)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling="raf")


def first_load(browser, url: str) -> float:
    """A new visitor (fresh context) opens ``url``: seconds until idle with charts drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_idle(page)
    took = time.perf_counter() - t
    context.close()
    return took


def full_screenshot(page, path: Path) -> int:
    """A screenshot of the whole page: Streamlit scrolls inside its main section, so the
    viewport is made as tall as that section's content first. Returns the height."""
    height = int(page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return Math.max(main ? main.scrollHeight : 0, document.body.scrollHeight);
    }"""))
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 600), 16000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 1000})
    return height
