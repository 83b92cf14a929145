"""Reads for one workshop's page beyond its needs: the workshops a reviewer could merge it with,
and the states that took part in an event of several sources.

Kept apart from ``reads`` (the filtered aggregates every page draws) and from ``assistance``
(ingest's writes and the matching table): a small, unfiltered look-up by workshop id. The
offers and formal requests a workshop's documents hold are read by ``assistance.offers_for`` /
``requests_for`` with ``workshop_ids``, the read the Matching page and the state profile use.
"""

from __future__ import annotations

import pandas as pd

from .vocab import LinkedBy, ParticipantStatus, Role, WorkshopKind, sql_value

__all__ = ["event_participants", "merge_candidates"]

_REGISTER = sql_value(WorkshopKind.ASSISTANCE_REQUESTS)


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


def event_participants(con, event_id: int) -> pd.DataFrame:
    """The states that took part in an event, from all its sources (``state_iso3``, ``state_name``,
    ``role``: a role other than participant, such as host, wins), as the Workshops list counts them.
    An event's page showed its record's own participants: one state for a cable of a workshop whose
    press release named fourteen, while the list said 14 (qa10)."""
    return con.cursor().execute(f"""
        with ev as (
            select w.id, coalesce(s.event_id, w.id) as event_id from workshops w
            left join workshop_sources s on s.workshop_id = w.id and s.linked_by <> {sql_value(LinkedBy.SPLIT)}
        )
        select p.state_iso3, coalesce(any_value(st.name), p.state_iso3) as state_name,
               arg_min(p.role, case when p.role = {sql_value(Role.PARTICIPANT)} then 1 else 0 end) as role
        from participation p join ev on ev.id = p.workshop_id left join states st on st.iso3 = p.state_iso3
        where ev.event_id = ? and p.status <> {sql_value(ParticipantStatus.REJECTED)}
        group by p.state_iso3 order by state_name""", [int(event_id)]).df()
