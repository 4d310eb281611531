"""Measure `pairctl match` end to end: wall time, peak memory, and pairing quality.

For each size it generates a roster (benchmarks/make_roster.py), runs the installed
`pairctl match ROSTER -o OUT.xlsx --json` as a child process, and reads the child's own
peak RSS from wait4. Where the roster is small enough, quality is compared with the exact
optimum of the same score (networkx max_weight_matching, Edmonds' blossom).

    python benchmarks/bench_match.py --sizes 300 1000 3000 --exact-max 1000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_pairctl(roster: Path, out: Path, seed: int) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS in MiB, and the --json result of one run."""
    exe = shutil.which("pairctl") or str(Path(sys.executable).with_name("pairctl"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "match", str(roster), "-o", str(out), "--force", "--json", "--seed", str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"pairctl failed on {roster}: {proc.stderr.read().decode()[:500]}")
    return wall, usage.ru_maxrss / 1024, json.loads(stdout)


def exact_total(roster: Path) -> float:
    """The best possible total score of the same roster (pairctl's exact solver)."""
    import numpy as np

    from pairctl.core.matching import exact
    from pairctl.core.scoring import score_roster
    from pairctl.roster import read_roster

    model = score_roster(read_roster(str(roster)))
    mate = exact(model)
    firsts = np.flatnonzero((np.arange(len(mate)) < mate) & (mate < model.size))
    return float(model.pair_scores(firsts, mate[firsts]).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--seeds", type=int, default=1, help="roster seeds per size")
    parser.add_argument(
        "--exact-max",
        type=int,
        default=600,
        help="largest roster to solve exactly for the quality figure",
    )
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(
        "| people | seed | wall s | peak MiB | total score | exact optimum | % of optimum "
        "| reported quality | cross-specialty % | both teach % | random both teach % |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    generator = Path(__file__).resolve().parent / "make_roster.py"
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for seed in range(1, args.seeds + 1):
                roster = Path(tmp) / f"roster-{n}-{seed}.csv"
                subprocess.run(
                    [
                        sys.executable,
                        str(generator),
                        str(n),
                        "-o",
                        str(roster),
                        "--seed",
                        str(seed),
                    ],
                    check=True,
                )
                wall, peak, result = run_pairctl(roster, Path(tmp) / "out.xlsx", seed)
                total = result["total_score"]
                if n <= args.exact_max:
                    best = exact_total(roster)
                    exact, pct = f"{best:.2f}", f"{100 * total / best:.2f}"
                else:
                    exact = pct = "-"
                m, b = result["metrics"], result["baseline"]
                q = result["quality"]
                reported = (
                    "-" if q["percent"] is None else f"{q['percent']:.2f}% ({q['reference']})"
                )
                print(
                    f"| {n} | {seed} | {wall:.2f} | {peak:.0f} | {total:.2f} | {exact} | {pct} "
                    f"| {reported} | {m['cross_specialty_pct']:.1f} | {m['both_teach_pct']:.1f} "
                    f"| {b['both_teach_pct']:.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
