"""PDF brief for a meeting paper: fpdf2 with a Unicode TrueType font (DejaVu Sans).

Page one holds the title, the filters exactly as chosen, the date made, how to read status
and confidence, and the overview tables; then a section per state with its gaps (counts,
years, still reported or not) and its quotes, each cited by workshop title and date, then
the file; then "Requests and offers" (``brief_assistance``: the matching table of the same
filter). No text is parsed as markdown, so nothing a person or a note wrote becomes a link.
A table row must fit on a page, so very long quotes are cut with a marker. Tables continue
across pages with their headings repeated. Chart images come from kaleido when a Chromium
is available; otherwise the brief says they were left out.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .. import config
from ..errors import ExportError
from . import brief_assistance
from .brief import (
    HOW_TO_READ,
    MAX_STATE_CHARTS,
    BriefData,
    confidence_words,
    source_text,
    state_counts_text,
    status_words,
    workshop_rows,
)
from .charts import CHARTS_FAILED, NO_CHROMIUM, TITLES, figures_for, find_browser, heatmap_title, render_pngs
from .data import filter_link

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
MAX_QUOTE_CHARS = 1_200   # a table row must fit on one page: longer quotes are cut with a marker
MAX_SOURCE_CHARS = 400
COMPACT_QUOTE_CHARS, COMPACT_SOURCE_CHARS = 400, 160  # a compact brief's quotes (many states)
COMPACT_ASSISTANCE_CHARS = 2_000  # one status line of a state's requests and offers in a compact brief


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


def _new_pdf(data: BriefData) -> tuple[_Brief, bool]:
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


def cut(text: str | None, limit: int, what: str = "text") -> str:
    """``text`` on one line (a table row must fit on a page, and a note's line breaks inside a
    sentence carry no meaning there), whole when short enough, else cut with a visible marker."""
    text = " ".join(("" if text is None else str(text)).split())
    if len(text) <= limit:
        return text
    return (text[:limit].rstrip() + f" … [cut: the {what} has {len(text):,} characters; the CSV and Excel "
            "exports hold it whole]")


def _heading(pdf: FPDF, text: str, size: float = 13) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 40:
        pdf.add_page()
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    y = pdf.get_y() + 0.5
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(2.5)


def _para(pdf: FPDF, text: str, size: float = 9.5, style: str = "", label: str | None = None) -> None:
    """A paragraph; ``label`` in bold before it. Plain text only: no markdown is parsed, so a
    person's ``**`` or ``[text](url)`` prints as typed and never becomes a link."""
    height = size * 0.5
    if label:
        pdf.set_font(FAMILY, "B", size)
        pdf.write(height, label + " ")
    pdf.set_font(FAMILY, style, size)
    pdf.write(height, text)
    pdf.ln(height + 1)


def _runs(pdf: FPDF, runs: list[tuple[str, bool]], size: float = 9.5) -> None:
    """One paragraph of plain-text runs, each bold or not (labels inside a line)."""
    height = size * 0.5
    for text, bold in runs:
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.write(height, text + " ")
    pdf.ln(height + 1)


def _table(pdf: FPDF, headers: tuple[str, ...], rows: list[tuple], widths: tuple[float, ...],
           size: float = 8, styles: dict[int, FontFace] | None = None) -> None:
    pdf.set_font(FAMILY, "", size)
    with pdf.table(col_widths=widths, width=pdf.epw, text_align="LEFT", v_align="TOP", line_height=size * 0.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), repeat_headings=1,
                   padding=1, markdown=False) as table:
        head = table.row()
        for h in headers:
            head.cell(h)
        for values in rows:
            row = table.row()
            for i, v in enumerate(values):
                row.cell("" if v is None else str(v), style=(styles or {}).get(i))
    pdf.ln(3)


class _Charts:
    """Chart images drawn by Chromium while fpdf2 lays out the text (a separate process, so the
    two overlap on two cores). ``place`` reserves each image's box (its size follows from the
    figure's layout) and records where it goes; ``finish`` waits for the images and draws them
    on their pages, or writes in each box, and in the line kept on page one, why they are missing.
    """

    RENDER_WIDTH = 900  # pixels: charts.render_pngs' default width

    def __init__(self, figs: dict[str, object]):
        self.figs = figs
        self.boxes: list[tuple[int, float, float, float, float, str]] = []
        self.note_at: tuple[int, float] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brief-charts")
        self._future = self._pool.submit(render_pngs, figs) if figs else None

    def __contains__(self, key: str) -> bool:
        return key in self.figs

    def keep_note_line(self, pdf: FPDF) -> None:
        """Page one keeps a line for 'charts were left out' in case rendering fails."""
        if self._future is not None:
            self.note_at = (pdf.page, pdf.get_y())
            pdf.ln(5)

    def place(self, pdf: FPDF, key: str, width: float | None = None, heading: str | None = None) -> None:
        width = width or pdf.epw
        fig = self.figs[key]
        height = width * (fig.layout.height or 450) / self.RENDER_WIDTH
        heading_room = 9 if heading else 0
        max_height = pdf.h - pdf.t_margin - pdf.b_margin - 5 - heading_room
        if height > max_height:  # a tall heatmap is scaled to one page rather than cut
            width, height = width * max_height / height, max_height
        if pdf.get_y() + heading_room + height > pdf.h - pdf.b_margin:
            pdf.add_page()
        if heading:
            pdf.set_font(FAMILY, "B", 11)
            pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT", align="L")
        self.boxes.append((pdf.page, pdf.l_margin, pdf.get_y(), width, height, key))
        pdf.set_y(pdf.get_y() + height + 3)

    def finish(self, pdf: FPDF) -> None:
        if self._future is None:
            return
        images, note = self._future.result()
        self._pool.shutdown(wait=False)
        current, x, y = pdf.page, pdf.get_x(), pdf.get_y()
        for page, bx, by, w, h, key in self.boxes:
            pdf.page = page
            if key in images:
                pdf.image(io.BytesIO(images[key]), x=bx, y=by, w=w, h=h)
            else:
                pdf.set_font(FAMILY, "", 9)
                pdf.set_xy(bx, by)
                pdf.multi_cell(w, 5, note or CHARTS_FAILED, align="L")
        if note and self.note_at:
            pdf.page = self.note_at[0]
            pdf.set_font(FAMILY, "", 9)
            pdf.set_xy(pdf.l_margin, self.note_at[1])
            pdf.cell(0, 5, note)
        pdf.page = current
        pdf.set_xy(x, y)


def _front(pdf: FPDF, data: BriefData, chart_note: str | None, images: _Charts) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 9, data.title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, "Gaps and assistance needs reported at 1540 workshops, quoted from the workshop "
                   "information notes.", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    _para(pdf, data.description, 10.5, label="Filters:")
    _para(pdf, filter_link(data.filter), 9, label="As link parameters (for the dashboard or export --url):")
    _para(pdf, data.created_text + " by needs-tracker", 10.5, label="Made:")
    for line in data.summary_lines():
        _para(pdf, line, 10.5, style="B" if data.is_empty else "")
    if chart_note:
        _para(pdf, chart_note, 9)
    images.keep_note_line(pdf)
    if data.is_empty:
        return
    pdf.ln(2)
    _para(pdf, HOW_TO_READ, 9, label="How to read this brief:")
    pdf.ln(3)
    _heading(pdf, "States")
    _table(pdf, ("State", "ISO3", "Needs", "Gap categories", "Workshops"),
           [(s.state_name, s.state_iso3, f"{int(s.needs):,}", int(s.categories), f"{int(s.workshops):,}")
            for s in data.states.itertuples(index=False)], (70, 20, 30, 30, 30))
    _heading(pdf, "Gap categories")
    _table(pdf, ("Gap", "Needs", "States", "Workshops"),
           [(data.label(c.category), f"{int(c.needs):,}", int(c.states), f"{int(c.workshops):,}")
            for c in data.categories.itertuples(index=False)], (90, 30, 30, 30))
    for key in ("heatmap", "map"):
        if key in images:
            images.place(pdf, key, heading=heatmap_title(data) if key == "heatmap" else TITLES[key])


def _quote_text(q: dict, quote_chars: int = MAX_QUOTE_CHARS, source_chars: int = MAX_SOURCE_CHARS) -> str:
    return (f"“{cut(q['evidence'], quote_chars, 'sentence')}” — {cut(source_text(q), source_chars, 'source')}; "
            f"{status_words(q['status'])}; {confidence_words(q['confidence'])}.")


def _compact_state(pdf: FPDF, data: BriefData, state, images: _Charts) -> None:
    """A large selection's state: a paragraph of its gaps with counts and years, and its top quotes
    (paragraphs, not tables: fpdf2 lays a table out twice, and 196 states must stay within seconds)."""
    iso3 = state.state_iso3
    pdf.ln(2)
    _heading(pdf, f"{state.state_name} ({iso3}): {int(state.needs):,} needs, {int(state.categories)} gaps, "
                  f"{int(state.workshops):,} workshops", 11)
    _para(pdf, data.gaps_sentence(iso3), 8.5, label="Needs per gap (first–last year):")
    if f"timeline:{iso3}" in images:
        images.place(pdf, f"timeline:{iso3}", pdf.epw * 0.8)
    for pair, q in data.quotes_for(iso3):  # shorter cuts: up to 196 of these must stay within seconds
        _para(pdf, _quote_text(q, COMPACT_QUOTE_CHARS, COMPACT_SOURCE_CHARS), 8.5,
              label=f"{data.label(pair.category)}:")


def _state(pdf: FPDF, data: BriefData, state, images: _Charts, italic: bool) -> None:
    if data.compact:
        _compact_state(pdf, data, state, images)
        return
    iso3 = state.state_iso3
    if len(data.states) <= MAX_STATE_CHARTS or pdf.get_y() > pdf.h / 2:
        pdf.add_page()
    else:
        pdf.ln(4)
    _heading(pdf, f"{state.state_name} ({iso3})", 15)
    _para(pdf, state_counts_text(state))
    pairs = data.state_pairs(iso3)
    _table(pdf, ("Gap", "Needs", "Workshops", "Years reported", "Reported at the state's latest workshop?"),
           [(data.label(p.category), f"{int(p.needs):,}", f"{int(p.workshops):,}", data.years_text(p),
             data.still_text(p)) for p in pairs.itertuples(index=False)], (52, 15, 20, 53, 40))
    if f"timeline:{iso3}" in images:
        images.place(pdf, f"timeline:{iso3}", pdf.epw * 0.9)
    if pdf.get_y() > pdf.h - pdf.b_margin - 30:  # keep the heading with the first rows of its table
        pdf.add_page()
    pdf.set_font(FAMILY, "B", 11)
    heading = "Evidence, quoted from the notes" if data.complete else "Top quotes for each gap"
    pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT", align="L")
    quote = FontFace(emphasis="ITALICS") if italic else None
    rows = []
    for p, q in data.quotes_for(iso3):
        shown = len(p.quotes)
        gap = data.label(p.category) + ("" if shown >= int(p.needs) else f"\n({shown} of {int(p.needs):,} needs)")
        rows.append((gap, f"“{cut(q['evidence'], MAX_QUOTE_CHARS, 'sentence')}”",
                     cut(source_text(q), MAX_SOURCE_CHARS, "source"),
                     f"{status_words(q['status'])}; {confidence_words(q['confidence'])}"))
    _table(pdf, ("Gap", "Evidence", "Workshop, date (source file)", "Status"), rows, (30, 78, 42, 30), size=8,
           styles={1: quote} if quote else None)


def _assistance(pdf: FPDF, data: BriefData) -> None:
    """Requests and offers: the status counts, the longest-open pairs, then each state's gaps (a
    table, or for a large selection a paragraph per state: paragraphs lay out fast at 196 states)."""
    section = data.assistance
    if section is None:
        return
    pdf.add_page()
    _heading(pdf, "Requests and offers", 15)
    for line in section.summary_lines():
        _para(pdf, line, 10)
    if section.is_empty or not section.has_assistance:
        return
    _para(pdf, brief_assistance.HOW_TO_READ, 8.5, label="How to read it:")
    longest = section.longest_open()
    if longest:
        pdf.ln(1)
        _heading(pdf, "Open longest", 11)
        for pair, text in longest:
            _para(pdf, text, 9, label=pair + ":")
    for iso3, name in section.states():
        pdf.ln(1 if section.compact else 2)
        if section.compact:  # one paragraph a state, not a ruled heading: 196 states stay within a few pages
            runs = [(f"{name} ({iso3}):", True)]
            for head, text in section.paragraph_for(iso3):
                runs += [(f"  {head}", True), (cut(text, COMPACT_ASSISTANCE_CHARS, "list"), False)]
            _runs(pdf, runs, 8.5)
        else:
            _heading(pdf, f"{name} ({iso3})", 11)
            _table(pdf, ("Gap", "Status", "Formal requests", "Offers (who, when, to whom)", "Later events on the gap"),
                   [tuple(cut(v, MAX_SOURCE_CHARS, "list") for v in row) for row in section.rows_for(iso3)],
                   (32, 32, 26, 45, 45))


def render(data: BriefData, *, charts: bool | None = None) -> bytes:
    pdf, italic = _new_pdf(data)
    figs: dict[str, object] = {}
    chart_note = None
    if not data.is_empty and charts is not False:
        # Without a browser there is nothing to draw with: skip building the figures too.
        if find_browser():
            figs = figures_for(data)
        else:
            chart_note = NO_CHROMIUM
    elif charts is False and not data.is_empty:
        chart_note = "Charts were left out of this brief on request."
    images = _Charts(figs)  # Chromium starts drawing now, while the text is laid out
    if figs and len(data.states) > MAX_STATE_CHARTS:
        chart_note = (f"Timelines are drawn for selections of up to {MAX_STATE_CHARTS} states; here each "
                      "state's section gives its years in words.")
    _front(pdf, data, chart_note, images)
    if not data.is_empty:
        for state in data.states.itertuples(index=False):
            _state(pdf, data, state, images, italic)
    if data.assistance is not None and not (data.is_empty and data.assistance.is_empty):
        _assistance(pdf, data)  # formal requests are shown even when no need matched
    if not data.is_empty:
        if not data.compact:  # a compact brief names each quote's workshop, date and file inline
            _heading(pdf, "Workshops quoted, and their source notes")
            _table(pdf, ("Workshop", "Dates", "Venue", "Needs", "Source note"),
                   [(cut(t, MAX_SOURCE_CHARS, "title"), d, cut(v, MAX_SOURCE_CHARS, "venue"), n,
                     cut(f, MAX_SOURCE_CHARS, "file name"))
                    for t, d, v, n, f in workshop_rows(data)], (60, 27, 29, 13, 51))
        _para(pdf, "Every quote is the sentence from the note of the workshop named beside it. All needs of this "
                   "selection, one row each, are in the CSV and Excel exports of the same filter.", 8)
    images.finish(pdf)
    return bytes(pdf.output())
