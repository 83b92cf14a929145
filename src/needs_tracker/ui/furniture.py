"""What every page draws around its content: running a page with its errors as messages, the
line that says what is selected, the empty state, and needs shown with their evidence."""

from __future__ import annotations

import html
import logging
import re

import pandas as pd
import streamlit as st

from needs_tracker.errors import NeedsTrackerError, StoreLockedError
from needs_tracker.filters import NeedFilter
from needs_tracker.search import hit_spans
from needs_tracker.store import reads
from needs_tracker.store.vocab import AuditAction, ReviewChoice
from needs_tracker.ui import links
from needs_tracker.ui.common import (
    dates,
    error_text,
    highlight_spans,
    html_text,
    long_date,
    md_escape,
    num,
)
from needs_tracker.ui.reads import read_all
from needs_tracker.ui.warm_start import leave_legacy_pages

log = logging.getLogger(__name__)
ROWS_SHOWN = 1000  # needs drawn in one table; the downloads hold them all
PAGE_SIZE = 10     # evidence sentences per page of a list


def run_page(render, url_path: str) -> None:
    """Run a page's ``render()``: a NeedsTrackerError becomes its message, any other error one
    line (the server log keeps the traceback), never a traceback on the page. What another page
    held for as long as it was shown (``hold_for_page``) is let go first."""
    leave_legacy_pages()  # (a page file Streamlit ran bare, as a legacy pages/ folder's: run through the app)
    st.session_state["nt_page"] = url_path
    held = st.session_state.get(_HELD_BY_PAGE) or {}
    for key in [k for k, page in held.items() if page != url_path]:
        st.session_state.pop(key, None)
        del held[key]
    guarded(render, url_path)


_HELD_BY_PAGE = "nt_held_by_page"  # session state: {session state key: url path of the page holding it}


def hold_for_page(key: str, value, url_path: str) -> None:
    """``st.session_state[key] = value`` for as long as page ``url_path`` is shown: the next run of
    any other page lets it go. For what is large and wanted only there (an original file's bytes)."""
    st.session_state[key] = value
    st.session_state.setdefault(_HELD_BY_PAGE, {})[key] = url_path


def guarded(draw, url_path: str, *args) -> None:
    """``draw(*args)`` with ``run_page``'s handling of errors: also for a part of a page that
    reruns on its own (an ``st.fragment``, which a rerun of its own runs outside ``run_page``)."""
    try:
        draw(*args)
    except NeedsTrackerError as exc:
        show_error(exc)
    except Exception:  # a bug must not show server paths to a viewer
        log.exception("page %s failed", url_path)
        st.error("This page could not be drawn because of an internal error; the server log has the details. "
                 "Changing the filters or reloading may help.", icon=":material/error:")


def show_error(exc: NeedsTrackerError) -> None:
    """A page's error as a message; a locked store also gets a button to try again."""
    if isinstance(exc, StoreLockedError):
        message = error_text(exc)
        st.error(f"{message[:1].upper()}{message[1:]}. Press “Try again” once the other process has finished.",
                 icon=":material/lock:")
        st.button("Try again", key="retry_locked")
    else:
        st.error(error_text(exc))


def clear_filters() -> None:
    from needs_tracker.ui.filters import reset_widgets

    reset_widgets()


def filter_banner(f: NeedFilter) -> None:
    """The active filters in one line, with a way to clear them. One row (a horizontal container,
    not columns) and no container at all without filters: each block is one more message a
    rerun sends and the browser redraws."""
    line = ":material/filter_alt: " + md_escape(f.describe())
    if f.is_empty:
        st.caption(line)
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.caption(line)
    row.button("Clear filters", key=f"banner_clear_{st.session_state.get('nt_page', '')}", on_click=clear_filters)


def empty_state(f: NeedFilter, what: str = "reported needs") -> None:
    st.info(f"No {what} match these filters: {md_escape(f.describe())}.")
    if not f.is_empty:
        st.button("Clear filters", key="empty_clear", on_click=clear_filters, type="primary")


def evidence_table(df: pd.DataFrame, key: str, total: int | None = None) -> None:
    """Needs with their evidence, workshop and date, as a table (``total``: how many there are
    when ``df`` holds only the first of them)."""
    if df.empty:
        st.caption("No needs.")
        return
    if total is not None and total > len(df):
        st.caption(f"The newest {num(len(df))} of {num(total)} needs; the downloads hold them all.")
    show = pd.DataFrame({
        "state": df["state_name"],
        "gap": [links.label(c) for c in df["category"]],
        "evidence": df["evidence"],
        "workshop": df["workshop_title"].fillna("untitled workshop"),
        "date": dates(df["start_date"]),
        "status": df["status"],
        "open": links.workshop_urls(df["workshop_id"]),
        "profile": links.state_urls(df["state_iso3"]),
    })
    st.dataframe(show, hide_index=True, key=key, column_config={
        "evidence": st.column_config.TextColumn(width="large"),
        "open": st.column_config.LinkColumn("note", display_text="open note"),
        "profile": st.column_config.LinkColumn("state profile", display_text=r"[?&]state=([A-Z]{3})"),
    })


# st.html draws outside Streamlit's markdown styles, so its links were the browser's own blue (purple
# once visited), not the app's link colour, and Streamlit gives st.html no theme CSS variables (only
# v2 custom components get ``--st-*``). The colour is resolved here as Streamlit resolves it for a
# markdown link (``linkColor``, else ``blueTextColor``, else the base theme's blue text; the options
# of the viewer's light or dark theme first) and set on each link. A value that is not a plain CSS
# colour is ignored, so a setting cannot add other CSS to the page.
LINK_COLOR_DEFAULTS = {"light": "#244fb4", "dark": "#85b8f8"}  # Streamlit 1.67's blueTextColor defaults
_CSS_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgb|rgba|hsl|hsla)\([0-9a-zA-Z.,%/ ]{1,60}\)",
                        re.ASCII)


def link_color() -> str:
    """The colour of a link in this app's theme, as a CSS colour."""
    kind = getattr(st.context.theme, "type", None)  # the viewer's theme; None before the browser said
    if kind not in LINK_COLOR_DEFAULTS:
        kind = st.get_option("theme.base") if st.get_option("theme.base") in LINK_COLOR_DEFAULTS else "light"
    for option in (f"theme.{kind}.linkColor", "theme.linkColor", f"theme.{kind}.blueTextColor",
                   "theme.blueTextColor"):
        value = st.get_option(option)
        if isinstance(value, str) and _CSS_COLOR.fullmatch(value.strip()):
            return value.strip()
    return LINK_COLOR_DEFAULTS[kind]


def review_words(status) -> str:
    """Who vouches for a need, in the briefs' words ("confirmed by a person", "found by the rules, not
    yet checked by a person"): staff preparing a meeting must see on the page which sentences a person
    checked, as the PDF brief says it (qa10). "" for a row read without its status."""
    from needs_tracker.export.brief import STATUS_WORDS

    return STATUS_WORDS.get(str(status), "") if isinstance(status, str) else ""


def quote_html(r, term: str | None, color: str) -> str:
    """One need as escaped HTML: its state, gap, the sentence with the search hits marked, and
    its workshop, date and who vouches for it; its links in ``color`` (``link_color()``)."""
    evidence = str(r.evidence)
    vouched = review_words(getattr(r, "status", None))
    style = html.escape(f"color:{color}", quote=True)
    who = (f"<a href='{html.escape(links.state_url(r.state_iso3), quote=True)}' target='_self' style='{style}'>"
           f"<b>{html_text(r.state_name)}</b></a>")
    return (f"<div>{who} · {html_text(links.label(r.category))}"
            f"<blockquote style='margin:0.2em 0 0.2em 0.5em'>{highlight_spans(evidence, hit_spans(evidence, term))}"
            f"</blockquote><small><a href='{html.escape(links.workshop_url(r.workshop_id), quote=True)}' "
            f"target='_self' style='{style}'>{html_text(r.workshop_title or 'untitled workshop')}</a>, "
            f"{html_text(long_date(r.start_date))}{' · ' + html_text(vouched) if vouched else ''}</small></div>")


def evidence_list(df: pd.DataFrame, term: str | None = None, limit: int = 200, total: int | None = None) -> None:
    """Needs as quoted sentences (escaped; ``term`` marked) with workshop and date. ``total``:
    how many needs there are when ``df`` holds only the first of them."""
    # st.html, not markdown: the quotes are HTML built here from escaped text, and the browser's
    # markdown parser took ~40 ms a row opened to read 200 of them (the same HTML, sanitised again
    # by st.html's DOMPurify, is inserted as it is). st.html refuses an empty string: no rows, no element
    if df.empty:
        return
    color = link_color()
    st.html("".join(quote_html(r, term, color) for r in df.head(limit).itertuples(index=False)))
    more = (len(df) if total is None else total) - min(limit, len(df))
    if more > 0:
        st.caption(f"… and {num(more)} more (narrow the filters, page on or download them).")


def paged_evidence(df: pd.DataFrame, key: str, term: str | None = None, size: int = PAGE_SIZE) -> None:
    """Needs in pages of ``size``, with a page control when there is more than one page."""
    pages = max(1, -(-len(df) // size))
    page = 1
    if pages > 1:
        page = int(st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1,
                                   key=key))
    evidence_list(df.iloc[(page - 1) * size: page * size], term=term, limit=size, total=len(df) - (page - 1) * size)


def evidence_for(f: NeedFilter, term: str | None = None, limit: int = 200, empty: str | None = None) -> None:
    """The needs ``f`` selects as quoted sentences: the first ``limit`` are read and drawn, and
    a line says how many more there are; ``empty`` is the line shown when there is none."""
    (rows, total), = read_all((reads.needs_page, f, limit))  # on the store's copy in memory once built
    if rows.empty and empty:
        st.caption(empty)
    evidence_list(rows, term=term, limit=limit, total=total)


def metrics(counts: dict, labels: dict[str, str]) -> None:
    """A row of counts with thousands separators (one horizontal container: a column each would
    send one more block per count)."""
    row = st.container(horizontal=True)
    for key, text in labels.items():
        row.metric(text, num(counts.get(key)))


# --- an editor's write -------------------------------------------------------------------------
WRITE_FLASH_KEY = "nt_write_flash"


def run_write(message: str, fn, *args, **kwargs) -> None:
    """Run an editor's write (a review, a correction, a merge): on success remember ``message``
    (made by the page from numbers and fixed words, never from a note), drop every cached read so
    counts, tables and this page show the change at once, and rerun; on a refusal say why in one
    line, writing nothing."""
    try:
        fn(*args, **kwargs)
    except NeedsTrackerError as exc:
        st.error(error_text(exc))
        return
    st.session_state[WRITE_FLASH_KEY] = message
    st.cache_data.clear()
    st.rerun()


def show_write_result() -> None:
    """The message of the write that caused this rerun, once."""
    message = st.session_state.pop(WRITE_FLASH_KEY, None)
    if message:
        st.success(message)


# --- a reviewer's controls, shared by the review pages -------------------------------------------
def state_options() -> list[str]:
    """Every state's ISO3, in the order of their names (what a reviewer scans)."""
    from needs_tracker.states import state_index

    return sorted((s.iso3 for s in state_index().all_states()), key=lambda i: state_index().get(i).name)


def state_name(iso3: str | None) -> str:
    from needs_tracker.states import state_index

    s = state_index().get(iso3) if iso3 else None
    return s.name if s else (iso3 or "—")


def state_label(iso3: str | None) -> str:
    """A state as a picker shows it: "Kazakhstan (KAZ)"."""
    return f"{state_name(iso3)} ({iso3})" if iso3 else "—"


def pick_state(key: str, current: str | None, states: list[str], label: str = "State") -> str:
    return st.selectbox(label, states, index=states.index(current) if current in states else 0, key=key,
                        format_func=state_label)


def pick_gap(key: str, current: str | None, categories: list[str]) -> str:
    from needs_tracker.taxonomy import category_label

    return st.selectbox("Gap", categories, index=categories.index(current) if current in categories else 0,
                        key=key, format_func=category_label)


def decision_buttons(noun: str, row_id: int, key: str, editor, confirm, reject, *, reject_help: str | None = None,
                     can_confirm: bool = True, can_reject: bool = True):
    """Confirm and Reject for one row of a review list (``key`` prefixes the widgets' keys; a
    button the row's decision makes pointless, such as Reject on a rejected row, is left out);
    returns the column where the page puts its correction form."""
    columns = iter(st.columns([1, 1, 4]))
    if can_confirm and next(columns).button("Confirm", key=f"{key}confirm_{row_id}", type="primary"):
        run_write(f"Confirmed {noun} #{row_id}.", confirm, editor, row_id)
    if can_reject and next(columns).button("Reject", key=f"{key}reject_{row_id}", help=reject_help):
        run_write(f"Rejected {noun} #{row_id}.", reject, editor, row_id)
    return list(columns)[-1]


PAGE_SIZES = (10, 25, 50)  # rows a review list shows at a time


def queue_offset(key: str, total: int, size: int) -> int:
    """The offset of the page of a review list chosen (a page control only when there is more
    than one page; a list that shrank under the chosen page shows its last page)."""
    pages = max(1, -(-total // size))
    if st.session_state.get(key, 1) > pages:
        st.session_state[key] = pages
    if pages == 1:
        return 0
    page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key=key)
    return (int(page) - 1) * size


# --- which rows a review page lists, and who decided them ---------------------------------------
REVIEW_CHOICES = {ReviewChoice.UNDECIDED: "Undecided", ReviewChoice.CONFIRMED: "Confirmed",
                  ReviewChoice.REJECTED: "Rejected", ReviewChoice.CORRECTED: "Corrected or added by a person",
                  ReviewChoice.ALL: "All"}


def review_choice(key: str) -> ReviewChoice:
    """The rows a review page lists (undecided by default), kept in the URL as ``?decision=``."""
    links.url_control("decision", key, ReviewChoice, ReviewChoice.UNDECIDED)
    choice = st.radio("List", list(REVIEW_CHOICES), key=key, horizontal=True, format_func=REVIEW_CHOICES.get,
                      help="Decided rows can be found again here and their decision changed.")
    links.write_control("decision", choice, ReviewChoice.UNDECIDED)
    return ReviewChoice(choice)


def list_caption(choice: ReviewChoice, first: int, shown: int, total: int, least_certain: str) -> str:
    """What a review list shows and in which order."""
    order = {ReviewChoice.UNDECIDED: least_certain,
             ReviewChoice.ALL: f"Undecided first, {least_certain[:1].lower()}{least_certain[1:]}; then the "
                               "most recent decision first"}.get(choice, "Most recent decision first")
    return f"{order}: showing {num(first + 1)}–{num(first + shown)} of {num(total)}."


_DID = {AuditAction.CONFIRM: "Confirmed", AuditAction.REJECT: "Rejected", AuditAction.CORRECT: "Corrected",
        AuditAction.ADD: "Added"}
# the values of a decision worth naming, in the order they are named
_DECIDED_FIELDS = {"state_iso3": "state", "provider": "provider", "category": "gap",
                   "requested_on": "date of request", "status": "status"}


def _decided_value(field: str, value) -> str:
    from needs_tracker.taxonomy import category_label

    if value is None or value == "":
        return "unknown" if field == "requested_on" else "none"
    if field == "state_iso3":
        return state_name(str(value))
    if field == "category":
        return category_label(str(value))
    return {"extracted": "undecided", "manual": "added by a person"}.get(str(value), str(value))


def decision_text(row) -> str | None:
    """Who decided a listed row, when and what (the values it changed), as escaped Markdown; None
    for a row nobody decided on."""
    action = row.decided_action
    if action is None or (not isinstance(action, str) and pd.isna(action)):
        return None
    at, who = row.decided_at, row.decided_by
    text = f"**{_DID.get(action, md_escape(str(action)))}**"
    if isinstance(who, str) and who:
        text += f" by {md_escape(who)}"
    if at is not None and not pd.isna(at):
        text += f", {pd.Timestamp(at):%d %b %Y %H:%M} UTC"
    before, after = row.decided_before, row.decided_after
    if not isinstance(after, dict):
        return text + " (the audit log holds no entry for it)"
    if action != AuditAction.ADD:
        before = before if isinstance(before, dict) else {}
        changes = [f"{label} {_decided_value(f, before.get(f))} → {_decided_value(f, after[f])}"
                   for f, label in _DECIDED_FIELDS.items() if f in after and before.get(f) != after[f]]
        if changes:
            text += ": " + md_escape("; ".join(changes))
    return text


def workshop_number_columns() -> dict:
    """Column settings for the matching table's workshop columns: they hold workshop numbers (as on
    the Workshops page), headed "(workshop #)" as in the exports, so a "6" reads as workshop #6."""
    return {
        "Needs reported (workshop #)": st.column_config.TextColumn(
            help="The numbers of the workshops whose notes reported the gap (open one at /workshops?workshop=N)"),
        "Later events (workshop #)": st.column_config.TextColumn(
            help="The numbers of the later events on the gap that the state attended "
            "(open one at /workshops?workshop=N)"),
    }

