"""Where the state index takes names from: kept data, read once, so that data/state_groups.toml
holds only what none of it gives.

- country_converter's bundled table (names, UN membership, M49 regions, and the regular
  expressions it matches names with), read with the csv module: importing country_converter pulls
  in pandas, and its loader breaks on pandas 3 (Namibia's ISO2 code "NA" is read as missing);
- pycountry's ISO 3166-3 table of former names ("Zaire", "Upper Volta");
- countryinfo's per-country files, for demonyms ("Kenyan", "Ugandan").
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import re
from pathlib import Path

import pycountry

from needs_tracker.errors import NeedsTrackerError


def country_converter_table() -> list[dict[str, str]]:
    """country_converter's bundled table, without importing country_converter (and pandas)."""
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        raise NeedsTrackerError("The country_converter package is not installed; reinstall needs-tracker.")
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        # The csv module keeps every cell a string: Namibia's "NA" stays "NA".
        return list(csv.DictReader(f, delimiter="\t"))


def former_names() -> dict[str, str]:
    """Former names from pycountry's ISO 3166-3 table ("Zaire", "Dahomey", "Upper Volta",
    "East Timor") -> the ISO3 of the state that took their place. An ISO 3166-3 code ends with
    the alpha-2 code of that state (ZRCD: ZR became CD); a split (..HH) or none has no state."""
    out: dict[str, str] = {}
    for old in pycountry.historic_countries:
        successor = pycountry.countries.get(alpha_2=old.alpha_4[2:])
        if successor is None:
            continue
        out[old.name] = successor.alpha_3
        out[old.name.split(",")[0]] = successor.alpha_3  # "Zaire" from "Zaire, Republic of"
    return out


@functools.lru_cache(maxsize=1)
def countryinfo_rows() -> tuple[dict, ...]:
    """The per-country JSON files bundled with countryinfo (read directly: the files are the
    data, importing the package adds nothing), one dict per country."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        raise NeedsTrackerError("The countryinfo package is not installed; reinstall needs-tracker.")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return tuple(json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json")))


def countryinfo_demonyms(states: set[str]) -> dict[str, str]:
    """Demonym -> ISO3 from countryinfo, for the given states only. A demonym two of them share
    ("Congolese", "Dominican") is left out."""
    found: dict[str, set[str]] = {}
    for row in countryinfo_rows():
        iso3 = (row.get("ISO") or {}).get("alpha3")
        for word in re.split(r"[,/]", row.get("demonym") or ""):  # "Antiguan,Barbudan"
            if iso3 in states and word.strip():
                found.setdefault(word.strip(), set()).add(iso3)
    return {word: codes.pop() for word, codes in found.items() if len(codes) == 1}
