"""Offers, requests and event sources in a real DuckDB store: ingest writes them, reprocess
keeps people's decisions on them, a reviewer merges and splits sources, and the matching table
reads them back."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from needs_tracker import store as db
from needs_tracker.auth import local_editor
from needs_tracker.errors import ReviewError
from needs_tracker.filters import NeedFilter
from needs_tracker.ingest import ingest_paths
from needs_tracker.reprocess import reprocess
from needs_tracker.store import assistance_review as ar
from needs_tracker.store.assistance import event_sources, matching_table

CORPUS = Path(__file__).parent / "corpus" / "assistance"
EDITOR = local_editor("test:reviewer")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    notes = tmp_path_factory.mktemp("notes")
    for batch in ("tuning", "heldout"):
        for path in (CORPUS / batch).iterdir():
            if path.suffix in (".txt", ".md"):
                shutil.copy(path, notes / path.name)
    location = tmp_path_factory.mktemp("store") / "store.duckdb"
    ingest_paths([notes], location=str(location))
    return location


@pytest.fixture
def location(template, isolated_store) -> str:
    shutil.copy(template, isolated_store)
    return str(isolated_store)


def _rows(location: str, sql: str, params=None) -> list[tuple]:
    with db.connect(location) as con:
        return con.execute(sql, params or []).fetchall()


def _wid(location: str, file_name: str) -> int:
    return _rows(location, "select w.id from workshops w join documents d on d.id = w.document_id "
                           "where d.file_name = ?", [file_name])[0][0]


def test_a_blank_store_gets_the_new_tables(tmp_path):
    with db.connect(str(tmp_path / "blank.duckdb")) as con:
        columns = {t: {r[0] for r in con.execute(f"select column_name from information_schema.columns "
                                                 f"where table_name = '{t}'").fetchall()}
                   for t in ("offers", "requests", "workshop_sources")}
        versions = [r[0] for r in con.execute("select version from schema_migrations order by 1").fetchall()]
    assert versions[:2] == [1, 2]
    assert {"provider", "provider_iso3", "category", "recipients_iso3", "evidence", "span_start", "span_end",
            "status", "original_provider"} <= columns["offers"]
    assert {"state_iso3", "category", "requested_on", "status"} <= columns["requests"]
    assert {"workshop_id", "event_id", "linked_by"} <= columns["workshop_sources"]


def test_ingest_stores_offers_requests_and_kinds(location):
    a1 = _wid(location, "A1_osce_central_asia_offers.txt")
    offers = _rows(location, "select provider, provider_iso3, category from offers where workshop_id = ?", [a1])
    assert set(offers) == {("OSCE", None, "national_action_plan"), ("Japan", "JPN", "detection_equipment"),
                           ("OSCE", None, "control_lists")}
    spans = _rows(location, "select o.evidence, substring(d.text, o.span_start + 1, o.span_end - o.span_start) "
                            "from offers o join workshops w on w.id = o.workshop_id "
                            "join documents d on d.id = w.document_id")
    assert spans and all(evidence == quoted for evidence, quoted in spans)
    a4 = _wid(location, "A4_register_with_headings.txt")
    assert _rows(location, "select kind from workshops where id = ?", [a4]) == [("assistance_requests",)]
    assert ("KEN", "interagency_cooperation", date(2019, 1, 18)) in _rows(
        location, "select state_iso3, category, requested_on from requests where workshop_id = ?", [a4])


def test_two_documents_of_one_event_are_one_event_with_two_sources(location):
    a6, a7 = _wid(location, "A6_kathmandu_announcement.txt"), _wid(location, "A7_kathmandu_report.txt")
    assert set(_rows(location, "select workshop_id, event_id from workshop_sources")) >= {(a6, min(a6, a7)),
                                                                                            (a7, min(a6, a7))}
    with db.connect(location) as con:
        sources = event_sources(con, a7)
    assert sorted(sources["file_name"]) == ["A6_kathmandu_announcement.txt", "A7_kathmandu_report.txt"]


def test_a_reviewer_splits_a_source_and_reprocess_does_not_link_it_again(location):
    a6, a7 = _wid(location, "A6_kathmandu_announcement.txt"), _wid(location, "A7_kathmandu_report.txt")
    ar.split_source(EDITOR, a7, location=location)
    reprocess(location)
    with db.connect(location) as con:
        assert list(event_sources(con, a7)["workshop_id"]) == [a7]
        assert list(event_sources(con, a6)["workshop_id"]) == [a6]
    assert _rows(location, "select action, entity, entity_id from audit_log where after_json like '%split_from_event%'"
                 ) == [("edit", "workshop", str(a7))]
    event = ar.merge_sources(EDITOR, [a7, a6], location=location)
    with db.connect(location) as con:
        assert sorted(event_sources(con, a6)["workshop_id"]) == [a6, a7]
    assert event == min(a6, a7)
    with pytest.raises(ReviewError):
        ar.split_source(EDITOR, _wid(location, "A1_osce_central_asia_offers.txt"), location=location)


def test_reprocess_keeps_decisions_on_offers(location):
    a1 = _wid(location, "A1_osce_central_asia_offers.txt")
    ids = dict((c, i) for i, c in _rows(location, "select id, category from offers where workshop_id = ?", [a1]))
    ar.confirm_offer(EDITOR, ids["national_action_plan"], location=location)
    ar.reject_offer(EDITOR, ids["detection_equipment"], note="test", location=location)
    ar.correct_offer(EDITOR, ids["control_lists"], provider="Organisation for Security and Co-operation in Europe",
                     category="licensing", location=location)
    manual = ar.add_manual_offer(EDITOR, a1, "Norway", "national_action_plan", "The workshop was funded by Norway.",
                                 location=location)
    before = sorted(_rows(location, "select provider, category, status from offers where workshop_id = ?", [a1]))
    reprocess(location)
    after = sorted(_rows(location, "select provider, category, status from offers where workshop_id = ?", [a1]))
    assert after == before == sorted([("OSCE", "national_action_plan", "confirmed"),
                                      ("Japan", "detection_equipment", "rejected"),
                                      ("OSCE", "licensing", "corrected"),
                                      ("Norway", "national_action_plan", "manual")])
    assert _rows(location, "select provider_iso3 from offers where id = ?", [manual]) == [("NOR",)]
    with pytest.raises(ReviewError, match="not in the note"):
        ar.add_manual_offer(EDITOR, a1, "Japan", "other", "a sentence that is not there", location=location)
    with pytest.raises(ReviewError, match="unknown group 'the Moon States'"):
        ar.add_manual_offer(EDITOR, a1, "Japan", "other", "The workshop was funded by Norway.",
                            group="the Moon States", location=location)
    with pytest.raises(ReviewError, match="unknown provider"):
        ar.add_manual_offer(EDITOR, a1, "Nobody Institute", "other", "The workshop was funded by Norway.",
                            location=location)


def test_the_matching_table_over_the_store(location):
    with db.connect(location) as con:
        table = matching_table(con, NeedFilter(), as_of=date(2024, 1, 1))
    rows = {(r.state_iso3, r.category): r for r in table.itertuples(index=False)}
    tjk = rows[("TJK", "training_capacity_building")]  # A1 2019: reported, nothing offered on it
    assert (tjk.status, tjk.years_open, tjk.state_name, tjk.category_label) == (
        "open", 5, "Tajikistan", "Training and capacity building")
    kgz = rows[("KGZ", "control_lists")]  # A1: lacks a control list, the OSCE offered a round table on it
    assert kgz.status == "offered" and kgz.offer_summary == "OSCE (2019)"  # named: to Kyrgyzstan
    uzb = rows[("UZB", "national_action_plan")] if ("UZB", "national_action_plan") in rows else None
    assert uzb is None  # the OSCE's offer to all participants is no gap of Uzbekistan's
    ken = rows[("KEN", "interagency_cooperation")]  # only a formal request, from the register
    assert (ken.request_dates, ken.need_years) == (["2019-01-18"], [])
    with db.connect(location) as con:
        only = matching_table(con, NeedFilter(states=("KGZ",)), as_of=date(2024, 1, 1))
    assert set(only["state_iso3"]) == {"KGZ"}


def test_the_store_survives_a_second_connection_reading_it(location):
    con = duckdb.connect(location, read_only=True)
    try:
        assert con.execute("select count(*) from offers").fetchall()[0][0] > 0
    finally:
        con.close()


def test_a_later_report_joins_the_event_of_an_earlier_announcement(tmp_path, isolated_store):
    location = str(isolated_store)
    ingest_paths([CORPUS / "tuning" / "A6_kathmandu_announcement.txt"], location=location)
    ingest_paths([CORPUS / "tuning" / "A1_osce_central_asia_offers.txt"], location=location)
    ingest_paths([CORPUS / "tuning" / "A7_kathmandu_report.txt"], location=location)
    a6, a7 = _wid(location, "A6_kathmandu_announcement.txt"), _wid(location, "A7_kathmandu_report.txt")
    assert set(_rows(location, "select workshop_id, event_id from workshop_sources")) == {(a6, a6), (a7, a6)}
