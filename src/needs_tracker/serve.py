"""``needs-tracker dashboard``: serve the packaged app from anywhere, as ``datasette serve`` does.

``streamlit run dashboard.py`` only works inside a checkout, and Streamlit reads
``.streamlit/config.toml`` from the working folder, so the options the app relies on are
passed as flags here (a test keeps them equal to the checkout's config file). The settings
are checked before Streamlit starts, so a bad one is one line, not a page of errors later.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from . import config

# The options of .streamlit/config.toml, for a run from any folder.
STREAMLIT_OPTIONS = {
    "server.enableStaticServing": "true",  # the world map is served from the package, offline
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "theme.base": "light",
    # A served app never shows a traceback (server paths, code) to a viewer; errors we expect
    # are our own one-line messages. `streamlit run dashboard.py` is for developers and keeps them.
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",  # no Deploy button or developer menu for viewers
    # A served app never reloads on a source change; watching the imported modules' files cost every
    # rerun ~0.1 s and a first load ~0.6 s in the browser here (benchmarks/README.md, "file watcher")
    "server.fileWatcherType": "none",
    "server.maxUploadSize": "25",  # the readers' default limit; command() sets the effective one
}
# Runs Streamlit's own command line after starting the warm-up (named, not imported: it imports streamlit)
WARM_START = "needs_tracker.ui.warm_start"


def app_script() -> Path:
    return config.world_map_file().parent.parent / "streamlit_app.py"


def command(*, host: str | None = None, port: int | None = None, extra: list[str] | None = None) -> list[str]:
    """The ``streamlit run`` command line for the packaged app, through ``ui.warm_start``: the server
    imports the pages' libraries and starts the store's copy at start, not in its first visitor's load."""
    args = [sys.executable, "-m", WARM_START, "run", str(app_script())]
    options = dict(STREAMLIT_OPTIONS)
    # Streamlit's upload limit follows the reader's, so a note over it is refused before it is held in memory.
    options["server.maxUploadSize"] = str(max(1, math.ceil(config.max_file_bytes() / (1024 * 1024))))
    if host:
        options["server.address"] = host
    if port:
        options["server.port"] = str(port)
    args += [f"--{key}={value}" for key, value in options.items()]
    return args + list(extra or [])


def prepare(*, db: str | None = None, snapshot: str | None = None, host: str | None = None,
            port: int | None = None, extra: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for the app: --db / --snapshot become its settings,
    and every setting is checked as the app will see it."""
    env = dict(os.environ)
    if db:
        env["NEEDS_TRACKER_DB"] = config.db_location(db)
        env.pop("NEEDS_TRACKER_SNAPSHOT", None)  # an explicit --db wins
    if snapshot:
        env["NEEDS_TRACKER_SNAPSHOT"] = str(Path(snapshot).resolve())
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        config.check_all()
        args = command(host=host, port=port, extra=extra)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return args, env


def serve(**options) -> int:
    """Replace this process by the Streamlit server (signals reach it directly; nothing is left behind)."""
    args, env = prepare(**options)
    if os.name == "posix":
        os.execve(sys.executable, args, env)
    import subprocess

    return subprocess.call(args, env=env)
