"""Text search in the evidence sentences: words match any of their forms (stems), in any
order, "quoted phrases" as written; hits are marked; a sentence attributed to several states
is listed once with all of them. The words are the shared ``text`` filter, so a search is
part of the URL like any other filter, and so is the page of results (``?page=``)."""

from __future__ import annotations

import html

import streamlit as st

from needs_tracker.store import reads
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import highlight_spans, html_text, long_date, num, show_html
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.filters import W
from needs_tracker.ui.reads import current_filter, read

PAGE = 50  # sentences on one page; the downloads hold them all


def _set_text() -> None:
    st.session_state[W["text"]] = st.session_state.get("search_box", "")


def _sentence_html(r, term: str) -> str:
    from needs_tracker.search import hit_spans

    states = ", ".join(
        f"<a href='{html.escape(links.state_url(iso3), quote=True)}' target='_self'>"
        f"<b>{html_text(links.state_name(iso3))}</b></a>" for iso3 in r.state_iso3s)
    gaps = "; ".join(html_text(links.label(c)) for c in r.categories)
    evidence = str(r.evidence)
    return (f"<div>{states} · {gaps}<blockquote style='margin:0.2em 0 0.2em 0.5em'>"
            f"{highlight_spans(evidence, hit_spans(evidence, term))}</blockquote>"
            f"<small><a href='{html.escape(links.workshop_url(r.workshop_id), quote=True)}' target='_self'>"
            f"{html_text(r.workshop_title or 'untitled workshop')}</a>, {html_text(long_date(r.start_date))}"
            f"</small></div>")


def render() -> None:
    f = current_filter()
    st.title("Text search")
    if st.session_state.get("search_box") != (f.text or ""):
        st.session_state["search_box"] = f.text or ""
    st.text_input("Words in the evidence sentences", key="search_box", on_change=_set_text,
                  placeholder='e.g. licens, border control, "control list"',
                  help="Every word must occur, in any of its forms (licens → licensing, licence; control → "
                       "controls), in any order; a phrase in quotes must occur as written.")
    furniture.filter_banner(f)
    if not f.text:
        st.caption("Type words or a \"phrase\": every evidence sentence containing them is listed once, with "
                   "its states and the hits marked.")
        return
    links.url_control("page", "search_page", lambda v: max(1, int(v)), 1)
    page = int(st.session_state.get("search_page") or 1)
    rows, total = read(reads.search_sentences, f, PAGE, (page - 1) * PAGE)
    if not total:
        furniture.empty_state(f, "evidence sentences")
        return
    pages = max(1, -(-total // PAGE))
    counts = read(reads.counts, f)
    st.markdown(f"**{num(total)}** sentence(s) in **{num(counts['workshops'])}** workshop(s), "
                f"**{num(counts['states'])}** state(s).")
    if pages > 1:
        if st.session_state.get("search_page", 1) > pages:
            st.session_state["search_page"] = pages
        page = int(st.number_input(f"Page (of {num(pages)})", min_value=1, max_value=pages, step=1,
                                   key="search_page"))
        rows, _ = read(reads.search_sentences, f, PAGE, (page - 1) * PAGE)
    links.write_control("page", page, 1)
    show_html("".join(_sentence_html(r, f.text) for r in rows.itertuples(index=False)))
    download_row(f, key="search_download")


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "search")
