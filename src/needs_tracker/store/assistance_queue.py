"""The reads behind the review of offers and formal requests: what waits for a person, and how
much was decided.

The needs' lists live in ``decisions``; offers and requests have tables of their own and are
reviewed on a page of their own, so their lists are here. Like the needs' list, each row
comes with the paragraph around its evidence, so a reviewer can judge it without opening the
note. Undecided rows (``extracted``) are the queue, least certain first: their confidence comes
from the rules, not a calibrated model, so the lowest confidence is the likeliest mistake. A
reviewer can also list the decided rows (``choice``: confirmed, rejected, corrected or added, or
all), the most recent decision first, each with who decided, when and what (``decisions``).
"""

from __future__ import annotations

import pandas as pd

from .decisions import add_decisions, order_sql, statuses
from .vocab import NeedStatus, ReviewChoice, sql_value

__all__ = ["CONTEXT_CHARS", "assistance_counts", "assistance_workshops", "offer_queue", "queue_sizes", "request_queue"]

CONTEXT_CHARS = 320
_NO_LIMIT = 10**9

# The parts of both queries that differ; fixed text chosen by the functions below, never input.
_OFFER_COLUMNS = ("o.id as offer_id, o.provider, o.provider_iso3, o.category, o.recipients_iso3, "
                  "o.recipients_kind, o.evidence, o.span_start, o.span_end, o.rule, o.confidence")
_REQUEST_COLUMNS = ("o.id as request_id, o.state_iso3, o.category, o.requested_on, o.evidence, o.span_start, "
                    "o.span_end, o.rule, o.confidence")
_TABLES = {"offers": _OFFER_COLUMNS, "requests": _REQUEST_COLUMNS}


def _paragraph(before: str | None, after: str | None) -> tuple[str, str]:
    """The text around a sentence cut at the nearest blank line on each side (its paragraph)."""
    before, after = before or "", after or ""
    if "\n\n" in before:
        before = before.rsplit("\n\n", 1)[1]
    if "\n\n" in after:
        after = after.split("\n\n", 1)[0]
    return before.lstrip(), after.rstrip()


_UNDECIDED = f"o.status = {sql_value(NeedStatus.EXTRACTED)}"
_ORDER = order_sql("o", _UNDECIDED, "o.confidence")
_REVIEW_COLUMNS = "o.status, o.reviewed_by, o.reviewed_at, o.note"


def _queue(con, table: str, choice: ReviewChoice | str, workshop_id: int | None, limit: int | None, offset: int,
           context_chars: int) -> pd.DataFrame:
    # the page first (a top-N over the table alone), then its workshops and the text around each
    df = con.cursor().execute(f"""
        with page as (select * from {table} o where list_contains(?, o.status) and (? is null or o.workshop_id = ?)
                      {_ORDER} limit ? offset ?)
        select {_TABLES[table]}, {_REVIEW_COLUMNS}, o.workshop_id, w.title as workshop_title, w.start_date, w.year,
               w.kind, d.file_name,
               substring(d.text, greatest(o.span_start - ?, 0) + 1, o.span_start - greatest(o.span_start - ?, 0))
                 as context_before,
               substring(d.text, o.span_end + 1, ?) as context_after
        from page o join workshops w on w.id = o.workshop_id join documents d on d.id = w.document_id
        {_ORDER}""",
        [statuses(choice), workshop_id, workshop_id, _NO_LIMIT if limit is None else int(limit),
         int(offset), context_chars, context_chars, context_chars]).df()
    if len(df):
        around = [_paragraph(b, a) for b, a in zip(df["context_before"], df["context_after"], strict=True)]
        df["context_before"] = [b for b, _ in around]
        df["context_after"] = [a for _, a in around]
    return add_decisions(con, df, table, "offer_id" if table == "offers" else "request_id")


def offer_queue(con, *, workshop_id: int | None = None, limit: int | None = 20, offset: int = 0,
                context_chars: int = CONTEXT_CHARS, choice: ReviewChoice | str = ReviewChoice.UNDECIDED
                ) -> pd.DataFrame:
    """Offers a reviewer lists under ``choice`` (by default those nobody has decided on, least
    certain first; decided ones the most recent decision first), each with its workshop,
    paragraph and decision."""
    return _queue(con, "offers", choice, workshop_id, limit, offset, context_chars)


def request_queue(con, *, workshop_id: int | None = None, limit: int | None = 20, offset: int = 0,
                  context_chars: int = CONTEXT_CHARS, choice: ReviewChoice | str = ReviewChoice.UNDECIDED
                  ) -> pd.DataFrame:
    """Formal requests a reviewer lists under ``choice``, as ``offer_queue``."""
    return _queue(con, "requests", choice, workshop_id, limit, offset, context_chars)


def queue_sizes(con, *, workshop_id: int | None = None,
                choice: ReviewChoice | str = ReviewChoice.UNDECIDED) -> dict[str, int]:
    """How many offers and requests ``choice`` lists (by default: wait for a person), in one
    workshop or in all."""
    rows = con.cursor().execute(
        "select 'offers', count(*) from offers where list_contains(?, status) and (? is null or workshop_id = ?) "
        "union all select 'requests', count(*) from requests where list_contains(?, status) "
        "and (? is null or workshop_id = ?)",
        [statuses(choice), workshop_id, workshop_id] * 2).fetchall()
    return dict(rows)


def assistance_counts(con) -> dict[str, dict[str, int]]:
    """Offers and requests per status, for the page's header: {"offers": {status: n}, "requests": {...}}."""
    rows = con.cursor().execute(
        "select 'offers', status, count(*) from offers group by status "
        "union all select 'requests', status, count(*) from requests group by status").fetchall()
    out: dict[str, dict[str, int]] = {"offers": {}, "requests": {}}
    for table, status, n in rows:
        out[table][status] = n
    return out


def assistance_workshops(con) -> list[tuple[int, str | None, int | None, str, int, int]]:
    """(workshop id, title, year, file name, offers to review, requests to review) of every
    workshop holding an offer or a request, decided or not, by id: the queue's workshop picker
    (its choices stay the same while a reviewer works through them)."""
    return con.cursor().execute(
        "with rows as (select workshop_id, status = ? as todo, 1 as offer from offers "
        "              union all select workshop_id, status = ?, 0 from requests) "
        "select w.id, w.title, w.year, d.file_name, "
        "       count(*) filter (where r.todo and r.offer = 1), count(*) filter (where r.todo and r.offer = 0) "
        "from rows r join workshops w on w.id = r.workshop_id join documents d on d.id = w.document_id "
        "group by w.id, w.title, w.year, d.file_name order by w.id",
        [str(NeedStatus.EXTRACTED)] * 2).fetchall()
