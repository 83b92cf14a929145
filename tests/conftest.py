"""Shared fixtures: every test gets its own store, so nothing ever touches data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_DIR = SHARED / "seeds"
CORPUS_DIR = SHARED / "corpus"
PROJECT_DIR = Path(__file__).resolve().parents[1]
BUNDLED_NOTES = PROJECT_DIR / "src" / "needs_tracker" / "data" / "notes"


# The longest files run first (the slowest of a full run, longest first): with pytest-xdist
# (scripts/test.sh: ``--dist loadfile --no-loadscope-reorder``) a worker takes a file at a time in this
# order, so the minute-long wheel build starts at once instead of leaving one worker busy after the
# other has finished (xdist's own order, most tests first, put the one-test wheel file last). Run in one
# process, the order changes nothing: every test has its own store and folder.
LONGEST_FILES = ("test_wheel.py", "test_offers.py", "test_hostile.py", "test_overview_arrays.py",
                 "test_matching_base.py", "test_quality_floors.py", "test_concurrency.py", "test_dashboard.py",
                 "test_export.py")


def pytest_collection_modifyitems(config, items):
    first = {name: rank for rank, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: first.get(item.path.name, len(first)))  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Point NEEDS_TRACKER_DB at a fresh file in this test's temporary folder."""
    db = tmp_path / "store.duckdb"
    monkeypatch.setenv("NEEDS_TRACKER_DB", str(db))
    return db


@pytest.fixture
def fresh_streamlit(monkeypatch):
    """What each test of an AppTest file needs first. Streamlit's caches outlive an AppTest, so one
    test's store would be read by the next: they are emptied. AppTest scans every installed package
    for v2 components (about 0.5 s a run) and the app uses none: the scan is skipped. Not autouse:
    an AppTest file opts in (``pytestmark = pytest.mark.usefixtures("fresh_streamlit")``, or a
    fixture of its own asks for it), and the other tests never import Streamlit."""
    import streamlit as st
    from streamlit.components.v2.component_manager import BidiComponentManager

    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)
    st.cache_data.clear()
    st.cache_resource.clear()


# Two notes written for the tests and stored row by row through the store's write functions,
# not by the extractor: a rule change alters what extraction yields, never these fixtures.
FIXTURE_NOTES = {
    "vienna_2018.txt": (
        "Workshop on Export Control Licensing\n\n"
        "Dates: 12-14 March 2018. Venue: Vienna, Austria.\n\n"
        "Participants: Kazakhstan, Kyrgyzstan, Tajikistan.\n\n"
        "Kazakhstan noted the lack of a national control list.\n"
        "Kyrgyzstan reported a need for training of customs officers.\n"
        "Tajikistan requested assistance with detection equipment at border crossings.\n"
        "Kazakhstan also asked for support in drafting licensing regulations.\n",
        dict(title="Workshop on Export Control Licensing", start=(2018, 3, 12), end=(2018, 3, 14),
             city="Vienna", country=("AUT", "Austria"), organizers=["UNODA"],
             participants=[("KAZ", "Kazakhstan", "participant"), ("KGZ", "Kyrgyzstan", "participant"),
                           ("TJK", "Tajikistan", "participant")],
             needs=[("KAZ", "control_lists", "Kazakhstan noted the lack of a national control list.", 0.55),
                    ("KGZ", "training_capacity_building",
                     "Kyrgyzstan reported a need for training of customs officers.", 0.8),
                    ("TJK", "detection_equipment",
                     "Tajikistan requested assistance with detection equipment at border crossings.", 0.7),
                    ("KAZ", "licensing", "Kazakhstan also asked for support in drafting licensing regulations.",
                     0.9)],
             topics=[("licensing", "Workshop on Export Control Licensing")])),
    "ashgabat_2012.txt": (
        "Seminar on Border Security\n\n"
        "Dates: 5 June 2012. Venue: Ashgabat, Turkmenistan.\n\n"
        "Participants: Turkmenistan, Uzbekistan.\n\n"
        "Uzbekistan reported gaps in its legal framework for brokering.\n"
        "Turkmenistan noted the need for interagency cooperation.\n",
        dict(title="Seminar on Border Security", start=(2012, 6, 5), end=(2012, 6, 5), city="Ashgabat",
             country=("TKM", "Turkmenistan"), organizers=["OSCE"],
             participants=[("TKM", "Turkmenistan", "host"), ("UZB", "Uzbekistan", "participant")],
             needs=[("UZB", "legal_regulatory_framework",
                     "Uzbekistan reported gaps in its legal framework for brokering.", 0.6),
                    ("TKM", "interagency_cooperation", "Turkmenistan noted the need for interagency cooperation.",
                     0.75)],
             topics=[("border_customs_control", "Seminar on Border Security")])),
}
FIXTURE_COUNTS = {"documents": 2, "events": 2, "states": 5, "needs": 6}


def fixture_document(name: str, text: str):
    import hashlib

    from needs_tracker.readers import SourceDocument

    data = text.encode("utf-8")
    return SourceDocument(path=name, file_name=name, format="txt", sha256=hashlib.sha256(data).hexdigest(),
                          size_bytes=len(data), text=text, encoding="utf-8")


def fixture_extraction(text: str, spec: dict):
    from datetime import date

    from needs_tracker.extract.model import Extraction, NeedRecord, Participant, TopicRecord

    def span(quote: str) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)

    return Extraction(
        title=spec["title"], start_date=date(*spec["start"]), end_date=date(*spec["end"]), date_precision="day",
        year=spec["start"][0], venue_city=spec["city"], venue_country_iso3=spec["country"][0],
        venue_country=spec["country"][1], organizers=spec["organizers"],
        participants=[Participant(iso3, name, role, name) for iso3, name, role in spec["participants"]],
        topics=[TopicRecord(cat, quote, *span(quote)) for cat, quote in spec["topics"]],
        needs=[NeedRecord(iso3, cat, quote, *span(quote), conf, "fixture") for iso3, cat, quote, conf in spec["needs"]],
    )


def build_fixture_store(location: str) -> None:
    """Store FIXTURE_NOTES through the store's own write functions (no extractor, no audit rows)."""
    from needs_tracker import store
    from needs_tracker.store import writes

    def work(con):
        for name, (text, spec) in FIXTURE_NOTES.items():
            doc = fixture_document(name, text)
            writes.insert_document(con, doc)
            workshop_id = writes.new_workshop(con, doc.sha256)
            writes.merge_extraction(con, workshop_id, fixture_extraction(text, spec), text=text)

    store.write(location, work)


@pytest.fixture(scope="session")
def template_store(tmp_path_factory):
    """The bundled notes, extracted and stored once per test run (without audit rows, as a store
    handed over would be); tests get a copy (``store``). Dashboard and export tests still use it;
    tests of the store and the CLI use ``built_store``, which does not depend on the rules."""
    from needs_tracker import store
    from needs_tracker.extract import extract
    from needs_tracker.readers import iter_note_files, read_document
    from needs_tracker.store import writes

    path = tmp_path_factory.mktemp("template") / "store.duckdb"
    docs = [read_document(p) for p in iter_note_files([BUNDLED_NOTES])]
    items = [(doc, extract(doc.text)) for doc in docs]
    store.write(str(path), lambda con: writes.insert_new_batch(con, items))
    return path


@pytest.fixture
def store(template_store, isolated_store) -> str:
    """A store of the bundled notes at this test's NEEDS_TRACKER_DB."""
    shutil.copy(template_store, isolated_store)
    return str(isolated_store)


@pytest.fixture
def bundled_store(template_store, isolated_store) -> str:
    """The bundled notes as the current rules extract them: for tests of reprocess, which re-runs
    those rules over the stored text and must find what it stored."""
    shutil.copy(template_store, isolated_store)
    return str(isolated_store)


@pytest.fixture(scope="session")
def dashboard_template(tmp_path_factory) -> Path:
    """tests/fixture_store.py's five workshops (the dashboard's fixture), written once per test run."""
    from fixture_store import build_store

    return Path(build_store(tmp_path_factory.mktemp("fixture") / "fixture.duckdb"))


@pytest.fixture
def dashboard_store(dashboard_template, isolated_store) -> Path:
    """A copy of the dashboard's fixture store at this test's NEEDS_TRACKER_DB."""
    shutil.copy(dashboard_template, isolated_store)
    return isolated_store


@pytest.fixture(scope="session")
def built_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("built") / "store.duckdb"
    build_fixture_store(str(path))
    return path


@pytest.fixture
def built_store(built_template, isolated_store) -> str:
    """A store of FIXTURE_NOTES, written row by row (no extractor), at this test's NEEDS_TRACKER_DB."""
    shutil.copy(built_template, isolated_store)
    return str(isolated_store)


def needs_shared(path: Path) -> Path:
    """Skip cleanly where ../shared is absent (a user's clone has none)."""
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine")
    return path


@pytest.fixture
def packaged_offer_file(monkeypatch):
    """Point one packaged offer model file (``"PACKAGED"``: the sentence model, ``"REFINER"``: the category
    refiner) at another file for one test, forgetting what was loaded before and after."""
    from needs_tracker.learn import offer_runtime

    def point(which: str, path) -> None:
        monkeypatch.setattr(offer_runtime, which, path)
        offer_runtime._packaged.cache_clear()
    yield point
    offer_runtime._packaged.cache_clear()
