"""One Extraction → rows mapper: the de-duplication rules live here and nowhere else.

The batch insert of new notes, the merge into an existing workshop (re-ingest, replace,
reprocess) and the benchmark all build their rows with ``workshop_rows``; each table's rows
come out as tuples in the column order named beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extract.model import Extraction
from .vocab import OrgRelation

WRITABLE_FIELDS = (
    "kind", "title", "start_date", "end_date", "date_precision", "year",
    "venue_city", "venue_country_iso3", "venue_country",
)
PARTICIPATION_COLUMNS = ("workshop_id", "state_iso3", "role", "name_as_written")
ORGANISATION_COLUMNS = ("workshop_id", "name", "relation")
UNRESOLVED_COLUMNS = ("workshop_id", "name")
TOPIC_COLUMNS = ("workshop_id", "category", "evidence", "span_start", "span_end")
NEED_COLUMNS = ("workshop_id", "state_iso3", "category", "evidence", "span_start", "span_end", "rule", "confidence")


@dataclass(frozen=True)
class WorkshopRows:
    """Everything one extraction writes for workshop ``workshop_id``, de-duplicated."""

    workshop_id: int
    fields: dict[str, object]          # WRITABLE_FIELDS -> value
    warnings: list[str]
    participation: list[tuple]         # PARTICIPATION_COLUMNS, one per state
    organisations: list[tuple]         # ORGANISATION_COLUMNS, one per (name, relation)
    unresolved: list[tuple]            # UNRESOLVED_COLUMNS, one per name
    topics: list[tuple]                # TOPIC_COLUMNS, one per category
    needs: dict[tuple[str, str, str], tuple]  # (state, category, evidence) -> NEED_COLUMNS


def workshop_rows(workshop_id: int, ex: Extraction) -> WorkshopRows:
    """The rows of ``ex``: a state is listed once, an organisation once per relation, a topic once
    per category, a need once per (state, category, evidence); where the rules made one twice, the last wins."""
    fields = {name: getattr(ex, name) for name in WRITABLE_FIELDS}
    participants = {p.iso3: p for p in ex.participants}
    orgs = [(workshop_id, n, OrgRelation.ORGANIZER) for n in dict.fromkeys(ex.organizers)]
    orgs += [(workshop_id, n, OrgRelation.PARTICIPANT) for n in dict.fromkeys(ex.participant_organizations)]
    topics = {t.category: t for t in ex.topics}
    needs: dict[tuple[str, str, str], tuple] = {}
    for n in ex.needs:
        needs[(n.state_iso3, n.category, n.evidence)] = (
            workshop_id, n.state_iso3, n.category, n.evidence, n.start, n.end, n.rule, n.confidence)
    return WorkshopRows(
        workshop_id=workshop_id,
        fields=fields,
        warnings=list(ex.warnings),
        participation=[(workshop_id, p.iso3, p.role, p.name_as_written) for p in participants.values()],
        organisations=orgs,
        unresolved=[(workshop_id, n) for n in dict.fromkeys(ex.unresolved_names)],
        topics=[(workshop_id, t.category, t.evidence, t.start, t.end) for t in topics.values()],
        needs=needs,
    )


def storable_text(value: str | None) -> str | None:
    """Text DuckDB can hold: a file name that is not valid UTF-8 (kept by Python as lone
    surrogates) has the bad bytes replaced by U+FFFD instead of failing the write."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


