"""Offers, formal requests and event sources in the store.

Written by ingest and reprocess (``merge_assistance``, ``link_events``), read by the Matching
page, the exports and the gap finder (``matching_table``). Like needs, an offer or request a
person decided on (confirmed, rejected, corrected, manual) is never replaced by a re-run of the
rules; only undecided extractions follow the current rules. Event links a reviewer made
(``manual``, ``split``) are never undone by the automatic same-event score.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb
import pandas as pd

from ..events import EventFacts, group_events, same_event
from .vocab import LinkedBy, NeedStatus, OrgRelation, ParticipantStatus, WorkshopKind, sql_value

__all__ = ["event_of", "event_sources", "events_by_id", "link_events", "matching_table", "merge_assistance",
           "offers_for", "requests_for"]


def _span(text: str | None, evidence: str, start: int, end: int) -> tuple[int, int]:
    """Where a kept row's evidence now stands in a changed note (unchanged if not found)."""
    if text is None or text[start:end] == evidence:
        return start, end
    found = text.find(evidence)
    return (found, found + len(evidence)) if found >= 0 else (start, end)


def _merge_rows(con, table: str, workshop_id: int, fresh: dict[tuple, dict], who: str, text: str | None) -> dict:
    """Keep decided rows, refresh or drop undecided ones, add new ones. ``table`` and ``who`` come
    from the fixed calls below, never from input."""
    existing = con.execute(
        f"select id, coalesce(original_{who}, {who}), coalesce(original_category, category), evidence, status, "
        f"span_start, span_end from {table} where workshop_id = ?", [workshop_id]).fetchall()
    counts = {"added": 0, "dropped": 0, "kept": 0}
    seen = set()
    for row_id, subject, category, evidence, status, start, end in existing:
        key = (subject, category, evidence)
        seen.add(key)
        new = fresh.get(key)
        if status != NeedStatus.EXTRACTED:
            counts["kept"] += 1
            s, e = (new["span_start"], new["span_end"]) if new else _span(text, evidence, start, end)
            con.execute(f"update {table} set span_start = ?, span_end = ? where id = ?", [s, e, row_id])
        elif new is None:
            con.execute(f"delete from {table} where id = ?", [row_id])
            counts["dropped"] += 1
        else:
            names = [c for c in new if c not in (who, "category", "evidence")]
            con.execute(f"update {table} set {', '.join(f'{c} = ?' for c in names)} where id = ?",
                        [new[c] for c in names] + [row_id])
    for key, new in fresh.items():
        if key not in seen:
            columns = ["workshop_id", *new]
            con.execute(f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
                        [workshop_id, *new.values()])
            counts["added"] += 1
    return counts


def merge_assistance(con: duckdb.DuckDBPyConnection, workshop_id: int, ex, *, text: str | None = None) -> dict:
    """Replace a workshop's extracted offers and requests by those of ``ex``, keeping every
    decided row. Must run inside a transaction. Returns counts per table."""
    offers = {(o.provider, o.category, o.evidence): {
        "provider": o.provider, "category": o.category, "evidence": o.evidence, "provider_iso3": o.provider_iso3,
        "recipients_iso3": list(o.recipients_iso3), "recipients_kind": o.recipients_kind, "span_start": o.start,
        "span_end": o.end, "rule": o.rule, "confidence": o.confidence} for o in getattr(ex, "offers", [])}
    requests = {(r.state_iso3, r.category, r.evidence): {
        "state_iso3": r.state_iso3, "category": r.category, "evidence": r.evidence, "requested_on": r.requested_on,
        "span_start": r.start, "span_end": r.end, "rule": r.rule, "confidence": r.confidence}
        for r in getattr(ex, "requests", [])}
    return {"offers": _merge_rows(con, "offers", workshop_id, offers, "provider", text),
            "requests": _merge_rows(con, "requests", workshop_id, requests, "state_iso3", text)}


# --- one event, many sources ---------------------------------------------------------------
# Vocabulary values written into the longer queries below as literals (a bound constant in a
# join condition or a CTE can change DuckDB's plan); each comes from its enum, never from input.
_REJECTED = sql_value(NeedStatus.REJECTED)
_SPLIT = sql_value(LinkedBy.SPLIT)
_AUTO = sql_value(LinkedBy.EXTRACTED)
_P_REJECTED = sql_value(ParticipantStatus.REJECTED)
_REGISTER = sql_value(WorkshopKind.ASSISTANCE_REQUESTS)

def _facts(con) -> dict[int, EventFacts]:
    rows = con.execute(
        "select w.id, w.kind, w.title, w.start_date, w.end_date, w.year, w.venue_city, w.venue_country_iso3, "
        "o.names, p.states from workshops w "
        "left join (select workshop_id, list(name order by name) as names from workshop_organisations "
        "           where relation = ? group by 1) o on o.workshop_id = w.id "
        "left join (select workshop_id, list(state_iso3 order by state_iso3) as states from participation "
        "           where status <> ? group by 1) p on p.workshop_id = w.id "
        "order by w.id", [OrgRelation.ORGANIZER, ParticipantStatus.REJECTED]).fetchall()
    return {r[0]: EventFacts(r[2], r[3], r[4], r[5] or (r[3].year if r[3] else None), r[6], r[7],
                             tuple(r[8] or ()), frozenset(r[9] or ()), r[1]) for r in rows}


def _bucket(f: EventFacts):
    """Only documents that could be one event are compared: same year, or (undated) same country."""
    return ("year", f.year) if f.year else ("undated", f.venue_country_iso3)


def _insert_link(con, workshop_id: int, event_id: int, score: float | None, reasons: str) -> None:
    con.execute("insert into workshop_sources (workshop_id, event_id, linked_by, score, reasons) "
                "values (?, ?, ?, ?, ?)", [workshop_id, event_id, LinkedBy.EXTRACTED, score, reasons])


def link_events(con: duckdb.DuckDBPyConnection, workshop_ids: list[int] | None = None) -> int:
    """Link workshops that describe the same event (``events.same_event``), leaving every link
    a reviewer made alone. Without ``workshop_ids`` every year is regrouped (reprocess); with
    them (ingest), each new workshop is compared with the others of its year and joins the
    event of the best match. Must run inside a transaction. Returns how many workshops it linked."""
    facts = _facts(con)
    decided = {r[0] for r in con.execute(
        "select workshop_id from workshop_sources where linked_by <> ?", [LinkedBy.EXTRACTED]).fetchall()}
    buckets: dict[object, list[int]] = defaultdict(list)
    for wid, f in facts.items():
        if wid not in decided and f.kind != WorkshopKind.ASSISTANCE_REQUESTS:
            buckets[_bucket(f)].append(wid)
    if workshop_ids is not None:
        return _link_new(con, facts, buckets, [w for w in workshop_ids if w in facts and w not in decided])
    linked = 0
    con.execute("delete from workshop_sources where linked_by = ?", [LinkedBy.EXTRACTED])
    for ids in buckets.values():
        for group in group_events([facts[w] for w in ids]):
            if len(group) < 2:
                continue
            members = sorted(ids[i] for i in group)
            event = members[0]
            _insert_link(con, event, event, None, "the event's record")
            for wid in members[1:]:
                m = same_event(facts[event], facts[wid])
                _insert_link(con, wid, event, m.score, "; ".join(m.reasons))
            linked += len(members)
    return linked


def _link_new(con, facts: dict[int, EventFacts], buckets: dict, new: list[int]) -> int:
    if new:
        # A re-read workshop that a reviewer's link points at stays where it is; one that stood for
        # an automatically linked event takes its sources with it: they are compared afresh too, so
        # no source is left pointing at a workshop that no longer stands for its event.
        held = {r[0] for r in con.execute(
            "select event_id from workshop_sources where list_contains(?, event_id) and linked_by <> ?",
            [new, LinkedBy.EXTRACTED]).fetchall()}
        new = [w for w in new if w not in held]
        followers = [r[0] for r in con.execute(
            "select workshop_id from workshop_sources where list_contains(?, event_id) and linked_by = ? "
            "and not list_contains(?, workshop_id)", [new, LinkedBy.EXTRACTED, new]).fetchall()]
        new = sorted(set(new) | set(followers))
    new_set = set(new)
    if new:
        con.execute("delete from workshop_sources where linked_by = ? and list_contains(?, workshop_id)",
                    [LinkedBy.EXTRACTED, new])
    linked = 0
    for wid in sorted(new):
        f = facts[wid]
        if f.kind == WorkshopKind.ASSISTANCE_REQUESTS or con.execute(
                "select 1 from workshop_sources where workshop_id = ?", [wid]).fetchall():
            continue  # already the record of an event a newer workshop joined
        matches = [(same_event(f, facts[o]), o) for o in buckets.get(_bucket(f), []) if o != wid]
        matches = [(m, o) for m, o in matches if m.same and not (o in new_set and o > wid)]
        if not matches:
            continue
        best, other = max(matches, key=lambda t: t[0].score)
        event = event_of(con, other)
        if event == other and not con.execute("select 1 from workshop_sources where workshop_id = ?",
                                              [other]).fetchall():
            _insert_link(con, other, other, None, "the event's record")
        _insert_link(con, wid, event, best.score, "; ".join(best.reasons))
        linked += 1
    return linked


def event_of(con, workshop_id: int) -> int:
    rows = con.execute("select event_id from workshop_sources where workshop_id = ?", [int(workshop_id)]).fetchall()
    return rows[0][0] if rows else int(workshop_id)


def event_sources(con, workshop_id: int) -> pd.DataFrame:
    """The source documents of the event a workshop belongs to (itself included), for its page:
    the workshop standing for the event first, then the others by id, each with how it was
    linked (``extracted`` with the same-event score and reasons, ``manual``, ``split``), whether it
    is the event's record, and its needs (not rejected)."""
    event = event_of(con, workshop_id)
    return con.cursor().execute(
        "select w.id as workshop_id, d.file_name, w.title, w.start_date, w.end_date, w.year, w.kind, "
        f"coalesce(s.linked_by, {_AUTO}) as linked_by, s.score, s.reasons, w.id = ? as is_record, "
        f"? as event_id, (select count(*) from needs n where n.workshop_id = w.id and n.status <> {_REJECTED}) "
        "as needs "
        "from workshops w join documents d on d.id = w.document_id "
        "left join workshop_sources s on s.workshop_id = w.id "
        f"where w.id = ? or (s.event_id = ? and s.linked_by <> {_SPLIT}) order by w.id <> ?, w.id",
        [event, event, event, event, event]).df()


# --- matching ------------------------------------------------------------------------------
# The event a workshop row belongs to: ``coalesce(s.event_id, <workshop id>)`` after this join.
SOURCE_JOIN = "left join workshop_sources s on s.workshop_id = {w} and s.linked_by <> " + _SPLIT


def matching_table(con, f, as_of: date | None = None) -> pd.DataFrame:
    """The matching table over the store under filter ``f`` (a ``filters.NeedFilter``; the store
    sits below the filters layer, so it takes it untyped) (``matching.match``'s columns, plus
    state names and category labels). The aggregation runs inside the store, in one query."""
    from .matching_aggregate import AGGREGATE_CTES, AGGREGATE_SELECT, finish_table
    from .reads import _filtered

    base, params = _filtered(f)
    # Requests are filtered as needs are; offers by gap and year only (their state column is the
    # provider, not the state a row is about).
    where_r, params_r = f.where_columns(state="r.state_iso3", category="r.category", year="year(r.requested_on)")
    where_o, params_o = f.with_(states=(), regions=(), subregions=()).where_columns(
        state="o.provider_iso3", category="o.category", year="coalesce(w.year, year(w.start_date))")
    sql = f"""{base},
    needs as (
        select fn.state_iso3, fn.category, fn.year, coalesce(s.event_id, fn.workshop_id) as workshop_id
        from fn join workshops w on w.id = fn.workshop_id {SOURCE_JOIN.format(w='fn.workshop_id')}
        where w.kind <> {_REGISTER}),
    requests as (
        select r.state_iso3, r.category, year(r.requested_on) as year, strftime(r.requested_on, '%Y-%m-%d') as day
        from requests r where r.status <> {_REJECTED} and {where_r}),
    offers as (
        select unnest(o.recipients_iso3) as state_iso3, o.category, o.provider, o.recipients_kind as given_to,
               coalesce(w.year, year(w.start_date)) as year, coalesce(s.event_id, w.id) as workshop_id
        from offers o join workshops w on w.id = o.workshop_id {SOURCE_JOIN.format(w='w.id')}
        where o.status <> {_REJECTED} and {where_o}),
    events as (
        select distinct p.state_iso3, t.category, coalesce(w.year, year(w.start_date)) as year,
               coalesce(s.event_id, w.id) as workshop_id
        from participation p join workshops w on w.id = p.workshop_id join topics t on t.workshop_id = w.id
        {SOURCE_JOIN.format(w='w.id')} where p.status <> {_P_REJECTED} and w.kind <> {_REGISTER}),
    {AGGREGATE_CTES} {AGGREGATE_SELECT}"""
    result = con.cursor().execute(sql, params + params_r + params_o)
    return finish_table([d[0] for d in result.description], result.fetchall(), f, as_of)


# --- a matching row's evidence (the Matching page) ------------------------------------------
def _filter_clause(f, category_sql: str, year_sql: str) -> tuple[str, list]:
    """The filter's gap categories and years over one table, as the matching table applies them
    (``true`` without a filter); the state is the caller's."""
    if f is None:
        return "true", []
    return f.with_(states=(), regions=(), subregions=()).where_columns(
        state="null", category=category_sql, year=year_sql)


def _subject(column: str, iso3: str | None, workshop_ids) -> tuple[str, list]:
    """The rows of one state (``column`` = ?) and/or of some workshops' documents, as a clause of
    fixed text and its parameters (a clause left out is ``true``: no ``? is null`` in the plan)."""
    clauses, params = [], []
    if iso3 is not None:
        clauses.append(column)
        params.append(str(iso3))
    if workshop_ids is not None:
        clauses.append("list_contains(?, w.id)")
        params.append(sorted({int(w) for w in workshop_ids}))
    return " and ".join(clauses) or "true", params


def requests_for(con, iso3: str | None, category: str | None, f=None, *, workshop_ids=None) -> pd.DataFrame:
    """The formal requests of one state, on one gap (``category``) or every gap (None), under
    ``f``'s gaps and years, oldest first, with the document they came from: a Matching row's
    evidence and the state profile's list. With ``workshop_ids`` (``iso3`` None): the requests
    read from those documents, for a workshop's page."""
    where, params = _filter_clause(f, "r.category", "year(r.requested_on)")
    subject, subject_params = _subject("r.state_iso3 = ?", iso3, workshop_ids)
    order = "r.workshop_id, r.span_start, r.id" if iso3 is None else "r.requested_on nulls last, r.category, r.id"
    return con.cursor().execute(
        "select r.category, r.requested_on, r.evidence, r.status, r.workshop_id, d.file_name, r.id as request_id, "
        "r.state_iso3, r.confidence "
        "from requests r join workshops w on w.id = r.workshop_id join documents d on d.id = w.document_id "
        f"where {subject} and (?::varchar is null or r.category = ?) and r.status <> ? and {where} "
        f"order by {order}",  # fixed text: a workshop's page in the order of its text
        [*subject_params, category, category, NeedStatus.REJECTED, *params]).df()


def offers_for(con, iso3: str | None, category: str | None, f=None, since: int | None = None, *,
               workshop_ids=None) -> pd.DataFrame:
    """The offers made to one state (named, in a group, or as a participant), on one gap or every
    gap (None), under ``f``'s gaps and years and, like a Matching row, only those made since the
    gap was first raised (``since``), oldest first, with the workshop that recorded them. With
    ``workshop_ids`` (``iso3`` None): the offers those documents make, in the order of the text,
    for a workshop's page."""
    year_sql = "coalesce(w.year, year(w.start_date))"
    where, params = _filter_clause(f, "o.category", year_sql)
    subject, subject_params = _subject("list_contains(o.recipients_iso3, ?)", iso3, workshop_ids)
    order = "o.workshop_id, o.span_start, o.id" if iso3 is None else "year nulls last, o.category, o.id"  # fixed text
    return con.cursor().execute(
        f"select o.provider, o.category, o.recipients_kind, {year_sql} as year, o.evidence, o.status, "
        "o.workshop_id, w.title as workshop_title, o.id as offer_id, o.provider_iso3, o.recipients_iso3, "
        "o.confidence from offers o join workshops w on w.id = o.workshop_id "
        f"where {subject} and (?::varchar is null or o.category = ?) "
        f"and o.status <> ? and {where} and (?::integer is null or {year_sql} is null or {year_sql} >= ?) "
        f"order by {order}",
        [*subject_params, category, category, NeedStatus.REJECTED, *params, since, since]).df()


def events_by_id(con, workshop_ids: tuple[int, ...]) -> pd.DataFrame:
    """Title, date and year of the workshops ``workshop_ids`` (a row's later events), oldest first."""
    return con.cursor().execute(
        "select w.id as workshop_id, w.title, w.start_date, coalesce(w.year, year(w.start_date)) as year "
        "from workshops w where list_contains(?, w.id) order by year nulls last, w.id",
        [[int(i) for i in workshop_ids]]).df()
