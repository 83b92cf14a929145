"""State profile: each gap across the years, a side-by-side comparison of two years or two
workshops, every need with its sentence (sections after the first few collapsed, evidence
paged), the state's requests and offers (the matching table's rows, its formal requests and the
offers made to it; read only when opened, ``?assist=1``), and the workshops the state attended.
The state comes from ``?state=ISO3``; a ``?gap=`` (from a heatmap click) opens that gap's section
and closes the others."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker import figures
from needs_tracker.export.matching_format import RECIPIENTS, flat_table
from needs_tracker.labels import YEAR_UNKNOWN, year_text
from needs_tracker.store import assistance, reads
from needs_tracker.taxonomy import category_ids
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import dates, md_escape, num, quoted
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.reads import current_filter, figure, read, read_all

PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
OPEN_SECTIONS = 2  # gap sections open at first; the rest are one click away


def _status_line(r) -> str:
    if pd.isna(r.last_year):
        return f"reported, {YEAR_UNKNOWN}"
    if bool(r.still_reported):
        return f"still reported ({int(r.last_year)})"
    since = f"not reported since {int(r.last_year)}"
    if not pd.isna(r.last_attended):
        since += f" (attended workshops until {int(r.last_attended)})"
    return since


def _choose_state() -> str | None:
    """The state in ``?state=``; a select box changes it (and the URL). A value that names no
    state says so and offers the choice instead."""
    options = read(reads.filter_options)["states"]
    names = {s["iso3"]: s["name"] for s in options}
    raw = st.query_params.get("state")
    iso3 = " ".join(str(raw).split()).upper() or None if raw is not None else None
    if iso3 and iso3 not in names:
        if links.known_state(iso3):
            names[iso3] = links.state_name(iso3)
        else:
            st.warning(f"{quoted(raw)} in the link is not a state's ISO3 code (e.g. KAZ): choose a state below.")
            iso3 = None
    elif raw is not None and not iso3:
        st.warning("The link names no state: choose one below.")
    if not iso3:
        st.info("Choose a state, or follow a state's name from any other page.")
    keys = [None, *sorted(names, key=names.get)]
    choice = st.selectbox("State", keys, index=keys.index(iso3), key=f"state_choice_{iso3}",
                          format_func=lambda i: "—" if i is None else names[i])
    if choice and choice != iso3:
        st.query_params["state"] = choice
        if "gap" in st.query_params:
            del st.query_params["gap"]
        st.rerun()
    return iso3


def _gap_param() -> str | None:
    gap = st.query_params.get("gap")
    if gap is None:
        return None
    gap = str(gap).strip()
    if gap not in category_ids():
        st.warning(f"{quoted(gap)} in the link is not a gap category: every gap is shown.")
        return None
    return gap


def _comparison(needs: pd.DataFrame) -> None:
    """Two years or two workshops side by side: the gaps each reported, and what changed."""
    years = sorted({year_text(y) for y in needs["year"]}, key=lambda y: (y == YEAR_UNKNOWN, y))
    # One choice per event (two notes of one workshop are one), named by its record's title
    events = (needs.assign(_record=needs["workshop_id"] == needs["event_id"])
              .sort_values("_record", ascending=False, kind="stable").drop_duplicates("event_id")
              .sort_values("start_date", na_position="last", kind="stable")
              [["event_id", "workshop_title", "start_date"]])
    w_names = {int(r.event_id): f"{r.workshop_title or 'untitled workshop'} ({dates([r.start_date])[0]})"
               for r in events.itertuples(index=False)}
    links.url_control("cmp", "cmp_mode", lambda v: v if v in ("years", "workshops") else "years", "years")
    mode = st.radio("Compare", ("years", "workshops"), key="cmp_mode", horizontal=True)
    links.write_control("cmp", mode, None)  # written even at its default: it also keeps the comparison open
    choices: list = years if mode == "years" else list(w_names)
    if len(choices) < 2:
        st.caption(f"Only one {mode[:-1]} reported needs of this state: nothing to compare.")
        return
    parse = str if mode == "years" else int
    links.url_control("cmp_a", "cmp_a", lambda v: parse(v) if parse(v) in choices else choices[0], choices[0])
    links.url_control("cmp_b", "cmp_b", lambda v: parse(v) if parse(v) in choices else choices[-1], choices[-1])
    for key, fallback in (("cmp_a", choices[0]), ("cmp_b", choices[-1])):
        if st.session_state.get(key) not in choices:
            st.session_state[key] = fallback
    c = st.columns(2)
    fmt = (lambda v: v) if mode == "years" else w_names.get
    a = c[0].selectbox("First", choices, key="cmp_a", format_func=fmt)
    b = c[1].selectbox("Second", choices, key="cmp_b", format_func=fmt)
    links.write_control("cmp_a", a, choices[0])
    links.write_control("cmp_b", b, choices[-1])

    def part(value) -> pd.DataFrame:
        if mode == "years":
            return needs[[year_text(y) == value for y in needs["year"]]]
        return needs[needs["event_id"] == value]

    left, right = part(a), part(b)
    cats = sorted(set(left["category"]) | set(right["category"]), key=links.label)
    in_a, in_b = set(left["category"]), set(right["category"])
    table = pd.DataFrame({
        "gap": [links.label(x) for x in cats],
        str(fmt(a)): [num((left["category"] == x).sum()) if x in in_a else "—" for x in cats],
        str(fmt(b)) + " ": [num((right["category"] == x).sum()) if x in in_b else "—" for x in cats],
        "change": ["in both" if x in in_a and x in in_b else "only in the first" if x in in_a else
                   "only in the second" for x in cats],
    })
    st.dataframe(table, hide_index=True, key="cmp_table")


def _assistance(f, iso3: str) -> None:
    """Each gap's status (open, offered, taken up) with its requests, offers and later events, then
    the state's formal requests and the offers made to it, with their sentences. Lazy: a closed
    section reads nothing; ``?assist=1`` opens it."""
    section = st.expander("Requests and offers", expanded="assist" in st.query_params, key=f"state_assist_{iso3}",
                          on_change="rerun")
    if not section.open:
        if "assist" in st.query_params:
            del st.query_params["assist"]
        return
    if st.query_params.get("assist") != "1":
        st.query_params["assist"] = "1"
    table, offers, requests = read_all((assistance.matching_table, f.with_(states=(iso3,))),
                                       (assistance.offers_for, iso3, None, f),
                                       (assistance.requests_for, iso3, None, f))
    with section:
        if table.empty:
            st.caption("No gap, formal request or offer for this state under these filters.")
            return
        counts = table["status"].astype(str).value_counts()
        st.caption(f"{num(len(table))} gap(s): {num(counts.get('open', 0))} open, "
                   f"{num(counts.get('offered', 0))} offered, {num(counts.get('taken up', 0))} taken up. "
                   "*Open*: reported or requested, nothing offered or taken up since; *offered*: an offer "
                   "followed; *taken up*: the state attended a later event on the gap.")
        shown = flat_table(table).drop(columns=["State", "ISO3", "Gap ID", "Needs reported (workshop #)"])
        shown["matching"] = [links.url("matching", f, pair=f"{iso3}:{c}") for c in table["category"]]
        st.dataframe(shown, hide_index=True, key="state_assist_table", placeholder=YEAR_UNKNOWN, column_config={
            "Offers (who, when, to whom)": st.column_config.TextColumn(width="large"),
            "matching": st.column_config.LinkColumn("matching", display_text="open in Matching"),
            **furniture.workshop_number_columns()})
        st.markdown("##### Formal requests")
        if requests.empty:
            st.caption("No formal request.")
        else:
            st.dataframe(pd.DataFrame({
                "requested on": dates(requests["requested_on"]), "gap": [links.label(c) for c in requests["category"]],
                "request": requests["evidence"], "status": requests["status"], "source file": requests["file_name"]}),
                hide_index=True, key="state_assist_requests",
                column_config={"request": st.column_config.TextColumn(width="large")})
        st.markdown(f"##### Offers to {md_escape(links.state_name(iso3))}")
        if offers.empty:
            st.caption("No offer.")
        else:
            st.dataframe(pd.DataFrame({
                "provider": offers["provider"], "gap": [links.label(c) for c in offers["category"]],
                "year": [year_text(y) for y in offers["year"]],
                "to": [RECIPIENTS.get(k, k) for k in offers["recipients_kind"]], "offer": offers["evidence"],
                "status": offers["status"], "open": links.workshop_urls(offers["workshop_id"], f)}),
                hide_index=True, key="state_assist_offers",
                column_config={"offer": st.column_config.TextColumn(width="large"),
                               "open": st.column_config.LinkColumn("note", display_text="open note")})


def render() -> None:
    f = current_filter()
    iso3 = _choose_state()
    if not iso3:
        return
    name = links.state_name(iso3)
    st.title(md_escape(name))
    furniture.filter_banner(f)
    gap = _gap_param()
    download_row(f.with_(states=(iso3,)), key="state_download")
    timeline, needs, attended = read_all((reads.state_timeline, f, iso3), (reads.needs, f.with_(states=(iso3,))),
                                         (reads.workshops_attended, iso3))
    # the page reads this state's needs whatever the states filter says, so only the other filters could hide them
    if needs.empty and f.with_(states=()).is_empty:  # nothing else is filtered: the notes name none
        st.info(f"No stored note reports a need for {md_escape(name)}.")
    elif needs.empty:
        furniture.empty_state(f.with_(states=(iso3,)))
    else:
        st.subheader("Gaps across the years")
        st.plotly_chart(figure(figures.state_timeline, timeline, f, iso3, title=""), key="state_timeline",
                        config=PLOTLY_CONFIG)
        st.dataframe(pd.DataFrame({
            "gap": [links.label(c) for c in timeline["category"]],
            "first reported": [year_text(y) for y in timeline["first_year"]],
            "last reported": [year_text(y) for y in timeline["last_year"]],
            "workshops": timeline["workshops"],
            "status": [_status_line(r) for r in timeline.itertuples(index=False)],
            "years": [y if isinstance(y, str) and y else YEAR_UNKNOWN for y in timeline["years"]],
        }), hide_index=True, key="state_timeline_table", column_config={
            "gap": st.column_config.TextColumn(width="medium"), "status": st.column_config.TextColumn(width="medium"),
            "years": st.column_config.TextColumn(width="medium")})

        # lazy expanders (on_change="rerun"): a closed section is neither computed nor sent
        compare = st.expander("Compare two years or two workshops", expanded="cmp" in st.query_params,
                              key="state_compare", on_change="rerun")
        if compare.open:
            with compare:
                _comparison(needs)
        else:  # closed: the link no longer opens it
            for param in ("cmp", "cmp_a", "cmp_b"):
                if param in st.query_params:
                    del st.query_params[param]

        st.subheader(f"Needs ({num(len(needs))}), with their evidence")
        groups = list(needs.groupby("category", sort=False))
        if gap:
            groups.sort(key=lambda g: g[0] != gap)
        for i, (category, group) in enumerate(groups):
            opened = category == gap if gap else i < OPEN_SECTIONS
            section = st.expander(f"{links.label(category)} — {num(len(group))} need(s)", expanded=opened,
                                  key=f"state_section_{iso3}_{category}_{gap}", on_change="rerun")
            if section.open:
                with section:
                    furniture.paged_evidence(group, key=f"state_page_{category}", term=f.text)

    _assistance(f, iso3)
    st.subheader("Workshops attended")
    if attended.empty:
        st.caption("No workshop recorded.")
        return
    st.dataframe(pd.DataFrame({
        "workshop": attended["title"].fillna("untitled workshop"),
        "date": dates(attended["start_date"]),
        "venue": [", ".join(str(x) for x in (c, k) if isinstance(x, str) and x) or "venue unknown"
                  for c, k in zip(attended["venue_city"], attended["venue_country"], strict=True)],
        "role": attended["role"],
        "topics": ["; ".join(links.label(t) for t in str(ts).split(", ")) if isinstance(ts, str) else ""
                   for ts in attended["topics"]],
        "open": links.workshop_urls(attended["workshop_id"], f),
    }), hide_index=True, key="state_attended", column_config={
        "open": st.column_config.LinkColumn("note", display_text="open note")})


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "state")
