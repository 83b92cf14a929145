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
from .data import ExportData

log = logging.getLogger(__name__)

NO_CHROMIUM = "Charts were left out: no Chromium browser was found for rendering them."
CHARTS_FAILED = "Charts were left out: the chart renderer (kaleido with Chromium) failed or timed out."
_RENDER_LOCK = threading.Lock()
MAX_STATE_CHARTS = 25  # beyond this, per-state timeline images would make the brief slow and huge
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


def figures_for(data: ExportData, *, map_: bool = True, timelines: bool = True) -> dict[str, object]:
    """The brief's plotly figures by key: 'map', 'heatmap', and 'timeline:ISO3' per state."""
    from .. import figures

    out: dict[str, object] = {}
    if data.is_empty:
        return out
    if len(data.states) > 1:  # for one state, its timeline says it all
        if map_ and world_map_file() is not None:
            out["map"] = _untitled(figures.world_map(data.states))
        out["heatmap"] = _untitled(figures.heatmap(data.heatmap))
    if timelines:
        names = dict(zip(data.states["state_iso3"], data.states["state_name"], strict=True))
        for iso3, df in data.timelines.items():
            out[f"timeline:{iso3}"] = figures.state_timeline(df, title=f"{names.get(iso3, iso3)}: gaps across "
                                                                       "the years")
    return out


# The briefs print their own headings; the figures' titles would collide with the heatmap's
# top-side category labels.
TITLES = {"map": "States by number of gap categories reported", "heatmap": "Gaps reported, by state and "
          "category (a cell counts the workshops that reported it)"}


def _untitled(fig):
    fig.update_layout(title=None)
    if fig.layout.margin and fig.layout.margin.t:
        fig.update_layout(margin={"t": max(20, fig.layout.margin.t - 30)})
    return fig


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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
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
