"""Plotly figures built from the named queries' DataFrames.

Pure functions: a DataFrame in, a figure out, no Streamlit, so the dashboard and the
HTML/PDF briefs draw the same charts and tests can read a figure's data directly.
Every figure carries the ids it was drawn from in ``customdata`` so a click can find
its evidence.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .labels import YEAR_UNKNOWN, year_text
from .taxonomy import category_labels

EMPTY_NOTE = "No reported needs match the filters"


def _label(category: str) -> str:
    return category_labels().get(category, category)


def _hover_text(value) -> str:
    """Text from a note shown in a hover label: plotly.js reads tags such as <a> or <b> in
    hover text, so escape it (plotly shows &lt; as <)."""
    return "" if value is None or pd.isna(value) else html.escape(str(value), quote=False)


def _cell_data(r) -> list[str]:
    """A heatmap cell's customdata: [iso3, category, years, latest workshop, latest year]."""
    years = YEAR_UNKNOWN if r.years is None or pd.isna(r.years) or not str(r.years).strip() else str(r.years)
    return [r.state_iso3, r.category, years, _hover_text(r.latest_workshop),
            "" if pd.isna(r.latest_year) else str(int(r.latest_year))]


def count_scale(values) -> dict:
    """A heatmap's colour range for counts of workshops: from 0, to the largest count but at least
    2, with whole-number ticks. Given only ``zmin``, plotly scales to the data, so a matrix of ones
    read "0.6 – 1.4" on its colour bar and drew every cell the same mid colour."""
    top = max([2, *(int(v) for v in values if v is not None and not pd.isna(v))])
    return {"zmin": 0, "zmax": top, "colorbar_tick0": 0, "colorbar_dtick": max(1, -(-top // 5))}


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": EMPTY_NOTE, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0.5, "y": 0.5}],
        height=240,
    )
    return fig


def heatmap(df: pd.DataFrame, title: str = "Gaps reported, by state and category",
            clickable: bool = False, row_order: list[str] | None = None, unit: str = "workshops") -> go.Figure:
    """States × categories; a cell is the number of workshops that reported that gap.

    ``df`` comes from ``store.reads.heatmap``. customdata per cell: [iso3, category, years,
    latest workshop, latest year]. ``clickable`` draws the cells as square scatter markers
    instead, because plotly.js cannot select heatmap cells and the dashboard opens one on click.
    """
    if df is None or df.empty:
        return _empty(title)
    states = (df[["state_iso3", "state_name"]].drop_duplicates("state_iso3")
              .sort_values("state_name", kind="stable"))
    if row_order:  # e.g. most needs first; rows not named keep their name order after them
        rank = {iso: i for i, iso in enumerate(row_order)}
        states = states.sort_values("state_iso3", key=lambda c: c.map(lambda i: rank.get(i, len(rank))),
                                    kind="stable")
    cats = sorted(df["category"].unique(), key=_label)
    iso_list, name_list = list(states["state_iso3"]), list(states["state_name"])
    if clickable:  # the grid of markers is drawn from the rows: the full matrix below is not needed
        return _heatmap_grid(df, iso_list, name_list, cats, title, unit)
    cells = {(r.state_iso3, r.category): r for r in df.itertuples(index=False)}
    z, custom, text = [], [], []
    for iso in iso_list:
        z_row, c_row, t_row = [], [], []
        for cat in cats:
            r = cells.get((iso, cat))
            if r is None:
                z_row.append(None)
                c_row.append([iso, cat, "", "", ""])
                t_row.append("")
            else:
                z_row.append(int(r.workshops))
                c_row.append(_cell_data(r))
                t_row.append(str(int(r.workshops)))
        z.append(z_row)
        custom.append(c_row)
        text.append(t_row)
    fig = go.Figure(go.Heatmap(
        z=z,
        x=[_label(c) for c in cats],
        y=name_list,
        customdata=custom,
        text=text,
        texttemplate="%{text}",
        colorscale="Reds",
        colorbar={"title": "workshops"},
        hoverongaps=False,
        xgap=2,
        ygap=2,
        hovertemplate=("<b>%{y}</b> · %{x}<br>workshops: %{z}<br>years: %{customdata[2]}"
                       "<br>latest: %{customdata[3]}<extra></extra>"),
    ))
    fig.update_traces(**count_scale(v for row in z for v in row))
    fig.update_layout(
        title=title,
        height=max(260, 60 + 32 * len(iso_list)),
        xaxis={"side": "top", "tickangle": -30},
        yaxis={"autorange": "reversed"},
        margin={"t": 140, "l": 10, "r": 10, "b": 10},
    )
    return fig


def _heatmap_grid(df: pd.DataFrame, iso_list: list, name_list: list, cats: list, title: str,
                  unit: str = "workshops") -> go.Figure:
    names = dict(zip(iso_list, name_list, strict=True))
    rows = df.sort_values(["state_name", "category"], kind="stable")
    many = len(cats) > 6
    # whole workshops on the colour bar, as the plain heatmap (``count_scale``): plotly's own ticks
    # read "0, 0.5, 1, 1.5, 2" beside cells that can only hold whole numbers (qa10)
    scale = count_scale(rows["workshops"])
    fig = go.Figure(go.Scatter(
        x=[_label(c) for c in rows["category"]],
        y=[names[i] for i in rows["state_iso3"]],
        mode="markers+text",
        text=[str(int(w)) for w in rows["workshops"]],
        textfont={"color": "white"},
        marker={"symbol": "square", "size": 34, "color": [int(w) for w in rows["workshops"]],
                "colorscale": "Reds", "cmin": scale["zmin"], "cmax": scale["zmax"], "showscale": True,
                "colorbar": {"title": unit, "len": min(1.0, 400 / (190 + 40 * len(iso_list))),
                             "tick0": scale["colorbar_tick0"], "dtick": scale["colorbar_dtick"]}},
        customdata=[_cell_data(r) for r in rows.itertuples(index=False)],
        hovertemplate=("<b>%{y}</b> · %{x}<br>" + unit + ": %{text}<br>years: %{customdata[2]}"
                       "<br>latest: %{customdata[3]}<br><i>click to open the evidence</i><extra></extra>"),
    ))
    fig.update_layout(
        title=title,
        height=max(260, 190 + 40 * len(iso_list)),
        xaxis={"side": "top", "tickangle": -35 if many else -20, "categoryorder": "array",
               "categoryarray": [_label(c) for c in cats], "showgrid": False, "automargin": True},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(name_list)), "showgrid": False,
               "automargin": True},
        margin={"t": 40, "l": 10, "r": 10, "b": 10},
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def world_map(df: pd.DataFrame, value: str = "categories",
              title: str = "States by number of gap categories reported") -> go.Figure:
    """Choropleth of states by ISO3 from ``store.reads.by_state`` (``value``: categories, needs
    or workshops), zoomed to the states shown when they are few. Offline, pass plotly.js a
    local ``topojsonURL``."""
    fig = go.Figure()
    shown = 0 if df is None else len(df)
    if shown:
        fig.add_trace(go.Choropleth(
            locations=list(df["state_iso3"]),
            locationmode="ISO-3",
            z=[int(v) for v in df[value]],
            text=list(df["state_name"]),
            customdata=list(zip(df["state_iso3"], df["needs"], df["workshops"], strict=True)),
            colorscale="Reds",
            zmin=0,
            marker_line_color="white",
            colorbar={"title": {"text": value, "side": "right"}, "len": 0.7, "thickness": 14, "y": 0.5,
                      "yanchor": "middle"},
            hovertemplate=("<b>%{text}</b><br>gap categories: %{z}<br>needs: %{customdata[1]:,}"
                           "<br>workshops: %{customdata[2]:,}<extra></extra>"
                           if value == "categories" else
                           "<b>%{text}</b><br>" + value + ": %{z:,}<extra></extra>"),
        ))
    fig.update_geos(showcountries=True, countrycolor="#bbbbbb", showland=True, landcolor="#f2f2f2",
                    showframe=False, projection_type="natural earth",
                    fitbounds="locations" if 0 < shown <= 40 else False)
    fig.update_layout(title=title, height=460, margin={"t": 40, "l": 0, "r": 0, "b": 0})
    if not shown:
        fig.add_annotation(text=EMPTY_NOTE, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def needs_per_year(df: pd.DataFrame, title: str = "Needs reported per year, by category") -> go.Figure:
    """Stacked bars from ``store.reads.by_year``: one trace per category, the legend beside the
    plot (it never covers the year labels) and a "year unknown" bar for workshops without one."""
    if df is None or df.empty:
        return _empty(title)
    fig = go.Figure()
    known = sorted(int(y) for y in df["year"].dropna().unique())
    years = [str(y) for y in known] + ([YEAR_UNKNOWN] if df["year"].isna().any() else [])
    cats = sorted(df["category"].unique(), key=_label)
    for cat in cats:
        sub = df[df["category"] == cat]
        by_year = {year_text(r.year): int(r.needs) for r in sub.itertuples(index=False)}
        fig.add_trace(go.Bar(
            name=_label(cat),
            x=years,
            y=[by_year.get(y, 0) for y in years],
            customdata=[[cat, y] for y in years],
            hovertemplate=_label(cat) + "<br>%{x}: %{y:,} needs<extra></extra>",
        ))
    fig.update_layout(title=title, barmode="stack", height=max(380, 140 + 22 * len(cats)),
                      xaxis={"type": "category", "title": "year", "categoryorder": "array", "categoryarray": years},
                      yaxis={"title": "needs", "tickformat": ",d"},
                      legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                              "title": {"text": "gap"}},
                      margin={"r": 10, "t": 50, "l": 10, "b": 40})
    return fig


_STILL, _SINCE, _UNKNOWN = "#d62728", "#9ecae1", "#bdbdbd"


def state_timeline(df: pd.DataFrame, title: str = "Gaps across the years") -> go.Figure:
    """One bar per category from its first to its last reported year, with a marker on
    every year it was reported, and a legend saying what the colours mean. A gap reported
    only by workshops of unknown year sits in a "year unknown" column at the right.
    ``df`` comes from ``store.reads.state_timeline``."""
    if df is None or df.empty:
        return _empty(title)
    fig = go.Figure()
    labels = [_label(c) for c in df["category"]]
    known = df["first_year"].dropna()
    lo, hi = (int(known.min()), int(df["last_year"].dropna().max())) if len(known) else (2000, 2000)
    unknown_x = hi + 1.5
    shown: set[str] = set()

    def legend(name: str) -> dict:
        first = name not in shown
        shown.add(name)
        return {"name": name, "legendgroup": name, "showlegend": first}

    for label, r in zip(labels, df.itertuples(index=False), strict=True):
        if pd.isna(r.first_year):
            fig.add_trace(go.Scatter(
                x=[unknown_x], y=[label], mode="markers",
                marker={"size": 12, "color": _UNKNOWN, "symbol": "diamond-open", "line": {"width": 2}},
                hovertemplate=f"{label}<br>reported, {YEAR_UNKNOWN}<extra></extra>", **legend(YEAR_UNKNOWN)))
            continue
        first, last = int(r.first_year), int(r.last_year)
        still = bool(r.still_reported) if not pd.isna(r.still_reported) else False
        fig.add_trace(go.Scatter(
            x=[first - 0.3, last + 0.3], y=[label, label], mode="lines",
            line={"width": 14, "color": _STILL if still else _SINCE}, hoverinfo="skip",
            **legend("still reported" if still else "not reported at the last workshop attended"),
        ))
        years = [int(y) for y in str(r.years or "").split(", ") if y.strip().isdigit()]
        fig.add_trace(go.Scatter(
            x=years, y=[label] * len(years), mode="markers",
            marker={"size": 12, "color": "#333333", "symbol": "diamond"},
            customdata=[[r.category, y] for y in years],
            hovertemplate=(f"{label}<br>reported %{{x}}<br>first {first}, last {last}, "
                           f"{int(r.workshops)} workshop(s)<extra></extra>"),
            **legend("reported that year"),
        ))
    # no known year (a state reported only by undated notes): no year ticks, not a made-up "2000" (qa10)
    ticks = list(range(lo, hi + 1)) if len(known) else []
    tickvals, ticktext = ticks, [str(t) for t in ticks]
    if YEAR_UNKNOWN in shown:
        tickvals, ticktext = ticks + [unknown_x], ticktext + [YEAR_UNKNOWN]
    fig.update_layout(title=title, height=max(240, 120 + 36 * len(labels)),
                      xaxis={"title": "year", "tickvals": tickvals, "ticktext": ticktext,
                             "range": [lo - 1, (unknown_x if YEAR_UNKNOWN in shown else hi) + 1]},
                      yaxis={"autorange": "reversed", "type": "category", "automargin": True},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                      margin={"l": 10, "r": 10, "t": 80, "b": 40})
    return fig
