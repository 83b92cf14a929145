"""Review lists beyond the queue: needs, offers and requests by their decision, each with the
decision that made them so, read from the audit log.

A review page lists the undecided rows by default. A reviewer who confirmed or rejected
something by mistake must be able to find it again and change the decision, so the pages can
also list the confirmed, rejected or corrected (and added) rows, the most recent decision
first, or all of them (the undecided first, then the decisions). The list says who decided,
when and what: the latest review entry of the audit log for the row (a need's own entry; an
offer's or request's entry is recorded against its workshop with ``offer_id`` / ``request_id``
among its values). A row decided before the log knew it falls back to its own ``reviewed_by``
and ``reviewed_at``.

The needs' lists are here, the undecided queue among them (flagged first, then the most uncertain);
the offers' and requests' lists are in ``assistance_queue``, which uses ``add_decisions`` here.
A decided need flagged for another look (its quote left a replaced note) waits in the undecided
queue, first; in the list of its decision it keeps its place by the date of that decision (the page
marks it), because a reviewer opens "Confirmed" to find what was decided lately.
"""

from __future__ import annotations

import json

import pandas as pd

from .vocab import REVIEW_CHOICE_STATUSES, AuditAction, AuditEntity, NeedStatus, ReviewChoice, sql_value

__all__ = ["DECISION_COLUMNS", "REVIEW_ACTIONS", "add_decisions", "decisions_for", "need_count", "need_list"]

# The audit actions that are a person's review decision (not a reprocess, an edit or an ingest).
REVIEW_ACTIONS = (AuditAction.CONFIRM, AuditAction.REJECT, AuditAction.CORRECT, AuditAction.ADD)
DECISION_COLUMNS = ("decided_by", "decided_at", "decided_action", "decided_before", "decided_after")
_NO_LIMIT = 10**9


def statuses(choice: ReviewChoice | str) -> list[str]:
    """The statuses a choice lists, as text to bind (an unknown choice is a ValueError)."""
    return [str(s) for s in REVIEW_CHOICE_STATUSES[ReviewChoice(choice)]]


def order_sql(a: str, undecided_first: str, least_certain: str) -> str:
    """``order by`` for a review list: the rows still waiting for a person first, least certain
    first (``least_certain``, an expression on alias ``a``), then the decided ones, the most recent
    decision first. Arguments are fixed SQL from this package, never input."""
    return (f"order by ({undecided_first}) desc, case when {undecided_first} then {least_certain} end, "
            f"{a}.reviewed_at desc nulls last, {a}.id")


def decisions_for(con, table: str, ids: list[int], workshop_ids: list[int]) -> dict[int, tuple]:
    """{row id: (actor, when, action, before, after)}: the latest review decision the audit log
    holds for each of ``ids`` in ``table`` ("needs", "offers" or "requests")."""
    if not ids:
        return {}
    actions = [str(a) for a in REVIEW_ACTIONS]
    if table == "needs":
        rows = con.cursor().execute(
            "select cast(entity_id as bigint), actor, changed_at, action, cast(before_json as varchar), "
            "cast(after_json as varchar) from audit_log "
            "where entity = ? and list_contains(?, entity_id) and list_contains(?, action) "
            "qualify row_number() over (partition by entity_id order by id desc) = 1",
            [str(AuditEntity.NEED), [str(int(i)) for i in ids], actions]).fetchall()
    else:
        key = {"offers": "$.offer_id", "requests": "$.request_id"}[table]  # a fixed path, never input
        rows = con.cursor().execute(
            "with hits as (select id, cast(coalesce(json_extract_string(after_json, ?), "
            "                      json_extract_string(before_json, ?)) as bigint) as row_id, "
            "                 actor, changed_at, action, cast(before_json as varchar) as before_json, "
            "                 cast(after_json as varchar) as after_json "
            "             from audit_log where entity = ? and list_contains(?, entity_id) "
            "             and list_contains(?, action)) "
            "select row_id, actor, changed_at, action, before_json, after_json from hits "
            "where list_contains(?, row_id) qualify row_number() over (partition by row_id order by id desc) = 1",
            [key, key, str(AuditEntity.WORKSHOP), [str(int(w)) for w in set(workshop_ids)], actions,
             [int(i) for i in ids]]).fetchall()
    return {int(r[0]): (r[1], r[2], r[3], _values(r[4]), _values(r[5])) for r in rows}


def _values(text: str | None) -> dict:
    return json.loads(text) if text else {}


_FALLBACK_ACTION = {NeedStatus.CONFIRMED: AuditAction.CONFIRM, NeedStatus.REJECTED: AuditAction.REJECT,
                    NeedStatus.CORRECTED: AuditAction.CORRECT, NeedStatus.MANUAL: AuditAction.ADD}


def add_decisions(con, df: pd.DataFrame, table: str, id_column: str) -> pd.DataFrame:
    """``df`` with DECISION_COLUMNS: who decided each decided row, when, how (an audit action)
    and the values it changed (before and after); None for an undecided row."""
    decided = df["status"] != NeedStatus.EXTRACTED if len(df) else pd.Series([], dtype=bool)
    found = decisions_for(con, table, [int(i) for i in df.loc[decided, id_column]],
                          [int(w) for w in df.loc[decided, "workshop_id"]])
    columns: dict[str, list] = {c: [] for c in DECISION_COLUMNS}
    for row_id, status, by, at in zip(df[id_column], df["status"], df["reviewed_by"], df["reviewed_at"],
                                      strict=True):
        if status == NeedStatus.EXTRACTED:
            entry = (None, None, None, None, None)
        else:  # a decision older than the log: the row's own record of it
            entry = found.get(int(row_id)) or (by, None if pd.isna(at) else at, _FALLBACK_ACTION.get(status),
                                               None, None)
        for column, value in zip(DECISION_COLUMNS, entry, strict=True):
            columns[column].append(value)
    out = df.copy()
    for column, values in columns.items():
        out[column] = pd.Series(values, index=df.index, dtype=object)
    return out


# --- needs ------------------------------------------------------------------------------------
_NEED_UNDECIDED = f"n.status = {sql_value(NeedStatus.EXTRACTED)}"
_NEED_QUEUED = f"({_NEED_UNDECIDED} or n.flagged is not null)"


def _need_where(choice: ReviewChoice | str) -> tuple[str, list]:
    """The needs a choice lists: its statuses; the undecided (and all) also the flagged ones."""
    choice = ReviewChoice(choice)
    if choice in (ReviewChoice.UNDECIDED, ReviewChoice.ALL):
        return "(list_contains(?, n.status) or n.flagged is not null)", [statuses(choice)]
    return "list_contains(?, n.status)", [statuses(choice)]


def need_list(con, *, choice: ReviewChoice | str, workshop_id: int | None = None, limit: int | None = 20,
              offset: int = 0, context_chars: int = 320, state_iso3: str | None = None) -> pd.DataFrame:
    """Needs a review page lists under ``choice``, a page of them: waiting ones first (flagged,
    then confidence nearest 0.5, as the queue), then decided ones, the most recent decision first;
    each with its workshop, the text around it and, when decided, the decision. A flagged need
    waits first in the undecided (and all) list only; a decision's own list orders it by date."""
    where, params = _need_where(choice)
    in_queue = ReviewChoice(choice) in (ReviewChoice.UNDECIDED, ReviewChoice.ALL)
    waiting = _NEED_QUEUED if in_queue else _NEED_UNDECIDED
    # one state's needs (staff preparing a meeting on one state review them together)
    order = order_sql("n", waiting, "(n.flagged is null, abs(n.confidence - 0.5))")
    # the page first (a top-N over the needs table alone), then its workshops and the text around each
    df = con.cursor().execute(f"""
        with page as (select n.* from needs n where {where} and (? is null or n.workshop_id = ?)
                      and (?::varchar is null or n.state_iso3 = ?) {order} limit ? offset ?)
        select n.id as need_id, n.workshop_id, w.title as workshop_title, d.file_name, n.state_iso3,
               coalesce(s.name, n.state_iso3) as state_name, n.category, n.confidence, n.rule, n.evidence,
               n.span_start, n.span_end, n.flagged, n.status, n.reviewed_by, n.reviewed_at, n.note,
               n.original_state_iso3, n.original_category,
               substring(d.text, greatest(n.span_start - ?, 0) + 1, n.span_start - greatest(n.span_start - ?, 0))
                 as context_before,
               substring(d.text, n.span_end + 1, ?) as context_after
        from page n join workshops w on w.id = n.workshop_id join documents d on d.id = w.document_id
        left join states s on s.iso3 = n.state_iso3
        {order}""",
        [*params, workshop_id, workshop_id, state_iso3, state_iso3, _NO_LIMIT if limit is None else int(limit),
         int(offset),
         context_chars, context_chars, context_chars]).df()
    return add_decisions(con, df, "needs", "need_id")


def need_count(con, *, choice: ReviewChoice | str, workshop_id: int | None = None,
               state_iso3: str | None = None) -> int:
    """How many needs ``choice`` lists (in one workshop, or in all)."""
    where, params = _need_where(choice)
    return con.cursor().execute(f"select count(*) from needs n where {where} and (? is null or n.workshop_id = ?) "
                                "and (?::varchar is null or n.state_iso3 = ?)",
                                [*params, workshop_id, workshop_id, state_iso3, state_iso3]).fetchall()[0][0]
