"""The store's closed vocabularies as types: every status, role and relation in one place.

Each enum's values are also written into the schema as a CHECK constraint (``check_in``),
so a typo in code fails at the write, not weeks later in a chart. They are ``StrEnum``s,
so ``NeedStatus.CONFIRMED == "confirmed"`` and they bind to SQL parameters as plain text.
"""

from __future__ import annotations

from enum import StrEnum


class NeedStatus(StrEnum):
    EXTRACTED = "extracted"    # made by the rules, nobody looked at it yet
    CONFIRMED = "confirmed"    # a person said it is right
    REJECTED = "rejected"      # a person said it is wrong; kept so no later run re-adds it
    CORRECTED = "corrected"    # a person changed its state or category
    MANUAL = "manual"          # a person added it


# Decided rows outlast every later extraction; the human ones count as "confirmed" in filters.
DECIDED_NEED_STATUSES = (NeedStatus.CONFIRMED, NeedStatus.REJECTED, NeedStatus.CORRECTED, NeedStatus.MANUAL)
HUMAN_NEED_STATUSES = (NeedStatus.CONFIRMED, NeedStatus.CORRECTED, NeedStatus.MANUAL)


class ParticipantStatus(StrEnum):
    EXTRACTED = "extracted"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Origin(StrEnum):
    EXTRACTED = "extracted"
    MANUAL = "manual"


class Role(StrEnum):
    HOST = "host"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class OrgRelation(StrEnum):
    ORGANIZER = "organizer"
    PARTICIPANT = "participant"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class AuditAction(StrEnum):
    INGEST = "ingest"          # a new note stored (CLI or bootstrap)
    UPLOAD = "upload"          # a new note stored from the dashboard
    REPLACE = "replace"        # a stored note replaced by a new version (the old text kept)
    BOOTSTRAP = "bootstrap"    # the sample notes written into an empty store
    REPROCESS = "reprocess"
    CONFIRM = "confirm"
    REJECT = "reject"
    CORRECT = "correct"
    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


class AuditEntity(StrEnum):
    DOCUMENT = "document"
    WORKSHOP = "workshop"
    NEED = "need"
    PARTICIPANT = "participant"
    STORE = "store"


def check_in(column: str, vocabulary: type[StrEnum]) -> str:
    """``check (column in ('a', 'b'))`` for a schema; values come from the enum, never from input."""
    values = ", ".join(f"'{v.value}'" for v in vocabulary)
    return f"check ({column} in ({values}))"
