"""The reads ingest and reprocess need before they write: which notes are stored, under which
name or path, and the texts to extract again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .rows import storable_text
from .vocab import NeedStatus, sql_value


@dataclass(frozen=True)
class StoredNote:
    """A workshop's current note, as a person would recognise it."""

    workshop_id: int
    document_id: str
    file_name: str
    title: str | None
    start_date: date | None
    year: int | None
    has_decisions: bool

    def label(self) -> str:
        when = self.start_date.isoformat() if self.start_date else (str(self.year) if self.year else "no date")
        return f"#{self.workshop_id} '{self.title or self.file_name}' ({when})"


_NOTE = ("select w.id, w.document_id, d.file_name, w.title, w.start_date, w.year, "
         f"exists (select 1 from needs n where n.workshop_id = w.id and n.status <> {sql_value(NeedStatus.EXTRACTED)}) "
         "from workshops w join documents d on d.id = w.document_id ")


def known_document_ids(con) -> set[str]:
    """Every stored version's sha256, superseded ones included: old bytes are not new notes."""
    return {r[0] for r in con.execute("select id from documents").fetchall()}


def without_original(con) -> set[str]:
    """Stored notes whose original file is not kept (ingested before store schema 5)."""
    return {r[0] for r in con.execute(
        "select id from documents d where not exists (select 1 from document_originals o where o.sha256 = d.id)"
    ).fetchall()}


def is_stored(con, document_id: str) -> bool:
    """Whether these bytes are stored, as a current or a superseded version."""
    return bool(con.execute("select 1 from documents where id = ?", [document_id]).fetchall())


def current_note(con, document_id: str) -> StoredNote | None:
    """The workshop whose current note has these bytes, if any."""
    rows = con.execute(_NOTE + "where w.document_id = ?", [document_id]).fetchall()
    return StoredNote(*rows[0]) if rows else None


def same_named_note(con, path: str, file_name: str, uploaded: bool, other_than: str) -> StoredNote | None:
    """The newest current note stored from the same path (an upload, which has no folder: the
    same file name) with other bytes. Notes that share a name in different folders are different."""
    rows = con.execute(
        _NOTE + "where d.id <> ? and (d.path = ? or (? and d.file_name = ?)) order by d.ingested_at desc limit 1",
        [other_than, storable_text(path), uploaded, storable_text(file_name)]).fetchall()
    return StoredNote(*rows[0]) if rows else None


def names_in_store(con, paths: list[str], file_names: list[str]) -> tuple[set[str], set[str]]:
    """Of these paths and (upload) file names, those a current note already has."""
    paths = [storable_text(p) for p in paths]
    file_names = [storable_text(n) for n in file_names]
    found_paths = {r[0] for r in con.execute(
        "select d.path from documents d join workshops w on w.document_id = d.id where list_contains(?, d.path)",
        [paths]).fetchall()}
    found_names = {r[0] for r in con.execute(
        "select d.file_name from documents d join workshops w on w.document_id = d.id "
        "where list_contains(?, d.file_name)", [file_names]).fetchall()} if file_names else set()
    return found_paths, found_names


def reprocess_targets(con) -> list[tuple[int, str]]:
    return con.execute("select id, document_id from workshops order by id").fetchall()


def texts_of(con, document_ids: list[str]) -> dict[str, str]:
    return dict(con.execute("select id, text from documents where list_contains(?, id)", [document_ids]).fetchall())


def current_document_of(con, workshop_id: int) -> str | None:
    rows = con.execute("select document_id from workshops where id = ?", [workshop_id]).fetchall()
    return rows[0][0] if rows else None


def document_count(con) -> int:
    return con.execute("select count(*) from workshops").fetchall()[0][0]
