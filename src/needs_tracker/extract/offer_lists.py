"""Lines listed under an offer: a backgrounder's breakdown of a pledge, a provider's list of what it offers.

A government page announces a sum and then lists where it goes, one paragraph or bullet per line,
each a heading, a colon and an amount ("Securing radioactive sources: $3M to help remove ...").
The lines name no provider and no offer verb, yet each is part of the pledge announced just before
the lead-in ("The funds will be allocated as follows:"): each is an offer by that pledge's provider,
its category read from the heading, else from the whole line. Likewise a lead that offers and ends with a
colon ("Canada could provide the following types of assistance ...:", "The European Union will:") makes each
bullet under it an offer of that provider, for what the bullet names ("- train customs officers ...;").
"""

from __future__ import annotations

import bisect
import re

from ..states import state_index
from .assistance_records import OfferRecord
from .offer_categories import _categories
from .text import Block, Sentence

# "Heading: $26.5M towards ...", "- Heading: EUR 2 million for ..." (a heading of a few words, then the sum)
MONEY_ITEM = re.compile(r"^\s*(?:[-*•]\s*)?[A-Z][^:\n]{2,160}:\s*(?:(?:USD|EUR|CAD|GBP|AUD|US\$|C\$|A\$|\$|€|£)\s?\d|"
                        r"\d[\d,.]*\s*(?:million|billion|M)\b)")
EVENT_LEAD = re.compile(r"\b(?:courses?|workshops?|seminars?|exercises?|trainings?|curricul(?:um|a)|modules?|"
                        r"syllabus|agenda)\b", re.I)
# a heading naming a fund: the money goes to the fund, general help ("Supporting the IAEA Nuclear Security Fund:")
FUND_HEADING = re.compile(r"\b(?:[Ff]und|[Tt]rust [Ff]und)\b[^:]*:")


def _offers_by_block(offers: list[OfferRecord]):
    """A function giving the offers that start inside a block, by bisection over the offers' starts: a page of
    thousands of lines and offers is read in linear time, not lines x offers."""
    ordered = sorted(offers, key=lambda o: o.start)
    starts = [o.start for o in ordered]

    def made_in(block: Block) -> list[OfferRecord]:
        return ordered[bisect.bisect_left(starts, block.start):bisect.bisect_left(starts, block.end)]
    return made_in


def _first_sentences(sentences: list[Sentence]) -> dict[int, Sentence]:
    """{block index: its first sentence}."""
    first: dict[int, Sentence] = {}
    for sent in sentences:
        first.setdefault(sent.block, sent)
    return first


def money_items(blocks: list[Block], sentences: list[Sentence], offers: list[OfferRecord],
                topics: set[str]) -> list[OfferRecord]:
    """Offers for the money lines that follow a lead-in ending with ":" in a paragraph where one
    provider made an offer (the lines after a lead-in of several providers' offers are left alone)."""
    out: list[OfferRecord] = []
    idx = state_index()
    made_in, first_sentence = _offers_by_block(offers), _first_sentences(sentences)
    for i, lead in enumerate(blocks):
        if not lead.text.rstrip().endswith(":"):
            continue
        made = {(o.provider, o.provider_iso3) for o in made_in(lead)}
        if len(made) != 1:
            continue
        provider, iso3 = made.pop()
        for j in range(i + 1, len(blocks)):
            item = blocks[j]
            if not MONEY_ITEM.match(item.text):
                break
            sent = first_sentence.get(j)
            if sent is None:
                break
            # the line's first sentence may end before its colon ("Support to the U.S. Dept. of Energy. ...")
            colon = sent.text.find(":")
            if FUND_HEADING.search(sent.text.split(":", 1)[0] + ":"):
                categories, how = ["other"], "fund"
            else:  # the heading's area first ("Enhancing the physical security of ...: $5M to ... train staff")
                categories, _factor, how = _categories(sent, 0, topics, stop=colon if colon >= 0 else None)
                if categories == ["other"] and colon >= 0:
                    categories, _factor, how = _categories(sent, 0, topics)
            recipients = tuple(dict.fromkeys(m.iso3 for m in idx.find_mentions(item.text) if m.iso3 != iso3))
            for category in categories:
                out.append(OfferRecord(provider, iso3, category, recipients, "named" if recipients else "none",
                                       sent.text, sent.start, sent.end, 0.6, f"offer/money-item/{how}"))
    return out


def listed_items(blocks: list[Block], sentences: list[Sentence], offers: list[OfferRecord],
                 topics: set[str]) -> list[OfferRecord]:
    """Offers for the bullets under a lead-in ending with ":" that is itself the offer of one provider:
    each bullet naming an area and no other provider, no offer of its own and no not-offer phrase."""
    from .assistance_records import load_assistance_rules

    rules = load_assistance_rules()
    out: list[OfferRecord] = []
    idx = state_index()
    made_in, first_sentence = _offers_by_block(offers), _first_sentences(sentences)
    for i, lead in enumerate(blocks):
        if not lead.text.rstrip().endswith(":") or i + 1 >= len(blocks) or blocks[i + 1].kind != "bullet" or (
                lead.kind == "bullet"):
            continue  # (a bullet ending with a colon is an item, not a lead: each list is read once)
        made = {(o.provider, o.provider_iso3) for o in made_in(lead)}
        if len(made) != 1 or EVENT_LEAD.search(lead.text):
            continue  # (the lines under a course or a workshop offered are its programme, not more offers)
        provider, iso3 = made.pop()
        for j in range(i + 1, len(blocks)):
            item = blocks[j]
            if item.kind != "bullet" or MONEY_ITEM.match(item.text):
                break  # (the money lines are read by money_items)
            if made_in(item):
                continue  # the item makes its own offer
            for sent in [first_sentence[j]] if j in first_sentence else []:  # (its first sentence: what the line is)
                names = rules.find_providers(sent.text)
                if names or rules.not_offer_kind(sent.text) is not None:
                    continue  # another provider's line, or a line that offers nothing
                categories, _factor, how = _categories(sent, 0, topics)
                if categories == ["other"]:
                    continue  # (a line naming no area: nothing to say what is offered)
                recipients = tuple(dict.fromkeys(m.iso3 for m in idx.find_mentions(sent.text) if m.iso3 != iso3))
                for category in categories:
                    out.append(OfferRecord(provider, iso3, category, recipients, "named" if recipients else "none",
                                           sent.text, sent.start, sent.end, 0.55, f"offer/list-item/{how}"))
    return out


# money named again, its giver not: "Of the total amount, EUR 900 000 has been set aside for ...", "A central store
# ... will also be financed from the package", "NNSA officials say the $4 million will go to support ..."
MONEY_AGAIN = re.compile(
    r"\b(?:the|this|that|these|the\s+same)\s+(?:package|funds?|funding|contributions?|grants?|amount|money|"
    r"pledge|sum)\b|(?:USD|EUR|CAD|GBP|AUD|US\$|\$|€|£)\s?\d|\b\d[\d,. ]*\s*(?:million|euros?|dollars|pounds)\b",
    re.I)
MONEY_USE = re.compile(r"\b(?:set\s+aside|earmarked|allocated|will\s+(?:also\s+)?(?:go|be\s+used|be\s+spent|"
                       r"be\s+(?:made|given|paid)|support|fund|finance|pay|cover|help)|be\s+(?:financed|funded|paid)\s+"
                       r"(?:from|out\s+of|with|by))\b", re.I)
FUND_NAME = re.compile(r"\b(?:Trust\s+)?Fund\b")
FOLLOW_WINDOW = 1500  # characters after the money offer in which its money is named again


def money_follow_ups(sentences: list[Sentence], offers: list[OfferRecord], topics: set[str]) -> list[OfferRecord]:
    """Offers for sentences that name money again and what it will be used for, naming no provider, shortly
    after one provider's money offer: that provider's, for the area the sentence names."""
    from .assistance_records import load_assistance_rules
    from .offers import MONEY

    rules = load_assistance_rules()
    idx = state_index()
    money = sorted((o for o in offers if MONEY.search(o.evidence)), key=lambda o: o.end)
    ends = [o.end for o in money]
    taken = sorted(o.start for o in offers)
    out: list[OfferRecord] = []
    for sent in sentences:
        at = bisect.bisect_right(ends, sent.start) - 1  # the last money offer ending before the sentence
        if at < 0 or sent.start - ends[at] > FOLLOW_WINDOW:
            continue
        k = bisect.bisect_left(taken, sent.start)
        if k < len(taken) and taken[k] < sent.end:
            continue  # the sentence makes its own offer
        recent = money[bisect.bisect_left(ends, ends[at] - FOLLOW_WINDOW):at + 1]  # (by bisection: linear)
        givers = {(o.provider, o.provider_iso3) for o in recent}
        if len(givers) != 1 or not (MONEY_AGAIN.search(sent.text) and MONEY_USE.search(sent.text)):
            continue
        if any(FUND_NAME.search(o.evidence) for o in recent):
            continue  # money paid into a fund is one offer, what the fund then does is the fund's (see offers.FUND)
        if rules.find_providers(sent.text) or rules.not_offer_kind(sent.text) is not None:
            continue  # (another organisation's money, or a sentence that offers nothing)
        categories, _factor, how = _categories(sent, 0, topics)
        if categories == ["other"]:
            continue
        provider, iso3 = givers.pop()
        recipients = tuple(dict.fromkeys(m.iso3 for m in idx.find_mentions(sent.text) if m.iso3 != iso3))
        for category in categories:
            out.append(OfferRecord(provider, iso3, category, recipients, "named" if recipients else "none",
                                   sent.text, sent.start, sent.end, 0.55, f"offer/money-again/{how}"))
    return out
