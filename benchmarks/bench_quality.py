"""Quality and speed of the default solver against the exact optimum and the assignment bound.

For each size and roster seed: generate a roster (benchmarks/make_roster.py), time the
default greedy-plus-swap matching and (up to --exact-max people) the exact blossom solver on
the same score model, and report the default's total as a share of the exact optimum, or of
the assignment upper bound above --exact-max (up to --bound-max). Matching time only: reading
and writing are measured by bench_match.py.

    python benchmarks/bench_quality.py --sizes 300 1000 --seeds 5
    python benchmarks/bench_quality.py --sizes 10000 --seeds 3 --exact-max 0 --bound-max 10000

With --two-way, what `--two-way require` costs instead: the same generated rosters (they have
a wants column) matched under prefer and under require, each pairing's total on the plain
score (no penalties), its one-way groups, the fewest one-way pairs possible (up to 80 people)
and the matching time of each:

    python benchmarks/bench_quality.py --two-way --sizes 60 301 1000 --seeds 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_roster import make_rows

from pairctl.core.matching import exact, fewest_one_way_pairs, match
from pairctl.core.model import Person, Roster
from pairctl.core.quality import assignment_bound
from pairctl.core.scoring import score_roster


def roster_of(n: int, seed: int) -> Roster:
    people = tuple(
        Person(
            key=r[0],
            name=r[1],
            specialty=r[2],
            department=r[3],
            experience=float(r[4]),
            skills=tuple(s for s in r[5].split("; ") if s),
            wants=tuple(s for s in r[6].split("; ") if s),
        )
        for r in make_rows(n, seed)
    )
    return Roster(people=people, has_skills=True, has_wants=True)


def pairs_total(model, mate: np.ndarray) -> float:
    n = model.size
    firsts = np.flatnonzero((np.arange(len(mate)) < mate) & (mate < n))
    return float(model.pair_scores(firsts, mate[firsts]).sum())


def links(members: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Every two-person link inside a group."""
    a = [x for i, x in enumerate(members) for _ in members[i + 1 :]]
    b = [y for i in range(len(members)) for y in members[i + 1 :]]
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


def plain_total(plain, pairing) -> float:
    """The pairing's total on the plain score (every link of a trio counts)."""
    return sum(float(plain.pair_scores(*links(g.members)).sum()) for g in pairing.groups)


def one_way_groups(model, pairing) -> int:
    """Groups in which some link is not two-way."""
    return sum(int(not model.is_two_way(*links(g.members)).all()) for g in pairing.groups)


def two_way_cost(sizes: list[int], seeds: int) -> None:
    """The markdown table of prefer against require."""
    print(
        "| people | seed | prefer total | require total | cost | one-way prefer "
        "| one-way require | fewest | prefer s | require s | time ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        costs, ratios = [], []
        for seed in range(1, seeds + 1):
            roster = roster_of(n, seed)
            keys = [p.key for p in roster.people]
            required = score_roster(roster, two_way=True)
            plain = required.plain()
            totals, ones, times = [], [], []
            for model in (plain, required):
                start = time.perf_counter()
                pairing = match(model, keys, seed=seed)
                times.append(time.perf_counter() - start)
                totals.append(plain_total(plain, pairing))
                ones.append(one_way_groups(plain, pairing))
            fewest = fewest_one_way_pairs(required)
            cost = 100 * (totals[0] - totals[1]) / totals[0]
            costs.append(cost)
            ratios.append(times[1] / times[0])
            print(
                f"| {n} | {seed} | {totals[0]:.2f} | {totals[1]:.2f} | {cost:.2f}% | {ones[0]} "
                f"| {ones[1]} | {'-' if fewest is None else fewest} | {times[0]:.2f} "
                f"| {times[1]:.2f} | {ratios[-1]:.2f}x |",
                flush=True,
            )
        print(
            f"| {n} | median | | | {statistics.median(costs):.2f}% | | | | | "
            f"| {statistics.median(ratios):.2f}x |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--exact-max", type=int, default=1000)
    parser.add_argument("--bound-max", type=int, default=10000)
    parser.add_argument("--two-way", action="store_true", help="prefer against require")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.two_way:
        two_way_cost(args.sizes, args.seeds)
        return
    print(
        "| people | seed | default s | total | reference | ref s | reference total | % of ref "
        "| speed-up |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for n in args.sizes:
        shares = []
        for seed in range(1, args.seeds + 1):
            roster = roster_of(n, seed)
            model = score_roster(roster)
            keys = [p.key for p in roster.people]
            start = time.perf_counter()
            pairing = match(model, keys, seed=seed)
            fast = time.perf_counter() - start
            start = time.perf_counter()
            if n <= args.exact_max:
                kind, ref = "exact", pairs_total(model, exact(model))
            elif n <= args.bound_max:
                kind, ref = "bound", assignment_bound(model)
            else:
                kind, ref = "none", float("nan")
            slow = time.perf_counter() - start
            share = 100 * pairing.objective / ref
            shares.append(share)
            print(
                f"| {n} | {seed} | {fast:.2f} | {pairing.objective:.2f} | {kind} | {slow:.1f} "
                f"| {ref:.2f} | {share:.2f} | {slow / fast:.0f}x |",
                flush=True,
            )
        print(f"| {n} | median | | | | | | {statistics.median(shares):.2f} | |", flush=True)


if __name__ == "__main__":
    main()
