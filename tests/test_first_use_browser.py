"""The served app (``needs-tracker dashboard``'s command line) in headless Chromium, as a new user
meets it (qa9): a fresh server whose very first visitor opens a shared link to a page gets that page
with its filters, not Streamlit's legacy run of the page file found beside the app script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fixture_store import build_store
from needs_tracker import serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from browser import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_idle, wait_until_up  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture
def served(isolated_store, tmp_path):
    """A fresh server of the packaged app, exactly as ``needs-tracker dashboard`` starts it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    build_store(isolated_store)
    args, env = serve.prepare(db=str(isolated_store), host="127.0.0.1", port=free_port())
    port = next(a.split("=", 1)[1] for a in args if a.startswith("--server.port="))
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(args, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(proc, base)
        yield base
    finally:
        stop(proc)


def test_the_first_visit_of_a_fresh_server_on_a_shared_link_keeps_its_filter(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for link, heading in (("/matching?states=KGZ", "Matching"), ("/gaps?states=KGZ", "Gap finder")):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.goto(served + link, wait_until="domcontentloaded")
                wait_idle(page)
                main = page.locator('[data-testid="stMain"]')
                assert main.locator("h1").first.inner_text().strip() == heading
                assert main.get_by_text("Needs where state is Kyrgyzstan").count() == 1, link
                sidebar = page.locator('[data-testid="stSidebar"]')
                assert sidebar.get_by_role("textbox", name="Words in the evidence").count() == 1, link
                nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
                assert "Gap finder" in nav and "streamlit app" not in nav, nav
        finally:
            browser.close()
