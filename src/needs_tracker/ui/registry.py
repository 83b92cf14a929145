"""Every page of the dashboard in one table: its URL path, title, icon, section, and whether
the sidebar filters apply to it. ``ui.app`` builds the navigation from it and pages find each
other through it, so no page imports another and nothing imports ``ui.app``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent / "pages"
EDITORS = "Editors"


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    icon: str        # a Material Symbol bundled with Streamlit (no emoji font needed)
    section: str
    filtered: bool   # the sidebar filters apply to this page

    @property
    def script(self) -> Path:
        return PAGES_DIR / f"{self.url_path}.py"


SPECS = (
    PageSpec("overview", "Overview", ":material/public:", "Explore", True),
    PageSpec("state", "State profile", ":material/flag:", "Explore", True),
    PageSpec("workshops", "Workshops", ":material/event:", "Explore", True),
    PageSpec("gaps", "Gap finder", ":material/troubleshoot:", "Explore", True),
    PageSpec("matching", "Matching", ":material/handshake:", "Explore", True),
    PageSpec("search", "Text search", ":material/search:", "Explore", True),
    PageSpec("review", "Review", ":material/fact_check:", EDITORS, False),
    PageSpec("review_assistance", "Review offers and requests", ":material/volunteer_activism:", EDITORS, False),
    PageSpec("upload", "Upload notes", ":material/upload_file:", EDITORS, False),
    PageSpec("audit", "Audit log", ":material/history:", EDITORS, False),
)
BY_PATH = {s.url_path: s for s in SPECS}
# The default page is served at "/"; its reserved path is not a name anyone types, and a
# hidden twin answers at /overview so every page is reachable by its name.
DEFAULT_PATH = "home"
_PAGES: dict[str, st.Page] = {}


def navigation(editing: bool = True) -> tuple[st.Page, PageSpec]:
    """Build the navigation of every page (the first is the default, plus the hidden /overview;
    without ``editing``, as for a published snapshot, no editor page) and return the page this
    run shows with its spec."""
    sections: dict[str, list] = {}
    specs: dict[int, PageSpec] = {}
    for i, spec in enumerate(SPECS):
        if not editing and spec.section == EDITORS:
            continue
        page = st.Page(spec.script, title=spec.title, icon=spec.icon,
                       url_path=DEFAULT_PATH if i == 0 else spec.url_path, default=i == 0)
        _PAGES[spec.url_path] = page
        specs[id(page)] = spec
        sections.setdefault(spec.section, []).append(page)
    first = SPECS[0]
    twin = st.Page(first.script, title=first.title, icon=first.icon, url_path=first.url_path,
                   visibility="hidden")
    specs[id(twin)] = first
    sections[first.section].append(twin)
    page = st.navigation(sections)
    return page, specs.get(id(page), first)


def get_page(url_path: str):
    """The st.Page registered for ``url_path`` (None before the navigation was built)."""
    return _PAGES.get(url_path)
