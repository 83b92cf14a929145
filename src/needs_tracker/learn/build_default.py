"""Rebuild the model shipped in the package: `python -m needs_tracker.learn.build_default`.

It trains on every labelled set present: the repository's tests/corpus/ and, in a checkout
beside it, ../shared (recorded in the manifest as ``needs_shared_corpus``).
"""

from __future__ import annotations

import sys

from .build import train_model


def main() -> int:
    path, info = train_model(default=True)
    print(f"wrote {path}: {info['needs']} needs and {info['not_needs']} other statements "
          f"from {info['documents']} documents (data {info['data_sha256'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
