"""Migrations on real stores: one made by the previous release (tests/fixtures/store-v0.1.duckdb,
see make_store_v0_1.py), a blank one, and reference data that follows its files."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from needs_tracker import auth, config, review, store
from needs_tracker.errors import StoreError
from needs_tracker.store import audit_chain, migrations
from needs_tracker.store.vocab import NeedStatus

FIXTURE = Path(__file__).parent / "fixtures" / "store-v0.1.duckdb"


@pytest.fixture
def old_store(isolated_store) -> str:
    shutil.copy(FIXTURE, isolated_store)
    return str(isolated_store)


def sql(query: str, params=None):
    with store.connect() as con:
        return con.execute(query, params or []).fetchall()


def test_a_store_from_the_previous_release_migrates_with_its_decisions_intact(old_store):
    assert sql("select max(version) from schema_migrations") == [(migrations.SCHEMA_VERSION,)]
    decided = sql("select id, state_iso3, category, status, original_category, reviewed_by, note from needs "
                  "where status <> 'extracted' order by id")
    maker = "fixture-maker (local)"
    assert decided == [
        (1, "KAZ", "dual_use_identification", "confirmed", None, maker, "checked against the note"),
        (2, "KAZ", "legal_regulatory_framework", "rejected", None, maker, "not a need"),
        (3, "KGZ", "other", "corrected", "dual_use_identification", maker, None),
        (19, "KAZ", "control_lists", "manual", None, maker, "added by hand"),
    ]
    assert sql("select title, edited_fields from workshops where id = 1") == [("Corrected title (fixture)", ["title"])]
    assert sql("select count(*) from needs") == [(19,)]
    with store.connect() as con:
        assert audit_chain.verify(con) == (True, "5 audit rows, chain intact")
    # the store goes on working: new ids continue after the old ones, a new decision is audited
    editor = auth.local_editor("after-migration")
    review.confirm_need(editor, 4)
    text = sql("select d.text from workshops w join documents d on d.id = w.document_id where w.id = 1")[0][0]
    new_id = review.add_manual_need(editor, 1, "KGZ", "licensing", text.strip().splitlines()[0])
    assert new_id == 20
    with store.connect() as con:
        assert audit_chain.verify(con) == (True, "7 audit rows, chain intact")


def test_reprocess_after_migration_keeps_the_decisions(old_store):
    before = sql("select id, state_iso3, category, status, note from needs where status <> 'extracted' order by id")
    review.reprocess()
    assert sql("select id, state_iso3, category, status, note from needs where status <> 'extracted' "
               "order by id") == before
    assert sql("select title from workshops where id = 1") == [("Corrected title (fixture)",)]


@pytest.mark.parametrize("statement", [
    "update needs set status = 'approved' where id = 1",
    "insert into participation (workshop_id, state_iso3, role) values (1, 'KAZ', 'speaker')",
    "insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, confidence) "
    "values (1, 'ZZZ', 'licensing', 'x', 0, 1, 'r', 1.0)",
    "insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, confidence) "
    "values (1, 'KAZ', 'no_such_gap', 'x', 0, 1, 'r', 1.0)",
    "insert into audit_log (actor, action, entity) values ('x', 'delete', 'need')",
])
def test_the_schema_refuses_values_outside_its_vocabularies(old_store, statement):
    with store.connect() as con, pytest.raises(duckdb.ConstraintException):
        con.execute(statement)


def test_statuses_are_one_enum_matching_the_schema():
    assert [str(s) for s in NeedStatus] == ["extracted", "confirmed", "rejected", "corrected", "manual"]
    assert NeedStatus.CONFIRMED == "confirmed"


def test_a_blank_store_has_every_table(isolated_store):
    tables = {r[0] for r in sql("select table_name from information_schema.tables")}
    assert {"documents", "workshops", "states", "categories", "participation", "workshop_organisations",
            "unresolved_names", "topics", "needs", "audit_log", "audit_head", "reference_data",
            "schema_migrations"} <= tables
    with store.connect() as con:
        assert migrations.migrate(con) == []


def test_reference_data_follows_its_file_when_it_changes(old_store, tmp_path, monkeypatch):
    from needs_tracker import taxonomy

    rules = tmp_path / "rules"
    rules.mkdir()
    source = config.rule_file("taxonomy.toml").read_text(encoding="utf-8")
    assert 'id = "licensing"\nlabel = "Licensing"' in source
    (rules / "taxonomy.toml").write_text(source.replace('label = "Licensing"', 'label = "Permits: Licensing"'),
                                         encoding="utf-8")
    assert sql("select label from categories where id = 'licensing'") == [("Licensing",)]
    monkeypatch.setenv("NEEDS_TRACKER_RULES_DIR", str(rules))  # an officer's edited copy of the taxonomy
    taxonomy.load_taxonomy.cache_clear()
    try:
        assert sql("select label from categories where id = 'licensing'") == [("Permits: Licensing",)]
    finally:
        taxonomy.load_taxonomy.cache_clear()


def test_a_store_from_a_newer_release_is_refused_clearly(isolated_store):
    with store.connect() as con:
        con.execute("insert into schema_migrations (version, name) values (99, 'future')")
    with pytest.raises(StoreError, match="made by a newer needs-tracker"):
        store.open_connection()
