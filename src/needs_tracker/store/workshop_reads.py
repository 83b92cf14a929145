"""Reads for one workshop's page beyond its needs: the offers and formal requests its documents
hold, and the workshops a reviewer could merge it with.

Kept apart from ``reads`` (the filtered aggregates every page draws) and from ``assistance``
(ingest's writes and the matching table): these are small, unfiltered look-ups by workshop id.
"""

from __future__ import annotations

import pandas as pd

from .vocab import LinkedBy, NeedStatus, WorkshopKind, sql_value

__all__ = ["merge_candidates", "workshop_offers", "workshop_requests"]

_REGISTER = sql_value(WorkshopKind.ASSISTANCE_REQUESTS)


def _ids(workshop_ids) -> list[int]:
    return sorted({int(w) for w in workshop_ids})


def workshop_offers(con, workshop_ids) -> pd.DataFrame:
    """Offers recorded in the given workshops' documents (not rejected), in the order of the
    text: provider, category, to whom, the evidence sentence, status and the source file."""
    return con.cursor().execute(
        "select o.id as offer_id, o.workshop_id, d.file_name, o.provider, o.provider_iso3, o.category, "
        "o.recipients_kind, o.recipients_iso3, o.evidence, o.status, o.confidence "
        "from offers o join workshops w on w.id = o.workshop_id join documents d on d.id = w.document_id "
        "where list_contains(?, o.workshop_id) and o.status <> ? "
        "order by o.workshop_id, o.span_start, o.id", [_ids(workshop_ids), NeedStatus.REJECTED]).df()


def workshop_requests(con, workshop_ids) -> pd.DataFrame:
    """Formal requests read from the given documents (a register or a request letter), not
    rejected, oldest request first: state, category, date of request, evidence, status."""
    return con.cursor().execute(
        "select r.id as request_id, r.workshop_id, d.file_name, r.state_iso3, coalesce(s.name, r.state_iso3) "
        "as state_name, r.category, r.requested_on, r.evidence, r.status, r.confidence "
        "from requests r join workshops w on w.id = r.workshop_id join documents d on d.id = w.document_id "
        "left join states s on s.iso3 = r.state_iso3 "
        "where list_contains(?, r.workshop_id) and r.status <> ? "
        "order by r.requested_on nulls last, r.span_start, r.id", [_ids(workshop_ids), NeedStatus.REJECTED]).df()


def merge_candidates(con, workshop_id: int) -> pd.DataFrame:
    """The workshops a reviewer may merge this one's event with: every other event's record
    (not the sources of this event, not registers of requests), those of the same year first,
    then the nearest in date."""
    return con.cursor().execute(f"""
        with ev as (
            select w.id, coalesce(s.event_id, w.id) as event_id from workshops w
            left join workshop_sources s on s.workshop_id = w.id and s.linked_by <> {sql_value(LinkedBy.SPLIT)}
        ),
        me as (select coalesce(w.year, year(w.start_date)) as year, w.start_date,
                      (select event_id from ev where ev.id = w.id) as event_id
               from workshops w where w.id = ?)
        select w.id as workshop_id, w.title, w.start_date, coalesce(w.year, year(w.start_date)) as year,
               w.venue_city, d.file_name
        from workshops w join documents d on d.id = w.document_id join ev on ev.id = w.id, me
        where ev.event_id = w.id and ev.event_id <> me.event_id and w.kind <> {_REGISTER}
        order by coalesce(w.year, year(w.start_date)) is not distinct from me.year desc,
                 abs(datediff('day', w.start_date, me.start_date)) nulls last,
                 abs(coalesce(w.year, year(w.start_date)) - me.year) nulls last, w.id""",
        [int(workshop_id)]).df()
