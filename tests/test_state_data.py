"""The hand-kept state data (data/state_groups.toml), one checked row per entry: each alias and
demonym names its state in running text and is one the libraries do not already give (aliases
also agree with country_converter's regular expressions); each ignored phrase hides the state
inside it. Also the names the libraries give: countryinfo's demonyms, ISO 3166-3 former names."""

from __future__ import annotations

import re
import tomllib

import pytest

from needs_tracker.config import STATE_GROUPS_FILE
from needs_tracker.errors import NeedsTrackerError
from needs_tracker.state_sources import country_converter_table, countryinfo_demonyms
from needs_tracker.states import StateIndex, state_index


@pytest.fixture(scope="module")
def ix() -> StateIndex:
    return state_index()


# --- hygiene of the hand-kept data: one checked row per entry of data/state_groups.toml ---------

_DATA = tomllib.loads(STATE_GROUPS_FILE.read_text(encoding="utf-8"))
# Aliases country_converter's regular expressions do not know (it matches the others).
NOT_IN_COUNTRY_CONVERTER = {"USG", "Northern Ireland", "Holland", "D.R. Congo", "BiH", "Tadjikistan", "KSA"}


def _index_without(tmp_path, table: str) -> StateIndex:
    """The index built from the data file with one table emptied."""
    text = STATE_GROUPS_FILE.read_text(encoding="utf-8")
    start = text.index(f"[{table}]\n")
    end = text.index("\n[", start + 1)
    path = tmp_path / "groups.toml"
    path.write_text(text[:start] + f"[{table}]\n" + text[end:], encoding="utf-8")
    return StateIndex(path)


@pytest.mark.parametrize(("alias", "iso3"), sorted(_DATA["aliases"].items()))
def test_each_alias_is_found_in_running_text(ix, alias, iso3):
    text = f"Officials from {alias} attended."
    assert [m.iso3 for m in ix.find_mentions(text)] == [iso3]


@pytest.mark.parametrize(("alias", "iso3"), sorted(_DATA["aliases"].items()))
def test_each_alias_agrees_with_country_converter(alias, iso3):
    regex = {row["ISO3"]: row["regex"] for row in country_converter_table()}[iso3]
    assert bool(re.search(regex, alias, re.I)) is (alias not in NOT_IN_COUNTRY_CONVERTER)


def test_no_alias_is_one_the_libraries_already_give(tmp_path):
    bare = _index_without(tmp_path, "aliases")
    known = [a for a, iso3 in _DATA["aliases"].items() if (s := bare.resolve(a)) and s.iso3 == iso3]
    assert known == []


@pytest.mark.parametrize(("word", "iso3"), sorted(_DATA["demonyms"].items()))
def test_each_hand_kept_demonym_names_its_state(ix, word, iso3):
    text = f"{word} officials attended."
    assert [m.iso3 for m in ix.find_adjective_mentions(text)] == [iso3]


def test_no_hand_kept_demonym_is_one_countryinfo_gives():
    given = countryinfo_demonyms({s.iso3 for s in state_index().all_states()})
    assert [w for w in _DATA["demonyms"] if w in given] == []


@pytest.mark.parametrize("phrase", _DATA["ignore"]["states"])
def test_each_ignored_phrase_names_no_state(ix, phrase):
    assert ix.find_mentions(f"Work in the {phrase} was discussed.") == []


@pytest.mark.parametrize("phrase", _DATA["ignore"]["demonyms"])
def test_each_ignored_adjective_names_no_state(ix, phrase):
    assert ix.find_adjective_mentions(f"{phrase} officials attended.") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Kenyan and Ugandan officials", ["KEN", "UGA"]),  # countryinfo's demonyms
        ("Icelander and Luxembourger experts", ["ISL", "LUX"]),
        ("Saudi Arabian and Saudi delegates", ["SAU", "SAU"]),
        ("Serbian and Belarusian ministries", ["SRB", "BLR"]),
        ("Congolese and Dominican officials", []),  # each names two states
        ("Latin American and American experts", []),
    ],
)
def test_demonyms_from_countryinfo(ix, text, codes):
    assert [m.iso3 for m in ix.find_adjective_mentions(text)] == codes


@pytest.mark.parametrize(
    ("name", "iso3"),
    [("Zaire", "COD"), ("Republic of Zaire", "COD"), ("Dahomey", "BEN"), ("Upper Volta", "BFA"),
     ("New Hebrides", "VUT"), ("Southern Rhodesia", "ZWE"), ("Burma", "MMR"), ("East Timor", "TLS")],
)
def test_former_names_from_iso_3166_3(ix, name, iso3):
    assert ix.resolve(name).iso3 == iso3
    assert [m.iso3 for m in ix.find_mentions(f"Officials of {name} attended.")] == [iso3]


# --- the data file -------------------------------------------------------------------------------


def test_a_bad_code_in_the_data_file_is_reported(tmp_path):
    bad = tmp_path / "groups.toml"
    bad.write_text(
        '[groups.X]\nlabel = "X"\naliases = ["X group"]\nmembers = ["KAZ", "QQQ"]\n', encoding="utf-8"
    )
    with pytest.raises(NeedsTrackerError, match="QQQ"):
        StateIndex(bad)


def test_a_name_shared_by_two_groups_is_reported(tmp_path):
    bad = tmp_path / "groups.toml"
    bad.write_text(
        '[groups.A]\naliases = ["Steppe States"]\nmembers = ["KAZ"]\n'
        '[groups.B]\naliases = ["steppe states"]\nmembers = ["MNG"]\n',
        encoding="utf-8",
    )
    with pytest.raises(NeedsTrackerError, match="both group A and group B"):
        StateIndex(bad)


def test_an_invalid_data_file_is_reported(tmp_path):
    bad = tmp_path / "groups.toml"
    bad.write_text("[groups.X\n", encoding="utf-8")
    with pytest.raises(NeedsTrackerError, match="groups.toml"):
        StateIndex(bad)
