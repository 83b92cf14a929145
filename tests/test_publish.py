"""A published snapshot: consistent, checked, read-only, served with one connection per process."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from needs_tracker import snapshot
from needs_tracker.cli import main
from needs_tracker.errors import NeedsTrackerError, StoreError
from needs_tracker.publish import publish, verify
from needs_tracker.store import connect, reads
from needs_tracker.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]
TABLES = {"audit_log", "documents", "needs", "participation", "schema_migrations", "states", "topics",
          "unresolved_names", "workshop_organisations", "workshops"}


def live_counts(location: str) -> dict[str, int]:
    with duckdb.connect(location, read_only=True) as con:
        names = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'main'"
                                           ).fetchall()]
        return {n: con.execute(f'select count(*) from "{n}"').fetchall()[0][0] for n in names}


def test_publish_writes_the_store_parquet_and_a_manifest(store, tmp_path, capsys):
    target = tmp_path / "snap"
    assert main(["publish", str(target)]) == 0
    assert capsys.readouterr().out.startswith(f"published {target} at ")
    manifest = json.loads((target / "manifest.json").read_text())
    counts = live_counts(store)
    assert TABLES <= set(counts)
    assert {name: t["rows"] for name, t in manifest["tables"].items()} == counts
    assert manifest["tables"]["needs"]["rows"] == 18
    assert manifest["schema_version"] == max(v for v, _, _ in MIGRATIONS)
    assert manifest["format"] == "needs-tracker snapshot"
    for name, table in manifest["tables"].items():  # each Parquet file holds exactly its table
        rows = duckdb.sql("select count(*) from read_parquet(?)", params=[str(target / table["parquet"])])
        assert rows.fetchall()[0][0] == counts[name]
    assert live_counts(str(target / "needs.duckdb")) == counts
    assert verify(target) == []
    for path in target.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap", "store.duckdb"]  # no staging left behind


def test_verify_finds_a_changed_file(store, tmp_path, capsys):
    target = tmp_path / "snap"
    publish(target, location=store)
    parquet = target / "parquet" / "needs.parquet"
    parquet.chmod(0o644)
    parquet.write_bytes(parquet.read_bytes()[:-10])
    assert verify(target) == [f"{parquet}: checksum does not match the manifest"]
    assert main(["publish", "--verify", str(target)]) == 1


def test_republishing_replaces_the_snapshot_and_a_foreign_folder_is_refused(store, tmp_path):
    target = tmp_path / "snap"
    first = publish(target, location=store)
    with connect(str(target)) as reader:  # a replica serving the snapshot, connection kept
        assert reads.stats(reader)["needs"] == 18
    with connect(store) as con:
        con.execute("delete from needs where id in (select id from needs limit 3)")
    second = publish(target, location=store)
    assert (first["tables"]["needs"]["rows"], second["tables"]["needs"]["rows"]) == (18, 15)
    with connect(str(target)) as reader:  # the replica notices the new manifest and reopens
        assert reads.stats(reader)["needs"] == 15
    assert verify(target) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap", "store.duckdb"]
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(NeedsTrackerError, match="the folder is not empty and holds no snapshot"):
        publish(other, location=store)
    assert [p.name for p in other.iterdir()] == ["holiday.jpg"]
    with pytest.raises(NeedsTrackerError, match=r"there is no store at .*typo\.duckdb; nothing was published"):
        publish(tmp_path / "snap2", location=str(tmp_path / "typo.duckdb"))
    assert not (tmp_path / "typo.duckdb").exists() and not (tmp_path / "snap2").exists()


def test_a_snapshot_is_read_through_one_shared_read_only_connection(store, tmp_path, monkeypatch):
    target = tmp_path / "snap"
    publish(target, location=store)
    with connect(store) as con:
        live = reads.stats(con)
    monkeypatch.setenv("NEEDS_TRACKER_SNAPSHOT", str(target))
    info = snapshot.current()
    assert info is not None and info.rows["needs"] == 18
    with connect() as first:
        assert reads.stats(first) == live
    with connect() as second:
        assert reads.stats(second) == live
    assert snapshot.shared_connection(info) is snapshot.shared_connection(info)
    with pytest.raises(StoreError, match=r"is a snapshot published on .* which is read-only"):
        with connect() as con:
            con.execute("delete from needs")


def test_two_processes_read_one_snapshot_while_a_writer_holds_the_live_store(store, tmp_path, monkeypatch):
    target = tmp_path / "snap"
    publish(target, location=store)
    monkeypatch.setenv("NEEDS_TRACKER_SNAPSHOT", str(target))
    with connect() as con:  # this process keeps its snapshot connection open throughout
        assert reads.stats(con)["needs"] == 18
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(60)", store], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        env = dict(os.environ, NEEDS_TRACKER_SNAPSHOT=str(target), NEEDS_TRACKER_LOCK_WAIT="0")
        done = subprocess.run([sys.executable, "-m", "needs_tracker.cli", "stats", "--json"], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["needs"] == 18
    finally:
        holder.kill()
        holder.wait()


def test_ingest_into_a_snapshot_is_one_clear_line(store, tmp_path, monkeypatch, capsys):
    target = tmp_path / "snap"
    publish(target, location=store)
    note = tmp_path / "note.txt"
    note.write_text("Workshop on export control, Astana, 3 May 2019. Kazakhstan noted a lack of licensing staff.\n")
    monkeypatch.setenv("NEEDS_TRACKER_SNAPSHOT", str(target))
    code = main(["ingest", str(note)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"needs-tracker: the store {target / 'needs.duckdb'} is a snapshot published on ")
    assert err.count("\n") == 1


@pytest.fixture
def snapshot_app(store, tmp_path, monkeypatch, fresh_streamlit):
    target = tmp_path / "snap"
    manifest = publish(target, location=store)
    monkeypatch.setenv("NEEDS_TRACKER_SNAPSHOT", str(target))
    return manifest


def test_the_dashboard_on_a_snapshot_hides_editing_and_names_its_date(snapshot_app):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    info = snapshot.current()
    assert [i.value for i in at.sidebar.info] == [f"Snapshot of {info.date_text}: read-only."]
    assert info.published_at.isoformat() == snapshot_app["published_at"]
    at.switch_page("src/needs_tracker/ui/pages/workshops.py").run()
    assert not at.exception, [e.value for e in at.exception]
    with pytest.raises(ValueError, match="Could not find a navigation page .*review.py"):  # not offered
        at.switch_page("src/needs_tracker/ui/pages/review.py").run()


def test_a_query_caught_by_a_republish_is_one_clear_message(store, tmp_path):
    target = tmp_path / "snap"
    publish(target, location=store)
    db_file = str(target / "needs.duckdb")
    with pytest.raises(StoreError, match="was published again during this query; reload the page"):
        with snapshot.cursor(snapshot.snapshot_for(db_file)) as cur:
            publish(target, location=store)
            snapshot.shared_connection(snapshot.snapshot_for(db_file))  # another thread's next query
            cur.execute("select count(*) from needs").fetchall()
    with connect(db_file) as con:
        assert reads.stats(con)["needs"] == 18
