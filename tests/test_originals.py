"""Every ingested note keeps its original file (``store.originals``), so a person can open what a
fact rests on: real .pdf, .docx and .txt files built here (fpdf2, python-docx, Windows-1252 bytes),
ingested by the CLI and by an upload, read back byte for byte through the store, the CLI and the
dashboard's "Download the original" (AppTest: the bytes read and checked on the press, then offered);
kept by reprocess and by a replaced version; carried by a published snapshot whose manifest stays
true; never copied into the viewers' in-memory tables; a schema-4 store migrates with every row
and says "not kept"; a batch that fails leaves no original without its document or the reverse."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import random
import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from conftest import FIXTURE_NOTES, build_fixture_store
from needs_tracker import auth, cli, ingest, review
from needs_tracker.ingest import ingest_paths
from needs_tracker.readers import read_bytes, read_document
from needs_tracker.store import connect, matching_base, migrations, originals, store_version
from needs_tracker.store.vocab import AuditAction

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGES = "src/needs_tracker/ui/pages"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
VIENNA, _ = FIXTURE_NOTES["vienna_2018.txt"]
ASHGABAT, _ = FIXTURE_NOTES["ashgabat_2012.txt"]
ABIDJAN = ("Regional Workshop on Border Security\n\nDates: 3-4 May 2016. Venue: Abidjan, Côte d’Ivoire.\n\n"
           "Participants: Côte d’Ivoire, Ghana, Togo.\n\nGhana reported a need for training of border officials.\n")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_pdf(path: Path, text: str, *, scan_bytes: int = 0, seed: int = 0) -> Path:
    """A PDF with a text layer and, when ``scan_bytes``, a page holding a picture of noise that
    size (incompressible, like a scanned signature page)."""
    from fpdf import FPDF
    from PIL import Image

    if not FONT.exists():
        pytest.skip(f"{FONT} is not available on this machine")
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, text)
    if scan_bytes:
        side = int((scan_bytes / 3) ** 0.5)
        picture = io.BytesIO()
        Image.frombytes("RGB", (side, side), random.Random(seed).randbytes(side * side * 3)).save(picture, "PNG")
        pdf.add_page()
        pdf.image(picture, w=150)
    pdf.output(str(path))
    return path


def make_docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["State", "Need"], ["Uzbekistan", "legal framework for brokering"]]):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.save(str(path))
    return path


@pytest.fixture
def notes(tmp_path) -> Path:
    """Three real notes, one per format; the text file in Windows-1252, so its bytes are not its text."""
    folder = tmp_path / "notes"
    folder.mkdir()
    make_pdf(folder / "vienna.pdf", VIENNA, scan_bytes=300_000)
    make_docx(folder / "ashgabat.docx", ASHGABAT)
    (folder / "abidjan.txt").write_bytes(ABIDJAN.encode("cp1252"))
    return folder


def sql(query: str, params=None, location: str | None = None):
    with connect(location) as con:
        return con.execute(query, params or []).fetchall()


def workshop_of(file_name: str, location: str | None = None) -> int:
    return sql("select w.id from workshops w join documents d on d.id = w.document_id "
               "where d.file_name = ? and d.superseded_by is null", [file_name], location)[0][0]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the store keeps them -----------------------------------------------------------------------
def test_cli_ingest_keeps_each_original_byte_for_byte(notes, capsys):
    assert cli.main(["ingest", "-q", str(notes)]) == 0
    assert capsys.readouterr().out.endswith("3 files: 3 ingested\n")
    files = {p.name: p.read_bytes() for p in notes.iterdir()}
    with connect() as con:
        kept = originals.for_workshops(con, [workshop_of(name) for name in files])
        for info in kept.values():
            assert originals.read(con, info.document_id) == files[info.file_name]
            assert info.document_id == sha(files[info.file_name])
    assert sorted((i.file_name, i.kept, i.mime, i.missing_reason) for i in kept.values()) == [
        ("abidjan.txt", True, "text/plain", None), ("ashgabat.docx", True, DOCX_MIME, None),
        ("vienna.pdf", True, "application/pdf", None)]
    # the stored text is the decoded note; the original is the file as it was (Windows-1252)
    assert sql("select text from documents where file_name = 'abidjan.txt'")[0][0] == ABIDJAN
    assert files["abidjan.txt"] != ABIDJAN.encode("utf-8")


def test_an_upload_keeps_its_bytes_and_the_same_file_again_is_stored_once(notes):
    editor = auth.local_editor("uploader")
    data = (notes / "ashgabat.docx").read_bytes()
    review.ingest_uploads(editor, [("ashgabat.docx", data)])
    again = review.ingest_uploads(editor, [("copy of ashgabat.docx", data)])
    assert [r.outcome for r in again] == ["unchanged"]
    assert sql("select sha256, data from document_originals") == [(sha(data), data)]


def test_a_replaced_note_and_its_new_version_each_keep_their_own_original(notes, capsys):
    ingest_paths([notes / "ashgabat.docx"])
    old = (notes / "ashgabat.docx").read_bytes()
    make_docx(notes / "ashgabat.docx", ASHGABAT.replace("5 June 2012", "6 June 2012"))
    new = (notes / "ashgabat.docx").read_bytes()
    assert cli.main(["ingest", "-q", "--replace", str(notes / "ashgabat.docx")]) == 0
    assert "replaced" in capsys.readouterr().out
    assert sql("select id, superseded_by from documents order by ingested_at") == [(sha(old), sha(new)),
                                                                                  (sha(new), None)]
    assert dict(sql("select sha256, data from document_originals")) == {sha(old): old, sha(new): new}
    out = notes.parent / "out"
    out.mkdir()
    assert cli.main(["original", "ashgabat.docx", "-o", str(out)]) == 0  # by name: the current version
    assert (out / "ashgabat.docx").read_bytes() == new
    assert cli.main(["original", sha(old)[:10], "-o", str(out / "old.docx")]) == 0  # an old one by its sha256
    assert (out / "old.docx").read_bytes() == old


def test_reprocess_keeps_the_originals(notes):
    ingest_paths([notes])
    before = sql("select sha256, data from document_originals order by sha256")
    assert len(before) == 3
    assert "reprocessed 3 notes" in review.reprocess()
    assert sql("select sha256, data from document_originals order by sha256") == before


def test_a_batch_that_fails_leaves_no_original_without_its_document(notes, monkeypatch):
    """The hostile-batch pattern: one note whose extraction cannot be stored (a need without its
    quote) fails the batch's one transaction; the notes are then stored one by one, the bad one is
    rejected by name, and each table holds exactly the documents that were stored."""
    from needs_tracker.extract import extract

    docs = [read_document(p) for p in sorted(notes.iterdir())]
    pending = [(doc, extract(doc.text)) for doc in docs]
    bad = pending[1][1]
    bad.needs.append(dataclasses.replace(bad.needs[0], evidence=None))
    with connect():
        pass
    reports = []
    ingest._store_batch(None, pending, ingest._Context("tester", AuditAction.INGEST, False), reports.append)
    assert [(r.file_name, r.outcome) for r in reports] == [
        ("abidjan.txt", "ingested"), ("ashgabat.docx", "rejected"), ("vienna.pdf", "ingested")]
    assert "could not be stored" in reports[1].detail
    stored = {docs[0].sha256, docs[2].sha256}
    assert {r[0] for r in sql("select id from documents")} == stored
    assert {r[0] for r in sql("select sha256 from document_originals")} == stored


def test_a_note_over_the_blob_limit_is_stored_without_its_file_and_says_why(notes, monkeypatch):
    monkeypatch.setattr(originals, "MAX_ORIGINAL_BYTES", 2_000)
    ingest_paths([notes])
    with connect() as con:
        kept = {i.file_name: i for i in originals.for_workshops(con, [1, 2, 3]).values()}
    assert kept["abidjan.txt"].kept  # 300 bytes
    assert not kept["vienna.pdf"].kept
    assert kept["vienna.pdf"].missing_reason.startswith("original file not kept: at ")
    assert "over DuckDB's 4 GB limit for one stored value" in kept["vienna.pdf"].missing_reason


def test_the_store_grows_by_about_the_files_size(tmp_path, capsys):
    """Ten notes with a scanned page each (incompressible), stored with and without their files."""
    folder = tmp_path / "scans"
    folder.mkdir()
    docs = [read_document(make_pdf(folder / f"scan{i}.pdf", VIENNA.replace("2018", str(2000 + i)),
                                   scan_bytes=250_000, seed=i)) for i in range(10)]
    total = sum(d.size_bytes for d in docs)
    sizes = {}
    for kept, batch in (("with", docs), ("without", [dataclasses.replace(d, original=None) for d in docs])):
        location = str(tmp_path / f"{kept}.duckdb")
        assert [r.outcome for r in ingest.ingest_documents(batch, location=location)] == ["ingested"] * 10
        sizes[kept] = os.path.getsize(location)
    growth = sizes["with"] - sizes["without"]
    with capsys.disabled():
        print(f"\noriginals: 10 PDFs of {total / 1e6:.2f} MB grow the store from {sizes['without'] / 1e6:.2f} MB "
              f"to {sizes['with'] / 1e6:.2f} MB: +{growth / 1e6:.2f} MB ({growth / total:.2f}× the files)")
    block = 256 * 1024  # DuckDB's block: the new table's index and segments, and the last partly filled one
    assert total <= growth <= total + 4 * block


# --- reading them back --------------------------------------------------------------------------
def test_cli_writes_an_original_out_and_every_mistake_is_one_line(notes, tmp_path, capsys):
    ingest_paths([notes])
    pdf = (notes / "vienna.pdf").read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["original", sha(pdf), "-o", str(out / "copy.pdf")]) == 0
    assert (out / "copy.pdf").read_bytes() == pdf
    assert capsys.readouterr().out == f"wrote {out / 'copy.pdf'}: vienna.pdf, {len(pdf):,} bytes, sha256 {sha(pdf)}\n"
    for argv, message in [
        (["original", "nothing.pdf", "-o", str(out)], "no stored note has the sha256 or file name 'nothing.pdf'"),
        (["original", "vienna.pdf", "-o", str(out / "copy.pdf")], f"{out / 'copy.pdf'}: exists; give --force"),
        (["original", "vienna.pdf", "-o", str(tmp_path / "no" / "such" / "x.pdf")], "cannot write: No such file"),
        (["original", "vienna.pdf", "-o", str(out), "--db", str(tmp_path / "missing.duckdb")], "there is no store at"),
    ]:
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, (argv, err)
    assert sorted(p.name for p in out.iterdir()) == ["copy.pdf"]  # no temporary file left behind
    assert cli.main(["original", "vienna.pdf", "-o", str(out / "copy.pdf"), "--force"]) == 0


def test_two_current_notes_of_one_name_are_named_by_their_sha256(tmp_path, capsys):
    for year in ("2018", "2019"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "note.txt").write_text(VIENNA.replace("2018", year), encoding="utf-8")
    ingest_paths([tmp_path / "2018", tmp_path / "2019"])
    assert cli.main(["original", "note.txt", "-o", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert "'note.txt' names 2 stored notes: give the sha256 of one: " in err and err.count("\n") == 1
    path = str(tmp_path / "2019" / "note.txt")  # the ingested path tells them apart
    assert cli.main(["original", path, "-o", str(tmp_path / "x.txt")]) == 0
    assert (tmp_path / "x.txt").read_bytes() == Path(path).read_bytes()


# --- a store made before originals were kept ----------------------------------------------------
@pytest.fixture
def schema_4_store(isolated_store, monkeypatch) -> Path:
    """A store as schema 4 left it: the two fixture notes and an audit row."""
    with monkeypatch.context() as schema_4:
        schema_4.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
        schema_4.setattr(migrations, "SCHEMA_VERSION", 4)
        build_fixture_store(str(isolated_store))
        with connect() as con:
            con.execute("update documents set ingested_at = timestamp '2026-11-12 09:30:00'")
            review.confirm_need(auth.local_editor("Ana"), 1)
            assert con.execute("select max(version) from schema_migrations").fetchall() == [(4,)]
    return isolated_store


def _every_row(location: Path) -> dict[str, list]:
    with duckdb.connect(str(location), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where table_name not in "
                                            "('schema_migrations', 'document_originals')").fetchall()]
        return {t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall())) for t in tables}


def test_a_schema_4_store_migrates_with_every_row_and_says_not_kept(schema_4_store):
    before = _every_row(schema_4_store)
    assert (len(before["documents"]), len(before["needs"]), len(before["audit_log"])) == (2, 6, 1)
    assert sql("select max(version) from schema_migrations") == [(migrations.SCHEMA_VERSION,)]
    assert migrations.SCHEMA_VERSION == 5
    assert _every_row(schema_4_store) == before
    assert sql("select count(*) from document_originals") == [(0,)]
    with connect() as con:
        infos = originals.for_workshops(con, [1, 2])
    reason = infos[1].missing_reason
    assert not infos[1].kept
    applied = sql("select applied_at from schema_migrations where version = 5")[0][0]
    assert reason == (f"original file not kept: ingested on 12 November 2026, before store version 5 "
                      f"({applied.day} {applied:%B %Y}) began keeping original files")


# --- the dashboard ------------------------------------------------------------------------------
@pytest.fixture
def recorded_downloads(monkeypatch, fresh_streamlit) -> list[MediaFileManager]:
    """The media file managers AppTest's runs use, so a test can read the file a download button
    hands the browser."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def workshop_page(workshop_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params["workshop"] = str(workshop_id)
    at.run()
    at.switch_page(f"{PAGES}/workshops.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def download(at: AppTest, managers: list[MediaFileManager], key: str):
    """Press "Download the original" (``key``): the page reads and checks the bytes, then offers
    them on a second button; return that button's label, and the file the browser would get."""
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    save_key = key.replace("ws_original_", "ws_original_save_")
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(save_key)]
    file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
    manager = next(m for m in reversed(managers) if file_id in m._file_metadata)
    served = manager._storage.get_file(file_id)
    return button.proto.label.replace("\\", ""), served.filename, served  # markdown escapes off


@pytest.mark.parametrize("name, mime", [("vienna.pdf", "application/pdf"), ("ashgabat.docx", DOCX_MIME),
                                        ("abidjan.txt", "text/plain")])
def test_a_viewer_downloads_the_original_from_the_workshop_page(notes, recorded_downloads, monkeypatch, name,
                                                                mime):
    monkeypatch.setenv(auth.PASSWORD_HASH_ENV, f"Ana:{auth.hash_password('originals-pass-1540')}")
    ingest_paths([notes])
    wid = workshop_of(name)
    at = workshop_page(wid)  # editing is on, nobody signed in: what every viewer sees
    assert not [b for b in at.button if b.key and b.key.startswith("ws_split_")]
    label, file_name, served = download(at, recorded_downloads, f"ws_original_{wid}")
    assert (label, file_name, served.mimetype) == (f"Save {name}", name, mime)
    assert served.content == (notes / name).read_bytes()


def test_the_page_reads_no_original_until_the_button_is_pressed(notes, recorded_downloads, monkeypatch):
    ingest_paths([notes])
    calls = []
    real = originals.read
    monkeypatch.setattr(originals, "read", lambda con, doc: calls.append(doc) or real(con, doc))
    at = workshop_page(workshop_of("vienna.pdf"))
    assert calls == []
    download(at, recorded_downloads, f"ws_original_{workshop_of('vienna.pdf')}")
    assert calls == [sha((notes / "vienna.pdf").read_bytes())]


def test_a_note_ingested_before_schema_5_says_so_instead_of_a_button(schema_4_store, recorded_downloads):
    at = workshop_page(1)
    assert not [b for b in at.get("download_button") if "ws_original_" in b.proto.id]
    captions = [c.value.replace("\\", "") for c in at.caption if "not kept" in c.value]  # markdown escapes off
    assert len(captions) == 1
    assert captions[0].startswith("Original file not kept: ingested on 12 November 2026, before store version 5 (")
    assert captions[0].endswith(") began keeping original files.")


# --- snapshots and the viewers' copy ------------------------------------------------------------
def test_a_snapshot_carries_the_originals_and_its_manifest_stays_true(notes, tmp_path, recorded_downloads,
                                                                      monkeypatch, capsys):
    from needs_tracker.publish import verify

    ingest_paths([notes])
    target = tmp_path / "snap"
    assert cli.main(["publish", str(target)]) == 0
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["tables"]["document_originals"]["rows"] == 3
    assert verify(target) == []
    for entry in [manifest["database"], *manifest["tables"].values()]:
        path = target / entry.get("file", entry.get("parquet"))
        assert (path.stat().st_size, sha(path.read_bytes())) == (entry["bytes"], entry["sha256"])
    files = {sha(p.read_bytes()): p.read_bytes() for p in notes.iterdir()}
    parquet = duckdb.sql("select sha256, data from read_parquet(?)",
                         params=[str(target / "parquet" / "document_originals.parquet")]).fetchall()
    assert dict(parquet) == files
    capsys.readouterr()
    # the CLI and a replica serving the snapshot both hand out the file
    assert cli.main(["original", "vienna.pdf", "--db", str(target / "needs.duckdb"), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "vienna.pdf").read_bytes() == (notes / "vienna.pdf").read_bytes()
    monkeypatch.setenv("NEEDS_TRACKER_SNAPSHOT", str(target))
    wid = workshop_of("ashgabat.docx")
    _, _, served = download(workshop_page(wid), recorded_downloads, f"ws_original_{wid}")
    assert served.content == (notes / "ashgabat.docx").read_bytes()


def test_the_viewers_copy_in_memory_holds_no_original(notes):
    ingest_paths([notes])
    assert "document_originals" not in matching_base.REPLICA
    with connect() as con:
        base = matching_base.build(con)
    cur = base.cursor()
    tables = {r[0] for r in cur.execute("select table_name from duckdb_tables()").fetchall()}
    assert "documents" in tables and "document_originals" not in tables
    blobs = cur.execute("select table_name, column_name from duckdb_columns() where data_type = 'BLOB'").fetchall()
    assert blobs == []
    assert store_version()  # the store itself still holds them
    assert sql("select count(*) from document_originals") == [(3,)]


def test_uploaded_bytes_reach_the_reader_as_given(notes):
    data = (notes / "vienna.pdf").read_bytes()
    doc = read_bytes(data, "../../vienna.pdf")
    assert doc.original == data and doc.file_name == "vienna.pdf"
    assert "original" not in repr(doc)  # a 25 MB file is never printed


def test_the_migrated_v0_1_store_is_still_whole(isolated_store):
    shutil.copy(Path(__file__).parent / "fixtures" / "store-v0.1.duckdb", isolated_store)
    assert sql("select count(*) from needs") == [(19,)]
    with connect() as con:
        infos = originals.for_workshops(con, [1, 2])
    assert [i.kept for i in infos.values()] == [False, False]
    assert all("before store version 5" in i.missing_reason for i in infos.values())


def test_ingesting_the_same_file_again_keeps_the_original_of_a_note_stored_without_it(notes, capsys):
    assert cli.main(["ingest", "-q", str(notes)]) == 0
    pdf = (notes / "vienna.pdf").read_bytes()
    sql("delete from document_originals where sha256 = ?", [sha(pdf)])  # as stored before schema 5
    capsys.readouterr()
    assert cli.main(["ingest", str(notes / "vienna.pdf")]) == 0
    assert "already stored with the same content; its original file is now kept" in capsys.readouterr().out
    with connect() as con:
        assert originals.read(con, sha(pdf)) == pdf
    assert cli.main(["ingest", str(notes / "vienna.pdf")]) == 0  # once kept, nothing more to say
    assert "now kept" not in capsys.readouterr().out
