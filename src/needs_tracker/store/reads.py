"""Named reads over the store. Every chart and table is an aggregate of ``need_facts``
filtered by one ``NeedFilter``; values are bound parameters, never SQL text.

Workshops are counted as events, not documents: a cable and a news story of one workshop are
two workshop rows (two sources) linked in ``workshop_sources`` to the row that stands for the
event, and ``need_facts.event_id`` is that row's id (a row's own id when it is linked to
nothing, or was split off by a reviewer). ``workshop_id`` stays the source the need was read
from, so its evidence span still indexes that source's text.

The filter is taken by its interface (``where(alias) -> (sql, params)``, ``with_``, ``is_empty``)
rather than imported, so the store sits below the filters in the layers.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from .vocab import (
    HUMAN_NEED_STATUSES,
    LinkedBy,
    NeedStatus,
    OrgRelation,
    ParticipantStatus,
    Role,
    WorkshopKind,
    sql_value,
)

HUMAN_STATUSES = tuple(str(s) for s in HUMAN_NEED_STATUSES)
# Vocabulary values written into the views and long queries below as literals: a bound constant in
# a join condition or a CTE can change DuckDB's plan, and views take no parameters. Each comes from
# its enum, so a renamed value fails here at import instead of silently matching nothing.
_REJECTED = sql_value(NeedStatus.REJECTED)
_UNREVIEWED = sql_value(NeedStatus.EXTRACTED)
_P_REJECTED = sql_value(ParticipantStatus.REJECTED)
_SPLIT = sql_value(LinkedBy.SPLIT)
_ORGANIZER = sql_value(OrgRelation.ORGANIZER)
_PARTICIPANT = sql_value(Role.PARTICIPANT)
# A register or letter of formal requests names the requesting states as its participants (the
# store's one word for "states named"), but no state attended it: every attendance read leaves it out.
_REGISTER = sql_value(WorkshopKind.ASSISTANCE_REQUESTS)

NEED_FACTS = f"""
need_facts as (
    select n.id as need_id, n.state_iso3, coalesce(s.name, n.state_iso3) as state_name,
           s.region, s.subregion, n.category, n.evidence, n.span_start, n.span_end,
           n.rule, n.confidence, n.status, n.reviewed_by, n.reviewed_at, n.flagged,
           w.id as workshop_id, w.title as workshop_title, w.start_date, w.end_date, w.year,
           w.venue_city, w.venue_country, w.document_id, d.file_name,
           coalesce(ws.event_id, w.id) as event_id
    from needs n
    join workshops w on w.id = n.workshop_id
    join documents d on d.id = w.document_id
    left join states s on s.iso3 = n.state_iso3
    left join workshop_sources ws on ws.workshop_id = w.id and ws.linked_by <> {_SPLIT}
)
"""
# The event each workshop row (source) belongs to, for reads that start from workshops.
WORKSHOP_EVENTS = f"""
workshop_events as (
    select w.id as workshop_id, coalesce(ws.event_id, w.id) as event_id
    from workshops w left join workshop_sources ws on ws.workshop_id = w.id and ws.linked_by <> {_SPLIT}
)
"""


def _filtered(f, con=None) -> tuple[str, list]:
    """``with need_facts as (...), fn as (filtered rows)`` and its parameters. On a connection
    that holds ``need_facts`` as a table (``has_need_facts``: the store's copy in memory,
    ``store.matching_base``), the rows are filtered from that table instead of joined again
    from five tables: the same rows, without the joins (about half of an overview read)."""
    where, params = f.where("f")
    facts = "" if getattr(con, "has_need_facts", False) else f"{NEED_FACTS}, "
    return f"with {facts}fn as (select * from need_facts f where {where})", params


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


def counts(con, f) -> dict[str, int]:
    head, params = _filtered(f, con)
    row = con.cursor().execute(
        head + """
        select count(distinct event_id), count(distinct state_iso3), count(*),
               count(*) filter (where list_contains(?, status)), count(distinct workshop_id)
        from fn""",
        params + [list(HUMAN_STATUSES)],
    ).fetchall()[0]
    # "workshops" are events; "documents" the source documents their needs were read from
    return {"workshops": row[0], "states": row[1], "needs": row[2], "confirmed": row[3], "documents": row[4]}


NEED_COLUMNS = (
    "need_id, state_name, state_iso3, region, subregion, category, workshop_id, workshop_title, "
    "start_date, year, venue_city, venue_country, evidence, span_start, span_end, status, confidence, "
    "rule, file_name, document_id, event_id"
)


def needs(con, f, limit: int | None = None) -> pd.DataFrame:
    """One row per need, newest workshop first."""
    head, params = _filtered(f, con)
    sql = head + f" select {NEED_COLUMNS} from fn order by start_date desc nulls last, state_name, category, need_id"
    if limit is None:
        return _df(con, sql, params)
    # DuckDB 2.0.1's statistics propagation can drop this LIMIT when its estimate of the rows is
    # wrong (seen under a workshops filter: 5 rows for "limit 2"; duckdb issue 24071 is the same
    # optimizer step), so the frame is cut here as well.
    return _df(con, sql + " limit ?", params + [int(limit)]).head(int(limit))


def needs_page(con, f, limit: int) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` needs and how many there are in all, on one connection. (A window
    count over the rows would hold every matching row in memory: two queries are cheaper.)"""
    head, params = _filtered(f, con)
    total = con.cursor().execute(head + " select count(*) from fn", params).fetchall()[0][0]
    return needs(con, f, limit), int(total)


def heatmap(con, f) -> pd.DataFrame:
    """States × categories: workshops (events) that reported the gap, their years and the latest
    one (the title of the workshop standing for that event)."""
    head, params = _filtered(f, con)
    return _df(con, head + """
        , cells as (
            select state_iso3, any_value(state_name) as state_name, category,
                   count(distinct event_id) as workshops,
                   string_agg(distinct cast(year as varchar), ', ' order by cast(year as varchar)) as years,
                   arg_max(event_id, coalesce(start_date, date '1900-01-01')) as latest_event,
                   max(year) as latest_year
            from fn group by state_iso3, category
        )
        select c.state_iso3, c.state_name, c.category, c.workshops, c.years, w.title as latest_workshop,
               c.latest_year
        from cells c left join workshops w on w.id = c.latest_event
        order by c.state_name, c.category""", params)


def by_state(con, f) -> pd.DataFrame:
    """Per state: needs, distinct gap categories and workshops (the map and summaries)."""
    head, params = _filtered(f, con)
    return _df(con, head + """
        select state_iso3, any_value(state_name) as state_name, any_value(region) as region,
               any_value(subregion) as subregion, count(*) as needs,
               count(distinct category) as categories, count(distinct event_id) as workshops
        from fn group by state_iso3 order by needs desc, state_name""", params)


def by_category(con, f) -> pd.DataFrame:
    head, params = _filtered(f, con)
    return _df(con, head + """
        select category, count(*) as needs, count(distinct state_iso3) as states,
               count(distinct event_id) as workshops
        from fn group by category order by needs desc, category""", params)


def by_year(con, f) -> pd.DataFrame:
    """Needs reported per year and category; workshops of unknown year give the rows whose
    year is null (shown as "year unknown", never dropped)."""
    head, params = _filtered(f, con)
    return _df(con, head + """
        select year, category, count(*) as needs, count(distinct state_iso3) as states
        from fn group by year, category order by year nulls last, category""", params)


def by_year_summary(con, f) -> pd.DataFrame:
    """Per year: the workshops, the states (by name) and the gap categories reported ("what was
    reported when"); workshops of unknown year make the last row, its year null.

    Each event is counted once, in one year, with everything reported at it: the earliest year
    of its sources that have needs under the filter. Its sources may give different years when a
    reviewer merged, say, a December workshop and the next January's report of it; counted by
    each source's own year, the event made two rows. The earliest, because an event is held when
    it begins, and because it is always a year the filter asked for (the event's record may be a
    source the year filter left out)."""
    head, params = _filtered(f, con)
    return _df(con, head + """
        , placed as (select *, min(year) over (partition by event_id) as event_year from fn)
        select event_year as year, count(distinct event_id) as workshops, count(distinct state_iso3) as states,
               string_agg(distinct state_name, ', ' order by state_name) as state_names,
               list(distinct category order by category) as categories
        from placed group by event_year order by event_year nulls last""", params)


def state_timeline(con, f, iso3: str) -> pd.DataFrame:
    """For one state, each category: first and last year reported, workshops, and the last
    year the state attended any workshop (to say 'not reported since')."""
    head, params = _filtered(f.with_(states=(iso3,)), con)
    return _df(con, head + f"""
        , attended as (
            select max(w.year) as last_attended from participation p
            join workshops w on w.id = p.workshop_id
            where p.state_iso3 = ? and p.status <> {_P_REJECTED} and w.kind <> {_REGISTER}
        )
        select category, min(year) as first_year, max(year) as last_year,
               count(distinct event_id) as workshops,
               string_agg(distinct cast(year as varchar), ', ' order by cast(year as varchar)) as years,
               any_value(a.last_attended) as last_attended,
               max(year) >= any_value(a.last_attended) as still_reported  -- a register may date it later
        from fn, attended a group by category order by first_year nulls last, category""",
        params + [iso3])


def workshops_attended(con, iso3: str) -> pd.DataFrame:
    """The events a state attended, newest first: one row per event (the workshop standing for
    it), with the state's role (a role other than participant, such as host, wins when its
    sources differ) and the topics of all its sources."""
    return _df(con, f"""
        with {WORKSHOP_EVENTS},
        attended as (
            select e.event_id, arg_min(p.role, case when p.role = {_PARTICIPANT} then 1 else 0 end) as role
            from participation p join workshop_events e on e.workshop_id = p.workshop_id
            join workshops pw on pw.id = p.workshop_id
            where p.state_iso3 = ? and p.status <> {_P_REJECTED} and pw.kind <> {_REGISTER} group by e.event_id
        )
        select w.id as workshop_id, w.title, w.start_date, w.year, w.venue_city, w.venue_country, a.role,
               (select string_agg(distinct t.category, ', ' order by t.category) from topics t
                 join workshop_events te on te.workshop_id = t.workshop_id where te.event_id = w.id) as topics
        from attended a join workshops w on w.id = a.event_id
        order by w.start_date desc nulls last, w.id""", [iso3])


def workshops(con, f) -> pd.DataFrame:
    """One row per event (the workshop row standing for it) with at least one need under the
    filter, or, with no filter, every event: its record's fields, how many source documents
    describe it, and the organisers, participating states and needs of all its sources."""
    head, params = _filtered(f, con)
    return _df(con, head + f"""
        , {WORKSHOP_EVENTS},
        matched as (select event_id, count(*) as needs from fn group by event_id),
        sources as (
            select e.event_id, count(*) as sources, string_agg(d.file_name, '; ' order by e.workshop_id) as file_name
            from workshop_events e join workshops w on w.id = e.workshop_id join documents d on d.id = w.document_id
            group by e.event_id
        ),
        organizers as (
            select e.event_id, string_agg(distinct o.name, '; ' order by o.name) as organizers
            from workshop_organisations o join workshop_events e on e.workshop_id = o.workshop_id
            where o.relation = {_ORGANIZER} group by e.event_id
        ),
        participants as (
            select e.event_id, count(distinct p.state_iso3) as participants
            from participation p join workshop_events e on e.workshop_id = p.workshop_id
            where p.status <> {_P_REJECTED} group by e.event_id
        )
        select w.id as workshop_id, w.title, w.start_date, w.end_date, w.year, w.venue_city, w.venue_country,
               o.organizers, coalesce(p.participants, 0) as participants, coalesce(m.needs, 0) as needs,
               s.sources, s.file_name
        from sources s join workshops w on w.id = s.event_id
        left join matched m on m.event_id = s.event_id
        left join organizers o on o.event_id = s.event_id
        left join participants p on p.event_id = s.event_id
        where m.event_id is not null or ?
        order by w.start_date desc nulls last, w.id""", params + [f.is_empty])


def workshop(con, workshop_id: int) -> dict | None:
    """Everything a workshop's page shows: fields, participants, organisations, topics, needs, text.

    ``event_id`` is the workshop standing for its event (itself when it stands alone).
    ``needs`` are this document's; ``event_needs`` those of every source of the event when this
    workshop stands for it (a source's page shows its own)."""
    cur = con.cursor()
    rows = cur.execute("""
        select w.id, w.title, w.kind, w.start_date, w.end_date, w.date_precision, w.year, w.venue_city,
               w.venue_country, w.warnings, w.edited_fields, d.file_name, d.format, d.text, d.id, d.ingested_at,
               w.venue_country_iso3
        from workshops w join documents d on d.id = w.document_id where w.id = ?""", [int(workshop_id)]).fetchall()
    if not rows:
        return None
    r = rows[0]
    info = dict(zip(
        ["workshop_id", "title", "kind", "start_date", "end_date", "date_precision", "year", "venue_city",
         "venue_country", "warnings", "edited_fields", "file_name", "format", "text", "document_id", "ingested_at",
         "venue_country_iso3"],
        r, strict=True))
    info["participants"] = _df(con, """
        select p.state_iso3, coalesce(s.name, p.state_iso3) as state_name, p.role, p.name_as_written,
               p.origin, p.status
        from participation p left join states s on s.iso3 = p.state_iso3
        where p.workshop_id = ? order by state_name""", [int(workshop_id)])
    orgs = cur.execute(
        "select name, relation from workshop_organisations where workshop_id = ? order by relation, name",
        [int(workshop_id)]).fetchall()
    info["organizers"] = [n for n, rel in orgs if rel == OrgRelation.ORGANIZER]
    info["organizations"] = [n for n, rel in orgs if rel == OrgRelation.PARTICIPANT]
    info["topics"] = _df(con, "select category, evidence from topics where workshop_id = ? order by category",
                         [int(workshop_id)])
    info["unresolved_names"] = [r[0] for r in cur.execute(
        "select name from unresolved_names where workshop_id = ?", [int(workshop_id)]).fetchall()]
    info["needs"] = _df(con, f"with {NEED_FACTS} select {NEED_COLUMNS} from need_facts f "
                             "where f.workshop_id = ? and f.status <> ? "
                             "order by start_date desc nulls last, state_name, category, need_id",
                        [int(workshop_id), NeedStatus.REJECTED])
    info["event_id"] = cur.execute(f"with {WORKSHOP_EVENTS} select event_id from workshop_events "
                                   "where workshop_id = ?", [int(workshop_id)]).fetchall()[0][0]
    info["event_needs"] = info["needs"]
    if info["event_id"] == int(workshop_id):
        sources = cur.execute("select count(*) from workshop_sources where event_id = ? and linked_by <> ?",
                              [int(workshop_id), LinkedBy.SPLIT]).fetchall()[0][0]
        if sources > 1:
            info["event_needs"] = _df(con, f"with {NEED_FACTS} select {NEED_COLUMNS} from need_facts f "
                                           "where f.event_id = ? and f.status <> ? "
                                           "order by state_name, category, start_date desc nulls last, need_id",
                                      [int(workshop_id), NeedStatus.REJECTED])
    return info


def gap_finder(con, f) -> pd.DataFrame:
    """(state, category) pairs ranked by persistence, and whether a later event the state
    attended addressed the category (a workshop whose topics include it)."""
    head, params = _filtered(f, con)
    return _df(con, head + f"""
        , pairs as (
            select state_iso3, any_value(state_name) as state_name, any_value(region) as region, category,
                   count(distinct event_id) as workshops, min(year) as first_year, max(year) as last_year,
                   max(start_date) as last_date,
                   arg_max(workshop_title, coalesce(start_date, date '1900-01-01')) as latest_workshop
            from fn group by state_iso3, category
        ),
        later as (
            select pr.state_iso3, pr.category, min(w.year) as addressed_year,
                   arg_min(w.title, w.start_date) as addressed_by
            from pairs pr
            join participation p on p.state_iso3 = pr.state_iso3 and p.status <> {_P_REJECTED}
            join workshops w on w.id = p.workshop_id and w.kind <> {_REGISTER}  -- attended: no register
            join topics t on t.workshop_id = w.id and t.category = pr.category
            where coalesce(w.start_date > pr.last_date, w.year > pr.last_year)
            group by pr.state_iso3, pr.category
        )
        select pr.*, (pr.last_year - pr.first_year) as span_years, l.addressed_year, l.addressed_by,
               l.addressed_year is null as unaddressed
        from pairs pr left join later l using (state_iso3, category)
        order by unaddressed desc, workshops desc, span_years desc, last_year desc nulls last,
                 state_name, category""", params)


def filter_options(con) -> dict:
    """What the sidebar offers: only values present in the store."""
    cur = con.cursor()
    states = cur.execute("""
        select distinct s.iso3, s.name, s.region, s.subregion from states s
        where s.iso3 in (select state_iso3 from needs union select state_iso3 from participation)
        order by s.name""").fetchall()
    years = cur.execute("select min(year), max(year) from workshops").fetchall()[0]
    organizers = [r[0] for r in cur.execute(
        "select distinct name from workshop_organisations where relation = ? order by name",
        [OrgRelation.ORGANIZER]).fetchall()]
    return {
        "states": [{"iso3": s[0], "name": s[1], "region": s[2], "subregion": s[3]} for s in states],
        "regions": sorted({s[2] for s in states if s[2]}),
        "subregions": sorted({s[3] for s in states if s[3]}),
        "year_min": years[0],
        "year_max": years[1],
        "organizers": organizers,
    }


def stats(con) -> dict[str, int]:
    """What the store holds: current documents, the events they describe (two documents of one
    workshop are one event), states named and needs not rejected."""
    cur = con.cursor()
    return {
        "documents": cur.execute("select count(*) from documents where superseded_by is null").fetchall()[0][0],
        "events": cur.execute(f"with {WORKSHOP_EVENTS} select count(distinct event_id) from workshop_events"
                              ).fetchall()[0][0],
        "states": cur.execute(
            "select count(distinct state_iso3) from (select state_iso3 from participation "
            "union select state_iso3 from needs)").fetchall()[0][0],
        "needs": cur.execute("select count(*) from needs where status <> ?", [NeedStatus.REJECTED]).fetchall()[0][0],
    }


# --- the review page (its lists are in ``store.decisions``) ---------------------------------
def review_counts(con) -> dict[str, int]:
    """Needs per status, for the page's header."""
    return dict(con.cursor().execute("select status, count(*) from needs group by status").fetchall())


def workshop_choices(con) -> list[tuple[int, str | None, int | None, int, str]]:
    """(workshop id, title, year, needs to review, file name) for pickers, newest first."""
    return con.cursor().execute(
        "select w.id, w.title, w.year, "
        "(select count(*) from needs n where n.workshop_id = w.id and n.status = ?), d.file_name "
        "from workshops w join documents d on d.id = w.document_id order by w.start_date desc nulls last, w.id",
        [NeedStatus.EXTRACTED]).fetchall()


def document_versions(con, workshop_id: int) -> pd.DataFrame:
    """Every version of a workshop's note, the current one first (replaced texts are kept)."""
    return _df(con, """
        with recursive chain(id, depth) as (
            select document_id, 0 from workshops where id = ?
            union all
            select d.id, c.depth + 1 from documents d join chain c on d.superseded_by = c.id
        )
        select d.id as document_id, d.file_name, d.path, d.ingested_at, d.superseded_at, d.text
        from chain c join documents d on d.id = c.id order by c.depth""", [int(workshop_id)])


# --- reads added for the dashboard (search, heatmap by region) ----------------------------

def search_sentences(con, f, limit: int, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One row per evidence sentence the filter selects (a sentence attributed to several states
    is one row naming them all), newest first, and how many sentences there are in all."""
    head, params = _filtered(f, con)
    grouped = """
        , sentences as (
            select workshop_id, span_start, span_end, any_value(evidence) as evidence,
                   any_value(workshop_title) as workshop_title, any_value(start_date) as start_date,
                   any_value(year) as year, any_value(file_name) as file_name,
                   list(distinct state_iso3 order by state_iso3) as state_iso3s,
                   string_agg(distinct state_name, ', ' order by state_name) as state_names,
                   list(distinct category order by category) as categories
            from fn group by workshop_id, span_start, span_end
        )"""
    total = con.cursor().execute(head + grouped + " select count(*) from sentences", params).fetchall()[0][0]
    rows = _df(con, head + grouped + """
        select * from sentences order by start_date desc nulls last, workshop_id, span_start
        limit ? offset ?""", params + [int(limit), int(offset)])
    return rows, int(total)


def heatmap_by_group(con, f, level: str = "subregion") -> pd.DataFrame:
    """Regions (``level`` = "region") or sub-regions × categories: states and workshops that
    reported the gap. ``level`` picks a column from a fixed list, never user text."""
    column = {"region": "region", "subregion": "subregion"}[level]
    head, params = _filtered(f, con)
    return _df(con, head + f"""
        select coalesce({column}, 'no region') as grp, category,
               count(distinct state_iso3) as states, count(distinct event_id) as workshops,
               count(*) as needs
        from fn group by grp, category order by grp, category""", params)


def brief_pairs(con, f, quotes_per_pair: int) -> pd.DataFrame:
    """What a brief shows of a selection of any size: one row per (state, gap) with its counts,
    the years it was reported (and how many needs have no known year), whether the state's
    latest workshop still reported it, and its top ``quotes_per_pair`` quotes (needs a person
    vouched for first, then by confidence, newest first) as a list of structs. A brief reads
    this instead of every need, so 100,000 needs cost one grouped scan.

    Workshops are counted as events. A quote names its event (``workshop_id``, ``workshop_title``,
    ``start_date`` and ``year`` are those of the workshop standing for it, as in ``workshops``), and the
    source it was read from (``source_workshop_id``, ``file_name``).
    """
    head, params = _filtered(f, con)
    return _df(con, head + """
        , attended as (
            select p.state_iso3, max(w.year) as last_attended from participation p
            join workshops w on w.id = p.workshop_id
            where p.status <> ? and w.kind <> ? group by p.state_iso3
        ),
        ranked as (
            select fn.*, row_number() over (
                partition by state_iso3, category
                order by case when list_contains(?, status) then 0 else 1 end, confidence desc,
                         start_date desc nulls last, need_id) as quote_rank
            from fn
        ),
        quoted as (
            -- a quote cites its event by the event's title and date: a merged source's own date beside
            -- the event's title named a day the event did not take place (qa10)
            select r.*, coalesce(ew.title, r.workshop_title) as event_title,
                   case when ew.id is null then r.start_date else ew.start_date end as event_start,
                   case when ew.id is null then r.year else ew.year end as event_year
            from ranked r left join workshops ew on ew.id = r.event_id and r.event_id <> r.workshop_id
        )
        select r.state_iso3, any_value(r.state_name) as state_name, any_value(r.region) as region,
               r.category, count(*) as needs, count(distinct r.event_id) as workshops,
               min(r.year) as first_year, max(r.year) as last_year,
               string_agg(distinct cast(r.year as varchar), ', ' order by cast(r.year as varchar)) as years,
               count(*) filter (where r.year is null) as needs_year_unknown,
               any_value(a.last_attended) as last_attended,
               max(r.year) >= any_value(a.last_attended) as still_reported,
               list({'need_id': r.need_id, 'evidence': r.evidence, 'workshop_id': r.event_id,
                     'workshop_title': r.event_title, 'start_date': r.event_start, 'year': r.event_year,
                     'file_name': r.file_name, 'status': r.status, 'confidence': r.confidence,
                     'source_workshop_id': r.workshop_id}
                    order by r.quote_rank) filter (where r.quote_rank <= ?) as quotes
        from quoted r left join attended a on a.state_iso3 = r.state_iso3
        group by r.state_iso3, r.category
        order by state_name, r.state_iso3, first_year nulls last, r.category""",
        params + [ParticipantStatus.REJECTED, WorkshopKind.ASSISTANCE_REQUESTS, list(HUMAN_STATUSES),
                  int(quotes_per_pair)])
