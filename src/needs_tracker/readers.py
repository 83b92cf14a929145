"""Turn a note file (txt, md, pdf, docx) into one exact text that everything downstream trusts.

Evidence quotes are stored as character spans into this text, so reading must be faithful:
text files keep every character (only newlines are normalised), PDFs and Word files are read
the same way the gold labels were made. A file we cannot read gives a ``ReadError`` that says
why in words a person understands; nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from needs_tracker import config
from needs_tracker.errors import ReadError
from needs_tracker.reader_text import in_legacy_encoding, is_mojibake, unwrap_pdf_lines
from needs_tracker.wording import counted

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
_SUPPORTED = ", ".join(SUPPORTED_SUFFIXES)
UNSUPPORTED_ENCODING = ("not in a supported encoding (UTF-8, UTF-16 with a byte-order mark or Windows-1252 "
                        "are read); save it as UTF-8")
_CONTROL_SHARE_LIMIT = 0.05  # above this share of control characters, "text" is really binary
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc files and password-protected Office files
_MAX_NAME_CHARS = 255
# Reading budgets: one hostile file must be rejected by name, not exhaust the server.
DOCX_MAX_TEXT_BYTES = 48 * 1024 * 1024  # inflated XML of a Word note (a 300-page report is ~5 MB)
DOCX_MAX_RATIO = 200  # zip compresses real XML 5-30:1; a bomb compresses 1000:1
DOCX_MAX_PARTS = 5000
PDF_MAX_PAGE_INSTRUCTION_BYTES = 4 * 1024 * 1024  # a dense page of text is ~50 KB of instructions
PDF_MAX_INSTRUCTION_BYTES = 64 * 1024 * 1024
PDF_MAX_SECONDS = 60.0
CHARS_PER_PAGE = 3000  # a dense page of a report, to say a text limit in pages
# Characters that change how text looks or reads without being seen: C0 controls other than
# tab/newline/form feed, DEL and C1 controls, soft hyphen, zero-width space/joiners, bidi marks,
# embeddings, overrides and isolates, word joiner and a byte-order mark inside the text. They
# are removed from the stored text (the document keeps its sha256), so a quote can neither hide
# a right-to-left override nor break a word a search looks for.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")
_UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class SourceDocument:
    path: str  # as given
    file_name: str  # basename
    format: str  # "txt" | "md" | "pdf" | "docx"
    sha256: str  # hex sha256 of the file's bytes
    size_bytes: int
    text: str  # normalised text
    encoding: str | None  # text files: "utf-8", "utf-8-sig", "utf-16", "cp1252"; None for pdf/docx
    warnings: tuple[str, ...] = ()
    # The file's bytes, kept by the store beside the text (store.originals); None for a document
    # built in code. Not part of equality or repr: a 25 MB PDF is not printed or compared.
    original: bytes | None = field(default=None, repr=False, compare=False)


def read_document(path: str | os.PathLike, *, max_bytes: int | None = None) -> SourceDocument:
    """Read a note from disk; the size is checked before a single byte is read.

    A symbolic link is refused by its own name: a link inside an ingested folder could point
    at any file on the server, and its text would be shown to every viewer.
    """
    name = display_name(PurePath(path).name)
    if os.path.islink(path):
        raise ReadError(name, "is a symbolic link; links are not followed (give the file itself)")
    try:  # before the extension: a missing path or a folder is that, not "a file with no extension"
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError(name, "no such file") from None
    except OSError as exc:
        raise ReadError(name, f"cannot open file: {exc.strerror or exc}") from None
    if Path(path).is_dir():
        raise ReadError(name, "is a folder, not a file")
    if not Path(path).is_file():
        raise ReadError(name, "is not a regular file (a device, pipe or socket)")
    fmt = _format_of(name)
    _check_size(name, st.st_size, max_bytes)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(name, f"cannot read file: {exc.strerror or exc}") from None
    return _build(display_name(str(path)), name, fmt, data, max_bytes)


def read_bytes(data: bytes, file_name: str, *, max_bytes: int | None = None) -> SourceDocument:
    """Read an uploaded note held in memory; ``file_name`` decides the format.

    Only the base name of an uploaded file is kept (``../../etc/x.txt`` is ``x.txt``): the
    browser's name is not a path on this server.
    """
    name = display_name(PureWindowsPath(PurePosixPath(file_name).name).name)
    fmt = _format_of(name)
    return _build(name, name, fmt, bytes(data), max_bytes)


def display_name(raw: str, limit: int = _MAX_NAME_CHARS) -> str:
    """A file name or path that any report line, the store and a web page can hold.

    Bytes that are not UTF-8 (a Linux file name may hold any) become U+FFFD, and control,
    bidirectional and zero-width characters become "?", so a name can neither abort a batch
    with an encoding error nor forge a line of the ingest report. It is cut at ``limit``
    characters (a report line's detail, which is not a name, passes a larger one).
    """
    text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNSAFE_IN_NAME.sub("?", text)[:limit]


def iter_note_files(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """The readable notes under the given files and folders (recursive), sorted, each once.

    Hidden files and Word's ``~$`` lock files inside folders are skipped. Symbolic links
    inside a folder are listed but never followed: ``read_document`` rejects each by its own
    name, so the report says what was skipped.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: set[Path] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found.update(_walk_folder(p))
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.add(p)
        else:
            raise ReadError(str(given), "no such file or folder")
    return sorted(found)


def _walk_folder(folder: Path) -> Iterable[Path]:
    for here, dirs, files in os.walk(folder, followlinks=False):
        base = Path(here)
        dirs[:] = [d for d in dirs if not d.startswith((".", "~$"))]
        for d in dirs:
            if (base / d).is_symlink():
                yield base / d  # not descended into: os.walk does not follow it
        for f in files:
            if f.startswith((".", "~$")):
                continue
            child = base / f
            if child.is_symlink() or child.suffix.lower() in SUPPORTED_SUFFIXES:
                yield child


def _format_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if not suffix:
            raise ReadError(name, f"file has no extension (supported: {_SUPPORTED})")
        raise ReadError(name, f"unsupported file type '{suffix}' (supported: {_SUPPORTED})")
    return suffix[1:]


def _human_size(n: float, *, trim: bool = False) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            value = f"{n / scale:.1f}"
            if trim:
                value = value.removesuffix(".0")
            return f"{value} {unit}"
    return f"{int(n)} bytes"


def _check_size(name: str, size: int, max_bytes: int | None) -> None:
    limit = config.max_file_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ReadError(
            name,
            f"file is {_human_size(size)}, over the {_human_size(limit, trim=True)} limit "
            "(set NEEDS_TRACKER_MAX_FILE_MB to raise it)",
        )
    if size == 0:
        raise ReadError(name, "empty file")


def _check_text_length(name: str, text: str) -> None:
    """Refuse a text longer than NEEDS_TRACKER_MAX_TEXT_CHARS before anything extracts it.

    Extraction is linear but not cheap (about 3 s and 45 MB per million characters of prose
    here, twice that on a loaded machine), and the file limit lets 25 MB of text through: one
    such file held a batch (or the upload page) for minutes and took a GB. The default, 3 million
    characters, is about 1,000 dense pages, three times a 300-page report."""
    limit = config.max_text_chars()
    if len(text) > limit:
        pages = max(1, limit // CHARS_PER_PAGE)
        raise ReadError(name, f"its text is {len(text):,} characters, over the {limit:,}-character limit for one "
                              f"note (about {counted(pages, 'page')}); split the file, or set "
                              "NEEDS_TRACKER_MAX_TEXT_CHARS to raise it")


def _build(path: str, name: str, fmt: str, data: bytes, max_bytes: int | None) -> SourceDocument:
    _check_size(name, len(data), max_bytes)
    warnings: list[str] = []
    encoding: str | None = None
    if fmt == "pdf":
        text = _pdf_text(name, data, warnings)
    elif fmt == "docx":
        text = _docx_text(name, data)
    else:
        text, encoding = _decode(name, data, warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, removed = _INVISIBLE.subn("", text)
    if removed:
        warnings.append(f"removed {removed} invisible control characters (NUL, bidirectional or zero-width)")
    if not text.strip():
        raise ReadError(name, "no usable text")
    _check_text_length(name, text)
    return SourceDocument(
        path=path,
        file_name=name,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        text=text,
        encoding=encoding,
        warnings=tuple(warnings),
        original=data,
    )


def _decode(name: str, data: bytes, warnings: list[str]) -> tuple[str, str]:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; binary data is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise ReadError(name, "binary data, not text")
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            label = "UTF-16" if encoding == "utf-16" else "UTF-8"
            raise ReadError(name, f"invalid {label} text after a {label} byte-order mark") from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            if in_legacy_encoding(data):  # Japanese, Chinese, Cyrillic ... text: say so, not "binary"
                raise ReadError(name, UNSUPPORTED_ENCODING) from None
            raise ReadError(name, "binary data, not text") from None
        encoding = "cp1252"
        if is_mojibake(text):  # Shift-JIS, GBK, KOI8-R ... read as cp1252: nonsense, not a note
            raise ReadError(name, UNSUPPORTED_ENCODING) from None
        warnings.append("not valid UTF-8; read as Windows-1252 (cp1252)")
    controls = sum(1 for ch in text if _is_control(ch))
    if text and controls / len(text) > _CONTROL_SHARE_LIMIT:
        raise ReadError(name, "binary data, not text")
    return text, encoding


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\t\n\r\f\v") or 0x7F <= code <= 0x9F


def _pdf_text(name: str, data: bytes, warnings: list[str]) -> str:
    """Each page's ``extract_text()`` with its wrapped lines joined (``unwrap_pdf_lines``), pages
    joined by newlines.

    A page's drawing instructions are measured before its text is extracted: a small file can
    hold hundreds of megabytes of compressed instructions (whitespace, say), which pypdf would
    spend minutes walking. Such a page is skipped with a warning; a document past the budget
    for all its pages, or past the time budget, is rejected.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError

    started = time.monotonic()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about broken files are ours to word
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise ReadError(
                    name, "PDF is encrypted with AES (install the 'cryptography' package to open it)"
                ) from None
            if not opened:
                raise ReadError(name, "PDF is encrypted")
            warnings.append("PDF was encrypted with an empty password; opened it")
        pages: list[str] = []
        skipped: list[int] = []
        instructions = 0
        for number, page in enumerate(reader.pages, start=1):
            size = _pdf_instruction_bytes(page)
            instructions += size
            if instructions > PDF_MAX_INSTRUCTION_BYTES:
                raise ReadError(name, f"PDF pages hold over {_human_size(PDF_MAX_INSTRUCTION_BYTES, trim=True)} "
                                      "of drawing instructions; too large to read as a note")
            if size > PDF_MAX_PAGE_INSTRUCTION_BYTES:
                skipped.append(number)
                pages.append("")
                continue
            pages.append(unwrap_pdf_lines(page.extract_text() or ""))  # justified lines read as the .txt
            if time.monotonic() - started > PDF_MAX_SECONDS:
                raise ReadError(name, f"PDF took over {PDF_MAX_SECONDS:.0f} s to read; too complex for a note")
    except ReadError:
        raise
    except LimitReachedError:
        raise ReadError(name, "a PDF stream inflates past the reader's limit (a decompression bomb)") from None
    except Exception as exc:  # a hostile or broken file can trip any part of pypdf
        raise ReadError(name, f"corrupt PDF: {_describe(exc)}") from None
    if not pages:
        raise ReadError(name, "PDF has no pages")
    text = "\n".join(pages)
    if not text.strip() and skipped:
        limit = _human_size(PDF_MAX_PAGE_INSTRUCTION_BYTES, trim=True)
        raise ReadError(name, f"every page with content holds over {limit} of drawing instructions; "
                              "too large to read as a note")
    if not text.strip():
        raise ReadError(name, "PDF has no text layer (scanned?)")
    if skipped:
        warnings.append(f"skipped page(s) {', '.join(map(str, skipped))}: over "
                        f"{_human_size(PDF_MAX_PAGE_INSTRUCTION_BYTES, trim=True)} of drawing instructions")
    blank = sum(1 for p in pages if not p.strip()) - len(skipped)
    if blank:
        warnings.append(f"{blank} of {len(pages)} pages have no text (scanned pages?)")
    return text


def _pdf_instruction_bytes(page) -> int:
    """The decoded size of a page's content streams (pypdf caps each stream's inflation)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def _docx_text(name: str, data: bytes) -> str:
    """Paragraphs and tables in document order, joined by newlines; a table row is one
    line with its cells separated by " | ", so "Kenya | Ministry of Foreign Affairs" stays
    together (a participants table reads as one state a line)."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError(
            name, "damaged Word file: this is an old .doc or a password-protected file; save it as .docx"
        )
    import docx
    from docx.table import Table

    package = _docx_within_budget(name, data)
    try:
        document = docx.Document(package)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except Exception as exc:  # zip, XML and package errors all mean the same to the user
        raise ReadError(name, f"damaged Word file: {_describe(exc)}") from None
    return "\n".join(lines)


def _docx_within_budget(name: str, data: bytes) -> io.BytesIO:
    """The Word package rebuilt from its text parts only, after checking the zip directory.

    A .docx is a zip: a few megabytes can inflate to gigabytes. Sizes and compression ratios
    are read from the zip's directory before anything is inflated; media and embedded parts
    (pictures, fonts, other documents) are never inflated at all and reach python-docx as empty
    parts, since only the text is read. Each kept part is read with its declared size as a hard
    cap, so a directory that lies about sizes cannot inflate more than it declared.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(name, f"damaged Word file: {_describe(exc)}") from None
    if len(entries) > DOCX_MAX_PARTS:
        raise ReadError(name, f"Word file has {len(entries)} parts (at most {DOCX_MAX_PARTS}); not a note")
    text_parts = [e for e in entries if not _is_media_part(e.filename)]
    total = sum(e.file_size for e in text_parts)
    if total > DOCX_MAX_TEXT_BYTES:
        raise ReadError(name, f"Word file's text parts inflate to {_human_size(total)}, over the "
                              f"{_human_size(DOCX_MAX_TEXT_BYTES, trim=True)} limit for a note")
    for entry in text_parts:
        if entry.file_size > 1024 * 1024 and entry.file_size > DOCX_MAX_RATIO * max(entry.compress_size, 1):
            raise ReadError(name, f"Word part {display_name(entry.filename)} is compressed "
                                  f"{entry.file_size // max(entry.compress_size, 1)}:1, a decompression bomb")
    rebuilt = io.BytesIO()
    try:
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as out:
            for entry in entries:
                if _is_media_part(entry.filename):
                    out.writestr(entry.filename, b"")
                    continue
                with archive.open(entry) as part:
                    out.writestr(entry.filename, part.read(entry.file_size + 1)[: entry.file_size])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise ReadError(name, f"damaged Word file: {_describe(exc)}") from None
    rebuilt.seek(0)
    return rebuilt


def _is_media_part(part_name: str) -> bool:
    """Parts python-docx needs only as blobs: everything but XML and relationship parts."""
    lower = part_name.lower()
    return not lower.endswith((".xml", ".rels")) or "/embeddings/" in lower or "/media/" in lower


def _table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell is repeated across the grid
                continue
            seen.add(cell._tc)
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
            for inner in cell.tables:
                lines.extend(_table_lines(inner))
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _describe(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__
