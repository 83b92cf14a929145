"""A failed read of an original on a workshop's page (the store changed or was damaged between
drawing the page and the press of "Download the original") is one line on the page and no file:
the browser is never handed a file holding an error under the note's own name."""

# ruff: noqa: F811  (the fixtures ``notes`` and ``recorded_downloads`` are imported from test_originals)
from __future__ import annotations

from needs_tracker.ingest import ingest_paths
from needs_tracker.store import connect
from test_originals import download, notes, recorded_downloads, workshop_of, workshop_page  # noqa: F401


def _files_offered(at, managers) -> int:
    """Download buttons on the page, and files the page's media managers hold for the browser."""
    buttons = [b for b in at.get("download_button") if "ws_original" in b.proto.id]
    return len(buttons) + sum(len(m._file_metadata) for m in managers)


def _press(at, wid: int):
    at.button(key=f"ws_original_{wid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_original_gone_from_the_store_after_the_page_was_drawn_is_one_line_and_no_file(notes,
                                                                                          recorded_downloads):
    ingest_paths([notes])
    wid = workshop_of("vienna.pdf")
    at = workshop_page(wid)
    with connect() as con:  # another writer drops it while the page is open
        con.execute("delete from document_originals where sha256 = (select document_id from workshops where id = ?)",
                    [wid])
    _press(at, wid)
    assert [e.value.replace("\\", "") for e in at.error] == [
        "The original of vienna.pdf is no longer in the store (it was changed since this page was drawn): "
        "reload the page."]
    assert _files_offered(at, recorded_downloads) == 0


def test_a_damaged_original_is_one_line_and_no_file(notes, recorded_downloads):
    ingest_paths([notes])
    wid = workshop_of("ashgabat.docx")
    at = workshop_page(wid)
    with connect() as con:
        con.execute("update document_originals set data = 'not the file'::blob "
                    "where sha256 = (select document_id from workshops where id = ?)", [wid])
    _press(at, wid)
    (line,) = [e.value.replace("\\", "") for e in at.error]
    assert line.startswith("The stored original of ashgabat.docx (")
    assert line.endswith(") does not match its sha256: the store is damaged, restore it from a backup.")
    assert "\n" not in line
    assert _files_offered(at, recorded_downloads) == 0
    assert at.button(key=f"ws_original_{wid}").label == "Download the original"  # a person may try again


def test_a_store_that_cannot_be_opened_on_the_press_is_one_line_and_no_file(notes, recorded_downloads):
    import os

    ingest_paths([notes])
    wid = workshop_of("abidjan.txt")
    at = workshop_page(wid)
    store = os.environ["NEEDS_TRACKER_DB"]
    with open(store, "r+b") as damaged:  # the disk under the store fails: its first pages are garbage
        damaged.write(b"\xde\xad" * 8192)
    _press(at, wid)
    (line,) = [e.value.replace("\\", "") for e in at.error]
    assert f"the store {store} is damaged" in line.lower()
    assert "restore it from a backup" in line
    assert "\n" not in line and "Traceback" not in line
    assert _files_offered(at, recorded_downloads) == 0


def test_a_good_original_is_offered_only_after_its_bytes_were_checked(notes, recorded_downloads):
    ingest_paths([notes])
    wid = workshop_of("abidjan.txt")
    at = workshop_page(wid)
    assert _files_offered(at, recorded_downloads) == 0  # drawing the page offers no file yet
    label, name, served = download(at, recorded_downloads, f"ws_original_{wid}")
    assert (label, name, served.content) == ("Save abidjan.txt", "abidjan.txt", (notes / "abidjan.txt").read_bytes())


def test_a_fetched_original_is_let_go_when_another_workshop_is_shown(notes, recorded_downloads):
    ingest_paths([notes])
    first, other = workshop_of("abidjan.txt"), workshop_of("vienna.pdf")
    at = workshop_page(first)
    _press(at, first)
    assert at.session_state["ws_original_prepared"][1] == (notes / "abidjan.txt").read_bytes()
    at.query_params["workshop"] = str(other)
    at.run()
    assert not at.exception
    assert "ws_original_prepared" not in at.session_state
