"""Money lines listed under an offer: a backgrounder's breakdown of a pledge.

A government page announces a sum and then lists where it goes, one paragraph or bullet per line,
each a heading, a colon and an amount ("Securing radioactive sources: $3M to help remove ...").
The lines name no provider and no offer verb, yet each is part of the pledge announced just before
the lead-in ("The funds will be allocated as follows:"): each is an offer by that pledge's provider,
its category read from the heading, else from the whole line."""

from __future__ import annotations

import re

from ..states import state_index
from .assistance_records import OfferRecord
from .offer_categories import _categories
from .text import Block, Sentence

# "Heading: $26.5M towards ...", "- Heading: EUR 2 million for ..." (a heading of a few words, then the sum)
MONEY_ITEM = re.compile(r"^\s*(?:[-*•]\s*)?[A-Z][^:\n]{2,160}:\s*(?:(?:USD|EUR|CAD|GBP|AUD|US\$|C\$|A\$|\$|€|£)\s?\d|"
                        r"\d[\d,.]*\s*(?:million|billion|M)\b)")
# a heading naming a fund: the money goes to the fund, general help ("Supporting the IAEA Nuclear Security Fund:")
FUND_HEADING = re.compile(r"\b(?:[Ff]und|[Tt]rust [Ff]und)\b[^:]*:")


def money_items(blocks: list[Block], sentences: list[Sentence], offers: list[OfferRecord],
                topics: set[str]) -> list[OfferRecord]:
    """Offers for the money lines that follow a lead-in ending with ":" in a paragraph where one
    provider made an offer (the lines after a lead-in of several providers' offers are left alone)."""
    out: list[OfferRecord] = []
    idx = state_index()
    for i, lead in enumerate(blocks):
        if not lead.text.rstrip().endswith(":"):
            continue
        made = {(o.provider, o.provider_iso3) for o in offers if lead.start <= o.start < lead.end}
        if len(made) != 1:
            continue
        provider, iso3 = made.pop()
        for j in range(i + 1, len(blocks)):
            item = blocks[j]
            if not MONEY_ITEM.match(item.text):
                break
            sent = next((s for s in sentences if s.block == j), None)
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
