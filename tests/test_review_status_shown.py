"""Committee staff preparing a meeting on one state read, beside every quoted need, whether a person
confirmed it (qa10): the state profile, a workshop's page and the Matching row's evidence said nothing
of it, while the PDF brief did. The words are the brief's (``export.brief.STATUS_WORDS``)."""

from __future__ import annotations

import re

import pytest

from apptest_helpers import app
from fixture_store import BORDER

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


def _quotes(at) -> dict[str, str]:
    """Each quoted need's state and the small line under it (workshop, date, who vouches), by state."""
    out = {}
    for block in at.html:
        for quote in re.findall(r"<div>(.*?)</div>", block.value, flags=re.S):
            state = re.search(r"<b>(.*?)</b>", quote).group(1)
            out[state] = re.sub(r"<[^>]+>", "", re.search(r"<small>(.*?)</small>", quote, flags=re.S).group(1))
    return out


def test_the_state_profile_says_a_person_confirmed_a_need(dashboard_store):
    at = app("state", state="TJK")
    assert _quotes(at) == {"Tajikistan": "Regional workshop, Ashgabat, 15 May 2012 · confirmed by a person"}


def test_an_unreviewed_need_says_so(dashboard_store):
    at = app("state", state="UZB")
    assert _quotes(at)["Uzbekistan"].endswith(" · found by the rules, not yet checked by a person")


def test_a_workshop_page_marks_each_state_s_sentence(dashboard_store):
    at = app("workshops", workshop="1")
    quotes = _quotes(at)
    assert quotes["Tajikistan"].endswith("· confirmed by a person")
    assert quotes["Kazakhstan"].endswith("· found by the rules, not yet checked by a person")
    assert BORDER in " ".join(h.value for h in at.html)
