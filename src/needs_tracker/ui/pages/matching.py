"""Matching, for donors and committee staff: for every (state, gap) under the filters, the needs
reported, the formal requests, the offers and the later events on it, with a status (open,
offered, taken up) and the years it has been open. A row opens its evidence below the table."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from needs_tracker.export.brief_assistance import status_text
from needs_tracker.export.matching_format import RECIPIENTS, flat_table, to_csv, to_xlsx
from needs_tracker.labels import YEAR_UNKNOWN, year_text
from needs_tracker.store import assistance, reads
from needs_tracker.ui import furniture, links
from needs_tracker.ui.common import dates, md_escape, num
from needs_tracker.ui.reads import arrow_table, current_filter, figure, matching, read_all

ALL = "all"
STATUSES = (ALL, "open", "offered", "taken up")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIDENCE_LIMIT = 200  # need sentences drawn under a selected row (as furniture.evidence_for)


def _status(raw: str) -> str:
    if raw not in STATUSES:
        raise ValueError(raw)
    return raw


def _items(value) -> list:
    """A list cell as a list (a cached table may hold arrays; a missing cell is no items)."""
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else list(value)


def _downloads(df: pd.DataFrame) -> None:
    """CSV and Excel of the rows shown; each file is written only when its button is pressed. One
    horizontal container, not columns: each block is one more message a rerun sends."""
    row = st.container(horizontal=True, vertical_alignment="center")
    row.caption("Download this table:", width="content")
    row.download_button("CSV", data=lambda: to_csv(df), file_name="matching.csv", mime="text/csv",
                        key="matching_csv", on_click="ignore", icon=":material/download:")
    row.download_button("Excel", data=lambda: to_xlsx(df), file_name="matching.xlsx", mime=XLSX_MIME,
                        key="matching_xlsx", on_click="ignore", icon=":material/download:")


def _status_line(r: pd.Series) -> str:
    """'Status: **open** 14 years (since 2012)', 'Status: **taken up** in 2018 (raised 2012)', in the
    briefs' words (``brief_assistance.status_text``): it read "open for year unknown year(s) since year
    unknown" for a pair raised only by an undated request, and "taken up · open for 6 year(s)" (qa10)."""
    word = str(r["status"])
    text = status_text(SimpleNamespace(**r.to_dict()))
    rest = text[len(word):] if text.startswith(word) else f"· {text}"
    return f"Status: **{md_escape(word)}** {md_escape(rest.strip())}"


def _evidence(f, r: pd.Series) -> None:
    """What stands behind one row: the needs' sentences, the requests, the offers, the later events."""
    iso3, category = str(r["state_iso3"]), str(r["category"])
    st.subheader(f"{md_escape(r['state_name'])} · {links.label(category)}")
    status = _status_line(r)
    links.state_link(iso3, f"{r['state_name']}: full profile", f, gap=category)
    later = tuple(int(i) for i in _items(r["later_events"]))
    reported = bool(_items(r["need_workshops"]))
    since = None if pd.isna(r["first_raised"]) else int(r["first_raised"])  # the row's own rule for offers
    calls = [(assistance.requests_for, iso3, category, f), (assistance.offers_for, iso3, category, f, since)]
    calls += [(assistance.events_by_id, later)] if later else []
    calls += [(reads.needs_page, f.with_(states=(iso3,), categories=(category,)), EVIDENCE_LIMIT)] if reported else []
    got = list(read_all(*calls))  # one connection for the row's reads: opening one costs tens of ms
    requests, offers = got.pop(0), got.pop(0)
    events = got.pop(0) if later else None

    st.markdown(f"{status}\n\n##### Needs reported")  # one element: each is one more message
    if not reported:
        st.caption("No need reported at a workshop (a formal request only).")
    else:
        needs, total = got.pop(0)
        furniture.evidence_list(needs, term=f.text, limit=EVIDENCE_LIMIT, total=total)
    st.markdown("##### Formal requests")
    if requests.empty:
        st.caption("No formal request.")
    else:
        st.dataframe(pd.DataFrame({"requested on": dates(requests["requested_on"]),
                                   "request": requests["evidence"], "status": requests["status"],
                                   "source file": requests["file_name"]}),
                     hide_index=True, key="matching_requests",
                     column_config={"request": st.column_config.TextColumn(width="large")})
    st.markdown("##### Offers")
    if offers.empty:
        st.caption("No offer.")
    else:
        st.dataframe(pd.DataFrame({
            "provider": offers["provider"], "year": [year_text(y) for y in offers["year"]],
            "to": [RECIPIENTS.get(k, k) for k in offers["recipients_kind"]], "offer": offers["evidence"],
            "status": offers["status"], "open": links.workshop_urls(offers["workshop_id"], f)}),
            hide_index=True, key="matching_offers",
            column_config={"offer": st.column_config.TextColumn(width="large"),
                           "open": st.column_config.LinkColumn("note", display_text="open note")})
    st.markdown("##### Later events on this gap the state attended")
    if events is None or events.empty:
        st.caption("None.")
    else:
        st.dataframe(pd.DataFrame({
            "workshop": events["title"].fillna("untitled workshop"), "date": dates(events["start_date"]),
            "open": links.workshop_urls(events["workshop_id"], f)}), hide_index=True, key="matching_events",
            column_config={"open": st.column_config.LinkColumn("workshop", display_text="open workshop")})


def render() -> None:
    f = current_filter()
    st.title("Matching")
    st.caption("For each state and gap: the needs reported at workshops, formal requests, offers of assistance "
               "and later events on the gap the state attended. *Open*: reported or requested, nothing offered "
               "or taken up since; *offered*: an offer followed; *taken up*: a later event covered it.")
    furniture.filter_banner(f)
    # Shared, not copied (see ui.reads.matching), and its shown form built once per filter: a
    # rerun that only selects a row or a status then costs no query and no formatting.
    table = matching(f)
    if table.empty:
        furniture.empty_state(f, "gaps, requests or offers")
        return
    links.url_control("match", "matching_status", _status, ALL)
    c = st.container(horizontal=True, vertical_alignment="bottom")  # one block, not two columns
    status = c.segmented_control("Status", STATUSES, key="matching_status") or ALL
    links.write_control("match", status, ALL)  # "status" is the filter's need status
    chosen = slice(None) if status == ALL else (table["status"].astype(str) == status).to_numpy()
    df = table[chosen].reset_index(drop=True)
    c.metric("Pairs listed", num(len(df)), help="(state, gap) pairs")
    if df.empty:
        st.info(f"No (state, gap) pair is {md_escape(status)} under these filters.")
        return
    shown = figure(flat_table, table, "matching", f)[chosen].reset_index(drop=True)  # = flat_table(df)
    _downloads(df)  # above the table, outside its fragment: opening a row does not send them again
    _table_and_evidence(f, df, figure(arrow_table, shown, "matching shown", f, status))


@st.fragment
def _table_and_evidence(f, df: pd.DataFrame, shown) -> None:
    """The table and the selected row's evidence. A fragment: selecting a row reruns only this part
    (not the sidebar, the navigation, the controls and downloads above, which it cannot change),
    so opening a row's evidence sends a third of the elements a full run sends."""
    furniture.guarded(_draw_table_and_evidence, "matching", f, df, shown)


def _draw_table_and_evidence(f, df: pd.DataFrame, shown) -> None:
    """``shown``: ``df`` as the table shows it, an Arrow table built once per filter and status."""
    # an unknown year reads as the briefs say it ("year unknown"), not Streamlit's grey "None"
    event = st.dataframe(shown, hide_index=True, key="matching_table", on_select="rerun", placeholder=YEAR_UNKNOWN,
                         selection_mode="single-row", column_config={
                             "ISO3": None, "Gap ID": None,
                             "Offers (who, when, to whom)": st.column_config.TextColumn(width="large"),
                             **furniture.workshop_number_columns()})
    pair = links.selected_pair(df, event)
    if pair is None:
        st.caption("No row selected: select a row to read its evidence.")
        return
    iso3, category = pair
    _evidence(f, df[(df["state_iso3"] == iso3) & (df["category"] == category)].iloc[0])


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "matching")
