"""Correcting and adding formal requests, and the queue of offers and requests, on a real DuckDB
store ingested from notes written for the tests: decisions outlast `needs-tracker reprocess`,
each lands with its audit row, and a bad state, category, date or quote is refused in one line
naming it with nothing written."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from needs_tracker import store as db
from needs_tracker.auth import local_editor
from needs_tracker.cli import main as cli
from needs_tracker.errors import PermissionDenied, ReviewError
from needs_tracker.ingest import ingest_paths
from needs_tracker.store import assistance_queue as aq
from needs_tracker.store import assistance_review as ar

CORPUS = Path(__file__).parent / "corpus" / "assistance" / "tuning"
NOTES = ("A1_osce_central_asia_offers.txt", "A4_register_with_headings.txt")
EDITOR = local_editor("test:reviewer")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    notes = tmp_path_factory.mktemp("notes")
    for name in NOTES:
        shutil.copy(CORPUS / name, notes / name)
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


def _request(location: str, state: str, category: str) -> int:
    return _rows(location, "select id from requests where state_iso3 = ? and category = ?", [state, category])[0][0]


def _audit(location: str) -> list[tuple]:
    return [(action, entity, int(eid), json.loads(before) if before else None, json.loads(after))
            for action, entity, eid, before, after in _rows(
                location, "select action, entity, entity_id, before_json, after_json from audit_log "
                          "where entity = 'workshop' order by id")]


def _reprocess(location: str, capsys=None) -> str:
    assert cli(["reprocess", "--db", location]) == 0
    return capsys.readouterr().out if capsys else ""


def test_corrected_and_added_requests_outlast_reprocess_with_their_audit_rows(location, capsys):
    a4 = _wid(location, "A4_register_with_headings.txt")
    rid = _request(location, "KEN", "interagency_cooperation")
    assert _rows(location, "select requested_on from requests where id = ?", [rid]) == [(date(2019, 1, 18),)]
    ar.correct_request(EDITOR, rid, state_iso3="tgo", category="national_action_plan", requested_on="2019-01-20",
                       location=location)
    quote = "Provision of radiation detection equipment for the Port of Durres."
    manual = ar.add_manual_request(EDITOR, a4, "ALB", "other", quote, requested_on="2012-03-12", note="missed",
                                   location=location)
    capsys.readouterr()
    # the summary counts the offer and request decisions it kept, not only the needs'
    assert "0 decisions on needs and 2 on offers and requests kept as people left them" in _reprocess(location, capsys)
    assert _rows(location, "select state_iso3, category, requested_on, status, original_state_iso3, "
                           "original_category from requests where id = ?", [rid]) == [
        ("TGO", "national_action_plan", date(2019, 1, 20), "corrected", "KEN", "interagency_cooperation")]
    text = _rows(location, "select d.text from workshops w join documents d on d.id = w.document_id where w.id = ?",
                 [a4])[0][0]
    got = _rows(location, "select workshop_id, state_iso3, category, requested_on, evidence, span_start, span_end, "
                          "rule, status, note from requests where id = ?", [manual])
    start = text.index(quote)
    assert got == [(a4, "ALB", "other", date(2012, 3, 12), quote, start, start + len(quote), "manual", "manual",
                    "missed")]
    # the extracted request is not added back beside the corrected one
    assert _rows(location, "select count(*) from requests where evidence = (select evidence from requests "
                           "where id = ?)", [rid]) == [(1,)]
    assert _audit(location)[:2] == [
        ("correct", "workshop", a4,
         {"request_id": rid, "state_iso3": "KEN", "category": "interagency_cooperation", "requested_on": "2019-01-18",
          "status": "extracted", "original_state_iso3": None, "original_category": None, "reviewed_by": None},
         {"request_id": rid, "state_iso3": "TGO", "category": "national_action_plan", "requested_on": "2019-01-20",
          "status": "corrected", "original_state_iso3": "KEN", "original_category": "interagency_cooperation",
          "reviewed_by": EDITOR.actor}),
        ("add", "workshop", a4, None,
         {"request_id": manual, "state_iso3": "ALB", "category": "other", "requested_on": "2012-03-12",
          "evidence": quote, "status": "manual"}),
    ]


def test_a_date_alone_can_be_corrected_or_made_unknown(location):
    rid = _request(location, "KEN", "interagency_cooperation")
    ar.correct_request(EDITOR, rid, requested_on=date(2019, 2, 1), location=location)
    assert _rows(location, "select state_iso3, requested_on, status from requests where id = ?", [rid]) == [
        ("KEN", date(2019, 2, 1), "corrected")]
    ar.correct_request(EDITOR, rid, requested_on="", location=location)
    assert _rows(location, "select requested_on from requests where id = ?", [rid]) == [(None,)]
    with pytest.raises(ReviewError, match="nothing to change"):
        ar.correct_request(EDITOR, rid, state_iso3="KEN", location=location)


@pytest.mark.parametrize(("change", "message"), [
    ({"state_iso3": "XXX"}, "unknown state 'XXX'"),
    ({"category": "ballistics"}, "unknown category 'ballistics'"),
    ({"requested_on": "18/01/2019"}, "unknown date of request '18/01/2019': give it as YYYY-MM-DD"),
    ({"requested_on": "2019-02-30"}, "unknown date of request '2019-02-30'"),
    ({"requested_on": "2019"}, "unknown date of request '2019'"),
    ({"requested_on": "2999-01-01"}, "date of request '2999-01-01' is in the future"),
])
def test_a_bad_correction_is_one_line_naming_the_value_and_writes_nothing(location, change, message):
    rid = _request(location, "KEN", "interagency_cooperation")
    before = _rows(location, "select * from requests order by id")
    with pytest.raises(ReviewError) as err:
        ar.correct_request(EDITOR, rid, **change, location=location)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert _rows(location, "select * from requests order by id") == before
    assert _audit(location) == []


@pytest.mark.parametrize(("args", "message"), [
    (("ALB", "other", "A sentence that is not in this register."), "the quote is not in the note"),
    (("ALB", "other", "Development of a national control list.", "12.03.2012"), "unknown date of request '12.03.2012'"),
    (("ZZZ", "other", "Development of a national control list."), "unknown state 'ZZZ'"),
    (("ALB", "nope", "Development of a national control list."), "unknown category 'nope'"),
])
def test_a_bad_manual_request_is_refused_in_one_line(location, args, message):
    a4 = _wid(location, "A4_register_with_headings.txt")
    state, category, quote, *day = args
    with pytest.raises(ReviewError) as err:
        ar.add_manual_request(EDITOR, a4, state, category, quote, requested_on=day[0] if day else None,
                              location=location)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert _rows(location, "select count(*) from requests where status = 'manual'") == [(0,)]
    assert _audit(location) == []


def test_an_extracted_request_is_not_added_twice_and_a_missing_workshop_is_named(location):
    a4 = _wid(location, "A4_register_with_headings.txt")
    state, category, evidence = _rows(location, "select state_iso3, category, evidence from requests "
                                                "where workshop_id = ? order by id limit 1", [a4])[0]
    with pytest.raises(ReviewError, match=r"already recorded as request #\d+ \(extracted\)"):
        ar.add_manual_request(EDITOR, a4, state, category, evidence, location=location)
    with pytest.raises(ReviewError, match="workshop #999 does not exist"):
        ar.add_manual_request(EDITOR, 999, "ALB", "other", "anything at all", location=location)
    with pytest.raises(PermissionDenied):
        ar.add_manual_request(None, a4, "ALB", "other", evidence, location=location)


def test_the_queue_is_least_certain_first_paged_and_per_workshop(location):
    a1, a4 = _wid(location, "A1_osce_central_asia_offers.txt"), _wid(location, "A4_register_with_headings.txt")
    with db.connect(location) as con:
        offers = aq.offer_queue(con, limit=None)
        requests = aq.request_queue(con, limit=None)
        sizes = aq.queue_sizes(con)
        page2 = aq.request_queue(con, limit=2, offset=2)
        only_a1 = aq.queue_sizes(con, workshop_id=a1)
        workshops = aq.assistance_workshops(con)
    stored = _rows(location, "select id, confidence from offers where status = 'extracted' order by confidence, id")
    assert list(offers["offer_id"]) == [i for i, _ in stored]
    assert sizes == {"offers": len(stored), "requests": len(requests)}
    assert only_a1 == {"offers": 3, "requests": 0}
    assert list(page2["request_id"]) == list(requests["request_id"][2:4])
    assert set(offers["file_name"]) == {NOTES[0]} and set(requests["workshop_id"]) == {a4}
    assert {w[0] for w in workshops} == {a1, a4}
    # the evidence stands between its context exactly as in the note, inside its paragraph
    text = _rows(location, "select d.text from workshops w join documents d on d.id = w.document_id where w.id = ?",
                 [a4])[0][0]
    for r in requests.itertuples():
        assert text[r.span_start:r.span_end] == r.evidence
        assert text[:r.span_start].endswith(r.context_before) and text[r.span_end:].startswith(r.context_after)
        assert "\n\n" not in r.context_before + r.context_after
    rid = int(requests["request_id"][0])
    ar.confirm_request(EDITOR, rid, location=location)
    with db.connect(location) as con:
        assert rid not in set(aq.request_queue(con, limit=None)["request_id"])
        assert aq.assistance_counts(con)["requests"]["confirmed"] == 1
