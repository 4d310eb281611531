"""Quality and speed of the default solver against the exact optimum and the assignment bound.

For each size and roster seed: generate a roster (benchmarks/make_roster.py), time the
default greedy-plus-swap matching and (up to --exact-max people) the exact blossom solver on
the same score model, and report the default's total as a share of the exact optimum, or of
the assignment upper bound above --exact-max (up to --bound-max). Matching time only: reading
and writing are measured by bench_match.py.

    python benchmarks/bench_quality.py --sizes 300 1000 --seeds 5
    python benchmarks/bench_quality.py --sizes 10000 --seeds 3 --exact-max 0 --bound-max 10000
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

from pairctl.core.matching import exact, match
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--exact-max", type=int, default=1000)
    parser.add_argument("--bound-max", type=int, default=10000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
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
