"""The learned decision layer: it trains reproducibly, is what extraction uses, refuses foreign model
files, and learns from the decisions people make in the review queue (issue 10, item 7)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from needs_tracker import auth, cli, review
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.extract import extract
from needs_tracker.learn import runtime
from needs_tracker.learn.build import DEFAULT_DECIDES
from needs_tracker.learn.dataset import label_candidates
from needs_tracker.learn.loo import expected_calibration_error
from needs_tracker.learn.model import CONFIDENCE_ONLY, load
from needs_tracker.learn.train import fit, manifest, write
from needs_tracker.store import connect

NOTE = """Information Note

Event: Regional Workshop on Strategic Trade Controls in {region}

Organizers: United Nations Office for Disarmament Affairs (UNODA), hosted by the Government of {host}.

Date and Venue: {day} - {end} May 202{year}, {city}, {host}

Participants: States: {host}, {a} and {b}.

2. Discussions

{host} reported that the visa process for the workshop had been challenging for its customs officers.
{a} noted that travel to the venue was difficult for its licensing staff because of flight cancellations.
{b} is looking for partners to modernise its licensing system.
{a} reported that it does not yet have a national control list for dual-use items.
"""
EVENTS = [
    dict(region="West Africa", host="Ghana", city="Accra", a="Togo", b="Benin", day=3, end=5, year=1),
    dict(region="East Africa", host="Kenya", city="Nairobi", a="Uganda", b="Rwanda", day=6, end=8, year=2),
    dict(region="Southern Africa", host="Zambia", city="Lusaka", a="Malawi", b="Namibia", day=9, end=11, year=3),
]
NEW_EVENT = dict(region="the Andes", host="Peru", city="Lima", a="Bolivia", b="Ecuador", day=12, end=14, year=4)
LOGISTICS = ("visa process", "travel to the venue")  # the kind of false positive people reject
MISSED = "looking for partners"  # the kind of need people add by hand


def _needs(location: str, workshop_id: int | None = None) -> list[dict]:
    cols = ["id", "workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end", "rule",
            "confidence", "status", "original_state_iso3", "original_category", "reviewed_by", "reviewed_at",
            "note"]
    sql = f"select {', '.join(cols)} from needs" + (" where workshop_id = ?" if workshop_id else "") + " order by id"
    with connect(location) as con:
        found = con.execute(sql, [workshop_id] if workshop_id else []).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in found]


def test_decisions_change_behaviour(tmp_path, isolated_store):
    """Reject logistics remarks several times and add a missed need by hand; after train and
    reprocess, a new note with similar sentences loses the first kind and gains the second, and
    every decision people made is exactly as they left it."""
    location = str(isolated_store)
    notes = tmp_path / "notes"
    notes.mkdir()
    for i, event in enumerate(EVENTS):
        (notes / f"note{i}.txt").write_text(NOTE.format(**event), encoding="utf-8")
    new_note = tmp_path / "new.txt"
    new_note.write_text(NOTE.format(**NEW_EVENT), encoding="utf-8")

    before = extract(new_note.read_text(encoding="utf-8"))  # what the shipped model makes of the new note
    assert any(k in n.evidence for n in before.needs for k in LOGISTICS)
    assert not any(MISSED in n.evidence for n in before.needs)

    assert cli.main(["ingest", str(notes), "--db", location, "-q"]) == 0
    editor = auth.local_editor("reviewer")
    rejected = 0
    for row in _needs(location):
        if any(k in row["evidence"] for k in LOGISTICS):
            review.reject_need(editor, row["id"], location=location)
            rejected += 1
        else:
            review.confirm_need(editor, row["id"], location=location)
    assert rejected == 6
    first = _needs(location)[0]["workshop_id"]
    with connect(location) as con:
        text = con.execute("select d.text from workshops w join documents d on d.id = w.document_id where w.id = ?",
                           [first]).fetchall()[0][0]
    quote = next(line for line in text.splitlines() if MISSED in line)
    review.add_manual_need(editor, first, "BEN", "licensing", quote, location=location)
    decided = [r for r in _needs(location) if r["status"] != "extracted"]

    assert cli.main(["train", "--db", location]) == 0
    model_file = runtime.store_model_path(location)
    info = json.loads(runtime.manifest_path(model_file).read_text(encoding="utf-8"))
    assert info["review_decisions"] > 0 and info["data_sha256"]
    assert cli.main(["reprocess", "--db", location]) == 0
    assert [r for r in _needs(location) if r["status"] != "extracted"] == decided  # untouched

    assert cli.main(["ingest", str(new_note), "--db", location, "-q"]) == 0
    new_id = max(r["workshop_id"] for r in _needs(location))
    after = _needs(location, new_id)
    logistics_before = max(n.confidence for n in before.needs if any(k in n.evidence for k in LOGISTICS))
    logistics_after = [r["confidence"] for r in after if any(k in r["evidence"] for k in LOGISTICS)]
    assert not logistics_after or max(logistics_after) < logistics_before
    assert [(r["state_iso3"], r["category"]) for r in after if MISSED in r["evidence"]] == [("ECU", "licensing")]
    # the other notes' undecided statements of the added kind are now proposed too
    assert {r["state_iso3"] for r in _needs(location) if MISSED in r["evidence"] and r["status"] == "extracted"} \
        >= {"RWA", "NAM"}


def _examples(document: str, text: str, quotes: list[tuple[str, str, str]]):
    candidates = extract(text, model="rules").candidates
    spans = [((text.index(q), text.index(q) + len(q)), state, cat) for q, state, cat in quotes]
    return label_candidates(document, candidates, spans)


@pytest.fixture(scope="module")
def small_training():
    examples = []
    for i, event in enumerate(EVENTS + [NEW_EVENT]):
        text = NOTE.format(**event)
        quote = next(line for line in text.splitlines() if "control list" in line)
        examples += _examples(f"note{i}", text, [(quote, "ALL_PARTICIPANTS", "control_lists")])
    return examples


def test_training_is_reproducible(tmp_path, small_training):
    paths = [tmp_path / "a.skops", tmp_path / "b.skops"]
    for path in paths:
        model = fit(small_training)
        write(model, manifest(small_training, ["test notes"], model), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    info = json.loads(runtime.manifest_path(paths[0]).read_text(encoding="utf-8"))
    assert (info["needs"], info["not_needs"]) == (4, 12)
    assert info["categories"] == {"control_lists": 4}
    assert set(info["libraries"]) >= {"scikit-learn", "skops", "numpy", "python"}


def test_extract_uses_the_model_it_is_given(tmp_path, small_training, monkeypatch):
    path = tmp_path / "m.skops"
    model = fit(small_training)
    write(model, manifest(small_training, ["test notes"], model), path)
    text = NOTE.format(**NEW_EVENT)
    by_file = extract(text, model=path)
    assert {(n.state_iso3, n.category) for n in by_file.needs} == {("BOL", "control_lists")}
    assert all(n.rule.startswith("learned") for n in by_file.needs)
    monkeypatch.setenv(runtime.ENV, str(path))
    assert extract(text).needs == by_file.needs
    monkeypatch.setenv(runtime.ENV, "rules")
    assert all(not n.rule.startswith("learned") for n in extract(text).needs)


def test_a_foreign_or_damaged_model_file_is_refused_in_one_line(tmp_path):
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    damaged = tmp_path / "damaged.skops"
    damaged.write_bytes(b"not a zip at all")
    foreign = tmp_path / "foreign.skops"
    sio.dump({"format": 1, "features": FunctionTransformer(print)}, foreign)  # would call a function
    for path in (damaged, foreign):
        with pytest.raises(NeedsTrackerError) as err:
            load(path)
        assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_the_shipped_model_says_what_it_was_trained_on():
    info = json.loads(runtime.manifest_path(runtime.PACKAGED_MODEL).read_text(encoding="utf-8"))
    assert info["needs"] > 50 and info["not_needs"] > 50 and len(info["data_sha256"]) == 64
    assert info["review_decisions"] == 0
    assert info["decides"] is DEFAULT_DECIDES
    with zipfile.ZipFile(runtime.PACKAGED_MODEL) as z:  # reproducible: no wall-clock stamps inside
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_train_without_a_store_says_so(tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    assert cli.main(["train", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "no such store" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("probabilities", "outcomes", "ece"),
    [
        ([0.9] * 10, [1] * 9 + [0], 0.0),  # 90% sure and right 9 times in 10
        ([0.9] * 10, [1] * 5 + [0] * 5, 0.4),
        ([0.1, 0.1, 0.9, 0.9], [0, 0, 1, 1], 0.1),
        ([], [], 0.0),
    ],
)
def test_calibration_error(probabilities, outcomes, ece):
    assert expected_calibration_error(probabilities, outcomes) == pytest.approx(ece)


def test_model_files_are_not_in_the_way_of_a_non_file_store():
    assert runtime.store_model_path("md:needs") is None
    assert runtime.store_model_path("/data/x/needs.duckdb") == Path("/data/x/needs.need_model.skops")


def test_a_confidence_only_model_keeps_the_rules_needs_and_gives_them_calibrated_confidence(small_training):
    model = fit(small_training)
    model.veto, model.add = CONFIDENCE_ONLY
    text = NOTE.format(**NEW_EVENT)
    scored, rules = extract(text, model=model), extract(text, model="rules")
    key = lambda n: (n.state_iso3, n.category, n.start)  # noqa: E731
    assert sorted(map(key, scored.needs)) == sorted(map(key, rules.needs))
    assert all(n.rule.startswith("learned+") and 0.0 <= n.confidence <= 1.0 for n in scored.needs)
    assert {n.confidence for n in scored.needs} != {n.confidence for n in rules.needs}
