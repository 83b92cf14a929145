"""Review lists by decision (store.decisions, store.assistance_queue): a reviewer finds a decided
need, offer or request again, sees who decided, when and what (from the audit log), and can
change the decision. The store is written row by row (tests/assistance_fixture.py), not extracted.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from assistance_fixture import build_assistance_store
from needs_tracker import auth, review
from needs_tracker.store import assistance_queue, connect, decisions
from needs_tracker.store import assistance_review as decide
from needs_tracker.store.vocab import NeedStatus, ReviewChoice

ALL_CHOICES = list(ReviewChoice)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_assistance_store(tmp_path_factory.mktemp("decisions") / "store.duckdb")


@pytest.fixture(autouse=True)
def store(template, isolated_store):
    shutil.copy(template, isolated_store)
    return str(isolated_store)


@pytest.fixture
def ana() -> auth.Editor:
    return auth.local_editor("ana")


def rows(sql: str, params=None):
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def needs(choice, **kw):
    with connect() as con:
        return review.review_queue(con, choice=choice, limit=None, **kw), review.queue_size(con, choice=choice, **kw)


def offers(choice):
    with connect() as con:
        return (assistance_queue.offer_queue(con, choice=choice, limit=None),
                assistance_queue.queue_sizes(con, choice=choice)["offers"])


def requests(choice):
    with connect() as con:
        return (assistance_queue.request_queue(con, choice=choice, limit=None),
                assistance_queue.queue_sizes(con, choice=choice)["requests"])


def test_each_choice_lists_its_statuses_and_counts_them():
    expected = {ReviewChoice.UNDECIDED: {"extracted"}, ReviewChoice.CONFIRMED: {"confirmed"},
                ReviewChoice.REJECTED: {"rejected"}, ReviewChoice.CORRECTED: set(), ReviewChoice.ALL:
                {"extracted", "confirmed", "rejected"}}
    for choice in ALL_CHOICES:
        listed, total = needs(choice)
        assert set(listed["status"]) == expected[choice] and total == len(listed), choice
    assert needs(ReviewChoice.ALL)[1] == rows("select count(*) from needs")[0][0]
    with pytest.raises(ValueError):
        decisions.statuses("maybe")


def test_the_undecided_list_is_the_queue_most_uncertain_first():
    listed, total = needs(ReviewChoice.UNDECIDED)
    assert total == 10
    assert list(listed["need_id"]) == [i for i, in rows(
        "select id from needs where status = 'extracted' order by abs(confidence - 0.5), id")]
    assert listed["decided_action"].isna().all()


def test_a_changed_decision_is_listed_under_the_new_one_with_who_when_and_what(ana):
    nid = needs(ReviewChoice.UNDECIDED)[0]["need_id"].iloc[0]
    review.confirm_need(ana, int(nid))
    confirmed, _ = needs(ReviewChoice.CONFIRMED)
    assert int(nid) in set(confirmed["need_id"])
    review.reject_need(ana, int(nid))  # a mistake found again and undone
    assert int(nid) not in set(needs(ReviewChoice.CONFIRMED)[0]["need_id"])
    rejected, total = needs(ReviewChoice.REJECTED)
    assert total == 2 and int(rejected["need_id"].iloc[0]) == nid  # the most recent decision first
    first = rejected.iloc[0]
    assert (first["decided_by"], first["decided_action"]) == ("ana (local)", "reject")
    assert first["decided_before"] == {"status": "confirmed"} and first["decided_after"]["status"] == "rejected"
    assert first["decided_at"] is not None
    assert rows("select action from audit_log where entity = 'need' and entity_id = ? order by id",
                [str(nid)]) == [("confirm",), ("reject",)]


def test_a_decision_older_than_the_audit_log_names_the_rows_reviewer():
    # the fixture's rejected need has no audit entry; give it the reviewer an older release recorded
    rows("update needs set reviewed_by = 'Old reviewer', reviewed_at = timestamp '2020-05-04 10:00' "
         "where status = 'rejected'")
    rejected, _ = needs(ReviewChoice.REJECTED)
    row = rejected.iloc[0]
    assert (row["decided_action"], row["decided_by"], str(row["decided_at"])) == (
        "reject", "Old reviewer", "2020-05-04 10:00:00")
    assert row["decided_before"] is None and row["decided_after"] is None


def test_a_correction_is_listed_with_the_values_it_changed_and_all_lists_undecided_first(ana):
    nid = int(needs(ReviewChoice.UNDECIDED)[0]["need_id"].iloc[-1])
    old_state = rows("select state_iso3 from needs where id = ?", [nid])[0][0]
    review.correct_need(ana, nid, state_iso3="FRA" if old_state != "FRA" else "DEU", category="other")
    corrected, total = needs(ReviewChoice.CORRECTED)
    assert total == 1 and int(corrected["need_id"].iloc[0]) == nid
    after = corrected["decided_after"].iloc[0]
    assert corrected["decided_before"].iloc[0]["state_iso3"] == old_state and after["category"] == "other"
    everything, _ = needs(ReviewChoice.ALL)
    statuses = list(everything["status"])
    assert statuses[:9] == ["extracted"] * 9 and int(everything["need_id"].iloc[9]) == nid  # then newest decision


def test_a_decided_need_can_be_listed_for_one_workshop(ana):
    listed, _ = needs(ReviewChoice.UNDECIDED)
    nid, wid = int(listed["need_id"].iloc[0]), int(listed["workshop_id"].iloc[0])
    review.reject_need(ana, nid)
    here, total = needs(ReviewChoice.REJECTED, workshop_id=wid)
    assert nid in set(here["need_id"]) and set(here["workshop_id"]) == {wid} and total == len(here)


def test_an_offer_confirmed_then_rejected_is_found_under_rejected_with_its_audit(ana):
    japan = rows("select id from offers where provider = 'Japan'")[0][0]
    decide.confirm_offer(ana, japan)
    confirmed, n = offers(ReviewChoice.CONFIRMED)
    assert (list(confirmed["offer_id"]), n) == ([japan], 1)
    assert confirmed["decided_action"].iloc[0] == "confirm"
    decide.reject_offer(ana, japan)
    assert offers(ReviewChoice.CONFIRMED)[1] == 0
    rejected, n = offers(ReviewChoice.REJECTED)
    assert (list(rejected["offer_id"]), n) == ([japan], 1)
    row = rejected.iloc[0]
    assert (row["decided_by"], row["decided_action"], row["status"]) == ("ana (local)", "reject", "rejected")
    assert row["decided_before"]["status"] == "confirmed" and row["decided_after"]["offer_id"] == japan
    assert "Japan offered" in row["evidence"] and row["context_after"].startswith("\nThe OSCE")
    # and back: a rejected offer can be confirmed again
    decide.confirm_offer(ana, japan)
    assert rows("select status from offers where id = ?", [japan]) == [(NeedStatus.CONFIRMED,)]
    assert [a for a, in rows("select action from audit_log order by id")] == ["confirm", "reject", "confirm"]


def test_two_offers_of_one_workshop_each_get_their_own_decision(ana):
    japan, eu = (rows("select id from offers where provider = ?", [p])[0][0] for p in ("Japan", "EU"))
    decide.reject_offer(ana, eu)
    decide.confirm_offer(auth.local_editor("bo"), japan)
    everything, n = offers(ReviewChoice.ALL)
    assert n == 3 and list(everything["status"]) == ["extracted", "confirmed", "rejected"]  # newest decision first
    by_id = {int(r.offer_id): (r.decided_by, r.decided_action) for r in everything.itertuples()}
    assert by_id[japan] == ("bo (local)", "confirm") and by_id[eu] == ("ana (local)", "reject")


def test_a_corrected_and_an_added_request_are_listed_together(ana):
    rid = rows("select id from requests where category = 'interagency_cooperation'")[0][0]
    decide.correct_request(ana, rid, requested_on="2019-01-21")
    register = rows("select id from workshops where kind = 'assistance_requests'")[0][0]
    added = decide.add_manual_request(ana, register, "KEN", "control_lists", "KENYA (Date of Request: 18 January 2019)")
    corrected, n = requests(ReviewChoice.CORRECTED)
    assert n == 2 and list(corrected["request_id"]) == [added, rid]
    assert list(corrected["decided_action"]) == ["add", "correct"]
    change = corrected.iloc[1]
    assert (change["decided_before"]["requested_on"], change["decided_after"]["requested_on"]) == (
        "2019-01-18", "2019-01-21")
    assert requests(ReviewChoice.UNDECIDED)[1] == 1 and rows("select requested_on from requests where id = ?",
                                                             [rid]) == [(date(2019, 1, 21),)]
