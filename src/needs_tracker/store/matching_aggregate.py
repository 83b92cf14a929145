"""The matching table's aggregation as SQL, shared by both ways of running it: over the store's
tables (``store.assistance.matching_table``) and over four DataFrames in an in-memory DuckDB
(``matching.match``, the pure version the tests spell the rules with). It lives in the store
package because every SQL statement of the product does."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from ..labels import DATE_UNKNOWN

# A formal request whose document gives no date still counts: its pair lists it as "date unknown"
# (after the dated ones, as the text sorts), so the Matching page, the gap finder, the exports and the
# briefs show the request instead of an empty cell beside an "open" status. A fixed word, never user text.
_UNDATED = "'" + DATE_UNKNOWN.replace("'", "''") + "'"
# The aggregation, as common table expressions over four inputs named needs, requests, offers
# and events (columns as registered by ``aggregate_frames``); ``store.assistance`` runs the same SQL on the
# store itself, with those four defined over its tables.
AGGREGATE_CTES = """
raised as (
    select state_iso3, category, year from needs union all select state_iso3, category, year from requests
), pairs as (
    select state_iso3, category, min(year) as first_raised from raised
    where state_iso3 is not null and category is not null group by all
), need_agg as (
    select state_iso3, category,
           list(distinct year order by year) filter (where year is not null) as need_years,
           list(distinct workshop_id order by workshop_id) filter (where workshop_id is not null) as need_workshops
    from needs group by all
), request_agg as (
    select state_iso3, category,
           list(distinct coalesce(day, __UNDATED__) order by coalesce(day, __UNDATED__)) as request_dates
    from requests group by all
), offer_agg as (
    select o.state_iso3, o.category,
           list({'provider': o.provider, 'year': o.year, 'workshop_id': o.workshop_id, 'given_to': o.given_to}
                order by o.year nulls last, o.provider, o.workshop_id nulls last, o.given_to) as offers,
           min(o.year) as first_offer
    -- distinct: two sources of one event recording the same offer are one offer
    from (select distinct * from offers) o join pairs p using (state_iso3, category)
    where p.first_raised is null or o.year is null or o.year >= p.first_raised
    group by all
), later as (
    select e.state_iso3, e.category, e.workshop_id, min(e.year) as year
    from events e join pairs p using (state_iso3, category)
    where e.year is not null and (p.first_raised is null or e.year > p.first_raised)
      and not exists (select 1 from needs n where n.state_iso3 = e.state_iso3 and n.category = e.category
                      and n.workshop_id = e.workshop_id)
    group by all
), later_agg as (
    select state_iso3, category, list(workshop_id order by year, workshop_id) as later_events,
           list(distinct year order by year) as later_event_years, min(year) as first_later
    from later group by all
)
""".replace("__UNDATED__", _UNDATED)
AGGREGATE_SELECT = """
select p.state_iso3, p.category, p.first_raised,
       coalesce(n.need_years, []) as need_years, coalesce(n.need_workshops, []) as need_workshops,
       coalesce(r.request_dates, []) as request_dates, o.offers, o.first_offer,
       coalesce(l.later_events, []) as later_events, coalesce(l.later_event_years, []) as later_event_years,
       l.first_later
from pairs p
left join need_agg n using (state_iso3, category)
left join request_agg r using (state_iso3, category)
left join offer_agg o using (state_iso3, category)
left join later_agg l using (state_iso3, category)
"""


def finish_table(columns: list[str], rows: list[tuple], f, as_of: date | None = None) -> pd.DataFrame:
    """The store's matching table from the aggregate's rows under filter ``f``: ``matching.finish``,
    only the filter's states (a formal request's pair keeps its own state), state names and gap
    labels. Shared by ``store.assistance.matching_table`` and ``store.matching_base``."""
    from ..matching import finish
    from ..states import state_name
    from ..taxonomy import category_labels

    table = finish(columns, rows, as_of)
    if f.states:
        table = table[table["state_iso3"].isin(f.states)].reset_index(drop=True)
    labels = category_labels()
    names = {s: state_name(s) for s in set(table["state_iso3"])}  # a few hundred states over thousands of rows
    table.insert(1, "state_name", [names[s] for s in table["state_iso3"]])
    table.insert(3, "category_label", [labels.get(c, c) for c in table["category"]])
    return table


def aggregate_frames(frames: dict[str, pd.DataFrame]) -> tuple[list[str], list[tuple]]:
    """Run the aggregation over the DataFrames ``needs``, ``requests``, ``offers`` and ``events``
    in a private in-memory DuckDB (no store); the columns and the rows as ``fetchall`` gives them."""
    con = duckdb.connect(config={"threads": 1})  # small inputs: one thread beats scheduling several
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        result = con.execute(f"with {AGGREGATE_CTES} {AGGREGATE_SELECT}")
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()
    finally:
        con.close()
