"""HTML brief: one self-contained file that works offline.

plotly.js is inlined once (minified) and the world map's topojson is embedded as
``window.PlotlyGeoAssets`` (plotly.js looks there before fetching), so the file opens
with no network. Everything from a note or a person is escaped: nothing becomes markup or a
link. Each quoted need is a table row ``<tr class="need" data-need-id=...>``; the "Requests and
offers" section (the matching table of the same filter) is ``<section id="requests-and-offers">``.
"""

from __future__ import annotations

import json
from html import escape

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
from .charts import TITLES, figures_for, heatmap_title, world_map_file
from .data import NOTHING_MATCHED, _v, filter_link

CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:2em auto;max-width:1100px;color:#222;
line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #c33;padding-bottom:.2em;margin-top:2em}
.meta{background:#f4f6f9;border-left:4px solid #c33;padding:.6em 1em}
.meta p{margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#e8edf3}
td.quote{font-style:italic}
.note{color:#666;font-size:.9em}
.empty{font-weight:bold;font-size:1.1em;color:#a00}
.how{font-size:.92em}
@media print{.chart{page-break-inside:avoid}}
"""


def _e(value) -> str:
    value = _v(value)
    return "" if value is None else escape(str(value))


def _figure_html(fig, div_id: str) -> str:
    """A chart as a div and one call to the page's single plotly.js (not a copy per chart)."""
    import plotly.io as pio

    return '<div class="chart">' + pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                                               config={"displaylogo": False, "responsive": True}) + "</div>"


def _scripts(with_map: bool) -> str:
    """plotly.js once, minified (the bundle plotly ships is plotly.min.js), and the world map's
    topojson where plotly.js looks before fetching, so the file works offline."""
    from plotly.offline import get_plotlyjs

    parts = []
    world = world_map_file() if with_map else None
    if world is not None:
        topo = json.dumps(json.loads(world.read_text(encoding="utf-8")), separators=(",", ":"))
        parts.append("<script>window.PlotlyGeoAssets={topojson:{\"world_110m\":"
                     + topo.replace("</", "<\\/") + "}};</script>")
    parts.append('<script type="text/javascript">' + get_plotlyjs() + "</script>")
    return "\n".join(parts)


def _table(headers: tuple[str, ...], rows: list[tuple], cls: str = "") -> str:
    out = [f"<table class='{cls}'><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers)
           + "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _quotes(data: BriefData, iso3: str) -> str:
    out = ["<table class='needs'><thead><tr><th>Gap</th><th>Evidence (quoted from the note)</th>"
           "<th>Workshop, date (source file)</th><th>Status</th></tr></thead><tbody>"]
    for p, q in data.quotes_for(iso3):
        shown = len(p.quotes)
        gap = escape(data.label(p.category))
        if shown < int(p.needs):
            gap += f"<br><span class='note'>({shown} of {int(p.needs):,} needs)</span>"
        out.append(
            f"<tr class='need' data-need-id='{_e(q['need_id'])}' data-state='{_e(p.state_iso3)}'>"
            f"<td>{gap}</td><td class='quote'>“{_e(q['evidence'])}”</td><td>{_e(source_text(q))}</td>"
            f"<td>{_e(status_words(q['status']))}; {_e(confidence_words(q['confidence']))}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _state_section(data: BriefData, state, figs: dict) -> str:
    iso3 = state.state_iso3
    pairs = data.state_pairs(iso3)
    out = [f"<section class='state' id='state-{_e(iso3)}'><h2>{_e(state.state_name)} ({_e(iso3)})</h2>",
           f"<p>{_e(state_counts_text(state))}</p>"]
    if data.compact:
        out.append(f"<p class='gaps'><b>Needs per gap (first–last year):</b> {escape(data.gaps_sentence(iso3))}</p>")
    else:
        out.append(_table(("Gap", "Needs", "Workshops", "Years reported", "Reported at the state's latest workshop?"),
                  [(data.label(p.category), f"{int(p.needs):,}", f"{int(p.workshops):,}", data.years_text(p),
                    data.still_text(p)) for p in pairs.itertuples(index=False)], "gaps"))
    if f"timeline:{iso3}" in figs:
        out.append(_figure_html(figs[f"timeline:{iso3}"], f"timeline-{iso3}"))
    out.append("<h3>" + ("Evidence, quoted from the notes" if data.complete else "Top quotes") + "</h3>")
    out.append(_quotes(data, iso3))
    out.append("</section>")
    return "".join(out)


def _assistance_section(data: BriefData) -> str:
    """Requests and offers: the status counts, the longest-open pairs, then each state's gaps
    (a table, or for a large selection a paragraph). Every value is escaped."""
    section = data.assistance
    if section is None:
        return ""
    out = ["<section id='requests-and-offers'><h2>Requests and offers</h2>"]
    out += [f"<p class='assistance-summary'>{escape(line)}</p>" for line in section.summary_lines()]
    if section.is_empty or not section.has_assistance:
        return "".join(out) + "</section>"
    out.append(f"<p class='how'>{escape(brief_assistance.HOW_TO_READ)}</p>")
    longest = section.longest_open()
    if longest:
        out.append("<h3>Open longest</h3><ul class='longest-open'>"
                   + "".join(f"<li><b>{escape(pair)}</b>: {escape(text)}</li>" for pair, text in longest) + "</ul>")
    for iso3, name in section.states():
        out.append(f"<div class='assistance-state' id='assistance-{escape(iso3)}'><h3>{escape(name)} "
                   f"({escape(iso3)})</h3>")
        if section.compact:
            out += [f"<p><b>{escape(head)}</b> {escape(text)}</p>" for head, text in section.paragraph_for(iso3)]
        else:
            out.append(_table(("Gap", "Status", "Formal requests", "Offers (who, when, to whom)",
                               "Later events on the gap"), section.rows_for(iso3), "assistance"))
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def render(data: BriefData) -> bytes:
    figs = figures_for(data)
    body = [f"<h1>{escape(data.title)}</h1>",
            "<div class='meta' id='filters'>"
            f"<p><b>Filters:</b> <span id='filter-text'>{escape(data.description)}</span></p>"
            f"<p class='note'>As link parameters (for the dashboard or <code>export --url</code>): "
            f"<code>{escape(filter_link(data.filter))}</code></p>"
            f"<p><b>Made:</b> {escape(data.created_text)} by needs-tracker</p>"
            + "".join(f"<p>{escape(line)}</p>" for line in data.summary_lines()) + "</div>"]
    if data.is_empty:
        body.append(f"<p class='empty' id='nothing-matched'>{escape(NOTHING_MATCHED)}</p>")
        if data.assistance is not None and not data.assistance.is_empty:  # formal requests without needs
            body.append(_assistance_section(data))
    else:
        body.append(f"<p class='how'><b>How to read this brief:</b> {escape(HOW_TO_READ)}</p>")
        if len(data.states) > MAX_STATE_CHARTS:
            body.append(f"<p class='note'>Timelines are drawn for selections of up to {MAX_STATE_CHARTS} states; "
                        "here each state's section gives its years in words.</p>")
        body.append("<h2>Overview</h2>")
        body.append(_table(("State", "ISO3", "Needs", "Gap categories", "Workshops"),
                           [(s.state_name, s.state_iso3, f"{int(s.needs):,}", int(s.categories),
                             f"{int(s.workshops):,}") for s in data.states.itertuples(index=False)], "states"))
        body.append(_table(("Gap", "Needs", "States", "Workshops"),
                           [(data.label(c.category), f"{int(c.needs):,}", int(c.states), f"{int(c.workshops):,}")
                            for c in data.categories.itertuples(index=False)], "categories"))
        if "map" in figs:
            body.append(f"<h3>{escape(TITLES['map'])}</h3>" + _figure_html(figs["map"], "map"))
        elif "heatmap" in figs:
            body.append("<p class='note'>The map was left out: the offline map data "
                        "(static/world_110m.json) was not found.</p>")
        if "heatmap" in figs:
            body.append(f"<h3>{escape(heatmap_title(data))}</h3>" + _figure_html(figs["heatmap"], "heatmap"))
        for state in data.states.itertuples(index=False):
            body.append(_state_section(data, state, figs))
        body.append(_assistance_section(data))
        body.append("<h2>Workshops quoted, and their source notes</h2>")
        body.append(_table(("Workshop", "Dates", "Venue", "Needs", "Source note"), workshop_rows(data),
                           "workshops"))
    body.append("<p class='note'>Every quote is the sentence from the note of the workshop named beside it. All "
                "needs of this selection, one row each, are in the CSV and Excel exports of the same filter.</p>")
    doc = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           "<meta name='viewport' content='width=device-width, initial-scale=1'>"
           f"<title>{escape(data.title)} — {escape(data.description)}</title><style>{CSS}</style>"
           + (_scripts(with_map="map" in figs) if figs else "")
           + "</head><body>" + "\n".join(body) + "</body></html>")
    return doc.encode("utf-8")
