"""The editor pages (review, upload, audit) through AppTest on the real dashboard.

An editor signs in with the password form and works through each action; a viewer sees
no editing control and no audit log; and with no editor configured the pages say how to
turn editing on. The store is written row by row (tests/fixture_store.py), not extracted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fixture_store import WORKSHOPS, build_store
from needs_tracker import auth
from needs_tracker.store import connect
from needs_tracker.ui import auth as ui_auth

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGES = "src/needs_tracker/ui/pages"
PASSWORD = "review-pass-1540"
EDIT_PREFIXES = ("confirm_", "reject_", "correct_", "add_submit", "ws_save", "p_add", "p_confirm", "p_remove",
                 "upload_go")


@pytest.fixture(scope="session")
def template_store(tmp_path_factory) -> Path:
    return Path(build_store(tmp_path_factory.mktemp("fixture") / "store.duckdb"))


@pytest.fixture(scope="session")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def fresh(monkeypatch, template_store, isolated_store, fresh_streamlit):
    monkeypatch.delenv(auth.PASSWORD_HASH_ENV, raising=False)
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    monkeypatch.setattr(auth, "NAME_LOCKOUT", auth.Lockout(max_attempts=20))
    shutil.copy(template_store, isolated_store)


@pytest.fixture
def editing(monkeypatch, password_hash):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{password_hash}")


PAGE_TITLES = {"review": "Review", "upload": "Upload notes", "audit": "Audit log"}


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    try:
        at.switch_page(f"{PAGES}/{name}.py")
    except ValueError:  # the page is registered as a callable under its url path
        from streamlit.util import calc_hash

        at._page_hash = calc_hash(name)
    at.run()
    ok(at)
    assert [t.value for t in at.title][:1] == [PAGE_TITLES[name]]
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "Ana") -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_sign_in").click().run()
    ok(at)
    return at


def edit_keys(at: AppTest) -> list[str]:
    keys = [w.key or "" for w in list(at.button) + list(at.selectbox) + list(at.text_area)]
    return [k for k in keys if k.startswith(EDIT_PREFIXES) or k.startswith(("state_", "add_", "ws_"))]


def rows(sql, params=None):
    with connect() as con:
        return con.execute(sql, params or []).fetchall()


def first_queue_id() -> int:
    return rows("select id from needs where status = 'extracted' order by confidence, id limit 1")[0][0]


def test_without_an_editor_configured_pages_are_read_only_and_say_how_to_enable():
    for name in ("review", "upload"):
        at = open_page(name)
        assert any(ui_auth.HOW_TO_ENABLE in i.value for i in at.info)
        assert not edit_keys(at) and not at.file_uploader
    at = open_page("review")
    # the fixture store holds 10 extracted needs, one confirmed and one rejected
    assert "**10** needs to review · **2** decided (1 confirmed, 1 rejected)" in [m.value for m in at.markdown]


def test_a_viewer_sees_the_queue_but_no_controls(editing):
    at = open_page("review")
    assert any(c.value.startswith("Flagged for another look first, then the most uncertain") for c in at.caption)
    assert not edit_keys(at)
    assert "auth_sign_in" in [b.key for b in at.button]
    assert not open_page("upload").file_uploader


def test_a_wrong_password_is_refused(editing):
    at = sign_in(open_page("review"), password="not it")
    assert any("wrong name or password" in e.value for e in at.error)
    assert not edit_keys(at)


def test_editor_confirms_from_the_queue(editing):
    at = sign_in(open_page("review"))
    nid = first_queue_id()
    at.button(key=f"confirm_{nid}").click().run()
    ok(at)
    assert any(f"Confirmed need #{nid}" in s.value for s in at.success)
    assert rows("select status, reviewed_by from needs where id = ?", [nid]) == [("confirmed", "Ana (password)")]
    assert f"confirm_{nid}" not in [b.key for b in at.button]
    assert rows("select actor, action from audit_log") == [("Ana (password)", "confirm")]


def test_editor_rejects_from_the_queue(editing):
    at = sign_in(open_page("review"))
    nid = first_queue_id()
    at.button(key=f"reject_{nid}").click().run()
    ok(at)
    assert rows("select status from needs where id = ?", [nid]) == [("rejected",)]


def test_editor_corrects_state_and_category(editing):
    at = sign_in(open_page("review"))
    nid = first_queue_id()
    old_state, old_category = rows("select state_iso3, category from needs where id = ?", [nid])[0]
    new_state = "FRA" if old_state != "FRA" else "DEU"
    at.selectbox(key=f"state_{nid}").set_value(new_state)
    at.selectbox(key=f"category_{nid}").set_value("other").run()
    at.button(key=f"correct_{nid}").click().run()
    ok(at)
    assert rows("select state_iso3, category, status, original_state_iso3, original_category from needs "
                "where id = ?", [nid]) == [(new_state, "other", "corrected", old_state, old_category)]


def test_editor_adds_a_need_with_a_quote_from_the_note(editing):
    at = sign_in(open_page("review"))
    wid = at.selectbox(key="add_workshop").value
    text = rows("select d.text from workshops w join documents d on d.id = w.document_id where w.id = ?", [wid])[0][0]
    quote = next(line for line in text.splitlines() if len(line) > 40).strip()
    at.selectbox(key="add_state").set_value("NZL")
    at.selectbox(key="add_category").set_value("national_action_plan")
    at.text_area(key="add_quote").input("Not a sentence from this note at all.").run()
    at.button(key="add_submit").click().run()
    ok(at)
    assert any("not in the note" in e.value for e in at.error)
    assert rows("select count(*) from needs where status = 'manual'") == [(0,)]
    at.text_area(key="add_quote").input(quote).run()
    at.button(key="add_submit").click().run()
    ok(at)
    assert rows("select workshop_id, state_iso3, category, evidence, status from needs where status = 'manual'") == [
        (wid, "NZL", "national_action_plan", quote, "manual")]


def test_editor_corrects_a_workshop_and_its_participants(editing):
    at = sign_in(open_page("review"))
    at.selectbox(key="ws_select").set_value(1).run()
    wid = 1
    at.text_input(key=f"ws_title_{wid}").input("Title fixed by staff").run()
    at.button(key=f"ws_save_{wid}").click().run()
    ok(at)
    assert rows("select title, edited_fields from workshops where id = ?", [wid]) == [
        ("Title fixed by staff", ["title"])]
    listed = at.selectbox(key=f"p_state_{wid}").value
    at.button(key=f"p_remove_{wid}").click().run()
    ok(at)
    at.selectbox(key=f"p_add_state_{wid}").set_value("NZL").run()
    at.button(key=f"p_add_{wid}").click().run()
    ok(at)
    got = dict(rows("select state_iso3, status from participation where workshop_id = ?", [wid]))
    assert got[listed] == "rejected" and got["NZL"] == "confirmed"


def test_editor_uploads_notes_and_gets_a_report_per_file(editing):
    at = sign_in(open_page("upload"))
    note = (b"Information Note\n\nEvent: Workshop on licensing\nDate and Venue: 10-11 June 2016, Bishkek, "
            b"Kyrgyzstan\nParticipants: States: Mongolia.\n\nMongolia reported a need for licensing training.\n")
    at.file_uploader(key="upload_files").set_value([
        ("fresh.txt", note, "text/plain"),
        ("broken.pdf", b"%PDF-1.4 not really", "application/pdf"),
    ]).run()
    at.button(key="upload_go").click().run()
    ok(at)
    report = at.code[0].value
    assert "ingested  fresh.txt" in report and "rejected  broken.pdf" in report
    assert rows("select count(*) from documents") == [(len(WORKSHOPS) + 1,)]
    assert rows("select actor, action, entity from audit_log") == [("Ana (password)", "upload", "document")]
    at.file_uploader(key="upload_files").set_value([("same_content_other_name.txt", note, "text/plain")]).run()
    at.button(key="upload_go").click().run()
    ok(at)
    assert "unchanged same_content_other_name.txt" in at.code[0].value
    assert rows("select count(*) from documents") == [(len(WORKSHOPS) + 1,)]


def test_bad_uploads_are_reported_per_file_not_as_a_traceback(editing):
    at = sign_in(open_page("upload"))
    at.file_uploader(key="upload_files").set_value([
        ("empty.txt", b"", "text/plain"),
        ("binary.txt", bytes(range(256)) * 8, "text/plain"),
        ("corrupt.docx", b"PK\x03\x04 not a zip", "application/octet-stream"),
    ]).run()
    at.button(key="upload_go").click().run()
    ok(at)
    report = at.code[0].value
    for name in ("empty.txt", "binary.txt", "corrupt.docx"):
        assert f"rejected  {name}: " in report
    assert "3 rejected" in at.warning[0].value
    assert rows("select count(*) from documents") == [(len(WORKSHOPS),)]


def test_audit_page_lists_filters_and_offers_downloads(editing):
    at = sign_in(open_page("review"))
    nid = first_queue_id()
    at.button(key=f"confirm_{nid}").click().run()
    nid2 = first_queue_id()
    at.button(key=f"reject_{nid2}").click().run()
    ok(at)
    viewer = open_page("audit")
    assert not viewer.dataframe and not viewer.get("download_button")  # who changed what is for editors
    at = sign_in(open_page("audit"))
    assert len(at.dataframe[0].value) == 2
    at.multiselect(key="audit_action").set_value(["reject"]).run()
    ok(at)
    df = at.dataframe[0].value
    assert list(df["action"]) == ["reject"] and '"status": "extracted"' in df["before"][0]
    assert any(c.value == "1 changes" for c in at.caption)


def test_oidc_configuration_offers_st_login_and_no_password_form():
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
    at.run()
    try:
        at.switch_page(f"{PAGES}/review.py")
    except ValueError:
        from streamlit.util import calc_hash

        at._page_hash = calc_hash("review")
    at.run()
    ok(at)
    keys = [b.key for b in at.button]
    assert "auth_login" in keys and "auth_sign_in" not in keys
    assert not edit_keys(at)


def test_a_viewer_cannot_write_around_the_page(editing):
    from needs_tracker import review
    from needs_tracker.errors import PermissionDenied

    at = open_page("review")
    assert ui_auth.SESSION_KEY not in at.session_state
    nid = first_queue_id()
    with pytest.raises(PermissionDenied):
        review.confirm_need(None, nid)
    with pytest.raises(PermissionDenied):
        auth.Editor("viewer", "password")
    assert rows("select status from needs where id = ?", [nid]) == [("extracted",)]


def test_a_same_named_different_upload_asks_before_replacing(editing):
    at = sign_in(open_page("upload"))
    note = (b"Information Note\n\nEvent: Workshop on licensing\nDate and Venue: 10-11 June 2016, Bishkek, "
            b"Kyrgyzstan\nParticipants: States: Mongolia.\n\nMongolia reported a need for licensing training.\n")
    at.file_uploader(key="upload_files").set_value([("note_1.txt", note, "text/plain")]).run()
    at.button(key="upload_go").click().run()
    ok(at)
    ask = next(w.value for w in at.warning if "was stored as a new note" in w.value)
    assert "note\\_1\\.txt" in ask and "Regional workshop, Ashgabat" in ask and "2012\\-05\\-15" in ask
    assert rows("select count(*) from documents") == [(len(WORKSHOPS) + 1,)]  # nothing replaced yet
    at.button(key="upload_replace_note_1.txt").click().run()
    ok(at)
    assert "replaced" in at.code[0].value
    assert rows("select title from workshops where id = 1") != [("Regional workshop, Ashgabat",)]


def test_editor_sign_in_is_in_the_sidebar_of_every_page(editing):
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    links = [el.proto for el in at.sidebar.get("page_link")]
    assert [(p.label, p.page) for p in links] == [("Editor sign-in", "review")]
    at = sign_in(open_page("review"))
    assert any("Signed in as Ana" in c.value for c in at.sidebar.caption)


def decided_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("**Confirmed**", "**Rejected**", "**Corrected**",
                                                                 "**Added**"))]


def test_a_confirmed_need_is_found_again_rejected_and_the_change_audited(editing):
    at = sign_in(open_page("review"))
    nid = first_queue_id()
    assert at.radio(key="queue_choice").value == "undecided" and "decision" not in at.query_params
    at.button(key=f"confirm_{nid}").click().run()
    ok(at)
    assert not decided_lines(at)  # the undecided list shows no decision
    at.radio(key="queue_choice").set_value("confirmed").run()
    ok(at)
    assert at.query_params["decision"] == "confirmed"  # the link holds the choice
    assert any(c.value.startswith("Most recent decision first: showing 1–2 of 2.") for c in at.caption)
    assert decided_lines(at)[0].startswith("**Confirmed** by Ana \\(password\\), ")
    # a confirmed need offers Reject and Correct, not Confirm again
    keys = [b.key for b in at.button]
    assert f"reject_{nid}" in keys and f"correct_{nid}" in keys and f"confirm_{nid}" not in keys
    at.button(key=f"reject_{nid}").click().run()
    ok(at)
    assert any(f"Rejected need #{nid}" in s.value for s in at.success)
    assert rows("select status, reviewed_by from needs where id = ?", [nid]) == [("rejected", "Ana (password)")]
    assert rows("select action, entity, entity_id from audit_log order by id") == [
        ("confirm", "need", str(nid)), ("reject", "need", str(nid))]
    at.radio(key="queue_choice").set_value("rejected").run()
    ok(at)
    first = decided_lines(at)[0]
    assert first.startswith("**Rejected** by Ana \\(password\\), ") and first.endswith(
        ": status confirmed → rejected")
    keys = [b.key for b in at.button]
    assert f"confirm_{nid}" in keys and f"reject_{nid}" not in keys  # it can be confirmed again


def open_review_link(decision: str) -> AppTest:
    """The review page opened from a link with ``?decision=``, then signed in."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"{PAGES}/review.py")
    at.query_params["decision"] = decision
    at.run()
    return sign_in(at)


def test_a_link_with_a_decision_opens_that_list(editing):
    at = open_review_link("rejected")
    assert at.radio(key="queue_choice").value == "rejected"
    lines = decided_lines(at)
    # the fixture's rejected need was written before any audit entry: its own reviewer is named
    assert lines == ["**Rejected** (the audit log holds no entry for it)"]
    at.radio(key="queue_choice").set_value("corrected").run()
    assert any(s.value == "No needs with that decision here." for s in at.success)
    at.radio(key="queue_choice").set_value("undecided").run()
    assert "decision" not in at.query_params


def test_a_viewer_gets_no_decision_choice(editing):
    at = open_page("review")
    assert not at.radio and not decided_lines(at)


def test_a_viewer_is_not_told_who_decided_a_need_flagged_for_another_look(editing):
    # A decided need whose quote was lost on reprocess is back in the undecided list; who decided it is
    # the audit log's, which only editors read.
    from needs_tracker import review

    nid = first_queue_id()
    review.confirm_need(auth.local_editor("secret-reviewer"), nid)
    with connect() as con:
        con.execute("update needs set flagged = 'quote no longer in the note' where id = ?", [nid])
    at = open_page("review")
    assert not decided_lines(at) and not any("secret" in m.value for m in at.markdown)
    assert any("quote no longer in the note" in c.value for c in at.caption)
    editor_view = sign_in(open_page("review"))
    assert any(line.startswith("**Confirmed** by secret") for line in decided_lines(editor_view))


def test_a_link_with_an_unknown_decision_lists_the_undecided(editing):
    at = open_review_link("maybe")
    assert at.radio(key="queue_choice").value == "undecided"
    assert any(c.value.startswith("Flagged for another look first, then the most uncertain") for c in at.caption)
