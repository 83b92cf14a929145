"""A measured prototype of a faster ``ingest.merge_extraction``, for the ingest-throughput miss.

The profile shows ingest spends most of its time in DuckDB statements inside
``merge_extraction`` (about 40 statements per note: one UPDATE per workshop field, and
``executemany`` inserts that run one statement per row) and in per-note COMMITs. This
prototype keeps the same rules (edited fields are kept, decided needs are kept, undecided
rows replaced) but writes each table with one statement: one UPDATE for all fields, and
``insert ... select unnest(?), unnest(?), ...`` for each child table.

    .venv/bin/python benchmarks/ingest_prototype.py benchmarks/out/notes/txt

prints notes/s for the current code and for the prototype on the same notes. It patches
the function in memory only; nothing in src/ changes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from needs_tracker import ingest
from needs_tracker.extract.model import Extraction


def _insert_columns(con, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    cols = list(zip(*rows, strict=True))
    select = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"insert into {table} ({', '.join(columns)}) select {select}", [list(c) for c in cols])


def merge_extraction_bulk(con, workshop_id: int, ex: Extraction, *, text: str) -> int:
    edited = set(con.execute("select edited_fields from workshops where id = ?",
                             [workshop_id]).fetchall()[0][0] or [])
    values = {
        "kind": ex.kind, "title": ex.title, "start_date": ex.start_date, "end_date": ex.end_date,
        "date_precision": ex.date_precision, "year": ex.year, "venue_city": ex.venue_city,
        "venue_country_iso3": ex.venue_country_iso3, "venue_country": ex.venue_country,
    }
    names = [n for n in ingest.WRITABLE_FIELDS if n not in edited]
    sets = ", ".join(f"{n} = ?" for n in names)
    con.execute(f"update workshops set {sets}{', ' if sets else ''}warnings = ?, updated_at = current_timestamp "
                "where id = ?", [values[n] for n in names] + [list(ex.warnings), workshop_id])

    con.execute("delete from participation where workshop_id = ? and origin = 'extracted' and status = 'extracted'",
                [workshop_id])
    kept_states = {r[0] for r in con.execute(
        "select state_iso3 from participation where workshop_id = ?", [workshop_id]).fetchall()}
    _insert_columns(con, "participation", ("workshop_id", "state_iso3", "role", "name_as_written"),
                    [(workshop_id, p.iso3, p.role, p.name_as_written)
                     for p in ex.participants if p.iso3 not in kept_states])
    con.execute("delete from workshop_organisations where workshop_id = ?", [workshop_id])
    orgs = [(workshop_id, n, "organizer") for n in dict.fromkeys(ex.organizers)]
    orgs += [(workshop_id, n, "participant") for n in dict.fromkeys(ex.participant_organizations)]
    _insert_columns(con, "workshop_organisations", ("workshop_id", "name", "relation"), orgs)
    con.execute("delete from unresolved_names where workshop_id = ?", [workshop_id])
    _insert_columns(con, "unresolved_names", ("workshop_id", "name"),
                    [(workshop_id, n) for n in dict.fromkeys(ex.unresolved_names)])
    con.execute("delete from topics where workshop_id = ?", [workshop_id])
    topics = {t.category: t for t in ex.topics}
    _insert_columns(con, "topics", ("workshop_id", "category", "evidence", "span_start", "span_end"),
                    [(workshop_id, t.category, t.evidence, t.start, t.end) for t in topics.values()])

    con.execute("delete from needs where workshop_id = ? and status = 'extracted'", [workshop_id])
    decided = con.execute(
        "select id, coalesce(original_state_iso3, state_iso3), coalesce(original_category, category), "
        "evidence, span_start, span_end from needs where workshop_id = ?", [workshop_id]).fetchall()
    covered = set()
    for need_id, state, category, evidence, start, end in decided:
        covered.add((state, category, evidence))
        if text[start:end] != evidence:
            found = text.find(evidence)
            if found >= 0:
                con.execute("update needs set span_start = ?, span_end = ? where id = ?",
                            [found, found + len(evidence), need_id])
    new_rows = []
    for n in ex.needs:
        key = (n.state_iso3, n.category, n.evidence)
        if key not in covered:
            covered.add(key)
            new_rows.append((workshop_id, n.state_iso3, n.category, n.evidence, n.start, n.end, n.rule,
                             n.confidence))
    _insert_columns(con, "needs", ("workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end",
                                   "rule", "confidence"), new_rows)
    return len(decided)


def store_batch(con, items: list[tuple]) -> None:
    """Write many new notes with one statement per table, in one transaction.

    For notes whose bytes and file name are not in the store yet (the common case); a
    replaced note keeps going through ``store_document``. If the batch fails, the caller
    falls back to one transaction per note so the bad file is named.
    """
    import pandas as pd

    from needs_tracker import db

    docs = pd.DataFrame([(d.sha256, d.file_name, d.path, d.format, d.size_bytes, d.encoding, d.text)
                         for d, _ in items],
                        columns=["id", "file_name", "path", "format", "size_bytes", "encoding", "text"])
    shops = pd.DataFrame([(d.sha256, ex.kind, ex.title, ex.start_date, ex.end_date, ex.date_precision, ex.year,
                           ex.venue_city, ex.venue_country_iso3, ex.venue_country, list(ex.warnings))
                          for d, ex in items],
                         columns=["document_id", "kind", "title", "start_date", "end_date", "date_precision",
                                  "year", "venue_city", "venue_country_iso3", "venue_country", "warnings"])
    con.register("docs", docs)
    con.register("shops", shops)
    with db.transaction(con):
        con.execute("insert into documents (id, file_name, path, format, size_bytes, encoding, text) "
                    "select * from docs")
        ids = dict(con.execute(
            "insert into workshops (document_id, kind, title, start_date, end_date, date_precision, year, "
            "venue_city, venue_country_iso3, venue_country, warnings) "
            "select document_id, kind, title, cast(start_date as date), cast(end_date as date), date_precision, "
            "cast(year as integer), venue_city, venue_country_iso3, venue_country, warnings from shops "
            "returning document_id, id").fetchall())
        part, orgs, topics, needs = [], [], [], []
        for d, ex in items:
            w = ids[d.sha256]
            part += [(w, p.iso3, p.role, p.name_as_written) for p in ex.participants]
            orgs += [(w, n, "organizer") for n in dict.fromkeys(ex.organizers)]
            orgs += [(w, n, "participant") for n in dict.fromkeys(ex.participant_organizations)]
            topics += [(w, t.category, t.evidence, t.start, t.end) for t in {t.category: t for t in ex.topics}.values()]
            seen = set()
            for n in ex.needs:
                if (n.state_iso3, n.category, n.evidence) not in seen:
                    seen.add((n.state_iso3, n.category, n.evidence))
                    needs.append((w, n.state_iso3, n.category, n.evidence, n.start, n.end, n.rule, n.confidence))
        tables = {
            "participation": (["workshop_id", "state_iso3", "role", "name_as_written"], part),
            "workshop_organisations": (["workshop_id", "name", "relation"], orgs),
            "topics": (["workshop_id", "category", "evidence", "span_start", "span_end"], topics),
            "needs": (["workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end", "rule",
                       "confidence"], needs),
        }
        for table, (columns, rows) in tables.items():
            if rows:
                frame = pd.DataFrame(rows, columns=columns).drop_duplicates(
                    subset=["workshop_id", "state_iso3"] if table == "participation" else None)
                con.register("batch_rows", frame)
                con.execute(f"insert into {table} ({', '.join(columns)}) select * from batch_rows")
                con.unregister("batch_rows")


def ingest_batched(files: list[Path], store: str) -> None:
    from needs_tracker import db
    from needs_tracker.extract import extract
    from needs_tracker.readers import read_document

    pending, started = [], time.monotonic()
    for path in files:
        doc = read_document(path)
        pending.append((doc, extract(doc.text)))
        if time.monotonic() - started > ingest.WRITE_BATCH_SECONDS:
            with db.connect(store) as con:
                store_batch(con, pending)
            pending, started = [], time.monotonic()
    if pending:
        with db.connect(store) as con:
            store_batch(con, pending)


def _time_batched(files: list[Path]) -> tuple[float, int]:
    from needs_tracker import db

    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "s.duckdb")
        t = time.perf_counter()
        ingest_batched(files, store)
        seconds = time.perf_counter() - t
        with db.connect(store) as con:
            needs = con.execute("select count(*) from needs").fetchall()[0][0]
    return len(files) / seconds, needs


def _time_read_extract(files: list[Path]) -> float:
    from needs_tracker.extract import extract
    from needs_tracker.readers import read_document

    t = time.perf_counter()
    for path in files:
        extract(read_document(path).text)
    return len(files) / (time.perf_counter() - t)


def _time_ingest(files: list[Path]) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "s.duckdb")
        t = time.perf_counter()
        ingest.ingest_paths(files, location=store)
        seconds = time.perf_counter() - t
        from needs_tracker import db

        with db.connect(store) as con:
            needs = con.execute("select count(*) from needs").fetchall()[0][0]
    return len(files) / seconds, needs


def main(folder: str) -> None:
    from needs_tracker.extract import extract

    files = sorted(Path(folder).glob("*.txt"))
    extract(files[0].read_text(encoding="utf-8"))
    original = ingest.merge_extraction
    rate, needs = _time_ingest(files)
    print(f"current merge_extraction:   {rate:6.1f} notes/s ({needs} needs)")
    ingest.merge_extraction = merge_extraction_bulk
    try:
        rate, needs = _time_ingest(files)
    finally:
        ingest.merge_extraction = original
    print(f"one statement per table:    {rate:6.1f} notes/s ({needs} needs)")
    rate, needs = _time_batched(files)
    print(f"one statement per batch:    {rate:6.1f} notes/s ({needs} needs)")
    print(f"read + extract, no store:   {_time_read_extract(files):6.1f} notes/s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "out" / "notes" / "txt"))
