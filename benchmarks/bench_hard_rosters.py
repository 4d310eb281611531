"""The quality figure on rosters the check's buckets serve badly: copies of a real survey whose
people list many languages both ways, and generated rosters with no wants column or no
skills column (flat scores). Runs the installed `pairctl match ROSTER --dry-run --json` (and
`--solver exact` for the survey with --exact) and prints wall time, the child's peak
memory, the total, the reference, its value and the ratio.

    python benchmarks/bench_hard_rosters.py --copies 8 --flat 10000 --exact

The survey is read from ../shared/data/real (or $PAIRCTL_REAL_DATA), as the tests read it.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child import make_roster, quality_cells, run_pairctl

SURVEY = Path("so_survey_2023") / "survey_results_public_2023_first595.csv"
SURVEY_MAP = (
    "--map", "key=ResponseId", "--map", "specialty=DevType",
    "--map", "skills=LanguageHaveWorkedWith", "--map", "wants=LanguageWantToWorkWith",
)  # fmt: skip


def survey_copies(copies: int, path: Path) -> Path:
    """`copies` copies of the survey's people, each copy's keys made distinct."""
    here = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("PAIRCTL_REAL_DATA") or here.parent / "shared" / "data" / "real")
    with (folder / SURVEY).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for copy in range(copies):
            writer.writerows({**row, "ResponseId": f"{row['ResponseId']}-{copy}"} for row in rows)
    return path


def without(column: str, source: Path, path: Path) -> Path:
    """The roster at `source` with `column` left out."""
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f for f in rows[0] if f != column])
        writer.writeheader()
        writer.writerows({k: v for k, v in row.items() if k != column} for row in rows)
    return path


def row(label: str, solver: str, roster: Path, *extra: str) -> str:
    command = ("match", str(roster), "--dry-run", "--json", "--solver", solver, *extra)
    wall, peak, out = run_pairctl(*command)
    people = out["people"]
    return f"| {label} | {people:,} | {solver} | {wall:.2f} | {peak:.0f} | {quality_cells(out)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--flat", type=int, default=10_000)
    parser.add_argument("--exact", action="store_true", help="also --solver exact on the survey")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| roster | people | solver | wall s | peak MiB | total | reference | value | ratio |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.copies:
            survey = survey_copies(args.copies, work / "survey.csv")
            label = f"survey x{args.copies}"
            print(row(label, "greedy-swap", survey, *SURVEY_MAP), flush=True)
            if args.exact:
                print(row(label, "exact", survey, *SURVEY_MAP), flush=True)
        if args.flat:
            generated = make_roster(args.flat, work / "generated.csv", args.seed)
            for column, label in (("Wants to learn", "no wants"), ("Skills", "no skills")):
                flat = without(column, generated, work / f"{label}.csv")
                print(row(label, "greedy-swap", flat), flush=True)


if __name__ == "__main__":
    main()
