"""What the readers hand the rules: a justified PDF reads as the same note's .txt, and a text in an
encoding the README does not promise is refused by name instead of stored as mojibake."""

from __future__ import annotations

import duckdb
import pytest
from fpdf import FPDF

from needs_tracker.cli import main
from needs_tracker.errors import ReadError
from needs_tracker.extract import extract
from needs_tracker.reader_text import unwrap_pdf_lines
from needs_tracker.readers import read_bytes, read_document

NOTE = ("Regional workshop on export controls\n\n"
        "Dates: 12-14 March 2018. Venue: Almaty, Kazakhstan.\n\n"
        "Participants: Kazakhstan, Kyrgyzstan, Tajikistan.\n\n"
        "The delegation of Kyrgyzstan explained that its customs officers lack training in the identification "
        "of strategic goods and that the country would welcome assistance with the drafting of a national "
        "control list.\n")


def _needs(text: str) -> set[tuple[str, str]]:
    return {(n.state_iso3, n.category) for n in extract(text, model=None).needs}


@pytest.mark.parametrize("width", [60, 90])
def test_a_justified_pdf_reads_as_its_txt(tmp_path, width):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(width, 6, NOTE, align="J")  # hard line breaks, words spread to the margin
    path = tmp_path / "note.pdf"
    pdf.output(str(path))
    text = read_document(path).text
    assert "The delegation of Kyrgyzstan explained that its customs officers lack training" in text
    assert _needs(text) == _needs(NOTE) == {("KGZ", "training_capacity_building"), ("KGZ", "control_lists")}
    ex = extract(text, model=None)
    assert (ex.title, ex.venue_city) == ("Regional workshop on export controls", "Almaty")
    assert {p.iso3 for p in ex.participants} == {"KAZ", "KGZ", "TJK"}


def test_unwrapping_joins_only_a_paragraph_s_cut_first_line():
    page = ("Background\nThe delegation of Kyrgyzstan explained that its\ncustoms officers lack training in the\n"
            "identification of strategic goods.\n- Kazakhstan\n- Kyrgyzstan\nCourse for prosecutors\nPeru and Ecuador")
    assert unwrap_pdf_lines(page) == (
        "Background\nThe delegation of Kyrgyzstan explained that its customs officers lack training in the\n"
        "identification of strategic goods.\n- Kazakhstan\n- Kyrgyzstan\nCourse for prosecutors\nPeru and Ecuador")


LEGACY = {
    "shift-jis.txt": "カザフスタン ワークショップ キルギス トレーニング ゼイカン".encode("shift_jis"),
    "shift-jis-kanji.txt": "情報ノート：カザフスタンで開催された輸出管理ワークショップ。".encode("shift_jis"),
    "gbk.txt": "关于在阿拉木图举行的出口管制讲习班的信息说明。".encode("gbk"),
    "koi8-r.txt": "Информационная записка о семинаре в Алматы.".encode("koi8_r"),
}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_a_legacy_encoding_is_refused_by_name(name):
    with pytest.raises(ReadError) as caught:
        read_bytes(LEGACY[name], name)
    message = str(caught.value)
    assert message.startswith(f"{name}: not in a supported encoding")
    assert "\n" not in message


def test_windows_1252_with_accents_is_still_read():
    text = "Atelier régional à Lomé : Côte d'Ivoire, Bénin et Sénégal — « formation » douanière.\n"
    doc = read_bytes(text.encode("cp1252"), "lome.txt")
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_ingest_stores_nothing_of_a_shift_jis_note_and_keeps_the_batch(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "japanese.txt").write_bytes(LEGACY["shift-jis.txt"])
    (folder / "good.txt").write_text(NOTE, encoding="utf-8")
    store = tmp_path / "store.duckdb"
    code = main(["ingest", str(folder), "--db", str(store), "--quiet"])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.out + out.err
    rejected = [line for line in (out.out + out.err).splitlines() if "japanese.txt" in line]
    assert len(rejected) == 1 and "not in a supported encoding" in rejected[0]
    with duckdb.connect(str(store), read_only=True) as con:
        names = [r[0] for r in con.execute("select file_name from documents").fetchall()]
    assert names == ["good.txt"]
