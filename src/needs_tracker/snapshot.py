"""Reading a published snapshot: read-only, one DuckDB connection per process.

The live store can only be open in one process at a time, so the dashboard opens a short-lived
connection per query and pays for it on every cache miss. A snapshot written by
``needs-tracker publish`` never changes, so any number of processes (replicas behind a proxy,
on a shared or read-only folder) open it read-only and each keeps one connection, handing a
cursor to every query. A store is a snapshot when its DuckDB file sits beside the
``manifest.json`` that ``publish`` wrote; ``store.connect`` asks this module first.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from .errors import StoreError

MANIFEST = "manifest.json"
DB_FILE = "needs.duckdb"
FORMAT = "needs-tracker snapshot"


@dataclass(frozen=True)
class SnapshotInfo:
    folder: Path
    published_at: datetime
    schema_version: int
    rows: dict[str, int]

    @property
    def db_file(self) -> Path:
        return self.folder / DB_FILE

    @property
    def date_text(self) -> str:
        """When it was published, as a person reads it: ``30 November 2026, 10:05 UTC``."""
        return f"{self.published_at.day} {self.published_at:%B %Y, %H:%M} UTC"


_INFO: dict[str, tuple[tuple, SnapshotInfo | None]] = {}
_CONNECTIONS: dict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = {}
_LOCK = threading.Lock()


def _manifest_token(manifest: Path) -> tuple | None:
    try:
        st = os.stat(manifest)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the snapshot manifest: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"{path}: not a needs-tracker snapshot manifest")
    return data


def snapshot_for(location: str | os.PathLike) -> SnapshotInfo | None:
    """The snapshot a store location belongs to, or None for a live store (one stat when unchanged)."""
    db_file = Path(location)
    if db_file.name != DB_FILE:
        return None
    manifest = db_file.parent / MANIFEST
    token = _manifest_token(manifest)
    if token is None:
        return None
    key = str(db_file)
    cached = _INFO.get(key)
    if cached and cached[0] == token:
        return cached[1]
    data = read_manifest(db_file.parent)
    try:
        info = SnapshotInfo(folder=db_file.parent, published_at=datetime.fromisoformat(data["published_at"]),
                            schema_version=int(data["schema_version"]),
                            rows={name: int(t["rows"]) for name, t in data["tables"].items()})
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{manifest}: the snapshot manifest is incomplete ({exc})") from exc
    _INFO[key] = (token, info)
    return info


def current() -> SnapshotInfo | None:
    """The snapshot the settings point at (directly or as the store), or None for a live store."""
    from . import config

    return snapshot_for(config.db_location())


def shared_connection(info: SnapshotInfo) -> duckdb.DuckDBPyConnection:
    """This process's one read-only connection to the snapshot; a republished one is reopened."""
    key = str(info.db_file)
    token = _manifest_token(info.folder / MANIFEST)
    with _LOCK:
        held = _CONNECTIONS.get(key)
        if held and held[0] == token:
            return held[1]
        if held:
            # DuckDB hands out the instance it already has for a path, so the old connection is
            # closed first, or the replaced file would keep being served. A query of another
            # thread still running on it fails once (see ``cursor``); the next one sees the new data.
            held[1].close()
            del _CONNECTIONS[key]
        try:
            con = duckdb.connect(key, read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the snapshot {key}: {exc}") from exc
        _CONNECTIONS[key] = (token, con)
        return con


@contextlib.contextmanager
def cursor(info: SnapshotInfo) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared connection (one per query: a connection refuses two threads at once).

    A write attempted through it becomes one clear StoreError instead of DuckDB's message."""
    cur = shared_connection(info).cursor()
    try:
        yield cur
    except duckdb.ConnectionException as exc:
        raise StoreError(f"the snapshot {info.folder} was published again during this query; "
                         "reload the page") from exc
    except duckdb.Error as exc:
        if "read-only" in str(exc):
            raise StoreError(f"the store {info.db_file} is a snapshot published on {info.date_text}, which is "
                             "read-only; make changes in the live store and publish again") from exc
        raise
    finally:
        cur.close()
