"""Where things live. Every path can be overridden so tests and deployments never touch data/."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = PROJECT_DIR / "data"
BUNDLED_NOTES_DIR = DATA_DIR / "notes"
TAXONOMY_FILE = DATA_DIR / "taxonomy.toml"
STATE_GROUPS_FILE = DATA_DIR / "state_groups.toml"
RULES_FILE = DATA_DIR / "need_rules.toml"
STATIC_DIR = PROJECT_DIR / "static"

DEFAULT_DB = DATA_DIR / "needs.duckdb"
DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024


def db_location(override: str | os.PathLike | None = None) -> str:
    """The store: an explicit argument, else $NEEDS_TRACKER_DB, else data/needs.duckdb.

    Any DuckDB database string is accepted (a path, or e.g. ``md:needs`` for MotherDuck).
    """
    if override:
        return str(override)
    return os.environ.get("NEEDS_TRACKER_DB") or str(DEFAULT_DB)


def max_file_bytes() -> int:
    """The largest note we read; one hostile file must not exhaust memory."""
    raw = os.environ.get("NEEDS_TRACKER_MAX_FILE_MB")
    if raw:
        try:
            return int(float(raw) * 1024 * 1024)
        except ValueError:
            pass
    return DEFAULT_MAX_FILE_BYTES
