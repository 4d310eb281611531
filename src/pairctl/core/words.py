"""Counts in words, so no message says "1 pairs"."""

from __future__ import annotations


def plural(count: int, one: str, many: str = "") -> str:
    """`count` and the noun agreeing with it: plural(1, "pair") is "1 pair", plural(2, "pair")
    "2 pairs"; give `many` where adding "s" is wrong ("person", "people")."""
    return f"{count} {one if count == 1 else many or one + 's'}"
