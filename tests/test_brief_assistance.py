"""The briefs' "Requests and offers" section (HTML and PDF) on the dashboard's fixture store, with
and without offers and requests (tests/matching_fixture.py says what the matching table holds),
and a large selection's compact form."""

from __future__ import annotations

import re
import shutil

import pytest

from export_readers import html_parse, pdf_text
from fixture_store import build_store
from matching_fixture import HOSTILE_PROVIDER, add_assistance
from needs_tracker.export import to_bytes
from needs_tracker.export.brief_assistance import NO_ASSISTANCE, AssistanceSection
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect


@pytest.fixture(autouse=True)
def no_charts(monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("plain") / "store.duckdb")


@pytest.fixture(scope="module")
def assisted_template(tmp_path_factory):
    location = build_store(tmp_path_factory.mktemp("assisted") / "store.duckdb")
    add_assistance(location)
    return location


@pytest.fixture
def assisted(assisted_template, isolated_store):
    shutil.copyfile(assisted_template, isolated_store)
    return str(isolated_store)


@pytest.fixture
def plain(plain_template, isolated_store):
    shutil.copyfile(plain_template, isolated_store)
    return str(isolated_store)


def html_section(f: NeedFilter) -> str:
    """The text of the HTML brief's Requests and offers section, whitespace collapsed."""
    text = " ".join(" ".join(html_parse(to_bytes("html", f)[0]).text).split())
    start = text.index("Requests and offers")
    end = text.find("Workshops quoted", start)
    return text[start:end if end > 0 else None].strip()


def test_the_section_counts_statuses_and_names_requests_and_offers(assisted):
    section = html_section(NeedFilter())
    assert section.startswith("Requests and offers 11 (state, gap) pairs: 5 open, 2 offered, 4 taken up. "
                              "2 formal requests on 2 pairs; 2 offers on 2 pairs, from 2 providers.")
    # the longest-open pairs, longest first, with the request dates
    assert re.search(r"Open longest Kazakhstan · Law enforcement capacity : open \d+ years \(since 2012\) "
                     r"Albania · Licensing : open \d+ years \(since 2016\); requested 2016-05-04 "
                     r"Uzbekistan · Dual-use identification : open \d+ years \(since 2018\); requested 2019-02-01",
                     section)
    # a state's table: the offer (who, when, to whom), an open gap, a gap taken up by a later event
    kaz = section[section.index("Kazakhstan (KAZ)"):section.index("Kyrgyzstan (KGZ)")]
    assert "Legal and regulatory framework offered in 2018 (raised 2018) none Japan (2018, to named states) none" \
        in kaz
    assert re.search(r"Law enforcement capacity open \d+ years \(since 2012\) none none none", kaz)
    assert "Border and customs control taken up in 2018 (raised 2012) none none Peer review, Vienna (2018)" in kaz


def test_a_formal_request_without_needs_still_gets_its_section(assisted):
    f = NeedFilter(states=("ALB",))
    for fmt in ("html", "pdf"):
        data = to_bytes(fmt, f)[0]
        text = " ".join((pdf_text(data) if fmt == "pdf" else " ".join(html_parse(data).text)).split())
        assert "Nothing matched these filters" in text
        assert "1 (state, gap) pair: 1 open, 0 offered, 0 taken up." in text
        assert "2016-05-04" in text


def test_a_store_without_offers_or_requests_says_so_in_one_line(plain):
    section = html_section(NeedFilter())
    assert section == ("Requests and offers 10 (state, gap) pairs: 6 open, 0 offered, 4 taken up. "
                       f"{NO_ASSISTANCE}")
    assert "no offers or requests" in NO_ASSISTANCE.lower()
    assert NO_ASSISTANCE in " ".join(pdf_text(to_bytes("pdf", NeedFilter())[0]).split())


def test_html_escapes_a_provider_name(assisted):
    raw = to_bytes("html", NeedFilter())[0].decode("utf-8")
    assert "<script>alert(2)" not in raw
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Trust (2016, to all participants)" in raw
    assert f"{HOSTILE_PROVIDER} (2016, to all participants)" in html_section(NeedFilter())


def test_the_pdf_holds_the_section(assisted):
    text = " ".join(pdf_text(to_bytes("pdf", NeedFilter())[0]).split())
    section = text[text.index("Requests and offers 11 (state, gap) pairs"):]
    assert "5 open, 2 offered, 4 taken up." in section
    assert "Japan (2018, to named states)" in section
    assert f"{HOSTILE_PROVIDER} (2016, to all participants)" in section
    assert re.search(r"Law enforcement capacity open \d+ years \(since 2012\)", section)


def test_the_section_follows_the_brief_filter(assisted):
    section = html_section(NeedFilter(states=("UZB",)))
    assert section.startswith("Requests and offers 1 (state, gap) pair: 1 open, 0 offered, 0 taken up. "
                              "1 formal request on 1 pair; 0 offers on 0 pairs, from 0 providers.")
    assert "Japan" not in section and "Kazakhstan" not in section


def test_a_large_selection_gets_a_paragraph_per_state(assisted, monkeypatch):
    import needs_tracker.export.brief_assistance as ba

    monkeypatch.setattr(ba, "MAX_TABLE_PAIRS", 3)  # the fixture's 11 pairs count as a large selection
    with connect(assisted) as con:
        section = AssistanceSection.read(con, NeedFilter())
    assert section.compact and section.events == {}
    assert section.paragraph_for("KAZ") == [
        ("Open (2):", section.paragraph_for("KAZ")[0][1]),
        ("Offered (1):", "Legal and regulatory framework (Japan 2018)"),
        ("Taken up (1):", "Border and customs control 2018"),
        ("Offers from:", "Japan (1)"),
    ]
    assert section.paragraph_for("UZB") == [("Open (1):", section.paragraph_for("UZB")[0][1]),
                                            ("Formal requests:", "Dual-use identification 2019-02-01")]
    assert re.fullmatch(r"Law enforcement capacity \(\d+ years\), Control lists \(years unknown\)",
                        section.paragraph_for("KAZ")[0][1])
    text = html_section(NeedFilter())
    assert "Kyrgyzstan (KGZ) Offered (1): Licensing (<script>alert(2)</script> Trust 2016)" in text
    pdf = " ".join(pdf_text(to_bytes("pdf", NeedFilter())[0]).split())
    assert "Offered (1): Legal and regulatory framework (Japan 2018)" in pdf
