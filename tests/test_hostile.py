"""Hostile and careless files (built by tests/hostile/files.py at test time): each is read or
rejected by its own name, within a memory budget, and never reaches the store as something else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from needs_tracker.errors import ReadError
from needs_tracker.readers import display_name, iter_note_files, read_bytes, read_document

TESTS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS_DIR))
from hostile import files  # noqa: E402

PEAK_MEMORY_LIMIT_MB = 1024

# The child's own peak: on Linux ru_maxrss survives exec, so a child started from a large test process
# would report the parent's peak; VmHWM is the peak of the child's own memory map.
OWN_PEAK_MB = """
def own_peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

READ_EVERY_FILE = OWN_PEAK_MB + """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hostile import files
from needs_tracker.errors import ReadError
from needs_tracker.readers import iter_note_files, read_document
folder = Path(sys.argv[2])
files.build_all(folder / "in", folder / "private.txt")
outcomes = {}
for path in iter_note_files([folder / "in"]):
    try:
        doc = read_document(path)
        outcomes[doc.file_name] = ["read", doc.text[:80]]
    except ReadError as exc:
        outcomes[exc.file_name] = ["rejected", exc.reason]
peak_mb = own_peak_mb()
print(json.dumps({"outcomes": outcomes, "peak_mb": peak_mb}))
"""


@pytest.fixture(scope="module")
def hostile_reads(tmp_path_factory):
    """Every hostile file read in a fresh process, so its peak memory is the readers' alone."""
    folder = tmp_path_factory.mktemp("hostile")
    run = subprocess.run([sys.executable, "-c", READ_EVERY_FILE, str(TESTS_DIR), str(folder)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("name, reason", [
    ("bomb-text.docx", "inflate to 400.8 MB, over the 48 MB limit"),
    ("whitespace.pdf", "drawing instructions; too large to read as a note"),
    ("innocent.txt", "is a symbolic link; links are not followed"),
    ("empty.txt", "empty file"),
    ("binary.pdf", "corrupt PDF"),
    ("random.docx", "damaged Word file"),
    ("old-word.docx", "old .doc or a password-protected file"),
    ("stream-bomb.pdf", "inflates past the reader's limit (a decompression bomb)"),
    ("scanned.pdf", "PDF has no text layer"),
    ("locked.pdf", "PDF is encrypted"),
    ("too-big.txt", "over the 25 MB limit"),
    ("blank.md", "no usable text"),
    ("laughs.docx", "entity amplification"),
])
def test_hostile_file_is_rejected_by_its_own_name(hostile_reads, name, reason):
    outcome, detail = hostile_reads["outcomes"][name]
    assert outcome == "rejected"
    assert reason in detail


@pytest.mark.parametrize("name, starts", [
    ("bomb-image.docx", "Workshop on export controls, Nairobi"),  # the picture is never inflated
    ("good.txt", "Information note"),
    ("invisible.txt", "Information note"),
    ("caf\ufffd-note.txt", "Information note"),
    ("forged?ingested x.txt", "Information note"),
    ("long-paragraph.txt", "Participants: Kazakhstan."),
    ("participants-list.txt", "Participants: Kazakhstan,"),
    ("xxe.docx", "Participants: Kenya."),  # the external entity is not read (checked below)
    ("windows-1252.txt", "Information note"),
])
def test_awkward_but_harmless_file_is_read(hostile_reads, name, starts):
    outcome, text = hostile_reads["outcomes"][name]
    assert outcome == "read"
    assert text.startswith(starts)


def test_the_private_file_behind_a_link_is_never_read(hostile_reads):
    assert not any("SECRET" in text for _, text in hostile_reads["outcomes"].values())


def test_reading_every_hostile_file_stays_within_the_memory_budget(hostile_reads):
    # The 400 MB Word text bomb and the 600 MB picture would each take gigabytes if inflated.
    assert hostile_reads["peak_mb"] < PEAK_MEMORY_LIMIT_MB


@pytest.mark.parametrize("raw, shown", [
    ("caf\udce9.txt", "caf\ufffd.txt"),  # a Linux name that is not UTF-8 (os.fsdecode's surrogate)
    ("two\nlines.txt", "two?lines.txt"),
    ("right\u202eto-left.txt", "right?to-left.txt"),
    ("plain name.txt", "plain name.txt"),
])
def test_display_name_is_printable_on_one_line(raw, shown):
    assert display_name(raw) == shown


@pytest.mark.parametrize("upload_name", ["../../etc/evil.txt", "..\\..\\evil.txt", "/abs/path/evil.txt", "evil.txt"])
def test_uploaded_names_keep_only_their_base_name(upload_name):
    doc = read_bytes(files.GOOD_NOTE.encode(), upload_name)
    assert doc.file_name == "evil.txt"
    assert doc.path == "evil.txt"


def test_invisible_characters_are_removed_from_the_stored_text(tmp_path):
    doc = read_document(files.invisible_characters(tmp_path))
    assert "lack of trained customs officers" in doc.text
    assert not any(ch in doc.text for ch in "\u202e\u200b\x00")
    assert doc.warnings == ("removed 3 invisible control characters (NUL, bidirectional or zero-width)",)


def test_links_inside_a_folder_are_listed_and_rejected_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hidden-note.txt").write_text(files.GOOD_NOTE, encoding="utf-8")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "real.txt").write_text(files.GOOD_NOTE, encoding="utf-8")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / "linked.txt").symlink_to(outside / "hidden-note.txt")
    listed = iter_note_files([folder])
    assert [p.name for p in listed] == ["linked-folder", "linked.txt", "real.txt"]
    for link in listed[:2]:
        with pytest.raises(ReadError, match="symbolic link") as caught:
            read_document(link)
        assert caught.value.file_name == link.name  # named by the link, never by its target


def test_a_docx_with_an_xml_part_compressed_like_a_bomb_is_refused(tmp_path):
    path = tmp_path / "ratio.docx"
    path.write_bytes(files._minimal_docx(extra_parts={"customXml/item9.xml": b"<a>" + b" " * (8 << 20) + b"</a>"}))
    with pytest.raises(ReadError, match="compressed .*:1, a decompression bomb"):
        read_document(path)


INGEST_EVERY_FILE = OWN_PEAK_MB + """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hostile import files
folder = Path(sys.argv[2])
files.build_all(folder / "in", folder / "private.txt")
from needs_tracker.cli import main
code = main(["ingest", str(folder / "in"), "--db", str(folder / "store.duckdb"), "--quiet"])
print(json.dumps({"exit": code, "peak_mb": own_peak_mb()}))
"""


@pytest.fixture(scope="module")
def hostile_ingest(tmp_path_factory):
    """The whole hostile folder through `needs-tracker ingest`, as one batch, in a fresh process."""
    folder = tmp_path_factory.mktemp("hostile-ingest")
    run = subprocess.run([sys.executable, "-c", INGEST_EVERY_FILE, str(TESTS_DIR), str(folder)],
                         capture_output=True, text=True, timeout=600)
    lines = run.stdout.strip().splitlines()
    return {"run": run, "lines": lines[:-1], "result": json.loads(lines[-1]), "store": folder / "store.duckdb"}


def test_a_hostile_batch_rejects_each_bad_file_by_name_and_keeps_the_good_ones(hostile_ingest):
    import duckdb

    run = hostile_ingest["run"]
    assert "Traceback" not in run.stderr + run.stdout
    assert hostile_ingest["result"]["exit"] == 1  # some files were rejected
    rejected = {line.split()[1].rstrip(":") for line in hostile_ingest["lines"] if line.startswith("rejected")}
    assert rejected == {"bomb-text.docx", "whitespace.pdf", "innocent.txt", "empty.txt", "binary.pdf",
                        "random.docx", "old-word.docx", "stream-bomb.pdf", "scanned.pdf", "locked.pdf",
                        "too-big.txt", "blank.md", "laughs.docx"}
    with duckdb.connect(str(hostile_ingest["store"]), read_only=True) as con:
        names = {r[0] for r in con.execute("select file_name from documents").fetchall()}
        texts = [r[0] for r in con.execute("select text from documents").fetchall()]
    assert names == {"good.txt", "bomb-image.docx", "invisible.txt", "caf\ufffd-note.txt", "forged?ingested x.txt",
                     "long-paragraph.txt", "participants-list.txt", "xxe.docx", "windows-1252.txt"}
    assert not any("SECRET" in t or "\u202e" in t or "\x00" in t for t in texts)


def test_a_paragraph_longer_than_spacy_reads_at_once_keeps_true_spans(hostile_ingest):
    import duckdb

    with duckdb.connect(str(hostile_ingest["store"]), read_only=True) as con:
        found = con.execute(
            "select n.evidence, substr(d.text, n.span_start + 1, n.span_end - n.span_start) from needs n "
            "join workshops w on w.id = n.workshop_id join documents d on d.id = w.document_id "
            "where d.file_name = 'long-paragraph.txt'").fetchall()
    assert found == [("Kazakhstan needs support for licensing.",) * 2]


def test_every_report_line_is_one_line_per_file(hostile_ingest):
    # 22 files, one line each, then the summary: a newline in a name cannot forge a line
    assert len(hostile_ingest["lines"]) == 23
    assert hostile_ingest["lines"][-1].startswith("22 files:")


def test_ingesting_the_hostile_batch_stays_within_the_memory_budget(hostile_ingest):
    assert hostile_ingest["result"]["peak_mb"] < PEAK_MEMORY_LIMIT_MB
