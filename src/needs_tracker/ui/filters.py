"""The sidebar filters, mirrored in the URL's query string.

The URL is the source of truth when it carries filter keys that differ from what this
session last wrote (a shared link, a page link): the widgets are set from it. When it
carries none (the sidebar navigation drops query strings) the session's filters stay
and are written back, so every page shares one filter and every view has a stable URL.
A link value that names nothing known (``?states=XXX``, ``?year_from=abc``) is left out,
and the page says which and why.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import fields

import streamlit as st

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.filters import STATUS_CHOICES, NeedFilter
from needs_tracker.taxonomy import category_ids
from needs_tracker.ui import common

FILTER_KEYS = tuple(f.name for f in fields(NeedFilter))
LAST_KEY = "nt_filter_last"
W = {  # widget keys
    "regions": "flt_regions",
    "subregions": "flt_subregions",
    "states": "flt_states",
    "categories": "flt_categories",
    "years": "flt_years",
    "organizer": "flt_organizer",
    "status": "flt_status",
    "text": "flt_text",
    "workshops": "flt_workshops",
}
ANY = "(any)"


def url_filter() -> tuple[NeedFilter, bool, list[str]]:
    """The filter in the URL, whether the URL holds any filter key at all, and what was left out."""
    raw = {}
    for key in FILTER_KEYS:
        if key in st.query_params:
            values = st.query_params.get_all(key)
            raw[key] = values if len(values) != 1 else values[0]
    f, problems = clean_link(raw)
    return f, bool(raw), problems


@functools.cache
def _known() -> dict[str, frozenset[str]]:
    from needs_tracker.states import state_index

    every = state_index().all_states()
    return {"states": frozenset(s.iso3 for s in every),
            "regions": frozenset(s.region for s in every if s.region),
            "subregions": frozenset(s.subregion for s in every if s.subregion),
            "categories": frozenset(category_ids())}


def _given(raw: Mapping[str, object], name: str) -> list[str]:
    value = raw.get(name)
    values = [] if value is None else [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    return [str(v).strip() for v in values if str(v).strip()]


def clean_link(raw: Mapping[str, object]) -> tuple[NeedFilter, list[str]]:
    """The filter a link's query parameters describe, without the values that name nothing
    known, and one line per value left out saying why (markdown, the values escaped)."""
    try:
        f = NeedFilter.from_query_params(raw)
    except NeedsTrackerError as exc:
        return NeedFilter(), [common.md_escape(str(exc))]
    problems = []
    for name in ("year_from", "year_to"):
        given = _given(raw, name)
        if given and getattr(f, name) is None:
            problems.append(f"{name} {common.quoted(given[-1])} is not a year")
    if f.year_from is not None and f.year_to is not None and f.year_from != f.year_to \
            and int(_given(raw, "year_from")[-1]) == f.year_to:
        problems.append(f"year_from {f.year_to} is after year_to {f.year_from}, so the two were swapped")
    given = _given(raw, "status")
    if given and given[-1] not in STATUS_CHOICES:
        problems.append(f"status {common.quoted(given[-1])} is not one of {', '.join(STATUS_CHOICES)}")
    bad = [w for w in _given(raw, "workshops") if not w.isdigit()]
    if bad:
        problems.append("workshops " + ", ".join(common.quoted(w) for w in bad) + " are not workshop numbers")
    known, kept = _known(), {}
    for name, noun in (("states", "state (ISO3 code)"), ("regions", "region"), ("subregions", "sub-region"),
                       ("categories", "gap category")):
        unknown = [v for v in getattr(f, name) if v not in known[name]]
        if unknown:
            problems.append(f"unknown {noun} " + ", ".join(common.quoted(v) for v in unknown))
            kept[name] = tuple(v for v in getattr(f, name) if v in known[name])
    return (f.with_(**kept) if kept else f), problems


def _show_link_problems(problems: list[str]) -> None:
    if problems:
        st.warning("Part of this link's filters was left out: " + "; ".join(problems) + ".", icon="⚠️")


def _set_widgets(f: NeedFilter, options: dict) -> None:
    ss = st.session_state
    ss[W["regions"]] = list(f.regions)
    ss[W["subregions"]] = list(f.subregions)
    ss[W["states"]] = list(f.states)
    ss[W["categories"]] = list(f.categories)
    ymin, ymax = options.get("year_min"), options.get("year_max")
    if ymin is not None and ymax is not None and ymin < ymax:
        lo = ymin if f.year_from is None else min(max(f.year_from, ymin), ymax)
        hi = ymax if f.year_to is None else max(min(f.year_to, ymax), lo)
        ss[W["years"]] = (lo, hi)
    ss[W["organizer"]] = f.organizer or ANY
    ss[W["status"]] = f.status
    ss[W["text"]] = f.text or ""
    ss[W["workshops"]] = list(f.workshops)


def _outside_stored_years(f: NeedFilter, options: dict) -> list[str]:
    ymin, ymax = options.get("year_min"), options.get("year_max")
    if ymin is None or ymax is None:
        return []
    return [f"{name} {year} is outside the stored years ({ymin}–{ymax}), so the nearest of them is used"
            for name, year in (("year_from", f.year_from), ("year_to", f.year_to))
            if year is not None and not ymin <= year <= ymax]


def reset_widgets() -> None:
    """Clear every filter (used as a button callback, before widgets are drawn)."""
    options = _options()
    _set_widgets(NeedFilter(), options)
    st.session_state[common.FILTER_STATE_KEY] = NeedFilter()


def _options() -> dict:
    return common.q_plain("filter_options")


def _with(values: list, extra) -> list:
    return list(values) + [v for v in extra if v not in values]


def sidebar_filter() -> NeedFilter:
    """Draw the filters in the sidebar, sync them with the URL, and return the filter."""
    options = _options()
    ss = st.session_state
    from_url, url_has_filter, problems = url_filter()
    last = ss.get(LAST_KEY)
    if last is None or (url_has_filter and (problems or common.filter_key(from_url) != last)):
        _set_widgets(from_url, options)
        _show_link_problems(problems + _outside_stored_years(from_url, options))
    elif W["states"] not in ss:  # widgets were cleaned up (e.g. a page without sidebar)
        _set_widgets(ss.get(common.FILTER_STATE_KEY) or NeedFilter(), options)

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
                                format_func=lambda iso: names.get(iso) or common.state_name(iso))
        categories = st.multiselect("Gap categories", _with(category_ids(), ss.get(W["categories"], [])),
                                    key=W["categories"], format_func=common.label)
        ymin, ymax = options.get("year_min"), options.get("year_max")
        year_from = year_to = None
        if ymin is not None and ymax is not None and ymin < ymax:
            current = ss.get(W["years"])
            if not isinstance(current, tuple | list) or len(current) != 2:
                current = (ymin, ymax)
            lo0 = min(max(int(current[0]), ymin), ymax)
            ss[W["years"]] = (lo0, max(min(int(current[1]), ymax), lo0))
            lo, hi = st.slider("Years", min_value=int(ymin), max_value=int(ymax), key=W["years"])
            year_from = lo if lo > ymin else None
            year_to = hi if hi < ymax else None
        organizer = st.selectbox("Organiser", _with([ANY] + options["organizers"], [ss.get(W["organizer"], ANY)]),
                                 key=W["organizer"], accept_new_options=True)
        status = st.radio("Status", STATUS_CHOICES, key=W["status"], horizontal=True,
                          format_func=lambda s: {"all": "all", "confirmed": "confirmed only"}[s])
        text = st.text_input("Text in the evidence", key=W["text"], placeholder="e.g. licens")
        workshops = tuple(int(w) for w in ss.get(W["workshops"], []))
        if workshops:
            st.caption("Workshops: " + ", ".join(f"#{w}" for w in workshops))
            ss[W["workshops"]] = list(workshops)
        st.button("Clear filters", key="sidebar_clear", on_click=reset_widgets, use_container_width=True)

    try:
        f = NeedFilter(
            regions=tuple(regions), subregions=tuple(subregions), states=tuple(states),
            categories=tuple(categories), year_from=year_from, year_to=year_to,
            organizer=None if not organizer or organizer == ANY else str(organizer).strip() or None,
            status=status, text=(text or "").strip() or None, workshops=workshops,
        )
    except NeedsTrackerError as exc:  # not reachable through the widgets; say so rather than break
        st.warning(common.md_escape(str(exc)))
        f = NeedFilter()
    ss[common.FILTER_STATE_KEY] = f
    key = common.filter_key(f)
    ss[LAST_KEY] = key
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
