"""What the time-zone and language rules cost, and that they hold, at scale.

For each size it generates a roster with offices on six continents and languages
(`make_roster.py --places`), runs the installed `pairctl match ROSTER -o OUT.xlsx --json`
without the rules and with `--max-timezone-gap 6 --language require`, and reports wall time,
the child's peak memory, the quality figure, the unmatched, and, read from the roster's cells
with the zone database (not through pairctl), how many groups are more than 6 hours apart
or share no language.

    python benchmarks/bench_meeting.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import zoneinfo
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child import make_roster, run_pairctl

DAY = "2027-01-15"
RULES = ("--max-timezone-gap", "6", "--language", "require")
CITY = {
    "London": "Europe/London",
    "Berlin": "Europe/Berlin",
    "Warsaw": "Europe/Warsaw",
    "New York": "America/New_York",
    "Sao Paulo": "America/Sao_Paulo",
    "Mexico City": "America/Mexico_City",
    "Tokyo": "Asia/Tokyo",
    "Singapore": "Asia/Singapore",
    "Sydney": "Australia/Sydney",
    "Nairobi": "Africa/Nairobi",
}


def clock(office: str, zone: str) -> float | None:
    """Minutes east of UTC on DAY, from the cells; None for an unknown zone."""
    if zone.startswith("UTC"):
        hours, minutes = zone[4:].split(":")
        return (1 if zone[3] == "+" else -1) * (int(hours) * 60 + int(minutes))
    name = zone or CITY.get(office)
    if name is None:
        return None
    noon = dt.datetime.fromisoformat(DAY).replace(hour=12, tzinfo=dt.UTC)
    offset = noon.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    return None if offset is None else offset.total_seconds() / 60


def run(roster: Path, out: Path, extra: tuple[str, ...]) -> tuple[float, float, dict]:
    command = ["match", str(roster), "-o", str(out), "--force", "--json", "--round-date", DAY]
    return run_pairctl(*command, *extra)


def breaches(roster: Path, result: dict) -> tuple[int, int]:
    """(groups more than 6 hours apart, groups with two members sharing no language)."""
    with roster.open(encoding="utf-8", newline="") as handle:
        rows = {r["ID"]: r for r in csv.DictReader(handle)}
    clocks = {k: clock(r["Office"], r["Time zone"]) for k, r in rows.items()}
    tongues = {k: {t.strip() for t in r["Languages"].split(",")} for k, r in rows.items()}
    far = silent = 0
    for group in result["pairs"]:
        links = list(combinations(group["members"], 2))
        gaps = []
        for x, y in links:
            if clocks[x] is not None and clocks[y] is not None:
                apart = abs(clocks[x] - clocks[y]) % 1440  # type: ignore[operator]
                gaps.append(min(apart, 1440 - apart) / 60)
        far += any(g > 6 for g in gaps)
        silent += any(not tongues[x] & tongues[y] for x, y in links)
    return far, silent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| people | rules | wall s | peak MiB | quality | unmatched | > 6 h apart | no language |"
    )
    print("| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            roster = make_roster(n, Path(folder) / f"roster-{n}.csv", args.seed, "--places")
            for label, extra in (("none", ()), ("gap 6 h + language", RULES)):
                wall, peak, result = run(roster, Path(folder) / "out.xlsx", extra)
                far, silent = breaches(roster, result)
                quality = result["quality"]
                shown = (
                    f"{quality['percent']:.2f}% of {quality['reference']}"
                    if quality["percent"] is not None
                    else quality["reference"]
                )
                unmatched = sum(1 for u in result["unmatched"] if not u.get("absent"))
                print(
                    f"| {n:,} | {label} | {wall:.2f} | {peak:.0f} | {shown} | {unmatched} "
                    f"| {far} | {silent} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
