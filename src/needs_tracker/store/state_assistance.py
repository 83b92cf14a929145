"""A state's offers and formal requests, every gap at once, for the state profile's "Requests and
offers" section (``assistance.offers_for`` / ``requests_for`` read one (state, gap) for the
Matching page; a profile lists them all in one query each). Rejected rows are left out, as
everywhere a viewer reads."""

from __future__ import annotations

import pandas as pd

from .vocab import NeedStatus

__all__ = ["offers_to_state", "requests_of_state"]


def offers_to_state(con, iso3: str) -> pd.DataFrame:
    """Every offer made to ``iso3`` (named, to a group it was in, or to all participants), oldest
    first, with the workshop whose note recorded it."""
    return con.cursor().execute(
        "select o.provider, o.category, o.recipients_kind, coalesce(w.year, year(w.start_date)) as year, "
        "o.evidence, o.status, o.workshop_id, w.title as workshop_title "
        "from offers o join workshops w on w.id = o.workshop_id "
        "where list_contains(o.recipients_iso3, ?) and o.status <> ? "
        "order by year nulls last, o.category, o.id", [str(iso3), NeedStatus.REJECTED]).df()


def requests_of_state(con, iso3: str) -> pd.DataFrame:
    """Every formal request of ``iso3``, oldest first, with the document it came from."""
    return con.cursor().execute(
        "select r.category, r.requested_on, r.evidence, r.status, r.workshop_id, d.file_name "
        "from requests r join workshops w on w.id = r.workshop_id join documents d on d.id = w.document_id "
        "where r.state_iso3 = ? and r.status <> ? "
        "order by r.requested_on nulls last, r.category, r.id", [str(iso3), NeedStatus.REJECTED]).df()
