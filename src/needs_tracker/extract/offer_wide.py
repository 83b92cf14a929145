"""Wider offer candidates: any sentence naming help, for the learned offer model to judge.

Three rounds of cue rules drawn from read misses raised the sets they were read on and nothing on
real pages nobody had read: most offers missed there were never proposed at all (help in the
present tense, "the project will ...", a provider named a sentence earlier). This module proposes a
sentence with no offer cue but an assistance word ("support", "training", "equipment", "grant",
"project") too, its provider the one the rules find in it or, failing that, the subject of the
sentence before; the rules never turn such a sentence into an offer by themselves, only the learned
model can (``needs_tracker.learn.offer_model``), told what kind of candidate it is looking at
(``frame_tokens``: tense, modality, money, position, how the provider was found).

Measured leaving one labelled set out (``python -m needs_tracker.learn.offer_loso --wide``), none of
this beat the shipped candidates on real pages and it lowered the invented notes, so the switches
below are off and extraction is as before; the code stays so the measurement can be repeated when
more real pages are labelled. Re-measured on 53 sets (15 of real pages, ~280 real offers), decided as
shipped (sentence model, then the category refiner; ``offer_loso --sweep``): the best setting raised
real pages from 0.440 to 0.453 pooled and cost the invented notes 7 pairs net, and the wide
candidates decided apart (``offer_loso --wide-alone``) add no right real pair at all: what gain there
is comes from the model trained beside them taking more ordinary candidates, as a lower ADD does.
"""

from __future__ import annotations

import re

# what help is called; the first one in a sentence stands where an offer cue would
ASSISTANCE_WORD = re.compile(
    r"\b(?:help(?:s|ing)?|support(?:s|ing)?|assist(?:s|ing)?|assistance|training|trains?|equipment|"
    r"fund(?:s|ing)?|financ(?:e|es|ing)|grants?|donat(?:e|es|ing|ion|ions)|contribut(?:e|es|ing|ion|ions)|"
    r"projects?|programmes?|programs?|courses?|workshops?|provid(?:e|es|ing)|deliver(?:s|ing)?|"
    r"suppl(?:y|ies|ying)|install(?:s|ing)?|purchas(?:e|es|ing)|transfer(?:s|ring)?|expertise|"
    r"capacity[- ]building|mentor(?:s|ing)?|advis(?:e|es|ing|ory)|upgrad(?:e|es|ing))\b", re.I)

# Switches the evaluation flips to measure each part under leave-one-set-out (``offer_loso --wide``).
# All off: measured over 38 labelled sets, no setting beat the shipped candidates on real pages
# (pooled LOSO F1 0.49-0.51 against 0.508) and most lowered the invented notes, so extraction is
# unchanged; the code stays so the measurement can be repeated when more real pages are labelled.
# Round 14, 53 sets, decided with the refiner: shipped (ADD 0.5) 0.941 invented / 0.440 real; the
# five other settings x ADD 0.4-0.7 (and a stricter bar of 0.6-0.9 for wide candidates) 0.917-0.941
# / 0.389-0.453: none +0.02 on real pages, each one raising them costing invented notes 2-36 pairs net.
# The model gives the real wide candidates that hold an offer a median 0.11 (1 of 30 reaches 0.5):
# invented notes, most of its training, hold 4 such sentences in 949 wide candidates.
WIDE = False  # propose sentences with an assistance word and no offer cue
CONTEXT = False  # give such a sentence naming no provider the subject of the sentence before
FRAME = False  # tell the model the candidate's tense, modality, money, position

WIDE_CUE = "wide"  # the cue's words, as the candidate records them

FUTURE = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|going\s+to|plans?\s+to|intends?\s+to|set\s+to|"
                    r"upcoming|next\s+(?:year|month|week)|forthcoming)\b", re.I)
CONDITIONAL = re.compile(r"\b(?:would|could|can|may|might|ready|prepared|willing|available)\b", re.I)
PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:been|[a-z]+ed)\b", re.I)
PAST = re.compile(r"\b(?:was|were|did|had|last\s+year|in\s+(?:19|20)\d\d)\b|\b[a-z]{3,}ed\b(?!\s+by)", re.I)
PROGRESSIVE = re.compile(r"\b(?:is|are)\s+(?:\w+ly\s+)?[a-z]+ing\b", re.I)
PRESENT_GIVING = re.compile(r"\b(?:provides|supports|funds|offers|assists|delivers|trains|helps|contributes|"
                            r"finances|donates|supplies|implements|works)\b", re.I)
MONEY_WORDS = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(?:million|billion)\b|\b(?:USD|EUR|CAD|GBP|JPY)\b")
LAUNCH = re.compile(r"\b(?:launch\w*|kick\w* off|start\w*|begin\w*|new)\b", re.I)
ONGOING = re.compile(r"\b(?:continu\w*|ongoing|currently|remains?|further)\b", re.I)
PURPOSE = re.compile(r"\b(?:aims?\s+to|in\s+order\s+to|designed\s+to|intended\s+to|to\s+help|to\s+support)\b", re.I)
THANKS = re.compile(r"\b(?:thank\w*|grateful|gratitude|appreciat\w*|welcom\w*|acknowledg\w*)\b", re.I)
REQUEST = re.compile(r"\b(?:request\w*|need\w*|call\w* (?:on|upon)|urg\w*|encourag\w*|invit\w*)\b", re.I)


def wide_cues(text: str) -> list[tuple[int, int, str, str]]:
    """The one wide cue of a sentence with no offer cue: its first assistance word."""
    m = ASSISTANCE_WORD.search(text)
    return [(m.start(), m.end(), "broad", WIDE_CUE)] if m else []


def frame_tokens(text: str, index: int, heading: bool) -> list[str]:
    """What kind of statement the sentence is, as tokens for the learned model: its tense and
    modality, money, a launch or an ongoing effort, its place on the page."""
    checks = (("t:future", FUTURE), ("t:cond", CONDITIONAL), ("t:perfect", PERFECT), ("t:past", PAST),
              ("t:prog", PROGRESSIVE), ("t:present", PRESENT_GIVING), ("money", MONEY_WORDS), ("launch", LAUNCH),
              ("ongoing", ONGOING), ("purpose", PURPOSE), ("thanks", THANKS), ("request", REQUEST))
    out = [name for name, pattern in checks if pattern.search(text)]
    if index == 0:
        out.append("pos:first")
    elif index < 3:
        out.append("pos:lead")
    if heading:
        out.append("pos:heading")
    return out
