"""The real server in headless Chromium: a viewer opens a workshop's page, presses "Download the
original" then "Save NAME", and the browser saves the very file that was ingested, under its own name, as an
attachment (never opened as a page)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from needs_tracker.ingest import ingest_paths
from needs_tracker.store import connect
from test_originals import ASHGABAT, VIENNA, make_docx, make_pdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import CHROMIUM, CHROMIUM_ARGS, serve, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser


def test_a_viewer_saves_the_original_pdf_and_docx_from_the_browser(isolated_store, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    from playwright.sync_api import sync_playwright

    notes = tmp_path / "notes"
    notes.mkdir()
    files = [make_pdf(notes / "vienna.pdf", VIENNA, scan_bytes=200_000), make_docx(notes / "ashgabat.docx", ASHGABAT)]
    ingest_paths([notes])
    with connect() as con:
        ids = dict(con.execute("select d.file_name, w.id from workshops w join documents d on d.id = w.document_id"
                               ).fetchall())
    with serve(isolated_store) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            for path in files:
                page.goto(f"{base}/workshops?workshop={ids[path.name]}", wait_until="domcontentloaded")
                wait_idle(page)
                page.get_by_role("button", name="Download the original").click()
                with page.expect_download(timeout=30_000) as pressed:
                    page.get_by_role("button", name=f"Save {path.name}").click(timeout=30_000)
                saved = tmp_path / f"saved-{path.name}"
                pressed.value.save_as(saved)
                assert pressed.value.suggested_filename == path.name
                assert saved.read_bytes() == path.read_bytes()
                assert page.url.endswith(f"/workshops?workshop={ids[path.name]}")  # the page stays; no file shown
        finally:
            browser.close()
