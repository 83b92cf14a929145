"""Turn a note file (txt, md, pdf, docx) into one exact text that everything downstream trusts.

Evidence quotes are stored as character spans into this text, so reading must be faithful:
text files keep every character (only newlines are normalised), PDFs and Word files are read
the same way the gold labels were made. A file we cannot read gives a ``ReadError`` that says
why in words a person understands; nothing here touches the store.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from needs_tracker import config
from needs_tracker.errors import ReadError

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
_SUPPORTED = ", ".join(SUPPORTED_SUFFIXES)
_CONTROL_SHARE_LIMIT = 0.05  # above this share of control characters, "text" is really binary
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc files and password-protected Office files


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


def read_document(path: str | os.PathLike, *, max_bytes: int | None = None) -> SourceDocument:
    """Read a note from disk; the size is checked before a single byte is read."""
    name = PurePath(path).name
    fmt = _format_of(name)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError(name, "no such file") from None
    except OSError as exc:
        raise ReadError(name, f"cannot open file: {exc.strerror or exc}") from None
    if not Path(path).is_file():
        raise ReadError(name, "is a folder, not a file")
    _check_size(name, st.st_size, max_bytes)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(name, f"cannot read file: {exc.strerror or exc}") from None
    return _build(str(path), name, fmt, data, max_bytes)


def read_bytes(data: bytes, file_name: str, *, max_bytes: int | None = None) -> SourceDocument:
    """Read an uploaded note held in memory; ``file_name`` decides the format."""
    name = PurePath(file_name).name
    fmt = _format_of(name)
    return _build(file_name, name, fmt, bytes(data), max_bytes)


def iter_note_files(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """The readable notes under the given files and folders (recursive), sorted, each once.

    Hidden files and Word's ``~$`` lock files inside folders are skipped.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: set[Path] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for child in p.rglob("*"):
                rel = child.relative_to(p).parts
                if any(part.startswith((".", "~$")) for part in rel):
                    continue
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.add(child)
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED_SUFFIXES:
                found.add(p)
        else:
            raise ReadError(str(given), "no such file or folder")
    return sorted(found)


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
    if not text.strip():
        raise ReadError(name, "no usable text")
    return SourceDocument(
        path=path,
        file_name=name,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        text=text,
        encoding=encoding,
        warnings=tuple(warnings),
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
            raise ReadError(name, "binary data, not text") from None
        encoding = "cp1252"
        warnings.append("not valid UTF-8; read as Windows-1252 (cp1252)")
    controls = sum(1 for ch in text if _is_control(ch))
    if text and controls / len(text) > _CONTROL_SHARE_LIMIT:
        raise ReadError(name, "binary data, not text")
    return text, encoding


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\t\n\r\f\v") or 0x7F <= code <= 0x9F


def _pdf_text(name: str, data: bytes, warnings: list[str]) -> str:
    """Each page's ``extract_text()``, pages joined by newlines: how the gold labels were made."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

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
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except Exception as exc:  # a hostile or broken file can trip any part of pypdf
        raise ReadError(name, f"corrupt PDF: {_describe(exc)}") from None
    if not pages:
        raise ReadError(name, "PDF has no pages")
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(name, "PDF has no text layer (scanned?)")
    blank = sum(1 for p in pages if not p.strip())
    if blank:
        warnings.append(f"{blank} of {len(pages)} pages have no text (scanned pages?)")
    return text


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

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except Exception as exc:  # zip, XML and package errors all mean the same to the user
        raise ReadError(name, f"damaged Word file: {_describe(exc)}") from None
    return "\n".join(lines)


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
