"""The sidebar filters, mirrored in the URL's query string.

The URL is the source of truth when it carries filter keys that differ from what this
session last wrote (a shared link, a page link, Back/Forward): the widgets are set from it.
When it carries none (the sidebar navigation drops query strings) the session's filters stay
and are written back, so every page shares one filter and every view has a stable URL.
A link value that names nothing known (``?states=XXX``, ``?year_from=²``) is left out, and
the page says which and why (``NeedFilter.parse``, the one parser of a filter).
"""

from __future__ import annotations

from dataclasses import fields

import streamlit as st

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.filters import STATUS_CHOICES, NeedFilter
from needs_tracker.store import reads
from needs_tracker.taxonomy import category_ids
from needs_tracker.ui import links
from needs_tracker.ui.common import md_escape
from needs_tracker.ui.reads import FILTER_STATE_KEY, read

FILTER_KEYS = tuple(f.name for f in fields(NeedFilter))
LAST_KEY = "nt_filter_last"
W = {  # widget keys
    "regions": "flt_regions",
    "subregions": "flt_subregions",
    "states": "flt_states",
    "categories": "flt_categories",
    "year_from": "flt_year_from",
    "year_to": "flt_year_to",
    "organizer": "flt_organizer",
    "status": "flt_status",
    "text": "flt_text",
    "workshops": "flt_workshops",
}
ANY = "(any)"
ANY_YEAR = "any"  # a selectbox shows None as an empty choice, so "no year chosen" is a word


def url_filter() -> tuple[NeedFilter, bool, list[str]]:
    """The filter in the URL, whether the URL holds any filter key at all, and what was left out."""
    raw = {key: st.query_params.get_all(key) for key in FILTER_KEYS if key in st.query_params}
    f, problems = NeedFilter.parse(raw)
    return f, bool(raw), problems


def _show_link_problems(problems: list[str]) -> None:
    if problems:
        st.warning("Part of this link's filters was left out: " + md_escape("; ".join(problems)) + ".",
                   icon=":material/warning:")


def _set_widgets(f: NeedFilter) -> None:
    ss = st.session_state
    ss[W["regions"]] = list(f.regions)
    ss[W["subregions"]] = list(f.subregions)
    ss[W["states"]] = list(f.states)
    ss[W["categories"]] = list(f.categories)
    ss[W["year_from"]] = ANY_YEAR if f.year_from is None else f.year_from
    ss[W["year_to"]] = ANY_YEAR if f.year_to is None else f.year_to
    ss[W["organizer"]] = f.organizer or ANY
    ss[W["status"]] = f.status
    ss[W["text"]] = f.text or ""
    ss[W["workshops"]] = list(f.workshops)


def reset_widgets() -> None:
    """Clear every filter (used as a button callback, before widgets are drawn)."""
    _set_widgets(NeedFilter())
    st.session_state[FILTER_STATE_KEY] = NeedFilter()


def _with(values: list, extra) -> list:
    return list(values) + [v for v in extra if v not in values]


def _years(options: dict, chosen) -> list:
    """The years offered: the stored range, plus a year a link asked for outside it."""
    lo, hi = options.get("year_min"), options.get("year_max")
    years = list(range(int(lo), int(hi) + 1)) if lo is not None and hi is not None else []
    return [ANY_YEAR] + sorted(set(years) | {int(y) for y in chosen if isinstance(y, int)})


def sidebar_filter() -> NeedFilter:
    """Draw the filters in the sidebar, sync them with the URL, and return the filter."""
    options = read(reads.filter_options)
    ss = st.session_state
    from_url, url_has_filter, problems = url_filter()
    last = ss.get(LAST_KEY)
    if last is None or (url_has_filter and (problems or from_url != last)):
        _set_widgets(from_url)
        _show_link_problems(problems)
    elif W["states"] not in ss:  # widgets were cleaned up (a page without the sidebar filters)
        _set_widgets(ss.get(FILTER_STATE_KEY) or NeedFilter())

    names = {s["iso3"]: s["name"] for s in options["states"]}
    with st.sidebar:
        st.header("Filters")
        regions = st.multiselect("Region", _with(options["regions"], ss.get(W["regions"], [])),
                                 key=W["regions"])
        subregions = st.multiselect("Sub-region", _with(options["subregions"], ss.get(W["subregions"], [])),
                                    key=W["subregions"])
        state_opts = [s["iso3"] for s in options["states"]
                      if (not regions or s["region"] in regions)
                      and (not subregions or s["subregion"] in subregions)]
        states = st.multiselect("States", _with(state_opts, ss.get(W["states"], [])), key=W["states"],
                                format_func=lambda iso: names.get(iso) or links.state_name(iso))
        categories = st.multiselect("Gap categories", _with(category_ids(), ss.get(W["categories"], [])),
                                    key=W["categories"], format_func=links.label)
        years = _years(options, (ss.get(W["year_from"]), ss.get(W["year_to"])))
        row = st.container(horizontal=True)  # one block, not two columns: two messages fewer a rerun
        year_from = row.selectbox("From year", years, key=W["year_from"], format_func=str)
        year_to = row.selectbox("To year", years, key=W["year_to"], format_func=str)
        year_from = None if year_from == ANY_YEAR else int(year_from)
        year_to = None if year_to == ANY_YEAR else int(year_to)
        if year_from is not None or year_to is not None:
            st.caption("Workshops whose year is unknown are left out while a year is chosen.")
        organizer = st.selectbox("Organiser", _with([ANY] + options["organizers"], [ss.get(W["organizer"], ANY)]),
                                 key=W["organizer"], accept_new_options=True)
        status = st.radio("Status", STATUS_CHOICES, key=W["status"], horizontal=True,
                          format_func=lambda s: {"all": "all", "confirmed": "confirmed only"}[s])
        text = st.text_input("Words in the evidence", key=W["text"], placeholder="e.g. licens, \"border control\"",
                             help="Words match any form (licens → licensing, licence); every word must occur, "
                                  "in any order; put a phrase in quotes to find it as written.")
        workshops = tuple(int(w) for w in ss.get(W["workshops"], []))
        if workshops:
            st.caption("Workshops: " + ", ".join(f"#{w}" for w in workshops))
            ss[W["workshops"]] = list(workshops)
        st.button("Clear filters", key="sidebar_clear", on_click=reset_widgets, width="stretch")

    if year_from is not None and year_to is not None and year_from > year_to:
        st.sidebar.caption(f"“From” {year_from} is after “To” {year_to}: the two are swapped.")
        year_from, year_to = year_to, year_from
    try:
        f = NeedFilter(
            regions=tuple(regions), subregions=tuple(subregions), states=tuple(states),
            categories=tuple(categories), year_from=year_from, year_to=year_to,
            organizer=None if not organizer or organizer == ANY else " ".join(str(organizer).split()) or None,
            status=status, text=" ".join((text or "").split()) or None, workshops=workshops,
        )
    except NeedsTrackerError as exc:  # not reachable through the widgets; say so rather than break
        st.warning(md_escape(str(exc)))
        f = NeedFilter()
    ss[FILTER_STATE_KEY] = f
    ss[LAST_KEY] = f
    _write_url(f)
    return f


def _write_url(f: NeedFilter) -> None:
    wanted = f.to_query_params()
    for key in FILTER_KEYS:
        if key in wanted:
            value = wanted[key]
            current = st.query_params.get_all(key) if key in st.query_params else None
            target = value if isinstance(value, list) else [value]
            if current != target:
                st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
