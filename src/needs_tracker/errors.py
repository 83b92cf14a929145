"""One error family, each written for the person who caused it.

The CLI prints these to stderr and exits non-zero; the dashboard shows them with
``st.error``. Anything that is not a ``NeedsTrackerError`` is a bug and keeps its traceback.
"""

from __future__ import annotations


class NeedsTrackerError(Exception):
    """Base class: the message is meant to be read by a person, as it is."""


class ReadError(NeedsTrackerError):
    """A file could not be turned into text (empty, binary, corrupt, too large...)."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


class StoreLockedError(NeedsTrackerError):
    """Another process holds the DuckDB file."""


class StoreError(NeedsTrackerError):
    """The store is missing, damaged or from an incompatible version."""


class FilterError(NeedsTrackerError):
    """A filter value that names nothing known (unknown state, region, category...)."""


class ExportError(NeedsTrackerError):
    """An export could not be written (unknown format, missing font...)."""


class PermissionDenied(NeedsTrackerError):
    """A write was attempted by someone who is not an editor."""


class ReviewError(NeedsTrackerError):
    """A review action that cannot be applied (quote not in the note, unknown need...)."""


class StoreConflictError(NeedsTrackerError):
    """Two people changed the same row at the same moment and the other change won."""
