"""HTML brief: one self-contained file that works offline.

plotly.js is inlined once and the world map's topojson is embedded as
``window.PlotlyGeoAssets`` (plotly.js looks there before fetching), so the file opens
with no network. Each need is a table row ``<tr class="need" data-need-id=...>``.
"""

from __future__ import annotations

import json
from html import escape

from .charts import TITLES, figures_for, world_map_file
from .data import NOTHING_MATCHED, ExportData, _date, _v, venue

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
@media print{.chart{page-break-inside:avoid}}
"""


def _e(value) -> str:
    value = _v(value)
    return "" if value is None else escape(str(value))


def _figure_html(fig, div_id: str) -> str:
    import plotly.io as pio

    return '<div class="chart">' + pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                                               config={"displaylogo": False, "responsive": True}) + "</div>"


def _scripts(with_map: bool) -> str:
    from plotly.offline import get_plotlyjs

    parts = []
    world = world_map_file() if with_map else None
    if world is not None:
        topo = json.dumps(json.loads(world.read_text(encoding="utf-8")), separators=(",", ":"))
        parts.append("<script>window.PlotlyGeoAssets={topojson:{\"world_110m\":"
                     + topo.replace("</", "<\\/") + "}};</script>")
    parts.append('<script type="text/javascript">' + get_plotlyjs() + "</script>")
    return "\n".join(parts)


def _needs_table(data: ExportData, rows) -> str:
    out = ["<table class='needs'><thead><tr><th>Gap</th><th>Workshop</th><th>Date</th>"
           "<th>Evidence (quoted from the note)</th><th>Status</th><th>Source note</th></tr></thead><tbody>"]
    for r in rows.itertuples(index=False):
        date = _date(r.start_date)
        out.append(
            f"<tr class='need' data-need-id='{_e(r.need_id)}' data-state='{_e(r.state_iso3)}'>"
            f"<td>{escape(data.label(_v(r.category)))}</td><td>{_e(r.workshop_title)}</td>"
            f"<td>{date.isoformat() if date else ''}</td><td class='quote'>“{_e(r.evidence)}”</td>"
            f"<td>{_e(r.status)} ({float(r.confidence):.2f})</td><td>{_e(r.file_name)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _state_section(data: ExportData, state, figs: dict) -> str:
    iso3 = state.state_iso3
    rows = data.needs[data.needs["state_iso3"] == iso3]
    timeline = data.timelines.get(iso3)
    out = [f"<section class='state' id='state-{_e(iso3)}'><h2>{_e(state.state_name)} ({_e(iso3)})</h2>",
           f"<p>{int(state.needs)} needs in {int(state.categories)} gap categories, reported at "
           f"{int(state.workshops)} workshop(s).</p>"]
    if timeline is not None and not timeline.empty:
        out.append("<table class='gaps'><thead><tr><th>Gap</th><th>Years reported</th><th>Workshops</th>"
                   "</tr></thead><tbody>")
        for t in timeline.itertuples(index=False):
            out.append(f"<tr><td>{escape(data.label(_v(t.category)))}</td><td>{_e(t.years)}</td>"
                       f"<td>{_e(t.workshops)}</td></tr>")
        out.append("</tbody></table>")
    if f"timeline:{iso3}" in figs:
        out.append(_figure_html(figs[f"timeline:{iso3}"], f"timeline-{iso3}"))
    out.append(_needs_table(data, rows))
    out.append("</section>")
    return "".join(out)


def _workshops(data: ExportData) -> str:
    out = ["<h2>Workshops and source notes</h2><table class='workshops'><thead><tr><th>Workshop</th>"
           "<th>Dates</th><th>Venue</th><th>Organisers</th><th>Needs</th><th>Source note</th></tr></thead><tbody>"]
    for w in data.workshops.itertuples(index=False):
        start, end = _date(w.start_date), _date(w.end_date)
        dates = " – ".join(d.isoformat() for d in (start, end) if d) or _e(w.year)
        out.append(f"<tr class='workshop'><td>{_e(w.title)}</td><td>{dates}</td>"
                   f"<td>{escape(venue(_v(w.venue_city), _v(w.venue_country)) or '')}</td>"
                   f"<td>{_e(w.organizers)}</td><td>{_e(w.needs)}</td><td>{_e(w.file_name)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render(data: ExportData) -> bytes:
    figs = figures_for(data)
    title = "Needs brief" + (f": {data.states['state_name'].iloc[0]}" if len(data.filter.states) == 1
                             and len(data.states) == 1 else "")
    body = [f"<h1>{escape(title)}</h1>",
            "<div class='meta' id='filters'>"
            f"<p><b>Filters:</b> {escape(data.description)}</p>"
            f"<p><b>Made:</b> {escape(data.created_text)} by needs-tracker</p>"
            + "".join(f"<p>{escape(line)}</p>" for line in data.summary_lines()) + "</div>"]
    if data.is_empty:
        body.append(f"<p class='empty' id='nothing-matched'>{escape(NOTHING_MATCHED)}</p>")
    else:
        if "heatmap" in figs:
            body.append("<h2>Overview</h2>")
            if "map" in figs:
                body.append(f"<h3>{escape(TITLES['map'])}</h3>" + _figure_html(figs["map"], "map"))
            else:
                body.append("<p class='note'>The map was left out: the offline map data "
                            "(static/world_110m.json) was not found.</p>")
            body.append(f"<h3>{escape(TITLES['heatmap'])}</h3>" + _figure_html(figs["heatmap"], "heatmap"))
        for state in data.states.itertuples(index=False):
            body.append(_state_section(data, state, figs))
        body.append(_workshops(data))
    body.append("<p class='note'>Every need quotes its sentence from the source note named beside it. "
                "Needs marked “extracted” were found by rules and not yet checked by a person.</p>")
    doc = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           "<meta name='viewport' content='width=device-width, initial-scale=1'>"
           f"<title>{escape(title)} — {escape(data.description)}</title><style>{CSS}</style>"
           + (_scripts(with_map="map" in figs) if figs else "")
           + "</head><body>" + "\n".join(body) + "</body></html>")
    return doc.encode("utf-8")
