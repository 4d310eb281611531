"""Rules that forbid pairs: reporting lines (nobody pairs with a manager within N levels) and
the coordinator's avoid list. Pure: people and index pairs in, index pairs and reasons out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pairctl.core.model import Person

Reasons = dict[tuple[int, int], str]
"""(lower index, higher index) -> why the pair is forbidden, in the coordinator's words."""

_LEVEL_NAMES = {1: "direct manager", 2: "skip-level manager"}


def reporting_line_pairs(people: Sequence[Person], depth: int) -> Reasons:
    """Pairs of people within `depth` levels of each other in one reporting chain.

    The manager column holds the manager's person key; a manager who is not on the roster
    ends the chain there. The person at the top is forbidden only with those close below
    them, so they stay pairable. A loop in the data (A manages B manages A) is cut.
    """
    if depth <= 0:
        return {}
    index = {p.key: i for i, p in enumerate(people)}
    reasons: Reasons = {}
    for i, person in enumerate(people):
        seen = {i}
        current = person
        for level in range(1, depth + 1):
            boss = index.get(current.manager.strip()) if current.manager else None
            if boss is None or boss in seen:
                break
            seen.add(boss)
            role = _LEVEL_NAMES.get(level, f"manager {level} levels up")
            pair = (min(i, boss), max(i, boss))
            reasons.setdefault(pair, f"{people[boss].key} is {person.key}'s {role}")
            current = people[boss]
    return reasons


def avoid_pairs(pairs: Sequence[tuple[int, int, str]], people: Sequence[Person]) -> Reasons:
    """The avoid list as reasons: (index, index, where it was listed)."""
    return {
        (min(a, b), max(a, b)): f"{people[a].key} and {people[b].key} are on the avoid list "
        f"({where})"
        for a, b, where in pairs
    }


def taking_no_part(people: Sequence[Person], today: dt.date) -> dict[int, str]:
    """People out of this round, with the reason: opted out, or away past today."""
    out: dict[int, str] = {}
    for i, person in enumerate(people):
        if not person.active:
            out[i] = "not taking part this round (marked inactive)"
        elif person.away_until and person.away_until > today.isoformat():
            out[i] = f"away until {person.away_until}"
    return out
