"""The real server in headless Chromium: filter, map, state link, screenshot."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from needs_tracker.ingest import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, isolated_store):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    ingest_paths([ROOT / "src" / "needs_tracker" / "data" / "notes"], location=str(isolated_store))
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    env = dict(os.environ, NEEDS_TRACKER_DB=str(isolated_store))
    proc = subprocess.Popen(
        [streamlit, "run", str(ROOT / "dashboard.py"), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("streamlit did not start")
            time.sleep(0.2)
        with urllib.request.urlopen(base + "/app/static/world_110m.json", timeout=5) as r:
            assert r.status == 200  # the map's topojson is served locally
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_overview_filter_map_and_state_link(server, tmp_path):
    t0 = time.monotonic()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(server + "/", wait_until="domcontentloaded")
            needs = (page.locator('[data-testid="stMetric"]', has_text="Needs").first
                     .locator('[data-testid="stMetricValue"]'))
            expect(needs).to_have_text("18", timeout=60_000)
            assert _metric(page, "States") == "5"

            # the map drew the five states and the country borders from the local topojson
            page.wait_for_function("document.querySelectorAll('.choroplethlocation').length === 5", timeout=60_000)
            assert page.locator(".geo .countries path").count() >= 1

            # a filter typed in the sidebar changes the numbers and the URL
            box = page.get_by_label("Text in the evidence")
            box.fill("law enforcement")
            box.press("Enter")
            expect(needs).to_have_text("8", timeout=20_000)
            assert _metric(page, "States") == "4"
            page.wait_for_function("location.search.includes('text=law')", timeout=10_000)

            page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

            # a state link opens the profile with the filters kept
            page.get_by_role("link", name="Kazakhstan").first.click()
            expect(page.get_by_role("heading", name="Kazakhstan")).to_be_visible(timeout=20_000)
            page.wait_for_function("location.search.includes('state=KAZ')", timeout=10_000)
            assert "text=law" in page.url
            page.screenshot(path=str(tmp_path / "state.png"), full_page=True)

            # a heatmap cell opens the state's profile filtered to that gap
            page.goto(server + "/?year_from=2018", wait_until="domcontentloaded")
            page.wait_for_function("document.querySelectorAll('.scatterlayer .point').length === 10",
                                   timeout=60_000)
            cell = page.locator(".scatterlayer .point").first.bounding_box()
            page.mouse.click(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
            page.wait_for_function("location.pathname.endsWith('/state')", timeout=20_000)
            assert "categories=" in page.url and "year_from=2018" in page.url
            expect(page.get_by_text("Needs (1), with their evidence")).to_be_visible(timeout=20_000)
            assert (tmp_path / "overview.png").stat().st_size > 10_000
            print(f"browser run took {time.monotonic() - t0:.1f} s")
        finally:
            browser.close()
