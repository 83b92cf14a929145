"""Exports: every format holds exactly the filtered rows, says which filters made it and
cites its sources; CSV is a plain table pinned byte for byte; formulas are neutralised."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pypdf import PdfReader

from export_readers import READERS, csv_ids, csv_rows, html_parse, pdf_text
from needs_tracker.cli import main as cli_main
from needs_tracker.errors import ExportError
from needs_tracker.export import FORMATS, NEEDS_FORMATS, suggested_file_name, to_bytes, write_file
from needs_tracker.export.charts import NO_CHROMIUM
from needs_tracker.export.csv_format import neutralise
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads

GOLDEN = Path(__file__).parent / "golden" / "needs.csv"
CREATED = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
HAS_CHROMIUM = Path("/usr/bin/chromium").exists()



@pytest.fixture(autouse=True)
def no_charts(monkeypatch):
    """Charts are slow (kaleido starts a browser); one test below renders them."""
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")


@pytest.fixture(scope="module")
def template_store(tmp_path_factory):
    """Two workshops and six needs with awkward values: quotes, commas, newlines, Unicode,
    nulls, a formula-looking evidence, and one rejected need that no export may show."""
    path = tmp_path_factory.mktemp("template") / "store.duckdb"
    with connect(str(path)) as con:
        con.execute("update states set name = 'Côte d’Ivoire' where iso3 = 'CIV'")
        con.execute("update states set name = 'Việt Nam' where iso3 = 'VNM'")
        con.execute("""insert into documents (id, file_name, format, size_bytes, text) values
            ('d1', 'note "one", Abidjan.txt', 'txt', 10, 'x'),
            ('d2', 'türkiye-note.md', 'md', 10, 'y')""")
        con.execute("""insert into workshops (id, document_id, title, start_date, end_date, year,
                       venue_city, venue_country) values
            (1, 'd1', 'Workshop on "export", licensing
and more', date '2019-05-06', date '2019-05-08', 2019, 'Willemstad', 'Curaçao'),
            (2, 'd2', null, null, null, 2021, null, null)""")
        con.execute("""insert into workshop_organisations values
            (1, 'UNODA', 'organizer'), (2, 'OSCE', 'organizer')""")
        con.execute("""insert into participation (workshop_id, state_iso3, role) values
            (1, 'CIV', 'participant'), (1, 'TUR', 'participant'), (1, 'VNM', 'participant'),
            (2, 'TUR', 'host'), (2, 'CIV', 'participant')""")
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start,
                       span_end, rule, confidence, status) values
            (1, 1, 'CIV', 'licensing', 'ZQA: He said "yes, quickly",
then “no” — Côte d’Ivoire', 0, 1, 'r', 0.8, 'extracted'),
            (2, 1, 'TUR', 'control_lists', '=HYPERLINK("http://x.example","ZQB click")', 0, 1, 'r', 0.75,
             'confirmed'),
            (3, 1, 'VNM', 'border_customs_control', '+ZQC Việt Nam needs scanners', 0, 1, 'r', 0.6, 'extracted'),
            (4, 2, 'TUR', 'licensing', '@ZQD Türkiye asked, again, for help', 0, 1, 'r', 0.9, 'corrected'),
            (5, 2, 'CIV', 'other', '	ZQE tab-led; -1 budget', 0, 1, 'r', 0.5, 'extracted'),
            (6, 2, 'CIV', 'control_lists', 'ZQF rejected by a reviewer', 0, 1, 'r', 0.5, 'rejected')""")
    return path


@pytest.fixture
def store(template_store, isolated_store):
    """A fresh copy of the template store at this test's NEEDS_TRACKER_DB."""
    shutil.copyfile(template_store, isolated_store)
    return isolated_store


def expected_ids(f: NeedFilter) -> list[int]:
    with connect() as con:
        return [int(i) for i in reads.needs(con, f)["need_id"]]


FILTERS = {
    "all": NeedFilter(),
    "one state": NeedFilter(states=("TUR",)),
    "two states": NeedFilter(states=("CIV", "VNM")),
    "category": NeedFilter(categories=("licensing",)),
    "since": NeedFilter(year_from=2020),
    "organizer": NeedFilter(organizer="unoda"),
    "text": NeedFilter(text="türkiye"),
    "confirmed": NeedFilter(status="confirmed"),
}


# Every filter through the tables; the slower briefs through a representative few.
ROW_CASES = [(fmt, name) for fmt in ("csv", "xlsx", "json", "parquet") for name in FILTERS] + [
    (fmt, name) for fmt in ("html", "pdf") for name in ("all", "two states", "organizer", "confirmed")]


@pytest.mark.parametrize("fmt, name", ROW_CASES)
def test_every_format_holds_exactly_the_filtered_rows(store, fmt, name):
    f = FILTERS[name]
    want = expected_ids(f)
    assert want, "each filter in the table selects something"
    assert 6 not in want
    data, mime, file_name = to_bytes(fmt, f, created=CREATED)
    got = READERS[fmt](data)
    if fmt in ("html", "pdf"):  # the briefs group needs by state
        assert sorted(got) == sorted(want)
    else:
        assert got == want
    assert file_name.endswith("." + fmt) and mime == FORMATS[fmt].mime


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
def test_every_format_says_its_filters_and_time(store, fmt):
    """In the file where the format has room for it; a plain table (CSV, Parquet's rows) in its
    name, which every format also gets."""
    f = NeedFilter(states=("TUR",), year_from=2019)
    data, _, name = to_bytes(fmt, f, created=CREATED)
    assert name == f"needs-TUR-since-2019_2026-01-02-0304.{FORMATS[fmt].extension}"
    text = {
        "csv": lambda: None,
        "xlsx": lambda: " ".join(str(c) for row in openpyxl.load_workbook(io.BytesIO(data))["Summary"]
                                 .iter_rows(values_only=True) for c in row if c is not None),
        "json": lambda: json.dumps(json.loads(data)["metadata"], ensure_ascii=False),
        "parquet": lambda: pq.read_schema(io.BytesIO(data)).metadata[b"needs_tracker"].decode("utf-8"),
        "html": lambda: " ".join(html_parse(data).text),
        "pdf": lambda: pdf_text(data),
    }[fmt]()
    if text is not None:
        assert f.describe() in text
        assert "2026-01-02" in text
    if fmt in ("html", "pdf"):  # the table formats cite sources per row, read below
        assert "türkiye-note.md" in text


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
def test_an_empty_selection_gives_a_valid_file_that_says_so(store, fmt, tmp_path):
    f = NeedFilter(text="words nobody wrote")
    out = tmp_path / f"empty.{fmt}"
    assert write_file(fmt, f, out, created=CREATED) == 0
    data = out.read_bytes()
    assert READERS[fmt](data) == []
    said = {
        "csv": lambda: "Nothing matched these filters" if data.decode("utf-8-sig").count("\n") == 1 else "",
        "json": lambda: json.loads(data)["metadata"]["note"],
        "parquet": lambda: pq.read_schema(io.BytesIO(data)).metadata[b"needs_tracker"].decode("utf-8"),
        "xlsx": lambda: " ".join(str(c) for ws in openpyxl.load_workbook(io.BytesIO(data))
                                 for row in ws.iter_rows(values_only=True) for c in row if c),
        "html": lambda: " ".join(html_parse(data).text),
        "pdf": lambda: pdf_text(data),
    }[fmt]()
    assert "Nothing matched these filters" in said


def test_csv_is_pinned_byte_for_byte(store):
    data, _, _ = to_bytes("csv", NeedFilter(), created=CREATED)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_csv_is_a_plain_table_pandas_reads_as_it_is(store):
    data = to_bytes("csv", NeedFilter(), created=CREATED)[0]
    df = pd.read_csv(io.BytesIO(data))
    assert list(df.columns) == ["State", "ISO3", "Region", "Category", "Category ID", "Workshop", "Start date",
                                "Year", "Venue", "Evidence", "Status", "Confidence", "Source file", "Need ID"]
    assert list(df["Need ID"]) == expected_ids(NeedFilter())
    assert df["Confidence"].dtype == "float64" and df["Year"].tolist() == [2019, 2019, 2019, 2021, 2021]
    assert df.loc[df["Need ID"] == 1, "Evidence"].item() == 'ZQA: He said "yes, quickly",\nthen “no” — Côte d’Ivoire'


def test_csv_columns_and_nulls(store):
    rows = csv_rows(to_bytes("csv", NeedFilter(states=("TUR",)), created=CREATED)[0])
    assert list(rows[0]) == ["State", "ISO3", "Region", "Category", "Category ID", "Workshop", "Start date",
                             "Year", "Venue", "Evidence", "Status", "Confidence", "Source file", "Need ID"]
    undated = [r for r in rows if r["Need ID"] == "4"][0]
    assert undated["Start date"] == "" and undated["Workshop"] == "" and undated["Venue"] == ""
    assert undated["Year"] == "2021"
    dated = [r for r in rows if r["Need ID"] == "2"][0]
    assert dated["Venue"] == "Willemstad, Curaçao" and dated["Start date"] == "2019-05-06"
    assert dated["Workshop"] == 'Workshop on "export", licensing\nand more'
    assert dated["Source file"] == 'note "one", Abidjan.txt'


def test_formulas_are_neutralised(store):
    rows = csv_rows(to_bytes("csv", NeedFilter(), created=CREATED)[0])
    evidence = {r["Need ID"]: r["Evidence"] for r in rows}
    assert evidence["2"] == "'=HYPERLINK(\"http://x.example\",\"ZQB click\")"
    assert evidence["3"].startswith("'+ZQC")
    assert evidence["4"].startswith("'@ZQD")
    assert evidence["5"].startswith("'\tZQE")
    assert evidence["1"].startswith("ZQA")  # ordinary text is left alone
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

    wb = openpyxl.load_workbook(io.BytesIO(to_bytes("xlsx", NeedFilter())[0]))
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    needs = wb["Needs"]
    assert any(c.value == '=HYPERLINK("http://x.example","ZQB click")' and c.data_type == "s"
               and c.hyperlink is None for row in needs.iter_rows() for c in row)


def rows_of(ws) -> list[list]:
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


def test_workbook_layout(store):
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes("xlsx", NeedFilter(), created=CREATED)[0]))
    assert wb.sheetnames == ["Summary", "Needs", "Workshops", "States", "Categories", "Years", "Matching"]
    summary = rows_of(wb["Summary"])
    assert ["Filters", "All reported needs (no filter)"] in summary
    assert ["Made", "2026-01-02 03:04 UTC"] in summary
    assert ["Needs", "5"] in summary
    assert ["Côte d’Ivoire", "CIV", "Africa", "Sub-Saharan Africa", 2, 2, 2,
            "Licensing (2019); Other (2021)"] in rows_of(wb["States"])
    assert ["Licensing", "licensing", 2, 2, 2] in rows_of(wb["Categories"])
    assert rows_of(wb["Years"]) == [["Year", "Needs"], [2019, 3], [2021, 2]]
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.column_dimensions["A"].width > 5
    needs = wb["Needs"]
    header = [c.value for c in needs[1]]
    dates = [r[header.index("Start date")] for r in needs.iter_rows(min_row=2, values_only=True)]
    assert datetime(2019, 5, 6) in dates and "date unknown" in dates
    workshops = list(wb["Workshops"].iter_rows(min_row=2, values_only=True))
    assert {w[-1] for w in workshops} == {'note "one", Abidjan.txt', "türkiye-note.md"}


def test_excel_cuts_text_over_32767_characters_with_a_marker(store):
    long = "ZQL " + "x" * 40_000
    with connect() as con:
        con.execute("update needs set evidence = ? where id = 1", [long])
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes("xlsx", NeedFilter())[0]))
    needs = wb["Needs"]
    header = [c.value for c in needs[1]]
    cells = [r[header.index("Evidence")] for r in needs.iter_rows(min_row=2, values_only=True)
             if r[header.index("Need ID")] == 1]
    assert len(cells[0]) == 32_767
    assert cells[0].startswith("ZQL xxx")
    assert cells[0].endswith("more than an Excel cell holds; see the CSV export]")
    assert "40,004 characters" in cells[0]
    assert long in to_bytes("csv", NeedFilter())[0].decode("utf-8-sig")  # the CSV holds it whole


def test_nul_and_control_characters_never_reach_a_table_export(store):
    with connect() as con:
        con.execute("update needs set evidence = 'Z\x00Q\x01A needs\x7f' where id = 1")
        con.execute("update workshops set title = 'Work\x00shop' where id = 1")
    csv_text = to_bytes("csv", NeedFilter())[0].decode("utf-8-sig")
    assert "\x00" not in csv_text and "\x01" not in csv_text and "\x7f" not in csv_text
    assert "ZQA needs" in csv_text and "Workshop" in csv_text
    records = json.loads(to_bytes("json", NeedFilter())[0])["records"]
    assert {r["Evidence"] for r in records if r["Need ID"] == 1} == {"ZQA needs"}


def test_json_and_parquet_hold_the_same_rows_as_the_csv(store):
    f = NeedFilter()
    from_csv = pd.read_csv(io.BytesIO(to_bytes("csv", f, created=CREATED)[0]), keep_default_na=False)
    envelope = json.loads(to_bytes("json", f, created=CREATED)[0])
    from_json = pd.DataFrame(envelope["records"])
    from_parquet = pd.read_parquet(io.BytesIO(to_bytes("parquet", f, created=CREATED)[0]))
    assert envelope["metadata"]["columns"] == list(from_csv.columns)
    assert envelope["metadata"]["needs"] == 5 and envelope["metadata"]["exported_at"] == "2026-01-02T03:04:00+00:00"
    assert envelope["metadata"]["filter_params"] == {}
    for other in (from_json, from_parquet):
        assert list(other.columns) == list(from_csv.columns)
        assert len(other) == len(from_csv) == 5
        for (_, c), (_, o) in zip(from_csv.iterrows(), other.iterrows(), strict=True):
            for col in from_csv.columns:
                value = o[col]
                if pd.isna(value):
                    assert c[col] == "", (col, c[col])
                elif col == "Start date":
                    assert c[col] == str(value)[:10]
                elif col == "Confidence":
                    assert c[col] == round(float(value), 2)
                elif isinstance(value, str):
                    assert c[col] == neutralise(value)  # the CSV's only change: the formula guard
                else:
                    assert c[col] == value, col
    assert str(from_parquet["Start date"].dtype).startswith(("object", "date"))  # date32, not text
    assert from_parquet["Need ID"].dtype == "int64" and from_parquet["Year"].dtype == "Int64"


@pytest.mark.parametrize("f, name", [
    (NeedFilter(), "needs-all.xlsx"),
    (NeedFilter(states=("KAZ",), year_from=2012, year_to=2018), "needs-KAZ-2012-2018.xlsx"),
    (NeedFilter(states=("KAZ", "UZB"), year_from=2015), "needs-KAZ-UZB-since-2015.xlsx"),
    (NeedFilter(subregions=("Central Asia",), categories=("border_customs_control",), year_to=2020),
     "needs-Central-Asia-border_customs_control-until-2020.xlsx"),
    (NeedFilter(states=("A", "B", "C", "D", "E")), "needs-5-states.xlsx"),
    (NeedFilter(organizer="[click me](http://x.example)", status="confirmed"),
     "needs-by-click-me-http-x-example-confirmed.xlsx"),
    (NeedFilter(text="Côte d’Ivoire / ../etc"), "needs-text-Cote-dIvoire-etc.xlsx"),
    (NeedFilter(year_from=2012, year_to=2012), "needs-2012.xlsx"),
])
def test_suggested_file_name_says_the_filter(f, name):
    assert suggested_file_name(f, "xlsx") == name
    assert suggested_file_name(f, "csv", CREATED) == name[:-5] + "_2026-01-02-0304.csv"


def test_html_brief_is_self_contained(store):
    with connect() as con:
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) values (7, 1, 'VNM', 'other', '<script>alert(1)</script> ZQG', 0, 1,
                       'r', 0.5)""")
    data = to_bytes("html", NeedFilter())[0]
    parsed = html_parse(data)
    assert parsed.scripts_src == [], "no external scripts, styles or images"
    text = data.decode("utf-8")
    assert "Plotly" in text and 'id="heatmap"' in text
    assert "Côte d’Ivoire" in text and "Việt Nam" in text and "“ZQA" in text
    assert "note &quot;one&quot;, Abidjan.txt" in text
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; ZQG" in text
    if (Path(__file__).resolve().parents[1] / "static" / "world_110m.json").exists():
        assert "PlotlyGeoAssets" in text and "world_110m" in text


def test_pdf_brief_without_chromium_says_charts_were_left_out(store):
    data = to_bytes("pdf", NeedFilter(), created=CREATED)[0]
    text = pdf_text(data)
    assert NO_CHROMIUM in text
    for name in ("Côte d’Ivoire", "Türkiye", "Curaçao", "Việt Nam"):
        assert name in text
    first_page = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Filters: All reported needs (no filter)" in first_page
    assert f"Made: {CREATED:%Y-%m-%d %H:%M} UTC by needs-tracker" in first_page


def test_pdf_table_continues_across_pages(store):
    with connect() as con:
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) select 100 + i, 1, 'CIV', 'licensing', 'Long need number ' || i ||
                       repeat(' with many words', 12), 0, 1, 'r', 0.5 from range(80) t(i)""")
    data, _, _ = to_bytes("pdf", NeedFilter(states=("CIV",)))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 4
    text = pdf_text(data)
    for i in range(80):
        assert f"Long need number {i} " in text
    # headings are repeated on every page the table continues to
    assert sum("Evidence" in (p.extract_text() or "") for p in reader.pages[2:]) >= 2


def test_missing_font_is_a_clear_error(tmp_path):
    from needs_tracker.export.pdf_format import find_fonts

    with pytest.raises(ExportError, match="DejaVu Sans"):
        find_fonts([str(tmp_path)])


@pytest.mark.skipif(not HAS_CHROMIUM, reason="needs /usr/bin/chromium for kaleido")
def test_pdf_brief_with_charts(store, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "on")
    data = to_bytes("pdf", NeedFilter(states=("TUR", "CIV")))[0]
    reader = PdfReader(io.BytesIO(data))
    assert sum(len(p.images) for p in reader.pages) >= 3  # heatmap and each state's timeline
    assert "Charts were left out" not in pdf_text(data)


def test_unknown_format_names_the_valid_ones(store):
    with pytest.raises(ExportError, match="csv, xlsx, json, parquet, html, pdf"):
        to_bytes("docx", NeedFilter())


def test_cli_and_dashboard_give_the_same_rows(store, tmp_path, capsys):
    out = tmp_path / "tur.csv"
    assert cli_main(["export", "--format", "csv", "--state", "Türkiye", "--since", "2019", "-o", str(out)]) == 0
    assert "2 needs" in capsys.readouterr().out
    f, _ = NeedFilter.parse({"states": ["TUR"], "year_from": 2019}, strict=True)
    dashboard = to_bytes("csv", f)[0]
    cli = out.read_bytes()
    assert cli == dashboard
    assert csv_ids(cli) == expected_ids(f) == [2, 4]
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
def test_cli_writes_every_format(store, tmp_path, fmt):
    out = tmp_path / f"kaz.{fmt}"
    assert cli_main(["export", "--format", fmt, "--category", "licensing", "-o", str(out)]) == 0
    assert READERS[fmt](out.read_bytes()) == expected_ids(NeedFilter(categories=("licensing",))) == [1, 4]


def test_cli_format_choices_come_from_the_registry(store, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main(["export", "--format", "docx", "-o", str(tmp_path / "x.out")])
    assert exit_.value.code == 2
    assert "choose from 'csv', 'xlsx', 'json', 'parquet', 'html', 'pdf'" in capsys.readouterr().err


def test_cli_exports_the_view_of_a_dashboard_link(store, tmp_path, capsys):
    out = tmp_path / "link.csv"
    url = "http://localhost:8501/state?states=TUR&states=CIV&year_from=2020&state=TUR"
    assert cli_main(["export", "--format", "csv", "--url", url, "-o", str(out)]) == 0
    # the State profile shows (and its buttons download) its state's needs: TUR, not the sidebar's TUR and CIV (qa10)
    link_filter = NeedFilter(states=("TUR",), year_from=2020)
    assert csv_ids(out.read_bytes()) == expected_ids(link_filter) == [4]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args, words", [
    (["--url", "http://h/?states=ATL"], ("unknown state", "ATL")),
    (["--url", "http://h/?categories=nonsense"], ("unknown category", "nonsense")),
    (["--url", "http://h/?year_from=²"], ("is not a year", "²")),
    (["--url", "http://h/?states=TUR", "--state", "CIV"], ("--url gives the whole filter",)),
])
def test_cli_bad_links_are_one_line(store, tmp_path, capsys, args, words):
    assert cli_main(["export", "--format", "csv", *args, "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words) and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--format", "csv", "--state", "Atlantis"], "unknown state"),
    (["--format", "csv", "--category", "nonsense"], "valid: licensing"),
    (["--format", "csv", "--region", "Mars"], "valid: "),
])
def test_cli_bad_values_name_the_valid_ones(store, tmp_path, capsys, args, message):
    assert cli_main(["export", *args, "-o", str(tmp_path / "x.out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.out").exists()


def test_cli_output_folder_must_exist(store, tmp_path, capsys):
    assert cli_main(["export", "--format", "csv", "-o", str(tmp_path / "missing" / "x.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_json_writes_slashes_plainly_and_keeps_backslashes(store):
    with connect() as con:
        con.execute("update needs set evidence = ? where id = 1", ["ZQA a/b, back\\/slash, two\\\\/x, end\\"])
    raw = to_bytes("json", NeedFilter())[0].decode("utf-8")
    records = {r["Need ID"]: r for r in json.loads(raw)["records"]}
    assert records[1]["Evidence"] == "ZQA a/b, back\\/slash, two\\\\/x, end\\"
    assert "ZQA a/b" in raw and '"Source file":"note \\"one\\", Abidjan.txt"' in raw
