"""Every way a 1540 note names a state, resolved to ISO 3166 alpha-3.

Names and codes come from pycountry (a state's display name is its ``common_name``
where it has one, else its ``name``) and from the table bundled with country_converter
(short and official names, UN M49 regions); former names from pycountry's ISO 3166-3
table; demonyms from countryinfo (all read in ``state_sources``). What none of them gives
(more aliases and demonyms, phrases to ignore, groups of states such as "the SADC
participants" or "in Central Asia") is data in ``data/state_groups.toml``, which a
committee officer can read and extend.

The index covers the 193 UN members, the two observer States (Holy See, State of
Palestine) and Kosovo (XKX).
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from needs_tracker import config
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.state_sources import country_converter_table, countryinfo_demonyms, former_names

OBSERVER_STATES = ("VAT", "PSE")
OTHER_STATES = ("XKX",)

# country_converter's "UNregion" holds the M49 sub-region, or the intermediate region
# where M49 has one (Africa south of the Sahara, Latin America). -> (region, sub-region)
M49_AREAS: dict[str, tuple[str, str]] = {
    "Northern Africa": ("Africa", "Northern Africa"),
    "Eastern Africa": ("Africa", "Sub-Saharan Africa"),
    "Middle Africa": ("Africa", "Sub-Saharan Africa"),
    "Southern Africa": ("Africa", "Sub-Saharan Africa"),
    "Western Africa": ("Africa", "Sub-Saharan Africa"),
    "Caribbean": ("Americas", "Latin America and the Caribbean"),
    "Central America": ("Americas", "Latin America and the Caribbean"),
    "South America": ("Americas", "Latin America and the Caribbean"),
    "Northern America": ("Americas", "Northern America"),
    "Central Asia": ("Asia", "Central Asia"),
    "Eastern Asia": ("Asia", "Eastern Asia"),
    "South-eastern Asia": ("Asia", "South-eastern Asia"),
    "Southern Asia": ("Asia", "Southern Asia"),
    "Western Asia": ("Asia", "Western Asia"),
    "Eastern Europe": ("Europe", "Eastern Europe"),
    "Northern Europe": ("Europe", "Northern Europe"),
    "Southern Europe": ("Europe", "Southern Europe"),
    "Western Europe": ("Europe", "Western Europe"),
    "Australia and New Zealand": ("Oceania", "Australia and New Zealand"),
    "Melanesia": ("Oceania", "Melanesia"),
    "Micronesia": ("Oceania", "Micronesia"),
    "Polynesia": ("Oceania", "Polynesia"),
}


@dataclass(frozen=True)
class State:
    iso3: str
    name: str
    region: str
    subregion: str


@dataclass(frozen=True)
class StateMention:
    """A state named in a text: ``text[start:end] == self.text``."""

    iso3: str
    start: int
    end: int
    text: str


# --- normalising and matching phrases -------------------------------------------------

_APOSTROPHES = "'’‘`ʼ´′"
_DASHES = "-‐‑‒–—"
_KEY_TABLE = str.maketrans({**{c: "'" for c in _APOSTROPHES}, **{c: " " for c in _DASHES}})
_SYMBOL_RE = {
    "'": "[" + re.escape(_APOSTROPHES) + "]",
    " ": r"(?:\s*[" + re.escape(_DASHES) + r"]\s*|\s+)",
}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _key(text: str) -> str:
    """Compare names by this: no accents, one apostrophe, dashes as spaces, any case."""
    return " ".join(_strip_accents(text).translate(_KEY_TABLE).casefold().split())


def _symbols(surface: str) -> list[str]:
    """The phrase as trie symbols: lower-case characters, one symbol per apostrophe and gap."""
    out: list[str] = []
    for ch in surface.lower().translate(_KEY_TABLE):
        if ch.isspace():
            ch = " "
        if ch == " " and (not out or out[-1] == " "):
            continue
        out.append(ch)
    while out and out[-1] == " ":
        out.pop()
    return out


def _is_acronym(surface: str) -> bool:
    """Acronyms such as USA, U.K., BiH or CAS, which match only exactly as written."""
    if any(c.isspace() or c in _DASHES for c in surface):
        return False
    upper = sum(c.isupper() for c in surface)
    return upper >= 2 and upper >= sum(c.islower() for c in surface)


def _trie_regex(node: dict[str, Any]) -> str:
    alternatives = [
        _SYMBOL_RE.get(symbol, re.escape(symbol)) + _trie_regex(child)
        for symbol, child in sorted(node.items())
        if symbol != ""
    ]
    terminal = "" in node
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not terminal:
        return alternatives[0]
    # A greedy optional group tries the longer phrase first, so the longest match wins.
    return "(?:" + "|".join(alternatives) + (")?" if terminal else ")")


_UNKNOWN = object()
_WORD_FOLLOWS = re.compile(r"[^\S\n]*[^\W\d_]")


class _PhraseMatcher:
    """Many phrases in one compiled trie regex; the longest match at each place wins."""

    def __init__(self, phrases: Mapping[str, object], *, require_capital: bool, what: str):
        self._values: dict[str, object] = {}
        exact: dict[str, set[str]] = {}
        loose: set[str] = set()
        trie: dict[str, Any] = {}
        plain_trie: dict[str, Any] = {}  # without inverted names such as "Korea, Republic of"
        for surface, value in phrases.items():
            key = _key(surface)
            if not key:
                continue
            if self._values.get(key, value) != value:
                raise NeedsTrackerError(
                    f"{what}: {surface!r} stands for both {self._values[key]} and {value}"
                )
            self._values[key] = value
            if _is_acronym(surface):
                exact.setdefault(key, set()).add(surface)
            else:
                loose.add(key)
            for root in (trie,) if "," in surface else (trie, plain_trie):
                node = root
                for symbol in _symbols(surface):
                    node = node.setdefault(symbol, {})
                node[""] = {}
        self._exact = {key: forms for key, forms in exact.items() if key not in loose}
        self._require_capital = require_capital
        self._tries = (trie, plain_trie)

    # Compiled on first search, not when the index is built: the dashboard looks states up by
    # code and name but never searches text, and compiling these took about half a second of a
    # viewer's first visit.
    @functools.cached_property
    def _re(self) -> re.Pattern:
        return re.compile(r"(?<!\w)(?:" + _trie_regex(self._tries[0]) + r")(?!\w)", re.IGNORECASE)

    @functools.cached_property
    def _plain_re(self) -> re.Pattern:
        return re.compile(r"(?<!\w)(?:" + _trie_regex(self._tries[1]) + r")(?!\w)", re.IGNORECASE)

    def value(self, key: str) -> object:
        """What a normalised phrase stands for: a value, None (ignored phrase) or _UNKNOWN."""
        return self._values.get(key, _UNKNOWN)

    def finditer(self, text: str) -> Iterator[tuple[Any, int, int, str]]:
        pos = 0
        while m := self._re.search(text, pos):
            if "," in m.group() and _WORD_FOLLOWS.match(text, m.end()):
                # "Congo, the Democratic Republic of the Congo" is two names, not
                # "Congo, The Democratic Republic of the" followed by a stray word.
                start = m.start()
                m = self._plain_re.match(text, start)
                if m is None:
                    pos = start + 1
                    continue
            found = m.group()
            key = _key(found)
            value = self._values.get(key, _UNKNOWN)
            if value is None:  # an ignored phrase hides what it contains, whatever its case
                wrong_case = False
            elif key in self._exact:
                wrong_case = found not in self._exact[key]
            else:
                wrong_case = self._require_capital and not found[0].isupper()
            if wrong_case or _in_url(text, m.start()):
                # "the Democratic Republic of the Congo": a shorter phrase may start further on.
                pos = m.start() + 1
                continue
            pos = m.end()
            if value is not _UNKNOWN and value is not None:  # None: an ignored phrase
                yield value, m.start(), m.end(), found


def _in_url(text: str, start: int) -> bool:
    """A name inside a web address ("https://.../african-union-commission") names nothing."""
    if start == 0 or text[start - 1] not in "/-_.=?&#%+":
        return False
    token_start = max(text.rfind(c, 0, start) for c in " \t\n\r<([\"'") + 1
    token = text[token_start:start]
    return "://" in token or token.lower().startswith("www.")


def _name_variants(name: str) -> set[str]:
    """Spellings of one name: "Korea, Republic of" gives "Republic of Korea" and "Korea (Republic of)";
    "Saint" gives "St."; accents are optional."""
    out = {name}
    if m := re.fullmatch(r"(.+?) \((.+)\)", name):
        out |= {m[1], m[2]}
    elif m := re.fullmatch(r"(.+?), (.+)", name):
        out |= {f"{m[2]} {m[1]}", f"{m[1]} ({m[2]})"}
    # A leading "the" is never part of a name found in text ("the Gambia" is found as "Gambia").
    out = {v[4:] if v.lower().startswith("the ") else v for v in out}
    for variant in list(out):
        if variant.startswith("Saint "):
            out |= {"St. " + variant[6:], "St " + variant[6:]}
        elif variant.startswith("St. "):
            out.add("Saint " + variant[4:])
        if " and " in variant:
            out.add(variant.replace(" and ", " & "))
    out |= {_strip_accents(v) for v in out}
    return out


# --- the index ---------------------------------------------------------------------------

_GROUP_LEADING = re.compile(r"^(?:the|all|all the|both|both the)\s+")
_GROUP_TRAILING = re.compile(
    r"\s+(?:delegations?|countries|country|states?|participants?|participating|members?|member"
    r"|governments?|nations|representatives|officials|present)$"
)
_NAME_LEADING = re.compile(r"^(?:the|government of|republic of|kingdom of|state of)\s+")


class StateIndex:
    """Look up, find in text and group the states a 1540 note can name."""

    def __init__(self, groups_file: Path | str | None = None):
        self._file = Path(groups_file or config.rule_file("state_groups.toml"))
        try:
            data = tomllib.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise NeedsTrackerError(f"Cannot read the state list {self._file}: {e}") from e

        self._states: dict[str, State] = {}
        self._intermediate: dict[str, str] = {}
        surfaces: dict[str, object] = {}
        for row in country_converter_table():
            iso3 = row["ISO3"]
            if not (row["UNmember"].strip() or iso3 in OBSERVER_STATES or iso3 in OTHER_STATES):
                continue
            if row["UNregion"] not in M49_AREAS:
                raise NeedsTrackerError(
                    f"country_converter gives {iso3} an unknown UN region {row['UNregion']!r}"
                )
            region, subregion = M49_AREAS[row["UNregion"]]
            country = pycountry.countries.get(alpha_3=iso3)
            names = [row["name_short"], row["name_official"]]
            if country is not None:
                names += [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
                display = getattr(country, "common_name", None) or country.name
            else:
                display = row["name_short"]
            self._states[iso3] = State(iso3, display, region, subregion)
            self._intermediate[iso3] = row["UNregion"]
            for name in filter(None, names):
                for variant in _name_variants(name):
                    surfaces[variant] = iso3

        for name, iso3 in former_names().items():
            if iso3 in self._states:
                for variant in _name_variants(name):
                    surfaces.setdefault(variant, iso3)  # a current name wins over a former one

        areas: dict[str, set[str]] = {}
        for iso3, state in self._states.items():
            for area in (state.region, state.subregion, self._intermediate[iso3]):
                areas.setdefault(_key(area), set()).add(iso3)
        self._areas = {area: frozenset(members) for area, members in areas.items()}

        for alias, iso3 in data.get("aliases", {}).items():
            for variant in _name_variants(alias):
                surfaces[variant] = self._known(iso3, f"alias {alias!r}")
        ignore = data.get("ignore", {})
        for phrase in ignore.get("states", []):
            surfaces[phrase] = None
        self._names = _PhraseMatcher(surfaces, require_capital=True, what=f"{self._file.name} [aliases]")

        # Demonyms: countryinfo's table, what the data file adds, less the phrases it ignores.
        demonyms: dict[str, object] = {
            word: iso3 for word, iso3 in countryinfo_demonyms(set(self._states)).items()
        }
        demonyms.update({
            word: self._known(iso3, f"demonym {word!r}") for word, iso3 in data.get("demonyms", {}).items()
        })
        demonyms.update({phrase: None for phrase in ignore.get("demonyms", [])})
        self._demonyms = _PhraseMatcher(demonyms, require_capital=True, what=f"{self._file.name} [demonyms]")

        self._load_groups(data.get("groups", {}))

    # -- loading helpers

    def _known(self, iso3: str, where: str) -> str:
        if iso3 not in self._states:
            raise NeedsTrackerError(
                f"{self._file.name}: {where} names {iso3!r}, which is not a known ISO3 code"
            )
        return iso3

    def _area_members(self, level: str, area: str, where: str) -> frozenset[str]:
        pick = {
            "region": lambda s: s.region,
            "subregion": lambda s: s.subregion,
            "intermediate_region": lambda s: self._intermediate[s.iso3],
        }[level]
        members = frozenset(s.iso3 for s in self._states.values() if pick(s) == area)
        if not members:
            raise NeedsTrackerError(
                f"{self._file.name}: {where} has {level} = {area!r}, which is no UN M49 area"
            )
        return members

    def _load_groups(self, groups: Mapping[str, Any]) -> None:
        self._groups: dict[str, frozenset[str]] = {}
        self._group_labels: dict[str, str] = {}
        exact_lookup: dict[str, str] = {}
        lookup: dict[str, str | None] = {}
        aliases: dict[str, object] = {}
        for key, spec in groups.items():
            where = f"group {key}"
            given = [k for k in ("members", "region", "subregion", "intermediate_region") if k in spec]
            if len(given) != 1:
                raise NeedsTrackerError(
                    f"{self._file.name}: {where} needs exactly one of members, region, subregion or "
                    f"intermediate_region"
                )
            if given[0] == "members":
                self._groups[key] = frozenset(self._known(c, where) for c in spec["members"])
            else:
                self._groups[key] = self._area_members(given[0], spec[given[0]], where)
            self._group_labels[key] = spec.get("label", key)
            for alias in spec.get("aliases", []):
                aliases[alias] = key
            for name in [key, self._group_labels[key], *spec.get("aliases", [])]:
                exact, *shorter = _group_lookup_forms(_key(name))
                if exact_lookup.setdefault(exact, key) != key:
                    raise NeedsTrackerError(
                        f"{self._file.name}: {name!r} names both group {exact_lookup[exact]} and group {key}"
                    )
                for form in shorter:
                    # A shortened form two groups share names neither.
                    lookup[form] = key if lookup.get(form, key) == key else None
        self._group_matcher = _PhraseMatcher(
            aliases, require_capital=False, what=f"{self._file.name} [groups]"
        )
        shortened = {form: key for form, key in lookup.items() if key is not None}
        self._group_lookup = {**shortened, **exact_lookup}

    # -- states

    def get(self, iso3: str) -> State | None:
        return self._states.get(iso3.strip().upper()) if iso3 else None

    def all_states(self) -> list[State]:
        return sorted(self._states.values(), key=lambda s: _key(s.name))

    def resolve(self, name: str) -> State | None:
        """The state a single name stands for, as written in a note; None for anything else."""
        if not name or not name.strip():
            return None
        key = _key(name)
        candidates = [key]
        key = re.sub(r"'s?$", "", key.strip(' .,;:!?"()[]'))
        candidates.append(key)
        while (shorter := _NAME_LEADING.sub("", key, count=1)) != key:
            key = shorter
            candidates.append(key)
        for candidate in candidates:
            value = self._names.value(candidate)
            if value is None:  # an ignored phrase such as "Sahrawi Republic"
                return None
            if value is not _UNKNOWN:
                return self._states[str(value)]
        # A state inside a longer phrase: "Jordan Customs", "the Government of Kazakhstan".
        found = {m.iso3 for m in self.find_mentions(name)}
        return self._states[found.pop()] if len(found) == 1 else None

    def find_mentions(self, text: str) -> list[StateMention]:
        """Every state named in running text, in order; overlapping names give the longest."""
        return [
            StateMention(iso3, start, end, found) for iso3, start, end, found in self._names.finditer(text)
        ]

    def find_adjective_mentions(self, text: str) -> list[StateMention]:
        """States named by an adjective or demonym ("Peruvian", "Tajik"), in order."""
        return [
            StateMention(iso3, start, end, found) for iso3, start, end, found in self._demonyms.finditer(text)
        ]

    # -- groups

    def groups(self) -> dict[str, str]:
        """Group key -> label, in the order of the TOML file."""
        return dict(self._group_labels)

    def group_members(self, group: str) -> frozenset[str] | None:
        """ISO3 codes of a group named by key, label or alias ("the CAS countries"), or by a
        UN M49 region or sub-region ("Western Asia"); None when the name is no known group."""
        if not group or not group.strip():
            return None
        for form in _group_lookup_forms(_key(group)):
            if form in self._group_lookup:
                return self._groups[self._group_lookup[form]]
        for form in _group_lookup_forms(_key(group)):
            if form in self._areas:
                return self._areas[form]
        return None

    def find_group_mentions(self, text: str) -> list[tuple[str, int, int]]:
        """(group key, start, end) for every group alias in running text, in order."""
        return [(key, start, end) for key, start, end, _ in self._group_matcher.finditer(text)]


def _group_lookup_forms(key: str) -> list[str]:
    """A group name and its shorter forms: "the sadc participants" -> ..., "sadc"."""
    forms = [key]
    while True:
        shorter = _GROUP_TRAILING.sub("", _GROUP_LEADING.sub("", key, count=1), count=1)
        if shorter == key or not shorter:
            return forms
        key = shorter
        forms.append(key)


@functools.lru_cache(maxsize=1)
def state_index() -> StateIndex:
    """The process's one index, built from data/state_groups.toml on first use."""
    return StateIndex()


def state_name(iso3: str) -> str:
    """The display name of a state; an unknown code comes back as it was given."""
    state = state_index().get(iso3)
    return state.name if state else iso3
