"""Named queries on a small store of three notes written here (2012, 2015, 2018), stored row by
row through the store's write functions: what the rules extract from them does not matter here."""

from __future__ import annotations

import pytest

from conftest import fixture_document, fixture_extraction
from needs_tracker import store as the_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads, writes

NOTES = {
    "a_2012.txt": """Information Note

Event: Workshop on Border Controls in Central Asia
Organizers: Organization for Security and Co-operation in Europe (OSCE)
Date and Venue: 13-15 March 2012, Almaty, Kazakhstan
Participants: States: Kazakhstan, Kyrgyzstan.

Highlights

Kazakhstan requested assistance to strengthen its border and customs controls.
Kyrgyzstan needs assistance in developing its legal and regulatory framework.
""",
    "b_2015.txt": """Information Note

Event: Seminar on Border and Customs Controls
Organizers: UN Office for Disarmament Affairs
Date and Venue: 10-11 June 2015, Bishkek, Kyrgyzstan
Participants: States: Kazakhstan, Kyrgyzstan.

Highlights

The seminar addressed border and customs controls, customs procedures and detection at borders.
Kyrgyzstan still needs assistance in developing its legal and regulatory framework <script>alert(1)</script>.
""",
    "c_2018.txt": """Information Note

Event: Regional Workshop on Licensing and Legal Frameworks
Organizers: Organization for Security and Co-operation in Europe (OSCE)
Date and Venue: 24-25 April 2018, Vienna, Austria
Participants: States: Kazakhstan, Kyrgyzstan, Uzbekistan.

Highlights

Uzbekistan requested assistance with licensing procedures for dual-use goods.
Kazakhstan requested assistance to strengthen its border and customs controls.
""",
}

KAZ_BORDERS = "Kazakhstan requested assistance to strengthen its border and customs controls."
KGZ_LEGAL = "Kyrgyzstan needs assistance in developing its legal and regulatory framework"
SPECS = {
    "a_2012.txt": dict(
        title="Workshop on Border Controls in Central Asia", start=(2012, 3, 13), end=(2012, 3, 15), city="Almaty",
        country=("KAZ", "Kazakhstan"), organizers=["Organization for Security and Co-operation in Europe (OSCE)"],
        participants=[("KAZ", "Kazakhstan", "host"), ("KGZ", "Kyrgyzstan", "participant")],
        needs=[("KAZ", "border_customs_control", KAZ_BORDERS, 0.9),
               ("KGZ", "legal_regulatory_framework", KGZ_LEGAL + ".", 0.8)],
        topics=[("border_customs_control", "Workshop on Border Controls in Central Asia")]),
    "b_2015.txt": dict(
        title="Seminar on Border and Customs Controls", start=(2015, 6, 10), end=(2015, 6, 11), city="Bishkek",
        country=("KGZ", "Kyrgyzstan"), organizers=["UN Office for Disarmament Affairs"],
        participants=[("KAZ", "Kazakhstan", "participant"), ("KGZ", "Kyrgyzstan", "host")],
        needs=[("KGZ", "legal_regulatory_framework",
                "Kyrgyzstan still needs assistance in developing its legal and regulatory framework "
                "<script>alert(1)</script>.", 0.7)],
        topics=[("border_customs_control", "The seminar addressed border and customs controls")]),
    "c_2018.txt": dict(
        title="Regional Workshop on Licensing and Legal Frameworks", start=(2018, 4, 24), end=(2018, 4, 25),
        city="Vienna", country=("AUT", "Austria"),
        organizers=["Organization for Security and Co-operation in Europe (OSCE)"],
        participants=[("KAZ", "Kazakhstan", "participant"), ("KGZ", "Kyrgyzstan", "participant"),
                      ("UZB", "Uzbekistan", "participant")],
        needs=[("UZB", "licensing", "Uzbekistan requested assistance with licensing procedures for dual-use goods.",
                0.9), ("KAZ", "border_customs_control", KAZ_BORDERS, 0.85)],
        topics=[("licensing", "Regional Workshop on Licensing"),
                ("legal_regulatory_framework", "Legal Frameworks")]),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    location = str(tmp_path_factory.mktemp("store") / "q.duckdb")

    def work(con):
        for name, text in NOTES.items():
            doc = fixture_document(name, text)
            writes.insert_document(con, doc)
            writes.merge_extraction(con, writes.new_workshop(con, doc.sha256), fixture_extraction(text, SPECS[name]),
                                    text=text)

    the_store.write(location, work)
    return location


@pytest.fixture
def con(store):
    with connect(store) as c:
        yield c


def test_counts_follow_the_filter(con):
    assert reads.counts(con, NeedFilter()) == {"workshops": 3, "states": 3, "needs": 5, "confirmed": 0, "documents": 3}
    assert reads.counts(con, NeedFilter(states=("KAZ",)))["needs"] == 2
    assert reads.counts(con, NeedFilter(year_from=2015))["workshops"] == 2
    assert reads.counts(con, NeedFilter(text="nothing like this"))["needs"] == 0


def test_heatmap_counts_workshops_with_years_and_latest(con):
    df = reads.heatmap(con, NeedFilter())
    kaz = df[(df.state_iso3 == "KAZ") & (df.category == "border_customs_control")].iloc[0]
    assert kaz.workshops == 2
    assert kaz.years == "2012, 2018"
    assert kaz.latest_year == 2018
    assert "Licensing" in kaz.latest_workshop


def test_by_state_and_by_year(con):
    by_state = reads.by_state(con, NeedFilter()).set_index("state_iso3")
    assert by_state.loc["KGZ", "needs"] == 2 and by_state.loc["KGZ", "categories"] == 1
    by_year = reads.by_year(con, NeedFilter())
    assert sorted(by_year["year"].unique()) == [2012, 2015, 2018]
    assert by_year["needs"].sum() == 5


def test_by_year_summary_names_the_states_and_gaps_of_each_year(con):
    df = reads.by_year_summary(con, NeedFilter()).set_index("year")
    assert list(df.index) == [2012, 2015, 2018]
    assert df.loc[2012, "state_names"] == "Kazakhstan, Kyrgyzstan" and df.loc[2012, "states"] == 2
    assert list(df.loc[2018, "categories"]) == sorted(df.loc[2018, "categories"])
    assert df["workshops"].tolist() == [1, 1, 1]
    assert reads.by_year_summary(con, NeedFilter(states=("UZB",)))["state_names"].tolist() == ["Uzbekistan"]


def test_state_timeline_says_whether_still_reported(con):
    tl = reads.state_timeline(con, NeedFilter(), "KGZ").set_index("category")
    row = tl.loc["legal_regulatory_framework"]
    assert (row.first_year, row.last_year, row.workshops) == (2012, 2015, 2)
    assert row.last_attended == 2018 and not row.still_reported
    kaz = reads.state_timeline(con, NeedFilter(), "KAZ").set_index("category")
    assert bool(kaz.loc["border_customs_control", "still_reported"])


def test_gap_finder_ranks_persistence_and_finds_later_events(con):
    df = reads.gap_finder(con, NeedFilter())
    pairs = {(r.state_iso3, r.category): r for r in df.itertuples(index=False)}
    kaz = pairs[("KAZ", "border_customs_control")]
    # the 2015 seminar on borders came before the 2018 report: it does not count
    assert kaz.unaddressed and kaz.workshops == 2 and kaz.span_years == 6
    kgz = pairs[("KGZ", "legal_regulatory_framework")]
    assert not kgz.unaddressed and kgz.addressed_year == 2018
    # unaddressed first, then the most persistent
    assert (df.iloc[0].state_iso3, df.iloc[0].category) == ("KAZ", "border_customs_control")
    assert list(df["unaddressed"]) == sorted(df["unaddressed"], reverse=True)


def test_workshops_and_one_workshop(con):
    all_ws = reads.workshops(con, NeedFilter())
    assert len(all_ws) == 3
    assert list(reads.workshops(con, NeedFilter(organizer="disarmament"))["year"]) == [2015]
    assert reads.workshops(con, NeedFilter(text="nothing like this")).empty
    wid = int(all_ws[all_ws.year == 2015].workshop_id.iloc[0])
    info = reads.workshop(con, wid)
    assert info["organizers"] == ["UN Office for Disarmament Affairs"]
    assert set(info["participants"]["state_iso3"]) == {"KAZ", "KGZ"}
    assert list(info["topics"]["category"]) == ["border_customs_control"]
    need = info["needs"].iloc[0]
    assert info["text"][need.span_start:need.span_end] == need.evidence
    assert reads.workshop(con, 999) is None


def test_workshops_attended_lists_topics(con):
    df = reads.workshops_attended(con, "KAZ")
    assert list(df["year"]) == [2018, 2015, 2012]
    assert "border_customs_control" in df["topics"].iloc[1]


def test_filter_options_offer_only_stored_values(con):
    opts = reads.filter_options(con)
    assert [s["iso3"] for s in opts["states"]] == ["KAZ", "KGZ", "UZB"]
    assert (opts["year_min"], opts["year_max"]) == (2012, 2018)
    assert "Central Asia" in opts["subregions"]


def test_needs_page_gives_the_first_rows_and_the_total_in_one_query(con):
    from needs_tracker.filters import NeedFilter
    from needs_tracker.store import reads

    everything = reads.needs(con, NeedFilter())
    rows, total = reads.needs_page(con, NeedFilter(), 2)
    assert total == len(everything) == 5 and len(rows) == 2
    assert list(rows["need_id"]) == list(everything["need_id"][:2])
    assert reads.needs_page(con, NeedFilter(text="no such words anywhere"), 2)[1] == 0


def test_a_needs_page_under_a_workshops_filter_keeps_its_limit(tmp_path):
    """DuckDB 2.0.1 dropped this LIMIT under a workshops filter (5 rows for "limit 2")."""
    from fixture_store import build_store

    path = build_store(tmp_path / "s.duckdb")
    with connect(path, read_only=True) as con:
        page, total = reads.needs_page(con, NeedFilter(workshops=(1,)), 2)
    assert total > 2
    assert len(page) == 2
