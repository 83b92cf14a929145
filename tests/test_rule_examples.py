"""Every entry of the rule files carries an example sentence (tests/rule_examples.toml) that fires it.

A phrase added to data/need_rules.toml or data/taxonomy.toml without an example fails here, and so
does an example whose phrase was removed or no longer matches it. Rule kinds are data: the test
reads them from ``rule_entries`` (kind, group, category, phrase), never by splitting strings.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from needs_tracker.extract.rules import Entry, load_rules
from needs_tracker.extract.text import nlp

EXAMPLES = tomllib.loads((Path(__file__).parent / "rule_examples.toml").read_text(encoding="utf-8"))
ATTRIBUTION = ("all_participants", "hedged", "continuation", "absent")


def _section(entry: Entry) -> dict:
    if entry.kind == "term":
        return EXAMPLES.get("term", {}).get(entry.category, {}).get(entry.group, {})
    return EXAMPLES.get(entry.kind, {}).get(entry.group, {})


def _entries() -> list[Entry]:
    return list(load_rules().entries.values())


def _example_rows() -> list[tuple[str, str, str | None, str]]:
    """(kind, group, category, phrase) of every row in the table."""
    rows = []
    for kind, groups in EXAMPLES.items():
        for group, phrases in groups.items():
            if kind == "term":
                rows += [(kind, strength, group, p) for strength, table in phrases.items() for p in table]
            else:
                rows += [(kind, group, None, p) for p in phrases]
    return rows


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e.key)
def test_each_rule_entry_fires_on_its_example(entry):
    example = _section(entry).get(entry.phrase)
    assert example, f"{entry.key}: no example sentence in tests/rule_examples.toml"
    doc = nlp()(example)
    assert entry.key in {m.entry.key for m in load_rules()._matches(entry.kind, doc)}, example


@pytest.mark.parametrize("name", ATTRIBUTION)
def test_each_attribution_phrase_occurs_in_its_example(name):
    phrases = getattr(load_rules(), name)
    examples = EXAMPLES["attribution"][name]
    assert set(examples) == set(phrases)
    for phrase in phrases:
        assert phrase in examples[phrase].lower(), phrase


def test_no_example_is_left_for_a_phrase_that_is_gone():
    rules = load_rules()
    known = {(e.kind, e.group, e.category, e.phrase) for e in rules.entries.values()}
    known |= {("attribution", name, None, p) for name in ATTRIBUTION for p in getattr(rules, name)}
    assert [row for row in _example_rows() if row not in known] == []


def test_rule_kinds_are_data_not_strings():
    kinds = {(e.kind, e.group) for e in _entries()}
    assert {("cue", "strong"), ("cue", "weak"), ("candidate", "recall"), ("exclude", "offers"),
            ("clause", "speech"), ("term", "strong"), ("term", "weak")} <= kinds
    assert all(e.category for e in _entries() if e.kind == "term")
