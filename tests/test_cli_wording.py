"""What the CLI prints a new user, through the CLI entry on fixture stores built directly:
the train refusal of an installed package, publish's counts (the same as stats'), counts in
the singular for one, and a gold file that is not JSON."""

from __future__ import annotations

import json

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


def test_publish_reports_the_counts_stats_gives(built_store, tmp_path, capsys):
    import duckdb

    from needs_tracker.store.vocab import NeedStatus

    with duckdb.connect(built_store) as con:  # a rejected need: a raw row that `stats` does not count
        con.execute("update needs set status = ? where id = (select min(id) from needs)", [NeedStatus.REJECTED])
        raw_needs = con.execute("select count(*) from needs").fetchall()[0][0]
    assert cli.main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["needs"] == raw_needs - 1
    target = tmp_path / "snap"
    assert cli.main(["publish", str(target)]) == 0
    out = capsys.readouterr().out
    assert (f"{stats['documents']} documents, {stats['events']} events, {stats['states']} states, "
            f"{stats['needs']} needs (as `stats` counts them; schema ") in out
    assert json.loads((target / "manifest.json").read_text())["stats"] == stats


def test_eval_on_a_file_that_is_not_json_names_it_in_one_line(tmp_path, capsys):
    gold = tmp_path / "labels.csv"
    gold.write_text("file,state\nnote.txt,KAZ\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    assert cli.main(["eval", str(gold), str(docs)]) == 2
    err = capsys.readouterr().err
    assert err == (f"needs-tracker: {gold}: is not JSON (Expecting value at line 1, column 1); "
                   "the gold labels are a JSON file\n")

