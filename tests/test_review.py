"""Review writes: each needs an editor, lands with its audit row, and survives reprocess."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import FIXTURE_NOTES
from needs_tracker import auth, cli, review
from needs_tracker.errors import PermissionDenied, ReviewError
from needs_tracker.extract.model import NeedRecord
from needs_tracker.store import connect


@pytest.fixture
def store(built_store) -> str:
    """This module's store: the hand-written fixture notes, stored without the extractor."""
    return built_store


@pytest.fixture
def editor() -> auth.Editor:
    return auth.local_editor("tester")


def rows(sql: str, params=None):
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def need(need_id: int) -> dict:
    cols = ["id", "workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end", "status",
            "original_state_iso3", "original_category", "reviewed_by", "note", "rule", "confidence"]
    return dict(zip(cols, rows(f"select {', '.join(cols)} from needs where id = ?", [need_id])[0], strict=True))


def queue_ids(limit=None) -> list[int]:
    with connect() as con:
        return [int(i) for i in review.review_queue(con, limit=limit)["need_id"]]


def audit() -> list[dict]:
    with connect() as con:
        df = review.list_audit(con)
    return [
        {**r, "before": json.loads(r["before"]) if isinstance(r["before"], str) else None,
         "after": json.loads(r["after"]) if isinstance(r["after"], str) else None}
        for r in df.to_dict("records")
    ]


def a_workshop() -> tuple[int, str]:
    return rows("select w.id, d.text from workshops w join documents d on d.id = w.document_id order by w.id")[0]


# --- the queue ---------------------------------------------------------------------------
def test_queue_is_unreviewed_needs_lowest_confidence_first_with_context(store):
    with connect() as con:
        queue = review.review_queue(con, limit=None)
        assert review.queue_size(con) == len(queue) > 0
        texts = dict(con.execute("select w.id, d.text from workshops w join documents d "
                                 "on d.id = w.document_id").fetchall())
    assert list(queue["confidence"]) == sorted(queue["confidence"])
    for row in queue.itertuples():
        text = texts[row.workshop_id]
        assert text[row.span_start:row.span_end] == row.evidence
        assert text[:row.span_start].rstrip().endswith(row.context_before.rstrip())
        assert text[row.span_end:].startswith(row.context_after.split("\n")[0])


def test_decided_needs_leave_the_queue(store, editor):
    first, second = queue_ids()[:2]
    review.confirm_need(editor, first)
    review.reject_need(editor, second)
    assert first not in queue_ids() and second not in queue_ids()


# --- permission --------------------------------------------------------------------------
def _forged():
    fake = object.__new__(auth.Editor)
    object.__setattr__(fake, "name", "mallory")
    object.__setattr__(fake, "method", "password")
    object.__setattr__(fake, "_token", object())
    return fake


WRITES = {
    "confirm": lambda ed, nid, wid, iso: review.confirm_need(ed, nid),
    "reject": lambda ed, nid, wid, iso: review.reject_need(ed, nid),
    "correct": lambda ed, nid, wid, iso: review.correct_need(ed, nid, category="other"),
    "add_need": lambda ed, nid, wid, iso: review.add_manual_need(ed, wid, "FRA", "other", "resolution 1540"),
    "edit_workshop": lambda ed, nid, wid, iso: review.edit_workshop(ed, wid, {"title": "Hacked"}),
    "add_participant": lambda ed, nid, wid, iso: review.add_participant(ed, wid, "FRA"),
    "remove_participant": lambda ed, nid, wid, iso: review.remove_participant(ed, wid, iso),
    "confirm_participant": lambda ed, nid, wid, iso: review.confirm_participant(ed, wid, iso),
    "upload": lambda ed, nid, wid, iso: review.ingest_uploads(ed, [("x.txt", b"A note about Kazakhstan.")]),
    "reprocess": lambda ed, nid, wid, iso: review.reprocess(editor=ed),
}


@pytest.mark.parametrize("who", [None, "forged"])
@pytest.mark.parametrize("action", list(WRITES))
def test_every_write_refuses_a_caller_who_is_not_an_editor(store, action, who):
    if action == "reprocess" and who is None:
        pytest.skip("reprocess without an editor is the command line's local operator")
    caller = _forged() if who == "forged" else who
    nid = queue_ids()[0]
    wid, iso = rows("select workshop_id, state_iso3 from participation order by 1, 2 limit 1")[0]
    before = rows("select id, status, category from needs order by id"), rows("select * from workshops")
    with pytest.raises(PermissionDenied):
        WRITES[action](caller, nid, wid, iso)
    assert (rows("select id, status, category from needs order by id"), rows("select * from workshops")) == before
    assert audit() == []


# --- each action, with its audit row -----------------------------------------------------
def test_confirm_records_before_and_after(store, editor):
    nid = queue_ids()[0]
    review.confirm_need(editor, nid, note="checked against the report")
    row = need(nid)
    assert row["status"] == "confirmed" and row["reviewed_by"] == "tester (local)"
    (entry,) = audit()
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_id"]) == (
        "tester (local)", "confirm", "need", str(nid))
    assert entry["before"]["status"] == "extracted" and entry["after"]["status"] == "confirmed"
    assert entry["after"]["note"] == "checked against the report"
    with pytest.raises(ReviewError, match="already confirmed"):
        review.confirm_need(editor, nid)


def test_reject_keeps_the_row_hidden(store, editor):
    nid = queue_ids()[0]
    review.reject_need(editor, nid)
    assert need(nid)["status"] == "rejected"
    assert audit()[0]["before"] == {"reviewed_by": None, "status": "extracted"}
    with pytest.raises(ReviewError, match="already rejected"):
        review.reject_need(editor, nid)


def test_correct_keeps_what_the_extractor_said(store, editor):
    nid = queue_ids()[0]
    old = need(nid)
    new_state = "FRA" if old["state_iso3"] != "FRA" else "DEU"
    review.correct_need(editor, nid, state_iso3=new_state, category="other")
    row = need(nid)
    assert (row["state_iso3"], row["category"], row["status"]) == (new_state, "other", "corrected")
    assert (row["original_state_iso3"], row["original_category"]) == (old["state_iso3"], old["category"])
    entry = audit()[0]
    assert entry["before"]["state_iso3"] == old["state_iso3"] and entry["after"]["state_iso3"] == new_state
    assert entry["before"]["category"] == old["category"] and entry["after"]["category"] == "other"
    review.correct_need(editor, nid, category="licensing")  # a second correction keeps the first original
    assert need(nid)["original_category"] == old["category"]


@pytest.mark.parametrize("kwargs, message", [
    ({}, "nothing to correct"),
    ({"state_iso3": "XXX"}, "unknown state"),
    ({"category": "weather"}, "unknown category"),
])
def test_correct_refuses_bad_values(store, editor, kwargs, message):
    nid = queue_ids()[0]
    with pytest.raises(ReviewError, match=message):
        review.correct_need(editor, nid, **kwargs)
    assert audit() == []


def test_a_missing_need_gets_a_clear_message(store, editor):
    with pytest.raises(ReviewError, match="no longer exists"):
        review.confirm_need(editor, 999_999)


def test_manual_need_stores_the_span_of_its_quote(store, editor):
    wid, text = a_workshop()
    sentence = next(line for line in text.splitlines() if len(line) > 40).strip()
    nid = review.add_manual_need(editor, wid, "FRA", "other", sentence, note="missed")
    row = need(nid)
    assert row["status"] == "manual" and row["rule"] == "manual"
    assert text[row["span_start"]:row["span_end"]] == row["evidence"] == sentence
    entry = audit()[0]
    assert entry["action"] == "add" and entry["before"] is None and entry["after"]["evidence"] == sentence
    with pytest.raises(ReviewError, match="already records"):
        review.add_manual_need(editor, wid, "FRA", "other", sentence)


def test_manual_quote_may_differ_in_whitespace_only(store, editor):
    wid, text = a_workshop()
    start = text.index("\n", 200) - 20
    piece = text[start:start + 60]
    assert "\n" in piece
    nid = review.add_manual_need(editor, wid, "FRA", "other", " ".join(piece.split()))
    row = need(nid)
    assert text[row["span_start"]:row["span_end"]] == row["evidence"]


def test_manual_quote_must_be_in_the_note(store, editor):
    wid, _ = a_workshop()
    with pytest.raises(ReviewError, match="not in the note"):
        review.add_manual_need(editor, wid, "FRA", "other", "This sentence was never written in the note.")
    assert rows("select count(*) from needs where status = 'manual'") == [(0,)]
    assert audit() == []


def test_workshop_fields_are_corrected_and_marked_as_edited(store, editor):
    wid, _ = a_workshop()
    changed = review.edit_workshop(editor, wid, {"title": "Corrected title", "start_date": "2021-05-04",
                                                 "end_date": "2021-05-06", "venue_country_iso3": "NZL"})
    assert set(changed) >= {"title", "start_date", "year", "venue_country_iso3"}
    title, start, year, country, edited = rows(
        "select title, start_date, year, venue_country, edited_fields from workshops where id = ?", [wid])[0]
    assert (title, str(start), year, country) == ("Corrected title", "2021-05-04", 2021, "New Zealand")
    assert {"title", "start_date", "year", "venue_country_iso3", "venue_country"} <= set(edited)
    entry = audit()[0]
    assert entry["entity"] == "workshop" and entry["after"]["title"] == "Corrected title"
    assert "title" in entry["before"]


@pytest.mark.parametrize("changes, message", [
    ({"start_date": "4 May"}, "not a date"),
    ({"id": 3}, "cannot edit"),
    ({"start_date": "2021-05-04", "end_date": "2021-05-01"}, "before the start"),
    ({"year": "twenty"}, "not a number"),
])
def test_workshop_edit_refuses_bad_values(store, editor, changes, message):
    wid, _ = a_workshop()
    with pytest.raises(ReviewError, match=message):
        review.edit_workshop(editor, wid, changes)
    assert audit() == []


def test_participants_are_added_confirmed_and_removed(store, editor):
    wid, _ = a_workshop()
    listed = [r[0] for r in rows("select state_iso3 from participation where workshop_id = ?", [wid])]
    new = next(s for s in ("FRA", "DEU", "BRA") if s not in listed)
    review.add_participant(editor, wid, new, "observer")
    review.confirm_participant(editor, wid, listed[0], role="host")
    review.remove_participant(editor, wid, listed[1])
    got = {r[0]: r[1:] for r in rows("select state_iso3, role, origin, status from participation "
                                     "where workshop_id = ?", [wid])}
    assert got[new] == ("observer", "manual", "confirmed")
    assert got[listed[0]][0] == "host" and got[listed[0]][2] == "confirmed"
    assert got[listed[1]][2] == "rejected"
    assert [e["action"] for e in audit()] == ["remove", "confirm", "add"]
    with pytest.raises(ReviewError, match="already listed"):
        review.add_participant(editor, wid, new)
    review.add_participant(editor, wid, listed[1])  # a removed state can be brought back
    assert rows("select status from participation where workshop_id = ? and state_iso3 = ?",
                [wid, listed[1]]) == [("confirmed",)]


# --- reprocess -----------------------------------------------------------------------------
def _decide_everything(editor) -> dict:
    ids = queue_ids()
    wid, text = a_workshop()
    review.confirm_need(editor, ids[0])
    review.reject_need(editor, ids[1])
    review.correct_need(editor, ids[2], category="other")
    sentence = next(line for line in text.splitlines() if len(line) > 40).strip()
    manual = review.add_manual_need(editor, wid, "FRA", "national_action_plan", sentence)
    review.edit_workshop(editor, wid, {"title": "A person's title"})
    listed = [r[0] for r in rows("select state_iso3 from participation where workshop_id = ? order by 1", [wid])]
    review.remove_participant(editor, wid, listed[0])
    review.add_participant(editor, wid, "BRA" if "BRA" not in listed else "CHL")
    return {"confirmed": ids[0], "rejected": ids[1], "corrected": ids[2], "manual": manual,
            "undecided": ids[3:], "workshop": wid, "removed": listed[0]}


def _decisions():
    return (rows("select * from needs where status <> 'extracted' order by id"),
            rows("select * from participation where status <> 'extracted' or origin <> 'extracted' order by all"),
            rows("select id, title, edited_fields from workshops order by id"))


def test_reprocess_with_the_same_rules_changes_no_decision(bundled_store, editor):
    _decide_everything(editor)
    before = _decisions()
    summary = review.reprocess(actor="nightly")
    assert summary.startswith("reprocessed 2 notes") and "0 new unreviewed needs" in summary
    assert "0 unreviewed needs dropped" in summary
    assert _decisions() == before
    assert audit()[0]["actor"] == "nightly (local)" and audit()[0]["action"] == "reprocess"


def test_reprocess_with_changed_rules_keeps_every_decision(bundled_store, editor, monkeypatch):
    import needs_tracker.extract as extract_pkg

    d = _decide_everything(editor)
    before = _decisions()
    rejected, corrected = need(d["rejected"]), need(d["corrected"])
    dropped = need(d["undecided"][0])
    real = extract_pkg.extract

    def new_rules(text, model=None):
        ex = real(text, model=model)
        drop = (dropped["state_iso3"], dropped["category"], dropped["evidence"])
        needs = [n for n in ex.needs if (n.state_iso3, n.category, n.evidence) != drop]
        start = text.index("resolution 1540") if "resolution 1540" in text else 0
        needs.append(NeedRecord("NZL", "other", text[start:start + 15], start, start + 15, 0.2, "new-rule"))
        # the new rules also re-make the rejected and corrected needs as they first were
        needs += [NeedRecord(r["state_iso3"] if r is rejected else r["original_state_iso3"],
                             r["category"] if r is rejected else r["original_category"], r["evidence"],
                             r["span_start"], r["span_end"], 0.9, "new-rule") for r in (rejected, corrected)
                  if text[r["span_start"]:r["span_end"]] == r["evidence"]]
        return dataclasses.replace(ex, needs=needs, title="The new rules' title",
                                   venue_city="Elsewhere", participants=ex.participants)

    monkeypatch.setattr(extract_pkg, "extract", new_rules)
    summary = review.reprocess()
    assert "2 new unreviewed needs" in summary and "1 unreviewed need dropped" in summary
    assert _decisions()[0] == before[0] and _decisions()[1] == before[1]  # needs, participants
    titles = dict((r[0], r[1]) for r in rows("select id, title from workshops"))
    assert titles[d["workshop"]] == "A person's title"
    assert all(t == "The new rules' title" for w, t in titles.items() if w != d["workshop"])
    assert {r[0] for r in rows("select venue_city from workshops")} == {"Elsewhere"}  # not edited: updated
    assert not rows("select 1 from needs where state_iso3 = ? and category = ? and evidence = ?",
                    [dropped["state_iso3"], dropped["category"], dropped["evidence"]])
    new = rows("select status, rule from needs where state_iso3 = 'NZL'")
    assert new == [("extracted", "new-rule")] * 2
    assert rows("select count(*) from needs where evidence = ? and status <> 'extracted'",
                [rejected["evidence"]])[0][0] >= 1
    assert not rows("select 1 from needs where rule = 'new-rule' and evidence in (?, ?) and state_iso3 <> 'NZL'",
                    [rejected["evidence"], corrected["evidence"]])
    per_workshop = [e for e in audit() if e["action"] == "reprocess" and e["entity"] == "workshop"]
    assert per_workshop and any(e["before"] and e["before"].get("needs") for e in per_workshop)


def test_cli_reprocess_prints_the_summary(store, capsys):
    assert cli.main(["reprocess", "--db", store]) == 0
    assert capsys.readouterr().out.startswith("reprocessed 2 notes")


# --- audit log -----------------------------------------------------------------------------
def test_audit_filters_and_exports(store, editor):
    ids = queue_ids()
    review.confirm_need(editor, ids[0])
    review.reject_need(auth.local_editor("other"), ids[1])
    with connect() as con:
        assert len(review.list_audit(con)) == 2
        assert list(review.list_audit(con, actions=["reject"])["actor"]) == ["other (local)"]
        assert len(review.list_audit(con, actors=["tester (local)"])) == 1
        assert len(review.list_audit(con, text="REJECTED")) == 1
        assert len(review.list_audit(con, entity_id=str(ids[0]))) == 1
        df = review.list_audit(con)
        facets = review.audit_facets(con)
    assert facets["action"] == ["confirm", "reject"]
    csv_text = review.audit_to_bytes(df, "csv").decode()
    assert csv_text.splitlines()[0] == "id,changed_at,actor,action,entity,entity_id,before,after"
    data = json.loads(review.audit_to_bytes(df, "json"))
    assert data[0]["after"]["status"] == "rejected" and data[1]["before"]["status"] == "extracted"
    with pytest.raises(Exception, match="valid: csv, json"):
        review.audit_to_bytes(df, "xml")


def test_audit_csv_neutralises_what_a_spreadsheet_would_run(store):
    review.confirm_need(auth.local_editor("=HYPERLINK(1)"), queue_ids()[0])
    with connect() as con:
        df = review.list_audit(con)
    csv_text = review.audit_to_bytes(df, "csv").decode()
    assert ",'=HYPERLINK(1) (local)," in csv_text
    assert json.loads(review.audit_to_bytes(df, "json"))[0]["actor"] == "=HYPERLINK(1) (local)"


def test_split_modules_stay_importable_from_review():
    from needs_tracker import audit
    from needs_tracker import reprocess as reprocess_module

    assert review.reprocess is reprocess_module.reprocess
    assert (review.list_audit, review.audit_facets, review.audit_to_bytes) == (
        audit.list_audit, audit.audit_facets, audit.audit_to_bytes)
    assert set(review.__all__) <= set(dir(review))


# --- upload --------------------------------------------------------------------------------
def test_upload_reports_each_file_and_knows_duplicates_by_content(store, editor):
    note = FIXTURE_NOTES["vienna_2018.txt"][0].encode("utf-8")  # stored in the fixture store
    new = note + b"\nAddendum: Kazakhstan requested assistance with licensing.\n"
    reports = review.ingest_uploads(editor, [("renamed_copy.txt", note), ("new.md", new), ("bad.exe", b"MZ"),
                                             ("empty.txt", b"")])
    outcome = {r.file_name: r.outcome for r in reports}
    assert outcome == {"renamed_copy.txt": "unchanged", "new.md": "ingested", "bad.exe": "rejected",
                       "empty.txt": "rejected"}
    assert all(r.line().startswith(r.outcome) for r in reports)
    (entry,) = audit()
    assert entry["action"] == "upload" and entry["after"]["file_name"] == "new.md"


def test_a_changed_decision_is_kept_by_reprocess_and_listed_under_the_new_one(bundled_store, editor):
    from needs_tracker.store.vocab import ReviewChoice

    nid = queue_ids(limit=1)[0]
    review.confirm_need(editor, nid)
    review.reject_need(editor, nid)  # the confirmation was the mistake
    review.reprocess(actor="nightly")
    assert need(nid)["status"] == "rejected"
    with connect() as con:
        rejected = review.review_queue(con, choice=ReviewChoice.REJECTED, limit=None)
        confirmed = review.review_queue(con, choice=ReviewChoice.CONFIRMED, limit=None)
    assert nid in set(rejected["need_id"]) and nid not in set(confirmed["need_id"])
    row = rejected.set_index("need_id").loc[nid]
    assert (row["decided_action"], row["decided_by"]) == ("reject", "tester (local)")  # not the reprocess
