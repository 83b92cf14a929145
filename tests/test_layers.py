"""Streamlit stays in the UI layer: the core and the CLI import without it."""

from __future__ import annotations

import subprocess
import sys


def test_core_and_cli_import_without_streamlit():
    code = (
        "import sys, pkgutil, importlib, needs_tracker\n"
        "for m in pkgutil.walk_packages(needs_tracker.__path__, 'needs_tracker.'):\n"
        "    if '.ui' not in m.name: importlib.import_module(m.name)\n"
        "import needs_tracker.cli\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported by the core'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
