"""Reads for one workshop's page beyond its needs: the workshops a reviewer could merge it with.

Kept apart from ``reads`` (the filtered aggregates every page draws) and from ``assistance``
(ingest's writes and the matching table): a small, unfiltered look-up by workshop id. The
offers and formal requests a workshop's documents hold are read by ``assistance.offers_for`` /
``requests_for`` with ``workshop_ids``, the read the Matching page and the state profile use.
"""

from __future__ import annotations

import pandas as pd

from .vocab import LinkedBy, WorkshopKind, sql_value

__all__ = ["merge_candidates"]

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
