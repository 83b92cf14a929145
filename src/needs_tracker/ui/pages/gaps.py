"""Gap finder, for donors: the persistent gaps, open ones first and longest open first, each with
whether the state requested help formally, who offered it, and whether a later event the state
attended took the gap up. The rows are the matching table's (``store.assistance.matching_table``),
so the gap finder, the Matching page, the briefs and the matching exports agree; each row links
to its Matching row (``?pair=``) and to the state's profile at that gap, and opens its evidence."""

from __future__ import annotations

from urllib.parse import quote_plus

import pandas as pd
import streamlit as st

from needs_tracker.export.matching_format import offer_text
from needs_tracker.labels import YEAR_UNKNOWN, requested_words
from needs_tracker.matching import STATUS_ORDER, Status, offers_texts
from needs_tracker.ui import furniture, links, registry
from needs_tracker.ui.common import md_escape, num
from needs_tracker.ui.downloads import csv_download, download_row, matching_download_row
from needs_tracker.ui.reads import arrow_table, current_filter, figure, matching


def _items(value) -> list:
    if type(value) is list:  # the matching table's cells: no checks per cell
        return value
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else list(value)


def _years(years: list[int]) -> str:
    if not years:
        return f"({YEAR_UNKNOWN})"
    first, last = min(years), max(years)
    return f"in {first}" if first == last else f"{first}–{last}"


def _verdict(workshops: int, need_years: list, requests: list, offered: str, later: list) -> str:
    parts = []
    if workshops:
        times = "once" if workshops == 1 else f"{workshops} times"
        parts.append(f"reported {times} {_years(need_years)}")
    else:
        parts.append("not reported at a workshop")
    if requests:
        parts.append(requested_words(requests))
    if offered:
        parts.append("offered by " + offered)
    parts.append(f"taken up by a later event in {later[0]}" if later else "no later event on it")
    return ", ".join(parts)


def verdict(r, esc=str) -> str:
    """'reported 3 times 2012–2018, requested 2019-02-01, offered by Japan (2018), no later event on it'.
    ``esc`` is applied to the providers' names (read from notes): ``md_escape`` for markdown."""
    offered = "; ".join(offer_text({**o, "provider": esc(o["provider"])}) for o in _items(r.offers))
    return _verdict(len(_items(r.need_workshops)), _items(r.need_years), _items(r.request_dates), offered,
                    _items(r.later_event_years))


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Open first, then offered, then taken up; within each, longest open, then most often reported."""
    df = table.assign(_order=table["status"].map({str(k): v for k, v in STATUS_ORDER.items()}),
                      _years=pd.to_numeric(table["years_open"], errors="coerce"),
                      workshops=[len(_items(v)) for v in table["need_workshops"]])
    df = df.sort_values(["_order", "_years", "workshops", "state_name", "category"],
                        ascending=[True, False, False, True, True], na_position="last")
    return df.drop(columns=["_order", "_years"]).reset_index(drop=True)


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The ranked pairs as shown and downloaded (the links are added on the page). Each row's
    offers are written once, for its summary and its "offered by" cell; the list columns are read
    as Python lists (iterating a Series costs a call per cell)."""
    offered = offers_texts(df["offers"].tolist(), offer_text)  # "EU (2017, to named states); ..."
    need_years, dates, later = df["need_years"].tolist(), df["request_dates"].tolist(), df["later_event_years"].tolist()
    summary = [_verdict(len(_items(w)), _items(y), _items(r), o, _items(t)) for w, y, r, o, t in zip(
        df["need_workshops"].tolist(), need_years, dates, offered, later, strict=True)]
    return pd.DataFrame({
        "state": df["state_name"].astype(object),
        "iso3": df["state_iso3"].astype(object),
        "gap": df["category_label"].astype(object),
        "status": df["status"].astype(str).astype(object),
        "years open": pd.to_numeric(df["years_open"], errors="coerce").astype("Int64"),
        "summary": summary,
        "workshops": df["workshops"].astype("int64"),
        "first raised": pd.to_numeric(df["first_raised"], errors="coerce").astype("Int64"),
        "requested (dates)": ["; ".join(_items(v)) for v in dates],
        "offered by": offered,
        "taken up (later events)": ["; ".join(map(str, _items(v))) for v in later],
    })


def _pair_urls(df: pd.DataFrame, f) -> tuple[list[str], list[str]]:
    """Each row's Matching row (``?pair=``) and its state's profile at that gap, keeping the filter:
    ``links.url(page, f, pair=…)`` and ``links.url(page, f, state=…, gap=…)``, with the filter's
    part built once (``links.url`` per row took half of the table's time)."""
    def prefix(page: str) -> str:
        base = links.url(page, f)
        return base + ("&" if "?" in base else "?")

    to_matching, to_state = prefix("matching"), prefix("state")
    keys = list(zip(map(str, df["state_iso3"].tolist()), map(str, df["category"].tolist()), strict=True))
    q = {v: quote_plus(v) for v in {v for key in keys for v in key}}  # ~200 codes, encoded once each
    colon = quote_plus(":")
    return ([f"{to_matching}pair={q[i]}{colon}{q[c]}" for i, c in keys],
            [f"{to_state}state={q[i]}&gap={q[c]}" for i, c in keys])


def _rows(matching: pd.DataFrame, f) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranked pairs, the table shown with its two link columns), built once per filter and store
    version (``ui.reads.figure``): at 100,000 needs the text and links of ~2,000 rows take ~0.1 s."""
    df = ranked(matching)
    matching_urls, state_urls = _pair_urls(df, f)
    return df, table(df).assign(matching=matching_urls, profile=state_urls)


def render() -> None:
    f = current_filter()
    st.title("Gap finder")
    st.caption("Each state's gaps, open ones first and longest open first: how often workshops reported them, "
               "whether the state requested help formally, who offered it, and whether a later event the state "
               "attended took the gap up. *Open*: nothing offered or taken up since it was raised.")
    furniture.filter_banner(f)
    table = matching(f)  # shared, never changed here: ranked() copies
    if table.empty:
        furniture.empty_state(f, "gaps")
        return
    df, shown = figure(_rows, table, "gap finder", f, f=f)  # shared: filtered below, never changed
    links.url_control("open", "gaps_open", lambda v: v == "1", False)
    links.url_control("min", "gaps_min", lambda v: max(1, min(int(v), 10_000)), 1)
    c = st.container(horizontal=True, vertical_alignment="bottom")  # one block, not three columns
    only_open = c.toggle("Only open gaps (nothing offered or taken up since)", key="gaps_open")
    min_workshops = c.number_input("Reported by at least … workshops", min_value=1, max_value=10_000, step=1,
                                      key="gaps_min", help="At 1, gaps only formally requested are listed too.")
    links.write_control("open", "1" if only_open else None, None)
    links.write_control("min", int(min_workshops), 1)
    keep = pd.Series(True, index=df.index)
    if only_open:
        keep &= df["status"].astype(str) == str(Status.OPEN)
    if min_workshops > 1:  # at 1, a gap only formally requested (no workshop report) stays listed
        keep &= df["workshops"] >= min_workshops
    df, shown = df[keep].reset_index(drop=True), shown[keep].reset_index(drop=True)
    if df.empty:
        st.info("No gap is left with these settings.")
        return
    c.metric("Gaps listed", num(len(shown)), help="(state, gap) pairs")
    # the downloads above the table, outside its fragment: opening a row does not send them again
    csv_download("This table (CSV)", shown.drop(columns=["matching", "profile"]), "gap_finder.csv", key="gaps_csv")
    download_row(f, key="gaps_download")
    matching_download_row(f, key="gaps_matching_download")
    _table_and_evidence(f, df, figure(arrow_table, shown, "gap finder shown", f, only_open, int(min_workshops)))


@st.fragment
def _table_and_evidence(f, df: pd.DataFrame, shown) -> None:
    """The table and the selected row's evidence. A fragment: selecting a row reruns only this part
    (not the sidebar, the navigation, the controls and downloads above, which it cannot change)."""
    furniture.guarded(_draw_table_and_evidence, "gaps", f, df, shown)


def _draw_table_and_evidence(f, df: pd.DataFrame, shown) -> None:
    """``shown``: ``df`` as the table shows it, an Arrow table built once per filter and settings."""
    event = st.dataframe(shown, hide_index=True, placeholder=YEAR_UNKNOWN,  # not "None": the briefs' words
                         key="gaps_table", on_select="rerun", selection_mode="single-row", column_config={
                             "iso3": None, "summary": st.column_config.TextColumn(width="large"),
                             "matching": st.column_config.LinkColumn("matching", display_text="open in Matching"),
                             "profile": st.column_config.LinkColumn("profile", display_text="state profile")})
    pair = links.selected_pair(df, event)
    if pair is None:
        st.caption("Select a row to read its evidence.")
        return
    iso3, category = pair
    row = df[(df["state_iso3"] == iso3) & (df["category"] == category)]
    r = row.iloc[0]
    st.subheader(f"{md_escape(r['state_name'])} · {links.label(category)}")
    st.markdown(f"**{md_escape(r['status'])}**: {verdict(next(row.itertuples(index=False)), md_escape)}")
    links.state_link(iso3, f"{r['state_name']}: full profile", f, gap=category)
    page = registry.get_page("matching")
    if page is not None:
        st.page_link(page, label="Requests, offers and later events (Matching)", icon=":material/handshake:",
                     query_params=links.page_params(f, pair=f"{iso3}:{category}"))
    # formal requests are not searched by the words, so with words set a pair may be listed for its request
    # while needs that do not hold the words exist
    empty = ("No reported need holds the words; the gap is listed for its formal request." if f.text
             else "No need reported at a workshop (a formal request only).")
    furniture.evidence_for(f.with_(states=(iso3,), categories=(category,)), term=f.text, empty=empty)


if __name__ == "__main__":  # st.navigation runs this file as the page
    from needs_tracker.ui.furniture import run_page

    run_page(render, "gaps")
