"""What a new user met on a first pass over the command line (qa9): each mistake is one line
naming the file and what is wrong with it, and a report line says all it has to say."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import FIXTURE_NOTES, fixture_document
from needs_tracker import store
from needs_tracker.cli import main
from needs_tracker.errors import FilterError
from needs_tracker.filters import NeedFilter
from needs_tracker.ingest import REPORT_DETAIL_CHARS, FileReport

LONG_TITLE = ("Regional Workshop for Central Asian States on the Implementation of United Nations Security "
              "Council Resolution 1540 (2004): Legal and Regulatory Requirements, Licensing, Border Control "
              "and the National Action Plans of Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan")
NOTE = (f"{LONG_TITLE}\n\nDates: 12-14 March 2018. Venue: Almaty, Kazakhstan.\n\n"
        "Participants: Kazakhstan, Kyrgyzstan.\n\nKazakhstan noted the lack of a national control list.\n")


def test_extract_names_a_missing_path_and_a_folder_for_what_they_are(tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    for argv, message in [
        (["extract", str(tmp_path / "missing"), "--json"], "needs-tracker: missing: no such file\n"),
        (["extract", str(tmp_path / "notes")], "needs-tracker: notes: is a folder, not a file\n"),
        (["extract", str(tmp_path / "missing.rtf")], "needs-tracker: missing.rtf: no such file\n"),
    ]:
        assert main(argv) == 2
        assert capsys.readouterr().err == message, argv


def test_a_file_named_for_ingest_that_is_no_note_is_rejected_by_name(isolated_store, tmp_path, capsys):
    (tmp_path / "minutes.rtf").write_text("{\\rtf1 Kazakhstan}", encoding="utf-8")
    (tmp_path / "README").write_text("not a note", encoding="utf-8")
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    code = main(["ingest", "-q", str(tmp_path / "note.txt"), str(tmp_path / "minutes.rtf"), str(tmp_path / "README")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1  # as for any rejected file; the good one is stored
    assert "rejected  minutes.rtf: unsupported file type '.rtf' (supported: .txt, .md, .pdf, .docx)" in out
    assert "rejected  README: file has no extension (supported: .txt, .md, .pdf, .docx)" in out
    assert any(line.startswith("ingested  note.txt: ") for line in out)
    assert out[-1] == "3 files: 1 ingested, 2 rejected"
    assert main(["ingest", str(tmp_path / "minutes.rtf")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "rejected  minutes.rtf: unsupported file type '.rtf' (supported: .txt, .md, .pdf, .docx)",
        "1 file: 1 rejected"]


def test_a_report_line_keeps_its_end(tmp_path):
    detail = "stored as a new note #2 '" + "x" * 300 + "', beside … ingest it again with --replace; 2 states, 1 need"
    assert FileReport("a.txt", "ingested", detail).detail == detail
    cut = FileReport("a.txt", "ingested", "y" * (REPORT_DETAIL_CHARS + 50)).detail
    assert len(cut) == REPORT_DETAIL_CHARS and cut.endswith("…")
    assert FileReport("a.txt", "ingested", "two\nlines\x1b[2J").detail == "two?lines?[2J"  # still one safe line


def test_a_same_named_note_says_how_to_replace_and_what_it_holds(isolated_store, tmp_path, capsys):
    note = tmp_path / "almaty.txt"
    note.write_text(NOTE, encoding="utf-8")
    assert main(["ingest", str(note)]) == 0
    note.write_text(NOTE + "Kyrgyzstan reported a need for training of customs officers.\n", encoding="utf-8")
    assert main(["ingest", str(note)]) == 0
    line = capsys.readouterr().out.splitlines()[-2]
    assert line.startswith("ingested  almaty.txt: stored as a new note #2 ")
    assert "ingest it again with --replace (upload: confirm the replacement); 2 states, " in line
    assert line.endswith(" needs")


def test_original_into_a_folder_named_with_a_slash_makes_the_folder(built_store, tmp_path, capsys):
    from needs_tracker.store import originals

    text = FIXTURE_NOTES["vienna_2018.txt"][0]
    doc = replace(fixture_document("vienna_2018.txt", text), original=text.encode("utf-8"))
    store.write(built_store, lambda con: originals.keep(con, [doc]))
    folder = tmp_path / "check" / "2018"
    assert main(["original", "vienna_2018.txt", "-o", f"{folder}/"]) == 0
    assert (folder / "vienna_2018.txt").read_bytes() == text.encode("utf-8")
    assert capsys.readouterr().out.startswith(f"wrote {folder / 'vienna_2018.txt'}: vienna_2018.txt, ")
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    assert main(["original", "vienna_2018.txt", "-o", f"{tmp_path / 'plain' / 'sub'}/"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot make this folder" in err


def test_export_url_names_a_bad_link_value_as_the_link_does(built_store, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "--url", "http://h:8501/?states=KAZ&year_from=zz", "-o", str(out)]) == 2
    assert capsys.readouterr().err == "needs-tracker: year_from “zz” is not a year (four digits, e.g. 2012)\n"
    assert not out.exists()
    with pytest.raises(FilterError, match="^since “zz” is not a year"):  # the CLI's options keep their names
        NeedFilter.parse({"year_from": "zz"}, strict=True)


def test_extract_says_what_a_note_does_not_give_in_words(tmp_path, capsys):
    note = tmp_path / "bare.txt"
    note.write_text("Kazakhstan noted the lack of a national control list.\n", encoding="utf-8")
    assert main(["extract", str(note)]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    assert "date unknown, venue unknown" in out.splitlines()[1]
    dated = tmp_path / "dated.txt"
    dated.write_text(NOTE, encoding="utf-8")
    assert main(["extract", str(dated)]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2018-03-12 – 2018-03-14, ")


def test_extract_of_a_device_says_it_is_no_file(capsys):
    assert main(["extract", "/dev/null"]) == 2
    assert capsys.readouterr().err == "needs-tracker: null: is not a regular file (a device, pipe or socket)\n"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`needs-tracker extract NOTE --json | head`: the pipe closes before the JSON is all written."""
    import subprocess
    import sys

    note = tmp_path / "long.txt"
    states = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan", "Mongolia"]
    sentences = "\n".join(f"{s} noted the lack of a national control list for item group {i}."
                          for i in range(400) for s in states[:2])
    note.write_text(f"Regional workshop, Almaty, 12 March 2018\n\nParticipants: {', '.join(states)}.\n\n{sentences}",
                    encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "needs_tracker.cli", "extract", str(note), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(10) == b'{\n  "sourc'
    proc.stdout.close()  # as `head` does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""
