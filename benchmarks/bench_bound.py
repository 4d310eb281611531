"""The quality figure at every size: the default's total against the certified bound, and
the exact solver where it runs.

For each size it generates a roster (`make_roster.py N --seed S`), runs the installed
`pairctl match ROSTER --dry-run --json` and reports wall time, the child's peak memory, the
default's total, the reference (exact optimum, assignment bound or certified bound) and the
ratio; for the sizes given to --exact also `--solver exact`'s optimum and its time. Where
the command's reference is not the certified bound (up to 3,000 people it is the exact
optimum or the dense assignment bound), the certified bound is also computed in-process on
the same roster and printed below the table with its time, so it can be compared with both.

    python benchmarks/bench_bound.py --sizes 1000 10000 100000 --exact 1000 5000
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child import make_roster, quality_cells, run_pairctl

from pairctl.core.quality import BOUND_LIMIT, assignment_bound, candidate_bound
from pairctl.core.scoring import score_roster
from pairctl.roster import read_roster


def certified(roster: Path) -> str:
    """The certified bound of the roster's plain score, its time, and the dense bound."""
    model = score_roster(read_roster(roster)).requiring_two_way(False)
    start = time.perf_counter()
    value = candidate_bound(model)
    took = time.perf_counter() - start
    dense = assignment_bound(model)
    shown = f"{value:,.4f}" if math.isfinite(value) else "none"
    return f"{model.size:,} people: certified bound {shown} in {took:.2f} s; dense {dense:,.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--exact", type=int, nargs="*", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| people | solver | wall s | peak MiB | total | reference | value | default / reference |"
    )
    print("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |")
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sorted(set(args.sizes) | set(args.exact)):
            roster = make_roster(n, Path(folder) / f"roster-{n}.csv", args.seed)
            solvers = ["greedy-swap"] if n in args.sizes else []
            solvers += ["exact"] if n in args.exact else []
            for solver in solvers:
                command = ("match", str(roster), "--dry-run", "--json", "--solver", solver)
                wall, peak, result = run_pairctl(*command)
                cells = quality_cells(result)
                print(f"| {n:,} | {solver} | {wall:.2f} | {peak:.0f} | {cells} |", flush=True)
            if n <= BOUND_LIMIT:
                notes.append(certified(roster))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
