"""The store's closed vocabularies as types: every status, role, relation and kind in one place.

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


# The ``rule`` of a need, offer or request a person added: no rule made it. A rule name, not a status.
MANUAL_RULE = "manual"


class ReviewChoice(StrEnum):
    """Which rows a review page lists (``?decision=``): a view over the statuses, not a status."""

    UNDECIDED = "undecided"    # nobody decided yet (for needs, also decided ones flagged to look at again)
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CORRECTED = "corrected"    # corrected or added by a person
    ALL = "all"


# The statuses each choice lists (the needs' undecided list adds the flagged decided ones).
REVIEW_CHOICE_STATUSES: dict[ReviewChoice, tuple[NeedStatus, ...]] = {
    ReviewChoice.UNDECIDED: (NeedStatus.EXTRACTED,),
    ReviewChoice.CONFIRMED: (NeedStatus.CONFIRMED,),
    ReviewChoice.REJECTED: (NeedStatus.REJECTED,),
    ReviewChoice.CORRECTED: (NeedStatus.CORRECTED, NeedStatus.MANUAL),
    ReviewChoice.ALL: tuple(NeedStatus),
}


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


class LinkedBy(StrEnum):
    """How a source document joined its event (``workshop_sources.linked_by``)."""

    EXTRACTED = "extracted"    # the automatic same-event score; redone by every re-run
    MANUAL = "manual"          # a reviewer merged it into the event
    SPLIT = "split"            # a reviewer split it off: it stands alone, whatever the score says


class WorkshopKind(StrEnum):
    """What a stored note describes (``workshops.kind``, a CHECK since schema 4). The extractor
    writes these and an editor chooses among them: a seminar, a course or a briefing is an event,
    that is a ``workshop`` (the title says which); the kind decides what the reads do with the
    note (a register is never merged into an event and reports no needs of its own)."""

    WORKSHOP = "workshop"
    OTHER = "other"                              # a report that names no event of its own
    ASSISTANCE_REQUESTS = "assistance_requests"  # a register or a request letter: no event, never merged


def workshop_kind(text: str | None) -> WorkshopKind | None:
    """The kind ``text`` spells, whatever its case, spaces or hyphens ("Assistance requests");
    None for a word that is no kind ("seminar")."""
    key = "_".join((text or "").strip().lower().replace("-", " ").split())
    try:
        return WorkshopKind(key)
    except ValueError:
        return None


class RecipientsKind(StrEnum):
    """To whom an offer is made (``offers.recipients_kind``)."""

    NAMED = "named"                        # the states the sentence names
    GROUP = "group"                        # a group's participants ("the Central Asian States")
    ALL_PARTICIPANTS = "all_participants"  # everyone at the workshop


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


def sql_value(member: StrEnum) -> str:
    """A vocabulary value as a SQL literal (``NeedStatus.REJECTED`` -> ``'rejected'``), for the few
    places where a bound parameter would change DuckDB's plan or bury a query under ``?``s.
    Only an enum member is accepted, so no user text can ever pass through here."""
    if not isinstance(member, StrEnum) or "'" in member.value:
        raise TypeError(f"sql_value takes a vocabulary member, not {member!r}")
    return f"'{member.value}'"
