"""What a new user met on a first pass over the dashboard (qa9), on the row-by-row fixture store."""

from __future__ import annotations

from pathlib import Path

import pytest

from apptest_helpers import app

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


@pytest.fixture
def store(dashboard_store) -> Path:
    return dashboard_store


@pytest.mark.parametrize("params", [{}, {"states": "FRA"}])
def test_a_state_no_note_reports_a_need_for_is_not_blamed_on_filters(store, params):
    # no filter, or only the state itself in the states filter (which this page overrides): nothing to clear
    at = app("state", state="FRA", **params)
    assert at.title[0].value == "France"
    assert [i.value for i in at.info] == ["No stored note reports a need for France."]
    assert not [b for b in at.button if b.label == "Clear filters" and b.key == "empty_clear"]


def test_a_state_whose_needs_a_filter_hides_still_offers_to_clear_it(store):
    at = app("state", state="KAZ", year_from="2030")
    assert at.info[0].value.startswith("No reported needs match these filters: ")
    assert [b.key for b in at.button if b.label == "Clear filters"].count("empty_clear") == 1


def _headed(table) -> dict[str, str]:
    """The header each column of a shown table carries (its own name unless a label was set)."""
    import json

    config = json.loads(table.proto.columns)
    return {c: config.get(c, {}).get("label", c) for c in table.value.columns}


@pytest.mark.parametrize(("page", "params"), [("matching", {}), ("state", {"state": "KGZ", "assist": "1"})])
def test_matching_workshop_columns_are_headed_as_numbers_not_counts(store, page, params):
    at = app(page, **params)
    table = next(t for t in at.dataframe if "Later events (workshop #)" in t.value.columns)
    headed = _headed(table)
    assert headed["Later events (workshop #)"] == "Later events (workshop #)"
    if page == "matching":  # Kyrgyzstan's licensing gap was reported by workshop #6, the only one
        assert headed["Needs reported (workshop #)"] == "Needs reported (workshop #)"
        row = table.value[(table.value["ISO3"] == "KGZ") & (table.value["Gap ID"] == "licensing")].iloc[0]
        assert row["Needs reported (workshop #)"] == "6"
