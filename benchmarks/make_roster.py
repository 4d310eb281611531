"""Generate a realistic roster of any size for benchmarks.

Skewed specialty sizes (the largest near 35%), skills correlated with specialty plus
cross-cutting ones, wants drawn mostly from other specialties' skills, a few empty wants,
experience from 0 to 40 years, a dozen departments. Deterministic for a seed. With
`--places`, also an Office on six continents, a Time zone column (blank where the office is a
city the zone database knows, as coordinators leave it) and the Languages people speak.

    python benchmarks/make_roster.py 10000 -o /tmp/roster-10k.csv [--seed 1] [--places]
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


# Office -> (relative size, the time zone written beside it, languages: the first spoken by
# all there, each other by some). A few people work remotely, with no zone anyone can read.
OFFICES = {
    "London": (14, "", ("English", "French")),
    "Berlin": (8, "", ("German", "English")),
    "Warsaw": (5, "", ("Polish", "English")),
    "New York": (14, "", ("English", "Spanish")),
    "San Francisco": (9, "America/Los_Angeles", ("English", "Mandarin")),
    "Sao Paulo": (6, "", ("Portuguese", "Spanish", "English")),
    "Mexico City": (4, "", ("Spanish", "English")),
    "Tokyo": (7, "", ("Japanese", "English")),
    "Bengaluru": (10, "UTC+05:30", ("English", "Hindi", "Kannada")),
    "Singapore": (5, "", ("English", "Mandarin", "Malay")),
    "Sydney": (5, "", ("English",)),
    "Nairobi": (3, "", ("English", "Swahili")),
    "Remote": (2, "", ("English",)),
}
PLACE_COLUMNS = ["Office", "Time zone", "Languages"]


def places(n: int, seed: int) -> list[list[str]]:
    """n rows of Office, Time zone, Languages. About one in ten outside the English-speaking
    offices speaks only the local language."""
    rng = random.Random(seed + 7919)
    names = list(OFFICES)
    weights = [OFFICES[o][0] for o in names]
    rows = []
    for _ in range(n):
        office = rng.choices(names, weights)[0]
        _, zone, spoken = OFFICES[office]
        if spoken[0] != "English" and rng.random() < 0.1:
            tongues = [spoken[0]]
        else:
            tongues = [spoken[0], *(t for t in spoken[1:] if rng.random() < 0.7)]
        rows.append([office, zone, ", ".join(tongues)])
    return rows


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
    parser.add_argument("--places", action="store_true", help="add Office, Time zone, Languages")
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
                *(PLACE_COLUMNS if args.places else []),
            ]
        )
        rows = make_rows(args.n, args.seed)
        if args.places:
            rows = [row + extra for row, extra in zip(rows, places(args.n, args.seed), strict=True)]
        writer.writerows(rows)


if __name__ == "__main__":
    main()
