"""Rebuild the model shipped in the package: `python -m needs_tracker.learn.build_default`.

It trains on every labelled set present: the repository's tests/corpus/ and, in a checkout
beside it, ../shared (recorded in the manifest as ``needs_shared_corpus``).
"""

from __future__ import annotations

import sys

from ..wording import counted
from .build import train_model


def summary(path, info: dict) -> str:
    """The line that says what was written, from the manifest ``info`` of ``train_model``."""
    return (f"wrote {path}: {counted(info['needs'], 'need')} and {counted(info['not_needs'], 'other statement')} "
            f"from {counted(info['documents'], 'document')} (data {info['data_sha256'][:12]})")


def main() -> int:
    path, info = train_model(default=True)
    print(summary(path, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
