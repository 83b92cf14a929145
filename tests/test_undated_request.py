"""A formal request whose document gives no date (a register page "date unknown", as the 1540
Committee's summary of requests) still shows on every view of the matching table (qa10): before,
its pair read *open* with an empty "Requests (dates)" cell on the Matching page and the gap finder,
and both briefs said "No offers or requests are recorded for this selection" for the state."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from export_readers import html_parse
from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker.export import to_bytes
from needs_tracker.export.brief_assistance import NO_ASSISTANCE
from needs_tracker.export.matching_format import to_csv
from needs_tracker.filters import NeedFilter
from needs_tracker.labels import DATE_UNKNOWN
from needs_tracker.store import assistance, connect, matching_base

REGISTER_ITEM = "Formal requests were submitted to the Committee by Côte d'Ivoire and Guatemala."


@pytest.fixture
def undated(isolated_store, monkeypatch):
    """The assisted fixture plus a register whose one request (Côte d'Ivoire, control lists) has no
    date, and a second, dated request of that state on another gap."""
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")
    location = build_store(isolated_store)
    add_assistance(location)
    with connect(location) as con:
        con.execute("insert into documents (id, file_name, format, size_bytes, text) values "
                    "('register', 'register.txt', 'txt', 80, ?)", [REGISTER_ITEM])
        wid = con.execute("insert into workshops (document_id, title, kind) values ('register', '1540 Committee', "
                          "'assistance_requests') returning id").fetchall()[0][0]
        for category, day in (("control_lists", None), ("licensing", "2015-03-25"), ("licensing", None)):
            con.execute("insert into requests (workshop_id, state_iso3, category, requested_on, evidence, span_start,"
                        " span_end, rule, confidence) values (?, 'CIV', ?, ?, ?, 0, ?, 'test', 0.6)",
                        [wid, category, day, REGISTER_ITEM, len(REGISTER_ITEM)])
    return location


def _rows(table: pd.DataFrame) -> dict[str, list]:
    return {r.category: list(r.request_dates) for r in table.itertuples(index=False)}


def test_the_matching_table_lists_an_undated_request(undated):
    f = NeedFilter(states=("CIV",))
    with connect(undated) as con:
        direct = assistance.matching_table(con, f)
        base = matching_base.build(con)
    on_copy = matching_base.matching_table(base, f)  # the dashboard's path on the store's copy
    for table in (direct, on_copy):
        assert _rows(table) == {"control_lists": [DATE_UNKNOWN], "licensing": ["2015-03-25", DATE_UNKNOWN]}
        assert table.set_index("category").loc["control_lists", "status"] == "open"
    flat = pd.read_csv(io.BytesIO(to_csv(direct)), encoding="utf-8-sig").set_index("Gap ID")
    assert flat.loc["control_lists", "Requests (dates)"] == DATE_UNKNOWN
    assert flat.loc["licensing", "Requests (dates)"] == f"2015-03-25; {DATE_UNKNOWN}"


def test_the_brief_counts_an_undated_request(undated):
    text = " ".join(" ".join(html_parse(to_bytes("html", NeedFilter(states=("CIV",)))[0]).text).split())
    section = text[text.index("Requests and offers"):text.index("Workshops quoted")]
    assert NO_ASSISTANCE not in section
    assert "3 formal requests on 2 pairs" in section
    assert f"Control lists open (year first raised unknown) {DATE_UNKNOWN} none none" in section


@pytest.mark.usefixtures("fresh_streamlit")
@pytest.mark.parametrize(("pair", "line"), [
    ("CIV:control_lists", "Status: **open** (year first raised unknown)"),
    ("KAZ:border_customs_control", "Status: **taken up** in 2018 (raised 2012)"),
])
def test_a_matching_row_says_its_status_in_words(undated, pair, line):
    """The row's status line, in the briefs' words: it read "open for year unknown year(s) since year
    unknown" for a pair raised only by an undated request (and "taken up · open for 6 year(s)")."""
    from apptest_helpers import app

    at = app("matching", pair=pair)
    said = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("Status:")]
    assert [s.split("\n")[0] for s in said] == [line]


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_gap_finder_says_when_a_request_has_no_date(undated):
    """The gap finder's summary: "requested on an unknown date", not "requested date unknown"."""
    from apptest_helpers import app

    at = app("gaps", states="CIV")
    summary = dict(zip(at.dataframe[0].value["gap"], at.dataframe[0].value["summary"], strict=True))
    assert summary["Control lists"] == "not reported at a workshop, requested on an unknown date, no later event on it"
    assert summary["Licensing"].startswith("reported once (year unknown), requested 2015-03-25 and on an unknown date")


def test_the_briefs_say_an_undated_request_in_words(undated):
    """The large brief's lines say an undated request in the gap finder's words ("requested on an unknown date";
    under "Formal requests:", "Licensing 2015-03-25 and on an unknown date")
    (review10: both briefs wrote "requested 2015-03-25, date unknown")."""
    from needs_tracker.export.brief_assistance import AssistanceSection

    with connect(undated) as con:
        section = AssistanceSection(assistance.matching_table(con, NeedFilter(states=("CIV",))))
    longest = dict(section.longest_open())
    assert longest["Côte d'Ivoire · Control lists"].endswith("; requested on an unknown date")
    said = " ".join(text for _, text in section.paragraph_for("CIV"))
    assert "Licensing 2015-03-25 and on an unknown date" in said
    assert f"2015-03-25, {DATE_UNKNOWN}" not in said
