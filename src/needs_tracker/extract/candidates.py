"""Candidate need sentences and the rule features the learned decision layer reads.

The rules alone miss needs that real documents phrase in ways no cue covers ("identified areas
... that could be addressed through further international assistance"), so candidates are
generous: any sentence with a cue, a recall cue (``[candidates]`` in need_rules.toml), or a
category term next to a state, group or "participants". Each candidate carries what the rules
saw (cues, exclusions, terms, the attribution, the block it stands in, what the rules alone
decided) as plain string features; the model in ``needs_tracker.learn`` decides from those and
the words. Attribution to states stays rule-based: the model never picks a state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import NeedRecord
from .rules import Match, Rules

ASSISTANCE = re.compile(r"\b(assist\w*|support|help|aid|cooperation)\b", re.I)
CONDITIONAL = {"when", "if", "whenever", "unless", "where"}


@dataclass(frozen=True)
class Candidate:
    """One statement (a sentence or a part of one) the decision layer may turn into needs."""

    start: int
    end: int
    text: str
    features: tuple[str, ...]
    states: tuple[str, ...]  # the rule-based attribution; empty when nobody can be named
    attribution: str  # how the states were found ("named", "group", ...), or "none"
    attribution_confidence: float
    proposed: bool  # passes the generous candidate filter (only these are decided at run time)
    rule_needs: tuple[NeedRecord, ...] = field(default=())  # what the rules alone make of it
    # an exclusion matched (objective, offer, recommendation, ...) or it stands in a skipped section:
    # the model may lower the confidence of such a statement but never makes it a need on its own,
    # so an exclusion an officer adds to the rules always takes effect
    excluded: bool = False

    def row(self) -> tuple[str, str]:
        """The (text, features) pair the model's column transformer reads."""
        return self.text, " ".join(self.features)


def _length_bucket(n_words: int) -> str:
    for limit in (8, 16, 32, 64):
        if n_words <= limit:
            return f"len<={limit}"
    return "len>64"


def _phrase_feature(prefix: str, phrase: str) -> str:
    return prefix + "=" + re.sub(r"\W+", "_", phrase.strip().lower()).strip("_")


def sentence_features(*, doc, rules: Rules, cues: list[Match], conditional_cues: list[Match], block_kind: str,
                      section: str, in_need_list: bool, part: int, mentions: int, other_states: int,
                      groups: int, attribution: str, n_states: int, rule_needs: list[NeedRecord],
                      rule_how: str | None) -> tuple[str, ...]:
    """What the rules saw in a statement, as feature tokens (no spaces)."""
    text = doc.text
    feats = [f"block={block_kind}", f"section={section}", f"attr={attribution}",
             f"states={min(n_states, 3)}", _length_bucket(len(doc))]
    if not cues:
        feats.append("cue=none")
    for c in cues:
        feats.append(f"cue_{c.strength}")
        feats.append(_phrase_feature("cue", c.phrase))
    if conditional_cues:
        feats.append("cue_conditional")
    for m in rules.exclusions(doc):
        feats.append(f"excl_{m.kind}")
    for m in rules.terms(doc):
        feats.append(f"term_{m.category}_{m.strength}")
    for m in rules.candidate_cues(doc):
        feats.append(_phrase_feature("recall", m.phrase))
    for c in rules.clauses(doc):
        feats.append(f"clause_{c.kind}")
    if in_need_list:
        feats.append("in_need_list")
    if part:
        feats.append("later_part")
    if mentions:
        feats.append("names_state")
    if other_states:
        feats.append("names_other_state")
    if groups:
        feats.append("names_group")
    if rules.all_participants_re.search(text):
        feats.append("names_participants")
    if any(h in text.lower() for h in rules.hedged):
        feats.append("hedged")
    if ASSISTANCE.search(text):
        feats.append("asks_assistance")
    if text.rstrip().endswith(":"):
        feats.append("lead_in")
    if rule_needs:
        feats.append("rules_need")
        feats += sorted({f"rule_cat={n.category}" for n in rule_needs})
    if rule_how:
        feats.append(f"rule_how={rule_how}")
    return tuple(dict.fromkeys(feats))


def is_proposed(*, cues: list[Match], recall_cues: list[Match], terms: list[Match], mentions: int, groups: int,
                names_participants: bool, in_need_list: bool) -> bool:
    """Generous on purpose: recall matters more here than at the final decision."""
    if cues or recall_cues or in_need_list:
        return True
    return bool(terms) and (mentions > 0 or groups > 0 or names_participants)
