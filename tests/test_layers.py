"""The layers hold: the core and the CLI import without Streamlit, and the import-linter
contracts in pyproject.toml (no import circles in the dashboard, pages independent, core
layers) are kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_core_and_cli_import_without_streamlit():
    code = (
        "import sys, pkgutil, importlib, needs_tracker\n"
        "for m in pkgutil.walk_packages(needs_tracker.__path__, 'needs_tracker.'):\n"
        "    if '.ui' not in m.name: importlib.import_module(m.name)\n"
        "import needs_tracker.cli\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported by the core'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_contracts_are_kept():
    linter = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(linter).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([linter], cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_review_modules_a_viewer_page_imports_leave_the_extractor_unloaded():
    """The Workshops page imports the offer and event review module for every visitor; spaCy (the
    extractor, about 2 s of a cold first load) must wait for an editor's action that needs it."""
    code = ("import sys\nimport needs_tracker.store.assistance_review, needs_tracker.store.workshop_reads\n"
            "print(sorted(m for m in sys.modules if m.startswith(('spacy', 'needs_tracker.extract'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
