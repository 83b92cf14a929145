"""An offer reads the same on every page: the gap finder's "offered by", the Matching page's "Offers
(who, when, to whom)" and the matching table's short ``offer_summary`` are all written by one
function, ``matching.offers_texts``, which writes each distinct offer once. Through AppTest on the
dashboard's fixture store plus the offers of tests/matching_fixture.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from apptest_helpers import app
from fixture_store import build_store
from matching_fixture import HOSTILE_PROVIDER, add_assistance
from needs_tracker.export.matching_format import offer_text
from needs_tracker.matching import offer_summary_text, offers_texts

JAPAN = {"provider": "Japan", "year": 2018, "workshop_id": 2, "to": "named"}
OSCE = {"provider": "OSCE", "year": None, "workshop_id": 3, "to": "all_participants"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    location = build_store(tmp_path_factory.mktemp("offer-texts") / "store.duckdb")
    add_assistance(location)
    return Path(location)


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_gap_finder_and_the_matching_page_show_one_offer_in_the_same_words(template, isolated_store):
    shutil.copy(template, isolated_store)
    gaps = app("gaps")
    offered_by = next(d.value for d in gaps.dataframe if "offered by" in d.value.columns).set_index(["iso3", "gap"])
    matching = app("matching")
    offers = next(d.value for d in matching.dataframe if "Offers (who, when, to whom)" in d.value.columns)
    offers = offers.set_index(["ISO3", "Gap"])
    for pair, words in [(("KAZ", "Legal and regulatory framework"), "Japan (2018, to named states)"),
                        (("KGZ", "Licensing"), f"{HOSTILE_PROVIDER} (2016, to all participants)")]:
        assert offered_by.loc[pair, "offered by"] == words
        assert offers.loc[pair, "Offers (who, when, to whom)"] == words


def test_each_distinct_offer_is_written_once_and_every_cell_joined():
    written = []

    def write(offer: dict) -> str:
        written.append(offer["provider"])
        return offer_text(offer)

    cells = [[JAPAN, OSCE], None, float("nan"), [], [dict(JAPAN, workshop_id=9)], (OSCE,)]
    assert offers_texts(cells, write) == [
        "Japan (2018, to named states); OSCE (year unknown, to all participants)", "", "", "",
        "Japan (2018, to named states)", "OSCE (year unknown, to all participants)"]
    assert written == ["Japan", "OSCE"]  # the same offer from another workshop reads the same: written once


def test_the_short_summary_form():
    assert offers_texts([[JAPAN, OSCE]], offer_summary_text) == ["Japan (2018); OSCE (to all participants)"]
