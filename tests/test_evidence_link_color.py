"""Links in the evidence sentences drawn with ``st.html`` (Matching row, Gap finder pair, and every
other ``furniture.evidence_list``) carry the app's link colour: st.html content gets none of
Streamlit's markdown styles or theme variables, so without it they were the browser's own blue
(purple once visited). The colour comes from the theme settings as Streamlit resolves a markdown
link's, and a setting that is not a plain CSS colour is ignored. Through AppTest on the dashboard's
fixture store with offers and requests (tests/matching_fixture.py), and once in headless Chromium:
an evidence link there is drawn in the colour of the page's markdown links."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from streamlit import config as st_config

from apptest_helpers import ROOT, app
from fixture_store import build_store
from matching_fixture import add_assistance

pytestmark = pytest.mark.usefixtures("fresh_streamlit")
PAIR = {"pair": "KAZ:legal_regulatory_framework"}
LINK = re.compile(r"<a\b[^>]*>")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    location = build_store(tmp_path_factory.mktemp("link-colour") / "store.duckdb")
    add_assistance(location)
    return Path(location)


@pytest.fixture(autouse=True)
def location(template, isolated_store) -> str:
    shutil.copy(template, isolated_store)
    return str(isolated_store)


@pytest.fixture
def link_color_setting():
    """Set ``theme.linkColor`` for one test, as a ``[theme]`` line in config.toml would."""
    before = st_config.get_option("theme.linkColor")

    def setting(value: str) -> None:
        st_config.set_option("theme.linkColor", value)

    yield setting
    st_config.set_option("theme.linkColor", before)


def evidence_links(page: str) -> list[str]:
    """The opening ``<a …>`` tags of the page's st.html blocks."""
    at = app(page, **PAIR)
    tags = [tag for block in at.html for tag in LINK.findall(block.value)]
    assert tags, f"no evidence link on the {page} page"
    return tags


@pytest.mark.parametrize("page", ["matching", "gaps"])
def test_evidence_links_have_the_themes_link_colour(page):
    # the app's theme is Streamlit's light one (.streamlit/config.toml): its links are #244fb4
    assert {re.search(r"style='([^']*)'", tag).group(1) for tag in evidence_links(page)} == {"color:#244fb4"}


def test_a_link_colour_set_in_the_theme_is_used(link_color_setting):
    link_color_setting("#0a7f3f")
    assert all("style='color:#0a7f3f'" in tag for tag in evidence_links("matching"))


def test_a_setting_that_is_not_a_colour_adds_nothing_to_the_page(link_color_setting):
    link_color_setting("red' onmouseover='alert(1)")
    tags = evidence_links("gaps")
    assert all(tag.endswith("style='color:#244fb4'>") for tag in tags)
    assert not [tag for tag in tags if "onmouseover" in tag or "alert" in tag]


COLOURS_JS = """() => [...document.querySelectorAll('[data-testid="stHtml"] a, [data-testid="stMarkdownContainer"] a')]
  .map(a => [a.closest('[data-testid="stHtml"]') ? 'html' : 'markdown', getComputedStyle(a).color])"""


@pytest.mark.browser
def test_in_the_browser_an_evidence_link_has_the_colour_of_a_markdown_link(location):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from browser import CHROMIUM, CHROMIUM_ARGS, serve, wait_idle

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with serve(location) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(base + "/gaps?pair=KAZ:legal_regulatory_framework", wait_until="domcontentloaded")
            wait_idle(page)
            page.wait_for_selector('[data-testid="stHtml"] a', timeout=20_000)
            colours: dict[str, set[str]] = {}
            for kind, colour in page.evaluate(COLOURS_JS):
                colours.setdefault(kind, set()).add(colour)
        finally:
            browser.close()
    # the browser's own link blue is rgb(0, 0, 238): the evidence links had it before
    assert colours["html"] == colours["markdown"] == {"rgb(36, 79, 180)"}
