"""Notes without a year, dates, venue, title or a named state never break an export: every
format, filtered and unfiltered, from the library and the CLI, says "date unknown" / "year
unknown" and keeps those needs (never silently dropped). The store is built directly."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pandas as pd
import pytest

from export_readers import READERS, html_parse, pdf_text
from needs_tracker.cli import main as cli_main
from needs_tracker.export import NEEDS_FORMATS, to_bytes
from needs_tracker.export.charts import timeline_figure
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, reads


@pytest.fixture(autouse=True)
def no_charts(monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")


@pytest.fixture(scope="module")
def template_store(tmp_path_factory):
    """A dated workshop, one with a title but no date, year or venue, one with nothing but its
    file (and a state code the states table does not know), and one that names no state at all."""
    path = tmp_path_factory.mktemp("unknown") / "store.duckdb"
    with connect(str(path)) as con:
        con.execute("""insert into documents (id, file_name, format, size_bytes, text) values
            ('d1', 'dated.txt', 'txt', 1, 'x'), ('d2', 'no-year.txt', 'txt', 1, 'x'),
            ('d3', 'bare.txt', 'txt', 1, 'x'), ('d4', 'no-states.txt', 'txt', 1, 'x')""")
        con.execute("""insert into workshops (id, document_id, title, start_date, end_date, year, venue_city,
                       venue_country) values
            (1, 'd1', 'Dated workshop', date '2019-05-06', date '2019-05-08', 2019, 'Almaty', 'Kazakhstan'),
            (2, 'd2', 'Workshop whose note gives no date', null, null, null, null, null),
            (3, 'd3', null, null, null, null, null, null),
            (4, 'd4', 'Workshop naming no state', null, null, null, 'Vienna', null)""")
        con.execute("""insert into participation (workshop_id, state_iso3, role) values
            (1, 'KAZ', 'participant'), (2, 'KAZ', 'participant'), (2, 'UZB', 'participant'),
            (3, 'XKX', 'participant')""")
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence, status) values
            (1, 1, 'KAZ', 'licensing', 'ZQA Kazakhstan needs licensing help.', 0, 1, 'r', 0.9, 'confirmed'),
            (2, 2, 'KAZ', 'licensing', 'ZQB Kazakhstan still lacks licensing staff.', 0, 1, 'r', 0.7, 'extracted'),
            (3, 2, 'KAZ', 'physical_protection', 'ZQC Kazakhstan asked for physical protection.', 0, 1, 'r',
             0.6, 'extracted'),
            (4, 2, 'UZB', 'control_lists', 'ZQD Uzbekistan has no control list.', 0, 1, 'r', 0.5, 'extracted'),
            (5, 3, 'XKX', 'other', 'ZQE An unnamed gap.', 0, 1, 'r', 0.4, 'extracted')""")
    return path


@pytest.fixture
def store(template_store, isolated_store):
    shutil.copyfile(template_store, isolated_store)
    return isolated_store


FILTERS = {
    "all": NeedFilter(),
    "one state": NeedFilter(states=("KAZ",)),
    "category": NeedFilter(categories=("licensing",)),
    "region": NeedFilter(regions=("Asia",)),
}


def ids(f: NeedFilter) -> list[int]:
    with connect() as con:
        return [int(i) for i in reads.needs(con, f)["need_id"]]


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_format_keeps_needs_of_unknown_date(store, fmt, name):
    f = FILTERS[name]
    want = ids(f)
    data = to_bytes(fmt, f)[0]
    assert sorted(READERS[fmt](data)) == sorted(want)
    if name == "all":
        assert sorted(want) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
@pytest.mark.parametrize("args", [[], ["--state", "KAZ"]])
def test_cli_exports_every_format_with_unknown_dates(store, tmp_path, capsys, fmt, args):
    out = tmp_path / f"x.{fmt}"
    assert cli_main(["export", "--format", fmt, *args, "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "Traceback" not in capsys.readouterr().err


def test_workbook_says_date_and_year_unknown(store):
    wb = openpyxl.load_workbook(io.BytesIO(to_bytes("xlsx", NeedFilter())[0]))
    needs = list(wb["Needs"].iter_rows(values_only=True))
    header = needs[0]
    by_id = {r[header.index("Need ID")]: r for r in needs[1:]}
    assert by_id[2][header.index("Start date")] == "date unknown"
    assert by_id[2][header.index("Year")] == "year unknown"
    assert by_id[5][header.index("Workshop")] == "(untitled workshop)"
    assert by_id[1][header.index("Year")] == 2019
    years = [list(r) for r in wb["Years"].iter_rows(values_only=True)]
    assert years == [["Year", "Needs"], [2019, 1], ["year unknown", 4]]
    workshops = [list(r) for r in wb["Workshops"].iter_rows(values_only=True)]
    assert ["year unknown"] == [r[4] for r in workshops if r[1] == "Workshop whose note gives no date"]


def test_plain_tables_leave_unknown_dates_empty_for_tools(store):
    df = pd.read_csv(io.BytesIO(to_bytes("csv", NeedFilter())[0]))
    unknown = df[df["Need ID"] == 2].iloc[0]
    assert pd.isna(unknown["Start date"]) and pd.isna(unknown["Year"]) and pd.isna(unknown["Venue"])
    parquet = pd.read_parquet(io.BytesIO(to_bytes("parquet", NeedFilter())[0]))
    assert parquet["Year"].isna().sum() == 4 and len(parquet) == 5


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_briefs_say_date_and_year_unknown(store, fmt):
    data = to_bytes(fmt, NeedFilter())[0]
    text = pdf_text(data) if fmt == "pdf" else " ".join(html_parse(data).text)
    assert "Workshop whose note gives no date, date unknown (file: no-year.txt)" in text
    assert "(untitled workshop), date unknown (file: bare.txt)" in text
    assert "year unknown (1 need)" in text  # Kazakhstan's licensing: 2019 and one need of unknown year
    assert "XKX" in text


def test_timeline_of_needs_without_years_keeps_every_row():
    pairs = pd.DataFrame({
        "category": ["licensing", "physical_protection"], "needs": [2, 1], "workshops": [2, 1],
        "years": ["2019", None], "needs_year_unknown": [1, 1], "first_year": [2019, None],
        "last_year": [2019, None], "still_reported": [True, None],
    })
    fig = timeline_figure(pairs, {"licensing": "Licensing", "physical_protection":
                                  "Physical protection and security of materials"}, "Kazakhstan")
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows == ["Physical protection and security of materials (1 of unknown year)",
                    "Licensing (1 of unknown year)"]
    assert {y for t in fig.data for y in t.y} == set(rows)


def test_timeline_with_no_year_at_all_says_so():
    pairs = pd.DataFrame({"category": ["other"], "needs": [1], "workshops": [1], "years": [None],
                          "needs_year_unknown": [1], "first_year": [None], "last_year": [None],
                          "still_reported": [None]})
    fig = timeline_figure(pairs, {}, "Nowhere")
    assert "No year is known" in fig.layout.annotations[0].text


@pytest.mark.parametrize("fmt", sorted(NEEDS_FORMATS))
def test_a_selection_with_no_date_at_all_exports(store, fmt):
    f = NeedFilter(states=("UZB",))  # its only workshop has no date, year or venue
    assert sorted(READERS[fmt](to_bytes(fmt, f)[0])) == [4]

