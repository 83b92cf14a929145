"""The DuckDB store: the only package that runs SQL.

- ``connection``: short-lived connections, locks, read-only files, damage, write conflicts;
- ``migrations``: the numbered schema and the reference data kept in step with its files;
- ``vocab``: statuses, roles and relations as enums (and the schema's CHECK constraints);
- ``rows``: one Extraction → rows mapper;
- ``writes`` / ``review_writes``: the write side; ``audit_chain``: the hash-chained audit log;
- ``reads`` / ``lookups`` / ``workshop_reads``: the named reads; ``text_hits``: the
  needs a words filter matches, found once per change and bound by every read of the page;
- ``assistance_schema`` / ``assistance`` / ``assistance_review`` / ``assistance_queue``: offers, formal
  requests, the sources of one event, the matching table (its SQL in ``matching_aggregate``), and
  their review;
- ``snapshot_copy``: the copy ``needs-tracker publish`` makes of the whole store.
"""

from .connection import connect, open_connection, store_exists, store_version, transaction, write

__all__ = ["connect", "open_connection", "store_exists", "store_version", "transaction", "write"]
