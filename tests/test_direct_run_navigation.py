"""``streamlit run src/needs_tracker/ui/streamlit_app.py``, the packaged app script run directly (not through
``needs-tracker dashboard`` nor ``dashboard.py``): that script sits beside ``ui/pages/``, which Streamlit
takes for a legacy multipage folder until a first run calls ``st.navigation``. A first visitor who opened a
shared link got the page's file run bare, without the sidebar's filters and with the link's filter ignored
(qa9). ``warm_start.leave_legacy_pages`` now clears that flag and reruns the visit through the app, so the
direct run behaves as ``dashboard.py`` does.

AppTest meets the same case: each ``run()`` starts a fresh ``PagesManager``, which sets the flag from the
main script's folder, as a fresh server's first session does."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from apptest_helpers import ROOT

pytestmark = pytest.mark.usefixtures("fresh_streamlit", "dashboard_store")

PACKAGED_APP = str(ROOT / "src" / "needs_tracker" / "ui" / "streamlit_app.py")


def _first_visit(page: str | None, **params) -> AppTest:
    """A first visit of the directly run packaged app on ``page`` (None: "/") with ``params`` in its URL."""
    at = AppTest.from_file(PACKAGED_APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"pages/{page}.py")  # (before any run: the link's page, as a first visitor opens it)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize(("page", "heading"), [("matching", "Matching"), ("gaps", "Gap finder")])
def test_a_shared_link_opened_first_gets_its_page_with_the_filters(page, heading):
    at = _first_visit(page, states="KGZ")
    assert PagesManager.uses_pages_directory is False
    assert at.title[0].value == heading
    assert at.sidebar.text_input(key="flt_text").label == "Words in the evidence"
    assert any("Needs where state is Kyrgyzstan" in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_first_page_opened_first_is_the_apps_first_page():
    at = _first_visit(None)
    assert PagesManager.uses_pages_directory is False
    assert at.sidebar.text_input(key="flt_text").label == "Words in the evidence"
    assert at.title[0].value == "Overview"
