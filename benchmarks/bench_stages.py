"""Where the time of one `pairctl match` goes, stage by stage, in-process.

Wraps the stage functions (reading, scoring, candidates, the bound's rounds and within them
the auction and the check, the swaps, the quality figure, the report, the JSON, the xlsx)
with timers, runs the command as the shell does, and prints each stage's total seconds and
calls, with the run's wall time and peak memory. Stages nest: `greedy_swap` includes
`candidates`, `bound_rounds` and `improve_by_swaps`.

    python benchmarks/bench_stages.py ROSTER [pairctl match options...]
    python benchmarks/bench_stages.py r100k.csv --dry-run --json
"""

from __future__ import annotations

import contextlib
import functools
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

SECONDS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
PEAK: dict[str, float] = {}
"""The process's peak memory when the stage last ended: it only grows, so the stage where
it jumps is the one that set it."""


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(owner: Any, name: str, label: str = "") -> None:
    """Replace owner.name by a wrapper adding its time to SECONDS[label or name]; nothing
    when there is no such stage (an older version of pairctl, for the "before" figures)."""
    inner: Callable[..., Any] | None = getattr(owner, name, None)
    if inner is None:
        return
    label = label or name

    @functools.wraps(inner)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            SECONDS[label] += time.perf_counter() - start
            CALLS[label] += 1
            PEAK[label] = _peak_mib()

    setattr(owner, name, wrapper)


def main() -> None:
    import pairctl.cli as cli
    import pairctl.core.matching as matching
    import pairctl.core.summary as summary
    import pairctl.output as output
    import pairctl.output.json_out as json_out
    import pairctl.pipeline as pipeline

    for name in ("read_roster", "score_roster", "prepare_round", "assess"):
        timed(pipeline, name)
    for name in ("candidates", "relaxation_pairs", "greedy_candidates", "bound_rounds"):
        timed(matching, name)
    timed(matching, "improve_by_swaps")
    timed(matching, "greedy_swap")
    try:
        import pairctl.core.bound as bound
    except ImportError:
        pass
    else:
        timed(bound, "auction")
        timed(bound.Violations, "__call__", "check (Violations)")
    timed(summary, "build_report")
    timed(output, "write_report")
    timed(json_out, "report_to_dict")
    sys.argv = ["pairctl", "match", *sys.argv[1:]]
    start = time.perf_counter()
    with contextlib.suppress(SystemExit):  # the shell exits with the run's code
        cli.main()
    wall = time.perf_counter() - start
    print(f"\nwall {wall:.2f} s, peak {_peak_mib():.0f} MiB", file=sys.stderr)
    for name, seconds in SECONDS.items():
        print(
            f"  {name:18s} {seconds:7.2f} s  ({CALLS[name]} calls)"
            f"  peak {PEAK[name]:6.0f} MiB when it ended",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
