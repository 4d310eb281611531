"""Small seeded rosters for the core tests."""

from __future__ import annotations

import random
from collections.abc import Iterator

from pairctl.core.model import Person, Roster

SKILLS = [f"skill {i}" for i in range(12)]


def make_roster(n: int, specialties: list[str], seed: int) -> Roster:
    """n people; person i has specialties[i % len(specialties)], three skills and two wants
    drawn from twelve, 0-30 years and one of three departments."""
    rng = random.Random(seed)
    people = tuple(
        Person(
            key=f"K{i:03d}",
            name=f"P{i}",
            specialty=specialties[i % len(specialties)],
            skills=tuple(rng.sample(SKILLS, 3)),
            wants=tuple(rng.sample(SKILLS, 2)),
            experience=float(rng.randint(0, 30)),
            department=rng.choice("XYZ"),
        )
        for i in range(n)
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def perfect_pairings(people: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Every way to split `people` into pairs, one left over (in no pair) if odd."""
    if len(people) < 2:
        yield []
        return
    if len(people) % 2:
        for out in range(len(people)):
            yield from perfect_pairings(people[:out] + people[out + 1 :])
        return
    first, rest = people[0], people[1:]
    for k, partner in enumerate(rest):
        for others in perfect_pairings(rest[:k] + rest[k + 1 :]):
            yield [(first, partner), *others]
