"""What the CLI prints a new user, through the CLI entry on fixture stores built directly:
the train refusal of an installed package, publish's counts (the same as stats'), counts in
the singular for one, and a gold file that is not JSON."""

from __future__ import annotations

import json

import pytest

from needs_tracker import cli, config
from needs_tracker.wording import counted


def test_counted_is_singular_for_one_only():
    assert [counted(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"


def test_train_in_an_installed_package_says_where_the_labelled_sets_live(built_store, monkeypatch, capsys):
    monkeypatch.setattr(config, "checkout_dir", lambda: None)  # as from a wheel: no checkout around it
    assert cli.main(["train", "--db", built_store]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("needs-tracker: too little to train on: ")
    assert f"in the review decisions in {built_store}" in err  # what was found, and where
    assert "they live in a source checkout (tests/corpus/ and ../shared/)" in err  # where it looked
    assert "on the Review page, or run `needs-tracker train` in a checkout" in err  # what to do
