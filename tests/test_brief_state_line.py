"""Each state's opening line in the HTML and PDF briefs is said in the singular for one (qa10: "1
needs in 1 gap categories, reported at 1 workshop(s)." on the Côte d'Ivoire brief), and the
non-ASCII state names of the line come through whole in both files (Côte d'Ivoire, Türkiye)."""

from __future__ import annotations

import pytest

from export_readers import html_parse, pdf_text
from fixture_store import build_store
from needs_tracker.export import to_bytes
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect

TURKIYE_NEED = "Türkiye asked for help with its control list of dual-use goods."


@pytest.fixture
def store(isolated_store, monkeypatch):
    """The dashboard's fixture store plus a workshop where Türkiye reports two needs on two gaps."""
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")
    location = build_store(isolated_store)
    with connect(location) as con:
        con.execute("insert into documents (id, file_name, format, size_bytes, text) values "
                    "('ankara', 'ankara.txt', 'txt', 100, ?)", [TURKIYE_NEED])
        wid = con.execute("insert into workshops (document_id, title, start_date, year, venue_city, venue_country) "
                          "values ('ankara', 'Seminar, Ankara', date '2019-05-06', 2019, 'Ankara', 'Türkiye') "
                          "returning id").fetchall()[0][0]
        con.execute("insert into participation (workshop_id, state_iso3, role) values (?, 'TUR', 'host')", [wid])
        for category in ("control_lists", "licensing"):
            con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                        "confidence) values (?, 'TUR', ?, ?, 0, ?, 'test', 0.9)",
                        [wid, category, TURKIYE_NEED, len(TURKIYE_NEED)])
    return location


def _html(f: NeedFilter) -> str:
    return " ".join(" ".join(html_parse(to_bytes("html", f)[0]).text).split())


def _pdf(f: NeedFilter) -> str:
    return " ".join(pdf_text(to_bytes("pdf", f)[0]).split())


@pytest.mark.parametrize("read", [_html, _pdf], ids=["html", "pdf"])
def test_one_need_is_said_in_the_singular(store, read):
    text = read(NeedFilter(states=("CIV",)))
    assert "Côte d'Ivoire (CIV) 1 need in 1 gap category, reported at 1 workshop." in text
    assert "workshop(s)" not in text


@pytest.mark.parametrize("read", [_html, _pdf], ids=["html", "pdf"])
def test_several_needs_are_counted_in_the_plural(store, read):
    text = read(NeedFilter(states=("TUR",)))
    assert "Türkiye (TUR) 2 needs in 2 gap categories, reported at 1 workshop." in text
    assert TURKIYE_NEED in text
