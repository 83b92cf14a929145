"""A fetched original (the two-step "Download the original" on a workshop's page) is held in the
session only while that workshop's page is shown: going to another page, or back to the list of
workshops, lets its bytes go, and the file the browser was offered with them. Staying on the page
keeps them. Through AppTest on three real notes (the fixtures of tests/test_originals.py)."""

# ruff: noqa: F811  (the fixtures ``notes`` and ``recorded_downloads`` are imported from test_originals)
from __future__ import annotations

import pytest

from apptest_helpers import PAGES
from needs_tracker.ingest import ingest_paths
from test_originals import download, notes, recorded_downloads, workshop_of, workshop_page  # noqa: F401

HELD = "ws_original_prepared"


def _fetched(notes, recorded_downloads):
    """The workshop page of abidjan.txt with its original fetched (the Save button offered)."""
    ingest_paths([notes])
    wid = workshop_of("abidjan.txt")
    at = workshop_page(wid)
    label, _, served = download(at, recorded_downloads, f"ws_original_{wid}")
    assert label == "Save abidjan.txt" and at.session_state[HELD][1] == served.content
    return at, wid


def _save_buttons(at) -> list:
    return [b for b in at.get("download_button") if "ws_original_save_" in b.proto.id]


def test_the_fetched_original_is_kept_while_its_page_is_shown(notes, recorded_downloads):
    at, _ = _fetched(notes, recorded_downloads)
    at.run()  # any rerun of the same page (a widget, a fragment)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[HELD][1] == (notes / "abidjan.txt").read_bytes()
    assert len(_save_buttons(at)) == 1


@pytest.mark.parametrize("page", ["overview", "matching", "search"])
def test_going_to_another_page_lets_the_original_go(notes, recorded_downloads, page):
    at, _ = _fetched(notes, recorded_downloads)
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert HELD not in at.session_state
    assert sum(len(m._file_metadata) for m in recorded_downloads[-1:]) == 0  # nor is the file offered any more


def test_going_back_to_the_list_of_workshops_lets_the_original_go(notes, recorded_downloads):
    at, _ = _fetched(notes, recorded_downloads)
    at.button(key="ws_back").click().run()  # "All workshops"
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Workshops"]
    assert HELD not in at.session_state


def test_coming_back_to_the_workshop_offers_the_first_step_again(notes, recorded_downloads):
    at, wid = _fetched(notes, recorded_downloads)
    at.switch_page(f"{PAGES}/overview.py").run()
    at.switch_page(f"{PAGES}/workshops.py").run()  # the link still names the workshop
    assert not at.exception, [e.value for e in at.exception]
    assert _save_buttons(at) == []
    assert at.button(key=f"ws_original_{wid}").label == "Download the original"
