"""Adds offers and formal requests to an ``Extraction``: the one hook ``extract()`` calls.

Kept apart from ``extract/__init__.py`` so the need rules and the assistance rules can change
independently. A register, request letter or list of requesting states becomes
``kind = "assistance_requests"``: its requests replace the needs the workshop rules would read
into it (they are the same statements, now dated), its requesting states are its named states (role
``participant``, the store's vocabulary; the kind keeps them from counting as attendance at an
event), and it has no event dates.
"""

from __future__ import annotations

from dataclasses import replace

from ..states import state_index
from .assistance_records import OfferRecord
from .model import Extraction, NeedRecord, Participant
from .offers import find_offers
from .requests import find_requests
from .text import Block, Sentence

REQUESTS_KIND = "assistance_requests"


def add_assistance(ex: Extraction, text: str, blocks: list[Block], sents: list[Sentence]) -> Extraction:
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
    offers = _answering_needs(find_offers(blocks, sents, roles, topics, text, ex.title), ex.needs)
    return replace(ex, offers=offers)


ANSWER_WINDOW = 600  # characters: a need stated just before the offer


def _answering_needs(offers: list[OfferRecord], needs: list[NeedRecord]) -> list[OfferRecord]:
    """An offer that names no area, made to named states that stated a need just before it
    ("Moldova asked for help with a national action plan. The OSCE is prepared to assist
    Moldova ..."), answers that need and takes its categories."""
    out: list[OfferRecord] = []
    for offer in offers:
        earlier = [n for n in needs if n.state_iso3 in offer.recipients_iso3
                   and 0 <= offer.start - n.end <= ANSWER_WINDOW]
        if offer.category != "other" or offer.recipients_kind != "named" or not earlier:
            out.append(offer)
            continue
        latest = max(n.end for n in earlier)
        for category in dict.fromkeys(n.category for n in earlier if n.end == latest):
            out.append(replace(offer, category=category, confidence=round(offer.confidence * 0.9, 2),
                               rule=offer.rule + "/answers-need"))
    return out
