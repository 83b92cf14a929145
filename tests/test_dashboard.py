"""Every page of the dashboard through AppTest, on a store written row by row
(tests/fixture_store.py), so what the pages show does not depend on the extraction rules.

The store holds a workshop without date, year, title or venue, one with only a year and one
naming no state: every page must treat them as ordinary ("date unknown", "year unknown").
Assertions are on what must change with the filters: metrics, table rows, the URL, and the
data in each figure's spec (AppTest returns a plotly chart as an element holding its JSON).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_helpers import APP, PAGES, app

pytestmark = pytest.mark.usefixtures("fresh_streamlit")
ALL = {"Workshops": "5", "States": "6", "Needs": "11", "Confirmed needs": "1"}


@pytest.fixture
def store(dashboard_store) -> Path:
    return dashboard_store


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def chart(at: AppTest, kind: str, symbol: str | None = None) -> dict:
    return next(c for c in charts(at) if c["data"] and c["data"][0]["type"] == kind
                and (symbol is None or c["data"][0].get("marker", {}).get("symbol") == symbol))


def heatmap_rows(at: AppTest) -> list[str]:
    """The heatmap's row labels, top to bottom (clickable cells are square scatter markers)."""
    return list(reversed(chart(at, "scatter", "square")["layout"]["yaxis"]["categoryarray"]))


def qp(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def table(at: AppTest, *columns: str):
    """The dataframe shown with exactly these columns."""
    return next(d.value for d in at.dataframe if list(d.value.columns) == list(columns))


def page_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


# --- every page on a store with missing dates, years, venues and states --------------------

@pytest.mark.parametrize(("page", "params"), [
    (None, {}), ("state", {"state": "CIV"}), ("state", {"state": "KAZ"}), ("workshops", {}),
    ("workshops", {"workshop": "3"}), ("workshops", {"workshop": "4"}), ("workshops", {"workshop": "5"}),
    ("gaps", {}), ("search", {"text": "lack"}), ("review", {}), ("upload", {}), ("audit", {}),
])
def test_every_page_draws_on_workshops_without_date_year_venue_or_states(store, page, params):
    app(page, **params)


def test_overview_counts_and_year_unknown_rows(store):
    at = app()
    assert metrics(at) == ALL
    when = next(d.value for d in at.dataframe if "gaps" in d.value.columns).set_index("year")
    assert list(when.index) == ["2012", "2015", "2016", "2018", "year unknown"]
    assert when.loc["year unknown", "states"] == "2: Côte d'Ivoire, Kazakhstan"
    years = chart(at, "bar")
    assert years["data"][0]["x"][-1] == "year unknown"
    assert sum(sum(t["y"]) for t in years["data"]) == 11  # nothing silently dropped
    assert years["layout"]["legend"]["orientation"] == "v"  # beside the plot, never over the year labels
    assert "no filter" in at.caption[0].value


def test_a_year_filter_leaves_out_unknown_years_and_says_so(store):
    at = app(year_from="2012")
    assert at.selectbox(key="flt_year_from").value == 2012  # "since 2012" though 2012 is the first year
    assert qp(at) == {"year_from": "2012"}
    assert metrics(at)["Needs"] == "9"  # the two needs of unknown year are left out
    assert any("year is unknown are left out" in c.value for c in at.sidebar.caption)


def test_heatmap_shows_the_top_states_sorted_by_needs_and_drills_into_subregions(store):
    at = app()
    assert heatmap_rows(at)[0] == "Kazakhstan"  # most needs first
    at.selectbox(key="ov_top").set_value(10).run()
    assert qp(at) == {"ov_top": "10"}
    at.radio(key="ov_rows").set_value("subregions").run()
    assert qp(at) == {"ov_rows": "subregions"}
    assert set(heatmap_rows(at)) == {"Central Asia", "Sub-Saharan Africa"}
    at = app(ov_group="Sub-Saharan Africa")
    assert heatmap_rows(at) == ["Côte d'Ivoire"]
    at = app(ov_group="**Atlantis**")
    assert "sub-region “\\*\\*Atlantis\\*\\*”" in at.warning[0].value and len(heatmap_rows(at)) == 6


def test_state_links_are_sorted_full_names_with_a_search(store):
    at = app()
    states = table(at, "state", "needs", "profile")
    assert list(states["state"]) == sorted(states["state"]) and "Côte d'Ivoire" in list(states["state"])
    assert states["profile"].iloc[0] == "./state?state=CIV"
    at.text_input(key="ov_states_q").set_value("stan").run()
    states = table(at, "state", "needs", "profile")
    assert list(states["state"]) == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]


def test_map_fits_the_selection_and_its_colour_bar_is_shorter_than_the_map(store):
    choropleth = chart(app(), "choropleth")
    assert choropleth["layout"]["geo"]["fitbounds"] == "locations"
    assert choropleth["data"][0]["colorbar"]["len"] < 1


# --- filters and the URL ---------------------------------------------------------------------

def test_changing_a_widget_changes_numbers_and_url(store):
    at = app()
    at.multiselect(key="flt_states").set_value(["UZB"]).run()
    assert metrics(at)["Needs"] == "1"
    assert qp(at) == {"states": "UZB"}
    at.text_input(key="flt_text").set_value("identifying").run()
    assert qp(at) == {"states": "UZB", "text": "identifying"}
    assert "the evidence has the words “identifying”" in at.caption[0].value


def test_url_filters_round_trip(store):
    params = {"subregions": "Central Asia", "states": ["KAZ", "KGZ"], "categories": "border_customs_control",
              "year_from": "2012", "year_to": "2015", "organizer": "UNODA", "text": "border"}
    at = app(**params)
    assert at.multiselect(key="flt_states").value == ["KAZ", "KGZ"]
    assert qp(at) == params
    assert metrics(at)["Needs"] == "3"


def test_clear_filters(store):
    at = app(year_to="2012", text="border")
    assert metrics(at)["Needs"] == "4"
    at.button(key="sidebar_clear").click().run()
    assert metrics(at) == ALL
    assert qp(at) == {}


def test_empty_result_says_so_and_offers_to_clear(store):
    at = app(text="nosuchword")
    assert not at.metric
    assert "No reported needs match" in at.info[0].value
    at.button(key="empty_clear").click().run()
    assert metrics(at) == ALL


@pytest.mark.parametrize(("params", "said"), [
    ({"states": "XXX"}, "unknown state"),
    ({"year_from": "abc"}, "is not a year"),
    ({"year_from": "²"}, "is not a year"),
    ({"year_from": "--5"}, "is not a year"),
    ({"workshops": "²"}, "is not a workshop number"),
    ({"status": "bogus"}, "is not one of all, confirmed"),
    ({"categories": "bogus"}, "unknown category"),
    ({"regions": "Nowhere"}, "unknown region"),
])
def test_a_link_value_that_names_nothing_is_left_out_with_one_message(store, params, said):
    at = app(**params)
    assert len(at.warning) == 1 and said in at.warning[0].value.replace("\\", "")
    assert metrics(at) == ALL
    assert qp(at) == {}


def test_a_link_keeps_its_good_values(store):
    at = app(states=["UZB", "XXX"], year_from="2020", year_to="2010")
    warning = at.warning[0].value
    assert "XXX" in warning and "swapped" in warning
    assert qp(at) == {"states": "UZB", "year_from": "2010", "year_to": "2020"}
    assert metrics(at)["Needs"] == "1"


@pytest.mark.parametrize(("page", "params", "said"), [
    ("state", {"state": "XXX"}, "is not a state's ISO3 code"),
    ("state", {"state": " "}, "The link names no state"),
    ("state", {"state": "<script>"}, "is not a state's ISO3 code"),
    ("workshops", {"workshop": "²"}, "is not a workshop number"),
    ("workshops", {"workshop": "abc"}, "is not a workshop number"),
    ("workshops", {"workshop": "99999999999999999999999"}, "is not a workshop number"),
    ("workshops", {"workshop": "999"}, "There is no workshop"),
    ("state", {"state": "KAZ", "gap": "bogus"}, "is not a gap category"),
])
def test_a_page_parameter_that_names_nothing_says_so(store, page, params, said):
    at = app(page, **params)
    assert said in at.warning[0].value and "<script>" not in at.warning[0].value


# --- state profile -----------------------------------------------------------------------

def test_state_profile_with_unknown_years(store):
    at = app("state", state="KAZ")
    assert at.title[0].value == "Kazakhstan"
    timeline = at.dataframe[0].value.set_index("gap")
    assert timeline.loc["Control lists", "status"] == "reported, year unknown"
    assert timeline.loc["Control lists", "first reported"] == "year unknown"
    assert timeline.loc["Legal and regulatory framework", "status"] == "still reported (2018)"
    fig = chart(at, "scatter")
    assert "year unknown" in fig["layout"]["xaxis"]["ticktext"]
    legend = {t["name"] for t in fig["data"] if t.get("showlegend")}
    assert {"still reported", "reported that year", "year unknown"} <= legend
    attended = at.dataframe[-1].value
    assert "date unknown" in set(attended["date"]) and "venue unknown" in set(attended["venue"])


def test_state_profile_opens_the_first_sections_and_a_linked_gap(store):
    at = app("state", state="KAZ")
    assert [e.proto.expanded for e in at.expander if "need(s)" in e.label] == [True, True, False, False]
    at = app("state", state="KAZ", gap="control_lists")
    opened = [e.label for e in at.expander if "need(s)" in e.label and e.proto.expanded]
    assert opened == ["Control lists — 1 need(s)"]
    assert metrics(at) == {} and qp(at)["gap"] == "control_lists"


def test_state_comparison_of_two_years_is_in_the_url(store):
    at = app("state", state="KAZ", cmp="years", cmp_a="2012", cmp_b="2018")
    compared = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert dict(zip(compared["gap"], compared["change"], strict=True)) == {
        "Border and customs control": "only in the first", "Law enforcement capacity": "only in the first",
        "Legal and regulatory framework": "only in the second"}
    at.selectbox(key="cmp_b").set_value("2015").run()
    assert qp(at)["cmp_b"] == "2015"
    compared = next(d.value for d in at.dataframe if "change" in d.value.columns)
    assert "Border and customs control" in set(compared["gap"])


def test_state_page_without_state_offers_a_choice(store):
    at = app("state")
    assert "Choose a state" in at.info[0].value
    at.selectbox(key="state_choice_None").set_value("UZB").run()
    assert at.title[0].value == "Uzbekistan"
    assert qp(at) == {"state": "UZB"}


# --- workshops ---------------------------------------------------------------------------

def test_workshops_table_with_unknown_dates_and_a_search_in_the_url(store):
    table = app("workshops").dataframe[0].value
    assert len(table) == 6
    assert "date unknown" in set(table["date"]) and "untitled workshop" in set(table["workshop"])
    at = app("workshops", q="vienna")
    assert list(at.dataframe[0].value["workshop"]) == ["Peer review, Vienna"]
    at.text_input(key="ws_search").set_value("no such workshop").run()
    assert "No workshop matches" in at.info[0].value
    assert qp(at) == {"q": "no such workshop"}


def test_workshop_without_date_or_venue(store):
    at = app("workshops", workshop="3")
    text = page_text(at)
    assert "date unknown" in text and "venue unknown" in text


def test_workshop_page_escapes_the_note(store):
    at = app("workshops", workshop="6")
    # the exact markdown source: every special character escaped, and a word joiner (U+2060)
    # inside "http://", which remark-gfm would otherwise make a live link after decoding
    assert at.title[0].value == ("Workshop on \\*\\*Licensing\\*\\* \\[click\\]\\(http\u2060\\://evil\\.example\\) "
                                 "\\<b\\>bold\\</b\\>")
    html = next(m.value for m in at.markdown if "<mark>" in m.value and "white-space" in m.value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "\n" not in html and "](http" not in html and "$x^2$" not in html
    assert not [m.value for m in at.markdown if "<script>" in m.value or "<b>bold" in m.value]


@pytest.mark.parametrize(("text", "source"), [
    ("see http://evil.example/p", "see http\u2060\\://evil\\.example/p"),
    ("WWW.evil.org or a@b.example", "WWW\u2060\\.evil\\.org or a\u2060@b\\.example"),
    (":material/warning: :streamlit: :+1: at 10:30", "\\:\u2060material/warning\\: \\:\u2060streamlit\\: "
                                                     "\\:\u2060\\+1\\: at 10\\:30"),
    ("a -> b -- c >= d <- e x->y", "a \\-\u2060\\> b \\-\u2060\\- c \\>\u2060= d \\<\u2060\\- e x\\-\\>y"),
    ("&amp; $x$ ~~s~~ | # 1.", "\\&amp; \\$x\\$ \\~\\~s\\~\\~ \\| \\# 1\\."),
    ("Côte d’Ivoire\n\t 10:30 file_name.pdf", "Côte d’Ivoire 10\\:30 file\\_name\\.pdf"),  # no joiner needed
    (None, ""),
])
def test_md_escape_source(text, source):
    from needs_tracker.ui.common import md_escape, quoted

    assert md_escape(text) == source
    assert quoted(text or "", limit=500) == f"“{source}”"


# --- gap finder and search -----------------------------------------------------------------

def test_gap_finder_settings_and_selection_are_in_the_url(store):
    at = app("gaps")
    assert len(at.dataframe[0].value) == 10
    at.toggle(key="gaps_open").set_value(True).run()
    assert qp(at) == {"open": "1"} and len(at.dataframe[0].value) == 6  # the 2018 workshop took up the border gaps
    at.toggle(key="gaps_open").set_value(False).run()
    at.number_input(key="gaps_min").set_value(2).run()
    assert qp(at) == {"min": "2"}
    assert list(at.dataframe[0].value["gap"]) == ["Border and customs control"]
    at = app("gaps", pair="CIV:licensing")
    assert at.subheader[0].value == "Côte d'Ivoire · Licensing"
    assert "(year unknown)" in page_text(at)


def test_search_by_stems_any_order_one_row_per_sentence(store):
    at = app("search", text="border control")
    hits = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(hits) == 1 and hits[0].count("<blockquote") == 1  # one sentence, though four states reported it
    assert hits[0].count("./state?") == 4
    assert "<mark>border</mark> and export/import <mark>controls</mark>" in hits[0]
    assert "**1** sentence(s) in **1** workshop(s), **4** state(s)" in page_text(at)


def test_search_stems_and_phrases(store):
    assert "<mark>licensing</mark>" in page_text(app("search", text="licens"))
    at = app("search", text='"border control"')
    assert "No evidence sentences match" in at.info[0].value
    text = page_text(app("search", text="<b>dual"))
    assert "<mark>dual</mark>" in text and "<b>dual" not in text


# --- downloads and store states ------------------------------------------------------------

def test_downloads_are_one_action_and_named_after_the_filter(store):
    at = app(states="KAZ", year_from="2012", year_to="2018")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["CSV", "Excel", "JSON", "Parquet", "HTML brief", "PDF brief"]
    from needs_tracker.filters import NeedFilter
    from needs_tracker.ui.downloads import file_name

    assert file_name(NeedFilter(states=("KAZ",), year_from=2012, year_to=2018), "xlsx") == "needs-KAZ-2012-2018.xlsx"


def test_locked_store_gives_one_clear_message(store, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_LOCK_WAIT", "0.2")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(60)", str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception
        assert len(at.error) == 1
        assert "in use by process" in at.error[0].value and str(holder.pid) in at.error[0].value
    finally:
        holder.kill()
        holder.wait(timeout=10)
    time.sleep(0.1)


def test_a_rerun_that_changes_nothing_opens_no_store_and_builds_nothing(store, monkeypatch):
    from needs_tracker import export, figures
    from needs_tracker.store import connection

    calls: list[str] = []

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(connection, "open_connection", counted("open", connection.open_connection))
    monkeypatch.setattr(connection, "store_version", counted("version", connection.store_version))
    monkeypatch.setattr(export, "to_bytes", counted("export", export.to_bytes))
    for name in ("heatmap", "world_map", "needs_per_year", "state_timeline"):
        monkeypatch.setattr(figures, name, counted("figure", getattr(figures, name)))
    for page, params in ((None, {}), ("state", {"state": "KAZ"}), ("workshops", {"workshop": "1"}), ("gaps", {}),
                         ("search", {"text": "border"}), ("review", {}), ("audit", {})):
        at = app(page, **params)
        calls.clear()
        at.run()
        assert not at.exception
        assert calls == ["version"], (page, calls)  # one look at the store file, nothing else


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html", "pdf"])
def test_every_download_builds_on_workshops_without_years(store, fmt, monkeypatch):
    monkeypatch.setenv("NEEDS_TRACKER_CHARTS", "off")  # chart images are the export module's own tests
    from needs_tracker.filters import NeedFilter
    from needs_tracker.ui.downloads import _builder

    for f in (NeedFilter(), NeedFilter(states=("KAZ", "CIV"))):
        data = _builder(fmt, f, str(store))()
        assert not data.startswith(b"The " + fmt.encode() + b" file could not be written"), data[:200]
        assert len(data) > 500


def test_a_viewer_visit_writes_nothing_into_an_empty_store(isolated_store):
    from needs_tracker.store import connect

    with connect(str(isolated_store)) as con:  # an existing store that holds no notes
        con.execute("select 1").fetchall()
    at = app()
    assert "No reported needs match" in at.info[0].value
    with connect(str(isolated_store)) as con:
        assert con.execute("select count(*) from documents").fetchall() == [(0,)]


def test_a_missing_store_is_built_from_the_bundled_notes_on_first_start(isolated_store):
    assert not isolated_store.exists()
    at = app()
    assert isolated_store.exists() and int(metrics(at)["Needs"].replace(",", "")) > 0


def test_editor_pages_have_no_sidebar_filters_and_the_filter_survives_a_visit(store):
    at = app(states="UZB")
    assert metrics(at)["Needs"] == "1"
    at.switch_page(f"{PAGES}/review.py").run()
    assert not at.exception and not [w for w in at.sidebar.multiselect if w.key == "flt_states"]
    at.switch_page(f"{PAGES}/overview.py").run()
    assert metrics(at)["Needs"] == "1" and qp(at) == {"states": "UZB"}
