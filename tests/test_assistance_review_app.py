"""The "Review offers and requests" page through AppTest on the real dashboard.

The store is the dashboard fixture plus a workshop with offers and a register with formal
requests, written row by row (tests/assistance_fixture.py), not by the extractor. An editor
signs in with the password form and confirms, rejects, corrects and adds; each action changes
the store, the page and the audit log. A viewer sees the sign-in and no queue.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistance_fixture import build_assistance_store
from fixture_store import build_store
from needs_tracker import auth
from needs_tracker.store import connect
from needs_tracker.ui import auth as ui_auth

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGE = "src/needs_tracker/ui/pages/review_assistance.py"
TITLE = "Review offers and requests"
PASSWORD = "assist-pass-1540"
ACTOR = "Ana (password)"

@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("assist")
    return {"full": Path(build_assistance_store(folder / "full.duckdb")),
            "empty": Path(build_store(folder / "empty.duckdb"))}


@pytest.fixture(scope="session")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def fresh(monkeypatch, templates, isolated_store, password_hash, fresh_streamlit):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{password_hash}")
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    monkeypatch.setattr(auth, "NAME_LOCKOUT", auth.Lockout(max_attempts=20))
    shutil.copy(templates["full"], isolated_store)


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_page(path: str = PAGE) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(path)
    at.run()
    ok(at)
    return at


def signed_in(path: str = PAGE) -> AppTest:
    at = open_page(path)
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    ok(at)
    return at


def rows(sql, params=None):
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def offer_id(provider: str) -> int:
    return rows("select id from offers where provider = ?", [provider])[0][0]


def request_id(category: str) -> int:
    return rows("select id from requests where category = ?", [category])[0][0]


def keys(at: AppTest) -> list[str]:
    return [w.key or "" for w in [*at.button, *at.selectbox, *at.text_input, *at.text_area, *at.multiselect]]


def html(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<div")]


def test_a_viewer_sees_the_sign_in_and_not_the_queue():
    at = open_page()
    assert [t.value for t in at.title] == [TITLE]
    assert "auth_sign_in" in keys(at)
    assert not [k for k in keys(at) if k.startswith(("offer_", "request_", "add_"))]
    assert not html(at) and "Japan" not in " ".join(m.value for m in at.markdown)


def test_without_an_editor_configured_the_page_says_how_to_enable(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_HASH_ENV)
    at = open_page()
    assert any(ui_auth.HOW_TO_ENABLE in i.value for i in at.info)
    assert not [k for k in keys(at) if k.startswith(("offer_", "request_", "add_"))]


def test_the_page_is_listed_with_the_editor_pages():
    from needs_tracker.ui.registry import BY_PATH, EDITORS

    assert BY_PATH["review_assistance"].section == EDITORS and BY_PATH["review_assistance"].title == TITLE


def test_the_queue_shows_each_offer_and_request_in_its_paragraph_least_certain_first():
    at = signed_in()
    text = [m.value for m in at.markdown]
    assert "**3** offers to review (none decided yet) · **2** requests to review (none decided yet)" in text
    offers = [t for t in text if " offers **" in t]
    assert offers == [
        "**EU — European Union** offers **Licensing** to all participants · confidence 0.40",
        "**OSCE — Organization for Security and Co\\-operation in Europe** offers **National action plan** to all "
        "participants · confidence 0.60",
        "**Japan** offers **Detection equipment** to Kazakhstan · confidence 0.90"]
    blocks = html(at)
    # the note's own markup is shown as text, the evidence marked inside its paragraph
    eu = next(b for b in blocks if "European Union" in b)
    assert "<mark>The European Union could help with &lt;b&gt;licensing&lt;/b&gt; &#42;&#42;training" in eu
    assert "<b>" not in "".join(blocks) and "](http" not in "".join(blocks)
    assert "The OSCE stands ready" in eu and "funded by Norway" not in eu  # its paragraph, not the next
    requests = [t for t in text if " requested **" in t]
    assert requests == ["**Kenya** requested **Legal and regulatory framework** · date of request 18 Jan 2019 · "
                        "confidence 0.50",
                        "**Kenya** requested **Inter\\-agency cooperation** · date of request 18 Jan 2019 · "
                        "confidence 0.70"]


def test_editor_confirms_and_rejects_offers_and_the_audit_page_shows_it():
    at = signed_in()
    japan, eu = offer_id("Japan"), offer_id("EU")
    at.button(key=f"offer_confirm_{japan}").click().run()
    ok(at)
    assert any(f"Confirmed offer #{japan}" in s.value for s in at.success)
    assert rows("select status, reviewed_by from offers where id = ?", [japan]) == [("confirmed", ACTOR)]
    assert f"offer_confirm_{japan}" not in keys(at)
    at.button(key=f"offer_reject_{eu}").click().run()
    ok(at)
    assert rows("select status from offers where id = ?", [eu]) == [("rejected",)]
    assert ("**1** offers to review (1 confirmed, 1 rejected) · **2** requests to review (none decided yet)"
            in [m.value for m in at.markdown])
    wid = rows("select workshop_id from offers where id = ?", [japan])[0][0]
    audit = signed_in("src/needs_tracker/ui/pages/audit.py")
    df = audit.dataframe[0].value
    assert list(df["action"]) == ["reject", "confirm"] and set(df["entity"]) == {"workshop"}
    assert set(df["entity_id"].astype(int)) == {wid}
    assert [json.loads(a)["offer_id"] for a in df["after"]] == [eu, japan]


def test_editor_corrects_an_offer_and_a_no_change_is_one_line():
    at = signed_in()
    osce = offer_id("OSCE")
    at.button(key=f"offer_correct_{osce}").click().run()
    ok(at)
    assert [e.value for e in at.error] == ["nothing to change\\: give another provider or category"]
    at.selectbox(key=f"offer_provider_{osce}").set_value("UNODC")
    at.selectbox(key=f"offer_category_{osce}").set_value("legal_regulatory_framework").run()
    at.button(key=f"offer_correct_{osce}").click().run()
    ok(at)
    assert rows("select provider, category, status, original_provider, original_category from offers where id = ?",
                [osce]) == [("UNODC", "legal_regulatory_framework", "corrected", "OSCE", "national_action_plan")]
    assert f"offer_correct_{osce}" not in keys(at)


def _norway_offer_to_kyrgyzstan_in_almaty():
    """An editor's "Add an offer" form filled in up to the quote: the Almaty workshop, Norway,
    training, to Kyrgyzstan."""
    at = signed_in()
    wid = rows("select id from workshops where title = 'Workshop on assistance, Almaty'")[0][0]
    at.selectbox(key="add_offer_workshop").set_value(wid).run()
    at.selectbox(key="add_offer_provider").set_value("Norway")
    at.selectbox(key="add_offer_category").set_value("training_capacity_building")
    at.multiselect(key="add_offer_recipients").set_value(["KGZ"])
    return at, wid


def test_editor_adds_an_offer_by_quote_from_the_chosen_workshop():
    at, wid = _norway_offer_to_kyrgyzstan_in_almaty()
    at.text_area(key="add_offer_quote").input("Norway will train customs officers.").run()
    at.button(key="add_offer_submit").click().run()
    ok(at)
    assert [e.value for e in at.error] == ["the quote is not in the note\\: copy it exactly from the note's text"]
    assert rows("select count(*) from offers where status = 'manual'") == [(0,)]
    at.text_area(key="add_offer_quote").input("The workshop was   funded by Norway.").run()
    at.button(key="add_offer_submit").click().run()
    ok(at)
    assert any("Added the offer." in s.value for s in at.success)
    assert rows("select workshop_id, provider, provider_iso3, category, recipients_iso3, recipients_kind, evidence, "
                "reviewed_by from offers where status = 'manual'") == [
        (wid, "Norway", "NOR", "training_capacity_building", ["KGZ"], "named", "The workshop was funded by Norway.",
         ACTOR)]
    assert rows("select action, entity, entity_id from audit_log") == [("add", "workshop", str(wid))]


def test_editor_adds_an_offer_to_a_group_its_participants_get_it():
    at, wid = _norway_offer_to_kyrgyzstan_in_almaty()
    at.selectbox(key="add_offer_group").set_value("CAS")
    at.text_area(key="add_offer_quote").input("The workshop was funded by Norway.").run()
    at.button(key="add_offer_submit").click().run()
    ok(at)
    assert [e.value for e in at.error] == ["give either the states the offer is for or a group, not both"]
    at.multiselect(key="add_offer_recipients").set_value([]).run()
    at.button(key="add_offer_submit").click().run()
    ok(at)
    assert rows("select recipients_iso3, recipients_kind from offers where status = 'manual'") == [
        (["KAZ", "KGZ"], "group")]
    after = json.loads(rows("select after_json from audit_log")[0][0])
    assert (after["recipients_kind"], after["recipients_iso3"]) == ("group", ["KAZ", "KGZ"])


def test_editor_confirms_rejects_and_corrects_requests_and_a_bad_date_is_one_line():
    at = signed_in()
    first, second = request_id("legal_regulatory_framework"), request_id("interagency_cooperation")
    at.button(key=f"request_confirm_{first}").click().run()
    ok(at)
    assert rows("select status from requests where id = ?", [first]) == [("confirmed",)]
    assert f"request_confirm_{first}" not in keys(at)
    assert at.text_input(key=f"request_date_{second}").value == "2019-01-18"
    at.text_input(key=f"request_date_{second}").input("18 Jan 19").run()
    at.button(key=f"request_correct_{second}").click().run()
    ok(at)
    assert [e.value for e in at.error] == [
        "unknown date of request '18 Jan 19'\\: give it as YYYY\\-MM\\-DD \\(e\\.g\\. 2019\\-01\\-18\\)"]
    assert rows("select requested_on, status from requests where id = ?", [second]) == [(date(2019, 1, 18),
                                                                                          "extracted")]
    at.selectbox(key=f"request_state_{second}").set_value("UGA")
    at.text_input(key=f"request_date_{second}").input("2019-01-21").run()
    at.button(key=f"request_correct_{second}").click().run()
    ok(at)
    assert rows("select state_iso3, category, requested_on, status, original_state_iso3 from requests where id = ?",
                [second]) == [("UGA", "interagency_cooperation", date(2019, 1, 21), "corrected", "KEN")]
    assert any("No formal requests left to review here." in s.value for s in at.success)


def test_editor_rejects_a_request_and_adds_one_by_quote():
    at = signed_in()
    second = request_id("interagency_cooperation")
    at.button(key=f"request_reject_{second}").click().run()
    ok(at)
    assert rows("select status, reviewed_by from requests where id = ?", [second]) == [("rejected", ACTOR)]
    register = rows("select id from workshops where kind = 'assistance_requests'")[0][0]
    at.selectbox(key="add_request_workshop").set_value(register).run()
    at.selectbox(key="add_request_state").set_value("KEN")
    at.selectbox(key="add_request_category").set_value("control_lists")
    at.text_input(key="add_request_date").input("2019-02-31")
    at.text_area(key="add_request_quote").input("KENYA (Date of Request: 18 January 2019)").run()
    at.button(key="add_request_submit").click().run()
    ok(at)
    assert len(at.error) == 1 and "2019\\-02\\-31" in at.error[0].value
    at.text_input(key="add_request_date").input("2019-01-18").run()
    at.button(key="add_request_submit").click().run()
    ok(at)
    assert rows("select workshop_id, state_iso3, category, requested_on, evidence, status from requests "
                "where status = 'manual'") == [
        (register, "KEN", "control_lists", date(2019, 1, 18), "KENYA (Date of Request: 18 January 2019)", "manual")]
    assert [a for a, in rows("select action from audit_log order by id")] == ["reject", "add"]


def test_an_empty_queue_says_so(templates, isolated_store):
    shutil.copy(templates["empty"], isolated_store)
    at = signed_in()
    assert "**0** offers to review (none decided yet) · **0** requests to review (none decided yet)" in [
        m.value for m in at.markdown]
    assert [s.value for s in at.success] == ["No offers left to review here.",
                                             "No formal requests left to review here."]
    assert not [k for k in keys(at) if k.startswith(("offer_confirm", "request_confirm"))]
    assert "add_offer_submit" in keys(at) and "add_request_submit" in keys(at)


def test_a_rerun_that_changes_nothing_opens_no_store(monkeypatch):
    from needs_tracker.store import connection

    at = signed_in()
    calls: list[str] = []
    for name in ("open_connection", "store_version"):
        real = getattr(connection, name)
        monkeypatch.setattr(connection, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(
            *a, **k))
    at.run()
    ok(at)
    assert calls == ["store_version"]  # one look at the store file; every read came from the cache


def test_a_long_queue_is_paged():
    wid, start, end, evidence = rows("select workshop_id, span_start, span_end, evidence from offers "
                                     "where provider = 'Japan'")[0]
    with connect() as con:
        for i in range(11):
            con.execute("insert into offers (workshop_id, provider, category, evidence, span_start, span_end, rule, "
                        "confidence) values (?, 'IAEA', 'physical_protection', ?, ?, ?, 'fixture', ?)",
                        [wid, evidence, start, end, 0.05 + i / 100])
    at = signed_in()

    def shown() -> list[str]:
        return [m.value for m in at.markdown if " offers **" in m.value]

    assert len(shown()) == 10 and all(s.startswith("**IAEA") for s in shown())
    assert any(c.value == "Least certain first: showing 1–10 of 14." for c in at.caption)
    at.number_input(key="offer_page_undecided").set_value(2).run()
    ok(at)
    assert [s.split("**")[1] for s in shown()] == ["IAEA — International Atomic Energy Agency", "EU — European Union",
                                                   "OSCE — Organization for Security and Co\\-operation in Europe",
                                                   "Japan"]
    assert "request_page_undecided" not in [w.key for w in at.number_input]  # two requests: one page, no control
    at.radio(key="assist_choice").set_value("all").run()  # another list starts at its own first page
    ok(at)
    assert any(c.value.startswith("Undecided first") and "showing 1–10 of" in c.value for c in at.caption)


def decided_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("**Confirmed** by", "**Rejected** by",
                                                                 "**Corrected** by", "**Added** by"))]


def test_a_confirmed_offer_is_found_again_rejected_and_the_change_audited():
    at = signed_in()
    japan = offer_id("Japan")
    assert at.radio(key="assist_choice").value == "undecided"
    at.button(key=f"offer_confirm_{japan}").click().run()
    ok(at)
    assert f"offer_confirm_{japan}" not in keys(at) and not decided_lines(at)
    at.radio(key="assist_choice").set_value("confirmed").run()
    ok(at)
    assert at.query_params["decision"] == "confirmed"
    assert [m.value for m in at.markdown if " offers **" in m.value] == [
        "**Japan** offers **Detection equipment** to Kazakhstan · confidence 0.90"]
    assert decided_lines(at)[0].startswith("**Confirmed** by Ana \\(password\\), ")
    assert decided_lines(at)[0].endswith(": status undecided → confirmed")
    assert f"offer_confirm_{japan}" not in keys(at) and f"offer_correct_{japan}" in keys(at)
    assert any(s.value == "No formal requests with that decision here." for s in at.success)
    at.button(key=f"offer_reject_{japan}").click().run()
    ok(at)
    assert rows("select status, reviewed_by from offers where id = ?", [japan]) == [("rejected", ACTOR)]
    wid = rows("select workshop_id from offers where id = ?", [japan])[0][0]
    audit = rows("select action, entity, entity_id, after_json->>'offer_id', after_json->>'status' from audit_log "
                 "order by id")
    assert audit == [("confirm", "workshop", str(wid), str(japan), "confirmed"),
                     ("reject", "workshop", str(wid), str(japan), "rejected")]
    assert any(s.value == "No offers with that decision here." for s in at.success)
    at.radio(key="assist_choice").set_value("rejected").run()
    ok(at)
    assert decided_lines(at) == [decided_lines(at)[0]] and decided_lines(at)[0].endswith(
        ": status confirmed → rejected")
    assert f"offer_confirm_{japan}" in keys(at) and f"offer_reject_{japan}" not in keys(at)


def test_a_corrected_request_shows_what_changed_and_can_be_corrected_again():
    at = signed_in()
    second = request_id("interagency_cooperation")
    at.text_input(key=f"request_date_{second}").input("2019-01-21").run()
    at.button(key=f"request_correct_{second}").click().run()
    ok(at)
    at.radio(key="assist_choice").set_value("corrected").run()
    ok(at)
    assert decided_lines(at) == [decided_lines(at)[0]]
    assert decided_lines(at)[0].endswith(": date of request 2019\\-01\\-18 → 2019\\-01\\-21; status undecided → "
                                         "corrected")
    at.selectbox(key=f"request_state_{second}").set_value("UGA").run()
    at.button(key=f"request_correct_{second}").click().run()
    ok(at)
    assert rows("select state_iso3, requested_on, status, original_state_iso3 from requests where id = ?",
                [second]) == [("UGA", date(2019, 1, 21), "corrected", "KEN")]
    assert decided_lines(at)[0].endswith(": state Kenya → Uganda")
    at.radio(key="assist_choice").set_value("all").run()
    ok(at)
    assert any(c.value == "Undecided first, least certain first; then the most recent decision first: showing "
               "1–2 of 2." for c in at.caption)
