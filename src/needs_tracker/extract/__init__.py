"""Pure extraction: a note's text in, an ``Extraction`` out. Nothing here reads files or
touches the store, so the same function serves ingest, reprocess, eval and tests.

The rules find the fields, the participants and candidate need statements; which candidates
are needs, and in which categories, is decided by the learned model (``needs_tracker.learn``)
when one is in use, else by the rules alone."""

from __future__ import annotations

from ..states import state_index
from .assistance import add_assistance
from .fields import extract_fields
from .model import Extraction, NeedRecord, Participant, TopicRecord
from .needs import find_needs
from .text import sentences, split_blocks

__all__ = ["Extraction", "NeedRecord", "Participant", "TopicRecord", "extract"]


def extract(text: str, model="auto", offer_finder=None) -> Extraction:
    """``model``: a NeedModel, a model file, ``"rules"`` for the rules alone, or ``"auto"`` (see
    ``needs_tracker.learn.runtime`` for the order in which it is chosen). ``offer_finder``: what finds
    the offers instead of ``offers.find_offers`` (the evaluation records candidates through it)."""
    idx = state_index()
    blocks = split_blocks(text)
    sents = sentences(text, blocks)
    fields = extract_fields(text, blocks, sents)
    participants = [
        Participant(iso3, idx.get(iso3).name if idx.get(iso3) else iso3, role, written)
        for iso3, (role, written) in fields.participants.items()
    ]
    participants.sort(key=lambda p: p.name)
    roles = {p.iso3: p.role for p in participants}
    hosts = [p.iso3 for p in participants if p.role == "host"] + [fields.venue_country_iso3 or ""]
    needs, topics, candidates = find_needs(sents, roles, fields.absent, fields.title,
                                           [h for h in hosts if h in roles], [b.kind for b in blocks])
    if model != "rules":
        from ..learn.runtime import resolve  # scikit-learn is imported only when a model is used

        chosen = resolve(model)
        if chosen is not None:
            needs = chosen.decide(candidates)
    dates = fields.dates
    day_precise = dates is not None and dates.precision == "day" and not dates.needs_year
    extraction = Extraction(
        title=fields.title,
        kind=fields.kind,
        start_date=dates.start if day_precise else None,
        end_date=dates.end if day_precise else None,
        date_precision=dates.precision if dates is not None and not dates.needs_year else None,
        year=dates.year if dates else None,
        venue_city=fields.venue_city,
        venue_country=fields.venue_country,
        venue_country_iso3=fields.venue_country_iso3,
        organizers=fields.organizers,
        participants=participants,
        participant_organizations=fields.organisations,
        unresolved_names=list(dict.fromkeys(fields.unresolved)),
        topics=topics,
        needs=needs,
        warnings=fields.warnings,
        candidates=candidates,
    )
    return add_assistance(extraction, text, blocks, sents, offer_finder)  # offers; a register's requests
