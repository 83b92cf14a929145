"""Kept so existing callers (``db.connect()``, ``db.store_version()``) work: the store lives in
``needs_tracker.store``; new code imports it from there."""

from __future__ import annotations

from .store.connection import connect, lock_wait_seconds, open_connection, store_exists, store_version, transaction
from .store.migrations import MIGRATIONS, SCHEMA_VERSION, migrate

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "connect", "lock_wait_seconds", "migrate", "open_connection",
           "store_exists", "store_version", "transaction"]
