"""Briefs (PDF and HTML): readable charts, cited sources, plain-word statuses, the filter exactly
as chosen and never a link, long quotes cut with a marker, and a large selection kept brief."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs
from pypdf import PdfReader

from export_readers import html_parse, pdf_text
from needs_tracker.export import to_bytes
from needs_tracker.export.brief import MAX_TABLE_PAIRS, gather_brief
from needs_tracker.export.charts import heatmap_figure, timeline_figure
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect
from needs_tracker.taxonomy import category_labels

HAS_CHROMIUM = Path("/usr/bin/chromium").exists()
LINK_TITLE = "Report at https://example.org/a_b_(c)*d* and [here](http://evil.example)"
LONG = "ZQLONG " + " ".join(f"word{i}" for i in range(600)) + " END"  # ~4,500 characters


@pytest.fixture(autouse=True)
def no_charts(monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")


@pytest.fixture(scope="module")
def template_store(tmp_path_factory):
    """Two workshops (one titled with bare and markdown links), three states, every category
    for Kazakhstan, a 4,500-character sentence; plus 40 bulk needs for Uzbekistan's licensing."""
    path = tmp_path_factory.mktemp("briefs") / "store.duckdb"
    cats = list(category_labels())
    with connect(str(path)) as con:
        con.execute("""insert into documents (id, file_name, format, size_bytes, text) values
            ('d1', 'vienna-2018.txt', 'txt', 1, 'x'), ('d2', 'links.md', 'md', 1, 'x')""")
        con.execute("""insert into workshops (id, document_id, title, start_date, end_date, year, venue_city,
                       venue_country) values
            (1, 'd1', 'Vienna regional workshop', date '2018-03-05', date '2018-03-07', 2018, 'Vienna', 'Austria'),
            (2, 'd2', ?, date '2021-06-01', null, 2021, null, null)""", [LINK_TITLE])
        con.execute("insert into workshop_organisations values (1, 'UNODA', 'organizer'), (2, 'OSCE', 'organizer')")
        con.execute("""insert into participation (workshop_id, state_iso3, role) values
            (1, 'KAZ', 'participant'), (1, 'UZB', 'participant'), (2, 'KAZ', 'participant'),
            (2, 'TKM', 'participant')""")
        for i, cat in enumerate(cats):
            con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                           rule, confidence, status) values (?, ?, 'KAZ', ?, ?, 0, 1, 'r', ?, ?)""",
                        [i + 1, 1 + i % 2, cat, f"ZQ{i:02d} Kazakhstan reported a gap in {cat}.", 0.55 + i / 40,
                         "confirmed" if i == 0 else "extracted"])
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) values (100, 2, 'TKM', 'licensing', ?, 0, 1, 'r', 0.5)""", [LONG])
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) select 200 + i, 1, 'UZB', 'licensing', 'Bulk ZQU' || i || ' need.', 0, 1,
                       'r', 0.5 + i / 100 from range(40) t(i)""")
    return path


@pytest.fixture
def store(template_store, isolated_store):
    shutil.copyfile(template_store, isolated_store)
    return isolated_store


def brief_text(fmt: str, f: NeedFilter) -> str:
    data = to_bytes(fmt, f)[0]
    return pdf_text(data) if fmt == "pdf" else " ".join(" ".join(html_parse(data).text).split())


def link_annotations(pdf: bytes) -> list:
    return [a for page in PdfReader(io.BytesIO(pdf)).pages for a in (page.get("/Annots") or [])]


# --- charts ----------------------------------------------------------------------------------

def test_timeline_has_full_labels_and_a_legend(store):
    data = gather_brief(NeedFilter(states=("KAZ",)))
    fig = timeline_figure(data.state_pairs("KAZ"), data.labels, "Kazakhstan")
    rows = set(fig.layout.yaxis.categoryarray)
    assert "Physical protection and security of materials" in rows and "Training and capacity building" in rows
    assert fig.layout.yaxis.automargin is True  # labels are never cut to fit a fixed margin
    legend = {t.name for t in fig.data if t.showlegend}
    assert legend == {"a year it was reported", "still reported at the state's latest workshop",
                      "not reported at its latest workshop"}
    assert fig.layout.showlegend is True


def test_heatmap_has_full_category_labels(store):
    fig = heatmap_figure(gather_brief(NeedFilter()))
    assert "Physical protection and security of materials" in fig.data[0].x
    assert fig.layout.xaxis.automargin is True and fig.layout.yaxis.automargin is True


# --- what a brief says ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_sources_are_workshop_title_and_date_then_file(store, fmt):
    text = brief_text(fmt, NeedFilter(states=("KAZ",)))
    assert "Vienna regional workshop, 2018-03-05 (file: vienna-2018.txt)" in text


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_status_and_confidence_in_plain_words(store, fmt):
    text = brief_text(fmt, NeedFilter(states=("KAZ",)))
    assert "How to read this brief:" in text
    assert "confirmed by a person; low confidence (0.55)" in text
    assert "found by the rules, not yet checked by a person; high confidence (0.80)" in text


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_filter_is_stated_exactly_and_never_a_link(store, fmt):
    f = NeedFilter(organizer="[click me](http://evil.example) **x** __y__ --z", states=("KAZ",))
    data = to_bytes(fmt, f)[0]
    if fmt == "pdf":
        assert f.describe() in pdf_text(data)
        assert link_annotations(data) == []
    else:
        parsed = html_parse(data)
        assert f.describe() in " ".join(parsed.text)
        assert "<a " not in data.decode("utf-8").split("<body>")[1]


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_urls_in_a_note_title_stay_plain_text(store, fmt):
    data = to_bytes(fmt, NeedFilter(states=("TKM",)))[0]
    if fmt == "pdf":
        text = pdf_text(data)
        assert LINK_TITLE in text and "\\" not in text
        assert link_annotations(data) == []
    else:
        assert LINK_TITLE in " ".join(html_parse(data).text)
        assert "<a " not in data.decode("utf-8").split("<body>")[1]


def test_a_very_long_sentence_is_cut_in_the_pdf_and_whole_in_html(store):
    pdf = pdf_text(to_bytes("pdf", NeedFilter(states=("TKM",)))[0])
    assert "ZQLONG word0 word1" in pdf and " END" not in pdf
    assert re.search(r"\[cut: the sentence has 4,\d{3} characters; the CSV and Excel exports hold it whole\]", pdf)
    html = " ".join(html_parse(to_bytes("html", NeedFilter(states=("TKM",)))[0]).text)
    assert LONG in html


def test_html_brief_carries_plotly_once_minified(store):
    text = to_bytes("html", NeedFilter())[0].decode("utf-8")
    bundle = get_plotlyjs()
    assert text.count(bundle[:300]) == 1
    assert len(bundle) / max(1, bundle.count("\n")) > 500, "plotly.min.js, not the readable build"
    assert text.count('<script type="text/javascript">') == 1
    parsed = html_parse(text.encode("utf-8"))
    assert parsed.scripts_src == []  # nothing fetched: works offline


# --- a large selection stays a brief -----------------------------------------------------------

def test_a_small_selection_quotes_every_need(store):
    data = gather_brief(NeedFilter())
    assert data.complete and data.quoted_count == data.need_count == 53
    assert "This brief quotes" not in " ".join(data.summary_lines())


def test_a_large_selection_quotes_the_top_of_each_state_and_gap(store):
    with connect() as con:  # 400 more needs: past the full-quote limit
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) select 1000 + i, 1, 'UZB', 'control_lists', 'More ZQM' || i, 0, 1, 'r',
                       0.5 from range(400) t(i)""")
    data = gather_brief(NeedFilter())
    assert not data.complete and not data.compact
    uzb = {p.category: p for p in data.state_pairs("UZB").itertuples(index=False)}
    assert int(uzb["control_lists"].needs) == 400 and len(uzb["control_lists"].quotes) == 3
    assert data.quoted_count < 60
    html = brief_text("html", NeedFilter())
    assert "(3 of 400 needs)" in html
    assert f"This brief quotes {data.quoted_count} of the 453 needs" in html
    assert "Every need is in the CSV and Excel exports of the same filter" in html
    assert len(html_parse(to_bytes("html", NeedFilter())[0]).ids) == data.quoted_count


def test_many_states_and_gaps_give_a_compact_brief(store):
    cats = list(category_labels())
    states = ["AFG", "ALB", "DZA", "AND", "AGO", "ARG", "ARM", "AUS", "AUT", "AZE", "BHS", "BHR", "BGD", "BRB"]
    with connect() as con:
        con.execute("""insert into needs (id, workshop_id, state_iso3, category, evidence, span_start, span_end,
                       rule, confidence) select 5000 + s.i * 100 + c.j * 5 + k.k, 1, s.iso3, c.cat,
                       'Compact ZQ' || s.iso3 || c.cat || k.k, 0, 1, 'r', 0.5
                       from (select unnest(?) as iso3, generate_subscripts(?, 1) as i) s,
                            (select unnest(?) as cat, generate_subscripts(?, 1) as j) c, range(3) k(k)""",
                    [states, states, cats, cats])
    data = gather_brief(NeedFilter())
    assert len(data.pairs) > MAX_TABLE_PAIRS and data.compact
    for iso3 in states:  # the top quote of each state's two most reported gaps
        assert [q["evidence"][:13] for _, q in data.quotes_for(iso3)] == [f"Compact ZQ{iso3}"] * 2
    pdf = pdf_text(to_bytes("pdf", NeedFilter())[0])
    assert "Needs per gap (first–last year): Licensing" in pdf
    assert "Afghanistan (AFG): 36 needs, 12 gaps, 1 workshops" in pdf


# --- charts drawn by Chromium -----------------------------------------------------------------

@pytest.mark.skipif(not HAS_CHROMIUM, reason="needs /usr/bin/chromium for kaleido")
def test_pdf_brief_with_charts_draws_every_timeline(store, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "on")
    data = to_bytes("pdf", NeedFilter(states=("KAZ", "TKM")))[0]
    reader = PdfReader(io.BytesIO(data))
    assert sum(len(p.images) for p in reader.pages) == 4  # heatmap, map, two timelines
    assert "Charts were left out" not in pdf_text(data)


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_brief_gives_its_filter_as_link_parameters_that_read_back(store, fmt):
    from urllib.parse import parse_qs

    from needs_tracker.export.data import filter_link

    f = NeedFilter(states=("KAZ", "TKM"), year_from=2018, organizer="[x](http://evil.example)")
    link = filter_link(f)
    assert link == "?states=KAZ&states=TKM&year_from=2018&organizer=%5Bx%5D%28http%3A%2F%2Fevil.example%29"
    raw = parse_qs(link[1:])
    back = NeedFilter.parse(raw)[0] if hasattr(NeedFilter, "parse") else NeedFilter.from_query_params(raw)
    assert back == f
    data = to_bytes(fmt, f)[0]
    if fmt == "pdf":
        assert link in pdf_text(data).replace(" ", "") and link_annotations(data) == []  # wrapped lines
    else:
        assert link in " ".join(html_parse(data).text)



@pytest.mark.skipif(not HAS_CHROMIUM, reason="the timeout is read only when Chromium draws")
def test_a_bad_chart_timeout_is_one_clear_error(store, tmp_path, capsys, monkeypatch):
    from needs_tracker.cli import main as cli_main

    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "on")
    monkeypatch.setenv("NEEDS_TRACKER_CHART_TIMEOUT", "abc")
    out = tmp_path / "x.pdf"
    assert cli_main(["export", "--format", "pdf", "--state", "KAZ", "-o", str(out)]) == 2
    assert "NEEDS_TRACKER_CHART_TIMEOUT='abc' is not valid" in capsys.readouterr().err
    assert not out.exists()


def test_a_sentence_of_many_short_lines_never_breaks_the_pdf(store):
    with connect() as con:
        con.execute("update needs set evidence = 'ZQLINES' || repeat(chr(10) || 'x', 3000) where id = 100")
        con.execute("update workshops set title = repeat('Title line' || chr(10), 300), "
                    "venue_city = repeat('City ', 900) where id = 2")
    text = pdf_text(to_bytes("pdf", NeedFilter(states=("TKM",)))[0])
    assert "ZQLINES x x x" in text and "[cut: the sentence has" in text and "[cut: the source has" in text


@pytest.mark.skipif(not HAS_CHROMIUM, reason="needs /usr/bin/chromium for kaleido")
def test_charts_that_miss_their_time_leave_a_brief_that_says_so(store, monkeypatch):
    from needs_tracker.export.charts import CHARTS_FAILED

    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "on")
    monkeypatch.setenv("NEEDS_TRACKER_CHART_TIMEOUT", "0.001")  # Chromium cannot draw that fast
    data = to_bytes("pdf", NeedFilter(states=("KAZ", "TKM")))[0]
    reader = PdfReader(io.BytesIO(data))
    assert sum(len(p.images) for p in reader.pages) == 0
    assert CHARTS_FAILED in " ".join(reader.pages[0].extract_text().split())
    assert pdf_text(data).count("Charts were left out") == 5  # page one, heatmap, map, two timeline boxes
