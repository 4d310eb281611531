"""Generate a realistic roster of any size for benchmarks.

Skewed specialty sizes (the largest near 35%), skills correlated with specialty plus
cross-cutting ones, wants drawn mostly from other specialties' skills, a few empty wants,
experience from 0 to 40 years, a dozen departments. Deterministic for a seed.

    python benchmarks/make_roster.py 10000 -o /tmp/roster-10k.csv [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

# Specialty -> relative size. The first holds about 35% of the roster.
SPECIALTIES = {
    "Software Engineering": 35,
    "Data Science": 12,
    "Sales": 11,
    "Customer Success": 9,
    "Marketing": 8,
    "Finance": 7,
    "Product Design": 6,
    "People & HR": 5,
    "Legal": 3,
    "Operations": 4,
}
SKILLS_PER_SPECIALTY = 14
CROSS_CUTTING = [f"general skill {i}" for i in range(30)]
DEPARTMENTS = [f"Dept {i:02d}" for i in range(12)]


def specialty_skills() -> dict[str, list[str]]:
    return {s: [f"{s} skill {i}" for i in range(SKILLS_PER_SPECIALTY)] for s in SPECIALTIES}


def make_rows(n: int, seed: int) -> list[list[str]]:
    """n roster rows: ID, Name, Specialty, Department, Years of experience, Skills, Wants."""
    rng = random.Random(seed)
    catalogue = specialty_skills()
    names = list(SPECIALTIES)
    weights = list(SPECIALTIES.values())
    rows = []
    for i in range(n):
        spec = rng.choices(names, weights)[0]
        own = catalogue[spec]
        # Popular skills are popular: a Zipf-like pick within the specialty.
        skills = {own[min(int(rng.paretovariate(1.2)) - 1, len(own) - 1)] for _ in range(4)}
        skills |= set(rng.sample(CROSS_CUTTING, rng.randint(0, 2)))
        wants: set[str] = set()
        if rng.random() > 0.03:  # a few leave the wants cell empty
            for _ in range(rng.randint(2, 4)):
                other = rng.choices(names, weights)[0]
                if other == spec:
                    wants.add(rng.choice(CROSS_CUTTING))
                else:
                    pool = catalogue[other]
                    wants.add(pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)])
        rows.append(
            [
                f"P{i:06d}",
                f"Person {i}",
                spec,
                rng.choice(DEPARTMENTS),
                str(min(40, int(rng.expovariate(1 / 9)))),
                "; ".join(sorted(skills)),
                "; ".join(sorted(wants - skills)),
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with args.output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "ID",
                "Name",
                "Specialty",
                "Department",
                "Years of experience",
                "Skills",
                "Wants to learn",
            ]
        )
        writer.writerows(make_rows(args.n, args.seed))


if __name__ == "__main__":
    main()
