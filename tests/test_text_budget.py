"""The text budget: a note whose text is longer than NEEDS_TRACKER_MAX_TEXT_CHARS (3 million
characters by default, about 1,000 dense pages) is refused by name, in one line, before anything
extracts it, and the rest of its batch is stored. A 300-page report is well inside the limit.
Durations and memory are printed by benchmarks/bench_extract_budget.py, not asserted here."""

from __future__ import annotations

import pytest

from needs_tracker import config, ingest
from needs_tracker.errors import ReadError
from needs_tracker.ingest import ingest_paths
from needs_tracker.readers import read_bytes, read_document
from needs_tracker.store import connect

NOTE = ("Workshop on export controls\n\nDates: 3-4 May 2016. Venue: Accra, Ghana.\n\n"
        "Participants: Ghana, Togo.\n\nGhana reported a need for training of border officials.\n")
PAGE = ("The delegation of Ghana described its national control list and the work of its licensing "
        "office over the period under review. ") * 27  # about 3,500 characters: a dense report page


def test_the_default_limit_reads_a_300_page_report_and_names_one_over_it(tmp_path):
    assert config.max_text_chars() == 3_000_000
    report = tmp_path / "annual-report.txt"
    report.write_text(NOTE + PAGE * 300)  # 300 dense pages: about 1.05 million characters
    assert len(read_document(report).text) > 1_000_000
    over = tmp_path / "over.txt"
    over.write_text("x" * 3_000_001)
    with pytest.raises(ReadError) as refused:
        read_document(over)
    assert str(refused.value) == ("over.txt: its text is 3,000,001 characters, over the 3,000,000-character "
                                  "limit for one note (about 1,000 pages); split the file, or set "
                                  "NEEDS_TRACKER_MAX_TEXT_CHARS to raise it")


def test_the_limit_counts_characters_of_the_text_not_bytes_of_the_file(monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_MAX_TEXT_CHARS", "1000")
    assert len(read_bytes(("é" * 1000).encode(), "accents.txt").text) == 1000  # 2,000 bytes, 1,000 characters
    with pytest.raises(ReadError, match=r"^accents\.txt: its text is 1,001 characters, over the 1,000-character "
                                        r"limit for one note \(about 1 page\)"):
        read_bytes(("é" * 1001).encode(), "accents.txt")


def test_a_note_over_the_limit_is_refused_by_name_before_extraction_and_the_batch_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_MAX_TEXT_CHARS", "20000")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text(NOTE)
    (folder / "b-long.txt").write_text(NOTE + PAGE * 7)  # about 24,700 characters
    (folder / "c.txt").write_text(NOTE.replace("Ghana reported", "Togo reported"))
    extracted = []
    real = ingest.ingest_documents

    def counting(docs, **kw):
        return real((extracted.append(d.file_name) or d for d in docs), **kw)

    monkeypatch.setattr(ingest, "ingest_documents", counting)
    reports = ingest_paths([folder])
    assert [(r.file_name, r.outcome) for r in reports] == [("a.txt", "ingested"), ("b-long.txt", "rejected"),
                                                          ("c.txt", "ingested")]
    assert reports[1].line() == (f"rejected  b-long.txt: its text is {len(NOTE + PAGE * 7):,} characters, over "
                                 "the 20,000-character limit for one note (about 6 pages); split the file, or set "
                                 "NEEDS_TRACKER_MAX_TEXT_CHARS to raise it")
    assert extracted == ["a.txt", "c.txt"]  # the long one never reached extraction
    with connect() as con:
        assert con.execute("select file_name from documents order by 1").fetchall() == [("a.txt",), ("c.txt",)]


def test_an_upload_over_the_limit_is_refused_by_name(monkeypatch):
    from needs_tracker import auth, review

    monkeypatch.setenv("NEEDS_TRACKER_MAX_TEXT_CHARS", "20000")
    reports = review.ingest_uploads(auth.local_editor("Ana"), [("long.txt", (NOTE + PAGE * 7).encode()),
                                                               ("short.txt", NOTE.encode())])
    assert [(r.file_name, r.outcome) for r in reports] == [("long.txt", "rejected"), ("short.txt", "ingested")]
    assert "over the 20,000-character limit" in reports[0].detail
