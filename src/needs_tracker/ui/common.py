"""What every page shares: cached data access, links between pages, safe highlighting.

The dashboard never keeps a DuckDB connection open (a CLI ingest may need the file):
each cached function opens a short-lived ``db.connect()``. Caches are keyed by the
filter's query string and by ``db.store_version()``, so they refresh after an ingest
and a rerun that changes nothing repeats no query.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from needs_tracker import config, db, queries
from needs_tracker.filters import NeedFilter
from needs_tracker.taxonomy import category_labels

FILTER_STATE_KEY = "nt_filter"
# plotly.js fetches world_110m.json from here: static/ is served by Streamlit, so maps draw offline.
PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}

# Named queries that take (con, filter, *args); a name is looked up only in this allow-list.
_FILTERED = {
    "counts": queries.counts,
    "needs": queries.needs,
    "heatmap": queries.heatmap,
    "by_state": queries.by_state,
    "by_category": queries.by_category,
    "by_year": queries.by_year,
    "state_timeline": queries.state_timeline,
    "workshops": queries.workshops,
    "gap_finder": queries.gap_finder,
}
_PLAIN = {
    "workshop": queries.workshop,
    "workshops_attended": queries.workshops_attended,
    "filter_options": queries.filter_options,
    "stats": queries.stats,
}


def store_key() -> tuple[str, str]:
    return config.db_location(), db.store_version()


def filter_key(f: NeedFilter) -> str:
    return json.dumps(f.to_query_params(), sort_keys=True)


@st.cache_data(show_spinner=False, max_entries=512)
def _filtered_query(name: str, fkey: str, store: tuple[str, str], args: tuple) -> Any:
    f = NeedFilter.from_query_params(json.loads(fkey))
    with db.connect(store[0]) as con:
        return _FILTERED[name](con, f, *args)


@st.cache_data(show_spinner=False, max_entries=256)
def _plain_query(name: str, store: tuple[str, str], args: tuple) -> Any:
    with db.connect(store[0]) as con:
        return _PLAIN[name](con, *args)


def q(name: str, f: NeedFilter, *args: Any) -> Any:
    """A named query under filter ``f``, cached by (filter, store version, args)."""
    return _filtered_query(name, filter_key(f), store_key(), tuple(args))


@st.cache_data(show_spinner=False, max_entries=128)
def _bundle(names: tuple[str, ...], fkey: str, store: tuple[str, str]) -> tuple:
    f = NeedFilter.from_query_params(json.loads(fkey))
    with db.connect(store[0]) as con:
        return tuple(_FILTERED[name](con, f) for name in names)


def q_many(f: NeedFilter, *names: str) -> tuple:
    """Several named queries under one filter on one connection (a page's first draw)."""
    return _bundle(tuple(names), filter_key(f), store_key())


def q_plain(name: str, *args: Any) -> Any:
    return _plain_query(name, store_key(), tuple(args))


def current_filter() -> NeedFilter:
    """The filter the sidebar built on this run (the empty filter before it ran)."""
    return st.session_state.get(FILTER_STATE_KEY) or NeedFilter()


# --- labels and links ------------------------------------------------------------------

def label(category: str) -> str:
    return category_labels().get(category, category)


def state_name(iso3: str) -> str:
    from needs_tracker.states import state_index

    s = state_index().get(iso3)
    return s.name if s else iso3


def page_params(f: NeedFilter, **extra: Any) -> dict[str, str | list[str]]:
    """Query parameters for a link: the filter plus the target page's own keys."""
    params = dict(f.to_query_params())
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    return params


def url(page: str, f: NeedFilter, **extra: Any) -> str:
    """A relative URL to a page (its url_path) that keeps the current filters."""
    query = urlencode(page_params(f, **extra), doseq=True)
    return f"./{page}?{query}" if query else f"./{page}"


def state_url(iso3: str, f: NeedFilter | None = None) -> str:
    return url("state", f or current_filter(), state=iso3)


def workshop_url(workshop_id: int, f: NeedFilter | None = None) -> str:
    return url("workshops", f or current_filter(), workshop=int(workshop_id))


def get_page(name: str):
    """The registered st.Page for a url_path (set by ui.app when it builds the navigation)."""
    from needs_tracker.ui import app

    return app.PAGES.get(name)


def state_link(iso3: str, name: str | None = None, f: NeedFilter | None = None, key: str | None = None) -> None:
    page = get_page("state")
    label_ = name or state_name(iso3)
    if page is None:
        st.markdown(f"[{_md_escape(label_)}]({state_url(iso3, f)})")
        return
    st.page_link(page, label=label_, icon="📍", query_params=page_params(f or current_filter(), state=iso3))


def state_links(iso3s: Iterable[tuple[str, str]], f: NeedFilter | None = None) -> None:
    """A row of state links: (iso3, name) pairs."""
    items = list(iso3s)
    if not items:
        return
    cols = st.columns(min(len(items), 6))
    for i, (iso3, name) in enumerate(items):
        with cols[i % len(cols)]:
            state_link(iso3, name, f)


def dates(values) -> list[str]:
    """ISO dates (YYYY-MM-DD) for display; sorting them as text keeps their order."""
    return ["" if v is None or pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}" for v in values]


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>])", r"\\\1", text)


# --- safe highlighting -------------------------------------------------------------------

def highlight_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each (start, end) span in <mark>; nothing from the text is HTML."""
    clean = sorted({(int(s), int(e)) for s, e in spans if 0 <= int(s) < int(e) <= len(text)})
    out, pos = [], 0
    for start, end in clean:
        if start < pos:  # overlapping spans: extend the open mark instead of nesting
            start = pos
            if start >= end:
                continue
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def highlight_terms(text: str, term: str | None) -> str:
    """Escape ``text`` and mark every case-insensitive occurrence of ``term``."""
    if not term:
        return html.escape(text)
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(term), text, flags=re.IGNORECASE)]
    return highlight_spans(text, spans)


def note_html(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """A note's full text, escaped, with evidence marked, in a pre-wrapped block."""
    return ('<div style="white-space: pre-wrap; font-family: inherit; line-height: 1.5">'
            + highlight_spans(text, spans) + "</div>")


def show_html(fragment: str) -> None:
    """Render HTML built by this module from escaped text (never raw note text)."""
    st.markdown(fragment, unsafe_allow_html=True)


# --- shared page furniture -----------------------------------------------------------

def clear_filters() -> None:
    from needs_tracker.ui.filters import reset_widgets

    reset_widgets()


def filter_banner(f: NeedFilter) -> None:
    """The active filters in one line, with a way to clear them."""
    cols = st.columns([6, 1])
    cols[0].caption("🔎 " + f.describe())
    if not f.is_empty:
        cols[1].button("Clear filters", key=f"banner_clear_{st.session_state.get('nt_page', '')}",
                       on_click=clear_filters)


def empty_state(f: NeedFilter, what: str = "reported needs") -> None:
    st.info(f"No {what} match these filters: {f.describe()}.")
    if not f.is_empty:
        st.button("Clear filters", key="empty_clear", on_click=clear_filters, type="primary")


def evidence_table(df: pd.DataFrame, key: str, term: str | None = None) -> None:
    """Needs with their evidence, workshop and date, as a table."""
    if df.empty:
        st.caption("No needs.")
        return
    show = pd.DataFrame({
        "state": df["state_name"],
        "gap": [label(c) for c in df["category"]],
        "evidence": df["evidence"],
        "workshop": df["workshop_title"],
        "date": dates(df["start_date"]),
        "status": df["status"],
        "open": [workshop_url(w) for w in df["workshop_id"]],
        "profile": [state_url(i) for i in df["state_iso3"]],
    })
    st.dataframe(show, hide_index=True, key=key, column_config={
        "evidence": st.column_config.TextColumn(width="large"),
        "open": st.column_config.LinkColumn("note", display_text="open note"),
        "profile": st.column_config.LinkColumn("state profile", display_text=r"[?&]state=([A-Z]{3})"),
    })


def evidence_list(df: pd.DataFrame, term: str | None = None, limit: int = 200) -> None:
    """Needs as quoted sentences (escaped; ``term`` marked) with workshop and date."""
    for r in df.head(limit).itertuples(index=False):
        date = "" if pd.isna(r.start_date) else f", {pd.Timestamp(r.start_date):%d %b %Y}"
        show_html(
            f"<a href='{html.escape(state_url(r.state_iso3), quote=True)}' target='_self'>"
            f"<b>{html.escape(str(r.state_name))}</b></a> · {html.escape(label(r.category))}"
            f"<blockquote style='margin:0.2em 0 0.2em 0.5em'>{highlight_terms(str(r.evidence), term)}</blockquote>"
            f"<small><a href='{html.escape(workshop_url(r.workshop_id), quote=True)}' target='_self'>"
            f"{html.escape(str(r.workshop_title or 'untitled workshop'))}</a>{html.escape(date)}</small>"
        )
    if len(df) > limit:
        st.caption(f"… and {len(df) - limit} more (narrow the filters or download them).")


@st.cache_data(show_spinner=False, max_entries=32)
def _export_bytes(fmt: str, fkey: str, store: tuple[str, str]) -> tuple[bytes, str, str]:
    from needs_tracker import export

    f = NeedFilter.from_query_params(json.loads(fkey))
    return export.to_bytes(fmt, f, location=store[0])


def download_control(f: NeedFilter, key: str) -> None:
    """Pick a format, then build the file for the current filters (only when asked)."""
    try:
        from needs_tracker import export
    except ImportError:
        return
    formats = tuple(export.FORMATS)
    cols = st.columns([2, 2, 4])
    fmt = cols[0].selectbox("Download format", formats, key=f"{key}_fmt", label_visibility="collapsed")
    if cols[1].toggle("Prepare download", key=f"{key}_prep"):
        try:
            data, mime, name = _export_bytes(fmt, filter_key(f), store_key())
        except Exception as exc:  # an export failure must not take the page down
            cols[2].warning(f"Could not build the {fmt} file: {exc}")
            return
        cols[2].download_button(f"⬇️ Download {name}", data=data, file_name=name, mime=mime, key=f"{key}_dl")
