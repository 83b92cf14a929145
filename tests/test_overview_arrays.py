"""The overview's five reads answered with numpy over the store's copy (``store.overview_arrays``)
must be the SQL reads' frames (``store.reads``), value for value, dtype for dtype and row for row,
change after change (the selections kept per filter met again with other words), on random
stores: sources of one event in different years, needs with no year or date, workshops sharing
their latest date, rejected and confirmed needs, a state without a region, filters of every kind.
The dashboard's overview reads them through ``ui.overview_reads`` (checked on a real AppTest run)."""

from __future__ import annotations

import random
import time
from datetime import date

import numpy as np
import pandas as pd
import pytest

from fixture_store import build_store
from needs_tracker.filters import NeedFilter
from needs_tracker.store import connect, matching_base, overview_arrays, reads, store_version
from needs_tracker.store.text_hits import text_hits

STATES = ["KAZ", "KGZ", "TJK", "UZB", "ALB", "CIV", "KEN", "FRA", "BRA", "JPN"]
GAPS = ["licensing", "border_customs_control", "control_lists", "physical_protection"]
STATUSES = ["extracted", "extracted", "extracted", "confirmed", "corrected", "manual", "rejected"]
WORDS = ["border", "licence", "staff", "equipment", "training"]
# Filter changes in a row: words alone and with other filters, so that a kept selection is met
# again with other words, and filters of every kind the sidebar sets.
CHANGES = [NeedFilter(), NeedFilter(text="border"), NeedFilter(text="staff"), NeedFilter(regions=("Asia",)),
           NeedFilter(text="border", regions=("Asia",)), NeedFilter(text="licen", regions=("Asia",)),
           NeedFilter(subregions=("Sub-Saharan Africa",)), NeedFilter(states=("KAZ", "FRA")),
           NeedFilter(categories=("licensing", "control_lists")), NeedFilter(year_from=2014),
           NeedFilter(year_to=2016, text="training"), NeedFilter(status="confirmed"),
           NeedFilter(organizer="unoda"), NeedFilter(text='"lacks border"'), NeedFilter(text="nothingmatches"),
           NeedFilter(workshops=(6, 7)), NeedFilter(regions=("Oceania",))]


def _random_store(location: str, seed: int) -> None:
    """Workshops over ten states and four gaps: years and dates missing or shared, needs of every
    status, organisers, and some workshops linked as sources of another's event (or split off)."""
    rnd = random.Random(seed)
    with connect(location) as con:
        con.execute("update states set region = null, subregion = null where iso3 = 'ALB'")
        made = []
        for n in range(rnd.randint(8, 20)):
            doc = f"o{seed}_{n}"
            year = rnd.choice([None, 2012, 2014, 2015, 2016, 2019])
            day = rnd.choice([None, date(2015, 3, 1), date(2016, 6, 1)]) if year else None  # dates shared
            con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', 1, 'x')",
                        [doc, f"{doc}.txt"])
            wid = con.execute("insert into workshops (document_id, title, kind, year, start_date) values "
                              "(?, ?, 'workshop', ?, ?) returning id",
                              [doc, rnd.choice([f"Workshop {doc}", None]), year, day]).fetchall()[0][0]
            made.append(wid)
            if rnd.random() < 0.4:
                con.execute("insert into workshop_organisations values (?, 'UNODA', 'organizer')", [wid])
            for _ in range(rnd.randint(0, 9)):
                state, gap = rnd.choice(STATES), rnd.choice(GAPS)
                con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, "
                            "rule, confidence, status) values (?, ?, ?, ?, 0, 5, 'r', 0.9, ?)",
                            [wid, state, gap, f"{state} lacks {gap} {rnd.choice(WORDS)} {rnd.choice(WORDS)}.",
                             rnd.choice(STATUSES)])
        for wid in rnd.sample(made, len(made) // 3):  # sources of another workshop's event
            event = rnd.choice(made)
            if event != wid:
                con.execute("insert into workshop_sources (workshop_id, event_id, linked_by) values (?, ?, ?)",
                            [wid, event, rnd.choice(["extracted", "extracted", "manual", "split"])])


def _answered(con, f: NeedFilter) -> NeedFilter:
    return f.with_text_hits(*text_hits(con, f)) if f.text else f


def _same(got: tuple, con, f: NeedFilter, tied_latest: bool = False) -> None:
    """``got`` is the SQL reads' answer on ``con``; ``tied_latest``: but for a heatmap cell's latest
    workshop, which, when two events share the cell's latest date, is the first row DuckDB meets:
    on the store, in the order of its joins, on the copy (which the page reads once it is built),
    in ``need_facts``' order, which the arrays follow."""
    for name, value in zip(overview_arrays.READS, got, strict=True):
        want = getattr(reads, name)(con, f)
        if isinstance(want, dict):
            assert value == want, (name, repr(f))
            continue
        if tied_latest and name == "heatmap":
            value, want = value.drop(columns="latest_workshop"), want.drop(columns="latest_workshop")
        pd.testing.assert_frame_equal(value, want, check_exact=True, obj=f"{name} under {f!r}")


@pytest.mark.parametrize("seed", range(8))
def test_the_arrays_give_the_sql_reads_frames_on_random_stores(tmp_path, seed):
    location = build_store(tmp_path / "random.duckdb")
    _random_store(location, seed)
    with connect(location) as con:
        base = matching_base.build(con)
        for f in [*CHANGES, *reversed(CHANGES)]:
            answered = _answered(con, f)
            got = overview_arrays.overview(base, answered)
            _same(got, base.reader(), answered)  # the SQL on the copy, where the page read them before
            _same(got, con, answered, tied_latest=True)  # and on the store


def test_the_latest_workshop_of_a_cell_whose_events_share_their_date_is_the_sqls(tmp_path):
    """Three events of one (state, gap) on the same latest date: the first met in the table's order,
    as DuckDB's ``arg_max`` keeps it on the copy."""
    location = build_store(tmp_path / "ties.duckdb")
    with connect(location) as con:
        for n in range(3):
            con.execute("insert into documents (id, file_name, format, size_bytes, text) values (?, ?, 'txt', 1, 'x')",
                        [f"t{n}", f"t{n}.txt"])
            wid = con.execute("insert into workshops (document_id, title, kind, year, start_date) values "
                              "(?, ?, 'workshop', 2030, date '2030-01-01') returning id",
                              [f"t{n}", f"Tied {n}"]).fetchall()[0][0]
            con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, "
                        "rule, confidence) values (?, 'KEN', 'licensing', 'Kenya lacks licensing.', 0, 5, 'r', 0.9)",
                        [wid])
        base = matching_base.build(con)
        (heat,) = overview_arrays.overview(base, NeedFilter(), ("heatmap",))
        want = reads.heatmap(base.reader(), NeedFilter())
    pd.testing.assert_frame_equal(heat, want)
    assert heat.loc[heat["state_iso3"].eq("KEN") & heat["category"].eq("licensing"), "latest_year"].tolist() == [2030]


def test_an_answer_older_than_a_need_does_not_select_it(tmp_path):
    """Bits sized before a need was added leave it out, as the SQL's bit test does."""
    location = build_store(tmp_path / "store.duckdb")
    with connect(location) as con:
        con.execute("insert into needs (workshop_id, state_iso3, category, evidence, span_start, span_end, rule, "
                    "confidence) values (1, 'KEN', 'licensing', 'Kenya lacks a licensing system.', 0, 5, 'r', 0.9)")
        base = matching_base.build(con)
        f = NeedFilter(text="lack")
        bits, size = text_hits(con, f)
        older = f.with_text_hits(bits[:-1], size - 1)
        assert bits[-1] == "1"  # the newest need holds the words, and the older answer does not know it
        _same(overview_arrays.overview(base, older), con, older)


def test_a_copy_keeps_the_needs_of_a_few_filters_only(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    with connect(location) as con:
        base = matching_base.build(con)
        for year in range(2000, 2000 + overview_arrays.KEEP_SELECTIONS + 5):
            f = NeedFilter(year_from=year)
            _same(overview_arrays.overview(base, f), con, f)
    facts = overview_arrays.facts(base)
    assert len(facts._selected) == overview_arrays.KEEP_SELECTIONS
    assert all(held.dtype == np.bool_ and len(held) == facts.rows for held in facts._selected.values())


def test_a_copy_without_need_facts_is_left_to_the_sql(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    with connect(location) as con:
        base = matching_base.build(con)
    base.has_need_facts = False  # as a copy of more than FACTS_KEPT_BELOW needs is built
    assert overview_arrays.overview(base, NeedFilter()) is None


def test_a_copy_built_in_the_background_reads_its_facts_there(tmp_path):
    location = build_store(tmp_path / "store.duckdb")
    base = matching_base.Bases().prepare(location, store_version(location), lambda: connect(location)).result(60)
    for _ in range(600):  # the arrays follow the copy and its words index on the copy's thread
        if "_overview_facts" in base.__dict__:
            break
        time.sleep(0.05)
    assert isinstance(base.__dict__.get("_overview_facts"), overview_arrays.Facts)
    with connect(location) as con:
        _same(overview_arrays.overview(base, NeedFilter()), con, NeedFilter())


@pytest.mark.usefixtures("fresh_streamlit")
def test_the_overview_page_draws_the_sql_reads_figures_from_the_arrays(isolated_store):
    """The real page on a store whose copy is built at once (a small one): it reads the arrays,
    and its numbers and its three charts are those the SQL reads' frames make, change after change."""
    import json

    import plotly.io

    from apptest_helpers import app
    from needs_tracker import figures
    from needs_tracker.ui import reads as ui_reads

    location = build_store(isolated_store)
    _random_store(location, 3)
    at = app("overview")
    base = ui_reads._BASES.ready(location, store_version(location))
    assert isinstance(base.__dict__.get("_overview_facts"), overview_arrays.Facts)

    def spec(fig) -> dict:
        return json.loads(plotly.io.to_json(fig, validate=False))

    for words, regions in (("", ()), ("border", ()), ("border", ("Asia",)), ("", ("Africa",)), ("staff", ())):
        at.text_input(key="flt_text").set_value(words)
        at.multiselect(key="flt_regions").set_value(list(regions))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        f = _answered(base.reader(), NeedFilter(text=words or None, regions=regions))
        con = base.reader()
        counts, by_state, heat = reads.counts(con, f), reads.by_state(con, f), reads.heatmap(con, f)
        shown = {m.label: m.value for m in at.metric}
        assert shown["Needs"] == f"{counts['needs']:,}" and shown["States"] == f"{counts['states']:,}"
        charts = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
        order = list(by_state["state_iso3"].head(at.selectbox(key="ov_top").value))
        want = {"ov_map": figures.world_map(by_state, value="needs", title="Needs reported, by state"),
                "ov_years": figures.needs_per_year(reads.by_year(con, f)),
                "ov_heatmap": figures.heatmap(heat[heat["state_iso3"].isin(order)], title="", clickable=True,
                                              row_order=tuple(order))}
        for key, fig in want.items():
            assert charts[key]["data"] == spec(fig)["data"], (key, words, regions)
