"""The review page: work through the queue of unreviewed needs, add missed ones, fix workshops.
An editor can also list the needs already decided (``?decision=``), with who decided, when and
what, to find a decision made by mistake and change it.

Viewers see the queue read-only; editing controls appear only for a signed-in editor, and the
write functions in ``needs_tracker.review`` check the editor again.
"""

from __future__ import annotations

import streamlit as st

from needs_tracker import review
from needs_tracker.store.vocab import NeedStatus, ReviewChoice, WorkshopKind
from needs_tracker.taxonomy import category_ids, category_label
from needs_tracker.ui import auth as ui_auth
from needs_tracker.ui.common import md_escape
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
    state_options,
)
from needs_tracker.ui.reads import read

FLAG_MARK = "⚑ Flagged for another look"
# what each workshop kind means, for the editor choosing one
KIND_LABELS = {WorkshopKind.WORKSHOP: "workshop — an event (workshop, seminar, course, briefing, …)",
               WorkshopKind.OTHER: "other — a report that names no event of its own",
               WorkshopKind.ASSISTANCE_REQUESTS: "assistance_requests — a register or letter of formal requests "
                                                 "(never merged into an event)"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def render() -> None:
    st.title("Review")
    st.caption("Extraction is never perfect: confirm or reject what it found, correct it, add what it "
               "missed. Decisions are kept by every later run of the extractor.")
    editor = ui_auth.editor_block(what="review needs and correct workshops")
    show_write_result()
    counts = read(review.review_counts)
    choices = read(review.workshop_choices)
    todo = counts.get(NeedStatus.EXTRACTED, 0)
    decided = sum(v for k, v in counts.items() if k != NeedStatus.EXTRACTED)
    each = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()) if k != NeedStatus.EXTRACTED)
    st.markdown(f"**{todo}** needs to review · **{decided}** decided ({each or 'none yet'})")
    if not choices:
        st.info("The store holds no notes yet.")
        return
    if editor is None:
        _queue(None, choices)
        return
    tab_queue, tab_add, tab_workshop = st.tabs(["Review queue", "Add a need", "Correct a workshop"])
    with tab_queue:
        _queue(editor, choices)
    with tab_add:
        _add_need(editor, choices)
    with tab_workshop:
        _workshop(editor, choices)


def _queue(editor, choices) -> None:
    """The needs to review, a page at a time; an editor can also list decided ones to change them."""
    labels = dict(choices)
    # viewers see the queue only: who decided what is the audit log's, which is for editors
    choice = ReviewChoice.UNDECIDED if editor is None else review_choice("queue_choice")
    left, middle, right = st.columns([3, 2, 1])
    workshop_id = left.selectbox("Workshop", [None] + [w for w, _ in choices], key="queue_workshop",
                                 format_func=lambda w: "All workshops" if w is None else labels[w])
    # staff preparing a meeting on one state review its needs together, whatever workshop reported them
    state = middle.selectbox("State", [None, *state_options()], key="queue_state",
                             format_func=lambda s: "All states" if s is None else state_label(s))
    size = right.selectbox("Show", PAGE_SIZES, key="queue_size")
    total = read(review.queue_size, workshop_id=workshop_id, choice=choice, state_iso3=state)
    offset = queue_offset(f"queue_page_{choice}", total, size)  # another list opens at its first page
    queue = read(review.review_queue, workshop_id=workshop_id, limit=size, offset=offset, choice=choice,
                 state_iso3=state)
    if queue.empty:
        st.success("Nothing left to review here." if choice == ReviewChoice.UNDECIDED
                   else "No needs with that decision here.")
        return
    # the undecided queue puts needs flagged for another look first; a decision's own list keeps them in
    # the order of their decisions and marks them below
    st.caption(list_caption(choice, offset, len(queue), total,
                            "Flagged for another look first, then the most uncertain (confidence nearest 50%)"))
    states, categories = state_options(), category_ids()
    for row in queue.itertuples(index=False):
        nid = int(row.need_id)
        with st.container(border=True):
            st.markdown(f"**{md_escape(row.state_name)}** · {md_escape(category_label(row.category))} · "
                        f"confidence {row.confidence:.2f} · #{row.workshop_id} "
                        f"{md_escape(row.workshop_title or row.file_name)}")
            st.markdown(f"…{md_escape(row.context_before)} **{md_escape(row.evidence)}** "
                        f"{md_escape(row.context_after)}…")
            decided = decision_text(row) if editor is not None else None  # who decided is for editors (audit)
            if decided:
                st.markdown(decided)
            if isinstance(row.flagged, str) and row.flagged:
                st.caption(f"{FLAG_MARK}: {md_escape(row.flagged)}")
            if editor is None:
                continue
            waiting = row.status == NeedStatus.EXTRACTED or isinstance(row.flagged, str)
            correction = decision_buttons(
                "need", nid, "", editor, review.confirm_need, review.reject_need,
                can_confirm=waiting or row.status == NeedStatus.REJECTED,
                can_reject=waiting or row.status != NeedStatus.REJECTED)
            with correction.expander("Correct state or category"):
                state = pick_state(f"state_{nid}", row.state_iso3, states)
                category = pick_gap(f"category_{nid}", row.category, categories)
                if st.button("Save correction", key=f"correct_{nid}"):
                    run_write(f"Corrected need #{nid}.", review.correct_need, editor, nid,
                              state_iso3=state, category=category)


def _add_need(editor, choices) -> None:
    labels = dict(choices)
    workshop_id = st.selectbox("Workshop", [w for w, _ in choices], key="add_workshop",
                               format_func=lambda w: labels[w])
    info = read(review.workshop_for_edit, workshop_id)
    if info is None:
        st.error("That workshop no longer exists.")
        return
    with st.expander(f"The note ({md_escape(info['file_name'])}) — copy the quote from here"):
        st.text(info["text"])
    listed = [p for p in info["participants"]["state_iso3"]]
    states = listed + [s for s in state_options() if s not in listed]
    state = st.selectbox("State", states, key="add_state", format_func=state_label)
    category = st.selectbox("Gap", category_ids(), key="add_category", format_func=category_label)
    quote = st.text_area("Quote from the note that reports the need", key="add_quote")
    note = st.text_input("Reviewer's note (optional)", key="add_note")
    if st.button("Add need", key="add_submit", type="primary"):
        run_write("Added the need.", review.add_manual_need, editor, workshop_id, state, category, quote,
                  note=note or None)


def _workshop(editor, choices) -> None:
    labels = dict(choices)
    wid = st.selectbox("Workshop", [w for w, _ in choices], key="ws_select", format_func=lambda w: labels[w])
    info = read(review.workshop_for_edit, wid)
    if info is None:
        st.error("That workshop no longer exists.")
        return
    if info["edited_fields"]:
        st.caption("Corrected by a person (kept by reprocess): " + ", ".join(info["edited_fields"]))

    def text(value) -> str:
        return "" if value is None else str(value)

    fields = {
        "title": st.text_input("Title", text(info["title"]), key=f"ws_title_{wid}"),
        # a closed list (the store's CHECK): an event of any name is a workshop, its title says which
        "kind": st.selectbox("Kind", review.KINDS, key=f"ws_kind_{wid}", format_func=kind_label,
                             index=review.KINDS.index(info["kind"]) if info["kind"] in review.KINDS else 0),
        "start_date": st.text_input("Start date (YYYY-MM-DD)", text(info["start_date"]), key=f"ws_start_{wid}"),
        "end_date": st.text_input("End date (YYYY-MM-DD)", text(info["end_date"]), key=f"ws_end_{wid}"),
        "year": st.text_input("Year", text(info["year"]), key=f"ws_year_{wid}"),
        "venue_city": st.text_input("Venue city", text(info["venue_city"]), key=f"ws_city_{wid}"),
    }
    countries = [""] + state_options()
    current_country = text(info["venue_country_iso3"])
    fields["venue_country_iso3"] = st.selectbox(
        "Venue country", countries, index=countries.index(current_country) if current_country in countries else 0,
        key=f"ws_country_{wid}", format_func=state_label)
    if st.button("Save workshop", key=f"ws_save_{wid}", type="primary"):
        changes = {k: v for k, v in fields.items() if v.strip() != text(info[k])}
        if not changes:
            st.info("Nothing changed.")
        else:
            run_write(f"Saved workshop #{wid}.", review.edit_workshop, editor, wid, changes)

    st.subheader("Participating states")
    parts = info["participants"]
    st.dataframe(parts, hide_index=True, width="stretch")
    listed = list(parts["state_iso3"])
    if listed:
        c1, c2, c3 = st.columns([3, 1, 1])
        chosen = c1.selectbox("Listed state", listed, key=f"p_state_{wid}", format_func=state_label)
        if c2.button("Confirm", key=f"p_confirm_{wid}"):
            run_write(f"Confirmed {chosen}.", review.confirm_participant, editor, wid, chosen)
        if c3.button("Remove", key=f"p_remove_{wid}"):
            run_write(f"Removed {chosen}.", review.remove_participant, editor, wid, chosen)
    c1, c2, c3 = st.columns([3, 1, 1])
    new_state = c1.selectbox("Add a state", state_options(), key=f"p_add_state_{wid}", format_func=state_label)
    role = c2.selectbox("Role", review.ROLES, index=1, key=f"p_add_role_{wid}")
    if c3.button("Add", key=f"p_add_{wid}"):
        run_write(f"Added {new_state} as {role}.", review.add_participant, editor, wid, new_state, role)


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "review")
