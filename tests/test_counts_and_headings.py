"""Counts in words where the shipped model is rebuilt ("1 need", not "1 needs"), and the heading length that
the reader and the extractor share from one light module (the reader must not import the extractor)."""

from __future__ import annotations

import subprocess
import sys

from needs_tracker import headings, reader_text
from needs_tracker.extract import text
from needs_tracker.learn.build_default import summary

SHA = "0123456789abcdef" * 4


def test_the_rebuild_line_counts_in_words():
    one = {"needs": 1, "not_needs": 1, "documents": 1, "data_sha256": SHA}
    assert summary("model.skops", one) == ("wrote model.skops: 1 need and 1 other statement from 1 document "
                                           "(data 0123456789ab)")
    many = {"needs": 1200, "not_needs": 0, "documents": 2, "data_sha256": SHA}
    assert summary("model.skops", many) == ("wrote model.skops: 1,200 needs and 0 other statements from "
                                            "2 documents (data 0123456789ab)")


def test_the_reader_and_the_extractor_share_one_heading_length():
    assert reader_text.HEADING_WORDS_MAX is headings.HEADING_WORDS_MAX is text.HEADING_WORDS_MAX


def test_reading_a_file_does_not_import_the_extractor():
    code = ("import sys, needs_tracker.readers, needs_tracker.reader_text; "
            "print(sorted(m for m in sys.modules if m.startswith(('needs_tracker.extract', 'spacy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
