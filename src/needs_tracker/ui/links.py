"""Links between pages and the URL state of a page's own controls.

A link keeps the current filter and adds the target page's own keys (``state``, ``gap``,
``workshop``…). A page control bound with ``url_control`` is set from the URL when the URL
carries a value this session did not write (a shared link, Back/Forward), and written back
when the person changes it, so a link holds the whole view.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from needs_tracker.filters import NeedFilter
from needs_tracker.taxonomy import category_labels
from needs_tracker.ui import registry
from needs_tracker.ui.common import md_escape
from needs_tracker.ui.reads import current_filter


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
    """A relative URL to a page (its url_path) that keeps the filter (a table builds one per row,
    so the filter's part is encoded once)."""
    own = urlencode({k: str(v) for k, v in extra.items() if v is not None})
    query = "&".join(part for part in (_filter_query(f), own) if part)
    return f"./{page}?{query}" if query else f"./{page}"


def state_url(iso3: str, f: NeedFilter | None = None, **extra: Any) -> str:
    return url("state", current_filter() if f is None else f, state=iso3, **extra)


def state_urls(iso3s: Iterable[str], f: NeedFilter | None = None) -> list[str]:
    base = url("state", current_filter() if f is None else f)
    joiner = "&" if "?" in base else "?"
    return [f"{base}{joiner}state={i}" for i in iso3s]


def workshop_url(workshop_id: int, f: NeedFilter | None = None) -> str:
    return url("workshops", current_filter() if f is None else f, workshop=int(workshop_id))


def workshop_urls(workshop_ids: Iterable[int], f: NeedFilter | None = None) -> list[str]:
    """workshop_url for a whole column: the filter's part is built once, not per row."""
    base = url("workshops", current_filter() if f is None else f)
    joiner = "&" if "?" in base else "?"
    return [f"{base}{joiner}workshop={int(w)}" for w in workshop_ids]


def state_link(iso3: str, name: str | None = None, f: NeedFilter | None = None, **extra: Any) -> None:
    page = registry.get_page("state")
    text = name or state_name(iso3)
    target = current_filter() if f is None else f
    if page is None:
        st.markdown(f"[{md_escape(text)}]({state_url(iso3, target, **extra)})")
        return
    st.page_link(page, label=md_escape(text), icon=":material/flag:",
                 query_params=page_params(target, state=iso3, **extra))


def state_links(states: Iterable[tuple], f: NeedFilter | None = None, key: str = "state_links") -> None:
    """States as a table of links: (iso3, name) or (iso3, name, needs) tuples, sorted by name,
    with a search box above and full names (196 states neither overflow nor get cut)."""
    items = sorted(states, key=lambda t: str(t[1]))
    if not items:
        return
    search = st.text_input("Find a state", key=f"{key}_q", placeholder="Find a state: type part of its name")
    if search.strip():
        items = [t for t in items if search.strip().lower() in str(t[1]).lower()]
        if not items:
            st.caption(f"No state's name contains “{md_escape(search)}”.")
            return
    table = pd.DataFrame({"state": [t[1] for t in items]})
    if len(items[0]) > 2:
        table["needs"] = [int(t[2]) for t in items]
    table["profile"] = state_urls([t[0] for t in items], f)
    st.dataframe(table, hide_index=True, key=f"{key}_table", height=min(35 * (len(items) + 1) + 3, 320),
                 column_config={"state": st.column_config.TextColumn(width="large"),
                                "profile": st.column_config.LinkColumn("profile", display_text="open profile")})


# --- page controls in the URL -------------------------------------------------------------

def url_control(param: str, key: str, parse: Callable[[str], Any], default: Any) -> None:
    """Before drawing widget ``key``: set it from ``?param=`` when the URL holds a value this
    session did not write (a shared link, Back/Forward), or to ``default`` when it holds none.
    An unreadable value falls back to ``default`` (the page says nothing: it is a page setting)."""
    ss = st.session_state
    raw = st.query_params.get(param)
    written = ss.get(f"nt_url_{param}")
    if raw is None:
        if written is not None:  # the URL lost it (navigation, Back): back to the default
            ss[key] = default
            ss[f"nt_url_{param}"] = None
        elif key not in ss:
            ss[key] = default
        return
    if raw != written:
        try:
            ss[key] = parse(raw)
        except (TypeError, ValueError):
            ss[key] = default
        ss[f"nt_url_{param}"] = raw


def write_control(param: str, value: Any, default: Any, fmt: Callable[[Any], str] = str) -> None:
    """After drawing the widget: mirror its value into ``?param=`` (removed at its default)."""
    text = None if value == default or value is None else fmt(value)
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text
    st.session_state[f"nt_url_{param}"] = text


def selected_pair(df: pd.DataFrame, event) -> tuple[str, str] | None:
    """The (state, gap) whose evidence a table page shows: its selected row (written to ``?pair=``),
    or the pair a shared link names (None when it names no row shown)."""
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        r = df.iloc[rows[0]]
        pair = f"{r['state_iso3']}:{r['category']}"
        if st.query_params.get("pair") != pair:
            st.query_params["pair"] = pair
        return str(r["state_iso3"]), str(r["category"])
    raw = str(st.query_params.get("pair") or "")
    iso3, _, category = raw.partition(":")
    if not raw or not ((df["state_iso3"] == iso3) & (df["category"] == category)).any():
        return None
    return iso3, category
