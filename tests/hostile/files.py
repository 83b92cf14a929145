"""Hostile and careless files, built at test time (never committed as blobs).

Each builder writes one file into a folder and returns its path. ``build_all`` makes the
whole set next to each other, as a careless or hostile user's folder would hold them.
The sizes are chosen so the generator itself stays quick (a few seconds) while each file
still defeats a reader without a budget: the decompression ratios, not the absolute sizes,
are what a bomb relies on.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

GOOD_NOTE = (
    "Information note\n\nNational round table on resolution 1540, Almaty, 3-4 May 2016.\n"
    "Participants: Kazakhstan.\n\nKazakhstan noted a lack of trained customs officers to identify dual-use goods.\n"
)


def _minimal_docx(body_xml: bytes | None = None, extra_parts: dict[str, bytes] | None = None) -> bytes:
    """A real Word file made by python-docx, with its main part or extra parts replaced."""
    import docx

    document = docx.Document()
    document.add_paragraph("Workshop on export controls, Nairobi, 5 May 2015. Participants: Kenya.")
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if body_xml is not None and entry.filename == "word/document.xml":
                data = body_xml
            dst.writestr(entry, data)
        for name, data in (extra_parts or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def _deflated_zip_part(dst: zipfile.ZipFile, name: str, chunk: bytes, repeats: int) -> None:
    with dst.open(zipfile.ZipInfo(name), "w", force_zip64=True) as part:
        for _ in range(repeats):
            part.write(chunk)


def docx_xml_bomb(folder: Path, inflated_mb: int = 400) -> Path:
    """A .docx whose document.xml inflates ~1000:1 to hundreds of megabytes."""
    base = _minimal_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            if entry.filename == "word/document.xml":
                head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/' \
                       b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                info = zipfile.ZipInfo("word/document.xml")
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as part:
                    part.write(head)
                    chunk = b" " * (1024 * 1024)
                    for _ in range(inflated_mb):
                        part.write(chunk)
                    part.write(b"</w:t></w:r></w:p></w:body></w:document>")
            else:
                dst.writestr(entry, src.read(entry))
    path = folder / "bomb-text.docx"
    path.write_bytes(out.getvalue())
    return path


def docx_image_bomb(folder: Path, inflated_mb: int = 600) -> Path:
    """A valid .docx carrying a picture part that inflates to hundreds of megabytes."""
    base = _minimal_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            dst.writestr(entry, src.read(entry))
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated_mb):
                part.write(chunk)
    path = folder / "bomb-image.docx"
    path.write_bytes(out.getvalue())
    return path


def pdf_whitespace_streams(folder: Path, mb_per_page: int = 20, pages: int = 3) -> Path:
    """A small PDF whose pages hold tens of megabytes of compressed whitespace between text."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    line = b"(Kazakhstan needs licensing) Tj " + b" " * 2000 + b"\n"
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf 72 720 Td " + line * (mb_per_page * 1024 * 1024 // len(line)) + b" ET")
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    path = folder / "whitespace.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def long_paragraph(folder: Path, chars: int = 1_200_000) -> Path:
    """One paragraph longer than spaCy's default max_length (1,000,000 characters), ending in a need."""
    filler = "The delegations discussed the agenda at length. "
    path = folder / "long-paragraph.txt"
    path.write_text("Participants: Kazakhstan.\n\n" + filler * (chars // len(filler))
                    + "Kazakhstan needs support for licensing.\n", encoding="utf-8")
    return path


def long_participant_list(folder: Path, repeats: int = 20_000) -> Path:
    path = folder / "participants-list.txt"
    path.write_text("Participants: " + "Kazakhstan, " * repeats + "\n", encoding="utf-8")
    return path


def invisible_characters(folder: Path) -> Path:
    """A UTF-16 note with NUL, a right-to-left override and zero-width characters in its quote."""
    text = GOOD_NOTE.replace("lack of", "lack\u202e of\u200b\u0000")
    path = folder / "invisible.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return path


def awkward_names(folder: Path) -> list[Path]:
    """Good notes whose names are not UTF-8, or hold a newline that could forge a report line."""
    raw = os.fsencode(folder) + b"/caf\xe9-note.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD_NOTE.replace("Almaty", "Astana").encode("utf-8"))
    newline = folder / "forged\ningested x.txt"
    newline.write_text(GOOD_NOTE.replace("Almaty", "Aktau"), encoding="utf-8")
    return [Path(os.fsdecode(raw)), newline]


def symlink_to_private(folder: Path, private: Path) -> Path:
    private.write_text("SECRET: the server's private notes. Participants: Kazakhstan.", encoding="utf-8")
    link = folder / "innocent.txt"
    link.symlink_to(private)
    return link


def empty_and_binary(folder: Path) -> list[Path]:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.pdf").write_bytes(os.urandom(4096))
    (folder / "random.docx").write_bytes(b"PK\x03\x04" + os.urandom(2048))
    (folder / "old-word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    return [folder / n for n in ("empty.txt", "binary.pdf", "random.docx", "old-word.docx")]


def docx_entities(folder: Path, private: Path) -> list[Path]:
    """Word files whose XML declares entities: one reads a private file (XXE), one is a
    'billion laughs' expansion. The parser must neither read the file nor expand the bomb."""
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xxe = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file://' + os.fsencode(private) + b'">]>'
           b"<w:document " + ns + b"><w:body><w:p><w:r><w:t>Participants: Kenya. &secret;</w:t></w:r></w:p>"
           b"</w:body></w:document>")
    lol = b'<!ENTITY a0 "lol">' + b"".join(
        b"<!ENTITY a%d \"%s\">" % (i, b"".join(b"&a%d;" % (i - 1) for _ in range(10))) for i in range(1, 10))
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [' + lol + b"]><w:document " + ns +
              b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")
    paths = [folder / "xxe.docx", folder / "laughs.docx"]
    paths[0].write_bytes(_minimal_docx(body_xml=xxe))
    paths[1].write_bytes(_minimal_docx(body_xml=laughs))
    return paths


def pdf_stream_bomb(folder: Path, inflated_mb: int = 300) -> Path:
    """One content stream that inflates from a few hundred kilobytes to hundreds of megabytes."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.set_data(zlib.compress(b"0 0 m " * (inflated_mb * 1024 * 1024 // 6), 9))
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = folder / "stream-bomb.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def pdf_without_text(folder: Path) -> list[Path]:
    """A scanned-like PDF (pages, no text layer) and one encrypted with a password."""
    from pypdf import PdfWriter

    scanned, locked = PdfWriter(), PdfWriter()
    scanned.add_blank_page(612, 792)
    locked.add_blank_page(612, 792)
    locked.encrypt("a password nobody gave us")
    paths = [folder / "scanned.pdf", folder / "locked.pdf"]
    for writer, path in zip((scanned, locked), paths, strict=True):
        with path.open("wb") as fh:
            writer.write(fh)
    return paths


def oversized_and_blank(folder: Path) -> list[Path]:
    """A text note past the 25 MB limit (refused before it is read) and one of only whitespace."""
    big = folder / "too-big.txt"
    with big.open("wb") as fh:
        fh.truncate(26 * 1024 * 1024)  # sparse: quick to make, still 26 MB to the reader
    blank = folder / "blank.md"
    blank.write_text(" \n\t\n" * 1000, encoding="utf-8")
    return [big, blank]


def windows_1252(folder: Path) -> Path:
    path = folder / "windows-1252.txt"
    path.write_bytes(GOOD_NOTE.replace("Almaty", "Almaty \u2013 Côte").encode("cp1252"))
    return path


def build_all(folder: Path, private: Path) -> dict[str, list[Path]]:
    """Every hostile file plus two good notes, by the outcome a safe ingest must give."""
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.txt"
    good.write_text(GOOD_NOTE, encoding="utf-8")
    return {
        "rejected": [docx_xml_bomb(folder), pdf_whitespace_streams(folder), symlink_to_private(folder, private),
                     *empty_and_binary(folder), pdf_stream_bomb(folder), *pdf_without_text(folder),
                     *oversized_and_blank(folder), docx_entities(folder, private)[1]],
        "stored": [good, docx_image_bomb(folder), invisible_characters(folder), *awkward_names(folder),
                   long_paragraph(folder), long_participant_list(folder), folder / "xxe.docx", windows_1252(folder)],
    }
