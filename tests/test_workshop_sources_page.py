"""The Workshops list and a workshop's page on a store where one event has two sources
(tests/event_store.py), through AppTest on the real dashboard: one row per event, the page
lists its sources, offers and requests, a source's page points to its event, an editor splits
and merges sources with buttons, and a viewer sees none."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from event_store import REASONS, build_event_store
from needs_tracker import auth
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGES = "src/needs_tracker/ui/pages"
PASSWORD = "sources-pass-1540"
EDIT_KEYS = ("ws_split_", "ws_merge", "ws_record_")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return Path(build_event_store(tmp_path_factory.mktemp("events") / "store.duckdb"))


@pytest.fixture(scope="module")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def store(monkeypatch, template, isolated_store, password_hash, fresh_streamlit) -> str:
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{password_hash}")
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    monkeypatch.setattr(auth, "NAME_LOCKOUT", auth.Lockout(max_attempts=20))
    shutil.copy(template, isolated_store)
    return str(isolated_store)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def workshops_page(at: AppTest | None = None, **params) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=60)
    if not at.query_params and not params:
        at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"{PAGES}/workshops.py").run()
    return ok(at)


def signed_in_editor() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"{PAGES}/review.py").run()
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    return ok(at)


def text(at: AppTest) -> str:
    """What the page says, its HTML fragments' character references read back."""
    return html.unescape(" ".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                                  + [i.value for i in at.info]))


def edit_controls(at: AppTest) -> list[str]:
    return [w.key for w in list(at.button) + list(at.selectbox) if (w.key or "").startswith(EDIT_KEYS)]


def events(location: str) -> int:
    with connect(location) as con:
        return reads.counts(con, NeedFilter())["workshops"]


def test_the_list_has_one_row_per_event_and_the_overview_counts_events():
    at = workshops_page()
    table = at.dataframe[0].value
    assert table["workshop"].tolist() == ["Briefing, Nairobi", "Peer review, Vienna", "Seminar, Ashgabat",
                                          "Register of assistance requests"]
    assert table["sources"].tolist() == [1, 2, 1, 1] and table["needs"].tolist() == [0, 3, 1, 0]
    at.text_input(key="ws_search").set_value("press_release").run()  # a second source's file finds its event
    assert ok(at).dataframe[0].value["workshop"].tolist() == ["Peer review, Vienna"]
    overview = AppTest.from_file(APP, default_timeout=60)
    overview.run()
    ok(overview)
    assert {m.label: m.value for m in overview.metric}["Workshops"] == "2"


def test_a_viewer_sees_the_sources_offers_and_no_editing_control():
    at = workshops_page(workshop="1")
    shown = text(at)
    assert "<b>vienna_information_note.txt</b>" in shown and "<b>vienna_press_release.txt</b>" in shown
    assert "<small>the event's record</small>" in shown
    assert f"<small>linked automatically (score 0.93: {REASONS})</small>" in shown
    assert [s.value for s in at.subheader][:1] == ["Participants (2)"]
    assert "Gaps reported (3)" in [s.value for s in at.subheader] and "Sources (2)" in [s.value for s in at.subheader]
    offers = next(d.value for d in at.dataframe if "provider" in d.value.columns)
    assert offers[["provider", "to whom", "source"]].values.tolist() == [
        ["European Union", "Uzbekistan", "vienna_press_release.txt"]]
    assert edit_controls(at) == []
    assert "Editors (sign in from the sidebar) can merge" in shown


def test_titles_of_sources_are_escaped():
    at = workshops_page(workshop="1")
    line = next(m.value for m in at.markdown if "press&#95;release" in m.value)
    assert line.startswith("<div><b>vienna&#95;press&#95;release.txt</b>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in line and "&#42;&#42;Vienna&#42;&#42;" in line
    assert "](http" not in line and "http://" not in line and "\n" not in line  # no link, bare or not
    assert not [m.value for m in at.markdown if "<b>bold" in m.value]


def test_a_source_page_names_its_event_and_opens_it():
    at = workshops_page(workshop="2")
    assert "one of 2 sources of one event (workshop #1)" in at.info[0].value
    assert "target='_self'><b>Peer review, Vienna</b></a></div>" in text(at)
    assert "<div>The event: <a href='./workshops?workshop=1' target='_self'>" in text(at)
    assert [s.value for s in at.subheader][:1] == ["Participants (2)"]
    assert "Gaps reported (1)" in [s.value for s in at.subheader]
    at.button(key="ws_open_event").click().run()
    ok(at)
    assert at.query_params["workshop"] in ("1", ["1"]) and at.title[0].value == "Peer review, Vienna"


def test_a_register_page_lists_its_requests():
    at = workshops_page(workshop="5")
    assert "Formal requests (1)" in [s.value for s in at.subheader]
    requests = next(d.value for d in at.dataframe if "requested on" in d.value.columns)
    assert requests[["state", "requested on"]].values.tolist() == [["Kenya", "2019-01-18"]]


def test_an_editor_splits_a_source_off_and_merges_it_back(store):
    at = signed_in_editor()
    at = workshops_page(at, workshop="1")
    assert sorted(edit_controls(at)) == ["ws_merge", "ws_merge_with", "ws_record_2", "ws_split_1", "ws_split_2"]
    at.button(key="ws_split_2").click().run()
    ok(at)
    assert at.success[0].value == "Source #2 is now an event of its own."
    assert events(store) == 3
    assert "Sources (1)" in [s.value for s in at.subheader] and "Gaps reported (2)" in [s.value for s in at.subheader]
    assert [k for k in edit_controls(at) if k.startswith("ws_split_")] == []

    options = at.selectbox(key="ws_merge_with").options
    assert options[0].startswith("Press release") and options[0].endswith("#2")  # same date first
    at.selectbox(key="ws_merge_with").set_value(2).run()
    at.button(key="ws_merge").click().run()
    ok(at)
    assert at.success[0].value == "Merged with workshop #2 into one event."
    assert events(store) == 2 and "Sources (2)" in [s.value for s in at.subheader]
    assert "<small>the event's record; merged by Ana (password)</small>" in text(at)
    with connect(store) as con:
        log = con.execute("select actor, action, entity_id from audit_log order by id").fetchall()
    assert log[-2:] == [("Ana (password)", "edit", "2"), ("Ana (password)", "edit", "1")]  # split 2, merge into 1


def test_a_split_refused_by_a_locked_store_is_one_line_and_changes_nothing(store, monkeypatch):
    import subprocess
    import sys

    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "0.2")
    at = workshops_page(signed_in_editor(), workshop="1")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(60)", store], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        at.button(key="ws_split_2").click().run()
        assert not at.exception and not at.success
        assert len(at.error) == 1 and "\n" not in at.error[0].value
        assert "in use by process" in at.error[0].value and str(holder.pid) in at.error[0].value
        assert "Sources (2)" in [s.value for s in at.subheader]  # the page drew on: the write said no
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert events(store) == 2


def test_a_workshop_number_in_the_link_selects_its_event_or_its_own_note(template):
    with connect(str(template)) as con:
        event = reads.needs(con, NeedFilter(workshops=(1,)))
        press_release = reads.needs(con, NeedFilter(workshops=(2,)))
    assert sorted(event["workshop_id"]) == [1, 1, 2]  # the event's record and its second source
    assert press_release["workshop_id"].tolist() == [2]


def test_the_state_profile_compares_events_not_notes():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for key, value in {"state": "UZB", "cmp": "workshops"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"{PAGES}/state.py").run()
    ok(at)
    # UZB's two needs come from two notes of one event: there is nothing to compare
    assert "Only one workshop reported needs of this state: nothing to compare." in [c.value for c in at.caption]
