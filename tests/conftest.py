"""Shared fixtures: every test gets its own store, so nothing ever touches data/."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_DIR = SHARED / "seeds"
CORPUS_DIR = SHARED / "corpus"
PROJECT_DIR = Path(__file__).resolve().parents[1]
BUNDLED_NOTES = PROJECT_DIR / "data" / "notes"


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Point NEEDS_TRACKER_DB at a fresh file in this test's temporary folder."""
    db = tmp_path / "store.duckdb"
    monkeypatch.setenv("NEEDS_TRACKER_DB", str(db))
    return db


def needs_shared(path: Path) -> Path:
    """Skip cleanly where ../shared is absent (a user's clone has none)."""
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path
