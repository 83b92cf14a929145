"""Formal requests: the real 1540 register (more-real/001) attributed as its README's doubts
column explains, the list of requesting states (002), registers with state headings, request
letters, and workshop notes that stay workshops."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from needs_tracker.assistance_eval import evaluate_assistance
from needs_tracker.evaluate import evaluate
from needs_tracker.extract import extract
from needs_tracker.readers import read_document

CORPUS = Path(__file__).parent / "corpus" / "assistance"
MORE_REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "more-real"


def needs_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


def _register():
    docs = needs_shared(MORE_REAL / "docs")
    return extract(read_document(docs / "001_un-1540-summary-requests-for-assistance.txt").text)


def test_the_real_register_is_an_assistance_request_document():
    ex = _register()
    assert ex.kind == "assistance_requests"
    assert (ex.start_date, ex.end_date, ex.venue_country_iso3) == (None, None, None)
    assert {(p.iso3, p.role) for p in ex.participants} == {("ALB", "participant"), ("AGO", "participant"),
                                                          ("ARM", "participant")}


def test_the_real_register_dates_and_attributes_each_block():
    requests = _register().requests
    by_date = {}
    for r in requests:
        by_date.setdefault(r.requested_on, set()).add((r.state_iso3, r.category))
    assert by_date[date(2004, 10, 28)] == {
        ("ALB", "legal_regulatory_framework"), ("ALB", "licensing"), ("ALB", "border_customs_control")}
    # The first 30 April 2008 block names no state: it shares date and lead-in with Angola's.
    assert by_date[date(2008, 4, 30)] == {
        ("AGO", "border_customs_control"), ("AGO", "training_capacity_building"), ("AGO", "detection_equipment"),
        ("AGO", "other")}
    unnamed = [r for r in requests if r.requested_on == date(2008, 4, 30) and "CBRN" in r.evidence]
    assert [r.rule for r in unnamed] == ["request/register/same-date-neighbour"]
    assert by_date[date(2008, 4, 4)] == {
        ("ARM", "physical_protection"), ("ARM", "border_customs_control"), ("ARM", "detection_equipment")}
    assert ("ARM", "control_lists") in by_date[date(2015, 3, 25)]
    assert date(2007, 5, 21) not in by_date  # the last block is cut off before its items


def test_request_spans_and_json():
    docs = needs_shared(MORE_REAL / "docs")
    text = read_document(docs / "001_un-1540-summary-requests-for-assistance.txt").text
    data = extract(text).to_json("001")
    assert data["offers"] == []
    for r in data["requests"]:
        assert set(r) == {"state_iso3", "category", "requested_on", "evidence", "start", "end", "confidence"}
        assert text[r["start"]:r["end"]] == r["evidence"]
    assert {r["requested_on"] for r in data["requests"]} == {"2004-10-28", "2008-04-30", "2008-04-04", "2015-03-25"}


def test_register_and_list_of_requesting_states_against_the_corpus_labels(tmp_path):
    needs_shared(MORE_REAL / "docs")
    gold = [g for g in json.loads((MORE_REAL / "gold.json").read_text(encoding="utf-8"))
            if g["kind"] == "assistance_requests"]
    subset = tmp_path / "gold.json"
    subset.write_text(json.dumps(gold), encoding="utf-8")
    report = evaluate_assistance(subset, MORE_REAL / "docs")
    # 001: every (state, category) but Armenia's "other" (its laboratory items read as physical
    # protection); 002: all 14 requesting states.
    assert (report.requests.tp, report.requests.fp, report.requests.fn) == (26, 0, 1)
    needs = evaluate(subset, MORE_REAL / "docs")
    assert (needs.needs.tp, needs.needs.fp, needs.needs.fn) == (26, 0, 1)
    assert (needs.participants.tp, needs.participants.fp, needs.participants.fn) == (17, 0, 0)


def test_a_register_with_state_headings():
    ex = extract((CORPUS / "tuning" / "A4_register_with_headings.txt").read_text(encoding="utf-8"))
    got = {(r.state_iso3, r.category, r.requested_on, r.rule.rsplit("/", 1)[1]) for r in ex.requests}
    assert got == {
        ("ALB", "training_capacity_building", date(2012, 3, 12), "heading"),
        ("ALB", "detection_equipment", date(2012, 3, 12), "heading"),
        ("KEN", "legal_regulatory_framework", date(2016, 6, 5), "heading"),
        ("KEN", "control_lists", date(2016, 6, 5), "heading"),
        ("KEN", "interagency_cooperation", date(2019, 1, 18), "heading-above"),
        ("TGO", "national_action_plan", date(2014, 9, 2), "named-in-item"),
    }


def test_a_request_letter():
    ex = extract((CORPUS / "tuning" / "A5_request_letter_zambia.txt").read_text(encoding="utf-8"))
    assert ex.kind == "assistance_requests"
    assert {(r.state_iso3, r.category, r.requested_on) for r in ex.requests} == {
        ("ZMB", "legal_regulatory_framework", date(2020, 3, 3)),
        ("ZMB", "training_capacity_building", date(2020, 3, 3)),
        ("ZMB", "physical_protection", date(2020, 3, 3)),
    }


def test_status_lines_of_a_register_are_not_requests():
    ex = extract((CORPUS / "heldout2" / "C5_register_status_list.txt").read_text(encoding="utf-8"))
    assert not any(r.evidence.startswith("Status") for r in ex.requests)
    assert ("GTM", "physical_protection", date(2016, 6, 21)) in {
        (r.state_iso3, r.category, r.requested_on) for r in ex.requests}


@pytest.mark.parametrize("name", ["A1_osce_central_asia_offers.txt", "A7_kathmandu_report.txt"])
def test_a_workshop_note_stays_a_workshop(name):
    ex = extract((CORPUS / "tuning" / name).read_text(encoding="utf-8"))
    assert ex.kind == "workshop"
    assert ex.requests == []


def test_a_workshop_note_that_mentions_a_date_of_request_stays_a_workshop():
    note = ("Event: National workshop\nDates: 3-4 May 2021\nVenue: Ulaanbaatar, Mongolia\n"
            "Participating States: Mongolia\n\nMongolia recalled its request for assistance "
            "(date of request: 2 March 2019) and said it still lacks a national control list.\n")
    ex = extract(note)
    assert ex.kind == "workshop" and ex.requests == []
    assert ("MNG", "control_lists") in {(n.state_iso3, n.category) for n in ex.needs}


@pytest.mark.parametrize("batch", ["tuning", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                                   "heldout7"])
def test_labelled_request_batches(batch):
    report = evaluate_assistance(CORPUS / batch / "labels.json", CORPUS / batch)
    assert report.requests.precision == 1.0
    assert report.requests.recall >= 0.8


# A register must look like one: a note that describes its participants as "States that had submitted
# requests", or reports that a State "would formally request" help, is a workshop, and its offers stay.
MEETING = ("Coordination meeting on assistance under resolution 1540\nLomé, Togo, 12-13 March 2026\n"
           "The meeting brought together four States that had submitted requests for assistance to the "
           "Committee (Benin, Ghana, Niger and Togo) and partners able to respond: Canada, Finland and the "
           "OPCW.\n")


def test_a_meeting_of_requesting_states_stays_a_workshop():
    ex = extract(MEETING + "Canada offered to fund a licensing adviser for Ghana in 2027.\n")
    assert ex.kind == "workshop" and ex.requests == []
    assert ("CAN", "licensing") in {(o.provider_iso3, o.category) for o in ex.offers}


def test_a_reported_future_request_is_no_request_letter():
    note = ("Country visit to Ghana, Accra, 4-5 June 2026\nParticipants: Ghana\n"
            "The Government of Ghana hosted the visit. Ghana indicated that it would formally request "
            "assistance from the Committee for drafting a national control list.\n")
    ex = extract(note)
    assert ex.kind == "workshop" and ex.requests == []


def test_a_list_of_requesting_states_is_still_a_register():
    note = ("Assistance requests received\nFormal requests were submitted to the Committee by Benin, "
            "Ghana and Niger.\n")
    ex = extract(note)
    assert ex.kind == "assistance_requests"
    assert {r.state_iso3 for r in ex.requests} == {"BEN", "GHA", "NER"}


@pytest.mark.parametrize("batch", ["heldout20", "heldout21"])
def test_information_notes_are_not_registers(batch):
    report = evaluate_assistance(CORPUS / batch / "labels.json", CORPUS / batch)
    assert (report.requests.tp, report.requests.fp) == (0, 0)
