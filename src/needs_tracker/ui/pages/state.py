"""State profile: each gap across the years, a side-by-side comparison of two years or two
workshops, every need with its sentence (sections after the first few collapsed, evidence
paged), and the workshops the state attended. The state comes from ``?state=ISO3``; a
``?gap=`` (from a heatmap click) opens that gap's section and closes the others."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from needs_tracker import figures
from needs_tracker.store import reads
from needs_tracker.taxonomy import category_ids
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import YEAR_UNKNOWN, dates, num, quoted, year_text
from needs_tracker.ui.downloads import download_row
from needs_tracker.ui.reads import current_filter, figure, read, read_all

PLOTLY_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
OPEN_SECTIONS = 2  # gap sections open at first; the rest are one click away


def _status_line(r) -> str:
    if pd.isna(r.last_year):
        return "reported, year unknown"
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
    workshops = (needs.drop_duplicates("workshop_id").sort_values("start_date", na_position="last")
                 [["workshop_id", "workshop_title", "start_date"]])
    w_names = {int(r.workshop_id): f"{r.workshop_title or 'untitled workshop'} ({dates([r.start_date])[0]})"
               for r in workshops.itertuples(index=False)}
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
        return needs[needs["workshop_id"] == value]

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


def render() -> None:
    f = current_filter()
    iso3 = _choose_state()
    if not iso3:
        return
    name = links.state_name(iso3)
    st.title(name)
    furniture.filter_banner(f)
    gap = _gap_param()
    download_row(f.with_(states=(iso3,)), key="state_download")
    timeline, needs, attended = read_all((reads.state_timeline, f, iso3), (reads.needs, f.with_(states=(iso3,))),
                                         (reads.workshops_attended, iso3))
    if needs.empty:
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
