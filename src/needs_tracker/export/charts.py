"""Charts for the briefs: the dashboard's own figures, and PNG images of them via kaleido.

kaleido needs a Chromium on the machine. We never download one: when none is found (or
``NEEDS_TRACKER_CHARTS=off``), or rendering fails or takes too long, the brief says that
charts were left out instead of failing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import warnings
from pathlib import Path

from .. import config

log = logging.getLogger(__name__)

NO_CHROMIUM = "Charts were left out: no Chromium browser was found for rendering them."
CHARTS_FAILED = "Charts were left out: the chart renderer (kaleido with Chromium) failed or timed out."
_RENDER_LOCK = threading.Lock()
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def world_map_file() -> Path | None:
    path = config.world_map_file()
    return path if path.exists() else None


def find_browser() -> str | None:
    """A Chromium kaleido can drive, or None. ``NEEDS_TRACKER_CHARTS=off`` forces None."""
    if not config.charts_enabled():
        return None
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


MAX_HEATMAP_STATES = 40   # beyond, the heatmap shows the states with the most needs and says so
STILL_COLOUR, PAST_COLOUR = "#d62728", "#6baed6"


def _title_note(fig, text: str):
    fig.update_layout(title={"text": text, "font": {"size": 13}, "x": 0, "xanchor": "left"})
    return fig


def timeline_figure(pairs, labels: dict[str, str], title: str):
    """One state's gaps across the years, from its ``brief_pairs`` rows.

    A bar per gap from its first to its last reported year (red: still reported at the state's
    latest workshop; blue: not since), a diamond on every year reported, full gap names as row
    labels (the margin grows to fit them), and a legend saying all that. Gaps whose needs have
    no known year are kept: their label says how many, with no bar to draw.
    """
    import pandas as pd
    import plotly.graph_objects as go

    fig = go.Figure()
    rows, years_seen, no_year = [], [], []
    for p in pairs.itertuples(index=False):
        label = labels.get(p.category, p.category)
        unknown = int(p.needs_year_unknown or 0)
        if unknown:
            label += f" ({unknown} of unknown year)"
        rows.append(label)
        years = [int(y) for y in str(p.years or "").split(", ") if y.strip().isdigit()]
        years_seen += years
        if not years:
            no_year.append(label)
            continue
        first, last = min(years), max(years)
        still = not pd.isna(p.still_reported) and bool(p.still_reported)
        kind = "still reported at the state's latest workshop" if still else "not reported at its latest workshop"
        fig.add_trace(go.Scatter(
            x=[first - 0.3, last + 0.3], y=[label, label], mode="lines", name=kind, legendgroup=kind,
            line={"width": 14, "color": STILL_COLOUR if still else PAST_COLOUR}, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=years, y=[label] * len(years), mode="markers", name="a year it was reported", legendgroup="year",
            marker={"size": 11, "color": "#333333", "symbol": "diamond"},
            hovertemplate=f"{label}<br>reported %{{x}}<extra></extra>"))
    lo, hi = (min(years_seen), max(years_seen)) if years_seen else (2000, 2001)
    if no_year:  # an invisible point keeps the row (and its label) on the axis
        fig.add_trace(go.Scatter(x=[lo] * len(no_year), y=no_year, mode="markers", marker={"opacity": 0},
                                 hoverinfo="skip", legendgroup="", name=""))
    # The first trace of each kind carries the legend entry.
    shown = {""}
    for t in fig.data:
        t.showlegend = t.legendgroup not in shown
        shown.add(t.legendgroup)
    if not years_seen:
        fig.add_annotation(text="No year is known for these needs: nothing to place on a time axis.",
                           showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(
        height=max(240, 150 + 34 * len(rows)), showlegend=True,
        # above the plot, under the title: below it the legend would sit on the year labels
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 11}},
        xaxis={"dtick": 1 if hi - lo <= 12 else 2, "tickformat": "d", "range": [lo - 1, hi + 1]},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(reversed(rows)),
               "automargin": True, "range": [-0.5, len(rows) - 0.5]},
        margin={"l": 10, "r": 10, "t": 80, "b": 30}, plot_bgcolor="white")
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    return _title_note(fig, title)


def heatmap_figure(data):
    """States × gaps, a cell counting the workshops that reported the gap, with full gap names
    (angled, with the margin grown to fit). Over ``MAX_HEATMAP_STATES`` states, the ones with
    the most needs are drawn and the title says so."""
    import plotly.graph_objects as go

    from ..figures import count_scale

    states = data.states.head(MAX_HEATMAP_STATES)
    order = list(states.sort_values("state_name")["state_iso3"])
    names = dict(zip(data.states["state_iso3"], data.states["state_name"], strict=True))
    pairs = data.pairs[data.pairs["state_iso3"].isin(order)]
    cats = sorted(pairs["category"].unique(), key=data.label)
    cell = {(p.state_iso3, p.category): int(p.workshops) for p in pairs.itertuples(index=False)}
    z = [[cell.get((s, c)) for c in cats] for s in order]
    fig = go.Figure(go.Heatmap(
        z=z, x=[data.label(c) for c in cats], y=[names[s] for s in order], colorscale="Reds",
        text=[["" if v is None else str(v) for v in row] for row in z], texttemplate="%{text}",
        hoverongaps=False, xgap=2, ygap=2, colorbar={"title": {"text": "workshops"}, "len": 0.5, "y": 0,
                                                      "yanchor": "bottom"},
        hovertemplate="<b>%{y}</b> · %{x}<br>workshops: %{z}<extra></extra>"))
    fig.update_traces(**count_scale(v for row in z for v in row))  # a matrix of ones: 0 to 2, not 0.6 to 1.4
    fig.update_layout(height=max(320, 220 + 22 * len(order)),
                      xaxis={"side": "top", "tickangle": -35, "automargin": True},
                      yaxis={"autorange": "reversed", "automargin": True},
                      margin={"t": 20, "l": 10, "r": 10, "b": 10}, plot_bgcolor="white")
    return fig  # the brief prints heatmap_title(data) above it


def heatmap_title(data) -> str:
    title = TITLES["heatmap"]
    if len(data.states) > MAX_HEATMAP_STATES:
        title = f"The {MAX_HEATMAP_STATES} states with the most needs (of {len(data.states)}): " + title[0].lower() \
            + title[1:]
    return title


def map_figure(data):
    from .. import figures

    fig = figures.world_map(data.states)
    fig.update_layout(height=380, margin={"t": 40, "l": 0, "r": 0, "b": 0})
    fig.update_traces(colorbar={"len": 0.8, "thickness": 14})
    fig.update_layout(title=None, margin={"t": 10, "l": 0, "r": 0, "b": 0})
    return fig  # the brief prints TITLES["map"] above it


def figures_for(data, *, map_: bool = True, timelines: bool = True) -> dict[str, object]:
    """The brief's plotly figures by key: 'map', 'heatmap', and 'timeline:ISO3' per state when the
    selection has at most ``MAX_STATE_CHARTS`` states (each image costs ~0.3 s of Chromium; past
    that, each state's section gives its years in words and the heatmap gives the overview)."""
    from .brief import MAX_STATE_CHARTS

    out: dict[str, object] = {}
    if data.is_empty:
        return out
    if len(data.states) > 1:  # for one state, its timeline says it all
        if map_ and world_map_file() is not None:
            out["map"] = map_figure(data)
        out["heatmap"] = heatmap_figure(data)
    if timelines and len(data.states) <= MAX_STATE_CHARTS:
        for s in data.states.itertuples(index=False):
            out[f"timeline:{s.state_iso3}"] = timeline_figure(
                data.state_pairs(s.state_iso3), data.labels, f"{s.state_name}: gaps across the years")
    return out


# Headings the briefs print above each chart.
TITLES = {"map": "States by number of gap categories reported", "heatmap": "Gaps reported, by state and "
          "category (a cell counts the workshops that reported it)"}


def render_pngs(figs: dict[str, object], *, width: int = 900, scale: float = 2,
                timeout: float | None = None) -> tuple[dict[str, bytes], str | None]:
    """PNG bytes per figure key, and a note for the reader when charts were left out."""
    timeout = config.chart_timeout() if timeout is None else timeout
    if not figs:
        return {}, None
    browser = find_browser()
    if browser is None:
        return {}, NO_CHROMIUM
    result: dict[str, bytes] = {}
    error: list[BaseException] = []

    def work() -> None:
        try:
            import kaleido
            import plotly.io as pio

            os.environ.setdefault("BROWSER_PATH", browser)
            world = world_map_file()
            if world is not None:
                pio.defaults.topojson = world.parent.as_uri() + "/"
            # plotly's own call passes kaleido options a running server ignores; say nothing of it
            # (a filter, not catch_warnings: that is not thread-safe and this runs in a thread)
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            kaleido.start_sync_server(silence_warnings=True)
            try:
                for key, fig in figs.items():
                    height = fig.layout.height or 450
                    result[key] = pio.to_image(fig, format="png", width=width, height=height, scale=scale)
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
        except BaseException as exc:  # noqa: BLE001 - any renderer failure means "no charts"
            error.append(exc)

    def locked_work() -> None:
        with _RENDER_LOCK:  # one kaleido server per process; dashboard sessions take turns
            work()

    thread = threading.Thread(target=locked_work, name="needs-tracker-charts", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive() or error or len(result) != len(figs):
        if error:
            log.warning("chart rendering failed: %s", error[0])
        return {}, CHARTS_FAILED
    return result, None
