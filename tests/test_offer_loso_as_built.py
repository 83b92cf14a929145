"""``--as-built``: the LOSO commands (offer_loso, offer_refine_loso, offer_errors) can read only the sets the
shipped models were built on, leaving ``offer_model.BUILT_WITHOUT`` out, so a build's README figures re-run
exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

from needs_tracker.learn import offer_loso, offer_model

SETS = Path("tests/corpus/assistance")


def test_as_built_leaves_out_exactly_the_sets_the_build_left_out():
    every = {p.name for p in offer_loso.loso_sets()}
    built = {p.name for p in offer_loso.loso_sets(as_built=True)}
    assert every == {p.parent.name for p in SETS.glob("*/labels.json")}
    assert built == every - set(offer_model.BUILT_WITHOUT)
    assert built == {p.name for p in offer_model.training_batches()}


def test_gather_all_as_built_reads_only_the_built_sets(tmp_path, monkeypatch):
    for name in ("heldout", "heldout2"):
        shutil.copytree(SETS / name, tmp_path / name)
    monkeypatch.setattr(offer_model, "BUILT_WITHOUT", ("heldout2",))
    every, _ = offer_loso.gather_all(root=tmp_path)
    built, real = offer_loso.gather_all(as_built=True, root=tmp_path)
    assert sorted(every) == ["heldout", "heldout2"]
    assert sorted(built) == ["heldout"]
    assert [d.file for d in built["heldout"]] == [d.file for d in every["heldout"]]
    assert real[0]  # (the real documents' labelled sentences are read either way)

