"""The SQL of ``needs-tracker publish``: copy the whole store into a new DuckDB file and each table to Parquet.

It lives here because every SQL statement lives in the store package; ``publish`` keeps the folder
handling (staging, manifest, atomic swap-in). The copy runs through one connection, which holds
DuckDB's file lock for the whole copy, so no writer can change the store half-way; the Parquet
files are written from the copy, so they match it exactly.
"""

from __future__ import annotations

from pathlib import Path

from .connection import connect


def copy_store(location: str | None, database_file: Path, parquet_dir: Path) -> tuple[int, dict[str, int]]:
    """Copy the store into ``database_file`` and each of its tables to ``parquet_dir/<table>.parquet``;
    (the copy's schema version, rows per table)."""
    with connect(location) as con:  # holds the store's lock: no other process writes meanwhile
        source = con.execute("select current_database()").fetchall()[0][0]
        con.execute("attach ? as snapshot_copy", [str(database_file)])
        try:
            quoted = source.replace('"', '""')  # the name DuckDB gave the store, quoted as an identifier
            con.execute(f'copy from database "{quoted}" to snapshot_copy')
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'snapshot_copy' "
                "and schema_name = 'main' order by table_name").fetchall()]
            rows = {}
            for table in tables:  # names from the catalog, quoted
                rows[table] = con.execute(f'select count(*) from snapshot_copy.main."{table}"').fetchall()[0][0]
                con.execute(f'copy snapshot_copy.main."{table}" to ? (format parquet, compression zstd)',
                            [str(parquet_dir / f"{table}.parquet")])
            version = con.execute("select coalesce(max(version), 0) from snapshot_copy.main.schema_migrations"
                                  ).fetchall()[0][0]
            con.execute("checkpoint snapshot_copy")
        finally:
            con.execute("detach snapshot_copy")
    return int(version), rows
