"""Counts in words: "1 file", "2 files", "1,200 needs". One helper so every line the CLI, the briefs and the
pages print agrees."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for exactly one: counted(1, "state") -> "1 state";
    counted(3, "entry", "entries") -> "3 entries"."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
