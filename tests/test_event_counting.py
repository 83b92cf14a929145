"""Workshops are counted as events, not documents: two documents of one event (an information
note and a press release) count once in the counts, heatmap, summaries, briefs, the Workshops
list and ``stats``; a reviewer's split makes them two, a merge one again. The store is written
row by row (tests/event_store.py); the last test goes through the real CLI and extractor."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from event_store import PRESS_TITLE, build_event_store
from needs_tracker.auth import local_editor
from needs_tracker.cli import main
from needs_tracker.filters import NeedFilter
from needs_tracker.store import assistance_review as ar
from needs_tracker.store import connect, reads, workshop_reads
from needs_tracker.store.assistance import event_sources, offers_for, requests_for

EDITOR = local_editor("test:reviewer")
ALL = NeedFilter()
NOTES = {
    "almaty_information_note.txt": """Information Note

Event: Regional Workshop on the Implementation of Resolution 1540 (2004) for Central Asian States

Organizers: United Nations Office for Disarmament Affairs (UNODA), with the support of the Government of Kazakhstan.

Date and Venue: 14-16 May 2019, Almaty, Kazakhstan

Participants: States: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.

Kyrgyzstan reported that it still lacks a national control list of dual-use goods.
Tajikistan requested assistance with detection equipment at its border crossings.
""",
    "almaty_press_release.md": """# Central Asian States review their implementation of resolution 1540 in Almaty

*Almaty, 17 May 2019*

The United Nations Office for Disarmament Affairs (UNODA) held a regional workshop for Central Asian States on the \
implementation of resolution 1540 (2004) in Almaty, Kazakhstan, from 14 to 16 May 2019. Officials from Kazakhstan, \
Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan took part.

Uzbekistan noted the need for training of its customs officers in identifying strategic goods.
""",
}


@pytest.fixture
def location(isolated_store) -> str:
    return build_event_store(isolated_store)


def _cell(heat, iso3: str, category: str):
    return heat[(heat["state_iso3"] == iso3) & (heat["category"] == category)].iloc[0]


def test_two_documents_of_one_event_count_once(location):
    with connect(location) as con:
        assert reads.counts(con, ALL) == {"workshops": 2, "states": 3, "needs": 4, "confirmed": 1, "documents": 3}
        assert reads.counts(con, NeedFilter(states=("UZB",))) == {
            "workshops": 1, "states": 1, "needs": 2, "confirmed": 1, "documents": 2}
        cell = _cell(reads.heatmap(con, ALL), "UZB", "dual_use_identification")
        assert (cell["workshops"], cell["years"], cell["latest_workshop"], cell["latest_year"]) == (
            1, "2018", "Peer review, Vienna", 2018)
        by_state = reads.by_state(con, ALL).set_index("state_iso3")
        assert by_state.loc["UZB", ["needs", "workshops"]].tolist() == [2, 1]
        by_category = reads.by_category(con, ALL).set_index("category")
        assert by_category.loc["dual_use_identification", ["needs", "states", "workshops"]].tolist() == [2, 1, 1]
        summary = reads.by_year_summary(con, ALL).set_index("year")
        assert summary["workshops"].to_dict() == {2012: 1, 2018: 1}
        timeline = reads.state_timeline(con, ALL, "UZB").set_index("category")
        assert timeline.loc["dual_use_identification", "workshops"] == 1
        groups = reads.heatmap_by_group(con, ALL, "subregion").set_index(["grp", "category"])
        assert groups.loc[("Central Asia", "dual_use_identification"), "workshops"] == 1
        assert reads.stats(con) == {"documents": 5, "events": 4, "states": 5, "needs": 4}


def test_the_workshops_list_has_one_row_per_event_with_its_sources(location):
    with connect(location) as con:
        table = reads.workshops(con, ALL)
        only_uzb = reads.workshops(con, NeedFilter(states=("UZB",)))
    assert table["workshop_id"].tolist() == [4, 1, 3, 5]  # newest first, the undated register last
    vienna = table.set_index("workshop_id").loc[1]
    assert (vienna["title"], vienna["sources"], vienna["needs"], vienna["participants"], vienna["file_name"]) == (
        "Peer review, Vienna", 2, 3, 2, "vienna_information_note.txt; vienna_press_release.txt")
    assert table.set_index("workshop_id").loc[4, ["sources", "needs"]].tolist() == [1, 0]
    assert only_uzb[["workshop_id", "sources", "needs"]].values.tolist() == [[1, 2, 2]]


def test_a_state_attended_each_event_once(location):
    with connect(location) as con:
        con.execute("insert into topics values (2, 'dual_use_identification', 'dual-use items', 0, 5)")
        con.execute("update participation set role = 'host' where workshop_id = 2 and state_iso3 = 'KAZ'")
        attended = reads.workshops_attended(con, "KAZ")
    assert attended[["workshop_id", "title", "role", "topics"]].values.tolist() == [
        [1, "Peer review, Vienna", "host", "dual_use_identification"]]


def test_a_brief_quotes_the_event_and_names_the_source(location):
    with connect(location) as con:
        pairs = reads.brief_pairs(con, ALL, 5).set_index(["state_iso3", "category"])
    uzb = pairs.loc[("UZB", "dual_use_identification")]
    assert (uzb["needs"], uzb["workshops"]) == (2, 1)
    assert sorted((q["workshop_id"], q["source_workshop_id"], q["workshop_title"], q["file_name"])
                  for q in uzb["quotes"]) == [(1, 1, "Peer review, Vienna", "vienna_information_note.txt"),
                                              (1, 2, "Peer review, Vienna", "vienna_press_release.txt")]


def test_split_makes_two_events_and_merge_one_again(location):
    ar.split_source(EDITOR, 2, location=location)
    with connect(location) as con:
        assert reads.counts(con, ALL)["workshops"] == 3
        assert _cell(reads.heatmap(con, ALL), "UZB", "dual_use_identification")["workshops"] == 2
        assert reads.workshops(con, ALL)["workshop_id"].tolist() == [4, 1, 2, 3, 5]
        assert reads.stats(con)["events"] == 5
        assert event_sources(con, 2)[["workshop_id", "linked_by"]].values.tolist() == [[2, "split"]]
        assert workshop_reads.merge_candidates(con, 2)["workshop_id"].tolist() == [1, 4, 3]
    assert ar.merge_sources(EDITOR, [2, 1], location=location) == 1
    with connect(location) as con:
        assert reads.counts(con, ALL)["workshops"] == 2
        assert _cell(reads.heatmap(con, ALL), "UZB", "dual_use_identification")["workshops"] == 1
        assert reads.workshops(con, ALL).set_index("workshop_id").loc[1, "sources"] == 2
        assert event_sources(con, 2)[["workshop_id", "linked_by", "is_record"]].values.tolist() == [
            [1, "manual", True], [2, "manual", False]]


def test_a_workshop_page_reads_its_event_sources_offers_and_requests(location):
    with connect(location) as con:
        record, source = reads.workshop(con, 1), reads.workshop(con, 2)
        sources = event_sources(con, 2)
        offers = offers_for(con, None, None, workshop_ids=[1, 2])  # the read the Matching page uses
        requests = requests_for(con, None, None, workshop_ids=[5])
        candidates = workshop_reads.merge_candidates(con, 1)
    assert (record["event_id"], len(record["needs"]), len(record["event_needs"])) == (1, 2, 3)
    assert (source["event_id"], len(source["needs"]), len(source["event_needs"])) == (1, 1, 1)
    assert sources[["workshop_id", "title", "is_record", "linked_by", "needs"]].values.tolist() == [
        [1, "Peer review, Vienna", True, "extracted", 2], [2, PRESS_TITLE, False, "extracted", 1]]
    assert sources["score"].fillna(-1).tolist() == [-1, 0.93]  # the record has no score of its own
    assert offers[["provider", "category", "recipients_kind", "workshop_id"]].values.tolist() == [
        ["European Union", "dual_use_identification", "named", 2]]
    assert list(offers["recipients_iso3"].iloc[0]) == ["UZB"]
    assert requests[["state_iso3", "category", "requested_on"]].values.tolist() == [
        ["KEN", "interagency_cooperation", pd.Timestamp(date(2019, 1, 18))]]
    assert candidates["workshop_id"].tolist() == [4, 3]  # same year first; not its own source, not the register


def test_cli_ingest_of_two_notes_of_one_event_gives_one_event(tmp_path, capsys):
    import json

    notes = tmp_path / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    assert main(["ingest", str(notes)]) == 0
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["documents"], stats["events"], stats["states"]) == (2, 1, 5)
    assert main(["stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["documents  2", "events     1"]


def test_an_exports_summary_counts_events(location):
    from needs_tracker.export.data import gather

    data = gather(NeedFilter(states=("UZB",)), location=location)
    assert data.summary_lines() == ["2 needs reported for 1 state at 1 workshop."]
    assert data.metadata()["workshops"] == 1


def test_a_re_read_record_that_now_matches_another_event_takes_no_source_with_it(location):
    """Note 1 stands for the Vienna event (2 is its second source). Re-read, it now describes the
    Nairobi briefing (4): it joins 4's event, and 2 is compared afresh instead of pointing at a
    workshop that no longer stands for any event."""
    from needs_tracker.store.assistance import event_of, link_events
    from needs_tracker.store.connection import in_transaction

    with connect(location) as con:
        con.execute("update workshops set title = 'Briefing, Nairobi', start_date = '2018-10-02', "
                    "end_date = '2018-10-02', venue_city = 'Nairobi', venue_country = 'Kenya' where id = 1")
        con.execute("delete from participation where workshop_id = 1")
        con.execute("insert into participation (workshop_id, state_iso3, role) values (1, 'KEN', 'participant')")
        in_transaction(con, lambda c: link_events(c, [1]))
        assert {w: event_of(con, w) for w in (1, 2, 4)} == {1: 4, 2: 2, 4: 4}
        assert reads.workshops(con, ALL)["workshop_id"].tolist() == [4, 2, 3, 5]


def test_a_register_of_requests_is_never_merged_into_an_event(location):
    with pytest.raises(ar.ReviewError, match="#5 is a register of assistance requests"):
        ar.merge_sources(EDITOR, [4, 5], location=location)
    with connect(location) as con:
        assert con.execute("select count(*) from workshop_sources where workshop_id in (4, 5)").fetchall() == [(0,)]


def test_an_offer_two_sources_of_one_event_record_is_listed_once(location):
    from needs_tracker.store.assistance import matching_table

    with connect(location) as con:  # the information note records the press release's offer too
        con.execute("insert into offers (workshop_id, provider, category, recipients_iso3, recipients_kind, evidence, "
                    "span_start, span_end, rule, confidence) select 1, provider, category, recipients_iso3, "
                    "recipients_kind, evidence, span_start, span_end, rule, confidence from offers "
                    "where workshop_id = 2")
        row = matching_table(con, NeedFilter(states=("UZB",))).iloc[0]
    assert [o["provider"] for o in row["offers"]] == ["European Union"]


def test_a_matching_rows_evidence_lists_what_the_row_counted(location):
    """The Matching page's evidence panel reads offers and requests under the row's own rules: the
    filter's years, and offers only since the gap was first raised."""

    with connect(location) as con:
        def providers(**kw):
            return offers_for(con, "UZB", "dual_use_identification", **kw)["provider"].tolist()

        assert providers() == providers(since=2018) == ["European Union"]  # offered in 2018
        assert providers(since=2019) == []
        assert providers(f=NeedFilter(year_to=2017)) == []
        assert len(requests_for(con, "KEN", "interagency_cooperation")) == 1
        assert requests_for(con, "KEN", "interagency_cooperation", NeedFilter(year_from=2020)).empty  # made 2019
        # every gap at once (the state profile): the filter's gaps still apply
        assert offers_for(con, "UZB", None)["category"].tolist() == ["dual_use_identification"]
        assert offers_for(con, "UZB", None, NeedFilter(categories=("licensing",))).empty
        assert requests_for(con, "KEN", None)["category"].tolist() == ["interagency_cooperation"]
