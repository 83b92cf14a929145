"""``streamlit run src/needs_tracker/ui/streamlit_app.py`` run directly, in headless Chromium: a fresh
server's first visitor on a shared link gets the page with its filters, as through ``dashboard.py`` or
``needs-tracker dashboard`` (tests/test_first_use_browser.py), not the page's file run bare from the
``pages/`` folder beside the script (Streamlit's legacy multipage mode)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fixture_store import build_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import CHROMIUM, CHROMIUM_ARGS, launch, stop, wait_idle, wait_until_up  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture
def served_directly(isolated_store):
    """A fresh plain ``streamlit run`` of the packaged app script (no warm-up, nothing of ours before it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    build_store(isolated_store)
    proc, base = launch(isolated_store, script=ROOT / "src" / "needs_tracker" / "ui" / "streamlit_app.py")
    try:
        wait_until_up(proc, base)
        yield base
    finally:
        stop(proc)


def test_a_shared_link_opened_first_on_a_direct_run_keeps_its_page_and_filter(served_directly):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(served_directly + "/matching?states=KGZ", wait_until="domcontentloaded")
            wait_idle(page)
            main = page.locator('[data-testid="stMain"]')
            assert main.locator("h1").first.inner_text().strip() == "Matching"
            assert main.get_by_text("Needs where state is Kyrgyzstan").count() == 1
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_role("textbox", name="Words in the evidence").count() == 1
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "Gap finder" in nav and "streamlit app" not in nav, nav
            assert page.url.endswith("/matching?states=KGZ"), page.url
        finally:
            browser.close()
