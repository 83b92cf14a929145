"""Opening the real dashboard in ``streamlit.testing.v1.AppTest``, written once for every AppTest
file (the caches and component scan each test needs reset are the ``fresh_streamlit`` fixture in
conftest.py)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGES = "src/needs_tracker/ui/pages"


def app(page: str | None = None, **params) -> AppTest:
    """The dashboard opened with ``params`` in its URL, on ``page`` (a page file's name, e.g.
    ``"matching"``; None: the first page), drawn without an exception or an error message."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at
