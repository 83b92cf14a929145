"""Tables for offers, formal requests and the sources of one event (migration 3).

Kept in a module of its own so the assistance work merges without touching the other
migrations: ``store.migrations.MIGRATIONS`` lists ``m002_assistance`` as number 3 (it was
written as the second migration before the store package existed). Offers and requests carry the
same review columns as needs (status, the original values a person corrected, who and when),
so ``reprocess`` keeps people's decisions on them exactly as it does for needs.

``workshop_sources`` links a workshop row (one source document) to the workshop that stands
for its event: the dashboard's reads count ``coalesce(event_id, id)`` (split links excluded),
that is events, not documents.
``linked_by`` says who linked it: ``extracted`` (the same-event score), ``manual`` (a reviewer
merged them) or ``split`` (a reviewer separated it: never linked again automatically).
"""

from __future__ import annotations

import duckdb

from .vocab import LinkedBy, NeedStatus, RecipientsKind, check_in, sql_value

# Offers and requests are reviewed exactly as needs are, so they take the needs' statuses.
_STATUS_CHECK = check_in("status", NeedStatus)
_NEW_STATUS = sql_value(NeedStatus.EXTRACTED)
_NEW_LINK = sql_value(LinkedBy.EXTRACTED)
_TO_ALL = sql_value(RecipientsKind.ALL_PARTICIPANTS)  # the DDL's text as first written


def m002_assistance(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        create sequence if not exists offer_ids start 1;
        create sequence if not exists request_ids start 1;

        create table offers (
            id bigint primary key default nextval('offer_ids'),
            workshop_id integer not null,
            provider varchar not null,             -- a state's name or an organisation's normalised id
            provider_iso3 varchar,                 -- set when the provider is a state
            category varchar not null,
            recipients_iso3 varchar[] not null default [],
            recipients_kind varchar not null default {_TO_ALL},  -- named, group, all_participants
            evidence varchar not null,
            span_start integer not null,
            span_end integer not null,
            rule varchar not null,
            confidence double not null,
            status varchar not null default {_NEW_STATUS} {_STATUS_CHECK},
            original_provider varchar,
            original_category varchar,
            reviewed_by varchar,
            reviewed_at timestamp,
            note varchar,
            created_at timestamp not null default current_timestamp
        );

        create table requests (
            id bigint primary key default nextval('request_ids'),
            workshop_id integer not null,          -- the register or letter it was read from
            state_iso3 varchar not null,
            category varchar not null,
            requested_on date,
            evidence varchar not null,
            span_start integer not null,
            span_end integer not null,
            rule varchar not null,
            confidence double not null,
            status varchar not null default {_NEW_STATUS} {_STATUS_CHECK},
            original_state_iso3 varchar,
            original_category varchar,
            reviewed_by varchar,
            reviewed_at timestamp,
            note varchar,
            created_at timestamp not null default current_timestamp
        );

        create table workshop_sources (
            workshop_id integer primary key,       -- one source document's workshop row
            event_id integer not null,             -- the workshop that stands for the event
            linked_by varchar not null default {_NEW_LINK} {check_in('linked_by', LinkedBy)},
            score double,
            reasons varchar,
            linked_at timestamp not null default current_timestamp
        );

        create index offers_workshop on offers (workshop_id);
        create index requests_workshop on requests (workshop_id);
        """
    )
