"""Reading notes: exact text for good files, a plain-words ReadError for bad ones."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import re
from pathlib import Path

import pytest

from needs_tracker.errors import ReadError
from needs_tracker.readers import (
    SUPPORTED_SUFFIXES,
    SourceDocument,
    iter_note_files,
    read_bytes,
    read_document,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
IVOIRE = "Côte d’Ivoire"


def _noise(n: int = 2000, seed: int = 1540) -> bytes:
    data = bytearray(random.Random(seed).randbytes(n))
    data[10] = 0  # make sure there is a NUL
    return bytes(data)


def _pdf(path: Path, pages: list[str], **encryption) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if any(pages):
        if not FONT.exists():
            pytest.skip(f"{FONT} is not available on this machine")
        pdf.add_font("DejaVu", fname=str(FONT))
        pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))
    return path


def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("Bhutan needs a licence system.\n".encode(), "utf-8", "Bhutan needs a licence system.\n"),
        (f"{IVOIRE} lacks scanners.".encode(), "utf-8", f"{IVOIRE} lacks scanners."),
        (b"\xef\xbb\xbf" + IVOIRE.encode(), "utf-8-sig", IVOIRE),
        (IVOIRE.encode("utf-16"), "utf-16", IVOIRE),
        (b"\xff\xfe" + "Viet Nam\r\n".encode("utf-16-le"), "utf-16", "Viet Nam\n"),
        (b"\xfe\xff" + "Viet Nam".encode("utf-16-be"), "utf-16", "Viet Nam"),
        (IVOIRE.encode("cp1252"), "cp1252", IVOIRE),
        (b"one\r\ntwo\rthree\nfour", "utf-8", "one\ntwo\nthree\nfour"),
        (b"  **Fiji**\t needs   training  \n\n", "utf-8", "  **Fiji**\t needs   training  \n\n"),
    ],
    ids=["ascii", "utf8", "utf8-bom", "utf16", "utf16-le-crlf", "utf16-be", "cp1252", "newlines", "verbatim"],
)
def test_text_files_decode_exactly(tmp_path, data, encoding, text):
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert (doc.text, doc.encoding, doc.format) == (text, encoding, "txt")
    assert bool(doc.warnings) == (encoding == "cp1252")


def test_document_fields(tmp_path):
    data = "# Notes\r\nSamoa needs a control list.\r\n".encode()
    path = tmp_path / "sub" / "Samoa.MD"
    path.parent.mkdir()
    path.write_bytes(data)
    doc = read_document(str(path))
    assert doc == SourceDocument(
        path=str(path),
        file_name="Samoa.MD",
        format="md",
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        text="# Notes\nSamoa needs a control list.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \r\n\t\n", "no usable text"),
        ("noise.txt", _noise(), "binary data, not text"),
        ("controls.txt", b"ab\x01\x02\x03\x04cd\x05\x06", "binary data, not text"),
        ("undefined.txt", b"abc\x81\x8d\x8f def", "binary data, not text"),
        ("odd.txt", b"\xff\xfeA", "invalid UTF-16 text after a UTF-16 byte-order mark"),
        ("big.txt", b"x" * 101, "file is 101 bytes, over the 100 bytes limit"),
        ("note.rtf", b"{\\rtf1 hello}", "unsupported file type '.rtf' (supported: .txt, .md, .pdf, .docx)"),
        ("README", b"hello", "file has no extension"),
        ("garbage.pdf", b"%PDF-1.4\n" + _noise(), "corrupt PDF"),
        ("damaged.docx", _noise(), "damaged Word file"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _noise(), "old .doc or a password-protected"),
    ],
)
def test_unreadable_files_raise_read_error(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    for read in (
        lambda: read_document(path, max_bytes=100 if name == "big.txt" else None),
        lambda: read_bytes(data, name, max_bytes=100 if name == "big.txt" else None),
    ):
        with pytest.raises(ReadError) as info:
            read()
        assert reason in info.value.reason
        assert info.value.file_name == name


def test_size_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: 40 MB on paper, nothing on disk
        fh.truncate(40 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    limit = r"file is 40\.0 MB, over the 25 MB limit \(set NEEDS_TRACKER_MAX_FILE_MB to raise it\)"
    with pytest.raises(ReadError, match=limit):
        read_document(path)
    monkeypatch.setenv("NEEDS_TRACKER_MAX_FILE_MB", "0.5")
    with pytest.raises(ReadError, match=r"over the 512 KB limit"):
        read_document(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ReadError, match="is a folder"):
        read_document(tmp_path / "folder.txt")


def test_pdf_text_is_read(tmp_path):
    path = _pdf(tmp_path / "note.pdf", [f"{IVOIRE} lacks detection equipment.", "Page two: Việt Nam."])
    doc = read_document(path)
    assert (doc.format, doc.encoding, doc.warnings) == ("pdf", None, ())
    assert IVOIRE in doc.text
    assert doc.text.index(IVOIRE) < doc.text.index("Page two")
    assert "Việt Nam" in doc.text


def test_pdf_with_an_empty_user_password_opens_with_a_warning(tmp_path):
    path = _pdf(tmp_path / "locked.pdf", [IVOIRE], owner_password="owner", user_password="")
    doc = read_document(path)
    assert IVOIRE in doc.text
    assert any("encrypted" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("pages", "encryption", "reason"),
    [
        ([IVOIRE], {"owner_password": "owner", "user_password": "user"}, "PDF is encrypted"),
        ([""], {}, "PDF has no text layer (scanned?)"),
    ],
    ids=["encrypted", "blank-page"],
)
def test_unreadable_pdfs(tmp_path, pages, encryption, reason):
    path = _pdf(tmp_path / "bad.pdf", pages, **encryption)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.reason == reason


def test_truncated_pdf_is_corrupt(tmp_path):
    whole = _pdf(tmp_path / "whole.pdf", ["Tonga needs training."]).read_bytes()
    with pytest.raises(ReadError, match="corrupt PDF"):
        read_bytes(whole[: len(whole) // 3], "cut.pdf")


def test_docx_tables_read_in_place_one_row_a_line(tmp_path):
    path = _docx(
        tmp_path / "note.docx",
        ["Title: Pacific workshop", "", f"{IVOIRE} needs a national action plan."],
        table=[["State", "Need"], ["Fiji", "control lists"]],
    )
    doc = read_document(path)
    assert (doc.format, doc.encoding) == ("docx", None)
    assert doc.text == (
        f"Title: Pacific workshop\n\n{IVOIRE} needs a national action plan.\nState | Need\nFiji | control lists"
    )


def test_docx_without_tables_is_just_paragraphs(tmp_path):
    path = _docx(tmp_path / "note.docx", ["one", "two"])
    assert read_document(path).text == "one\ntwo"


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_read_bytes_matches_read_document(tmp_path, suffix):
    path = tmp_path / f"note{suffix}"
    if suffix == ".pdf":
        _pdf(path, [IVOIRE])
    elif suffix == ".docx":
        _docx(path, [IVOIRE])
    else:
        path.write_text(f"{IVOIRE}\r\n", encoding="utf-8")
    data = path.read_bytes()
    from_disk = read_document(path)
    from_upload = read_bytes(data, path.name)
    assert from_upload == dataclasses.replace(from_disk, path=path.name)
    assert from_disk.sha256 == hashlib.sha256(data).hexdigest()
    assert from_disk.size_bytes == len(data)


def test_iter_note_files_walks_folders(tmp_path):
    files = [
        "a.txt",
        "b/c.MD",
        "b/d/e.pdf",
        "b/d/f.docx",
        "b/skip.rtf",
        "b/.hidden.txt",
        "b/~$f.docx",
        ".git/x.txt",
        "z.docx",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = iter_note_files([tmp_path / "b", tmp_path / "z.docx", tmp_path / "a.txt", tmp_path / "b"])
    assert found == sorted(tmp_path / n for n in ["a.txt", "b/c.MD", "b/d/e.pdf", "b/d/f.docx", "z.docx"])
    assert iter_note_files(str(tmp_path / "a.txt")) == [tmp_path / "a.txt"]
    assert iter_note_files([tmp_path / "b" / "skip.rtf"]) == []
    with pytest.raises(ReadError) as info:
        iter_note_files([tmp_path / "a.txt", tmp_path / "nowhere"])
    assert info.value.reason == "no such file or folder"
    assert info.value.file_name == str(tmp_path / "nowhere")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("name", "collapse"),
    [("D05_south-east-asia-enforcement.pdf", True), ("D04_pacific-legislation-maritime.docx", False)],
)
def test_shared_corpus_quotes_are_found(name, collapse):
    corpus = SHARED / "corpus" / "synthetic"
    if not (corpus / "notes" / name).exists():
        pytest.skip(f"{corpus} is not available on this machine")
    gold = next(g for g in json.loads((corpus / "gold.json").read_text("utf-8")) if g["file"] == name)
    doc = read_document(os.fspath(corpus / "notes" / name))
    quotes = {need["evidence"] for need in gold["needs"]}
    assert quotes
    for quote in quotes:
        if collapse:
            assert _collapse(quote) in _collapse(doc.text)
        else:
            assert quote in doc.text
