"""Which need model extraction uses, loaded once per process.

The order: a model passed explicitly (ingest and reprocess pass ``model_for_store``: the model
`needs-tracker train` wrote beside the store they write to, so the CLI and the dashboard's uploads
decide alike); else the file named by $NEEDS_TRACKER_MODEL; else the default model shipped in the
package. ``"rules"`` (or NEEDS_TRACKER_MODEL=rules)
means the rules alone decide.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from .. import config
from ..errors import NeedsTrackerError

RULES = "rules"
AUTO = "auto"
ENV = "NEEDS_TRACKER_MODEL"
PACKAGED_MODEL = config.PACKAGE_DIR / "models" / "need_model.skops"
# The shipped model is used by default; whether it decides or only gives calibrated confidence to
# the rules' needs is recorded in the model itself (see learn.build.DEFAULT_DECIDES).
LEARNED_BY_DEFAULT = True

def manifest_path(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".json")


def store_model_path(location: str | None = None) -> Path | None:
    """Where `train --db` keeps the model for a store file (beside it); None for a non-file store."""
    loc = config.db_location(location)
    if loc.startswith(("md:", "motherduck:")) or loc == ":memory:" or "://" in loc:
        return None
    path = Path(loc)
    return path.with_name(path.stem + ".need_model.skops")


def model_for_store(location: str | None):
    """What ``extract(text, model=...)`` should get when extracting for this store: the model
    trained beside it when there is one (and no $NEEDS_TRACKER_MODEL overrides it), else "auto"."""
    if config.get(ENV):
        return AUTO
    beside = store_model_path(location)
    return beside if beside is not None and beside.exists() else AUTO


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float):
    from .model import load

    manifest_file = manifest_path(Path(path))
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else {}
    return load(Path(path), manifest)


def load_model(path: str | os.PathLike):
    """A model file, loaded once per process (again only when the file changed)."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise NeedsTrackerError(f"{p}: no such model file") from exc
    return _load_cached(str(p.resolve()), mtime)


def chosen_model_path() -> Path | None:
    """The file the automatic choice would load, or None for the rules alone."""
    env = config.get(ENV)  # checked by the settings object: "rules" or an existing file
    if env:
        return None if env == RULES else Path(env)
    if LEARNED_BY_DEFAULT and PACKAGED_MODEL.exists():
        return PACKAGED_MODEL
    return None


def resolve(choice=AUTO):
    """A NeedModel, or None when the rules alone decide."""
    if choice is None or choice == RULES:
        return None
    if choice == AUTO:
        path = chosen_model_path()
        return load_model(path) if path is not None else None
    if isinstance(choice, str | os.PathLike):
        return load_model(choice)
    return choice
