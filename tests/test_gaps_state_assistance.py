"""The gap finder and the state profile's "Requests and offers" section through AppTest, and the
``matching-*`` exports through the CLI, on the dashboard's fixture store plus the offers and
requests of tests/matching_fixture.py (written by the store's own ``merge_assistance``)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import app
from fixture_store import build_store
from matching_fixture import HOSTILE_PROVIDER, LETTER, OFFER, add_assistance
from needs_tracker.cli import main as cli_main
from needs_tracker.export import MATCHING_FORMATS, NEEDS_FORMATS, suggested_file_name, to_bytes
from needs_tracker.export.matching_format import HEADERS
from needs_tracker.filters import NeedFilter

pytestmark = pytest.mark.usefixtures("fresh_streamlit")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    location = build_store(tmp_path_factory.mktemp("assisted") / "store.duckdb")
    add_assistance(location)
    return Path(location)


@pytest.fixture
def location(template, isolated_store) -> str:
    shutil.copy(template, isolated_store)
    return str(isolated_store)


def qp(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


# --- gap finder ----------------------------------------------------------------------------

def gap_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "status" in d.value.columns and "offered by" in d.value.columns)


def test_the_gap_finder_ranks_open_first_with_status_requests_and_offers(location):
    at = app("gaps")
    df = gap_table(at)
    assert list(df["status"]) == ["open"] * 5 + ["offered"] * 2 + ["taken up"] * 4
    # open: longest open first (years open counted to today), then those whose first year is unknown (by name)
    assert list(zip(df["iso3"][:5], df["gap"][:5], strict=True)) == [
        ("KAZ", "Law enforcement capacity"), ("ALB", "Licensing"), ("UZB", "Dual-use identification"),
        ("CIV", "Licensing"), ("KAZ", "Control lists")]
    rows = df.set_index(["iso3", "gap"])
    assert rows.loc[("KAZ", "Legal and regulatory framework"), "offered by"] == "Japan (2018, to named states)"
    assert rows.loc[("KGZ", "Licensing"), "offered by"] == f"{HOSTILE_PROVIDER} (2016, to all participants)"
    assert rows.loc[("UZB", "Dual-use identification"), "requested (dates)"] == "2019-02-01"
    assert rows.loc[("KAZ", "Border and customs control"), "taken up (later events)"] == "2018"
    assert rows.loc[("UZB", "Dual-use identification"), "summary"] == (
        "reported once in 2018, requested 2019-02-01, no later event on it")
    assert rows.loc[("ALB", "Licensing"), "summary"] == (
        "not reported at a workshop, requested 2016-05-04, no later event on it")
    # each row links to its Matching row and to the state's profile at that gap
    assert rows.loc[("KAZ", "Legal and regulatory framework"), "matching"] == (
        "./matching?pair=KAZ%3Alegal_regulatory_framework")
    assert rows.loc[("KAZ", "Legal and regulatory framework"), "profile"] == (
        "./state?state=KAZ&gap=legal_regulatory_framework")


def test_the_gap_finder_controls_stay_in_the_url(location):
    at = app("gaps")
    at.toggle(key="gaps_open").set_value(True).run()
    assert qp(at) == {"open": "1"} and set(gap_table(at)["status"]) == {"open"}
    at = app("gaps", min="2")
    assert at.number_input(key="gaps_min").value == 2
    assert list(gap_table(at)["gap"]) == ["Border and customs control"]  # KAZ: 2012 and 2015, taken up 2018


def test_a_selected_gap_shows_its_status_offer_and_a_link_to_matching(location):
    at = app("gaps", pair="KGZ:licensing")
    assert at.subheader[0].value == "Kyrgyzstan · Licensing"
    text = " ".join(m.value for m in at.markdown)
    assert "**offered**: reported once in 2016, offered by \\<script\\>alert\\(2\\)\\</script\\> Trust" in text
    assert "<script>" not in text


def test_a_gap_only_formally_requested_opens_without_need_sentences(location):
    at = app("gaps", pair="ALB:licensing")
    assert not at.exception and not at.error
    assert at.subheader[0].value == "Albania · Licensing"
    assert [c.value for c in at.caption if "formal request only" in c.value] == [
        "No need reported at a workshop (a formal request only)."]
    # formal requests are not searched by the words: with words set, the pair stays for its request
    at.text_input(key="flt_text").input("licens").run()
    assert not at.exception and not at.error
    assert [c.value for c in at.caption if "formal request" in c.value] == [
        "No reported need holds the words; the gap is listed for its formal request."]


def test_the_gap_finder_csv_is_the_table_shown(location):
    from needs_tracker.store import connect
    from needs_tracker.store.assistance import matching_table
    from needs_tracker.ui.pages.gaps import ranked, table

    with connect(location) as con:
        shown = table(ranked(matching_table(con, NeedFilter())))
    assert list(shown.columns) == ["state", "iso3", "gap", "status", "years open", "summary", "workshops",
                                   "first raised", "requested (dates)", "offered by", "taken up (later events)"]
    assert len(shown) == 11


# --- state profile -------------------------------------------------------------------------

def test_the_state_profile_opens_requests_and_offers_on_demand(location):
    at = app("state", state="KAZ")
    assert [e.label for e in at.expander if e.label == "Requests and offers"] == ["Requests and offers"]
    assert not any("Offers (who, when, to whom)" in d.value.columns for d in at.dataframe)  # lazy: closed
    at = app("state", state="KAZ", assist="1")
    status = next(d.value for d in at.dataframe if "Offers (who, when, to whom)" in d.value.columns)
    rows = status.set_index("Gap")
    assert rows.loc["Legal and regulatory framework", "Status"] == "offered"
    assert rows.loc["Legal and regulatory framework", "Offers (who, when, to whom)"] == "Japan (2018, to named states)"
    assert rows.loc["Law enforcement capacity", "Status"] == "open"
    assert rows.loc["Border and customs control", "Status"] == "taken up"
    assert rows.loc["Border and customs control", "Later events (years)"] == "2018"
    offers = next(d.value for d in at.dataframe if "offer" in d.value.columns)
    assert list(offers["provider"]) == ["Japan"] and list(offers["offer"]) == [OFFER]
    assert "No formal request." in [c.value for c in at.caption]
    assert any(c.value.startswith("4 gap(s): 2 open, 1 offered, 1 taken up.") for c in at.caption)


def test_a_state_with_only_a_formal_request_shows_it(location):
    at = app("state", state="ALB", assist="1")
    requests = next(d.value for d in at.dataframe if "request" in d.value.columns)
    assert list(requests["requested on"]) == ["2016-05-04"] and list(requests["request"]) == [LETTER]
    assert list(requests["gap"]) == ["Licensing"]
    assert "No offer." in [c.value for c in at.caption]


# --- the matching table as an export -------------------------------------------------------

def test_matching_csv_round_trips_with_pandas(location, tmp_path, capsys):
    out = tmp_path / "matching.csv"
    assert cli_main(["export", "--format", "matching-csv", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: 11 (state, gap) pairs (")
    df = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert tuple(df.columns) == HEADERS and len(df) == 11
    rows = df.set_index(["ISO3", "Gap ID"])
    assert rows.loc[("KAZ", "legal_regulatory_framework"), "Status"] == "offered"
    assert rows.loc[("KAZ", "legal_regulatory_framework"), "Offers (who, when, to whom)"] == (
        "Japan (2018, to named states)")
    assert rows.loc[("UZB", "dual_use_identification"), "Requests (dates)"] == "2019-02-01"
    assert rows.loc[("KAZ", "border_customs_control"), "Later events (workshop #)"] == "2"
    assert rows.loc[("CIV", "licensing"), "First raised"] == ""  # unknown year: an empty cell


def test_matching_json_and_parquet_keep_lists(location):
    f = NeedFilter(states=("KAZ",))
    data, mime, name = to_bytes("matching-json", f)
    assert mime == "application/json" and name.startswith("matching-KAZ_") and name.endswith(".json")
    doc = json.loads(data)
    assert doc["metadata"]["filter"] == f.describe() and doc["metadata"]["pairs"] == 4
    assert doc["metadata"]["status_counts"] == {"open": 2, "offered": 1, "taken up": 1}
    legal = next(r for r in doc["records"] if r["Gap ID"] == "legal_regulatory_framework")
    assert legal["Offers (who, when, to whom)"] == [{"provider": "Japan", "year": 2018, "workshop_id": 2,
                                                     "to": "named"}]
    table = pq.read_table(io.BytesIO(to_bytes("matching-parquet", f)[0]))
    meta = json.loads(table.schema.metadata[b"needs_tracker"])
    assert meta["filter"] == f.describe()
    border = next(r for r in table.to_pylist() if r["Gap ID"] == "border_customs_control")
    assert border["Needs reported (years)"] == [2012, 2015] and border["Later events (workshop #)"] == [2]


def test_the_matching_formats_are_apart_from_the_needs_formats():
    assert MATCHING_FORMATS == ("matching-csv", "matching-json", "matching-parquet")
    assert not set(MATCHING_FORMATS) & set(NEEDS_FORMATS)
    assert suggested_file_name(NeedFilter(states=("KAZ",)), "matching-csv") == "matching-KAZ.csv"
