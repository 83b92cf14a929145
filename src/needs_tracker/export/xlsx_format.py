"""Excel workbook: Summary, Needs, Workshops, States, Categories, Years and Matching sheets.

Written with rustpy-xlsxwriter (Python bindings to rust_xlsxwriter, the Rust port by the
author of XlsxWriter): 100,000 needs take about 1.5 s, where XlsxWriter itself takes 11–13 s,
openpyxl's write-only mode 16 s and ``pandas.to_excel`` 19–28 s on this machine
(``benchmarks/bench_export.py --options`` prints the comparison). Only the Python-side
per-cell calls differ: the files are equivalent.

Every sheet is a plain table: header frozen, an autofilter, readable widths. Dates are real
Excel dates; a missing date or year says "date unknown" / "year unknown" instead of a blank
that reads like an error. Text is written as text (this writer never turns a string into a
formula or a link), so a note that says ``=HYPERLINK(...)`` stays words on the screen. A cell
holds at most 32,767 characters: longer text is cut with a visible marker that points to the
CSV, which holds it whole.
"""

from __future__ import annotations

import io

import pandas as pd
import rustpy_xlsxwriter as rx

from ..labels import DATE_UNKNOWN, YEAR_UNKNOWN
from .data import (
    NEED_HEADERS,
    NOTHING_MATCHED,
    UNTITLED,
    ExportData,
    _date,
    _v,
    filter_link,
    venue,
)

EXCEL_CELL_LIMIT = 32_767
STATUS_TEXT = ("“extracted”: found by the rules, not yet checked by a person; “confirmed”, “corrected” or "
               "“manual”: checked, corrected or added by a person. Confidence (0–1) is how sure the rules were "
               "that the sentence states this need.")


def cut_marker(length: int) -> str:
    return f" … [cut: the full text has {length:,} characters, more than an Excel cell holds; see the CSV export]"


def fit_cell(text: str) -> str:
    """``text`` unchanged when Excel can hold it, else cut with a marker saying so."""
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    marker = cut_marker(len(text))
    return text[:EXCEL_CELL_LIMIT - len(marker)] + marker


WIDTHS = {
    "State": 20, "ISO3": 6, "Region": 12, "Category": 30, "Category ID": 26, "Workshop": 50,
    "Start date": 12, "End date": 12, "Venue": 24, "Evidence": 90, "Status": 11, "Confidence": 11,
    "Source file": 30, "Need ID": 9, "Year": 12, "Organisers": 45, "Participating states": 11,
    "Needs": 9, "Workshop ID": 11, "Sub-region": 22, "Gap categories": 14, "Workshops": 11,
    "Gaps (years reported)": 80, "Item": 24, "Value": 110, "States": 9,
}
WRAPPED = ("Evidence", "Workshop", "Organisers", "Gaps (years reported)", "Value")


def _needs_frame(data: ExportData) -> pd.DataFrame:
    """The Needs sheet: the export's need table with unknown dates and years said in words."""
    table = data.need_table()
    for name in table.columns:
        if table[name].dtype == "str":
            long = table[name].str.len() > EXCEL_CELL_LIMIT
            if long.any():
                table.loc[long, name] = table.loc[long, name].map(fit_cell)
    dates = table["Start date"].astype(object)
    table["Start date"] = dates.where(table["Start date"].notna(), DATE_UNKNOWN)
    years = table["Year"].astype(object)
    table["Year"] = years.where(table["Year"].notna(), YEAR_UNKNOWN)
    table["Workshop"] = table["Workshop"].fillna(UNTITLED)
    return table.astype(object).where(table.notna(), None)


def _records(headers: tuple[str, ...], rows: list[tuple]) -> list[dict]:
    if not rows:  # keep the header row, and say why the table is empty
        return [{h: (NOTHING_MATCHED if i == 0 else None) for i, h in enumerate(headers)}]
    return [dict(zip(headers, (fit_cell(v) if isinstance(v, str) else v for v in row), strict=True))
            for row in rows]


def _summary(data: ExportData) -> list[dict]:
    rows = [
        ("Export", "needs-tracker: gaps and assistance needs reported at 1540 workshops"),
        ("Filters", data.description),
        ("Filters as link parameters", filter_link(data.filter)),
        ("Made", data.created_text),
        ("Needs", f"{data.need_count:,}"),
        ("States", f"{len(data.states):,}"),
        ("Workshops", f"{len(data.workshops):,}"),
        ("Sources", "Every need names its workshop (title and date) and its source note (Needs sheet, columns "
                    "“Workshop”, “Start date” and “Source file”)."),
        ("Status and confidence", STATUS_TEXT),
        ("Unknown dates", "A workshop whose note gives no date or year is listed with “date unknown” / "
                          "“year unknown”; its needs are counted like any other."),
        ("Sheets", "Needs (one row per need), Workshops, States, Categories, Years, Matching (one row per "
                   "state and gap: needs, requests, offers, later events and status)."),
    ]
    if data.is_empty:
        rows.insert(4, ("Result", NOTHING_MATCHED))
    return [{"Item": k, "Value": v} for k, v in rows]


def _widths(headers) -> list[float]:
    return [WIDTHS.get(h, max(10, len(h) + 2)) for h in headers]


def _sheet(book, name: str, headers: tuple[str, ...], records, head, wrap) -> None:
    book.sheet(name, records, column_widths=_widths(headers), header_format=head, autofilter=True,
               column_formats={h: wrap for h in headers if h in WRAPPED})


def render(data: ExportData) -> bytes:
    head = rx.Format().set_bold().set_background_color("#DDE6F0").set_border("thin").set_text_wrap()
    wrap = rx.Format().set_text_wrap().set_align("top")
    buf = io.BytesIO()
    book = rx.FastExcel(buf).format(datetime_format="yyyy-mm-dd", float_format="0.00").freeze(row=1)
    _sheet(book, "Summary", ("Item", "Value"), _summary(data), head, wrap)

    if data.is_empty:
        _sheet(book, "Needs", NEED_HEADERS, _records(NEED_HEADERS, []), head, wrap)
    else:
        needs = _needs_frame(data)
        book.sheet("Needs", needs, column_widths=_widths(NEED_HEADERS), header_format=head, autofilter=True,
                   column_formats={h: wrap for h in NEED_HEADERS if h in WRAPPED})

    w_headers = ("Workshop ID", "Workshop", "Start date", "End date", "Year", "Venue", "Organisers",
                 "Participating states", "Needs", "Source file")
    w_rows = [(_v(w.workshop_id), _v(w.title) or UNTITLED, _dt(w.start_date, DATE_UNKNOWN),
               _dt(w.end_date, DATE_UNKNOWN), _v(w.year) or YEAR_UNKNOWN,
               venue(_v(w.venue_city), _v(w.venue_country)), _v(w.organizers), _v(w.participants), _v(w.needs),
               _v(w.file_name)) for w in data.workshops.itertuples(index=False)]
    _sheet(book, "Workshops", w_headers, _records(w_headers, w_rows), head, wrap)

    gaps_by_state: dict[str, list[str]] = {}
    for g in data.heatmap.itertuples(index=False):
        gaps_by_state.setdefault(g.state_iso3, []).append(f"{data.label(g.category)} ({_v(g.years) or YEAR_UNKNOWN})")
    s_headers = ("State", "ISO3", "Region", "Sub-region", "Needs", "Gap categories", "Workshops",
                 "Gaps (years reported)")
    s_rows = [(_v(s.state_name), _v(s.state_iso3), _v(s.region), _v(s.subregion), _v(s.needs), _v(s.categories),
               _v(s.workshops), "; ".join(gaps_by_state.get(s.state_iso3, [])) or None)
              for s in data.states.itertuples(index=False)]
    _sheet(book, "States", s_headers, _records(s_headers, s_rows), head, wrap)

    c_headers = ("Category", "Category ID", "Needs", "States", "Workshops")
    c_rows = [(data.label(c.category), c.category, _v(c.needs), _v(c.states), _v(c.workshops))
              for c in data.categories.itertuples(index=False)]
    _sheet(book, "Categories", c_headers, _records(c_headers, c_rows), head, wrap)

    y_headers = ("Year", "Needs")
    y_rows = [(int(y) if y.isdigit() else y, n) for y, n in data.year_counts()]
    _sheet(book, "Years", y_headers, _records(y_headers, y_rows), head, wrap)
    if data.matching is not None:  # each (state, gap): needs, requests, offers, later events, status
        from .matching_format import add_sheet

        add_sheet(book, data.matching, head, wrap)
    book.save()
    return buf.getvalue()


def _dt(value, unknown: str):
    """A date cell: a datetime (the writer stores it as an Excel date) or the words for unknown."""
    d = _date(value)
    return unknown if d is None else pd.Timestamp(d).to_pydatetime()
