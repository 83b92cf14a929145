"""Pure extraction: a note's text in, an ``Extraction`` out. Nothing here reads files or
touches the store, so the same function serves ingest, reprocess, eval and tests."""

from __future__ import annotations

from ..states import state_index
from .assistance import add_assistance
from .fields import extract_fields
from .model import Extraction, NeedRecord, Participant, TopicRecord
from .needs import find_needs
from .text import sentences, split_blocks

__all__ = ["Extraction", "NeedRecord", "Participant", "TopicRecord", "extract"]


def extract(text: str) -> Extraction:
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
    needs, topics = find_needs(sents, roles, fields.absent, fields.title, [h for h in hosts if h in roles])
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
    )
    return add_assistance(extraction, text, blocks, sents)  # offers; a register's requests
