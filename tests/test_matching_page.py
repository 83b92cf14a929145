"""The Matching page through AppTest, on the dashboard's fixture store (tests/fixture_store.py)
plus offers and requests written by the store's own ``merge_assistance`` (no extractor): the
statuses of known rows, the status control in the URL, a row's evidence, and the CSV download."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import app
from fixture_store import build_store
from needs_tracker import store
from needs_tracker.export.matching_format import HEADERS, flat_table, to_csv, to_xlsx
from needs_tracker.extract.assistance_records import OfferRecord, RequestRecord
from needs_tracker.filters import NeedFilter
from needs_tracker.store.assistance import matching_table, merge_assistance

pytestmark = pytest.mark.usefixtures("fresh_streamlit")
OFFER = "Japan stands ready to help Kazakhstan draft its export control law <script>alert(1)</script>."
REQUEST = "Uzbekistan requested assistance in identifying dual-use items."
LETTER = "Albania has the honour to request assistance with its licensing system."


def _add_assistance(location: str) -> None:
    def work(con):
        vienna = con.execute("select id from workshops where title = 'Peer review, Vienna'").fetchall()[0][0]
        geneva = con.execute("select id from workshops where title = 'Briefing without named states'").fetchall()[0][0]
        merge_assistance(con, vienna, SimpleNamespace(
            offers=[OfferRecord("Japan", "JPN", "legal_regulatory_framework", ("KAZ",), "named", OFFER, 0,
                                len(OFFER), 0.9, "test")],
            requests=[RequestRecord("UZB", "dual_use_identification", date(2019, 2, 1), REQUEST, 0, len(REQUEST),
                                    0.9, "test")]))
        merge_assistance(con, geneva, SimpleNamespace(offers=[], requests=[
            RequestRecord("ALB", "licensing", date(2016, 5, 4), LETTER, 0, len(LETTER), 0.9, "test")]))

    store.write(location, work)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = build_store(tmp_path_factory.mktemp("matching") / "store.duckdb")
    _add_assistance(path)
    return Path(path)


@pytest.fixture
def location(template, isolated_store) -> str:
    import shutil

    shutil.copy(template, isolated_store)
    return str(isolated_store)


def shown(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Status" in d.value.columns)


def statuses(df: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(r["ISO3"], r["Gap ID"]): r["Status"] for _, r in df.iterrows()}


def qp(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def test_the_page_shows_each_pair_with_its_status(location):
    at = app("matching")
    got = statuses(shown(at))
    assert got[("KAZ", "legal_regulatory_framework")] == "offered"      # Japan's 2018 offer
    assert got[("UZB", "dual_use_identification")] == "open"            # reported 2018, requested 2019
    assert got[("ALB", "licensing")] == "open"                          # a formal request only
    assert got[("KAZ", "border_customs_control")] == "taken up"         # the 2018 event on border controls
    assert ("UZB", "licensing") not in got                              # its only need was rejected
    row = shown(at).set_index(["ISO3", "Gap ID"]).loc[("KAZ", "legal_regulatory_framework")]
    assert row["Offers (who, when, to whom)"] == "Japan (2018, to named states)"
    assert "No row selected" in " ".join(c.value for c in at.caption)


def test_the_status_control_round_trips_through_the_url(location):
    at = app("matching")
    at.segmented_control(key="matching_status").set_value("open").run()
    assert qp(at) == {"match": "open"}
    assert set(shown(at)["Status"]) == {"open"}
    at = app("matching", match="taken up")
    assert at.segmented_control(key="matching_status").value == "taken up"
    assert set(shown(at)["Status"]) == {"taken up"}
    at.segmented_control(key="matching_status").set_value("all").run()
    assert "match" not in qp(at)
    at = app("matching", match="nonsense")  # an unreadable page setting falls back to all rows
    assert {"open", "offered", "taken up"} <= set(shown(at)["Status"])


def test_a_selected_pair_shows_its_offer_request_and_needs_as_text(location):
    at = app("matching", pair="KAZ:legal_regulatory_framework")
    assert at.subheader[0].value == "Kazakhstan · Legal and regulatory framework"
    offers = next(d.value for d in at.dataframe if "offer" in d.value.columns)
    assert list(offers["provider"]) == ["Japan"] and list(offers["offer"]) == [OFFER]
    shown = " ".join([m.value for m in at.markdown] + [h.value for h in at.html])  # the sentences: st.html
    assert "<script>" not in shown  # the note's text is never HTML here
    assert "Kazakhstan is still drafting its export control law." in " ".join(h.value for h in at.html)
    at = app("matching", pair="UZB:dual_use_identification")
    requests = next(d.value for d in at.dataframe if "request" in d.value.columns)
    assert list(requests["requested on"]) == ["2019-02-01"] and list(requests["request"]) == [REQUEST]


def test_the_csv_and_xlsx_downloads_hold_the_rows(location):
    with store.connect(location) as con:
        table = matching_table(con, NeedFilter(), as_of=date(2024, 6, 1))
    csv = pd.read_csv(io.BytesIO(to_csv(table)), encoding="utf-8-sig", keep_default_na=False)
    assert tuple(csv.columns) == HEADERS and len(csv) == len(table)
    rows = csv.set_index(["ISO3", "Gap ID"])
    assert rows.loc[("KAZ", "legal_regulatory_framework"), "Status"] == "offered"
    assert rows.loc[("UZB", "dual_use_identification"), "Requests (dates)"] == "2019-02-01"
    assert rows.loc[("KAZ", "border_customs_control"), "Needs reported (years)"] == "2012; 2015"
    assert rows.loc[("ALB", "licensing"), "Years open"] == "8"  # requested 2016, open until 2024
    assert rows.loc[("CIV", "licensing"), "Years open"] == ""  # reported at a workshop without a year
    sheet = pd.read_excel(io.BytesIO(to_xlsx(table)), sheet_name="Matching")
    assert len(sheet) == len(table) and list(sheet["ISO3"]) == list(flat_table(table)["ISO3"])
    at = app("matching")
    assert [b.proto.label for b in at.get("download_button") if b.proto.label in ("CSV", "Excel")] == ["CSV", "Excel"]


def test_the_xlsx_export_has_a_matching_sheet(location):
    from needs_tracker.export import to_bytes

    f = NeedFilter(states=("KAZ",))
    sheet = pd.read_excel(io.BytesIO(to_bytes("xlsx", f, location=location)[0]), sheet_name="Matching")
    with store.connect(location) as con:
        expected = flat_table(matching_table(con, f))
    assert list(sheet.columns) == list(HEADERS) and set(sheet["ISO3"]) == {"KAZ"}
    assert list(sheet["Gap ID"]) == list(expected["Gap ID"])
    assert sheet.set_index("Gap ID").loc["legal_regulatory_framework", "Offers (who, when, to whom)"] == (
        "Japan (2018, to named states)")
