"""What the dashboard reads from the store's copy in memory (``store.matching_base``) and from the
store key it keeps for a run (``ui.reads.store_key``) follows the store: after a write, the next
run shows it. Covered here through AppTest on the fixture store with offers and requests: a
Matching row's evidence (``read_all`` on the copy, inside the table's fragment), the overview's
counts (``read_many`` on the copy's ``need_facts`` table), the gap finder's evidence, and a store
moved to another location within one session (the key is read again at the start of each run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import app
from fixture_store import build_store
from matching_fixture import add_assistance
from needs_tracker import store
from needs_tracker.ui import reads

pytestmark = pytest.mark.usefixtures("fresh_streamlit")
SENTENCE = "Kazakhstan lacks a synthetic statute named Qwertz for its export controls."


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = build_store(tmp_path_factory.mktemp("copy-reads") / "store.duckdb")
    add_assistance(path)
    return Path(path)


@pytest.fixture
def location(template, isolated_store) -> str:
    shutil.copy(template, isolated_store)
    return str(isolated_store)


def add_need(location: str) -> None:
    def work(con):
        vienna = con.execute("select id from workshops where title = 'Peer review, Vienna'").fetchall()[0][0]
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (?, 'KAZ', 'legal_regulatory_framework', ?, 0, 10, 'f', 0.9)",
                    [vienna, SENTENCE])

    store.write(location, work)


def page_text(at: AppTest) -> str:
    """The page's markdown and its HTML blocks (the evidence sentences are an st.html block)."""
    return " ".join([m.value for m in at.markdown] + [h.value for h in at.html])


def test_a_matching_rows_evidence_is_read_on_the_copy_and_shows_a_write_on_the_next_run(location):
    at = app("matching", pair="KAZ:legal_regulatory_framework")
    version = store.store_version(location)
    assert reads._BASES.ready(location, version) is not None  # a small store: the copy is built at once
    assert "Kazakhstan is still drafting its export control law." in page_text(at)
    assert "Qwertz" not in page_text(at)
    add_need(location)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Qwertz" in page_text(at)  # the new version's copy holds the write
    assert reads._BASES.ready(location, store.store_version(location)) is not None


def test_the_gap_finders_evidence_shows_a_write_on_the_next_run(location):
    at = app("gaps", pair="KAZ:legal_regulatory_framework")
    assert "Qwertz" not in page_text(at)
    add_need(location)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Qwertz" in page_text(at)


def test_the_overviews_counts_read_the_copys_need_facts_and_show_a_write(location):
    at = app("overview")
    before = {m.label: m.value for m in at.metric}
    add_need(location)
    at.run()
    after = {m.label: m.value for m in at.metric}
    assert int(after["Needs"].replace(",", "")) == int(before["Needs"].replace(",", "")) + 1
    at.text_input(key="flt_text").set_value("Qwertz").run()  # the words answered on the new copy
    assert {m.label: m.value for m in at.metric}["Needs"] == "1"


def test_a_store_at_another_location_is_read_from_the_next_run(location, tmp_path, monkeypatch):
    """The key is taken as read within a run, never across runs: pointing the dashboard at another
    store shows that store on the next run."""
    at = app("overview")
    needs = {m.label: m.value for m in at.metric}["Needs"]
    other = tmp_path / "other.duckdb"
    shutil.copy(location, other)
    add_need(str(other))
    monkeypatch.setenv("NEEDS_TRACKER_DB", str(other))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert int({m.label: m.value for m in at.metric}["Needs"].replace(",", "")) == int(needs.replace(",", "")) + 1
    assert at.session_state[reads.STORE_KEY][0] == str(other)
