"""Adds offers and formal requests to an ``Extraction``: the one hook ``extract()`` calls.

Kept apart from ``extract/__init__.py`` so the need rules and the assistance rules can change
independently. A register, request letter or list of requesting states becomes
``kind = "assistance_requests"``: its requests replace the needs the workshop rules would read
into it (they are the same statements, now dated), its requesting states are its named states (role
``participant``, the store's vocabulary; the kind keeps them from counting as attendance at an
event), and it has no event dates.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from ..states import state_index
from .assistance_records import OfferRecord
from .model import Extraction, NeedRecord, Participant
from .offers import find_offers
from .requests import find_requests
from .text import Block, Sentence

REQUESTS_KIND = "assistance_requests"


def add_assistance(ex: Extraction, text: str, blocks: list[Block], sents: list[Sentence],
                   offer_finder=None) -> Extraction:
    """``offer_finder``: called as ``find_offers`` is (the evaluation passes a recorder: no module state
    is swapped, so a process extracting at the same time is unaffected)."""
    requests = find_requests(text, is_event=bool(ex.participants),
                             participants=frozenset(p.iso3 for p in ex.participants))
    if requests:
        idx = state_index()
        states = list(dict.fromkeys(r.state_iso3 for r in requests))
        needs = list({(r.state_iso3, r.category, r.start): NeedRecord(
            r.state_iso3, r.category, r.evidence, r.start, r.end, r.confidence, r.rule) for r in requests}.values())
        participants = sorted(
            (Participant(s, idx.get(s).name if idx.get(s) else s, "participant", idx.get(s).name if idx.get(s) else s)
             for s in states), key=lambda p: p.name)
        ex = replace(ex, kind=REQUESTS_KIND, requests=requests, needs=needs, participants=participants,
                     start_date=None, end_date=None, date_precision=None, year=None,
                     venue_city=None, venue_country=None, venue_country_iso3=None)
        return ex
    roles = {p.iso3: p.role for p in ex.participants}
    topics = {t.category for t in ex.topics}
    offers = _answering_needs((offer_finder or find_offers)(blocks, sents, roles, topics, text, ex.title), ex.needs)
    return replace(ex, offers=offers)


ANSWER_WINDOW = 600  # characters: a need stated just before the offer


def _answering_needs(offers: list[OfferRecord], needs: list[NeedRecord]) -> list[OfferRecord]:
    """An offer that names no area, made to named states that stated a need just before it
    ("Moldova asked for help with a national action plan. The OSCE is prepared to assist
    Moldova ..."), answers that need and takes its categories. Needs are indexed by state and
    end offset, so a note with thousands of offers and needs is not read offers × needs times."""
    order = {id(n): i for i, n in enumerate(needs)}  # categories come in the note's order, as before
    by_state: dict[str, list[NeedRecord]] = {}
    for need in sorted(needs, key=lambda n: n.end):
        by_state.setdefault(need.state_iso3, []).append(need)
    ends = {state: [n.end for n in each] for state, each in by_state.items()}
    out: list[OfferRecord] = []
    for offer in offers:
        if offer.category != "other" or offer.recipients_kind != "named":
            out.append(offer)
            continue
        earlier: list[NeedRecord] = []
        for state in offer.recipients_iso3:
            if state in by_state:  # needs ending in [offer.start - window, offer.start]
                lo = bisect.bisect_left(ends[state], offer.start - ANSWER_WINDOW)
                hi = bisect.bisect_right(ends[state], offer.start)
                earlier += by_state[state][lo:hi]
        if not earlier:
            out.append(offer)
            continue
        latest = max(n.end for n in earlier)
        earlier.sort(key=lambda n: order[id(n)])
        for category in dict.fromkeys(n.category for n in earlier if n.end == latest):
            out.append(replace(offer, category=category, confidence=round(offer.confidence * 0.9, 2),
                               rule=offer.rule + "/answers-need"))
    return out
