"""Review offers and formal requests: the editors' queue of what the rules found, least certain
first, with confirm, reject and correct for each, and forms to add by quote what they missed.

Offers and requests feed the Matching page, the briefs and the exports, so a wrong one misleads
donors; this page is where staff check them. A decision made by mistake is found again by
listing the confirmed, rejected or corrected rows (``?decision=``), each with who decided, when
and what, and changed from there. Only a signed-in editor sees the queue (the
evidence is public on the Matching page; the queue is work), and the write functions in
``store.assistance_review`` check the editor again and record every decision in the audit log.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from needs_tracker import review
from needs_tracker.extract.assistance_records import load_assistance_rules
from needs_tracker.states import state_index
from needs_tracker.store import assistance_queue as queue
from needs_tracker.store import assistance_review as decide
from needs_tracker.store.vocab import NeedStatus, RecipientsKind, ReviewChoice
from needs_tracker.taxonomy import category_ids, category_label
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui.common import highlight_spans, long_date, md_escape, num, show_html
from needs_tracker.ui.furniture import (
    PAGE_SIZES,
    decision_buttons,
    decision_text,
    list_caption,
    pick_gap,
    pick_state,
    queue_offset,
    review_choice,
    run_write,
    show_write_result,
    state_label,
    state_name,
    state_options,
)
from needs_tracker.ui.reads import read

ALL_PARTICIPANTS = "all participants"


@functools.cache
def _provider_options() -> tuple[list[str], dict[str, str]]:
    """Providers as stored (an organisation's id, a state's name) and how each reads in a picker."""
    labels = {p.id: p.id if p.name == p.id else f"{p.id} — {p.name}" for p in load_assistance_rules().providers}
    labels.update({s.name: s.name for s in state_index().all_states()})
    return list(labels), labels


def _provider_label(provider: str) -> str:
    return _provider_options()[1].get(provider, provider)


def _recipients(kind: str, iso3s) -> str:
    """To whom an offer is made: its states by name, or all participants of the workshop."""
    if kind == RecipientsKind.ALL_PARTICIPANTS:
        return ALL_PARTICIPANTS
    names = [state_name(i) for i in list(iso3s if iso3s is not None else [])]
    return ", ".join(names) if names else "no state named"


def _in_context(before: str, evidence: str, after: str) -> str:
    """The evidence marked inside its paragraph, as HTML built from escaped text only."""
    text = f"{before}{evidence}{after}"
    return ('<div style="white-space: pre-wrap; line-height: 1.5">…'
            + highlight_spans(text, [(len(before), len(before) + len(evidence))]) + "…</div>")


def _source(row) -> None:
    """Where a listed row comes from, its evidence in its paragraph, and its decision if any."""
    title = row.workshop_title if isinstance(row.workshop_title, str) and row.workshop_title else row.file_name
    st.caption(f"#{row.workshop_id} {md_escape(title)} · {md_escape(long_date(row.start_date))} · "
               f"{md_escape(row.file_name)} · rule {md_escape(row.rule)}")
    show_html(_in_context(row.context_before, row.evidence, row.context_after))
    decided = decision_text(row)
    if decided:
        st.markdown(decided)


def _buttons(noun: str, row, editor, confirm, reject, **kwargs):
    """Confirm and Reject as the row's decision allows (a decided row can be decided again)."""
    status = row.status
    return decision_buttons(noun, int(getattr(row, f"{noun}_id")), f"{noun}_", editor, confirm, reject,
                            can_confirm=status in (NeedStatus.EXTRACTED, NeedStatus.REJECTED),
                            can_reject=status != NeedStatus.REJECTED, **kwargs)


def render() -> None:
    st.title("Review offers and requests")
    st.caption("Offers of assistance and formal requests found by the rules feed the Matching page, the briefs "
               "and the exports. Confirm or reject them, correct them, add what the rules missed; decisions are "
               "kept by every later run of the extractor and recorded in the audit log.")
    editor = ui_auth.editor_block(what="review offers and formal requests")
    if editor is None:  # the queue is editors' work; the evidence itself is on the Matching page
        return
    show_write_result()
    counts = read(queue.assistance_counts)

    def summary(what: str, by_status: dict) -> str:
        todo = by_status.get(NeedStatus.EXTRACTED, 0)
        each = ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()) if k != NeedStatus.EXTRACTED)
        return f"**{num(todo)}** {what} to review ({each or 'none decided yet'})"

    st.markdown(f"{summary('offers', counts['offers'])} · {summary('requests', counts['requests'])}")
    choices = read(review.workshop_choices)
    if not choices:
        st.info("The store holds no notes yet.")
        return
    choice = review_choice("assist_choice")
    tabs = st.tabs(["Offers", "Formal requests", "Add an offer", "Add a request"])
    workshops = read(queue.assistance_workshops)
    with tabs[0]:
        _offers(editor, workshops, choice)
    with tabs[1]:
        _requests(editor, workshops, choice)
    with tabs[2]:
        _add_offer(editor, choices)
    with tabs[3]:
        _add_request(editor, choices)


def _filter(kind: str, workshops) -> tuple[int | None, int]:
    """The workshop to review (or all) and the page size."""
    labels = {w: f"#{w} {title or file_name}" + (f" ({year})" if year else "")
              for w, title, year, file_name, _, _ in workshops}
    left, right = st.columns([4, 1])
    workshop_id = left.selectbox("Workshop", [None, *labels], key=f"{kind}_workshop",
                                 format_func=lambda w: "All workshops" if w is None else labels[w])
    return workshop_id, right.selectbox("Show", PAGE_SIZES, key=f"{kind}_size")


def _offers(editor, workshops, choice: ReviewChoice) -> None:
    workshop_id, size = _filter("offer", workshops)
    total = read(queue.queue_sizes, workshop_id=workshop_id, choice=choice)["offers"]
    offset = queue_offset(f"offer_page_{choice}", total, size)  # another list opens at its first page
    rows = read(queue.offer_queue, workshop_id=workshop_id, limit=size, offset=offset, choice=choice)
    if rows.empty:
        st.success("No offers left to review here." if choice == ReviewChoice.UNDECIDED
                   else "No offers with that decision here.")
        return
    st.caption(list_caption(choice, offset, len(rows), total, "Least certain first"))
    providers, categories = _provider_options()[0], category_ids()
    for row in rows.itertuples(index=False):
        oid = int(row.offer_id)
        with st.container(border=True):
            st.markdown(f"**{md_escape(_provider_label(row.provider))}** offers "
                        f"**{md_escape(category_label(row.category))}** to "
                        f"{md_escape(_recipients(row.recipients_kind, row.recipients_iso3))} · "
                        f"confidence {row.confidence:.2f}")
            _source(row)
            correction = _buttons("offer", row, editor, decide.confirm_offer, decide.reject_offer,
                                  reject_help="Not an offer: an achievement, the event's own funding, "
                                              "a misread sentence")
            with correction.expander("Correct provider or category"):
                options = providers if row.provider in providers else [row.provider, *providers]
                provider = st.selectbox("Provider", options, index=options.index(row.provider),
                                        key=f"offer_provider_{oid}", format_func=_provider_label)
                category = pick_gap(f"offer_category_{oid}", row.category, categories)
                if st.button("Save correction", key=f"offer_correct_{oid}"):
                    run_write(f"Corrected offer #{oid}.", decide.correct_offer, editor, oid, provider=provider,
                              category=category)


def _date_text(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _requests(editor, workshops, choice: ReviewChoice) -> None:
    workshop_id, size = _filter("request", workshops)
    total = read(queue.queue_sizes, workshop_id=workshop_id, choice=choice)["requests"]
    offset = queue_offset(f"request_page_{choice}", total, size)
    rows = read(queue.request_queue, workshop_id=workshop_id, limit=size, offset=offset, choice=choice)
    if rows.empty:
        st.success("No formal requests left to review here." if choice == ReviewChoice.UNDECIDED
                   else "No formal requests with that decision here.")
        return
    st.caption(list_caption(choice, offset, len(rows), total, "Least certain first"))
    states, categories = state_options(), category_ids()
    for row in rows.itertuples(index=False):
        rid = int(row.request_id)
        with st.container(border=True):
            st.markdown(f"**{md_escape(state_name(row.state_iso3))}** requested "
                        f"**{md_escape(category_label(row.category))}** · date of request "
                        f"{md_escape(long_date(row.requested_on))} · confidence {row.confidence:.2f}")
            _source(row)
            correction = _buttons("request", row, editor, decide.confirm_request, decide.reject_request)
            with correction.expander("Correct state, gap or date"):
                state = pick_state(f"request_state_{rid}", row.state_iso3, states)
                category = pick_gap(f"request_category_{rid}", row.category, categories)
                day = st.text_input("Date of request (YYYY-MM-DD; empty if unknown)", _date_text(row.requested_on),
                                    key=f"request_date_{rid}")
                if st.button("Save correction", key=f"request_correct_{rid}"):
                    run_write(f"Corrected request #{rid}.", decide.correct_request, editor, rid, state_iso3=state,
                              category=category, requested_on=day.strip())


def _note(kind: str, choices) -> tuple[int, dict] | None:
    """The workshop chosen for an addition, with its note to copy the quote from."""
    labels = dict(choices)
    workshop_id = st.selectbox("Workshop", [w for w, _ in choices], key=f"add_{kind}_workshop",
                               format_func=lambda w: labels[w])
    info = read(review.workshop_for_edit, workshop_id)
    if info is None:
        st.error("That workshop no longer exists.")
        return None
    with st.expander(f"The note ({md_escape(info['file_name'])}) — copy the quote from here"):
        st.text(info["text"])
    return workshop_id, info


def _add_offer(editor, choices) -> None:
    chosen = _note("offer", choices)
    if chosen is None:
        return
    workshop_id, info = chosen
    providers = _provider_options()[0]
    provider = st.selectbox("Provider (a state, or an organisation the rules list)", providers,
                            key="add_offer_provider", format_func=_provider_label)
    category = st.selectbox("Gap", category_ids(), key="add_offer_category", format_func=category_label)
    listed = list(info["participants"]["state_iso3"])
    recipients = st.multiselect("Offered to (leave empty for all participants)",
                                listed + [s for s in state_options() if s not in listed],
                                key="add_offer_recipients", format_func=state_label)
    groups = state_index().groups()
    group = st.selectbox("… or to a group (its members who took part)", [None, *groups], key="add_offer_group",
                         format_func=lambda g: "—" if g is None else groups[g])
    quote = st.text_area("Quote from the note that makes the offer", key="add_offer_quote")
    note = st.text_input("Reviewer's note (optional)", key="add_offer_note")
    if st.button("Add offer", key="add_offer_submit", type="primary"):
        run_write("Added the offer.", decide.add_manual_offer, editor, workshop_id, provider, category, quote,
                  recipients_iso3=recipients or None, group=group, note=note or None)


def _add_request(editor, choices) -> None:
    chosen = _note("request", choices)
    if chosen is None:
        return
    workshop_id, info = chosen
    listed = list(info["participants"]["state_iso3"])
    state = st.selectbox("Requesting state", listed + [s for s in state_options() if s not in listed],
                         key="add_request_state", format_func=state_label)
    category = st.selectbox("Gap", category_ids(), key="add_request_category", format_func=category_label)
    day = st.text_input("Date of request (YYYY-MM-DD; empty if unknown)", key="add_request_date")
    quote = st.text_area("Quote from the note that makes the request", key="add_request_quote")
    note = st.text_input("Reviewer's note (optional)", key="add_request_note")
    if st.button("Add request", key="add_request_submit", type="primary"):
        run_write("Added the request.", decide.add_manual_request, editor, workshop_id, state, category, quote,
                  requested_on=day.strip() or None, note=note or None)


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "review_assistance")
