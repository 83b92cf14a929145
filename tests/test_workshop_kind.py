"""Workshop kinds are a closed vocabulary (``WorkshopKind``), held by a CHECK since schema 4.

A fresh store refuses any other word; a store made before the CHECK migrates without losing a
row (a kind that is no kind becomes the nearest one, and the audit log keeps the word it
replaced); the review page offers only the kinds, and the write refuses any other in one line.
Stores are real DuckDB files: the previous release's fixture, and a store made by the first three
migrations and written row by row.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from needs_tracker import auth, review, store
from needs_tracker.errors import ReviewError
from needs_tracker.store import audit_chain, migrations
from needs_tracker.store.vocab import WorkshopKind, workshop_kind

ROOT = Path(__file__).resolve().parents[1]
V0_1 = Path(__file__).parent / "fixtures" / "store-v0.1.duckdb"
PASSWORD = "kind-pass-1540"


def sql(query: str, params=None):
    with store.connect() as con:
        return con.execute(query, params or []).fetchall()


def add_note(con, doc: str, kind: str, edited: list[str] | None = None) -> int:
    con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', 5, 'Note.')",
                [doc, f"{doc}.txt"])
    return con.execute("insert into workshops (document_id, title, kind, year, edited_fields) "
                       "values (?, ?, ?, 2019, ?) returning id", [doc, f"Title {doc}", kind, edited or []]
                       ).fetchall()[0][0]


@pytest.mark.parametrize("statement", [
    "insert into workshops (document_id, kind) values ('d1', 'seminar')",
    "update workshops set kind = 'Workshop' where id = 1",
    "update workshops set kind = '' where id = 1",
])
def test_a_fresh_store_refuses_a_kind_outside_the_vocabulary(isolated_store, statement):
    with store.connect() as con:
        add_note(con, "d0", WorkshopKind.WORKSHOP)
        con.execute("insert into documents (id, file_name, format, size_bytes, text) "
                    "values ('d1', 'd1.txt', 'txt', 1, 'x')")
        with pytest.raises(duckdb.ConstraintException, match="kind"):
            con.execute(statement)
        assert con.execute("select kind from workshops").fetchall() == [("workshop",)]


@pytest.mark.parametrize("word, kind", [
    ("workshop", WorkshopKind.WORKSHOP), (" Workshop ", WorkshopKind.WORKSHOP),
    ("Assistance requests", WorkshopKind.ASSISTANCE_REQUESTS),
    ("assistance-requests", WorkshopKind.ASSISTANCE_REQUESTS),
    ("OTHER", WorkshopKind.OTHER), ("seminar", None), ("", None), (None, None),
])
def test_a_kind_is_read_whatever_its_case_or_spacing(word, kind):
    assert workshop_kind(word) == kind


@pytest.fixture
def schema_3_store(isolated_store, monkeypatch) -> Path:
    """A store as the release before schema 4 left it, with kinds editors typed freely."""
    with monkeypatch.context() as schema_3:
        schema_3.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        schema_3.setattr(migrations, "SCHEMA_VERSION", 3)
        with store.connect() as con:
            ids = [add_note(con, "a", "workshop"), add_note(con, "b", "seminar", ["kind", "title"]),
                   add_note(con, "c", "Assistance requests", ["kind"]), add_note(con, "d", "other")]
            con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, "
                        "rule, confidence) values (?, 'KAZ', 'licensing', 'Note.', 0, 5, 'r', 0.9)", [ids[1]])
            audit_chain.append(con, "Ana (password)", "edit", "workshop", ids[1], {"kind": "workshop"},
                               {"kind": "seminar"})
            assert con.execute("select max(version) from schema_migrations").fetchall() == [(3,)]
    return isolated_store


def test_a_store_before_the_check_migrates_keeping_every_row_and_the_words_replaced(schema_3_store, caplog):
    before = duckdb.connect(str(schema_3_store))
    columns = "id, document_id, title, year, edited_fields, warnings"
    kept = before.execute(f"select {columns} from workshops order by id").fetchall()
    before.close()
    with caplog.at_level(logging.WARNING, logger="needs_tracker.store.migrations"):
        assert sql("select max(version) from schema_migrations") == [(migrations.SCHEMA_VERSION,)]
    assert sql(f"select {columns} from workshops order by id") == kept
    assert sql("select title, kind from workshops order by id") == [
        ("Title a", "workshop"), ("Title b", "workshop"), ("Title c", "assistance_requests"), ("Title d", "other")]
    assert sql("select count(*) from needs") == [(1,)]
    # the audit log keeps each word it replaced, by the program, after the editor's own entry; the chain holds
    changes = sql("select actor, action, entity_id, json_extract_string(before_json, '$.kind'), "
                  "json_extract_string(after_json, '$.kind') from audit_log where actor = ? order by id",
                  [migrations.KIND_MIGRATION_ACTOR])
    assert changes == [(migrations.KIND_MIGRATION_ACTOR, "edit", "2", "seminar", "workshop"),
                       (migrations.KIND_MIGRATION_ACTOR, "edit", "3", "Assistance requests", "assistance_requests")]
    with store.connect() as con:
        assert audit_chain.verify(con) == (True, "3 audit rows, chain intact")
    assert [r.getMessage() for r in caplog.records] == [
        "workshop #2: kind 'seminar' is not one of workshop, other, assistance_requests; stored as workshop "
        "(the audit log keeps the word)",
        "workshop #3: kind 'Assistance requests' is not one of workshop, other, assistance_requests; stored as "
        "assistance_requests (the audit log keeps the word)"]
    # and the migrated store refuses another free word, while new workshops keep their ids going
    with store.connect() as con, pytest.raises(duckdb.ConstraintException):
        con.execute("update workshops set kind = 'seminar' where id = 1")
    with store.connect() as con:
        assert add_note(con, "e", WorkshopKind.OTHER) == 5


def test_the_previous_releases_store_migrates_with_an_odd_kind(isolated_store):
    shutil.copy(V0_1, isolated_store)
    raw = duckdb.connect(str(isolated_store))
    raw.execute("update workshops set kind = 'Training course' where id = 2")
    raw.close()
    assert sql("select id, kind, title from workshops order by id") == [
        (1, "workshop", "Corrected title (fixture)"),
        (2, "workshop", "Workshop on Customs Procedures and Licensing Issuance: Integrating the National Processing "
                        "of Dual Use Goods and Conventional Weapons Through Information Sharing")]
    assert sql("select count(*) from needs") == [(19,)]
    assert sql("select entity_id, json_extract_string(before_json, '$.kind') from audit_log where actor = ?",
               [migrations.KIND_MIGRATION_ACTOR]) == [("2", "Training course")]
    with store.connect() as con:
        assert audit_chain.verify(con)[0]


def test_the_write_refuses_a_kind_outside_the_vocabulary_in_one_line(isolated_store):
    with store.connect() as con:
        wid = add_note(con, "a", WorkshopKind.WORKSHOP)
    ana = auth.local_editor("ana")
    with pytest.raises(ReviewError) as refused:
        review.edit_workshop(ana, wid, {"kind": "seminar"})
    assert str(refused.value) == "kind 'seminar' is not a workshop kind; choose one of workshop, other, " \
                                 "assistance_requests"
    with pytest.raises(ReviewError, match="^a workshop needs a kind: one of workshop, other, assistance_requests$"):
        review.edit_workshop(ana, wid, {"kind": "  "})
    assert sql("select kind, edited_fields from workshops") == [("workshop", [])]
    assert review.edit_workshop(ana, wid, {"kind": "Other"}) == ["kind"]
    assert sql("select kind, edited_fields from workshops") == [("other", ["kind"])]


def test_the_review_page_offers_only_the_kinds(isolated_store, monkeypatch, fresh_streamlit):
    monkeypatch.setattr(auth, "CLIENT_LOCKOUT", auth.Lockout())
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{auth.hash_password(PASSWORD)}")
    with store.connect() as con:
        wid = add_note(con, "a", WorkshopKind.ASSISTANCE_REQUESTS)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("src/needs_tracker/ui/pages/review.py")
    at.run()
    at.text_input(key="auth_name").input("Ana")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_sign_in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kind = at.selectbox(key=f"ws_kind_{wid}")
    assert kind.options == [
        "workshop — an event (workshop, seminar, course, briefing, …)",
        "other — a report that names no event of its own",
        "assistance_requests — a register or letter of formal requests (never merged into an event)"]
    assert kind.value == "assistance_requests"
    assert not [w for w in at.text_input if (w.key or "").startswith("ws_kind")]  # no free text for a kind
    kind.set_value("other")
    at.button(key=f"ws_save_{wid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"Saved workshop #{wid}" in s.value for s in at.success)
    assert sql("select kind from workshops where id = ?", [wid]) == [("other",)]
