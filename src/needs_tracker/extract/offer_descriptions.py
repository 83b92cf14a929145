"""A programme presented is no offer: "The OPCW presented its Programme to Strengthen Cooperation with
Africa ..., under which it continues to train customs officers", "INTERPOL described its CBRNE and
Vulnerable Targets programme, which offers training to national police services".

Five batches by five writers report a provider's presentation of its own programme, project or services,
with what that programme does for everyone in a present-tense relative clause ("which offers", "under
which it continues to"), in the words "available to Member States", or followed by an invitation to get in
touch ("and invited States to contact the Technical Secretariat"). The offer cue is the programme's, not
a promise made at the meeting. A programme's name runs longer than the rule phrases' wildcards (one to
three words), so this is a pattern of its own, read by ``AssistanceRules.not_offer_kind`` as a
description. So is what a provider presents as available ("UNICRI outlined the tools available to States",
"UNODA explained its assistance available"), a phrase the rules file used to hold, where it dropped the whole
sentence even when the sentence went on to promise. A promise in the same sentence ("..., which will provide
Ghana with detectors in 2026", "presented its programme and offered to host ...", "explained its assistance
available and will provide a legislative review to Togo") keeps the sentence an offer.
"""

from __future__ import annotations

import re

# the presentation: a reporting verb, then the provider's own programme (within 150 characters, no clause break)
PRESENTED = re.compile(
    r"\b(?:presented|described|introduced|outlined|explained)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)"
    r"[^;:]{0,150}?\b(?:programmes?|programs?|projects?|initiatives?|services|tools|activities|materials|"
    r"support\s+plans?)\b", re.I)
# what a provider presents as available to all: "outlined the tools available", "explained its assistance
# available" (one to three words between, as the rules file's "*" read them)
AVAILABLE = re.compile(r"\b(?:described|outlined|presented|explained)\s+(?:the|its|their)\s+\S+(?:\s+\S+){0,2}?"
                       r"\s+available\b", re.I)
# what the programme does for everyone, or how to reach it
FOR_EVERYONE = re.compile(
    r"[^;:]{0,200}?(?:,?\s*(?:which|under which|through which|by which|in which)\s+(?:it\s+|they\s+)?"
    r"(?:\w+ly\s+)?(?:offers|provides|continues|supports|trains|delivers|helps|assists|runs|funds)\b|"
    r"\s+available\s+to\b|"
    r",?\s+and\s+(?:invited|encouraged)\s+(?:\w+\s+){0,8}?to\s+(?:contact|consult|request|make use|apply))",
    re.I)
# an invitation to get in touch or look something up ("UNLIREC invited participants to consult its online
# library"; not "invited officials to its course", nor "stood ready to field missions ..., and encouraged
# interested States to contact its Division": that sentence promises)
GET_IN_TOUCH = re.compile(r"\b(?:invited|encouraged)\s+(?:\w+\s+){1,4}?to\s+(?:contact|consult)\b", re.I)
# a promise in the same sentence: the sentence offers after all
# ("... and announced a new grant to Kenya", "... and confirmed two places for Ghana": the rules' offer cues too)
PROMISE = re.compile(r"\b(?:will|would|shall|offered|pledged|stands? ready|ready to|prepared to|willing to|"
                     r"intends? to|plans? to|announced|confirmed|committed|agreed to|undertook)\b", re.I)


def programme_described(text: str) -> int | None:
    """The end of a programme's presentation (or of an invitation to get in touch) that makes the
    sentence no offer, or None."""
    promise = PROMISE.search(text)  # (once: a sentence of many presentations is read in linear time)
    if promise is None and GET_IN_TOUCH.search(text):
        return len(text)
    for m in PRESENTED.finditer(text):
        if FOR_EVERYONE.match(text, m.end()) and not (promise and promise.start() >= m.start()):
            return len(text)
    for m in AVAILABLE.finditer(text):
        if not (promise and promise.start() >= m.start()):
            return len(text)
    return None
