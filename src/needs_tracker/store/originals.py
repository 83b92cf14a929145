"""The original bytes of every ingested note, so a person can open the file a fact rests on.

The store keeps each document's text and the sha256 of its bytes; committee staff checking a gap
against its note sometimes need the file itself (a PDF's layout, tables, signatures), and a store
moved to another machine must still hold it. The bytes live in ``document_originals``, a table of
their own keyed by the sha256 (which is ``documents.id``):

- identical files are stored once, and the viewers' reads of ``documents`` never scan a BLOB
  (the in-memory copy for viewers, ``matching_base.REPLICA``, copies named tables and not this one);
- they are written in the ingest's own transaction (``writes.insert_document`` and
  ``writes.insert_new_batch``), so a document never stands without its bytes or the reverse;
- nothing deletes them: a superseded version keeps its own, ``reprocess`` never touches them;
- no foreign key: DuckDB cannot rebuild a referenced table, and a later migration of ``documents``
  would then have to move every original twice.

A note ingested before schema 5 (or written in code, without its file) has no original; ``info``
says so in words a person reads, and why.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import NeedsTrackerError

SCHEMA_VERSION_KEEPING = 5  # the migration that began keeping originals
# DuckDB holds one BLOB value of at most 4 GB; the readers' limit (NEEDS_TRACKER_MAX_FILE_MB) may be
# set higher, and such a note is then stored with its text but without its file.
MAX_ORIGINAL_BYTES = 4 * 1024 ** 3 - 1
MIME_TYPES = {"pdf": "application/pdf",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "txt": "text/plain", "md": "text/markdown"}
_HEX = re.compile(r"[0-9a-f]{6,64}")


def m005_originals(con) -> None:
    """Schema 5: the table of original files. Documents stored before have none (and say so)."""
    con.execute("create table document_originals (sha256 varchar primary key, data blob not null)")


def keep(con, docs) -> int:
    """Store the bytes of ``docs`` (``readers.SourceDocument``s) in the caller's transaction, one
    INSERT for all; a document without bytes, or over DuckDB's limit, is skipped. Returns how many
    were stored."""
    import pyarrow as pa

    rows = {d.sha256: data for d in docs
            if (data := getattr(d, "original", None)) is not None and len(data) <= MAX_ORIGINAL_BYTES}
    if not rows:
        return 0
    arrow = pa.table({"sha256": pa.array(list(rows), pa.string()),
                      "data": pa.array(list(rows.values()), pa.large_binary())})  # 64-bit offsets: many MB
    con.register("incoming_originals", arrow)
    try:
        con.execute("insert into document_originals (sha256, data) select sha256, data from incoming_originals "
                    "on conflict do nothing")
    finally:
        con.unregister("incoming_originals")
    return len(rows)


@dataclass(frozen=True)
class OriginalInfo:
    """What a page or the CLI says about one document's original, without reading its bytes."""

    document_id: str
    file_name: str
    format: str
    size_bytes: int
    kept: bool
    missing_reason: str | None  # one line, when not kept
    workshop_id: int | None = None

    @property
    def mime(self) -> str:
        return MIME_TYPES.get(self.format, "application/octet-stream")


def _day(value: datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "an unknown date"


def _reason(size_bytes: int, ingested_at: datetime | None, keeping_since: datetime | None) -> str:
    if size_bytes > MAX_ORIGINAL_BYTES:
        return (f"original file not kept: at {size_bytes / 1024 ** 3:.1f} GB it is over DuckDB's 4 GB limit "
                "for one stored value")
    if keeping_since is not None and ingested_at is not None and ingested_at < keeping_since:
        return (f"original file not kept: ingested on {_day(ingested_at)}, before store version "
                f"{SCHEMA_VERSION_KEEPING} ({_day(keeping_since)}) began keeping original files")
    return "original file not kept: this note was stored without its file (not by an ingest or an upload)"


_INFO_SQL = """
    select d.id, d.file_name, d.format, d.size_bytes, d.ingested_at,
           exists (select 1 from document_originals o where o.sha256 = d.id) as kept,
           (select applied_at from schema_migrations where version = ?) as keeping_since{extra}
    from documents d {join}
"""


def _infos(rows) -> list[OriginalInfo]:
    return [OriginalInfo(doc, name, fmt, int(size), bool(kept),
                         None if kept else _reason(int(size), ingested, since), *rest)
            for doc, name, fmt, size, ingested, kept, since, *rest in rows]


def for_workshops(con, workshop_ids) -> dict[int, OriginalInfo]:
    """Each workshop's note and whether its original is kept (a workshop's page lists its sources)."""
    sql = _INFO_SQL.format(extra=", w.id", join="join workshops w on w.document_id = d.id "
                                                "where list_contains(?, w.id)")
    rows = con.cursor().execute(sql, [SCHEMA_VERSION_KEEPING, [int(w) for w in workshop_ids]]).fetchall()
    return {info.workshop_id: info for info in _infos(rows)}


def read(con, document_id: str) -> bytes | None:
    """The original bytes of one document (the only read of the BLOB), or None when not kept."""
    rows = con.cursor().execute("select data from document_originals where sha256 = ?", [document_id]).fetchall()
    return bytes(rows[0][0]) if rows else None


def checked(data: bytes, info: OriginalInfo) -> bytes:
    """The bytes, after checking they are the file the store names (its sha256)."""
    if hashlib.sha256(data).hexdigest() != info.document_id:
        raise NeedsTrackerError(f"the stored original of {info.file_name} ({info.document_id[:12]}) does not "
                                "match its sha256: the store is damaged, restore it from a backup")
    return data


def find(con, key: str) -> OriginalInfo:
    """The document ``key`` names: its sha256 (or a unique prefix of at least 6 hex digits), its
    file name or its path; the current version first when old versions share the name. Anything
    else is one line naming ``key``."""
    given = key.strip()
    sql = _INFO_SQL.format(extra=", d.superseded_by is null", join="where {}")
    if _HEX.fullmatch(given.lower()):
        rows = con.cursor().execute(sql.format("starts_with(d.id, ?)") + " order by d.id",
                                    [SCHEMA_VERSION_KEEPING, given.lower()]).fetchall()
    else:
        rows = []
    if not rows:
        rows = con.cursor().execute(sql.format("(d.file_name = ? or d.path = ?)") + " order by d.ingested_at",
                                    [SCHEMA_VERSION_KEEPING, given, given]).fetchall()
    if not rows:
        raise NeedsTrackerError(f"no stored note has the sha256 or file name {given!r}")
    current = [r for r in rows if r[-1]] or rows
    if len(current) > 1:
        listed = "; ".join(f"{r[0][:12]} ({r[1]}, ingested {_day(r[4])})" for r in current[:5])
        raise NeedsTrackerError(f"{given!r} names {len(current)} stored notes: give the sha256 of one: {listed}")
    info = _infos([current[0][:-1]])[0]
    return info
