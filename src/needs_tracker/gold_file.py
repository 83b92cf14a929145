"""Reading a gold-labels file (``eval GOLD``): one line naming the file and what is wrong with it,
never a bare "Expecting value: line 1 column 1 (char 0)" that does not say which file or why."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import NeedsTrackerError


def read_gold_json(path: str | Path):
    """The parsed JSON of a gold file; NeedsTrackerError naming the file when it is missing,
    unreadable, not UTF-8 text, or not JSON (with the line and column where JSON stopped)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise NeedsTrackerError(f"{path}: the gold labels are not UTF-8 text (byte {exc.start}); "
                                "give the JSON file of labels") from exc
    except OSError as exc:
        raise NeedsTrackerError(f"{path}: cannot read the gold labels: {exc.strerror or exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NeedsTrackerError(f"{path}: is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
                                "the gold labels are a JSON file") from exc
