"""The read the need model learns from: people's decisions on needs, with their notes' text.

Kept apart from ``reads`` (which serves the dashboard's filtered views) because it reads whole
documents and only ``needs-tracker train`` calls it.
"""

from __future__ import annotations

from .vocab import NeedStatus

POSITIVE = (NeedStatus.CONFIRMED, NeedStatus.CORRECTED, NeedStatus.MANUAL)
DECIDED = POSITIVE + (NeedStatus.REJECTED,)


def review_decisions(con) -> list[tuple]:
    """(document id, document text, state, category, evidence, span start, span end, status) of every
    confirmed, corrected, manual or rejected need, in a fixed order."""
    return con.cursor().execute(
        """
        select d.id, d.text, n.state_iso3, n.category, n.evidence, n.span_start, n.span_end, n.status
        from needs n
        join workshops w on w.id = n.workshop_id
        join documents d on d.id = w.document_id
        where list_contains(?, n.status)
        order by d.id, n.span_start, n.id
        """, [[str(s) for s in DECIDED]]).fetchall()
