"""PDF brief for a meeting paper: fpdf2 with a Unicode TrueType font (DejaVu Sans).

Page one holds the title, the filters in words, the date made and the overview tables;
then a section per state with its gaps, years and every evidence quote with its source
note. Tables continue across pages with their headings repeated. Chart images come from
kaleido when a Chromium is available; otherwise the brief says they were left out.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .. import config
from ..errors import ExportError
from .charts import MAX_STATE_CHARTS, TITLES, figures_for, render_pngs
from .data import ExportData, _date, _v, venue

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
FAMILY = "DejaVu"
HEAD_FILL = (221, 230, 240)
ACCENT = (170, 40, 40)


def _font_dirs() -> list[str]:
    dirs = [str(config.font_dir())] if config.font_dir() else []
    dirs += list(FONT_DIRS)
    try:
        import matplotlib

        dirs.append(str(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"))
    except ImportError:
        pass
    return dirs


def find_fonts(dirs: list[str] | None = None) -> dict[str, Path]:
    """Regular and bold DejaVu Sans (italic when present); ExportError when none is installed."""
    dirs = _font_dirs() if dirs is None else dirs
    for d in dirs:
        regular, bold = Path(d) / "DejaVuSans.ttf", Path(d) / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            fonts = {"": regular, "B": bold}
            italic = Path(d) / "DejaVuSans-Oblique.ttf"
            if italic.exists():
                fonts["I"] = italic
            return fonts
    raise ExportError(
        "the PDF brief needs the DejaVu Sans font (regular and bold) for names like Côte d’Ivoire; "
        "install it (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set NEEDS_TRACKER_FONT_DIR "
        "to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf"
    )


class _Brief(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.footer_text}   ·   page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _new_pdf(data: ExportData) -> tuple[_Brief, bool]:
    fonts = find_fonts()
    pdf = _Brief(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    for style, path in fonts.items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_title("Needs brief: " + data.description)
    pdf.set_author("needs-tracker")
    pdf.set_creation_date(data.created)
    desc = data.description
    pdf.footer_text = "needs-tracker brief · " + (desc if len(desc) < 90 else desc[:87] + "…")
    return pdf, "I" in fonts


def _heading(pdf: FPDF, text: str, size: float = 13) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    y = pdf.get_y() + 0.5
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2.5)


def _para(pdf: FPDF, text: str, size: float = 9.5, style: str = "", bold_label: str | None = None) -> None:
    pdf.set_font(FAMILY, style, size)
    if bold_label:
        pdf.multi_cell(0, size * 0.5, f"**{bold_label}** {_md_escape(text)}", markdown=True,
                       new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def _md_escape(text: str) -> str:
    # fpdf2's markdown treats **, __ and -- as markers; keep a person's text literal.
    return text.replace("\\", "\\\\").replace("**", "\\*\\*").replace("__", "\\_\\_").replace("--", "\\-\\-")


def _table(pdf: FPDF, headers: tuple[str, ...], rows: list[tuple], widths: tuple[float, ...],
           size: float = 8, styles: dict[int, FontFace] | None = None) -> None:
    pdf.set_font(FAMILY, "", size)
    with pdf.table(col_widths=widths, width=pdf.epw, text_align="LEFT", v_align="TOP", line_height=size * 0.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), repeat_headings=1,
                   padding=1) as table:
        head = table.row()
        for h in headers:
            head.cell(h)
        for values in rows:
            row = table.row()
            for i, v in enumerate(values):
                row.cell("" if v is None else str(v), style=(styles or {}).get(i))
    pdf.ln(3)


def _image(pdf: FPDF, png: bytes, width: float | None = None) -> None:
    width = width or pdf.epw
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        height = width * im.height / im.width
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width)
    pdf.ln(3)


def _front(pdf: FPDF, data: ExportData, chart_note: str | None, images: dict[str, bytes]) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    single = len(data.filter.states) == 1 and len(data.states) == 1
    title = "Needs brief" + (f": {data.states['state_name'].iloc[0]}" if single else "")
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, "Gaps and assistance needs reported at 1540 workshops, quoted from the workshop "
                   "information notes.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    _para(pdf, data.description, 10.5, bold_label="Filters:")
    _para(pdf, data.created_text + " by needs-tracker", 10.5, bold_label="Made:")
    for line in data.summary_lines():
        _para(pdf, line, 10.5, style="B" if data.is_empty else "")
    if chart_note:
        _para(pdf, chart_note, 9, style="")
    pdf.ln(3)
    if data.is_empty:
        return
    _heading(pdf, "States")
    _table(pdf, ("State", "ISO3", "Needs", "Categories", "Workshops", "Gaps reported (years)"),
           [(s.state_name, s.state_iso3, int(s.needs), int(s.categories), int(s.workshops), _gap_years(data, s))
            for s in data.states.itertuples(index=False)], (28, 11, 12, 21, 21, 87))
    _heading(pdf, "Gap categories")
    _table(pdf, ("Gap", "Needs", "States", "Workshops"),
           [(data.label(c.category), int(c.needs), int(c.states), int(c.workshops))
            for c in data.categories.itertuples(index=False)], (90, 30, 30, 30))
    _heading(pdf, "Workshops and source notes")
    rows = []
    for w in data.workshops.itertuples(index=False):
        start, end = _date(w.start_date), _date(w.end_date)
        dates = " – ".join(d.isoformat() for d in (start, end) if d) or str(_v(w.year) or "")
        rows.append((_v(w.title), dates, venue(_v(w.venue_city), _v(w.venue_country)), int(w.needs),
                     _v(w.file_name)))
    _table(pdf, ("Workshop", "Dates", "Venue", "Needs", "Source note"), rows, (60, 27, 29, 13, 51))
    for key in ("heatmap", "map"):
        if key in images:
            _chart_heading(pdf, TITLES[key])
            _image(pdf, images[key])


def _chart_heading(pdf: FPDF, text: str) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 60:
        pdf.add_page()
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def _gap_years(data: ExportData, state) -> str:
    rows = data.heatmap[data.heatmap["state_iso3"] == state.state_iso3]
    return "; ".join(f"{data.label(r.category)} ({r.years})" for r in rows.itertuples(index=False))


def _state(pdf: FPDF, data: ExportData, state, images: dict[str, bytes], italic: bool) -> None:
    pdf.add_page()
    iso3 = state.state_iso3
    _heading(pdf, f"{state.state_name} ({iso3})", 15)
    _para(pdf, f"{int(state.needs)} needs in {int(state.categories)} gap categories, reported at "
               f"{int(state.workshops)} workshop(s).")
    pdf.ln(2)
    timeline = data.timelines.get(iso3)
    if timeline is not None and not timeline.empty:
        rows = []
        for t in timeline.itertuples(index=False):
            still = _v(t.still_reported)
            status = "yes" if still else ("no" if still is not None else "")
            rows.append((data.label(_v(t.category)), _v(t.years), int(t.workshops), status))
        _table(pdf, ("Gap", "Years reported", "Workshops", "Reported at the state's latest workshop"), rows,
               (70, 45, 25, 40))
    if f"timeline:{iso3}" in images:
        _image(pdf, images[f"timeline:{iso3}"], pdf.epw * 0.9)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 7, "Evidence, quoted from the notes", new_x="LMARGIN", new_y="NEXT")
    needs = data.needs[data.needs["state_iso3"] == iso3]
    quote = FontFace(emphasis="ITALICS") if italic else None
    rows = []
    for n in needs.itertuples(index=False):
        start = _date(n.start_date)
        workshop = f"{_v(n.workshop_title) or '(untitled)'}" + (f" ({start.isoformat()})" if start else "")
        rows.append((data.label(_v(n.category)), workshop, f"“{_v(n.evidence) or ''}”",
                     f"{_v(n.file_name) or ''}\n{_v(n.status)}, {float(n.confidence):.2f}"))
    _table(pdf, ("Gap", "Workshop", "Evidence", "Source note"), rows, (28, 42, 71, 39), size=8,
           styles={2: quote} if quote else None)


def render(data: ExportData, *, charts: bool | None = None) -> bytes:
    pdf, italic = _new_pdf(data)
    images: dict[str, bytes] = {}
    chart_note = None
    if not data.is_empty and charts is not False:
        figs = figures_for(data, timelines=len(data.states) <= MAX_STATE_CHARTS)
        images, chart_note = render_pngs(figs)
    elif charts is False and not data.is_empty:
        chart_note = "Charts were left out of this brief on request."
    _front(pdf, data, chart_note, images)
    if not data.is_empty:
        for state in data.states.itertuples(index=False):
            _state(pdf, data, state, images, italic)
        pdf.ln(2)
        _para(pdf, "Every need quotes its sentence from the source note named beside it. Needs marked "
                   "“extracted” were found by rules and not yet checked by a person.", 8)
    return bytes(pdf.output())
