"""Workshops: a sortable, searchable table of events, and one workshop's page (``?workshop=ID``)
with its fields, participants, organisers, topics, gaps state by state, the offers and formal
requests its documents hold, its sources, and the note's text, escaped, with every evidence
sentence marked. The table's search is in the URL (``?q=``).

A cable and a news story of one workshop are two sources of one event: the table has one row
per event (the workshop standing for it, with all its sources' needs), and the page of any
source says which event it belongs to. Editors merge and split sources here; the write
functions check the editor again.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.labels import DATE_UNKNOWN
from needs_tracker.store import assistance, assistance_review, reads, workshop_reads
from needs_tracker.store.assistance import event_sources
from needs_tracker.store.vocab import LinkedBy, RecipientsKind, WorkshopKind
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import (
    dates,
    html_text,
    long_date,
    md_escape,
    note_html,
    num,
    quoted,
    show_html,
)
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.furniture import run_write, show_write_result
from needs_tracker.ui.reads import current_filter, read

_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
_GIVEN_TO = {RecipientsKind.ALL_PARTICIPANTS: "all participants"}


def _open(workshop_id: int) -> None:
    st.query_params["workshop"] = str(int(workshop_id))
    st.rerun()


def _editor():
    """The signed-in editor, or None (always None on a published, read-only snapshot)."""
    from needs_tracker import snapshot

    try:
        if snapshot.current() is not None:
            return None
    except NeedsTrackerError:
        return None
    return ui_auth.current_editor()


def _when(start, year) -> str:
    if start is not None and not pd.isna(start):
        return long_date(start)
    return str(int(year)) if year is not None and not pd.isna(year) else DATE_UNKNOWN


def _how_linked(r, alone: bool) -> str:
    """How a source came to be part of its event, in words (plain text)."""
    if r.linked_by == LinkedBy.SPLIT:  # the reasons say who: "split by NAME"
        return r.reasons or "split off by a person"
    if r.linked_by == LinkedBy.MANUAL:  # "merged by NAME"
        return ("the event's record; " if r.is_record else "") + (r.reasons or "merged by a person")
    if alone:
        return "the only source"
    if r.is_record:
        return "the event's record"
    score = f"score {r.score:.2f}" if r.score is not None and not pd.isna(r.score) else "no score"
    return f"linked automatically ({score}: {r.reasons or 'no reasons recorded'})"


def _source_html(r, alone: bool) -> str:
    """One source's line as HTML built from escaped text: markdown would turn a URL in a
    note's title into a link even when its punctuation is escaped."""
    return (f"<div><b>{html_text(r.file_name)}</b> · {html_text(r.title or 'untitled workshop')} · "
            f"{html_text(_when(r.start_date, r.year))} · {num(r.needs)} need(s)<br>"
            f"<small>{html_text(_how_linked(r, alone))}</small></div>")


_PREPARED = "ws_original_prepared"  # session state: (document id, bytes or None, one-line error or None)


def _hold_original(value: tuple) -> None:
    furniture.hold_for_page(_PREPARED, value, "workshops")  # another page's first run lets it go


def _keep_original_of(document_ids: set[str]) -> None:
    """Let go of a fetched original unless it is one of ``document_ids`` (the sources of the
    workshop shown): the list of workshops, or another workshop's page, holds none."""
    prepared = st.session_state.get(_PREPARED)
    if prepared is not None and prepared[0] not in document_ids:
        del st.session_state[_PREPARED]


def _prepare_original(location: str, info) -> None:
    """The "Download the original" button's callback: read the bytes and check them against their
    sha256 before any file is offered. Streamlit's deferred download (``data=callable``) runs on
    its own thread with no way back to the page, so a failed read there handed the browser a file
    anyway; here a failure becomes one line on the page and no file at all."""
    import logging

    from needs_tracker.store import connection, originals

    try:
        with connection.connect(location) as con:
            data = originals.read(con, info.document_id)
        if data is None:
            raise NeedsTrackerError(f"the original of {info.file_name} is no longer in the store (it was changed "
                                    "since this page was drawn): reload the page")
        _hold_original((info.document_id, originals.checked(data, info), None))
    except NeedsTrackerError as exc:  # already one line naming the file
        message = str(exc)
        _hold_original((info.document_id, None, message[:1].upper() + message[1:] + "."))
    except Exception as exc:  # one line for the person; the log keeps the traceback
        logging.getLogger(__name__).exception("reading the original of %s failed", info.document_id)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        _hold_original((info.document_id, None, f"The original of {info.file_name} could not be read: {reason}"))


def _size(info) -> str:
    return f"{info.size_bytes / 1024 ** 2:.1f} MB" if info.size_bytes >= 1024 ** 2 else f"{num(info.size_bytes)} bytes"


def _described(info) -> str:
    return md_escape(f"{info.file_name}: {_size(info)}, {info.format.upper()}, exactly as ingested")


def _original_download(workshop_id: int, info) -> None:
    """"Download the original" of one source (viewers too: its text is on the page already).

    Drawing the page reads only whether the file is kept (``store.originals.for_workshops``). The
    button reads and checks the bytes (``_prepare_original``); only bytes that passed are offered,
    by a second button that saves them as an attachment with the note's own name and MIME type,
    never as HTML. One original is held per session at a time (the last one asked for), and only
    while its workshop's page is shown."""
    from needs_tracker.ui.reads import store_key

    prepared = st.session_state.get(_PREPARED)
    if prepared is not None and info is not None and prepared[0] == info.document_id:
        _, data, error = prepared
        if error is not None:  # shown even when this run finds the file gone: it says what happened
            st.error(md_escape(error))
        elif info.kept:
            st.download_button(f"Save {md_escape(info.file_name)}", data=data, file_name=info.file_name,
                               mime=info.mime, key=f"ws_original_save_{int(workshop_id)}", on_click="ignore",
                               icon=":material/download:", type="primary", help=_described(info))
            st.caption(md_escape(f"{_size(info)}, read from the store and checked against its sha256."))
            return
    if info is None or not info.kept:
        reason = info.missing_reason if info is not None else "original file not kept"
        st.caption(md_escape(reason[:1].upper() + reason[1:] + "."))
        return
    st.button("Download the original", key=f"ws_original_{int(workshop_id)}", on_click=_prepare_original,
              args=(store_key()[0], info), icon=":material/download:", help=_described(info))


def _sources(workshop_id: int, sources: pd.DataFrame, editor, kind: str | None) -> None:
    from needs_tracker.store.originals import for_workshops

    kept = read(for_workshops, tuple(int(w) for w in sources["workshop_id"]))  # no bytes read here
    _keep_original_of({i.document_id for i in kept.values() if i is not None})
    linked = sources[sources["linked_by"] != LinkedBy.SPLIT] if len(sources) > 1 else sources
    alone = len(linked) < 2
    st.subheader(f"Sources ({num(len(sources))})")
    if alone:
        st.caption("One document describes this workshop.")
    for r in sources.itertuples(index=False):
        cols = st.columns([7, 1.2, 1.8] if editor is not None else [8, 1.2])
        with cols[0]:
            show_html(_source_html(r, alone))
            _original_download(int(r.workshop_id), kept.get(int(r.workshop_id)))
        if int(r.workshop_id) == workshop_id:
            cols[1].caption("shown here")
        elif cols[1].button("Open", key=f"ws_src_open_{int(r.workshop_id)}"):
            _open(int(r.workshop_id))
        if editor is not None and not alone and cols[2].button(
                "Split this source off", key=f"ws_split_{int(r.workshop_id)}"):
            run_write(f"Source #{int(r.workshop_id)} is now an event of its own.", assistance_review.split_source,
                      editor, int(r.workshop_id))
        if editor is not None and not alone and not r.is_record and r.linked_by != LinkedBy.SPLIT and cols[2].button(
                "Make it the event's record", key=f"ws_record_{int(r.workshop_id)}",
                help="Its title, dates and venue become the event's in counts, tables and timelines."):
            run_write(f"Source #{int(r.workshop_id)} is now the event's record.", assistance_review.choose_event_record,
                      editor, int(r.workshop_id))
    if editor is not None and kind != WorkshopKind.ASSISTANCE_REQUESTS:  # a register of requests is no event
        _merge_control(workshop_id, editor)


def _merge_control(workshop_id: int, editor) -> None:
    candidates = read(workshop_reads.merge_candidates, workshop_id)
    if candidates.empty:
        st.caption("There is no other workshop to merge this one with.")
        return
    labels = {int(r.workshop_id): f"{r.title or 'untitled workshop'} ({_when(r.start_date, r.year)}"
              + (f", {r.venue_city}" if isinstance(r.venue_city, str) and r.venue_city else "")
              + f") — {r.file_name} · #{int(r.workshop_id)}" for r in candidates.itertuples(index=False)}
    left, right = st.columns([7, 3])
    choice = left.selectbox("Merge with…", list(labels), index=None, format_func=labels.__getitem__,
                            placeholder="another workshop describing the same event (same year first)",
                            key="ws_merge_with")
    right.write("")
    if right.button("Merge into one event", key="ws_merge", disabled=choice is None) and choice is not None:
        run_write(f"Merged with workshop #{int(choice)} into one event.", assistance_review.merge_sources, editor,
                  [workshop_id, choice])


def _offers(ids: list[int], files: dict[int, str]) -> None:
    """The offers the event's documents make (``files``: each document's file name, shown when
    there are several), read as the Matching page and the state profile read theirs."""
    offers = read(assistance.offers_for, None, None, workshop_ids=tuple(ids))
    st.subheader(f"Offers ({num(len(offers))})")
    if offers.empty:
        st.caption("No offer of assistance was found in this note.")
        return
    show = pd.DataFrame({
        "provider": offers["provider"],
        "gap": [links.label(c) for c in offers["category"]],
        "to whom": [_GIVEN_TO.get(kind) or ", ".join(links.state_name(s) for s in (iso3s if iso3s is not None else []))
                    or "participants" for kind, iso3s in zip(offers["recipients_kind"], offers["recipients_iso3"],
                                                             strict=True)],
        "evidence": offers["evidence"],
        "status": offers["status"],
    })
    if len(files) > 1:
        show["source"] = [files.get(int(w), "") for w in offers["workshop_id"]]
    st.dataframe(show, hide_index=True, key="ws_offers",
                 column_config={"evidence": st.column_config.TextColumn(width="large")})


def _requests(ids: list[int]) -> None:
    requests = read(assistance.requests_for, None, None, workshop_ids=tuple(ids))
    st.subheader(f"Formal requests ({num(len(requests))})")
    if requests.empty:
        st.caption("No request for assistance was read from this document.")
        return
    st.dataframe(pd.DataFrame({
        "state": [links.state_name(s) for s in requests["state_iso3"]],
        "gap": [links.label(c) for c in requests["category"]],
        "requested on": dates(requests["requested_on"]),
        "evidence": requests["evidence"],
        "status": requests["status"],
    }), hide_index=True, key="ws_requests", column_config={"evidence": st.column_config.TextColumn(width="large")})


def _detail(workshop_id: int) -> None:
    f = current_filter()
    info = read(reads.workshop, workshop_id)
    if st.button("All workshops", key="ws_back", icon=":material/arrow_back:"):
        del st.query_params["workshop"]
        st.rerun()
    if info is None:
        _keep_original_of(set())
        st.warning(f"There is no workshop {quoted(f'#{workshop_id}')} in the store.")
        return
    show_write_result()
    st.title(md_escape(info["title"]) or f"Workshop #{workshop_id}")
    sources = read(event_sources, workshop_id)
    linked = sources[sources["linked_by"] != LinkedBy.SPLIT]
    event_id = int(info["event_id"])
    several = event_id == workshop_id and len(linked) > 1
    if event_id != workshop_id:
        record = sources[sources["is_record"]]
        name = record["title"].iloc[0] if len(record) else None
        st.info(f"This document is one of {num(len(linked))} sources of one event (workshop #{event_id}). "
                "The event's page counts the needs of all its sources.")
        show_html(f"<div>The event: <a href='{html.escape(links.workshop_url(event_id, f), quote=True)}' "
                  f"target='_self'><b>{html_text(name or 'untitled workshop')}</b></a></div>")
        if st.button("Open the event", key="ws_open_event", icon=":material/event:"):
            _open(event_id)
    when = _when(info["start_date"], info["year"])
    if info["end_date"] is not None and not pd.isna(info["end_date"]) and info["end_date"] != info["start_date"]:
        when += " – " + long_date(info["end_date"])
    venue = ", ".join(x for x in (info["venue_city"], info["venue_country"]) if x)
    c = st.columns(4)
    c[0].markdown(f"**Date**  \n{when}")
    c[1].markdown(f"**Venue**  \n{md_escape(venue) or 'venue unknown'}")
    c[2].markdown(f"**Kind**  \n{md_escape(info['kind'])}")
    c[3].markdown(f"**Note**  \n{md_escape(info['file_name'])}")
    if info["organizers"]:
        st.markdown("**Organisers:** " + md_escape("; ".join(info["organizers"])))
    if info["organizations"]:
        st.markdown("**Participating organisations:** " + md_escape("; ".join(info["organizations"])))
    if info["warnings"]:
        st.caption("Extraction warnings: " + md_escape("; ".join(info["warnings"])))

    # an event's page names the states of all its sources, as the Workshops list counts them
    parts = read(workshop_reads.event_participants, workshop_id) if several else info["participants"]
    st.subheader(f"Participants ({num(len(parts))})")
    if several:
        st.caption(f"From all {num(len(linked))} sources of this event.")
    if parts.empty:
        st.caption("The note names no participating state.")
    links.state_links(zip(parts["state_iso3"], parts["state_name"], strict=True), f, key="ws_states")
    if info["unresolved_names"]:
        st.caption("Names not resolved to a state: " + md_escape("; ".join(info["unresolved_names"])))

    st.subheader("Topics")
    st.markdown(", ".join(links.label(t) for t in info["topics"]["category"]) or "none recorded")

    needs = info["event_needs"]
    st.subheader(f"Gaps reported ({num(len(needs))})")
    if several:
        st.caption(f"From all {num(len(linked))} sources of this event; each sentence links to its own note. "
                   "The note below marks this document's.")
    for iso3, group in needs.groupby("state_iso3", sort=False):
        links.state_link(iso3, str(group["state_name"].iloc[0]), f)
        furniture.evidence_list(group, term=f.text)

    ids = [int(w) for w in linked["workshop_id"]] if several else [workshop_id]
    _offers(ids, {int(w): str(n) for w, n in zip(linked["workshop_id"], linked["file_name"], strict=True)
                  if int(w) in ids})
    if info["kind"] == WorkshopKind.ASSISTANCE_REQUESTS:
        _requests([workshop_id])
    editor = _editor()
    _sources(workshop_id, sources, editor, info["kind"])
    if editor is None and ui_auth.auth_mode() is not None:
        st.caption("Editors (sign in from the sidebar) can merge this workshop with another source of the same "
                   "event, or split a source off.")

    st.subheader("The note")
    spans = list(zip(info["needs"]["span_start"], info["needs"]["span_end"], strict=True))
    show_html(note_html(info["text"] or "", spans))


def render() -> None:
    workshop = st.query_params.get("workshop")
    if workshop is not None and _NUMBER.fullmatch(str(workshop).strip()):
        _detail(int(str(workshop).strip()))
        return
    _keep_original_of(set())
    f = current_filter()
    st.title("Workshops")
    if workshop is not None:
        st.warning(f"{quoted(workshop)} in the link is not a workshop number: showing all workshops.")
    furniture.filter_banner(f)
    df = read(reads.workshops, f)
    if df.empty:
        furniture.empty_state(f, "workshops")
        return
    links.url_control("q", "ws_search", lambda v: " ".join(v.split()), "")
    search = st.text_input("Search the workshops (title, venue, organiser, file)", key="ws_search")
    links.write_control("q", " ".join(search.split()), "")
    if search.strip():
        hay = (df["title"].fillna("") + " " + df["venue_city"].fillna("") + " " + df["venue_country"].fillna("")
               + " " + df["organizers"].fillna("") + " " + df["file_name"].fillna("")).str.lower()
        df = df[hay.str.contains(" ".join(search.lower().split()), regex=False)]
        if df.empty:
            st.info(f"No workshop matches {quoted(search)}.")
            return
    show = pd.DataFrame({
        "date": dates(df["start_date"]),
        "workshop": df["title"].fillna("untitled workshop"),
        "venue": [", ".join(x for x in (a, b) if isinstance(x, str) and x) or "venue unknown"
                  for a, b in zip(df["venue_city"], df["venue_country"], strict=True)],
        "organisers": df["organizers"],
        "states": df["participants"],
        "needs": df["needs"],
        "sources": df["sources"],
        "open": links.workshop_urls(df["workshop_id"], f),
    })
    event = st.dataframe(show, hide_index=True, key="ws_table", on_select="rerun", selection_mode="single-row",
                         column_config={"open": st.column_config.LinkColumn("page", display_text="open")})
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        st.query_params["workshop"] = str(int(df["workshop_id"].iloc[rows[0]]))
        st.rerun()
    st.caption(f"{num(len(df))} workshop(s). A workshop described by several documents is one row; “sources” "
               "says how many. Select a row, or follow “open”, to see its page.")
    download_row(f, key="ws_download")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "workshops")
