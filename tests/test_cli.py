"""The CLI as a person uses it: one line per file, clear errors, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_COUNTS, FIXTURE_NOTES
from needs_tracker.cli import main

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "needs_tracker" / "data" / "notes"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_ingest_reports_each_file_and_exit_code(tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, (text, _) in FIXTURE_NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    code = main(["ingest", str(notes), str(tmp_path / "empty.md"), str(tmp_path / "missing")])
    out = capsys.readouterr().out
    assert code == 1
    assert "ingested  vienna_2018.txt" in out and "ingested  ashgabat_2012.txt" in out
    assert "rejected  empty.md: empty file" in out
    assert "missing: no such file or folder" in out
    assert main(["ingest", str(notes)]) == 0
    assert "2 files: 2 unchanged" in capsys.readouterr().out


def test_stats_json(built_store, capsys):
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == FIXTURE_COUNTS


def test_extract_json_shape(capsys):
    assert main(["extract", str(BUNDLED / "000_da8e46648e842381.txt"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"source", "title", "start_date", "end_date", "venue_city", "venue_country", "organizers",
            "participant_states", "participant_organizations", "topics", "needs"} <= set(result)
    assert result["source"] == "000_da8e46648e842381.txt"
    assert {"state_iso3", "category", "evidence", "start", "end", "confidence"} == set(result["needs"][0])


def test_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    run = subprocess.run([sys.executable, "-m", "needs_tracker.cli", "extract", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("needs-tracker: bad.pdf:")


@pytest.mark.parametrize(
    ("gold", "docs", "min_participants_f1", "min_needs_precision", "min_needs_f1"),
    [
        ("seeds/gold.json", "seeds", 1.0, 1.0, 1.0),
        ("corpus/gold.json", "corpus/docs", 0.9, 0.8, 0.0),
        ("corpus/synthetic/gold.json", "corpus/synthetic/notes", 0.95, 0.0, 0.8),
    ],
)
def test_eval_meets_the_targets(gold, docs, min_participants_f1, min_needs_precision, min_needs_f1, capsys):
    if not (SHARED / gold).exists():
        pytest.skip("../shared is not available on this machine")
    assert main(["eval", str(SHARED / gold), str(SHARED / docs), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["participants"]["f1"] >= min_participants_f1
    assert report["needs"]["precision"] >= min_needs_precision
    assert report["needs"]["f1"] >= min_needs_f1


def test_cli_builds_the_default_store_from_the_bundled_notes_when_missing(tmp_path, monkeypatch, capsys):
    from needs_tracker import config

    monkeypatch.delenv("NEEDS_TRACKER_DB")
    monkeypatch.setattr(config, "default_store", lambda: (tmp_path / "needs.duckdb", "default"))
    assert main(["stats", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["events"] == 2
    assert "building" in captured.err and (tmp_path / "needs.duckdb").exists()


def test_sample_notes_are_stored_only_into_an_empty_store_and_audited(capsys):
    from needs_tracker import store
    from needs_tracker.store import audit_chain

    assert main(["ingest", "--sample-notes"]) == 0
    assert "2 sample notes stored" in capsys.readouterr().out
    assert main(["ingest", "--sample-notes"]) == 0
    assert "already holds notes: nothing done" in capsys.readouterr().out
    with store.connect() as con:
        actions = audit_chain.list_audit(con)["action"].tolist()
    assert actions == ["bootstrap", "bootstrap"]
