"""``needs-tracker publish DIR``: a consistent, read-only snapshot of the store for many readers.

A snapshot is a folder: ``needs.duckdb`` (a copy of every table, schema included), one Parquet
file per table (for tools that do not speak DuckDB, or for object storage read through DuckDB's
httpfs), and ``manifest.json`` with row counts, the time, the schema version, a sha256 for
every file and the counts ``needs-tracker stats`` gives (``stats``: raw rows count superseded
versions and rejected needs, which a person reading "44 needs" does not expect). It is copied
through one connection to the store, which holds DuckDB's file lock for the whole copy, so no
writer can change the store half-way; the Parquet files are written from the copy, so they
match it exactly. It is built in a staging folder beside DIR; then each file is renamed into
DIR and the manifest last, so a reader never sees half a file or a folder without a manifest,
and replicas serving DIR switch when the manifest changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import __version__, config
from .errors import NeedsTrackerError
from .snapshot import DB_FILE, FORMAT, MANIFEST, read_manifest
from .store import reads, store_exists
from .store.snapshot_copy import copy_store

PARQUET_DIR = "parquet"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise NeedsTrackerError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise NeedsTrackerError(f"{target}: the folder is not empty and holds no snapshot; "
                                "publish into a new folder or a previous snapshot's folder")


def _copy(location: str | None, staging: Path) -> tuple[int, dict[str, int]]:
    """Copy the store into staging/needs.duckdb and each table to Parquet; (schema version, rows)."""
    parquet = staging / PARQUET_DIR
    parquet.mkdir()
    return copy_store(location, staging / DB_FILE, parquet)


def publish(target: str | os.PathLike, location: str | None = None) -> dict:
    """Write a snapshot of the store into ``target`` (replacing a previous snapshot there); its manifest."""
    target = Path(target).resolve()
    _check_target(target)
    if not store_exists(location):  # never publish (and create) an empty store from a typo
        raise NeedsTrackerError(f"there is no store at {config.db_location(location)}; nothing was published")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.publishing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        published_at = datetime.now(UTC).replace(microsecond=0)
        version, rows = _copy(location, staging)
        with duckdb.connect(str(staging / DB_FILE), read_only=True) as con:
            counts = reads.stats(con)  # what `stats` says, not raw rows (superseded versions, rejected needs)
        manifest = {
            "format": FORMAT,
            "format_version": 1,
            "published_at": published_at.isoformat(),
            "schema_version": version,
            "stats": counts,
            "needs_tracker_version": __version__,
            "database": {"file": DB_FILE, "bytes": (staging / DB_FILE).stat().st_size,
                         "sha256": _sha256(staging / DB_FILE)},
            "tables": {
                table: {"rows": n, "parquet": f"{PARQUET_DIR}/{table}.parquet",
                        "bytes": (staging / PARQUET_DIR / f"{table}.parquet").stat().st_size,
                        "sha256": _sha256(staging / PARQUET_DIR / f"{table}.parquet")}
                for table, n in rows.items()
            },
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for path in staging.rglob("*"):
            if path.is_file():
                path.chmod(READ_ONLY)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _swap_in(staging: Path, target: Path) -> None:
    """Move the finished files into place, the manifest last. Each move is an atomic rename, so
    DIR always holds a manifest and whole files: a reader that has the old files open keeps
    reading them (unlinked) until it sees the new manifest and reopens."""
    (target / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
    moved = {path.relative_to(staging) for path in staging.rglob("*") if path.is_file()}
    for relative in sorted(moved - {Path(MANIFEST)}):
        os.replace(staging / relative, target / relative)
    os.replace(staging / MANIFEST, target / MANIFEST)
    for leftover in (target / PARQUET_DIR).glob("*.parquet"):  # tables a newer schema dropped
        if leftover.relative_to(target) not in moved:
            leftover.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def verify(target: str | os.PathLike) -> list[str]:
    """Problems found in a snapshot folder (missing files, checksums that do not match); [] when sound."""
    target = Path(target)
    manifest = read_manifest(target)
    files = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    files.update({t["parquet"]: t["sha256"] for t in manifest["tables"].values()})
    problems = []
    for name, digest in files.items():
        path = target / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{path}: checksum does not match the manifest")
    return problems
