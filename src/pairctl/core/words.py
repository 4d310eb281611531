"""Counts and lists in words: no message says "1 pairs" or runs on over a thousand keys."""

from __future__ import annotations

from collections.abc import Sequence


def plural(count: int, one: str, many: str = "") -> str:
    """`count` and the noun agreeing with it: plural(1, "pair") is "1 pair", plural(2, "pair")
    "2 pairs"; give `many` where adding "s" is wrong ("person", "people")."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def some(values: Sequence[str], shown: int = 5, *, quoted: bool = False) -> str:
    """The first `shown` values, comma-separated (each `repr`-quoted with `quoted`), then
    how many there are in all when some were left out: "a, b, ... (12 in all)"."""
    listed = ", ".join(repr(v) if quoted else v for v in values[:shown])
    return listed + (f", ... ({len(values)} in all)" if len(values) > shown else "")
