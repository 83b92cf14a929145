"""Every page of the dashboard through AppTest, on a store built from the bundled notes.

Assertions are on what must change with the filters: metrics, table rows, and the data
in each figure's spec (AppTest returns a plotly chart as an element holding its JSON).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from needs_tracker.ingest import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")
PAGES = "src/needs_tracker/ui/pages"
CENTRAL_ASIA = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("bundled") / "bundled.duckdb"
    ingest_paths([ROOT / "src" / "needs_tracker" / "data" / "notes"], location=str(location))
    return location


@pytest.fixture(autouse=True)
def clear_caches(monkeypatch):
    # AppTest scans every installed package for v2 components (about 0.5 s a run); the app uses none.
    from streamlit.components.v2.component_manager import BidiComponentManager

    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def store(bundled_store, isolated_store) -> Path:
    shutil.copy(bundled_store, isolated_store)
    return isolated_store


def app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def heatmap_spec(at: AppTest) -> dict:
    """The overview draws the heatmap as a grid of square markers (clickable cells)."""
    trace = next(c["data"][0] for c in charts(at) if c["data"] and c["data"][0].get("marker", {}).get(
        "symbol") == "square")
    return {"x": list(dict.fromkeys(trace["x"])), "y": list(dict.fromkeys(trace["y"])),
            "customdata": [[cd] for cd in trace["customdata"]], "text": trace["text"]}


def qp(at: AppTest) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


# --- overview ----------------------------------------------------------------------------

def test_overview_without_filter(store):
    at = app()
    assert metrics(at) == {"Workshops": "2", "States": "5", "Needs": "18", "Confirmed needs": "0"}
    heat = heatmap_spec(at)
    assert len(heat["y"]) == 5 and len(heat["x"]) == 4
    choropleth = next(c["data"][0] for c in charts(at) if c["data"] and c["data"][0]["type"] == "choropleth")
    assert set(choropleth["locations"]) == CENTRAL_ASIA
    assert at.get("plotly_chart")[0].proto.config and "/app/static/" in at.get("plotly_chart")[0].proto.config
    assert "no filter" in at.caption[0].value
    when = next(d.value for d in at.dataframe if "gaps" in d.value.columns).set_index("year")
    assert when.loc[2018, "states"] == "5: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan"
    assert when.loc[2018, "gaps"] == "Dual-use identification; Legal and regulatory framework"
    assert when.loc[2012, "states"] == "4: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan"
    assert when.loc[2012, "gaps"] == "Border and customs control; Law enforcement capacity"


def test_overview_2018_shows_five_states_with_legal_and_dual_use_gaps(store):
    at = app(year_from="2018")
    assert metrics(at)["States"] == "5" and metrics(at)["Workshops"] == "1"
    heat = heatmap_spec(at)
    assert heat["x"] == ["Dual-use identification", "Legal and regulatory framework"]
    assert {row[0][0] for row in heat["customdata"]} == CENTRAL_ASIA
    assert "2018 or later" in at.caption[0].value


def test_overview_2012_shows_four_states_with_enforcement_and_border_gaps(store):
    at = app(year_to="2012")
    assert metrics(at) == {"Workshops": "1", "States": "4", "Needs": "8", "Confirmed needs": "0"}
    heat = heatmap_spec(at)
    assert heat["x"] == ["Border and customs control", "Law enforcement capacity"]
    assert len(heat["y"]) == 4 and "Uzbekistan" not in heat["y"]
    years = next(c for c in charts(at) if c["data"] and c["data"][0]["type"] == "bar")
    assert {tuple(t["x"]) for t in years["data"]} == {("2012",)} or {tuple(t["x"]) for t in years["data"]} == {
        (2012,)}


def test_changing_a_widget_changes_numbers_and_url(store):
    at = app()
    at.multiselect(key="flt_states").set_value(["UZB"]).run()
    assert metrics(at)["Needs"] == "2"
    assert qp(at) == {"states": "UZB"}
    assert len(heatmap_spec(at)["y"]) == 1
    at.text_input(key="flt_text").set_value("regulatory").run()
    assert qp(at) == {"states": "UZB", "text": "regulatory"}
    assert "the evidence contains “regulatory”" in at.caption[0].value


def test_url_filters_url_round_trip(store):
    params = {"subregions": "Central Asia", "states": ["KAZ", "KGZ"], "categories": "border_customs_control",
              "year_from": "2012", "year_to": "2015", "organizer": "co-operation", "status": "all", "text": "border"}
    at = app(**params)
    assert at.multiselect(key="flt_states").value == ["KAZ", "KGZ"]
    assert at.multiselect(key="flt_categories").value == ["border_customs_control"]
    assert at.text_input(key="flt_text").value == "border"
    expected = {k: v for k, v in params.items() if k != "status"}  # "all" is the default: not written
    expected["year_to"] = "2015"
    got = qp(at)
    # the slider clamps to the stored years (2012–2018): 2015 stays, 2012 is the minimum so it is dropped
    expected.pop("year_from")
    assert got == expected
    assert metrics(at)["Needs"] == "2"


def test_clear_filters(store):
    at = app(year_to="2012", text="border")
    assert metrics(at)["Needs"] == "4"
    at.button(key="sidebar_clear").click().run()
    assert metrics(at)["Needs"] == "18"
    assert qp(at) == {}


def test_empty_result_says_so_and_offers_to_clear(store):
    at = app(text="no such words anywhere")
    assert not at.metric
    assert "No reported needs match" in at.info[0].value
    at.button(key="empty_clear").click().run()
    assert metrics(at)["Needs"] == "18"


def test_state_links_carry_the_filters(store):
    at = app(year_to="2012")
    links = {el.proto.label: el.proto for el in at.get("page_link")}
    assert set(links) == {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"}
    assert links["Kazakhstan"].page == "state"
    assert links["Kazakhstan"].query_string == "year_to=2012&state=KAZ"


# --- links that name nothing ------------------------------------------------------------

@pytest.mark.parametrize(("params", "said"), [
    ({"states": "XXX"}, "unknown state"),
    ({"year_from": "abc"}, "is not a year"),
    ({"status": "bogus"}, "is not one of all, confirmed"),
    ({"categories": "bogus"}, "unknown gap category"),
    ({"regions": "Nowhere"}, "unknown region"),
    ({"workshops": "abc"}, "are not workshop numbers"),
])
def test_a_link_value_that_names_nothing_is_left_out_with_a_message(store, params, said):
    at = app(**params)
    assert len(at.warning) == 1 and said in at.warning[0].value
    assert metrics(at)["Needs"] == "18"
    assert qp(at) == {}


def test_a_link_keeps_its_good_values(store):
    at = app(states=["UZB", "XXX"], year_from="2020", year_to="2010")
    warning = at.warning[0].value
    assert "XXX" in warning and "swapped" in warning and "outside the stored years" in warning
    assert qp(at) == {"states": "UZB"}
    assert metrics(at)["Needs"] == "2"


def test_an_unknown_state_or_workshop_in_the_link_says_so(store):
    at = app("state", state="XXX")
    assert "is not a state's ISO3 code" in at.warning[0].value and "Choose a state" in at.info[0].value
    at = app("state", state="<script>")
    assert "<script>" not in at.warning[0].value
    at = app("workshops", workshop="abc")
    assert "is not a workshop number" in at.warning[0].value and len(at.dataframe[0].value) == 2
    at = app("workshops", workshop="99999999999999999999999")
    assert "There is no workshop" in at.warning[0].value


# --- state profile -----------------------------------------------------------------------

def test_state_profile(store):
    at = app("state", state="KAZ")
    assert at.title[0].value == "📍 Kazakhstan"
    timeline = at.dataframe[0].value
    assert len(timeline) == 4
    status = dict(zip(timeline["gap"], timeline["status"], strict=True))
    assert status["Law enforcement capacity"].startswith("not reported since 2012")
    assert status["Legal and regulatory framework"] == "still reported (2018)"
    attended = at.dataframe[1].value
    assert len(attended) == 2 and "Border and customs control" in attended["topics"].iloc[0]
    evidence = " ".join(m.value for m in at.markdown)
    assert "law enforcement agencies is still a major issue" in evidence


def test_state_profile_filtered_to_a_category(store):
    """What a click on a heatmap cell opens."""
    at = app("state", state="KAZ", categories="border_customs_control")
    assert len(at.dataframe[0].value) == 1
    assert [e.label for e in at.expander] == ["Border and customs control — 1 need(s)"]
    assert "Law enforcement capacity" not in " ".join(m.value for m in at.markdown)


def test_state_page_without_state_offers_a_choice(store):
    at = app("state")
    assert "Choose a state" in at.info[0].value
    at.selectbox(key="state_choice_None").set_value("UZB").run()
    assert at.title[0].value == "📍 Uzbekistan"
    assert qp(at) == {"state": "UZB"}


# --- workshops ---------------------------------------------------------------------------

def test_workshops_table_follows_filters(store):
    assert len(app("workshops").dataframe[0].value) == 2
    at = app("workshops", year_from="2018")
    table = at.dataframe[0].value
    assert len(table) == 1 and table["needs"].iloc[0] == 10
    at.text_input(key="ws_search").set_value("no such workshop").run()
    assert "No workshop matches" in at.info[0].value


def test_workshop_page_marks_evidence_and_escapes_the_note(store, tmp_path):
    note = tmp_path / "hostile.txt"
    note.write_text(
        "Information Note\n\nEvent: Workshop on Licensing <b>bold</b>\n"
        "Organizers: UN Office for Disarmament Affairs\nDate and Venue: 10-11 June 2016, Bishkek, Kyrgyzstan\n"
        "Participants: States: Kyrgyzstan.\n\nHighlights\n\n"
        "Kyrgyzstan still needs assistance in developing its licensing system <script>alert(1)</script>.\n",
        encoding="utf-8")
    reports = ingest_paths([note])
    wid = reports[0].workshop_id
    at = app("workshops", workshop=str(wid))
    html = next(m.value for m in at.markdown if "<mark>" in m.value and "Highlights" in m.value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<mark>Kyrgyzstan still needs assistance" in html
    assert [el.proto.label for el in at.get("page_link")] == ["Kyrgyzstan", "Kyrgyzstan"]
    assert not [m.value for m in at.markdown if "<script>" in m.value or "<b>bold" in m.value]


def test_markdown_in_a_note_stays_words(store, tmp_path):
    note = tmp_path / "markdown.txt"
    note.write_text(
        "Information Note\n\nEvent: Workshop on **Licensing** [click](http://evil.example)\n"
        "Organizers: UN Office for Disarmament Affairs\nDate and Venue: 10-11 June 2016, Bishkek, Kyrgyzstan\n"
        "Participants: States: Kyrgyzstan.\n\nHighlights\n\n    indented ![x](http://evil.example/t.png) $x^2$\n\n"
        "Kyrgyzstan still needs assistance in developing its licensing system ![t](http://evil.example/t.png).\n",
        encoding="utf-8")
    wid = ingest_paths([note])[0].workshop_id
    at = app("workshops", workshop=str(wid))
    assert "\\[click\\]\\(http" in at.title[0].value and "](http" not in at.title[0].value
    html = next(m.value for m in at.markdown if "Highlights" in m.value)
    assert "\n" not in html  # one line: markdown keeps it as one raw HTML block
    assert "](http" not in html and "![" not in html and "$x^2$" not in html
    assert "&#91;click&#93;(http&#58;//evil.example)" in html
    assert not [m.value for m in at.markdown if "](http://evil" in m.value]


def test_bundled_workshop_page_lists_participants_and_gaps(store):
    at = app("workshops", workshop="2")
    assert at.title[0].value.startswith("Workshop on Customs Procedures")
    links = [el.proto.label for el in at.get("page_link")]
    assert "Mongolia" in links and "Kazakhstan" in links
    note = next(m.value for m in at.markdown if "<mark>" in m.value and "Information Note" in m.value)
    assert note.count("<mark>") == 2


# --- gap finder and search -----------------------------------------------------------------

def test_gap_finder(store):
    at = app("gaps")
    table = at.dataframe[0].value
    assert len(table) == 18
    assert "reported once in 2018, no later event on it" in set(table["summary"])
    assert "reported once in 2012, taken up by a later event in 2018" in set(table["summary"])
    at.toggle(key="gaps_open").set_value(True).run()
    assert len(at.dataframe[0].value) == 14
    at = app("gaps", states="UZB")
    assert len(at.dataframe[0].value) == 2


def test_text_search_marks_hits(store):
    at = app("search", text="law enforcement")
    hits = [m.value for m in at.markdown if "<mark>" in m.value]
    assert len(hits) == 8
    assert all("<mark>law enforcement</mark>" in h for h in hits)
    at = app("search", text="zzz no hit")
    assert "No evidence sentences match" in at.info[0].value
    at = app("search")
    assert not [m for m in at.markdown if "<mark>" in m.value]
    at.text_input(key="search_box").set_value("border").run()
    assert qp(at) == {"text": "border"}
    assert len([m for m in at.markdown if "<mark>border</mark>" in m.value]) == 4


def test_download_builder_follows_the_filter(store):
    pytest.importorskip("needs_tracker.export")
    from needs_tracker.filters import NeedFilter
    from needs_tracker.ui import common

    data, mime, name = common._export_bytes("csv", common.filter_key(NeedFilter(states=("UZB",))),
                                            common.store_key())
    assert mime.startswith("text/csv") and name.endswith(".csv")
    text = data.decode("utf-8-sig")
    assert "Uzbekistan" in text and "Kazakhstan" not in text


# --- store states --------------------------------------------------------------------------

def test_missing_store_is_built_from_the_bundled_notes(isolated_store):
    assert not isolated_store.exists()
    at = app()
    assert metrics(at)["Needs"] == "18"
    assert isolated_store.exists()


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


def test_download_is_built_only_when_asked(store):
    pytest.importorskip("needs_tracker.export")
    at = app()
    assert not at.get("download_button")
    at.toggle(key="ov_download_prep").set_value(True).run()
    assert not at.exception and not at.warning
    assert len(at.get("download_button")) == 1
    assert app("state", state="UZB").toggle(key="state_brief_prep").label == "Prepare the state brief (PDF)"


def test_a_rerun_that_changes_nothing_opens_no_store_and_builds_nothing(store, monkeypatch):
    from needs_tracker import db, export
    from needs_tracker.ui import common

    calls: list[str] = []

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(db, "open_connection", counted("open", db.open_connection))
    monkeypatch.setattr(db, "store_version", counted("version", db.store_version))
    monkeypatch.setattr(export, "to_bytes", counted("export", export.to_bytes))
    for name in list(common._FIGURES):
        monkeypatch.setitem(common._FIGURES, name, counted("figure", common._FIGURES[name]))
    for page, params in ((None, {}), ("state", {"state": "KAZ"}), ("workshops", {"workshop": "1"}), ("gaps", {}),
                         ("search", {"text": "border"}), ("review", {}), ("audit", {})):
        at = app(page, **params)
        calls.clear()
        at.run()
        assert not at.exception
        assert calls == ["version"], (page, calls)  # one look at the store file, nothing else
