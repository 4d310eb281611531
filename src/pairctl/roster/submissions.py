"""People who filled in the sign-up form twice: which answer counts (`--duplicates`).

`error` (the default) refuses the roster, naming the rows. `latest` keeps the answer with the
latest timestamp (a `Timestamp`, `Completion time`, `Submitted at` ... column), or the lower
row when there is no such column or a timestamp cannot be read; `first` keeps the earliest.
Either way one warning names every key whose other answers were dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from pairctl.core.words import some
from pairctl.roster.header import normalise
from pairctl.roster.sources import cell_text

POLICIES = ("error", "latest", "first")

_TIMESTAMP_HEADERS = (
    "completion time",
    "submitted at",
    "submission time",
    "submitted",
    "timestamp",
    "end time",
    "start time",
)
"""Columns that say when an answer was given, best first (MS Forms writes Start and
Completion time; Google Forms a Timestamp)."""

_SHOWN = 5


def timestamp_column(header: Sequence[Any]) -> int | None:
    """The column of the grid's header row that dates each answer, if any."""
    # Compared as every header is (header.normalise), so "Completion Time" matches too.
    names = [normalise(cell_text(h)) for h in header]
    for wanted in map(normalise, _TIMESTAMP_HEADERS):
        if wanted in names:
            return names.index(wanted)
    return None


def answers_kept(
    keys: Sequence[str], stamps: Sequence[Any] | None, policy: str
) -> tuple[list[int], list[str]]:
    """Which rows to keep (indices into `keys`, in order) and the keys whose other answers
    were dropped. `keys` are compared as the duplicate check compares them (callers fold
    emails first); blank keys are always kept, for the blank-key check to report."""
    chosen: dict[str, int] = {}
    dropped: dict[str, None] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        if key not in chosen:
            chosen[key] = i
            continue
        dropped[key] = None
        if _later(i, chosen[key], stamps) == (policy == "latest"):
            chosen[key] = i
    keep = set(chosen.values())
    return [i for i, key in enumerate(keys) if not key or i in keep], list(dropped)


def _later(i: int, j: int, stamps: Sequence[Any] | None) -> bool:
    """Whether answer `i` came after answer `j`: by timestamp when both can be read, else by
    row order (a form export lists answers as they came)."""
    if stamps is not None:
        a, b = _when(stamps[i]), _when(stamps[j])
        if a is not None and b is not None and a != b:
            return a > b
    return i > j


def _when(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = re.sub(r"\s*(GMT|UTC)[+-]?\d*(:\d\d)?$", "", str(value or "").strip())
    for pattern in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y/%m/%d %I:%M:%S %p",
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
    ):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def dropped_warning(where: str, dropped: Sequence[str], policy: str) -> str:
    """One line naming the keys whose other answers were dropped."""
    return (
        f"{where}: {len(dropped)} {'person' if len(dropped) == 1 else 'people'} answered more "
        f"than once; kept the {policy} answer of {some(dropped, _SHOWN, quoted=True)} "
        f"(--duplicates {policy})"
    )
