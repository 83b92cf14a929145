"""The "Review offers and requests" page on the real server in headless Chromium: an editor
signs in, sees each offer's evidence marked in its paragraph with the note's own markup shown as
text (no element made from it), confirms one, and the page shows the decision; then lists the
confirmed offers, finds it there with who confirmed it, and rejects it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistance_fixture import build_assistance_store
from needs_tracker import auth

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import CHROMIUM, CHROMIUM_ARGS, serve, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser
PASSWORD = "assist-pass-1540"


@pytest.fixture
def server(isolated_store):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    build_assistance_store(isolated_store)
    with serve(isolated_store, env={auth.PASSWORD_HASH_ENV: f"Ana:{auth.hash_password(PASSWORD)}"}) as base:
        yield base


def test_an_editor_reviews_an_offer_in_the_browser(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server + "/review_assistance", wait_until="domcontentloaded")
            wait_idle(page)
            expect(page.get_by_role("heading", name="Review offers and requests")).to_be_visible()
            assert page.locator("mark").count() == 0  # a viewer gets the sign-in, not the queue
            main = page.locator('[data-testid="stMain"]')
            main.get_by_text("Editor sign-in").click()
            main.get_by_label("Editor name").fill("Ana")
            main.get_by_label("Editor password").fill(PASSWORD)
            main.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("Signed in as").first).to_be_visible(timeout=30_000)
            wait_idle(page)

            eu = page.locator("mark", has_text="The European Union could help with")
            expect(eu).to_have_text("The European Union could help with <b>licensing</b> **training** "
                                    "[x](http://evil.example).")
            assert page.locator("mark b, mark a, mark strong").count() == 0
            assert page.locator("a[href='http://evil.example']").count() == 0

            page.get_by_role("button", name="Confirm").first.click()
            expect(page.get_by_text("Confirmed offer #")).to_be_visible(timeout=30_000)
            wait_idle(page)
            expect(page.locator("mark", has_text="The European Union could help with")).to_have_count(0)
            expect(page.get_by_text("offers to review (1 confirmed)")).to_be_visible()

            # the decision can be found again (the link keeps the choice) and changed
            page.locator("[data-testid=stRadio]").get_by_text("Confirmed", exact=True).click()
            expect(page.get_by_text("Confirmed by Ana (password)")).to_be_visible(timeout=30_000)
            wait_idle(page)
            assert "decision=confirmed" in page.url
            expect(page.locator("mark", has_text="The European Union could help with")).to_have_count(1)
            page.get_by_role("button", name="Reject").first.click()
            expect(page.get_by_text("Rejected offer #")).to_be_visible(timeout=30_000)
            wait_idle(page)
            expect(page.get_by_text("offers to review (1 rejected)")).to_be_visible()
        finally:
            browser.close()
