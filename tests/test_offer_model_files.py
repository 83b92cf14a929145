"""A damaged sentence offer model (``models/offer_model.skops``) through the real loader: a batch prints ONE
line naming the file and the problem, and every note is extracted with the rules alone (the refiner too is
left out), as NEEDS_TRACKER_OFFER_MODEL=rules would extract it."""

from __future__ import annotations

import json

import pytest

from needs_tracker.cli import main
from needs_tracker.learn import offer_runtime

NOTE = ("Information note\n\nNational workshop on the implementation of resolution 1540 (2004) in Senegal, "
        "Dakar, {days} March 2019.\n\nSpain announced a course on radiation detection for frontline officers of "
        "Senegal and Mauritania, to be held at the Rosso border post next spring.\n\n"
        "Japan could consider supporting Senegal's customs service with radiation detection equipment.\n\n"
        "Norway offered to train the licensing officers of Senegal in 2020.\n")


@pytest.fixture
def sentence_model_at(packaged_offer_file):
    """Point the packaged sentence model at another file for one test."""
    return lambda path: packaged_offer_file("PACKAGED", path)


def _offers(capsys, path) -> list:
    assert main(["extract", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)["offers"]


def test_a_damaged_sentence_model_warns_once_per_batch_and_the_rules_decide(tmp_path, sentence_model_at, capsys,
                                                                           monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    for i, days in enumerate(("12-13", "14-15", "16-17")):
        (notes / f"dakar{i}.txt").write_text(NOTE.format(days=days), encoding="utf-8")
    with_model = _offers(capsys, notes / "dakar0.txt")
    monkeypatch.setenv(offer_runtime.ENV, "rules")
    rules_alone = _offers(capsys, notes / "dakar0.txt")
    monkeypatch.delenv(offer_runtime.ENV)
    # (the model takes up "Spain announced a course", which only a broad cue found; the rules alone do not)
    assert {(o["provider_iso3"], o["category"]) for o in with_model} == {
        ("NOR", "training_capacity_building"), ("ESP", "training_capacity_building")}

    bad = tmp_path / "offer_model.skops"
    bad.write_bytes(offer_runtime.PACKAGED.read_bytes()[:4000])  # cut short, as a failed copy would leave it
    sentence_model_at(bad)
    assert main(["ingest", str(notes)]) == 0
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("needs-tracker")]
    assert len(lines) == 1  # once per process, not once per note (3 notes)
    assert lines[0].startswith(f"needs-tracker: warning: {bad}: not a needs-tracker offer model")
    assert lines[0].endswith("; offers are found by the rules alone")
    assert "Traceback" not in captured.err
    assert "3 files: 3 ingested" in captured.out
    assert offer_runtime.current() is None  # (the failure is remembered: the file is not read again)

    got = _offers(capsys, notes / "dakar0.txt")
    assert [(o["provider_iso3"], o["category"], o["evidence"]) for o in got] == [
        (o["provider_iso3"], o["category"], o["evidence"]) for o in rules_alone]
    assert {(o["provider_iso3"], o["category"]) for o in got} == {("NOR", "training_capacity_building")}


def test_a_refiner_given_as_the_sentence_model_is_named_and_the_rules_decide(tmp_path, sentence_model_at, capsys):
    foreign = tmp_path / "offer_model.skops"
    foreign.write_bytes(offer_runtime.REFINER.read_bytes())
    sentence_model_at(foreign)
    note = tmp_path / "dakar.txt"
    note.write_text(NOTE.format(days="12-13"), encoding="utf-8")
    assert main(["extract", str(note), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"needs-tracker: warning: {foreign}: a needs-tracker offer refiner, not the offer model it is used as; "
        "offers are found by the rules alone"]
    assert json.loads(captured.out)["offers"]
