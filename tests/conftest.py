"""Shared fixtures: every test gets its own store, so nothing ever touches data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_DIR = SHARED / "seeds"
CORPUS_DIR = SHARED / "corpus"
PROJECT_DIR = Path(__file__).resolve().parents[1]
BUNDLED_NOTES = PROJECT_DIR / "src" / "needs_tracker" / "data" / "notes"


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Point NEEDS_TRACKER_DB at a fresh file in this test's temporary folder."""
    db = tmp_path / "store.duckdb"
    monkeypatch.setenv("NEEDS_TRACKER_DB", str(db))
    return db


@pytest.fixture(scope="session")
def template_store(tmp_path_factory):
    """The bundled notes ingested once per test run; tests get a copy (``store``)."""
    from needs_tracker.ingest import ingest_paths

    path = tmp_path_factory.mktemp("template") / "store.duckdb"
    ingest_paths([BUNDLED_NOTES], location=str(path))
    return path


@pytest.fixture
def store(template_store, isolated_store) -> str:
    """A store of the bundled notes at this test's NEEDS_TRACKER_DB."""
    shutil.copy(template_store, isolated_store)
    return str(isolated_store)


def needs_shared(path: Path) -> Path:
    """Skip cleanly where ../shared is absent (a user's clone has none)."""
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path
