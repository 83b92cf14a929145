"""Excel workbook: Summary, Needs, Workshops and States sheets.

Every sheet has its header frozen, an autofilter and readable widths; dates are real Excel
dates. Text is always written as text (never parsed as a formula or a link), so a note that
says ``=HYPERLINK(...)`` stays words on the screen.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import xlsxwriter

from .data import NEED_HEADERS, NOTHING_MATCHED, ExportData, _date, _v, venue

# (header, width) per column
WIDTHS = {
    "State": 20, "ISO3": 6, "Region": 12, "Category": 30, "Category ID": 26, "Workshop": 50,
    "Start date": 12, "End date": 12, "Venue": 24, "Evidence": 90, "Status": 11, "Confidence": 11,
    "Source file": 30, "Need ID": 9, "Year": 7, "Organisers": 45, "Participating states": 11,
    "Needs": 8, "Workshop ID": 11, "Sub-region": 22, "Gap categories": 14, "Workshops": 11,
}


class _Book:
    def __init__(self, buf: io.BytesIO):
        self.wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        self.head = self.wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
                                        "valign": "top"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.top = self.wb.add_format({"valign": "top"})
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.stamp = self.wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        self.num = self.wb.add_format({"num_format": "0.00", "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.bold = self.wb.add_format({"bold": True})

    def cell(self, ws, row: int, col: int, value, header: str = "") -> None:
        if value is None:
            ws.write_blank(row, col, None, self.top)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value.replace(tzinfo=None), self.stamp)
        elif isinstance(value, date):
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), self.date)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, self.top)
        elif isinstance(value, float):
            ws.write_number(row, col, value, self.num)
        elif isinstance(value, int):
            ws.write_number(row, col, value, self.top)
        else:
            fmt = self.wrap if header in ("Evidence", "Workshop", "Organisers") else self.top
            ws.write_string(row, col, str(value), fmt)

    def table(self, name: str, headers: tuple[str, ...], rows: list[tuple], empty_note: str | None = None):
        ws = self.wb.add_worksheet(name)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, self.head)
            ws.set_column(c, c, WIDTHS.get(h, max(10, len(h) + 2)))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                self.cell(ws, r, c, value, headers[c])
        if not rows and empty_note:
            ws.write_string(1, 0, empty_note)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        return ws


def _summary(book: _Book, data: ExportData) -> None:
    ws = book.wb.add_worksheet("Summary")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 3, 14)
    ws.write_string(0, 0, "Needs tracker export", book.title)
    ws.write_string(2, 0, "Filters", book.bold)
    ws.write_string(2, 1, data.description)
    ws.write_string(3, 0, "Made", book.bold)
    ws.write_datetime(3, 1, data.created.replace(tzinfo=None), book.stamp)
    ws.write_string(3, 2, "UTC")
    ws.write_string(4, 0, "Needs", book.bold)
    ws.write_number(4, 1, len(data.needs))
    ws.write_string(5, 0, "Sources", book.bold)
    ws.write_string(5, 1, "Every need cites its source note (Needs sheet, column “Source file”).")
    row = 7
    if data.is_empty:
        ws.write_string(row, 0, NOTHING_MATCHED, book.bold)
        return
    for c, h in enumerate(("State", "ISO3", "Needs", "Gap categories", "Workshops")):
        ws.write_string(row, c, h, book.head)
    for r in data.states.itertuples(index=False):
        row += 1
        for c, v in enumerate((r.state_name, r.state_iso3, r.needs, r.categories, r.workshops)):
            book.cell(ws, row, c, _v(v))
    row += 2
    for c, h in enumerate(("Category", "Needs", "States", "Workshops")):
        ws.write_string(row, c, h, book.head)
    for r in data.categories.itertuples(index=False):
        row += 1
        for c, v in enumerate((data.label(r.category), r.needs, r.states, r.workshops)):
            book.cell(ws, row, c, _v(v))
    ws.activate()


def render(data: ExportData) -> bytes:
    buf = io.BytesIO()
    book = _Book(buf)
    _summary(book, data)
    need_headers = NEED_HEADERS[:7] + ("Year",) + NEED_HEADERS[7:]
    need_rows = [row[:7] + (_v(y),) + row[7:] for row, y in zip(data.need_rows(), data.needs["year"],
                                                                   strict=True)]
    book.table("Needs", need_headers, need_rows, NOTHING_MATCHED)
    w_headers = ("Workshop ID", "Workshop", "Start date", "End date", "Year", "Venue", "Organisers",
                 "Participating states", "Needs", "Source file")
    w_rows = [(_v(w.workshop_id), _v(w.title), _date(w.start_date), _date(w.end_date), _v(w.year),
               venue(_v(w.venue_city), _v(w.venue_country)), _v(w.organizers), _v(w.participants),
               _v(w.needs), _v(w.file_name)) for w in data.workshops.itertuples(index=False)]
    book.table("Workshops", w_headers, w_rows, NOTHING_MATCHED)
    s_headers = ("State", "ISO3", "Region", "Sub-region", "Needs", "Gap categories", "Workshops", "Gaps")
    s_rows = []
    for s in data.states.itertuples(index=False):
        gaps = data.heatmap[data.heatmap["state_iso3"] == s.state_iso3]
        gap_text = "; ".join(f"{data.label(g.category)} ({g.years})" for g in gaps.itertuples(index=False))
        s_rows.append((_v(s.state_name), _v(s.state_iso3), _v(s.region), _v(s.subregion), _v(s.needs),
                       _v(s.categories), _v(s.workshops), gap_text or None))
    ws = book.table("States", s_headers, s_rows, NOTHING_MATCHED)
    ws.set_column(7, 7, 80, book.wrap)
    book.wb.close()
    return buf.getvalue()
