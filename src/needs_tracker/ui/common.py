"""What every page shares: cached data access, links between pages, safe text and downloads.

The dashboard never keeps a DuckDB connection open (a CLI ingest may need the file):
each cached function opens a short-lived ``db.connect()``. Caches are keyed by the
filter's query string and by the store's version, which ``ui.app`` reads once per run
(one ``stat``), so they refresh after an ingest and a rerun that changes nothing repeats
no query and opens nothing. Export files are built only when someone asks for one.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from needs_tracker import audit, config, db, figures, queries, review
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.filters import NeedFilter
from needs_tracker.taxonomy import category_labels

log = logging.getLogger(__name__)

FILTER_STATE_KEY = "nt_filter"
ROWS_SHOWN = 1000  # needs drawn in one table; the downloads hold them all
STORE_KEY = "nt_store_key"  # (location, version) read once per run by ui.app
# plotly.js fetches world_110m.json from here: static/ is served by Streamlit, so maps draw offline.
PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}

# Named queries that take (con, filter, *args); a name is looked up only in this allow-list.
_FILTERED = {
    "counts": queries.counts,
    "needs": queries.needs,
    "needs_page": queries.needs_page,
    "heatmap": queries.heatmap,
    "by_state": queries.by_state,
    "by_category": queries.by_category,
    "by_year": queries.by_year,
    "by_year_summary": queries.by_year_summary,
    "state_timeline": queries.state_timeline,
    "workshops": queries.workshops,
    "gap_finder": queries.gap_finder,
}
_PLAIN = {
    "workshop": queries.workshop,
    "workshops_attended": queries.workshops_attended,
    "filter_options": queries.filter_options,
    "stats": queries.stats,
    # the editor pages' reads
    "review_counts": review.review_counts,
    "workshop_choices": review.workshop_choices,
    "review_queue": review.review_queue,
    "queue_size": review.queue_size,
    "workshop_for_edit": review.workshop_for_edit,
    "audit_facets": audit.audit_facets,
    "list_audit": audit.list_audit,
}


def read_store_key() -> tuple[str, str]:
    """Look at the store (one stat) and remember its version for the rest of this run."""
    key = (config.db_location(), db.store_version())
    st.session_state[STORE_KEY] = key
    return key


def store_key() -> tuple[str, str]:
    """The store's (location, version) as read at the start of this run; caches key on it."""
    key = st.session_state.get(STORE_KEY)
    if key and key[0] == config.db_location():
        return key
    return config.db_location(), db.store_version()


def filter_key(f: NeedFilter) -> str:
    return json.dumps(f.to_query_params(), sort_keys=True)


@st.cache_data(show_spinner=False, max_entries=512)
def _filtered_query(name: str, fkey: str, store: tuple[str, str], args: tuple) -> Any:
    f = NeedFilter.from_query_params(json.loads(fkey))
    with db.connect(store[0]) as con:
        return _FILTERED[name](con, f, *args)


@st.cache_data(show_spinner=False, max_entries=256)
def _plain_query(name: str, store: tuple[str, str], args: tuple, kwargs: tuple = ()) -> Any:
    with db.connect(store[0]) as con:
        return _PLAIN[name](con, *args, **dict(kwargs))


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


def q_plain(name: str, *args: Any, **kwargs: Any) -> Any:
    """A named query without the filter, cached by (store version, arguments)."""
    return _plain_query(name, store_key(), tuple(args), tuple(sorted(kwargs.items())))


# Figure builders a page may ask for by name (needs_tracker.figures, pure functions).
_FIGURES = {
    "heatmap": figures.heatmap,
    "world_map": figures.world_map,
    "needs_per_year": figures.needs_per_year,
    "state_timeline": figures.state_timeline,
}


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(builder: str, fkey: str, store: tuple[str, str], key: tuple, kwargs: tuple, _df: pd.DataFrame):
    return _FIGURES[builder](_df, **dict(kwargs))


def figure(builder: str, f: NeedFilter, df: pd.DataFrame, *key: Any, **kwargs: Any):
    """``figures.<builder>(df, **kwargs)``, built once per (filter, store version, ``key``).

    ``df`` must be what a named query gave under ``f`` (plus ``key``, e.g. the state): it is not
    hashed. The figure is shared, never changed: st.plotly_chart copies it to draw it."""
    return _figure(builder, filter_key(f), store_key(), tuple(key), tuple(sorted(kwargs.items())), df)


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


def known_state(iso3: str) -> bool:
    """True for a UN member state's ISO3 code (whether or not the store mentions it)."""
    from needs_tracker.states import state_index

    return state_index().get(iso3) is not None


def page_params(f: NeedFilter, **extra: Any) -> dict[str, str | list[str]]:
    """Query parameters for a link: the filter plus the target page's own keys."""
    params = dict(f.to_query_params())
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    return params


@functools.lru_cache(maxsize=64)
def _filter_query(f: NeedFilter) -> str:
    return urlencode(f.to_query_params(), doseq=True)


def url(page: str, f: NeedFilter, **extra: Any) -> str:
    """A relative URL to a page (its url_path) that keeps the current filters (a table builds
    one per row, so the filter's part is encoded once)."""
    query = "&".join(q for q in (_filter_query(f), urlencode(page_params(NeedFilter(), **extra), doseq=True)) if q)
    return f"./{page}?{query}" if query else f"./{page}"


def state_url(iso3: str, f: NeedFilter | None = None) -> str:
    return url("state", f or current_filter(), state=iso3)


def workshop_url(workshop_id: int, f: NeedFilter | None = None) -> str:
    return url("workshops", f or current_filter(), workshop=int(workshop_id))


def workshop_urls(workshop_ids: Iterable[int], f: NeedFilter | None = None) -> list[str]:
    """workshop_url for a whole column: the filter's part is built once, not per row."""
    base = url("workshops", f or current_filter())
    joiner = "&" if "?" in base else "?"
    return [f"{base}{joiner}workshop={int(w)}" for w in workshop_ids]


def get_page(name: str):
    """The registered st.Page for a url_path (set by ui.app when it builds the navigation)."""
    from needs_tracker.ui import app

    return app.PAGES.get(name)


def state_link(iso3: str, name: str | None = None, f: NeedFilter | None = None, key: str | None = None) -> None:
    page = get_page("state")
    label_ = name or state_name(iso3)
    if page is None:
        st.markdown(f"[{md_escape(label_)}]({state_url(iso3, f)})")
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
    return pd.to_datetime(pd.Series(values), errors="coerce").dt.strftime("%Y-%m-%d").fillna("").tolist()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def md_escape(text: object) -> str:
    """Plain text (a note's words, a link's values) safe inside any Streamlit element that reads
    markdown: no emphasis, links, images, LaTeX or HTML; runs of whitespace become one space."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def error_text(exc: NeedsTrackerError) -> str:
    """A NeedsTrackerError's message for st.error, its values (paths, names, quotes) escaped so
    markdown shows them as written."""
    return md_escape(str(exc))


def quoted(value: object, limit: int = 60) -> str:
    """A value someone typed (a link's parameter), quoted, shortened and safe in markdown."""
    text = " ".join(str(value).split())
    return "“" + md_escape(text if len(text) <= limit else text[: limit - 1] + "…") + "”"


# --- safe highlighting -------------------------------------------------------------------
# Note text shown as HTML is escaped as html.escape does, and the characters markdown reads
# as inline syntax (emphasis, code, links, LaTeX, directives, autolinks) are written as
# character references, so they show as themselves. Newlines become references too: every
# fragment is then one line opening with <div>, which markdown keeps as one raw HTML block.
_HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                            **{c: f"&#{ord(c)};" for c in "\\`*_[]$~|:\n"}})


def html_text(text: object) -> str:
    """``text`` as HTML text that neither HTML nor markdown reads as anything but words."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return str(text).translate(_HTML_TEXT)


def highlight_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each (start, end) span in <mark>; nothing from the text is HTML."""
    clean = sorted({(int(s), int(e)) for s, e in spans if 0 <= int(s) < int(e) <= len(text)})
    out, pos = [], 0
    for start, end in clean:
        if start < pos:  # overlapping spans: extend the open mark instead of nesting
            start = pos
            if start >= end:
                continue
        out.append(html_text(text[pos:start]))
        out.append("<mark>" + html_text(text[start:end]) + "</mark>")
        pos = end
    out.append(html_text(text[pos:]))
    return "".join(out)


def highlight_terms(text: str, term: str | None) -> str:
    """Escape ``text`` and mark every case-insensitive occurrence of ``term``."""
    if not term:
        return html_text(text)
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
    cols[0].caption("🔎 " + md_escape(f.describe()))
    if not f.is_empty:
        cols[1].button("Clear filters", key=f"banner_clear_{st.session_state.get('nt_page', '')}",
                       on_click=clear_filters)


def empty_state(f: NeedFilter, what: str = "reported needs") -> None:
    st.info(f"No {what} match these filters: {md_escape(f.describe())}.")
    if not f.is_empty:
        st.button("Clear filters", key="empty_clear", on_click=clear_filters, type="primary")


def evidence_table(df: pd.DataFrame, key: str, term: str | None = None, total: int | None = None) -> None:
    """Needs with their evidence, workshop and date, as a table (``total``: how many there are
    when ``df`` holds only the first of them)."""
    if df.empty:
        st.caption("No needs.")
        return
    if total is not None and total > len(df):
        st.caption(f"The newest {len(df)} of {total} needs; the download below holds them all.")
    show = pd.DataFrame({
        "state": df["state_name"],
        "gap": [label(c) for c in df["category"]],
        "evidence": df["evidence"],
        "workshop": df["workshop_title"],
        "date": dates(df["start_date"]),
        "status": df["status"],
        "open": workshop_urls(df["workshop_id"]),
        "profile": [state_url(i) for i in df["state_iso3"]],
    })
    st.dataframe(show, hide_index=True, key=key, column_config={
        "evidence": st.column_config.TextColumn(width="large"),
        "open": st.column_config.LinkColumn("note", display_text="open note"),
        "profile": st.column_config.LinkColumn("state profile", display_text=r"[?&]state=([A-Z]{3})"),
    })


def evidence_list(df: pd.DataFrame, term: str | None = None, limit: int = 200, total: int | None = None) -> None:
    """Needs as quoted sentences (escaped; ``term`` marked) with workshop and date. ``total``:
    how many needs there are when ``df`` holds only the first of them."""
    for r in df.head(limit).itertuples(index=False):
        date = "" if pd.isna(r.start_date) else f", {pd.Timestamp(r.start_date):%d %b %Y}"
        show_html(
            f"<div><a href='{html.escape(state_url(r.state_iso3), quote=True)}' target='_self'>"
            f"<b>{html_text(r.state_name)}</b></a> · {html_text(label(r.category))}"
            f"<blockquote style='margin:0.2em 0 0.2em 0.5em'>{highlight_terms(str(r.evidence), term)}</blockquote>"
            f"<small><a href='{html.escape(workshop_url(r.workshop_id), quote=True)}' target='_self'>"
            f"{html_text(r.workshop_title or 'untitled workshop')}</a>{html_text(date)}</small></div>"
        )
    more = (len(df) if total is None else total) - limit
    if more > 0:
        st.caption(f"… and {more} more (narrow the filters or download them).")


def evidence_for(f: NeedFilter, term: str | None = None, limit: int = 200) -> None:
    """The needs ``f`` selects as quoted sentences: the first ``limit`` are read and drawn, and
    a line says how many more there are."""
    rows, total = q("needs_page", f, limit)  # one scan for the rows shown and the total
    evidence_list(rows, term=term, limit=limit, total=total)


# --- downloads: built only when asked --------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def _export_bytes(fmt: str, fkey: str, store: tuple[str, str]) -> tuple[bytes, str, str]:
    from needs_tracker import export

    f = NeedFilter.from_query_params(json.loads(fkey))
    return export.to_bytes(fmt, f, location=store[0])


def export_bytes(fmt: str, f: NeedFilter) -> tuple[bytes, str, str]:
    """(data, mime, file name) of the export of ``f``, cached by (format, filter, store version)."""
    return _export_bytes(fmt, filter_key(f), store_key())


def prepared_download(f: NeedFilter, fmt: str, key: str, *, ask: str, button: str | None = None,
                      ask_slot=st, button_slot=st) -> None:
    """A toggle that builds the ``fmt`` export of ``f`` when switched on, then its download button.

    Widgets: ``{key}_prep`` (the toggle) and ``{key}_dl`` (the button). A failure is a message."""
    if not ask_slot.toggle(ask, key=f"{key}_prep"):
        return
    try:
        data, mime, name = export_bytes(fmt, f)
    except NeedsTrackerError as exc:
        button_slot.warning(f"Could not build the {fmt} file: {exc}")
        return
    except Exception:  # an export bug must not take the page down; the log keeps the traceback
        log.exception("building the %s export failed", fmt)
        button_slot.warning(f"Could not build the {fmt} file: an internal error (the server log has the details).")
        return
    button_slot.download_button(button or f"⬇️ Download {name}", data=data, file_name=name, mime=mime,
                                key=f"{key}_dl")


def download_control(f: NeedFilter, key: str) -> None:
    """Pick a format, then build the file for the current filters (only when asked)."""
    try:
        from needs_tracker import export
    except ImportError:
        return
    cols = st.columns([2, 2, 4])
    fmt = cols[0].selectbox("Download format", tuple(export.FORMATS), key=f"{key}_fmt",
                            label_visibility="collapsed")
    prepared_download(f, fmt, key, ask="Prepare download", ask_slot=cols[1], button_slot=cols[2])


def csv_download(label_: str, df: pd.DataFrame, file_name: str, key: str) -> None:
    """A download button for a table as shown; the CSV is written only when the button is pressed.

    Cells a spreadsheet would run as formulas are neutralised, as in the exports."""
    from needs_tracker.export.csv_format import neutralise

    def build() -> bytes:
        return df.astype(object).map(neutralise).to_csv(index=False).encode("utf-8")

    st.download_button(label_, data=build, file_name=file_name, mime="text/csv", key=key)
