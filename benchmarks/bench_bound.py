"""The quality figure at every size: the default's total against the certified bound, and
the exact solver where it runs.

For each size it generates a roster (`make_roster.py N --seed S`), runs the installed
`pairctl match ROSTER --dry-run --json` and reports wall time, the child's peak memory, the
default's total, the reference (exact optimum, assignment bound or certified bound) and the
ratio; for the sizes given to --exact also `--solver exact`'s optimum and its time, and
whether the reference is at or above it (it must be).

    python benchmarks/bench_bound.py --sizes 1000 10000 100000 --exact 1000 5000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child import make_roster, run_pairctl


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
    with tempfile.TemporaryDirectory() as folder:
        for n in sorted(set(args.sizes) | set(args.exact)):
            roster = make_roster(n, Path(folder) / f"roster-{n}.csv", args.seed)
            solvers = ["greedy-swap"] if n in args.sizes else []
            solvers += ["exact"] if n in args.exact else []
            for solver in solvers:
                command = ("match", str(roster), "--dry-run", "--json", "--solver", solver)
                wall, peak, result = run_pairctl(*command)
                quality = result["quality"]
                value = quality["value"]
                ratio = f"{quality['percent']:.2f}%" if quality["percent"] is not None else "-"
                shown = "-" if value is None else f"{value:,.2f}"
                print(
                    f"| {n:,} | {solver} | {wall:.2f} | {peak:.0f} | "
                    f"{result['total_score']:,.2f} | {quality['reference']} | {shown} | {ratio} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
